"""ansible/asrcheck.yml run by real ansible-core over six inventory hosts on this machine
(`ansible_connection: local`, but one), each with its own variables, against loopback peers.

web-1, web-2 and bad-1 get the one-file bundle copied (run by the oldest Python here), db-1
and slow-1 use the installed asrcheck (`asrcheck_bin`). The `store` of web-2 and db-1 does
not resolve (one cause on two machines); bad-1 names a variable the plan does not have, so
its run ends without a report; slow-1's DNS never answers, so the run outlasts
`asrcheck_timeout` and is stopped; gone-1 is an SSH host whose connection is refused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import e2e
from tests.helpers.bundle import build, interpreters
from tests.peers.dns import DnsServer
from tests.peers.tls import HttpBehaviour, Pki, TlsServer

PLAYBOOK = e2e.ROOT / "ansible" / "asrcheck.yml"
HOSTS = ("web-1", "web-2", "db-1")
STORE_VAR = """vars:
  store:
    type: string
    description: Name of the store host, per machine.
"""


def _ansible_playbook() -> str:
    found = Path(sys.executable).with_name("ansible-playbook")
    if found.exists():
        return str(found)
    if os.environ.get("CI"):
        pytest.fail("ansible-core is missing: .ci/run installs it with the dev extras")
    pytest.skip("ansible-core not installed here: pip install -e '.[dev]'")


@dataclass(frozen=True)
class Fleet:
    results: Path
    home: Path
    done: subprocess.CompletedProcess[str]


def _inventory(root: Path, bundle: Path, port: int, dns: int, ca: str) -> Path:
    plan = root / "shop.yaml"
    endpoints = [("web", "ok.test", port), ("store", "${store}.test", port)]
    plan.write_text(e2e.plan_text(endpoints, name="shop").replace("vars:\n", STORE_VAR, 1))
    args = f"--dns-server 127.0.0.1:{dns} --ca-bundle {ca} --no-proxy -q --timeout 10"
    hosts = {
        "web-1": {"asrcheck_vars": {"store": "good"}},
        "web-2": {"asrcheck_vars": {"store": "gone"}},
        "db-1": {
            "asrcheck_vars": {"store": "gone"},
            "asrcheck_bin": str(Path(sys.executable).with_name("asrcheck")),
        },
        "bad-1": {"asrcheck_vars": {"store": "good", "nosuch": "x"}},
        # The DNS server never answers for slow.test: the run outlasts asrcheck_timeout.
        "slow-1": {
            "asrcheck_vars": {"store": "slow"},
            "asrcheck_bin": str(Path(sys.executable).with_name("asrcheck")),
            "asrcheck_args": args.replace("--timeout 10", "--timeout 25"),
            "asrcheck_timeout": 6,
        },
        # Nothing listens on the discard port: the connection is refused at once.
        "gone-1": {"ansible_connection": "ssh", "ansible_host": "127.0.0.1", "ansible_port": 9},
    }
    inventory = {
        "all": {
            "vars": {
                "ansible_connection": "local",
                "ansible_python_interpreter": sys.executable,
                # Relative to the directory ansible-playbook runs in (home).
                "asrcheck_plan": f"../{plan.name}",
                "asrcheck_bundle": f"../{bundle.parent.name}/{bundle.name}",
                "asrcheck_python": interpreters()[0],
                "asrcheck_args": args,
                "asrcheck_results_dir": str(root / "results"),
            },
            "hosts": hosts,
        }
    }
    path = root / "inventory.yml"
    path.write_text(yaml.safe_dump(inventory))
    return path


def _env(root: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    keep = {k: v for k, v in keep.items() if not k.startswith(("ANSIBLE_", "PYTHON"))}
    (root / "ansible.cfg").write_text("[defaults]\n")
    return {
        **keep,
        "HOME": str(root / "home"),
        "ANSIBLE_CONFIG": str(root / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_PIPELINING": "1",
        "ANSIBLE_LOG_PATH": str(root / "ansible.log"),
        "NO_COLOR": "1",
    }


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    command = _ansible_playbook()
    root = Path(tmp_path_factory.mktemp("ansible"))
    (root / "home").mkdir()
    bundle = build(root / "dist" / "asrcheck-test.pyz")
    pki = Pki()
    ca = pki.write_bundle(root / "ca.pem")
    names = ["ok.test", "good.test"]
    with (
        TlsServer(pki, "valid", names, HttpBehaviour(status=400)) as good,
        DnsServer({name: ["127.0.0.1"] for name in names}, modes={"slow.test": "drop"}) as dns,
    ):
        inventory = _inventory(root, bundle, good.port, dns.port, ca)
        done = subprocess.run(
            [command, "-i", str(inventory), str(PLAYBOOK)],
            cwd=root / "home",  # not where the results go
            env=_env(root),
            capture_output=True,
            text=True,
            timeout=300,
        )
    yield Fleet(root / "results", root / "home", done)


def _report(fleet: Fleet, host: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((fleet.results / host / "report.json").read_text())
    return doc


def test_the_play_completes_although_hosts_fail(fleet: Fleet) -> None:
    assert fleet.done.returncode == 0, fleet.done.stdout[-3000:] + fleet.done.stderr[-2000:]
    assert "FAIL store dns nxdomain on 2 of 4 machines" in fleet.done.stdout  # the summary


def test_each_host_has_its_report_and_support_log(fleet: Fleet) -> None:
    verdicts = {host: _report(fleet, host)["summary"]["verdict"] for host in HOSTS}
    assert verdicts == {
        "web-1": "pass",
        "web-2": "fail",
        "db-1": "fail",
    }
    for host in HOSTS:
        logs = list((fleet.results / host).glob("CheckNWResult_*.log"))
        assert len(logs) == 1, logs
        assert logs[0].read_text(encoding="utf-8").rstrip().endswith("Script Completed")
    for host in ("web-2", "db-1"):
        failed = [r for r in _report(fleet, host)["results"] if r["status"] == "fail"]
        assert [(r["endpoint"], r["check"], r["reason"]) for r in failed] == [
            ("store", "dns", "nxdomain")
        ]
    assert list(fleet.home.glob(".cache/asrcheck/bundle-*"))  # the copied bundle ran


def test_a_run_without_report_says_why(fleet: Fleet) -> None:
    assert not (fleet.results / "bad-1" / "report.json").exists()
    why = (fleet.results / "bad-1" / "error.txt").read_text(encoding="utf-8")
    assert why.startswith("asrcheck exited with 2: asrcheck: --var nosuch: unknown variable")
    assert not (fleet.results / "gone-1" / "report.json").exists()
    why = (fleet.results / "gone-1" / "error.txt").read_text(encoding="utf-8")
    assert why.startswith("unreachable: ")
    why = (fleet.results / "slow-1" / "error.txt").read_text(encoding="utf-8")
    assert why == "asrcheck did not finish within 6 s (asrcheck_timeout) and was stopped"
    stopped = _report(fleet, "slow-1")  # written when the run was stopped
    assert stopped["interrupted"] is True and stopped["summary"]["verdict"] == "interrupted"


class _Items(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("li", "td"):
            self._open = True
            self.items.append("")

    def handle_endtag(self, tag: str) -> None:
        self._open = self._open and tag not in ("li", "td")

    def handle_data(self, data: str) -> None:
        if self._open:
            self.items[-1] += data


def test_the_fleet_report_shows_every_host(fleet: Fleet) -> None:
    markdown = (fleet.results / "fleet.md").read_text(encoding="utf-8")
    assert "4 reports, 2 machines without report." in markdown
    rows = {line.split(" | ")[0][2:]: line for line in markdown.splitlines() if "| " in line}
    assert rows["web-1"].startswith("| web-1 | PASS | PASS | PASS |")
    assert rows["web-2"].startswith("| web-2 | FAIL | PASS | FAIL |")
    assert rows["db-1"].startswith("| db-1 | FAIL | PASS | FAIL |")
    assert "- bad-1: asrcheck exited with 2: asrcheck: --var nosuch: unknown variable" in markdown
    assert "- gone-1: unreachable: " in markdown
    assert "## Interrupted runs\n\nslow-1\n" in markdown
    page = _Items()
    page.feed((fleet.results / "fleet.html").read_text(encoding="utf-8"))
    causes = [item for item in page.items if " of 4 machines" in item]
    assert len(causes) == 1 and causes[0].startswith("FAIL store dns nxdomain on 2 of 4 machines")
    assert causes[0].endswith("(db-1, web-2)")  # one cause, grouped across the machines
    assert any(item.startswith("bad-1: asrcheck exited with 2") for item in page.items)
