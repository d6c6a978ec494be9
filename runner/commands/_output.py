"""Where a reading command's text goes: stdout, or `-o FILE` written atomically."""

from __future__ import annotations

import sys

from runner.errors import UsageError
from runner.outputs.json_report import write_atomic


def emit(text: str, output: str | None) -> None:
    """Writes `text` to `output` (UsageError when it cannot be), or to stdout."""
    if not output:
        sys.stdout.write(text)
        return
    try:
        write_atomic(output, text)
    except OSError as error:
        raise UsageError(f"-o {output!r}: {error.strerror or error}") from None
