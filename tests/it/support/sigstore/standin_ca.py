"""The certificate authority half of the Sigstore stand-in (Fulcio v2's
`POST /api/v2/signingCert`), for tests only.

What it does as Fulcio does: it reads the OIDC ID token's claims, checks the
proof of possession (a CSR's own signature, or a signature over the token's
subject with the posted public key), and issues a short-lived leaf
certificate from its CA with Fulcio's identity extensions
(OIDs 1.3.6.1.4.1.57264.1.*) and an embedded SCT: an RFC 6962 precertificate
timestamp signed by the CT log key that `trusted_root.json` lists.

What it leaves out: the token's signature is NOT checked (no issuer's keys are
fetched: this is a stand-in, the tests make the tokens), there is no real CT
log behind the SCT, no intermediate CA, and only the claims of GitHub Actions
and GitLab CI (gitlab.com) are mapped to extensions (another issuer gets its
subject as SAN and the issuer extension only).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import struct
import time

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
GITLAB_ISSUER = "https://gitlab.com"
AUDIENCE = "sigstore"
LEAF_LIFETIME = datetime.timedelta(minutes=10)
SCT_LIST_OID = x509.ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2")


class Refused(Exception):
    """A request Fulcio would refuse: HTTP status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def spki_der(public_key) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_id(public_key) -> bytes:
    """The RFC 6962 / Sigstore key id: SHA-256 of the DER SubjectPublicKeyInfo."""
    return hashlib.sha256(spki_der(public_key)).digest()


def der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def der_utf8(text: str) -> bytes:
    """A DER UTF8String, the value of Fulcio's extensions .8 to .22."""
    raw = text.encode()
    return b"\x0c" + der_length(len(raw)) + raw


def make_ca(now: datetime.datetime):
    """A self-signed root CA (P-256) shaped like Fulcio's."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "sigstore-standin.test"),
            x509.NameAttribute(NameOID.COMMON_NAME, "sigstore-standin"),
        ]
    )
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def claims_of(token: str) -> dict:
    """The token's claims, decoded WITHOUT checking its signature: this is a
    stand-in, and the tests make the tokens."""
    parts = token.split(".")
    if len(parts) != 3:
        raise Refused(400, "the OIDC identity token is not a JWT")
    try:
        payload = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except ValueError as err:
        raise Refused(400, f"the OIDC identity token's claims cannot be read: {err}")
    aud = claims.get("aud")
    if AUDIENCE not in (aud if isinstance(aud, list) else [aud]):
        raise Refused(401, f"the OIDC identity token's audience is not {AUDIENCE!r}")
    if not isinstance(claims.get("exp"), int) or claims["exp"] < time.time():
        raise Refused(401, "the OIDC identity token has expired")
    for claim in ("iss", "sub"):
        if not claims.get(claim):
            raise Refused(400, f"the OIDC identity token has no {claim!r} claim")
    return claims


def require(claims: dict, names: tuple[str, ...], ci: str) -> None:
    for claim in names:
        if not claims.get(claim):
            raise Refused(400, f"a {ci} token needs the {claim!r} claim")


def github_extensions(c: dict) -> list[tuple[str, str]]:
    """Fulcio's mapping of GitHub Actions claims to extensions .9 to .22."""
    gh = "https://github.com/"
    require(c, ("job_workflow_ref", "repository", "workflow_ref", "ref", "sha"), "GitHub Actions")
    run = f"{gh}{c['repository']}/actions/runs/{c.get('run_id')}/attempts/{c.get('run_attempt')}"
    pairs = [
        ("9", gh + c["job_workflow_ref"]),
        ("10", c.get("job_workflow_sha", c["sha"])),
        ("11", c.get("runner_environment", "")),
        ("12", gh + c["repository"]),
        ("13", c["sha"]),
        ("14", c["ref"]),
        ("15", str(c.get("repository_id", ""))),
        ("16", gh + c.get("repository_owner", c["repository"].split("/")[0])),
        ("17", str(c.get("repository_owner_id", ""))),
        ("18", gh + c["workflow_ref"]),
        ("19", c.get("workflow_sha", c["sha"])),
        ("20", c.get("event_name", "")),
        ("21", run),
        ("22", c.get("repository_visibility", "")),
    ]
    return [(oid, value) for oid, value in pairs if value]


def gitlab_extensions(c: dict) -> list[tuple[str, str]]:
    """Fulcio's mapping of GitLab CI claims to extensions .9 to .22."""
    gl = "https://gitlab.com/"
    names = ("ci_config_ref_uri", "project_path", "namespace_path", "ref", "ref_type", "sha")
    require(c, names, "GitLab CI")
    kind = {"branch": "heads", "tag": "tags"}.get(c["ref_type"], c["ref_type"])
    pairs = [
        ("9", "https://" + c["ci_config_ref_uri"]),
        ("10", c.get("ci_config_sha", "")),
        ("11", c.get("runner_environment", "")),
        ("12", gl + c["project_path"]),
        ("13", c["sha"]),
        ("14", f"refs/{kind}/{c['ref']}"),
        ("15", str(c.get("project_id", ""))),
        ("16", gl + c["namespace_path"]),
        ("17", str(c.get("namespace_id", ""))),
        ("18", "https://" + c["ci_config_ref_uri"]),
        ("19", c.get("ci_config_sha", "")),
        ("20", c.get("pipeline_source", "")),
        ("21", f"{gl}{c['project_path']}/-/jobs/{c.get('job_id')}"),
        ("22", c.get("project_visibility", "")),
    ]
    return [(oid, value) for oid, value in pairs if value]


