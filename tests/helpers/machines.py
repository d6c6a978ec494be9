"""Recorded machines built from the sample files in tests/data/machines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from runner.machine.system import RecordedSystem

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "machines"


def sample(name: str) -> str:
    return (SAMPLES / name).read_bytes().decode("utf-8")  # keeps CRLF


def recorded(name: str) -> RecordedSystem:
    """The machine `<name>.json` describes; a value `{"sample": FILE}` is that file's text."""
    spec: dict[str, Any] = json.loads(sample(f"{name}.json"))
    registry = spec.get("registry")
    return RecordedSystem(
        platform_name=spec["platform"],
        host=spec["host"],
        uname_info=spec["uname"],
        commands={tuple(item["argv"]): _text(item["stdout"]) for item in spec["commands"]},
        files={path: _text(value) for path, value in spec.get("files", {}).items()},
        registry=json.loads(_text(registry)) if registry else {},
    )


def _text(value: str | dict[str, str]) -> str:
    return sample(value["sample"]) if isinstance(value, dict) else value


def windows() -> RecordedSystem:
    """A Windows Server 2019 VM as recorded: ipconfig /all, netsh, registry."""
    return recorded("windows")


def windows_japanese() -> RecordedSystem:
    """A Japanese Windows Server 2022 VM: ipconfig and netsh print Japanese; registry values
    (adapter names in Japanese, DNS servers, gateways, WinHttpSettings)."""
    registry: dict[str, dict[str, Any]] = json.loads(sample("windows_registry_ja.json"))
    return RecordedSystem(
        platform_name="windows",
        host="asr-vm03",
        uname_info={"system": "Windows", "release": "2022Server", "version": "10.0.20348"},
        commands={
            ("ipconfig", "/all"): sample("ipconfig_all_ja.txt"),
            ("netsh", "winhttp", "show", "proxy"): sample("netsh_winhttp_proxy_ja.txt"),
        },
        registry=registry,
    )


def linux() -> RecordedSystem:
    """An Ubuntu Azure VM as recorded: ip, resolv.conf, os-release, DMI asset tag."""
    return recorded("linux")
