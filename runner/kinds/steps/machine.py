"""Step kind `machine`: host name, OS and version, kernel, Python, OpenSSL, Azure VM or not.

Whether this is an Azure VM comes from the DMI chassis asset tag that Azure sets on its
VMs (Linux: /sys/class/dmi/id/chassis_asset_tag). The metadata service (IMDS) is never
contacted here. On Windows the OS comes from the registry (CurrentVersion key).
"""

from __future__ import annotations

import platform
import ssl
from collections.abc import Mapping
from typing import Any

from runner.context import Context
from runner.kinds.base import StepOutcome
from runner.kinds.net.threads import in_thread
from runner.kinds.steps.collect import system_of
from runner.machine.system import System
from runner.model import Step
from runner.results import Status

SUMMARY = "Collects host name, OS, kernel, Python, OpenSSL and whether this is an Azure VM."
LOG_SECTION = "Machine"
PARAMS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {},
}

#: The chassis asset tag Azure sets on its virtual machines.
AZURE_ASSET_TAG = "7783-7084-3265-9085-8269-3286-77"
ASSET_TAG_PATH = "/sys/class/dmi/id/chassis_asset_tag"
OS_RELEASE = "/etc/os-release"
WINDOWS_VERSION_KEY = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"


def parse_os_release(text: str) -> dict[str, str]:
    """KEY="value" lines of os-release(5)."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            values[key] = value.strip().strip("\"'")
    return values


def _linux_os(system: System, notes: list[str]) -> dict[str, Any]:
    text = system.read_file(OS_RELEASE)
    if text is None:
        notes.append(f"{OS_RELEASE} does not exist (a minimal container?)")
        return {"os": None, "os_version": None}
    info = parse_os_release(text)
    return {
        "os": info.get("PRETTY_NAME") or info.get("NAME"),
        "os_version": info.get("VERSION_ID"),
        "os_id": info.get("ID"),
    }


def _windows_os(system: System, notes: list[str]) -> dict[str, Any]:
    values = system.registry_values(WINDOWS_VERSION_KEY) or {}
    if not values:
        notes.append(f"{WINDOWS_VERSION_KEY} could not be read")
    build = values.get("CurrentBuild") or values.get("CurrentBuildNumber")
    return {
        "os": values.get("ProductName"),
        "os_version": values.get("DisplayVersion") or values.get("ReleaseId"),
        "os_build": f"{build}.{values['UBR']}" if build and "UBR" in values else build,
    }


def _azure_vm(system: System, notes: list[str]) -> bool | None:
    if system.platform() != "linux":
        notes.append("Azure VM detection reads the DMI asset tag, available on Linux only")
        return None
    tag = system.read_file(ASSET_TAG_PATH)
    if tag is None:
        notes.append(f"{ASSET_TAG_PATH} is not readable: cannot tell whether this is an Azure VM")
        return None
    return tag.strip() == AZURE_ASSET_TAG


def _hostnamectl(system: System, timeout: float, notes: list[str]) -> str | None:
    result = system.run(["hostnamectl"], timeout)
    if not result.ok:
        notes.append(f"hostnamectl: {result.describe()} (no systemd?)")
        return None
    return result.stdout.rstrip()


def collect(system: System, timeout: float = 5.0) -> dict[str, Any]:
    """Every machine fact this kind reports, with notes about what was not available."""
    notes: list[str] = []
    uname = system.uname()
    windows = system.platform() == "windows"
    facts: dict[str, Any] = {"hostname": system.hostname(), "platform": system.platform()}
    facts.update(_windows_os(system, notes) if windows else _linux_os(system, notes))
    facts["kernel"] = uname.get("release") if not windows else uname.get("version")
    facts["architecture"] = uname.get("machine")
    facts["python"] = platform.python_version()
    facts["openssl"] = ssl.OPENSSL_VERSION
    facts["azure_vm"] = _azure_vm(system, notes)
    if not windows:
        facts["hostnamectl"] = _hostnamectl(system, timeout, notes)
    facts["notes"] = notes
    return facts


def _summary(facts: Mapping[str, Any]) -> str:
    azure = {True: "yes", False: "no", None: "unknown"}[facts["azure_vm"]]
    os_name = facts.get("os") or "unknown OS"
    return (
        f"{facts['hostname']}: {os_name}, kernel {facts.get('kernel') or '?'}, "
        f"Python {facts['python']}, {facts['openssl']}, Azure VM: {azure}"
    )


async def run(step: Step, ctx: Context) -> list[StepOutcome]:
    """One `collected` outcome with every machine fact."""
    timeout = max(0.5, ctx.stage_timeout(step.timeout) / 2)
    facts = await in_thread(lambda: collect(system_of(ctx), timeout))
    command = "hostnamectl; cat /etc/os-release; uname -r; cat " + ASSET_TAG_PATH
    if facts["platform"] == "windows":
        command = "hostname & systeminfo"
    return [StepOutcome("machine", Status.PASS, "collected", _summary(facts), command, facts)]
