"""What a support engineer reads under a failure: the reason and its meaning, one bullet
per piece of advice, only advice that fits the failure, in the console, the support log
and the JSON report. Real loopback peers only (DNS, TLS, refusing ports)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from runner import cli
from tests.peers.dns import DnsServer
from tests.peers.tcp import refusing_port
from tests.peers.tls import HttpBehaviour, Pki, TlsServer

FIREWALL = "Open the Contoso firewall for this host."
ZONE = "Link the VNet to the privatelink zone."

ENDPOINT = """  - id: {id}
    host: {host}
    port: {port}
    purpose: Test endpoint {id}.
    docs: https://learn.microsoft.com/test
    checked: 2026-11-25
    service_tag: AzureSiteRecovery
    wildcard: "*.test"
    error_codes: ["151196"]
    uncertain: The test host is made up.
    hint: {hint}
    timeout: 3
{extra}"""


@dataclass
class Lab:
    plan: Path
    dns_port: int
    ca_bundle: str
    tmp: Path


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    pki = Pki()
    bundle = pki.write_bundle(tmp_path / "ca.pem")
    zone = {"ok.test": ["127.0.0.1"], "closed.test": ["127.0.0.1"], "mitm.test": ["127.0.0.1"]}
    with (
        TlsServer(pki, "valid", ["mitm.test"], HttpBehaviour(status=400)) as tls,
        DnsServer(zone) as dns,
    ):
        endpoints = [
            ("missing", "nope.test", 443, FIREWALL, ""),
            ("private-missing", "nope-private.test", 443, ZONE, "    address: private\n"),
            ("closed", "closed.test", refusing_port(), FIREWALL, ""),
            ("inspected", "mitm.test", tls.port, FIREWALL, "    tls_issuers: [Microsoft]\n"),
        ]
        text = (
            "plan_format: 1\nname: advice\nversion: 1.0.0\nscenario: TEST\n"
            "description: Failures of every kind.\ndefaults:\n  deadline: 30\n"
            "  routes: [default]\nendpoints:\n"
        )
        for id_, host, port, hint, extra in endpoints:
            text += ENDPOINT.format(id=id_, host=host, port=port, hint=hint, extra=extra)
        text += (
            "steps:\n  - id: clock\n    kind: clock\n"
            f"    with: {{host: 127.0.0.1, port: {refusing_port()}}}\n"
        )
        plan = tmp_path / "advice.yaml"
        plan.write_text(text, encoding="utf-8")
        yield Lab(plan, dns.address[1], bundle, tmp_path)


def run(lab: Lab, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[str, dict[str, Any]]:
    report = lab.tmp / "report.json"
    code = cli.main(
        [
            "run",
            str(lab.plan),
            "--dns-server",
            f"127.0.0.1:{lab.dns_port}",
            "--ca-bundle",
            lab.ca_bundle,
            "--json",
            str(report),
            "--output-dir",
            str(lab.tmp),
            *extra,
        ]
    )
    assert code == 1
    return capsys.readouterr().out, json.loads(report.read_text(encoding="utf-8"))


def block(console: str, first_line: str, indent: str = "  ") -> list[str]:
    """The indented lines under the console line matching `first_line` (a cause's heading)."""
    lines = console.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(first_line, line))
    under = []
    for line in lines[start + 1 :]:
        if not line.startswith(indent):
            break
        under.append(line)
    return under


def hints(report: dict[str, Any], endpoint: str | None, check: str) -> list[str]:
    (result,) = [
        r
        for r in report["results"]
        if r["check"] == check and (r["endpoint"] or r["step"]) == endpoint
    ]
    lines: list[str] = result["hint"].split("\n")
    return lines


def test_a_failure_reads_as_reason_bullets_and_command(
    lab: Lab, capsys: pytest.CaptureFixture[str]
) -> None:
    console, report = run(lab, capsys, "--no-color")
    assert re.search(r"^FAIL  tcp    closed \(closed\.test:\d+\) direct: .*refused", console, re.M)
    under = block(console, r"refused \(1 check\): closed$")
    assert under[0] == "  reason: refused - The connection was refused (RST)."
    assert under[1] == "  what to do:"
    bullets = [line for line in under if line.startswith("    - ")]
    assert bullets[0].startswith("    - Something on the path actively rejects this port")
    assert f"    - {FIREWALL}" in bullets
    assert "    - This host stands for *.test: allow that name pattern." in bullets
    assert any(b.startswith("    - Allow service tag AzureSiteRecovery (TCP ") for b in bullets)
    assert "    - ASR error codes this causes: 151196." in bullets
    # What is uncertain is a note for the support log, not advice on the console.
    assert not any("Note:" in line for line in under)
    assert under[-1].startswith("  try by hand: nc -vz closed.test ")
    assert len(under) == 2 + len(bullets) + 1  # nothing else: no run-on paragraph
    # The JSON report carries the same advice, one piece per line.
    lines = hints(report, "closed", "tcp")
    assert [f"    - {line}" for line in lines if not line.startswith("Note:")] == bullets
    assert "Note: The test host is made up." in lines


