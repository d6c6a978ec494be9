"""`asrcheck run` imports what the run uses: the stage modules of the plan's chains, no
dnspython without --dns-server, no httpx without a clock or upload step (the http stage
speaks h11); jsonschema for a user's plan."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.helpers.e2e import child_env, command, plan_text
from tests.peers.tcp import refusing_port
from tests.peers.tls import Pki, TlsServer


def _imported(stderr: str) -> set[str]:
    return set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)$", stderr, re.M))


def _run_importing(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [command(args)[0], "-X", "importtime", *command(args)[1:]],
        cwd=cwd,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_run_imports_only_the_stages_of_its_chains(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    text = plan_text([("e", "127.0.0.1", refusing_port())])
    plan.write_text(text.replace("    timeout: 3\n", "    timeout: 3\n    chain: [dns, tcp]\n"))
    args = ["run", str(plan), "--no-proxy", "-q", "--output-dir", str(tmp_path)]
    done = _run_importing(args, tmp_path)
    assert done.returncode == 1, done.stderr[-2000:]  # the connect is refused
    modules = _imported(done.stderr)
    assert {"runner.kinds.stages.dns", "runner.kinds.stages.tcp", "jsonschema"} <= modules
    assert not {"runner.kinds.stages.tls", "runner.kinds.stages.http", "httpx", "dns"} & modules


def test_the_http_stage_imports_no_httpx(tmp_path: Path, pki: Pki, ca_bundle: str) -> None:
    plan = tmp_path / "plan.yaml"
    with TlsServer(pki, "valid", ["localhost"]) as tls:
        plan.write_text(plan_text([("e", "localhost", tls.port)]))
        args = ["run", str(plan), "--no-proxy", "-q", "--ca-bundle", ca_bundle]
        done = _run_importing([*args, "--output-dir", str(tmp_path)], tmp_path)
        requests = list(tls.requests)
    assert done.returncode == 0, done.stderr[-2000:]  # every stage passed
    assert requests == ["HEAD / HTTP/1.1"]
    modules = _imported(done.stderr)
    assert {"runner.kinds.stages.http", "runner.kinds.net.http11", "h11"} <= modules
    assert not {"httpx", "httpcore", "anyio"} & modules
