"""Helpers shared by the collector step kinds (machine, network, proxy-config, tls-config).

Collectors reach the machine only through `runner.system.System` (`ctx.system`, or the
real machine when it is None), in a worker thread, each command with its own timeout.
A missing command or file becomes a `skip` outcome with reason `not-available`: a note
in the log, never a failure.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import Any

from runner.context import Context
from runner.kinds.base import StepOutcome
from runner.kinds.net.threads import in_thread
from runner.machine.system import CommandResult, LocalSystem, System
from runner.results import Status

#: Seconds one collector command may take unless the step says otherwise.
COMMAND_TIMEOUT = 10.0


def system_of(ctx: Context) -> System:
    """The machine seam of this run."""
    system: System = ctx.system if ctx.system is not None else LocalSystem()
    return system


def command_text(argv: Sequence[str]) -> str:
    """The argv as one line a support engineer can paste (never run through a shell here)."""
    return " ".join(shlex.quote(part) if " " in part else part for part in argv)


async def run_command(system: System, argv: Sequence[str], timeout: float) -> CommandResult:
    """Runs argv in a worker thread; the System bounds it with `timeout`."""
    return await in_thread(lambda: system.run(list(argv), timeout))


def command_outcome(check: str, result: CommandResult, what: str, **facts: Any) -> StepOutcome:
    """A `collected` outcome holding the command's output, or `not-available`."""
    command = command_text(result.argv)
    if not result.available:
        return StepOutcome(
            check,
            Status.SKIP,
            "not-available",
            f"{what}: `{command}` is not installed",
            command=command,
        )
    output = result.stdout if result.stdout.strip() else result.stderr
    status = Status.PASS if result.ok else Status.WARN
    reason = "timeout" if result.timed_out else "collected"
    detail = f"{what} ({result.describe()})"
    all_facts: dict[str, Any] = {"output": output.rstrip(), **facts}
    return StepOutcome(check, status, reason, detail, command=command, facts=all_facts)


def file_outcome(check: str, path: str, text: str | None, what: str, **facts: Any) -> StepOutcome:
    """A `collected` outcome holding a file's text, or `not-available` when it is missing."""
    command = f"cat {path}" if not path[1:3] == ":\\" else f'type "{path}"'
    if text is None:
        return StepOutcome(
            check, Status.SKIP, "not-available", f"{what}: {path} does not exist", command=command
        )
    all_facts: dict[str, Any] = {"path": path, "content": text.rstrip(), **facts}
    return StepOutcome(check, Status.PASS, "collected", what, command=command, facts=all_facts)
