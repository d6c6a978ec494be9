"""The machine a report comes from: host name, OS, and on an Azure VM its IMDS identity.

This is the report's top-level `machine` object, so a fleet of reports can be told apart
without reading each `machine` step's facts. IMDS is asked only on an Azure VM, and only
once per process (runner.machine.imds caches the answer the region default already got).
"""

from __future__ import annotations

import platform
from typing import Any

from runner.machine import imds
from runner.machine.system import System

OS_RELEASE = "/etc/os-release"
WINDOWS_VERSION_KEY = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"


def _os_release_name(text: str) -> str | None:
    values = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep:
            values[key] = value.strip().strip("\"'")
    return values.get("PRETTY_NAME") or values.get("NAME")


def os_name(system: System) -> str:
    """`Ubuntu 22.04.4 LTS`, `Windows-2019Server-10.0.17763-SP0`, or the platform name."""
    if system.platform() == "linux":
        text = system.read_file(OS_RELEASE)
        name = _os_release_name(text) if text else None
        if name:
            return name
    uname = system.uname()
    if system.platform() == "windows":
        values = system.registry_values(WINDOWS_VERSION_KEY) or {}
        product = values.get("ProductName")
        return product if isinstance(product, str) and product else platform.platform()
    return " ".join(filter(None, (uname.get("system"), uname.get("release")))) or "unknown"


def machine_identity(system: System, timeout: float = 2.0) -> dict[str, Any]:
    """`{"hostname", "os", "platform", "azure"}`; `azure` is None off Azure (or no answer)."""
    return {
        "hostname": system.hostname(),
        "os": os_name(system),
        "platform": system.platform(),
        "azure": imds.azure_vm_identity(timeout=timeout),
    }
