"""`asrcheck run` end to end: a plan with endpoints in every failure mode, real peers,
console verdicts, exit codes and a JSON report valid against schemas/report.schema.json."""

from __future__ import annotations

import argparse
import json
import re
import socket
from pathlib import Path
from typing import Any, ClassVar

import jsonschema
import pytest

from runner import cli, registry
from runner.commands.run import parse_dns_server
from runner.context import Context
from runner.errors import UsageError
from runner.kinds.base import Probe, StageOutcome, StepOutcome
from runner.model import Step
from runner.resources import schemas_dir
from runner.results import Status
from tests.peers.dns import DnsServer
from tests.peers.proxy import ConnectProxy
from tests.peers.tcp import refusing_port
from tests.peers.tls import HttpBehaviour, Pki, TlsServer

SCHEMA = json.loads((schemas_dir() / "report.schema.json").read_text())

ENDPOINT = """
  - id: {id}
    host: {host}
    port: {port}
    purpose: Test endpoint {id}.
    docs: https://learn.microsoft.com/test
    checked: 2026-11-25
    required: {required}
    service_tag: AzureSiteRecovery
    error_codes: ["151196"]
    timeout: 2
"""

HEAD = """plan_format: 1
name: every-failure
version: 1.0.0
scenario: TEST
description: Endpoints in every failure mode.
vars:
  token:
    type: string
    description: A secret.
    default: hunter2-secret
    secret: true
defaults:
  deadline: 30
  routes: [default]
sections:
  optional:
    description: An optional section.
    enabled: false
endpoints:
"""


def _plan(tmp_path: Path, endpoints: list[tuple[str, str, int, bool]]) -> str:
    text = HEAD + "".join(
        ENDPOINT.format(id=i, host=h, port=p, required=str(r).lower()) for i, h, p, r in endpoints
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    return str(path)


def validate(document: dict[str, Any]) -> dict[str, Any]:
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    return document


def test_every_failure_mode(
    pki: Pki,
    ca_bundle: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HTTPS_PROXY", raising=False)
    monkeypatch.delenv("https_proxy", raising=False)
    with (
        TlsServer(pki, "valid", ["ok.test"], HttpBehaviour(status=400)) as good,
        TlsServer(pki, "untrusted", ["mitm.test"]) as mitm,
        DnsServer(
            {"ok.test": ["127.0.0.1"], "mitm.test": ["127.0.0.1"], "down.test": ["127.0.0.1"]}
        ) as dns,
    ):
        plan = _plan(
            tmp_path,
            [
                ("healthy", "ok.test", good.port, True),
                ("missing", "nope.test", 443, True),
                ("closed", "down.test", refusing_port(), True),
                ("inspected", "mitm.test", mitm.port, False),
            ],
        )
        out = tmp_path / "report.json"
        argv = ["run", plan, "--dns-server", f"127.0.0.1:{dns.port}", "--ca-bundle", ca_bundle]
        code = cli.main([*argv, "--json", str(out), "--no-color", "--no-proxy"])
    console = capsys.readouterr().out
    assert code == 1
    assert re.search(r"^PASS  http   healthy \(ok\.test:\d+\) direct.*400", console, re.M)
    assert re.search(r"^FAIL  dns    missing \(nope\.test:443\).*NXDOMAIN", console, re.M)
    assert "\nnxdomain (1 check): missing\n  reason: nxdomain" in console
    assert "\n  try by hand: nslookup nope.test 127.0.0.1" in console
    assert re.search(r"^FAIL  tcp    closed .*refused", console, re.M)
    assert re.search(r"^FAIL  tls    inspected .*Contoso TLS Inspection", console, re.M)
    assert "Allow service tag AzureSiteRecovery" in console
    verdict = "VERDICT: FAIL: a required check failed: fix the causes above"
    assert f"{verdict} (see 'what to do' under each)\n" in console
    assert console.rstrip().endswith("Script Completed")
    assert "ASR error codes this causes: 151196." in console
    assert "\033[" not in console
    report = validate(json.loads(out.read_text()))
    assert report["summary"]["verdict"] == "fail" and report["summary"]["exit_code"] == 1
    assert report["machine"]["hostname"] == socket.gethostname()
    assert report["machine"]["azure"] is None  # not an Azure VM: IMDS was not asked
    assert report["plan"]["variables"]["token"] == "***"
    assert "hunter2-secret" not in out.read_text() + console
    reasons = {(r["endpoint"], r["check"]): r["reason"] for r in report["results"]}
    assert reasons[("missing", "dns")] == "nxdomain"
    assert reasons[("closed", "tcp")] == "refused"
    assert reasons[("inspected", "tls")] == "cert-untrusted"
    assert report["plan"]["sections"] == [
        {
            "name": "optional",
            "description": "An optional section.",
            "enabled": False,
            "why": "default",
        }
    ]
    assert not list(tmp_path.glob(".report.json.*"))  # no temporary file left behind


def test_quiet_json_to_stdout_and_proxy_credentials(
    pki: Pki,
    ca_bundle: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ASRCHECK_PROXY_PASSWORD", "pr0xy-pass")
    with (
        TlsServer(pki, "valid", ["ok.test"]) as good,
        ConnectProxy(
            {"ok.test": good.port}, mode="auth", credentials=("bob", "pr0xy-pass")
        ) as proxy,
        DnsServer({}) as dns,
    ):
        plan = _plan(tmp_path, [("healthy", "ok.test", 443, True)])
        argv = ["run", plan, "--dns-server", f"127.0.0.1:{dns.port}", "--ca-bundle", ca_bundle]
        argv += ["--proxy", proxy.url, "--proxy-user", "bob", "--format", "json", "-q"]
        code = cli.main(argv)
    captured = capsys.readouterr()
    assert code == 0  # the warning does not fail the run
    report = validate(json.loads(captured.out))
    assert report["summary"]["verdict"] == "warn"
    proxy_result = report["results"][0]
    assert (proxy_result["check"], proxy_result["reason"]) == ("proxy", "proxy-auth-unsupported")
    assert proxy_result["route"]["proxy"] == f"http://bob:***@127.0.0.1:{proxy.port}"
    assert "pr0xy-pass" not in captured.out + captured.err
    assert report["command_line"].startswith(f"asrcheck run {plan} --dns-server 127.0.0.1:")
    assert f"--proxy {proxy.url} --proxy-user bob" in report["command_line"]
    assert report["command_line"].endswith("--quiet --format json")
    assert "VERDICT: WARN" in captured.err
    assert "PASS " not in captured.err  # quiet: no per-check lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.0.0.4", ("10.0.0.4", 53)),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("::1", ("::1", 53)),
        ("[::1]:54", ("::1", 54)),
    ],
)
def test_dns_server_values(text: str, expected: tuple[str, int]) -> None:
    assert parse_dns_server(text) == expected


@pytest.mark.parametrize("text", ["dns.example.com", "1.2.3.4:0", "1.2.3.4:x", "[::1]:99999"])
def test_bad_dns_server_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="--dns-server"):
        parse_dns_server(text)


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = _plan(tmp_path, [("healthy", "ok.test", 443, True)])
    assert cli.main(["run", plan, "--dns-server", "bogus"]) == 2
    assert cli.main(["run", plan, "--ca-bundle", str(tmp_path / "missing.pem")]) == 2
    assert cli.main(["run", plan, "--proxy-user", "bob"]) == 2
    assert cli.main(["run", plan, "--json", str(tmp_path / "nowhere" / "r.json")]) == 2
    assert "asrcheck: --dns-server 'bogus'" in capsys.readouterr().err


