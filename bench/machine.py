"""A short description of the machine the figures were taken on."""

from __future__ import annotations

import os
import platform
import ssl
import sys
from pathlib import Path


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, or platform.processor()."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                kib = int(line.split()[1])
                return f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return "unknown"


def describe(python: str = sys.executable) -> dict[str, str]:
    """CPU, cores, memory, OS, kernel and the Python that runs asrcheck."""
    return {
        "CPU": cpu_model(),
        "Cores (usable)": str(len(os.sched_getaffinity(0))),
        "Memory": memory_total(),
        "Kernel": f"{platform.system()} {platform.release()} {platform.machine()}",
        "Python (asrcheck)": python_version(python),
        "OpenSSL (bench process)": ssl.OPENSSL_VERSION,
    }


def python_version(python: str) -> str:
    if python == sys.executable:
        return f"{platform.python_implementation()} {platform.python_version()} ({python})"
    import subprocess

    done = subprocess.run(
        [python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return f"{done.stdout.strip() or 'unknown'} ({python})"


def load_average() -> str:
    """The 1-minute load average (other work on the machine skews the figures)."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"
