"""Console goldens of whole runs against real loopback peers: a blackholed service tag, a
proxy that demands authentication (407) and a mixed run, each compared line by line with
tests/outputs/golden/ (ports, paths and durations normalized). One check at a time
(`--concurrency 1`), so the lines come in plan order.

`ASRCHECK_WRITE_GOLDEN=1 pytest tests/outputs/test_console_scenarios.py` rewrites the
files; review the diff before committing it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from runner import cli
from tests.helpers import e2e
from tests.peers.dns import DnsServer
from tests.peers.proxy import ConnectProxy
from tests.peers.tcp import Blackhole, refusing_port
from tests.peers.tls import Pki, TlsServer

GOLDEN = Path(__file__).with_name("golden")
ROOT = e2e.ROOT
HEAD = (
    "plan_format: 1\nname: golden\nversion: 1.0.0\nscenario: TEST\n"
    "description: Console goldens.\ndefaults:\n  deadline: 60\n  timeout: 2\n"
    "  routes: [default]\nendpoints:\n"
)
ENDPOINT = """  - id: {id}
    host: {id}.golden.test
    port: {port}
    required: {required}
    purpose: Test endpoint {id}.
    docs: https://learn.microsoft.com/test
    checked: 2026-11-25
{extra}"""


def _endpoint(name: str, port: int, tag: str = "", codes: str = "", required: bool = True) -> str:
    extra = f"    service_tag: {tag}\n" if tag else ""
    extra += f"    error_codes: [{codes}]\n" if codes else ""
    return ENDPOINT.format(id=name, port=port, required=str(required).lower(), extra=extra)


def normalized(text: str, tmp_path: Path, ports: Mapping[int, str]) -> str:
    """The output without what changes from run to run: ports, paths, durations, versions."""
    text = text.replace(str(tmp_path), "<TMP>")
    for port, name in ports.items():
        text = re.sub(rf"(?<![\d.]){port}(?!\d)", f"<{name}>", text)
    text = re.sub(r"^asrcheck \S+:", "asrcheck <VERSION>:", text, flags=re.M)
    text = re.sub(r"checks in \d+\.\ds", "checks in <N>s", text)
    text = re.sub(r"CheckNWResult_\S+?_\d{12}\.log", "<LOG>", text)
    text = re.sub(r"connected in [\d.]+ ms", "connected in <N> ms", text)
    text = re.sub(r"Testing CA #\S+,", "Testing CA,", text)
    return re.sub(r"TLS trust: \S+", "TLS trust: <CA>", text)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("ASRCHECK_WRITE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden {path}: run with ASRCHECK_WRITE_GOLDEN=1"
    assert text.splitlines() == path.read_text(encoding="utf-8").splitlines()


def _run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], plan: str, *options: str
) -> tuple[int, str]:
    path = tmp_path / "golden.yaml"
    path.write_text(HEAD + plan, encoding="utf-8")
    args = ["run", str(path), "--no-color", "--concurrency", "1", "--output-dir", str(tmp_path)]
    code = cli.main([*args, *options])
    return code, capsys.readouterr().out


@contextlib.contextmanager
def _dns(names: list[str]) -> Iterator[DnsServer]:
    with DnsServer({f"{name}.golden.test": ["127.0.0.1"] for name in names}) as dns:
        yield dns


def test_a_blackholed_service_tag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every TCP connect to the service tag times out: one cause, its advice once."""
    with Blackhole() as hole, _dns(["asr-source", "asr-target", "storage"]) as dns:
        plan = _endpoint("asr-source", hole.port, "AzureSiteRecovery", '"151197"')
        plan += _endpoint("asr-target", hole.port, "AzureSiteRecovery", '"151197"')
        plan += _endpoint("storage", hole.port, "Storage.JapanEast", '"153007"')
        code, out = _run(
            tmp_path, capsys, plan, "--no-proxy", "--dns-server", f"127.0.0.1:{dns.port}"
        )
        ports = {hole.port: "HOLE", dns.port: "DNS"}
    assert code == 1
    text = normalized(out, tmp_path, ports)
    assert text.count("reason: tcp-timeout") == 1, text
    check_golden("blackholed_service_tag", text)


