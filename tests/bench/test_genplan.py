"""The plans the bench generates are well-formed YAML with the expected content."""

from __future__ import annotations

import yaml

from bench.genplan import child_plan, generated_hosts, generated_plan
from bench.serial import SerialNet, host_steps


def test_generated_hosts_are_distinct_and_sorted() -> None:
    hosts = generated_hosts(500)
    assert len(set(hosts)) == 500
    assert hosts[0] == "e0000.bench.example"
    assert hosts == sorted(hosts)


def test_generated_plan_has_one_endpoint_per_host() -> None:
    hosts = generated_hosts(3)
    plan = yaml.safe_load(generated_plan(hosts, port=8443, timeout=2.5))
    assert plan["plan_format"] == 1
    assert plan["defaults"]["port"] == 8443
    assert plan["defaults"]["timeout"] == 2.5
    assert [e["host"] for e in plan["endpoints"]] == hosts
    assert len({e["id"] for e in plan["endpoints"]}) == 3
    assert all(isinstance(e["checked"], str) for e in plan["endpoints"])


def test_child_plan_extends_and_overrides_defaults() -> None:
    text = child_plan("/x/plans/a2a.yaml", defaults={"port": 9000, "timeout": 3.0}, remove=["ntp"])
    plan = yaml.safe_load(text)
    assert plan["extends"] == "/x/plans/a2a.yaml"
    assert plan["defaults"] == {"port": 9000, "timeout": 3}
    assert plan["remove"] == ["ntp"]


def test_serial_steps_skip_nc_and_curl_for_a_silent_name() -> None:
    net = SerialNet(("127.0.0.1", 5353), {"a.test": "127.0.0.1", "b.test": None}, 8443, "ca.pem")
    a = host_steps("a.test", net, 3)
    assert [argv[0] for argv in a] == ["nslookup", "nc", "curl"]
    assert "-port=5353" in a[0] and "-retry=1" in a[0]
    assert "a.test:8443:127.0.0.1" in a[2]
    assert [argv[0] for argv in host_steps("b.test", net, 3)] == ["nslookup"]


def test_generated_plan_with_a_shorter_chain() -> None:
    plan = yaml.safe_load(generated_plan(generated_hosts(2), port=1, timeout=1, chain=["dns"]))
    assert plan["defaults"]["chain"] == ["dns"]
    assert (
        "chain" not in yaml.safe_load(generated_plan(["a.example"], port=1, timeout=1))["defaults"]
    )
