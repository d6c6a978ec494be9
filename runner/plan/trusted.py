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
    "a2a": "8ea46da6934062da768f942b04ca5609933710e466a39b7291a30054beabef3e",
    "h2a": "00f8fc0079678ffdff78c102f56f77d6af4f868f51549f22e4d8aae1f14900fd",
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
