"""Every exit code asrcheck returns, by name, and the one mapping from outcomes to them.

Commands return these names, never numbers; `asrcheck --help` and the README document them.
"""

from __future__ import annotations

from runner.errors import PlanError, UsageError

OK = 0
#: A required check failed (`run`), the plans differ (`diff`), a machine failed (`report`).
FAILED = 1
#: An invalid plan, variable, report file or command-line value.
USAGE = 2
#: An internal error (its traceback kept in a file), a file missing from the installation,
#: or a run whose support log or JSON report could not be written.
INTERNAL = 3
#: Ctrl+C or SIGTERM.
INTERRUPTED = 130

_OF_VERDICT = {"pass": OK, "warn": OK, "fail": FAILED, "interrupted": INTERRUPTED}


def for_verdict(verdict: str, *, strict: bool = False) -> int:
    """A run's verdict: 0 pass or warn (1 with `strict`), 1 fail, 130 interrupted."""
    if strict and verdict == "warn":
        return FAILED
    return _OF_VERDICT[verdict]


def for_run(verdict: str, *, strict: bool = False, output_lost: bool = False) -> int:
    """The verdict's code, but never success when an output could not be written."""
    code = for_verdict(verdict, strict=strict)
    return INTERNAL if output_lost and code == OK else code


def for_error(error: BaseException) -> int:
    """An exception that ended a command: 2 a wrong plan or value, 130 Ctrl+C, else 3."""
    if isinstance(error, (PlanError, UsageError)):
        return USAGE
    if isinstance(error, KeyboardInterrupt):
        return INTERRUPTED
    return INTERNAL
