"""A stand-in Sigstore instance for tests: one HTTP server on 127.0.0.1 that
answers as Fulcio v2 (the certificate authority, `standin_ca.py`) and Rekor
v1 (the transparency log, `standin_log.py`) do, with fresh keys each run.

Usage: python standin.py DIR
It prints its base URL (http://127.0.0.1:PORT) as the first line of stdout,
then serves until killed. Both services live at that base URL (their paths do
not overlap; sigstore-python joins `/api/v2/signingCert` onto the CA URL's
root, so neither can have a prefix). In DIR it writes:
- trusted_root.json: a Sigstore TrustedRoot with its CA, its CT log key and
  its Rekor key, what a verifier needs to trust what it issued;
- trust_config.json: a ClientTrustConfig (that root and a signing config
  pointing at this server), what sigstore-python signs against;
- requests.jsonl: one JSON line per request (method, path, JSON body).
`GET /requests` answers the same records as a JSON array.

What it leaves out compared with the real services: see the two modules'
docstrings (no check of the token's signature, no real CT log, an in-memory
log, no TSA, no TUF). It is a stand-in, never to be trusted for anything but
tests.
"""

from __future__ import annotations

import base64
import datetime
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ beside the sources in the tree

from cryptography.hazmat.primitives import serialization

from standin_ca import CertificateAuthority, Refused, key_id, spki_der
from standin_log import TransparencyLog

FULCIO_PATH = "/api/v2/signingCert"
REKOR_PATH = "/api/v1/log/entries"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def rfc3339(when: datetime.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def log_key(url: str, public_key, start: str) -> dict:
    """A TransparencyLogInstance of a trusted root (a CT log or Rekor)."""
    return {
        "baseUrl": url,
        "hashAlgorithm": "SHA2_256",
        "publicKey": {
            "rawBytes": b64(spki_der(public_key)),
            "keyDetails": "PKIX_ECDSA_P256_SHA_256",
            "validFor": {"start": start},
        },
        "logId": {"keyId": b64(key_id(public_key))},
    }


class Instance:
    """The CA, the log, the request records and the trust files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started = datetime.datetime.now(datetime.timezone.utc)
        self.ca = CertificateAuthority(self.started)
        self.log = TransparencyLog()
        self.records: list[dict] = []
        self.lock = threading.Lock()

    def trusted_root(self, base: str) -> dict:
        start = rfc3339(self.started - datetime.timedelta(days=1))
        ca_der = self.ca.cert.public_bytes(serialization.Encoding.DER)
        return {
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [log_key(base, self.log.key.public_key(), start)],
            "certificateAuthorities": [
                {
                    "subject": {
                        "organization": "sigstore-standin.test",
                        "commonName": "sigstore-standin",
                    },
                    "uri": base,
                    "certChain": {"certificates": [{"rawBytes": b64(ca_der)}]},
                    "validFor": {"start": start},
                }
            ],
            "ctlogs": [log_key(base + "/ct", self.ca.ct_key.public_key(), start)],
            "timestampAuthorities": [],
        }

    def signing_config(self, base: str) -> dict:
        start = rfc3339(self.started - datetime.timedelta(days=1))
        service = lambda version: {
            "url": base,
            "majorApiVersion": version,
            "validFor": {"start": start},
            "operator": "sigstore-standin.test",
        }
        return {
            "mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json",
            "caUrls": [service(1)],
            "oidcUrls": [],
            "rekorTlogUrls": [service(1)],
            "tsaUrls": [],
            "rekorTlogConfig": {"selector": "ANY"},
            "tsaConfig": {"selector": "ANY"},
        }

    def write_trust(self, base: str) -> None:
        root = self.trusted_root(base)
        config = {
            "mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
            "trustedRoot": root,
            "signingConfig": self.signing_config(base),
        }
        (self.folder / "trusted_root.json").write_text(json.dumps(root, indent=2))
        (self.folder / "trust_config.json").write_text(json.dumps(config, indent=2))

    def record(self, method: str, path: str, body) -> None:
        entry = {"method": method, "path": path, "body": body}
        with self.lock:
            self.records.append(entry)
            with open(self.folder / "requests.jsonl", "a") as out:
                out.write(json.dumps(entry) + "\n")

    def answer(self, method: str, path: str, body, bearer: str) -> tuple[int, object]:
        if method == "GET" and path == "/requests":
            with self.lock:
                return 200, list(self.records)
        self.record(method, path, body)
        if method == "POST" and path == FULCIO_PATH:
            return 200, self.ca.signing_cert(body if isinstance(body, dict) else {}, bearer)
        if method == "POST" and path == REKOR_PATH:
            return 201, self.log.create_entry(body if isinstance(body, dict) else {})
        if method == "GET" and path == "/api/v2/trustBundle":
            return 200, {"chains": [{"certificates": self.ca.pem_chain(self.ca.cert)[1:]}]}
        return 404, {"code": 404, "message": f"the stand-in has no {method} {path}"}


class Handler(BaseHTTPRequestHandler):
    instance: Instance
    protocol_version = "HTTP/1.1"

    def handle_any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        auth = self.headers.get("Authorization", "")
        bearer = auth[7:] if auth.startswith("Bearer ") else ""
        path = self.path.split("?")[0]
        try:
            status, answer = self.instance.answer(self.command, path, body, bearer)
        except Refused as refused:
            status, answer = refused.status, {"code": refused.status, "message": refused.message}
        except Exception as err:  # a bug of the stand-in: say so to the client
            status, answer = 500, {"code": 500, "message": f"stand-in error: {err!r}"}
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = handle_any

    def log_message(self, format, *args) -> None:
        sys.stderr.write("standin: " + (format % args) + "\n")


def main() -> None:
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    Handler.instance = Instance(folder)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    Handler.instance.write_trust(base)
    print(base, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
