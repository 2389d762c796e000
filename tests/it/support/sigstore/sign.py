"""The reference signer for tests: sigstore-python and pypi-attestations
sign a PyPI publish attestation for a distribution against a Sigstore
instance (here the stand-in), exactly as gh-action-pypi-publish does.

Usage: python sign.py TRUST_CONFIG DIST... < ID_TOKEN
- TRUST_CONFIG: the stand-in's trust_config.json (root and signing config);
- DIST...: the distribution files, signed in this order (one certificate);
- the OIDC ID token (a JWT) on stdin.
Prints one attestation object (PEP 740 JSON) a line, one per file.
"""

import sys
from pathlib import Path

from pypi_attestations import Attestation, Distribution
from sigstore.models import ClientTrustConfig
from sigstore.oidc import IdentityToken
from sigstore.sign import SigningContext


def main() -> None:
    config = ClientTrustConfig.from_json(Path(sys.argv[1]).read_text())
    context = SigningContext.from_trust_config(config)
    token = IdentityToken(sys.stdin.read().strip())
    with context.signer(token, cache=True) as signer:
        for dist in sys.argv[2:]:
            attestation = Attestation.sign(signer, Distribution.from_file(Path(dist)))
            print(attestation.model_dump_json())


if __name__ == "__main__":
    main()
