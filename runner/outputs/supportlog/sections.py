"""Text of the support log: the header, one block per result, and the ordered sections.

Pure functions from run records to text; `outputs.supportlog.sink` writes and masks them.
Sections, in the order support reads them: 1 run header, 2 machine, 3 proxy, 4 TLS,
5 clock, 6 checks by endpoint (with other steps, and a timeline of results in the order
they finished), 7 summary, whose last line is `Script Completed` or `INTERRUPTED: ...`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from runner import peer_text, registry
from runner.events import RunInfo, RunReport
from runner.model import Endpoint, Plan
from runner.outputs import advice, columns
from runner.results import CheckResult, Status

RULE = "=" * 78
#: The longest fact line shown in the log (the JSON report keeps the whole value).
_FACT_LIMIT = 500
TITLES = {
    1: "Run",
    2: "Machine",
    3: "Proxy",
    4: "TLS",
    5: "Clock",
    6: "Checks by endpoint",
    7: "Summary",
}
#: The sections a step kind may name as its `LOG_SECTION`; any other goes to section 6.
_STEP_SECTIONS = {TITLES[number]: number for number in (2, 3, 4, 5)}


def heading(number: int) -> str:
    return f"\n{RULE}\n {number}. {TITLES[number]}\n{RULE}\n"


def both_times(iso: str) -> str:
    """ "2026-11-25 18:30:00 UTC / 2026-11-25 19:30:00 CET (UTC+0100)" from ISO 8601."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    utc, local = moment.astimezone(timezone.utc), moment.astimezone()
    return (
        f"{utc:%Y-%m-%d %H:%M:%S} UTC / {local:%Y-%m-%d %H:%M:%S} {local.tzname()} (UTC{local:%z})"
    )


def header(info: RunInfo, state: str, report: RunReport | None = None) -> str:
    """Section 1: tool, plan, masked command line, times, state, settings."""
    plan = info.plan
    lines = [
        RULE,
        " asrcheck support log - Azure Site Recovery network check",
        " 1. Run",
        RULE,
        f"Tool:          asrcheck {info.tool_version}",
        f"Plan:          {plan.name} {plan.version} ({plan.source}), scenario {plan.scenario}",
        f"Command line:  {info.command_line}",
        f"Started:       {both_times(info.started_at)}",
    ]
    if report is not None:
        lines.append(f"Ended:         {both_times(report.finished_at)}")
        lines.append(f"Duration:      {report.duration_s:.1f} s")
    lines.append(f"State:         {state}")
    lines.append(f"Log file:      {info.log_path or '-'}")
    lines += _mapping_lines("Variables", plan.masked_variables())
    sections = {s.name: f"{'on' if s.enabled else 'off'} ({s.why})" for s in plan.sections}
    lines += _mapping_lines("Sections", sections)
    lines += _mapping_lines("Settings", info.settings)
    return "\n".join(lines) + "\n"


def _mapping_lines(title: str, values: Mapping[str, Any]) -> list[str]:
    if not values:
        return []
    rows = [
        [key, _safe(value if isinstance(value, str) else json.dumps(value, default=str))]
        for key, value in values.items()
    ]
    return [f"{title}:", *columns.align(rows, indent="  ")]


