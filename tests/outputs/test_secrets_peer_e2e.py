"""Proxy credentials stay secret when given curl-style (`--proxy-user USER:PASSWORD`) and
when a proxy echoes the `Proxy-Authorization` token back: every output byte is searched."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from urllib.parse import quote

from tests.helpers import e2e
from tests.peers.dns import DnsServer
from tests.peers.hostile import HostileProxy

PW = "Cli-Pr0xy-Pass-3391"


def _forms() -> list[bytes]:
    token = base64.b64encode(f"bob:{PW}".encode()).decode()
    return [PW.encode(), quote(PW, safe="").encode(), token.encode()]


def _outputs(tmp_path: Path, name: str, proxy_args: list[str], dns: DnsServer) -> dict[str, bytes]:
    out = tmp_path / name
    out.mkdir()
    plan = tmp_path / "plan.yaml"
    plan.write_text(e2e.plan_text([("ok", "ok.test", 443)]), encoding="utf-8")
    done = e2e.run(
        [
            "run",
            str(plan),
            "--dns-server",
            f"127.0.0.1:{dns.port}",
            *proxy_args,
            "--log",
            str(out / "log"),
            "--json",
            str(out / "j"),
        ],
        tmp_path,
    )
    assert done.code == 1, done.stderr[-3000:]
    report = json.loads((out / "j").read_text(encoding="utf-8"))
    proxy = [r for r in report["results"] if r["check"] == "proxy"]
    assert proxy and proxy[0]["reason"] == "proxy-auth-required", proxy
    return {
        "stdout": done.stdout,
        "stderr": done.stderr,
        "log": (out / "log").read_bytes(),
        "json": (out / "j").read_bytes(),
    }


def test_curl_style_proxy_user_and_a_reflecting_proxy_leak_nothing(tmp_path: Path) -> None:
    with HostileProxy(reflect=True) as proxy, DnsServer({"ok.test": ["127.0.0.1"]}) as dns:
        runs = {
            "--proxy-user": _outputs(
                tmp_path, "user", ["--proxy", proxy.url, "--proxy-user", f"bob:{PW}"], dns
            ),
            "URL": _outputs(
                tmp_path, "url", ["--proxy", proxy.url.replace("//", f"//bob:{PW}@")], dns
            ),
        }
    token = base64.b64encode(f"bob:{PW}".encode()).decode()
    # The password was split off the user name and sent; the proxy echoed the token.
    assert proxy.auth_headers and set(proxy.auth_headers) == {f"Basic {token}"}
    for run_name, outputs in runs.items():
        assert b"bob:***@" in outputs["stdout"] or b"bob:***@" in outputs["log"], run_name
        for name, data in outputs.items():
            for form in _forms():
                assert form not in data, f"{form!r} found in {run_name} {name}"