def test_a_public_name_that_does_not_resolve_gets_dns_advice_only(
    lab: Lab, capsys: pytest.CaptureFixture[str]
) -> None:
    console, report = run(lab, capsys, "--no-color")
    lines = hints(report, "missing", "dns")
    assert lines[0].startswith("If well-known public names fail too, this machine's DNS")
    assert "check the spelling of the names you gave (--var)" in lines[0]
    assert not any("storage account name, region" in line for line in lines)
    assert FIREWALL not in lines  # firewall advice cannot fix a name that does not resolve
    assert not any("service tag" in line for line in lines)
    assert "ASR error codes this causes: 151196." in lines
    # A name that must resolve privately keeps its DNS-zone advice.
    assert ZONE in hints(report, "private-missing", "dns")
    assert "NXDOMAIN from 127.0.0.1" in next(
        r["detail"] for r in report["results"] if r["endpoint"] == "missing"
    )
    assert "\n  reason: nxdomain - The resolver says the name does not exist" in console


def test_a_warning_carries_no_firewall_advice(lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    console, report = run(lab, capsys, "--no-color")
    (tls,) = [r for r in report["results"] if r["endpoint"] == "inspected" and r["check"] == "tls"]
    assert (tls["status"], tls["reason"]) == ("warn", "tls-intercepted")
    lines = tls["hint"].split("\n")
    assert any("TLS-inspecting proxy or firewall" in line for line in lines)
    assert not any(FIREWALL in line or "service tag" in line for line in lines), lines
    assert not any("error codes" in line for line in lines), lines
    under = block(console, r"tls-intercepted \(1 check\): inspected$")
    assert under[0].startswith("  reason: tls-intercepted - ")


def test_an_unreachable_proxy_is_not_blamed_on_the_endpoint_firewall(
    lab: Lab, capsys: pytest.CaptureFixture[str]
) -> None:
    _, report = run(lab, capsys, "--proxy", f"127.0.0.1:{refusing_port()}")
    results = [r for r in report["results"] if r["endpoint"] == "closed" and r["check"] == "proxy"]
    assert [(r["status"], r["reason"]) for r in results] == [("fail", "proxy-unreachable")]
    lines = results[0]["hint"].split("\n")
    assert lines[0].startswith("Check the proxy address and port")
    assert not any(FIREWALL in line or "service tag" in line for line in lines), lines
    assert "ASR error codes this causes: 151196." in lines


def test_the_support_log_lists_advice_as_bullets(
    lab: Lab, capsys: pytest.CaptureFixture[str]
) -> None:
    run(lab, capsys, "--no-color")
    (log,) = lab.tmp.glob("CheckNWResult_*.log")
    text = log.read_text(encoding="utf-8")
    checks, summary = text.split(" 7. Summary")
    assert re.search(
        r"\[FAIL\]  tcp: .*\n.*reason: refused\n"
        r"\s+what to do:\n\s+- Something on the path actively rejects this port.*\n"
        r"(\s+- .*\n)+\s+try by hand: nc -vz closed\.test ",
        checks,
    ), checks
    assert re.search(r"  - closed tcp via direct: .* \[refused\]\n", summary), summary
    pattern = (
        r"What to do, by cause \(\d+\):\n(.*\n)*  refused \(1 check\): closed\n"
        r"    reason: refused - .*\n    what to do:\n"
        r"\s+- Something on the path.*\n(\s+- .*\n)+\s+try by hand: nc -vz closed\.test "
    )
    assert re.search(pattern, summary), summary
    assert "hint: " not in text


def test_the_clock_says_why_it_could_not_read_the_time(
    lab: Lab, capsys: pytest.CaptureFixture[str]
) -> None:
    _, report = run(lab, capsys, "--no-color")
    (clock,) = [r for r in report["results"] if r["step"] == "clock"]
    assert (clock["status"], clock["reason"]) == ("warn", "http-error")
    assert clock["detail"].startswith("clock not checked: could not read the time from 127.0.0.1")
    assert "ConnectError" in clock["detail"] and "refused" in clock["detail"].lower()
    assert "The checks of 127.0.0.1 show why it cannot be reached." in clock["hint"].split("\n")