def test_report_schema_file_is_current() -> None:
    from runner.outputs.report_schema import render
    from runner.reasons import REASONS

    assert (schemas_dir() / "report.schema.json").read_text() == render(), (
        "regenerate: python -m runner.outputs.report_schema > schemas/report.schema.json"
    )
    enum = SCHEMA["properties"]["results"]["items"]["properties"]["reason"]["enum"]
    assert enum == list(REASONS)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


class _Broken:
    SUMMARY = "raises"

    async def run(self, probe: Probe, ctx: Context) -> StageOutcome:
        raise RuntimeError("kaboom")


@pytest.mark.parametrize("verbose", [False, True])
def test_internal_error_traceback_only_with_verbose(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    verbose: bool,
) -> None:
    monkeypatch.setitem(registry.STAGES, "broken", _Broken())
    plan = Path(_plan(tmp_path, [("e", "127.0.0.1", 9, True)]))
    plan.write_text(
        plan.read_text().replace("    timeout: 2\n", "    timeout: 2\n    chain: [broken]\n")
    )
    code = cli.main(["run", str(plan), "--no-color", *(["-v"] if verbose else [])])
    captured = capsys.readouterr()
    assert code == 1
    assert "ERROR broken e (127.0.0.1:9) direct: RuntimeError: kaboom" in captured.out
    assert ("Traceback" in captured.err) is verbose


class _Leaky:
    SUMMARY = "raises with a secret in its message"
    PARAMS_SCHEMA: ClassVar[dict[str, object]] = {"type": "object"}

    async def run(self, step: Step, ctx: Context) -> list[StepOutcome]:
        raise RuntimeError("kaboom hunter2-secret")


def test_internal_error_traceback_beside_the_support_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(registry.STEPS, "leaky", _Leaky())
    plan = Path(_plan(tmp_path, [("e", "127.0.0.1", 9, True)]))
    plan.write_text(plan.read_text() + "steps:\n  - id: leak\n    kind: leaky\n")
    code = _run_into_out(tmp_path, plan)
    out = capsys.readouterr().out
    (log,) = (tmp_path / "out").glob("CheckNWResult_*[0-9].log")
    kept = log.with_name(log.stem + ".internal-errors.log")
    assert code == 1
    line = next(text for text in out.splitlines() if "RuntimeError: kaboom" in text)
    assert line.endswith(f"RuntimeError: kaboom *** (traceback in {kept})")
    text = kept.read_text()
    assert "step leak (leaky) raised" in text and "Traceback" in text
    assert "RuntimeError: kaboom ***" in text and "hunter2-secret" not in text
    assert text.count("Traceback") == 1
    assert f"(traceback in {kept})" in log.read_text()
    assert f"Send {kept} with it: it holds the traceback." in log.read_text()


