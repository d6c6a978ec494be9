"""Recorded machines built from the sample files in tests/data/machines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from runner.machine.system import RecordedSystem

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "machines"


def sample(name: str) -> str:
    return (SAMPLES / name).read_bytes().decode("utf-8")  # keeps CRLF


def windows_registry() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = json.loads(sample("windows_registry.json"))
    return data


def windows() -> RecordedSystem:
    """A Windows Server 2019 VM as recorded: ipconfig /all, netsh, registry."""
    return RecordedSystem(
        platform_name="windows",
        host="asr-vm01",
        uname_info={"system": "Windows", "release": "2019Server", "version": "10.0.17763"},
        commands={
            ("ipconfig", "/all"): sample("ipconfig_all.txt"),
            ("netsh", "winhttp", "show", "proxy"): sample("netsh_winhttp_proxy.txt"),
        },
        registry=windows_registry(),
    )


def linux() -> RecordedSystem:
    """An Ubuntu Azure VM as recorded: ip, resolv.conf, os-release, DMI asset tag."""
    return RecordedSystem(
        platform_name="linux",
        host="asr-vm02.abcdefgh.ax.internal.cloudapp.net",
        uname_info={"system": "Linux", "release": "6.5.0-1017-azure", "machine": "x86_64"},
        commands={
            ("ip", "a"): sample("ip_a.txt"),
            ("ip", "-4", "route", "show", "default"): "default via 198.51.100.1 dev eth0\n",
            ("ip", "-6", "route", "show", "default"): "",
            ("hostnamectl",): " Static hostname: asr-vm02\n  Virtualization: microsoft\n",
        },
        files={
            "/etc/os-release": sample("os-release"),
            "/etc/resolv.conf": sample("resolv.conf"),
            "/sys/class/dmi/id/chassis_asset_tag": "7783-7084-3265-9085-8269-3286-77\n",
        },
    )
