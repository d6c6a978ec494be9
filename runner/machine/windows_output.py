"""Parsers for Windows command output: `ipconfig /all` and `netsh winhttp show proxy`.

Both are parsed from their documented English layout; anything unrecognized is kept as
raw text by the collectors, so a localized Windows still gets its output in the log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# "   DNS Servers . . . . . . . . . . . : 168.63.129.16"
_FIELD = re.compile(r"^\s+([^.:][^:]*?)[\s.]*:\s?(.*)$")


@dataclass
class Adapter:
    """One adapter block of `ipconfig /all`."""

    name: str
    fields: dict[str, list[str]] = field(default_factory=dict)

    def get(self, key: str) -> list[str]:
        return self.fields.get(key, [])


def _clean(value: str) -> str:
    # "10.0.0.4(Preferred)" -> "10.0.0.4"
    return re.sub(r"\((Preferred|Deprecated|Tentative|Duplicate)\)$", "", value.strip())


def parse_ipconfig(text: str) -> list[Adapter]:
    """The adapters of `ipconfig /all`; the first entry is the global "Windows IP Configuration"."""
    adapters: list[Adapter] = []
    last_key = ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        if not line[0].isspace():
            adapters.append(Adapter(name=line.rstrip(":").strip()))
            last_key = ""
            continue
        if not adapters:
            adapters.append(Adapter(name="Windows IP Configuration"))
        current = adapters[-1]
        match = _FIELD.match(line) if " : " in line or line.endswith(" :") else None
        if match:
            last_key = match.group(1).strip()
            value = _clean(match.group(2))
            current.fields[last_key] = [value] if value else []
        elif last_key:
            current.fields[last_key].append(_clean(line))
    return adapters


def dns_servers(adapters: list[Adapter]) -> dict[str, list[str]]:
    """DNS servers per adapter that has any."""
    return {a.name: a.get("DNS Servers") for a in adapters if a.get("DNS Servers")}


def default_gateways(adapters: list[Adapter]) -> dict[str, list[str]]:
    """Default gateways per adapter that has any."""
    return {a.name: a.get("Default Gateway") for a in adapters if a.get("Default Gateway")}


def addresses(adapters: list[Adapter]) -> dict[str, list[str]]:
    """IPv4 and IPv6 addresses per adapter that has any."""
    found: dict[str, list[str]] = {}
    for adapter in adapters:
        values = [
            value
            for key, items in adapter.fields.items()
            if key.startswith(("IPv4 Address", "IPv6 Address", "Link-local IPv6 Address"))
            for value in items
        ]
        if values:
            found[adapter.name] = values
    return found


@dataclass(frozen=True)
class WinHttpProxy:
    """`netsh winhttp show proxy`: direct, or a server and bypass list."""

    direct: bool
    server: str = ""
    bypass: str = ""


def parse_winhttp(text: str) -> WinHttpProxy | None:
    """None when the output has neither "Direct access" nor a "Proxy Server(s)" line."""
    server = bypass = ""
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            if "direct access" in line.lower():
                return WinHttpProxy(direct=True)
            continue
        name = key.strip().lower()
        if name.startswith("proxy server"):
            server = value.strip()
        elif name.startswith("bypass list"):
            bypass = value.strip()
    if server:
        return WinHttpProxy(direct=False, server=server, bypass=bypass)
    return None
