"""Verifies a PEP 740 attestation with the real `pypi-attestations` package,
as PyPI does on upload, but against a stand-in Sigstore instance's root.

Usage: python verify.py TRUSTED_ROOT DIST ATTESTATION KIND REPOSITORY WORKFLOW [ENVIRONMENT]
- TRUSTED_ROOT: the stand-in's trusted_root.json;
- DIST: the distribution file (its name and sha256 are what is checked);
- ATTESTATION: the attestation object (PEP 740 JSON);
- KIND, REPOSITORY, WORKFLOW, ENVIRONMENT: the expected Trusted Publisher:
  `github` (`owner/repo`, the workflow's file name) or `gitlab`
  (`namespace/project`, the CI file's path), and the optional environment.
Exit 0 printing the predicate type when the attestation verifies; exit 1
printing the reason when it does not; exit 3 with a traceback when the
verification itself crashed (e.g. a certificate without an extension that
pypi-attestations reads unguarded).

The one change to what PyPI runs: sigstore's `Verifier.production()` (the
public-good instance's root, fetched over TUF) is replaced with
`Verifier(trusted_root=<TRUSTED_ROOT>)`. Everything else (the certificate
chain and its validity at the log's time, the embedded SCT, the publisher
policy, the log entry's inclusion proof, checkpoint and SET, the DSSE
signature, the entry's consistency with the envelope, the statement's
subject) is pypi-attestations' and sigstore-python's own code.
"""

import sys
import traceback
from pathlib import Path

from pydantic import ValidationError
from pypi_attestations import (
    Attestation,
    AttestationError,
    Distribution,
    GitHubPublisher,
    GitLabPublisher,
)
from sigstore.models import TrustedRoot
from sigstore.verify import Verifier


def main() -> int:
    if len(sys.argv) not in (7, 8) or sys.argv[4] not in ("github", "gitlab"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    root_path, dist_path, attestation_path, kind, repository, workflow = sys.argv[1:7]
    environment = sys.argv[7] if len(sys.argv) == 8 else None
    root = TrustedRoot.from_file(root_path)
    # THE ONE CHANGE: the stand-in's root instead of the public-good instance's.
    Verifier.production = classmethod(lambda cls, offline=False: cls(trusted_root=root))
    try:
        attestation = Attestation.model_validate_json(Path(attestation_path).read_bytes())
        if kind == "github":
            publisher = GitHubPublisher(
                repository=repository, workflow=workflow, environment=environment
            )
        else:
            publisher = GitLabPublisher(
                repository=repository, workflow_filepath=workflow, environment=environment
            )
        predicate_type, _ = attestation.verify(publisher, Distribution.from_file(Path(dist_path)))
    except (AttestationError, ValidationError) as err:
        print(f"{type(err).__name__}: {err}")
        return 1
    except Exception:
        traceback.print_exc()
        return 3
    print(predicate_type)
    return 0


if __name__ == "__main__":
    sys.exit(main())
