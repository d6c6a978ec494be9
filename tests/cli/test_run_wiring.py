"""`asrcheck run` wiring: the agent's proxy (found by discovery) becomes a checked route,
and the support log lands where the options say, named by platform and plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runner import cli
from runner.machine.agent_proxy import PROXYINFO_LINUX
from runner.machine.system import RecordedSystem
from tests.helpers import e2e
from tests.peers.dns import DnsServer
from tests.peers.proxy import ConnectProxy
from tests.peers.tls import Pki, TlsServer


@pytest.fixture(autouse=True)
def _no_proxy_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_agent_proxy_from_proxyinfo_is_checked_and_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pki = Pki()
    bundle = pki.write_bundle(tmp_path / "ca.pem")
    with (
        TlsServer(pki, "valid", ["ok.test", "near.corp.test"]) as server,
        DnsServer({"ok.test": ["127.0.0.1"], "near.corp.test": ["127.0.0.1"]}) as dns,
        ConnectProxy({"ok.test": server.port}) as proxy,
    ):
        conf = f"[proxy]\nAddress=127.0.0.1\nPort={proxy.port}\nBypassList=corp.test\n"
        machine = RecordedSystem(host="agent-vm.example", files={PROXYINFO_LINUX: conf})
        monkeypatch.setattr("runner.commands.run.LocalSystem", lambda: machine)
        plan = tmp_path / "plan.yaml"
        text = e2e.plan_text(
            [("ok", "ok.test", server.port), ("near", "near.corp.test", server.port)]
        )
        plan.write_text(text.replace("routes: [default]", "routes: [default, agent]"))
        argv = ["run", str(plan), "--dns-server", f"127.0.0.1:{dns.port}", "--ca-bundle", bundle]
        code = cli.main([*argv, "--json", "r.json", "--output-dir", "logs", "-q"])
    assert code == 0
    assert set(proxy.seen) == {f"ok.test:{server.port}"}  # near.corp.test: BypassList corp.test
    results = json.loads((tmp_path / "r.json").read_text())["results"]
    agent = {
        (r["endpoint"], r["route"]["kind"], r["route"]["source"])
        for r in results
        if r["route"] and r["route"]["agent"]
    }
    assert agent == {("ok", "proxy", "ProxyInfo.conf"), ("near", "direct", "default")}
    (log,) = (tmp_path / "logs").glob("CheckNWResult_*.log")
    text = log.read_text(encoding="utf-8")
    proxy_section = text.split(" 3. Proxy")[1].split(" 4. TLS")[0]
    assert f"  ok: proxy http://127.0.0.1:{proxy.port} (ProxyInfo.conf)" in proxy_section
    assert "  near: direct" in proxy_section
    assert f"agent_proxy  http://127.0.0.1:{proxy.port} (ProxyInfo.conf)" in text
    assert "[the ASR agent takes this route]" in text
    assert text.rstrip().endswith("Script Completed")


def test_log_option_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(e2e.plan_text([], "  - id: machine\n    kind: machine\n"))
    code = cli.main(["run", str(plan), "--no-proxy", "--log", "sub/my.log"])
    out = capsys.readouterr().out
    assert code == 0
    assert (tmp_path / "sub" / "my.log").is_file()
    assert "Support log: sub/my.log" in out
    assert out.rstrip().endswith("Script Completed")


def test_default_log_is_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine = RecordedSystem(host="vm7.contoso.example")
    monkeypatch.setattr("runner.outputs.supportlog.sink.LocalSystem", lambda: machine)
    plan = tmp_path / "plan.yaml"
    plan.write_text(e2e.plan_text([], "  - id: machine\n    kind: machine\n"))
    assert cli.main(["run", str(plan), "--no-proxy", "-q"]) == 0
    (log,) = tmp_path.glob("CheckNWResult_vm7_*.log")
    assert len(log.name) == len("CheckNWResult_vm7_202611251830.log")


def test_unusable_log_locations_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(e2e.plan_text([], "  - id: machine\n    kind: machine\n"))
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_text("x")
    assert cli.main(["run", str(plan), "--no-proxy", "--log", "adir"]) == 2
    assert cli.main(["run", str(plan), "--no-proxy", "--output-dir", "afile"]) == 2
    err = capsys.readouterr().err
    assert "--log 'adir': is a directory" in err
    assert "--output-dir 'afile': not a directory" in err
