"""What to do, grouped by cause: one renderer for the console, the support log and its summary.

Checks that failed (or warned) for the same reason are one cause: its advice is printed once,
with the endpoints it affects; advice lines that only some of them carry are prefixed with
their names. The JSON report keeps every result's own hint.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from runner.outputs.wording import counted
from runner.reasons import REASONS
from runner.results import CheckResult, Status

_BAD = (Status.FAIL, Status.ERROR, Status.WARN)
#: Reasons that are not a cause of their own (the run stopped before the check ended).
_NOT_A_CAUSE = ("interrupted", "deadline")
#: The one word for the equivalent manual command, everywhere.
BY_HAND = "try by hand"
#: The reason of a requirement without a concrete host to test.
MANUAL = "manual-check"


@dataclass(frozen=True)
class Cause:
    """Checks that failed or warned for one reason."""

    reason: str
    results: tuple[CheckResult, ...]

    @property
    def warning_only(self) -> bool:
        """True when no required check of this cause failed."""
        bad = (Status.FAIL, Status.ERROR)
        return not any(r.status in bad and r.required for r in self.results)

    @property
    def names(self) -> list[str]:
        """The affected endpoints (or steps), once each, in order."""
        seen: dict[str, None] = {}
        for r in self.results:
            seen.setdefault(subject_name(r), None)
        return list(seen)


def subject_name(result: CheckResult) -> str:
    name = result.endpoint or result.step or result.check
    return name if result.required else f"{name} (optional)"


def causes(results: Sequence[CheckResult]) -> list[Cause]:
    """Failed, errored and warned results grouped by reason, in the order they came; causes
    of failed required checks first."""
    groups: dict[str, list[CheckResult]] = {}
    for r in results:
        if r.status in _BAD and r.reason not in _NOT_A_CAUSE:
            groups.setdefault(r.reason, []).append(r)
    # Endpoints first: a step (the clock) failing the same way is the lesser part of a cause.
    found = [
        Cause(reason, tuple(sorted(rs, key=lambda r: r.endpoint is None)))
        for reason, rs in groups.items()
    ]
    return sorted(found, key=lambda cause: cause.warning_only)


def reason_line(reason: str) -> str:
    meaning = REASONS[reason].meaning if reason in REASONS else ""
    return f"reason: {reason}" + (f" - {meaning}" if meaning else "")


#: How a hint line names the ASR error codes a failure causes (runner/engine/jobs.py).
CODES = "ASR error codes this causes: "
#: How a hint line starts that tells what is uncertain rather than what to do.
NOTE = "Note: "


def _hint_lines(result: CheckResult, notes: bool = True) -> list[str]:
    lines = [" ".join(line.split()) for line in result.hint.splitlines() if line.strip()]
    return lines if notes else [line for line in lines if not line.startswith(NOTE)]


def shared_hints(results: Sequence[CheckResult], notes: bool = True) -> list[str]:
    """Advice lines once each: lines every result carries as they are, the others prefixed
    with the names of the results that carry them; the ASR error codes in one line.
    `notes=False` leaves out the notes on what is uncertain (the console)."""
    owners: dict[str, list[str]] = {}
    for r in results:
        for line in _hint_lines(r, notes):
            names = owners.setdefault(line, [])
            if subject_name(r) not in names:
                names.append(subject_name(r))
    # A line every endpoint carries is the cause's own; steps with it say theirs apart.
    endpoints = [r for r in results if r.endpoint is not None]
    everyone = {subject_name(r) for r in endpoints or results}
    codes = {line: names for line, names in owners.items() if line.startswith(CODES)}
    lines = [
        line if everyone <= set(names) else f"{', '.join(names)}: {line}"
        for line, names in owners.items()
        if line not in codes or len(codes) == 1
    ]
    if len(codes) > 1:
        lines.append(_codes_line(codes))
    return lines


def _codes_line(owners: dict[str, list[str]]) -> str:
    """`ASR error codes this causes: entra-id 151196; asr-source, asr-target 151197, 151037.`"""
    parts = [
        f"{', '.join(names)} {line[len(CODES) :].rstrip('.')}" for line, names in owners.items()
    ]
    return f"{CODES}{'; '.join(parts)}."


def _bullets(lines: Sequence[str], width: int, indent: str) -> list[str]:
    out: list[str] = []
    for text in lines:
        if not width:
            out.append(f"{indent}- {text}")
            continue
        out += textwrap.wrap(
            text,
            max(width - 1, len(indent) + 40),  # the width includes the indent
            initial_indent=f"{indent}- ",
            subsequent_indent=f"{indent}  ",
            break_long_words=False,  # host names, URLs and paths stay whole
            break_on_hyphens=False,
        )
    return out


def _commands(results: Sequence[CheckResult]) -> list[str]:
    seen: dict[str, None] = {}
    for r in results:
        if r.command:
            seen.setdefault(r.command, None)
    return list(seen)


def advice_lines(
    results: Sequence[CheckResult],
    width: int = 0,
    indent: str = "",
    all_commands: bool = False,
    notes: bool = True,
) -> list[str]:
    """The advice for one cause: reason and meaning, what to do (one bullet per line, wrapped
    to `width` when it is not 0) and the manual command (the first, unless `all_commands`)."""
    lines = [f"{indent}{reason_line(results[0].reason)}"]
    hints = shared_hints(results, notes)
    if hints:
        lines.append(f"{indent}what to do:")
        lines += _bullets(hints, width, indent + "  ")
    commands = _commands(results)
    shown = commands if all_commands else commands[:1]
    lines += [f"{indent}{BY_HAND}: {command}" for command in shown]
    if len(commands) > len(shown):
        lines[-1] += f" (+{len(commands) - len(shown)} more in the support log)"
    return lines


def cause_lines(
    cause: Cause,
    width: int = 0,
    indent: str = "",
    all_commands: bool = False,
    notes: bool = True,
) -> list[str]:
    """One cause: the checks it affects, then its advice once."""
    count = len(cause.results)
    head = f"{indent}{cause.reason} ({counted(count, 'check')}): "
    affected = ", ".join(cause.names)
    if width:
        lines = textwrap.wrap(
            affected,
            max(width, 40),
            initial_indent=head,
            subsequent_indent=indent + "  ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    else:
        lines = [head + affected]
    return lines + advice_lines(cause.results, width, indent + "  ", all_commands, notes)


def by_hand(results: Sequence[CheckResult]) -> list[CheckResult]:
    """Requirements without a concrete host to test, once each."""
    seen: dict[str, CheckResult] = {}
    for r in results:
        if r.reason == MANUAL and r.endpoint:
            seen.setdefault(r.endpoint, r)
    return list(seen.values())


def by_hand_lines(results: Sequence[CheckResult], width: int = 0, indent: str = "") -> list[str]:
    """The requirements to check by hand: each with what to check and what to do."""
    found = by_hand(results)
    if not found:
        return []
    names = ", ".join(subject_name(r) for r in found)
    lines = [f"{indent}check by hand ({len(found)}): {names}"]
    for r in found:
        what = f"{subject_name(r)}: {r.host} on TCP {r.port}: {r.detail}"
        lines += _bullets([what], width, indent)
        lines += _bullets(_hint_lines(r), width, indent + "    ")
    return lines