def test_a_proxy_that_demands_authentication(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every route through the proxy gets 407: one cause for the proxy, not one per host."""
    with ConnectProxy(mode="auth") as proxy:
        plan = "".join(_endpoint(name, 443) for name in ("entra-id", "asr-target", "storage"))
        code, out = _run(tmp_path, capsys, plan, "--proxy", proxy.url)
        ports = {proxy.port: "PROXY"}
    assert code == 1
    text = normalized(out, tmp_path, ports)
    assert text.count("reason: proxy-auth-required") == 1
    check_golden("proxy_407", text)


def test_a_mixed_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One endpoint passes, one name does not exist, one port is blackholed, an optional
    one refuses: one cause block each, the optional one last."""
    pki = Pki()
    bundle = pki.write_bundle(tmp_path / "ca.pem")
    with contextlib.ExitStack() as stack:
        tls = stack.enter_context(TlsServer(pki, "valid", ["entra-id.golden.test"]))
        hole = stack.enter_context(Blackhole())
        dns = stack.enter_context(_dns(["entra-id", "storage", "servicebus"]))
        closed = refusing_port()
        plan = _endpoint("entra-id", tls.port, "AzureActiveDirectory")
        plan += _endpoint("asr-target", 443, "AzureSiteRecovery", '"151197"')
        plan += _endpoint("storage", hole.port, "Storage.JapanEast", '"153007"')
        plan += _endpoint("servicebus", closed, "EventHub.JapanWest", required=False)
        options = ["--no-proxy", "--dns-server", f"127.0.0.1:{dns.port}", "--ca-bundle", bundle]
        code, out = _run(tmp_path, capsys, plan, *options)
        ports = {tls.port: "TLS", hole.port: "HOLE", dns.port: "DNS", closed: "CLOSED"}
    assert code == 1
    text = normalized(out, tmp_path, ports)
    assert text.index("reason: nxdomain") < text.index("reason: tcp-timeout")
    assert text.index("reason: tcp-timeout") < text.index("reason: refused")
    check_golden("mixed", text)


def _namespaces_problem() -> str | None:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "unshare or ip not found"
    probe = subprocess.run(
        ["unshare", "-n", "-m", "true"], capture_output=True, text=True, timeout=30
    )
    return None if probe.returncode == 0 else f"unshare -n -m failed: {probe.stderr.strip()}"


def _screen(raw: str) -> list[str]:
    """The terminal's lines as they stay on screen: the status line erased, CRLF as LF."""
    text = re.sub(r"\r[^\r\n]*checks done[^\r\n]*", "", raw.replace("\r\n", "\n"))
    return re.sub(r"\r +\r", "", text).split("\n")


def test_the_readme_first_command_without_internet_fits_a_screen(tmp_path: Path) -> None:
    """No name resolves behind the systemd-resolved stub: the finding and the DNS cause come
    once, name the upstream server, and everything above the table fits 40 rows of 80."""
    problem = _namespaces_problem()
    if problem:
        pytest.skip(problem)
    out = tmp_path / "screen.txt"
    argv = ["unshare", "-n", "-m", sys.executable, "-m", "tests.outputs.no_internet_run"]
    done = subprocess.run(
        [*argv, str(out)], cwd=ROOT, env=e2e.child_env(), capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    code, raw = out.read_text(encoding="utf-8").split("\n", 1)
    assert code == "1"
    lines = _screen(raw)
    above_table = lines[: next(i for i, line in enumerate(lines) if line.startswith("endpoint "))]
    rows = sum(max(1, -(-len(line) // 80)) for line in above_table)
    assert rows < 40, "\n".join(above_table)
    text = normalized("\n".join(lines), tmp_path, {})
    assert text.count("No name resolved") == 1 and text.count("reason: nxdomain") == 1
    assert "--dns-server 203.0.113.53" in text  # the server behind the stub, not 127.0.0.53
    check_golden(
        "no_dns_a2a", _in_plan_order(re.sub(r"plan a2a \S+ ", "plan a2a <VERSION> ", text))
    )


def _in_plan_order(text: str) -> str:
    """The lines of checks that ran at once, sorted: they finish in any order."""
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith(("PASS", "WARN", "FAIL")))
    last = lines.index("", first)
    return "\n".join([*lines[:first], *sorted(lines[first:last]), *lines[last:]])
