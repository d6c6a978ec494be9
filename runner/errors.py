"""The project's exception types. Expected network failures are results, never these."""

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


class UsageError(Exception):
    """A command-line value is wrong. The message is one line, shown as is; exit code 2."""
