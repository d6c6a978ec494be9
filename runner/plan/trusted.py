"""Built-in plans whose content the test suite validated, recognised by the SHA-256 of
their file: `run` does not check such a plan against the JSON Schema again (nor import
jsonschema for it). `tests/plan/test_trusted_plans.py` keeps the digests true: it fails
when a built-in plan changes without its digest here, and checks every plan listed here
in full. Any other file, or a built-in plan changed after installation, is checked in full.

After changing a built-in plan, that test's failure shows the digests to put here.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from runner import resources

#: Built-in plan name -> SHA-256 of its file, as validated.
DIGESTS = {
    "a2a": "92523b85794fd463b2bddee8cc216488464c45c8d7c19216f1672456c2df1ba6",
    "h2a": "c5e9aae7f52dbae301bc4bade8a446641cacf7346c7a1763f3c96ae3ced01792",
}


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_trusted(path: Path) -> bool:
    """Whether `path` is a built-in plan with exactly the validated content."""
    expected = DIGESTS.get(path.stem)
    if expected is None or path.suffix != ".yaml":
        return False
    try:
        builtin = os.path.samefile(path.parent, resources.plans_dir())
        return builtin and digest(path.read_bytes()) == expected
    except OSError:
        return False


def current_digests() -> dict[str, str]:
    """The digests of the built-in plans as they are now."""
    return {
        path.stem: digest(path.read_bytes())
        for path in sorted(resources.plans_dir().glob("*.yaml"))
    }
