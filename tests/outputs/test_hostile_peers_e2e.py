"""Real runs against hostile peers: nothing a peer sends can forge a console or log line.

Certificate names, the HTTP reason phrase and `Server` header, a proxy's status line and
`Server` header carry escape sequences, a C1 control, a right-to-left override and a
newline followed by a fake `PASS` line. Every output byte is searched; the JSON report
keeps the exact values in its facts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import e2e
from tests.peers.dns import DnsServer
from tests.peers.hostile import FORGED, FORGED_HTTP, HostileProxy, HostileTlsServer, hostile_http
from tests.peers.tls import Pki, TlsServer

#: Raw bytes that must never reach the console or the support log.
RAW = [b"\x1b", "\x9b".encode(), "\u202e".encode(), b"\x07"]
LONG = "L" * 6000


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki()


def _assert_safe(name: str, data: bytes) -> None:
    for raw in RAW:
        assert raw not in data, f"{raw!r} reached {name}"
    for line in data.decode("utf-8").splitlines():
        # A line of its own (a quoted fact block, `| ...`, is not one)
        assert not re.match(r"[\s\[]*PASS\]?\s+dns\s+forged", line), (name, line)
    assert b"L" * 600 not in data, f"the 6,000-character Server header reached {name} whole"


def _run(tmp_path: Path, name: str, plan: Path, extra: list[str]) -> dict[str, bytes]:
    out = tmp_path / name
    out.mkdir()
    done = e2e.run(
        [
            "run",
            str(plan),
            *extra,
            "--log",
            str(out / "log"),
            "--json",
            str(out / "j"),
        ],
        tmp_path,
    )
    assert done.code in (0, 1), done.stderr[-3000:]
    return {
        "stdout": done.stdout,
        "stderr": done.stderr,
        "log": (out / "log").read_bytes(),
        "json": (out / "j").read_bytes(),
    }


def test_hostile_names_status_lines_and_headers_are_escaped(pki: Pki, tmp_path: Path) -> None:
    bundle = pki.write_bundle(tmp_path / "ca.pem")
    hosts = {"cert.test": "127.0.0.1", "web.test": "127.0.0.1", "long.test": "127.0.0.1"}
    with (
        HostileTlsServer(pki, ["cert.test"]) as cert,
        TlsServer(pki, "valid", ["web.test"], hostile_http()) as web,
        TlsServer(pki, "valid", ["long.test"], hostile_http(server=LONG, reason="OK")) as long,
        HostileProxy({"web.test": web.port}) as proxy,
        DnsServer({h: [a] for h, a in hosts.items()}) as dns,
    ):
        endpoints = [
            ("cert", "cert.test", cert.port),
            ("web", "web.test", web.port),
            ("long", "long.test", long.port),
        ]
        plan = tmp_path / "plan.yaml"
        plan.write_text(e2e.plan_text(endpoints), encoding="utf-8")
        common = ["--dns-server", f"127.0.0.1:{dns.port}", "--ca-bundle", bundle]
        direct = _run(tmp_path, "direct", plan, common)
        proxied = _run(tmp_path, "proxied", plan, [*common, "--proxy", proxy.url])
    assert proxy.seen, "the hostile proxy was asked"
    for run_name, outputs in (("direct", direct), ("proxied", proxied)):
        for name in ("stdout", "stderr", "log"):
            _assert_safe(f"{run_name} {name}", outputs[name])
    stdout = direct["stdout"].decode()
    assert "\\x1b[2J\\x1b]0;pwned\\x07Evil\\nPASS" in stdout  # shown, visibly
    assert "\\x9b2J\\u202eEvil" in stdout
    assert "(5800 more characters)" in stdout
    assert "\\x1b[2J" in proxied["stdout"].decode()
    results = json.loads(direct["json"])["results"]
    facts = {(r["endpoint"], r["check"]): r["facts"] for r in results}
    leaf = facts[("cert", "tls")]["chain"][0]
    assert leaf["subject"]["CN"] == FORGED and leaf["issuer"]["O"] == FORGED
    assert facts[("web", "http")]["headers"]["server"] == FORGED_HTTP
    assert facts[("long", "http")]["headers"]["server"] == LONG
    proxy_facts = {
        (r["endpoint"], r["check"]): r["facts"] for r in json.loads(proxied["json"])["results"]
    }
    assert proxy_facts[("web", "proxy")]["server"] == FORGED
