"""Console goldens of whole runs against real loopback peers, from test plans built here (not
the built-in plans): the no-DNS run prints its cause and advice once, sections that are off
take one line, and --quiet keeps one line per cause."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from runner import cli
from tests.peers.dns import DnsServer

HEAD = (
    "plan_format: 1\nname: golden\nversion: 1.0.0\nscenario: TEST\n"
    "description: Console goldens.\ndefaults:\n  deadline: 30\n  routes: [default]\n"
    "sections:\n"
    "  keyvault:\n    description: Key Vault.\n    enabled: false\n"
    "  automation:\n    description: Automation.\n    enabled: false\n"
    "endpoints:\n"
)
ENDPOINT = """  - id: {id}
    host: {id}.golden.test
    port: 443
    purpose: Test endpoint {id}.
    docs: https://learn.microsoft.com/test
    checked: 2026-11-25
    error_codes: ["151196"]
    timeout: 3
{extra}"""
ENDPOINTS = ["entra", "asr-source", "asr-target", "storage", "servicebus"]
OFF = [("kv-a", "keyvault"), ("kv-b", "keyvault"), ("auto", "automation")]


def _plan(tmp_path: Path) -> Path:
    text = HEAD + "".join(ENDPOINT.format(id=e, extra="") for e in ENDPOINTS)
    text += "".join(ENDPOINT.format(id=e, extra=f"    section: {s}\n") for e, s in OFF)
    path = tmp_path / "golden.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    with DnsServer({}) as dns:
        code = cli.main(
            [
                "run",
                str(_plan(tmp_path)),
                "--dns-server",
                f"127.0.0.1:{dns.address[1]}",
                "--no-proxy",
                "--no-color",
                "--output-dir",
                str(tmp_path),
                *extra,
            ]
        )
    assert code == 1
    out = capsys.readouterr().out
    return re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", out)


def _between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


CAUSE = """\
nxdomain (5 checks): entra, asr-source, asr-target, storage, servicebus
  reason: nxdomain - The resolver says the name does not exist (NXDOMAIN or no such name).
  what to do:
"""


def test_no_dns_run_gives_the_cause_once_and_fits_a_screen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(tmp_path, capsys)
    lines = out.splitlines()
    before_table = out.split("\nendpoint ", 1)[0]
    at_80 = sum(max(1, -(-len(line) // 80)) for line in before_table.splitlines())
    assert at_80 < 40, before_table
    assert "SKIP" not in before_table  # stages after a failure are folded into it
    # One evidence line per lookup; no advice under them.
    evidence = [line for line in lines if line.startswith("FAIL  dns ")]
    assert len(evidence) == 5
    assert all("does not exist (NXDOMAIN from 127.0.0.1)" in line for line in evidence)
    # The run-wide finding leads, then the cause once with every endpoint it affects.
    finding = next(i for i, line in enumerate(lines) if line.startswith("No name resolved"))
    assert lines[finding + 1] == CAUSE.splitlines()[0]  # the finding heads its cause
    assert out.count(CAUSE) == 1
    assert out.count("reason: nxdomain") == 1
    assert out.count("ASR error codes this causes: 151196.") == 1
    block = _between(out, CAUSE, "\n\n").splitlines()
    assert block[-1] == (
        "  try by hand: nslookup entra.golden.test 127.0.0.1 (+4 more in the support log)"
    )
    assert "VERDICT: FAIL: a required check failed: fix the causes above" in out


def test_sections_off_take_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(tmp_path, capsys)
    assert "off: keyvault, automation: --enable NAME to check them\n" in out
    assert not re.search(r"^SKIP .*(kv-a|kv-b|auto) ", out, re.M)
    assert "section keyvault is off" not in out.split("\nendpoint ", 1)[0]
    # The support log keeps every skip.
    (log,) = tmp_path.glob("CheckNWResult_*.log")
    text = log.read_text(encoding="utf-8")
    assert text.count("section keyvault is off") >= 2


def test_quiet_keeps_the_finding_and_one_line_per_cause(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(tmp_path, capsys, "--quiet")
    assert "FAIL  dns" not in out and "what to do:" not in out
    assert "\nfailed: nxdomain: entra, asr-source, asr-target, storage, servicebus\n" in out
    assert out.count("No name resolved (all 5 DNS lookups failed: nxdomain): fix DNS first.") == 1
    assert "the support log says what to do for each" in out


def test_the_support_log_summary_groups_by_cause(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(tmp_path, capsys)
    (log,) = tmp_path.glob("CheckNWResult_*.log")
    summary = log.read_text(encoding="utf-8").split(" 7. Summary", 1)[1]
    assert summary.index("No name resolved") < summary.index("Failed checks (5):")
    assert "What to do, by cause (1):\n  nxdomain (5 checks): entra, asr-source," in summary
    assert summary.count("reason: nxdomain - ") == 1
    commands = re.findall(r"try by hand: nslookup (\S+)", summary)
    assert commands == [f"{e}.golden.test" for e in ENDPOINTS]  # every command, for support
