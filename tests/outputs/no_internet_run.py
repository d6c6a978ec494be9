"""The README's first command as a VM without internet runs it:
`unshare -n -m python -m tests.outputs.no_internet_run OUT`.

Inside a network and mount namespace of its own (only a loopback interface), /etc/resolv.conf
names the systemd-resolved stub 127.0.0.53 as on Ubuntu 22.04, and a DNS server listening
there answers NXDOMAIN for every name, as a DNS server without forwarders does;
/run/systemd/resolve/resolv.conf (a tmpfs here) names the upstream server behind the stub,
which is never contacted. The console is a pseudo-terminal of 80 columns. OUT gets the exit
code on its first line, then everything the terminal showed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.builtin_plans.loopback import A2A_VARS
from tests.helpers import e2e
from tests.helpers.machines import sample
from tests.helpers.terminal import Terminal
from tests.peers.dns import DnsServer

README_FIRST = ["run", "plans/a2a.yaml", *A2A_VARS]
STUB = "/run/systemd/resolve/stub-resolv.conf"


def _bind(source: Path, target: str) -> None:
    subprocess.run(["mount", "--bind", str(source), target], check=True)


def _machine(work: Path) -> None:
    """Loopback up; the stub's files on a tmpfs /run; /etc/resolv.conf and an empty
    /etc/environment (no agent proxy) seen only inside this namespace."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["mount", "-t", "tmpfs", "tmpfs", "/run"], check=True)
    resolve = Path("/run/systemd/resolve")
    resolve.mkdir(parents=True)
    (resolve / "stub-resolv.conf").write_text(sample("stub-resolv.conf"), encoding="utf-8")
    (resolve / "resolv.conf").write_text(sample("systemd-resolve-resolv.conf"), encoding="utf-8")
    if os.path.realpath("/etc/resolv.conf") != STUB:
        _bind(resolve / "stub-resolv.conf", "/etc/resolv.conf")
    empty = work / "environment"
    empty.write_text("", encoding="utf-8")
    if os.path.exists("/etc/environment"):
        _bind(empty, "/etc/environment")


def main(out: str) -> int:
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        _machine(work)
        with DnsServer({}, host="127.0.0.53", port=53):
            term = Terminal([*README_FIRST, "--output-dir", str(work)], e2e.ROOT, columns=80)
            code = term.finish(timeout=150)
        text = term.output.decode("utf-8", errors="replace")
        Path(out).write_text(f"{code}\n{text.replace(str(work), '<TMP>')}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
