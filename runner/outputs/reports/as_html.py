"""One self-contained HTML file: inline style, no scripts, readable when printed."""

from __future__ import annotations

import html
from collections.abc import Sequence

from runner.outputs.reports import fleet
from runner.outputs.reports.load import Missing, Problem, Report
from runner.outputs.wording import counted

STYLE = """body{font-family:sans-serif;margin:1.5em;color:#111}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #999;padding:.2em .4em;
text-align:left;vertical-align:top}.fail{background:#fdd}.warn{background:#ffd}
.pass{background:#dfd}code{white-space:pre-wrap}
@media print{body{margin:0}section{page-break-inside:avoid}}"""


def h(value: str) -> str:
    return html.escape(value, quote=True)


def _row(cells: Sequence[str], cls: str = "") -> str:
    attr = f' class="{h(cls)}"' if cls else ""
    return f"<tr{attr}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _single(report: Report, level: int) -> list[str]:
    out = [
        f'<section class="machine"><h{level}>asrcheck report: {h(report.label)}</h{level}>',
        "<ul>",
        f'<li>Verdict: <strong class="{h(report.verdict)}">'
        f"{h(report.verdict.upper())}</strong></li>",
        f"<li>Plan: {h(report.plan('name'))} {h(report.plan('version'))}</li>",
        f"<li>Machine: {h(fleet.machine_line(report))}</li>",
        f"<li>Routes: {h(', '.join(fleet.routes(report)) or '-')}</li>",
        "</ul>",
    ]
    manual = fleet.by_hand(report)
    if manual:
        out += ["<p>To check by hand:</p><ul>", *(f"<li>{h(x)}</li>" for x in manual), "</ul>"]
    bad = fleet.failures(report)
    if not bad:
        return [*out, "<p>No failures.</p></section>"]
    out.append(
        '<table class="failures"><tr><th>Status</th><th>Stage</th><th>Check</th>'
        "<th>Route</th><th>Reason</th><th>What was seen</th><th>What to do</th>"
        "<th>Try by hand</th></tr>"
    )
    for r in bad:
        status = fleet.effective(r)
        out.append(
            _row(
                [
                    h(status.upper()),
                    h(fleet.text(r, "check")),
                    h(fleet.subject(r)),
                    h(fleet.route(r)),
                    h(fleet.text(r, "reason")),
                    h(fleet.text(r, "detail")),
                    "<br>".join(h(line) for line in fleet.hint_lines(r)),
                    f"<code>{h(fleet.text(r, 'command'))}</code>",
                ],
                status,
            )
        )
    return [*out, "</table></section>"]


def _many(reports: Sequence[Report], missing: Sequence[Missing]) -> list[str]:
    names = fleet.endpoints(reports)
    out = [
        "<h1>asrcheck fleet report</h1>",
        f"<p>{counted(len(reports), 'report')}, {counted(len(missing), 'machine')}"
        " without report.</p>",
        '<h2>Matrix</h2><table class="matrix"><tr><th>Machine</th><th>Verdict</th>'
        + "".join(f"<th>{h(n)}</th>" for n in names)
        + "</tr>",
    ]
    for r in reports:
        cells = "".join(
            f'<td class="{h(c)}">{h(c.upper())}</td>' for c in (fleet.cell(r, n) for n in names)
        )
        out.append(
            f'<tr><td>{h(r.label)}</td><td class="{h(r.verdict)}">'
            f"{h(r.verdict.upper())}</td>{cells}</tr>"
        )
    out += ["</table>", '<h2>Failures by cause</h2><ul class="causes">']
    for g in fleet.groups(reports):
        out.append(
            f'<li class="{h(g.status)}"><strong>{h(g.status.upper())}</strong> {h(g.subject)} '
            f"{h(g.check)} {h(g.reason)} on {len(g.machines)} of "
            f"{counted(len(reports), 'machine')}: "
            f"{h(g.hint)} ({h(', '.join(g.machines))})</li>"
        )
    stopped = [h(r.label) for r in reports if fleet.stopped(r)]
    out += ["</ul>", f"<h2>Interrupted runs</h2><p>{', '.join(stopped) or 'None.'}</p>"]
    out.append('<h2>Machines without report</h2><ul class="missing">')
    out += [f"<li>{h(m.label)}: {h(m.why)}</li>" for m in missing] or ["<li>None.</li>"]
    out.append("</ul>")
    for r in reports:
        out += _single(r, 2)
    return out


def render(
    reports: Sequence[Report], missing: Sequence[Missing], problems: Sequence[Problem]
) -> str:
    body = _single(reports[0], 1) if len(reports) == 1 and not missing else _many(reports, missing)
    body += [f'<p class="problem">Unusable file {h(p.path)}: {h(p.why)}</p>' for p in problems]
    head = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>asrcheck report</title><style>{STYLE}</style></head><body>"
    )
    return head + "\n" + "\n".join(body) + "\n</body></html>\n"
