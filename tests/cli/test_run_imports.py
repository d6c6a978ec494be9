"""`asrcheck run` imports what the run uses: the stage modules of the plan's chains, no
dnspython without --dns-server, no httpx without an http stage; jsonschema for a user's plan."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.helpers.e2e import child_env, command, plan_text
from tests.peers.tcp import refusing_port


def _imported(stderr: str) -> set[str]:
    return set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)$", stderr, re.M))


def test_a_run_imports_only_the_stages_of_its_chains(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    text = plan_text([("e", "127.0.0.1", refusing_port())])
    plan.write_text(text.replace("    timeout: 3\n", "    timeout: 3\n    chain: [dns, tcp]\n"))
    args = ["run", str(plan), "--no-proxy", "-q", "--output-dir", str(tmp_path)]
    done = subprocess.run(
        [command(args)[0], "-X", "importtime", *command(args)[1:]],
        cwd=tmp_path,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr[-2000:]  # the connect is refused
    modules = _imported(done.stderr)
    assert {"runner.kinds.stages.dns", "runner.kinds.stages.tcp", "jsonschema"} <= modules
    assert not {"runner.kinds.stages.tls", "runner.kinds.stages.http", "httpx", "dns"} & modules
