"""Host names in their legal but unusual forms reach the right servers and get the right
diagnosis: an internationalized name, a trailing dot, an IP literal without an IP SAN."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import e2e
from tests.peers.dns import DnsServer
from tests.peers.tls import Pki, TlsServer


def test_idn_trailing_dot_and_ip_literal(pki: Pki, tmp_path: Path) -> None:
    bundle = pki.write_bundle(tmp_path / "ca.pem")
    with (
        TlsServer(pki, "valid", ["xn--bcher-kva.test"]) as idn,
        TlsServer(pki, "valid", ["dot.test"]) as dot,
        TlsServer(pki, "valid", ["named-only.test"]) as by_ip,
        DnsServer({"xn--bcher-kva.test": ["127.0.0.1"], "dot.test": ["127.0.0.1"]}) as dns,
    ):
        endpoints = [
            ("idn", "bücher.test", idn.port),
            ("fullwidth", "ｂüｃｈｅｒ.test", idn.port),
            ("dot", "dot.test.", dot.port),
            ("ip", "127.0.0.1", by_ip.port),
        ]
        plan = tmp_path / "plan.yaml"
        plan.write_text(e2e.plan_text(endpoints), encoding="utf-8")
        report = tmp_path / "report.json"
        args = ["--dns-server", f"127.0.0.1:{dns.port}", "--ca-bundle", bundle]
        done = e2e.run(["run", str(plan), *args, "--json", str(report)], tmp_path)
    assert done.code == 1, done.stderr[-3000:]
    results = json.loads(report.read_text(encoding="utf-8"))["results"]
    seen = {(r["endpoint"], r["check"]): (r["status"], r["reason"]) for r in results}
    for name in ("idn", "fullwidth", "dot"):
        for check in ("dns", "tcp", "tls", "http"):
            assert seen[(name, check)] == ("pass", "ok"), (name, check, results)
    assert seen[("ip", "tls")] == ("fail", "cert-hostname-mismatch")
    assert idn.requests == ["HEAD / HTTP/1.1"] * 2
