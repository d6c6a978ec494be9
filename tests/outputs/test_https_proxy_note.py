"""`--proxy https://...` is checked as a plain HTTP proxy (CONNECT without TLS to the proxy)
by every stage alike (before, the http stage spoke TLS to the proxy and timed out after the
proxy and tls stages had passed), and the console says so, since the ASR agent does not
support an https:// proxy URL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runner import cli
from tests.helpers import e2e
from tests.peers.proxy import ConnectProxy
from tests.peers.tls import HttpBehaviour, Pki, TlsServer


def test_an_https_proxy_url_is_checked_as_http_and_noted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pki = Pki()
    bundle = pki.write_bundle(tmp_path / "ca.pem")
    with (
        TlsServer(pki, "valid", ["ok.test"], HttpBehaviour(status=400)) as tls,
        ConnectProxy({"ok.test": tls.port}) as proxy,
    ):
        plan = tmp_path / "plan.yaml"
        plan.write_text(e2e.plan_text([("ok", "ok.test", tls.port)]), encoding="utf-8")
        https_url = proxy.url.replace("http://", "https://")
        report = tmp_path / "report.json"
        args = ["run", str(plan), "--proxy", https_url, "--ca-bundle", bundle, "--no-color"]
        code = cli.main([*args, "--json", str(report), "--output-dir", str(tmp_path)])
        seen = list(proxy.seen)
        requests = list(tls.requests)
    console = capsys.readouterr().out
    assert code == 0, console
    assert f"Note: --proxy {https_url} is checked as an HTTP proxy" in console
    assert seen == [f"ok.test:{tls.port}"]  # one plain CONNECT, understood
    assert requests == ["HEAD / HTTP/1.1"]  # the http stage went through that tunnel too
    results = json.loads(report.read_text(encoding="utf-8"))["results"]
    checks = {r["check"]: r["status"] for r in results if r["endpoint"] == "ok"}
    assert checks == {"proxy": "pass", "tls": "pass", "http": "pass"}
