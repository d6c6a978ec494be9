"""The ntp `server` and clock `host` parameters follow the endpoints' host name rules."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import e2e


def test_step_hosts_are_validated_like_endpoint_hosts(tmp_path: Path) -> None:
    steps = (
        "  - id: clock\n    kind: clock\n    with: {host: 'a.com;ls'}\n"
        "  - id: ntp\n    kind: ntp\n    with: {server: '[127.10.0.11]'}\n"
        "  - id: ntp2\n    kind: ntp\n    with: {server: 'xn--zz.example'}\n"
        "  - id: ntp3\n    kind: ntp\n    with: {server: 'bücher.example'}\n"
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(e2e.plan_text([], steps), encoding="utf-8")
    done = e2e.run(["validate", str(plan)], tmp_path)
    lines = done.stdout.decode().splitlines()
    assert done.code == 2, (done.stdout, done.stderr)
    assert len(lines) == 3, lines
    assert "steps[0].with.host: invalid host name 'a.com;ls': contains ';'" in lines[0]
    assert "steps[1].with.server: invalid host name '[127.10.0.11]': brackets" in lines[1]
    assert "'xn--zz' is not a valid internationalized label" in lines[2]
