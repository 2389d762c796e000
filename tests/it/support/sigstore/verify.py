"""Verifies a PEP 740 attestation with the real `pypi-attestations` package,
as PyPI does on upload, but against a stand-in Sigstore instance's root.

Usage: python verify.py TRUSTED_ROOT DIST ATTESTATION REPOSITORY WORKFLOW [ENVIRONMENT]
- TRUSTED_ROOT: the stand-in's trusted_root.json;
- DIST: the distribution file (its name and sha256 are what is checked);
- ATTESTATION: the attestation object (PEP 740 JSON);
- REPOSITORY, WORKFLOW, ENVIRONMENT: the expected GitHub Trusted Publisher
  (`owner/repo`, the workflow's file name, the optional environment).
Exit 0 printing the predicate type when the attestation verifies; exit 1
printing the reason when it does not.

The one change to what PyPI runs: sigstore's `Verifier.production()` (the
public-good instance's root, fetched over TUF) is replaced with
`Verifier(trusted_root=<TRUSTED_ROOT>)`. Everything else (the certificate
chain and its validity at the log's time, the embedded SCT, the publisher
policy, the log entry's inclusion proof, checkpoint and SET, the DSSE
signature, the entry's consistency with the envelope, the statement's
subject) is pypi-attestations' and sigstore-python's own code.
"""

import sys
from pathlib import Path

from pydantic import ValidationError
from pypi_attestations import Attestation, AttestationError, Distribution, GitHubPublisher
from sigstore.models import TrustedRoot
from sigstore.verify import Verifier


def main() -> int:
    if len(sys.argv) not in (6, 7):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    root_path, dist_path, attestation_path, repository, workflow = sys.argv[1:6]
    environment = sys.argv[6] if len(sys.argv) == 7 else None
    root = TrustedRoot.from_file(root_path)
    # THE ONE CHANGE: the stand-in's root instead of the public-good instance's.
    Verifier.production = classmethod(lambda cls, offline=False: cls(trusted_root=root))
    try:
        attestation = Attestation.model_validate_json(Path(attestation_path).read_bytes())
        publisher = GitHubPublisher(
            repository=repository, workflow=workflow, environment=environment
        )
        predicate_type, _ = attestation.verify(publisher, Distribution.from_file(Path(dist_path)))
    except (AttestationError, ValidationError) as err:
        print(f"{type(err).__name__}: {err}")
        return 1
    print(predicate_type)
    return 0


if __name__ == "__main__":
    sys.exit(main())
