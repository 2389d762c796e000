"""The transparency log half of the Sigstore stand-in (Rekor v1's
`POST /api/v1/log/entries`), for tests only.

What it does as Rekor v1 does: it accepts `dsse` and `hashedrekord` entries
of version 0.0.1, checks their signatures against the certificate they carry,
stores the canonicalized body (RFC 8785 JSON, the verifier re-encoded as PEM)
as a leaf of a real RFC 6962 Merkle tree, and answers with the entry, its
integrated time, log id, a signed entry timestamp (SET) and an inclusion
proof whose checkpoint is a signed note, all signed by the Rekor key that
`trusted_root.json` lists.

What it leaves out: persistence (the log lives in memory), shards, search,
GET routes, consistency proofs, and the `envelopeHash` of a DSSE entry is the
SHA-256 of the envelope as posted (no verifier checks it).
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time

import rfc8785
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from standin_ca import Refused, key_id

ORIGIN_NAME = "sigstore-standin.test"
TREE_ID = 4711


def leaf_hash(body: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + body).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than n (RFC 6962 section 2.1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def tree_root(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) over leaf hashes."""
    if len(leaves) == 1:
        return leaves[0]
    k = split_point(len(leaves))
    return node_hash(tree_root(leaves[:k]), tree_root(leaves[k:]))


def audit_path(m: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) over leaf hashes, from the leaf's sibling upwards."""
    if len(leaves) == 1:
        return []
    k = split_point(len(leaves))
    if m < k:
        return audit_path(m, leaves[:k]) + [tree_root(leaves[k:])]
    return audit_path(m - k, leaves[k:]) + [tree_root(leaves[:k])]


def canonical_pem(verifier_b64: str) -> tuple[x509.Certificate, str]:
    """A verifier (base64 of a PEM certificate) as Rekor records it: parsed
    and encoded again, so that every client's PEM reads the same."""
    try:
        cert = x509.load_pem_x509_certificate(base64.b64decode(verifier_b64))
    except ValueError as err:
        raise Refused(400, f"the verifier is not a PEM certificate: {err}")
    pem = cert.public_bytes(serialization.Encoding.PEM)
    return cert, base64.b64encode(pem).decode()


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE's pre-authentication encoding."""
    kind = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def verify_ecdsa(cert: x509.Certificate, signature: bytes, data: bytes, prehashed=False) -> None:
    key = cert.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise Refused(400, "only ECDSA certificates are supported by the stand-in")
    algorithm = Prehashed(hashes.SHA256()) if prehashed else hashes.SHA256()
    try:
        key.verify(signature, data, ec.ECDSA(algorithm))
    except InvalidSignature:
        raise Refused(400, "the signature does not verify with the certificate's key")


def dsse_body(spec: dict) -> dict:
    content = spec.get("proposedContent") or {}
    try:
        envelope_text = content["envelope"]
        envelope = json.loads(envelope_text)
        verifiers = content["verifiers"]
        payload = base64.b64decode(envelope["payload"])
        signatures = envelope["signatures"]
    except (KeyError, TypeError, ValueError) as err:
        raise Refused(400, f"malformed dsse proposedContent: {err!r}")
    if len(verifiers) != 1:
        raise Refused(400, "the stand-in takes exactly one verifier")
    cert, verifier = canonical_pem(verifiers[0])
    recorded = []
    for sig in signatures:
        raw = base64.b64decode(sig["sig"])
        verify_ecdsa(cert, raw, pae(envelope["payloadType"], payload))
        recorded.append({"signature": base64.b64encode(raw).decode(), "verifier": verifier})
    sha256 = lambda data: {"algorithm": "sha256", "value": hashlib.sha256(data).hexdigest()}
    return {
        "envelopeHash": sha256(envelope_text.encode()),
        "payloadHash": sha256(payload),
        "signatures": recorded,
    }


def hashedrekord_body(spec: dict) -> dict:
    try:
        digest = spec["data"]["hash"]
        signature = base64.b64decode(spec["signature"]["content"])
        verifier = spec["signature"]["publicKey"]["content"]
    except (KeyError, TypeError, ValueError) as err:
        raise Refused(400, f"malformed hashedrekord spec: {err!r}")
    if digest.get("algorithm") != "sha256":
        raise Refused(400, "the stand-in takes sha256 hashedrekord entries only")
    cert, pem = canonical_pem(verifier)
    verify_ecdsa(cert, signature, bytes.fromhex(digest["value"]), prehashed=True)
    return {
        "data": {"hash": {"algorithm": "sha256", "value": digest["value"]}},
        "signature": {
            "content": base64.b64encode(signature).decode(),
            "publicKey": {"content": pem},
        },
    }


class TransparencyLog:
    """An in-memory Rekor v1 log: one Merkle tree, one signing key."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.log_id = key_id(self.key.public_key())
        self.leaves: list[bytes] = []
        self.lock = threading.Lock()

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))

    def create_entry(self, proposed: dict) -> dict:
        """Answers `POST /api/v1/log/entries` with `{uuid: entry}`."""
        kind, version = proposed.get("kind"), proposed.get("apiVersion")
        makers = {"dsse": dsse_body, "hashedrekord": hashedrekord_body}
        if version != "0.0.1" or kind not in makers:
            message = f"the stand-in takes dsse or hashedrekord 0.0.1, not {kind} {version}"
            raise Refused(400, message)
        spec = makers[kind](proposed.get("spec") or {})
        body = rfc8785.dumps({"apiVersion": version, "kind": kind, "spec": spec})
        with self.lock:
            self.leaves.append(leaf_hash(body))
            index, leaves = len(self.leaves) - 1, list(self.leaves)
        integrated = int(time.time())
        body_b64 = base64.b64encode(body).decode()
        promise = {
            "body": body_b64,
            "integratedTime": integrated,
            "logID": self.log_id.hex(),
            "logIndex": index,
        }
        entry = dict(promise)
        entry["verification"] = {
            "signedEntryTimestamp": base64.b64encode(self.sign(rfc8785.dumps(promise))).decode(),
            "inclusionProof": self.inclusion_proof(index, leaves),
        }
        return {leaves[index].hex(): entry}

    def inclusion_proof(self, index: int, leaves: list[bytes]) -> dict:
        root = tree_root(leaves)
        return {
            "logIndex": index,
            "treeSize": len(leaves),
            "rootHash": root.hex(),
            "hashes": [h.hex() for h in audit_path(index, leaves)],
            "checkpoint": self.checkpoint(len(leaves), root),
        }

    def checkpoint(self, size: int, root: bytes) -> str:
        """A signed note: origin, size, root; then `— name base64(hint || sig)`."""
        note = f"{ORIGIN_NAME} - {TREE_ID}\n{size}\n{base64.b64encode(root).decode()}\n"
        signature = self.log_id[:4] + self.sign(note.encode())
        return f"{note}\n\u2014 {ORIGIN_NAME} {base64.b64encode(signature).decode()}\n"