def _fact_lines(facts: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for key, value in facts.items():
        if value in (None, "", [], {}):
            continue
        if isinstance(value, str) and "\n" in value:
            lines.append(f"    {key}:")
            lines += [f"      | {_safe(line)}" for line in value.splitlines()]
        elif isinstance(value, (dict, list)):
            text = json.dumps(value, indent=2, default=str, ensure_ascii=False)
            lines.append(f"    {key}:")
            lines += [f"      {_safe(line)}" for line in text.splitlines()]
        else:
            lines.append(f"    {key}: {_safe(str(value))}")
    return lines


def _safe(line: str) -> str:
    """A fact line as the log shows it: peer text escaped and cut (the JSON keeps it)."""
    return peer_text.shown(line, _FACT_LIMIT)


def result_block(result: CheckResult, with_facts: bool = True, where: bool = False) -> str:
    """One result: status, check, detail, the manual command, the hint and the facts."""
    block = _block(result, with_facts)
    return with_place(result, block) if where else block


def with_place(result: CheckResult, block: str) -> str:
    """`result_block(..., where=True)` from the block without the place (not rendered again)."""
    label = _label(result)
    place = f"{result.endpoint or result.step or '-'} "
    if result.route is not None:
        place += f"via {result.route.label()} "
    return label + place + block[len(label) :]


def _label(result: CheckResult) -> str:
    return f"[{result.status.value.upper()}]".ljust(8)


def _block(result: CheckResult, with_facts: bool) -> str:
    lines = [f"{_label(result)}{result.check}: {result.detail}"]
    if result.endpoint is None and result.route is not None:  # a routed step (blob-upload)
        agent = " [the ASR agent takes this route]" if result.route.agent else ""
        why = f" - {result.route.why}" if result.route.why else ""
        lines.append(f"    route: {result.route.label()}{agent}{why}")
    if result.reason not in ("ok", "collected"):
        lines.append(f"    reason: {result.reason}" + ("" if result.required else " (optional)"))
    if result.hint and result.status is not Status.PASS:
        lines.append("    what to do:")
        lines += [f"      - {line}" for line in advice.shared_hints([result])]
    if result.command:
        lines.append(f"    {advice.BY_HAND}: {result.command}")
    if with_facts:
        lines += _fact_lines(result.facts)
    return "\n".join(lines) + "\n"


#: Renders one result's block (`result_block`, or one already rendered).
Block = Callable[[CheckResult], str]


def _kind_of(plan: Plan, result: CheckResult) -> str | None:
    for step in plan.steps:
        if step.id == result.step:
            return step.kind
    return None


def section_of(plan: Plan, result: CheckResult) -> int:
    """The log section (2..6) a result is shown in."""
    if result.endpoint is not None:
        return 6
    kind = _kind_of(plan, result) or result.check.split(":")[0]
    return _STEP_SECTIONS.get(registry.log_section(kind), 6)


def steps_text(plan: Plan, results: Sequence[CheckResult], block: Block = result_block) -> str:
    """Step results grouped by step in plan order, each group under the step's title."""
    order = {step.id: index for index, step in enumerate(plan.steps)}
    titles = {step.id: step.title or step.kind for step in plan.steps}
    groups: dict[str, list[CheckResult]] = {}
    for result in results:
        groups.setdefault(result.step or "-", []).append(result)
    text = ""
    for step_id in sorted(groups, key=lambda name: order.get(name, len(order))):
        text += f"# {titles.get(step_id, step_id)} (step {step_id})\n"
        text += "".join(block(r) for r in groups[step_id])
    return text


def step_section(
    number: int, plan: Plan, results: Sequence[CheckResult], block: Block = result_block
) -> str:
    """Sections 2 to 5: the collector results that belong there."""
    mine = [r for r in results if r.endpoint is None and section_of(plan, r) == number]
    body = steps_text(plan, mine, block) or "(nothing collected: step not in the plan)\n"
    if number == 3:
        routes = agent_routes(plan, results)
        body += f"\n{routes}" if routes else ""
    return heading(number) + body


def agent_routes(plan: Plan, results: Sequence[CheckResult]) -> str:
    """End of section 3: the route the ASR agent takes to each endpoint, as checked."""
    taken: dict[str, str] = {}
    for result in results:
        if result.endpoint and result.route is not None and result.route.agent:
            why = f" - {result.route.why}" if result.route.why else ""
            taken.setdefault(result.endpoint, f"{result.route.label()}{why}")
    if not taken:
        return ""
    lines = ["Route the ASR agent takes, per endpoint:"]
    lines += [f"  {e.id}: {taken[e.id]}" for e in plan.endpoints if e.id in taken]
    return "\n".join(lines) + "\n"


def _endpoint_block(endpoint: Endpoint, results: Sequence[CheckResult], block: Block) -> str:
    need = "required" if endpoint.required else "optional"
    lines = [f"--- {endpoint.id}: {endpoint.host}:{endpoint.port} ({need}) ---"]
    lines.append(f"Purpose: {endpoint.purpose}")
    if endpoint.wildcard:
        lines.append(f"Stands for: {endpoint.wildcard}")
    if not endpoint.enabled:
        lines.append(f"Not checked: {endpoint.skip_reason or 'disabled'}")
    text = "\n".join(lines) + "\n"
    routes: dict[str, list[CheckResult]] = {}
    for result in results:
        key = result.route.label() if result.route else "-"
        routes.setdefault(key, []).append(result)
    for label, items in routes.items():
        agent = items[0].route is not None and items[0].route.agent
        why = items[0].route.why if items[0].route else ""
        text += f"  Route: {label}{' [the ASR agent takes this route]' if agent else ''}"
        text += f"{' - ' + why if why else ''}\n"
        text += "".join("    " + block(r).replace("\n    ", "\n        ") for r in items)
    if enabled_without_results(endpoint, results):
        text += "  (no result: the run ended before this endpoint was checked)\n"
    return text + "\n"


def enabled_without_results(endpoint: Endpoint, results: Sequence[CheckResult]) -> bool:
    return endpoint.enabled and not results


def endpoint_section(
    plan: Plan, results: Sequence[CheckResult], block: Block = result_block
) -> str:
    """Section 6: other steps, then every endpoint in plan order with its results."""
    text = heading(6)
    others = [r for r in results if r.endpoint is None and section_of(plan, r) == 6]
    if others:
        text += "Other steps:\n" + steps_text(plan, others, block) + "\n"
    by_endpoint: dict[str, list[CheckResult]] = {}
    for result in results:
        if result.endpoint is not None:
            by_endpoint.setdefault(result.endpoint, []).append(result)
    for endpoint in plan.endpoints:
        text += _endpoint_block(endpoint, by_endpoint.pop(endpoint.id, []), block)
    for name, items in by_endpoint.items():  # results of endpoints the plan does not list
        text += f"--- {name} ---\n" + "".join(with_place(r, block(r)) for r in items)
    return text


def timeline(results: Iterable[tuple[str, CheckResult]]) -> str:
    """The end of section 6: one line per result, in the order results arrived."""
    lines = [
        f"{stamp}  {r.status.value.upper():5}  {r.endpoint or r.step or '-'}  {r.check}"
        f"{'  via ' + r.route.label() if r.route else ''}  {r.reason}"
        for stamp, r in results
    ]
    title = "Timeline: results in the order they finished (local time)"
    return f"{title}\n{'-' * len(title)}\n" + "\n".join(lines) + "\n"