CI_EXTENSIONS = {GITHUB_ISSUER: github_extensions, GITLAB_ISSUER: gitlab_extensions}


def san_of(claims: dict) -> str:
    if claims["iss"] == GITHUB_ISSUER:
        return "https://github.com/" + claims["job_workflow_ref"]
    if claims["iss"] == GITLAB_ISSUER:
        return "https://" + claims["ci_config_ref_uri"]
    return claims["sub"]


def requested_key(body: dict, claims: dict):
    """The public key to certify, once its possession is proven: a CSR
    (sigstore-python) or a PEM key with a signature over the subject
    (`publicKeyRequest`, the Rust client)."""
    if "certificateSigningRequest" in body:
        csr = x509.load_pem_x509_csr(base64.b64decode(body["certificateSigningRequest"]))
        if not csr.is_signature_valid:
            raise Refused(400, "the CSR's signature is invalid (no proof of possession)")
        return csr.public_key()
    request = body.get("publicKeyRequest")
    if not isinstance(request, dict):
        raise Refused(400, "neither certificateSigningRequest nor publicKeyRequest")
    try:
        key = serialization.load_pem_public_key(request["publicKey"]["content"].encode())
        proof = base64.b64decode(request.get("proofOfPossession", ""))
    except (KeyError, TypeError, ValueError) as err:
        raise Refused(400, f"malformed publicKeyRequest: {err!r}")
    subject = claims.get("email") or claims["sub"]
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise Refused(400, "only ECDSA keys are supported by the stand-in")
    try:
        key.verify(proof, subject.encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise Refused(400, "the proof of possession is not a signature over the subject")
    return key


class CertificateAuthority:
    """The CA and the CT log key that signs the SCTs it embeds."""

    def __init__(self, now: datetime.datetime) -> None:
        self.key, self.cert = make_ca(now)
        self.ct_key = ec.generate_private_key(ec.SECP256R1())

    def pem_chain(self, leaf: x509.Certificate) -> list[str]:
        return [
            c.public_bytes(serialization.Encoding.PEM).decode() for c in (leaf, self.cert)
        ]

    def signing_cert(self, body: dict, token: str) -> dict:
        """Answers `POST /api/v2/signingCert` (the token is the bearer token or
        `credentials.oidcIdentityToken`)."""
        token = body.get("credentials", {}).get("oidcIdentityToken") or token
        if not token:
            raise Refused(401, "no OIDC identity token")
        claims = claims_of(token)
        key = requested_key(body, claims)
        leaf = self.issue(key, claims)
        return {"signedCertificateEmbeddedSct": {"chain": {"certificates": self.pem_chain(leaf)}}}

    def issue(self, public_key, claims: dict) -> x509.Certificate:
        now = datetime.datetime.fromtimestamp(int(time.time()), datetime.timezone.utc)
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([]))
            .issuer_name(self.cert.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + LEAF_LIFETIME)
            .add_extension(
                x509.KeyUsage(True, False, False, False, False, False, False, False, False),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), False
            )
            .add_extension(
                x509.SubjectAlternativeName([x509.UniformResourceIdentifier(san_of(claims))]),
                critical=True,
            )
        )
        # .1: the issuer, raw (deprecated); .8: the issuer as a DER UTF8String.
        fulcio = [("1", claims["iss"].encode()), ("8", der_utf8(claims["iss"]))]
        if claims["iss"] in CI_EXTENSIONS:
            pairs = CI_EXTENSIONS[claims["iss"]](claims)
            fulcio += [(oid, der_utf8(value)) for oid, value in pairs]
        for oid, value in fulcio:
            oid = x509.ObjectIdentifier(f"1.3.6.1.4.1.57264.1.{oid}")
            ext = x509.UnrecognizedExtension(oid, value)
            builder = builder.add_extension(ext, critical=False)
        # The precertificate: the certificate without the SCT list. Its TBS is
        # what the CT log signs; the final certificate adds the SCT list last,
        # so its TBS minus that extension is the same bytes.
        precert = builder.sign(self.key, hashes.SHA256())
        sct = self.sct(precert.tbs_certificate_bytes, now)
        final = builder.add_extension(
            x509.UnrecognizedExtension(SCT_LIST_OID, sct_list_extension(sct)), critical=False
        ).sign(self.key, hashes.SHA256())
        assert final.tbs_precertificate_bytes == precert.tbs_certificate_bytes
        return final

    def sct(self, tbs: bytes, now: datetime.datetime) -> bytes:
        """An RFC 6962 v1 SCT (TLS encoding) for a precertificate with `tbs`."""
        millis = int(now.timestamp() * 1000)
        signed = (
            struct.pack("!BBQH", 0, 0, millis, 1)  # v1, certificate_timestamp, time, precert
            + key_id(self.key.public_key())  # issuer_key_hash
            + len(tbs).to_bytes(3, "big")
            + tbs
            + struct.pack("!H", 0)  # no extensions
        )
        signature = self.ct_key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return (
            struct.pack("!B", 0)
            + key_id(self.ct_key.public_key())
            + struct.pack("!QH", millis, 0)
            + struct.pack("!BBH", 4, 3, len(signature))  # sha256, ecdsa
            + signature
        )


def sct_list_extension(sct: bytes) -> bytes:
    """The extension's value: an OCTET STRING holding a TLS SCT list."""
    entry = struct.pack("!H", len(sct)) + sct
    tls_list = struct.pack("!H", len(entry)) + entry
    return b"\x04" + der_length(len(tls_list)) + tls_list