def _run_into_out(tmp_path: Path, plan: Path) -> int:
    """`asrcheck run PLAN` with its support log and traceback file in tmp_path/out."""
    (tmp_path / "out").mkdir()
    return cli.main(["run", str(plan), "--no-color", "--output-dir", str(tmp_path / "out")])


class _FailsToClose:
    SUMMARY = "passes, then fails to release what it shared"

    async def run(self, probe: Probe, ctx: Context) -> StageOutcome:
        return StageOutcome(Status.PASS, "ok", "fine")

    async def end_run(self) -> None:
        raise RuntimeError("closing failed")


def test_a_failing_end_run_keeps_its_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(registry.STAGES, "closer", _FailsToClose())
    plan = Path(_plan(tmp_path, [("e", "127.0.0.1", 9, True)]))
    plan.write_text(
        plan.read_text().replace("    timeout: 2\n", "    timeout: 2\n    chain: [closer]\n")
    )
    code = _run_into_out(tmp_path, plan)
    capsys.readouterr()
    (kept,) = (tmp_path / "out").glob("*.internal-errors.log")
    assert code == 0  # the results were out before the kinds were closed
    assert "end_run of" in kept.read_text() and "RuntimeError: closing failed" in kept.read_text()


def test_no_traceback_file_without_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _plan(tmp_path, [("e", "127.0.0.1", 9, True)])
    assert _run_into_out(tmp_path, Path(plan)) == 1
    capsys.readouterr()
    assert len(list((tmp_path / "out").glob("CheckNWResult_*.log"))) == 1
    assert [p.name for p in (tmp_path / "out").iterdir() if "internal-errors" in p.name] == []


def test_cli_last_resort_keeps_the_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from runner.commands import kinds

    def broken(args: argparse.Namespace) -> int:
        raise KeyError("lost")

    monkeypatch.setattr(kinds, "main", broken)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    assert cli.main(["kinds"]) == 3
    err = capsys.readouterr().err.strip()
    (kept,) = tmp_path.glob("asrcheck-internal-error-*.log")
    assert err == f"asrcheck: internal error: KeyError: 'lost' (traceback in {kept})"
    assert "Traceback" in kept.read_text() and "KeyError: 'lost'" in kept.read_text()


def test_https_proxy_and_no_proxy_from_the_environment(
    pki: Pki,
    ca_bundle: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with (
        TlsServer(pki, "valid", ["via.test", "skip.test"]) as good,
        ConnectProxy({"via.test": good.port}) as proxy,
        DnsServer({"skip.test": ["127.0.0.1"]}) as dns,
    ):
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "localhost,.skip.test,skip.test")
        plan = _plan(
            tmp_path, [("via", "via.test", 443, True), ("direct", "skip.test", good.port, True)]
        )
        out = tmp_path / "r.json"
        argv = ["run", plan, "--dns-server", f"127.0.0.1:{dns.port}", "--ca-bundle", ca_bundle]
        code = cli.main([*argv, "--json", str(out)])
    capsys.readouterr()
    assert code == 0
    report = validate(json.loads(out.read_text()))
    routes = {(r["endpoint"], r["check"]): r["route"] for r in report["results"]}
    assert routes[("via", "proxy")]["source"] == "env"
    assert routes[("direct", "dns")]["source"] == "no-proxy"
    assert "NO_PROXY entry .skip.test" in routes[("direct", "dns")]["why"]
    assert report["settings"]["env_proxy"] == f"{proxy.url} (env)"


@pytest.mark.parametrize(("strict", "expected"), [(False, 0), (True, 1)])
def test_strict_turns_a_warning_into_exit_1(
    tmp_path: Path,
    ca_bundle: str,
    pki: Pki,
    capsys: pytest.CaptureFixture[str],
    strict: bool,
    expected: int,
) -> None:
    with (
        TlsServer(pki, "valid", ["ok.test"], HttpBehaviour(status=400)) as good,
        DnsServer({"ok.test": ["127.0.0.1"]}) as dns,
    ):
        endpoints = [("healthy", "ok.test", good.port, True), ("optional", "gone.test", 443, False)]
        argv = ["run", _plan(tmp_path, endpoints), "--dns-server", f"127.0.0.1:{dns.port}"]
        argv += ["--ca-bundle", ca_bundle, "--no-proxy", "-q", "--json", str(tmp_path / "r.json")]
        code = cli.main([*argv, *(["--strict"] if strict else [])])
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["summary"]["verdict"] == "warn"
    assert code == expected
    assert report["summary"]["exit_code"] == expected  # the report says what the process did
    assert report["summary"]["strict"] is strict
    assert ("--strict" in report["command_line"].split()) is strict
    assert "VERDICT: WARN" in capsys.readouterr().out
