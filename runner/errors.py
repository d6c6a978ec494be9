"""The project's exception types. Expected network failures are results, never these.

An exception nobody expected (a bug) is caught at the engine's step boundary or by the
command line's last resort, shown as one line, and its traceback logged with
`log_internal` for `runner.outputs.tracebacks` to keep in a file.
"""

from __future__ import annotations

from dataclasses import dataclass

from runner.model import Location


@dataclass(frozen=True)
class Problem:
    """One problem in a plan or in the command line, located when possible."""

    message: str
    location: Location | None = None
    #: Dotted path inside the plan, e.g. "endpoints[2].port"; empty when not applicable.
    path: str = ""

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        inside = f"{self.path}: " if self.path else ""
        return f"{where}{inside}{self.message}"


class PlanError(Exception):
    """A plan (or its variables) is invalid. Carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


#: loguru `extra` key that marks a record carrying an internal error's traceback.
INTERNAL_ERROR_MARK = "internal_error"


def log_internal(error: BaseException, what: str) -> None:
    """Logs `error`'s traceback (DEBUG) for the traceback file and `-v`'s stderr."""
    from loguru import logger  # here: commands that never log do not import loguru

    logger.bind(**{INTERNAL_ERROR_MARK: True}).opt(exception=error).debug("{} raised", what)


class UsageError(Exception):
    """A command-line value is wrong. The message is one line, shown as is; exit code 2."""
