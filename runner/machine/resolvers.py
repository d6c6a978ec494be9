"""The DNS servers this machine's resolver asks in the end, read where it keeps them.

Linux: `/etc/resolv.conf`; when that names only the systemd-resolved stub (127.0.0.53,
Ubuntu 22.04 and later), the servers behind it, from `/run/systemd/resolve/resolv.conf`
(systemd-resolved writes its upstream servers there) or `resolvectl status`. Windows: the
registry (`Tcpip` and `Tcpip6` interface values), which reads the same in every display
language, unlike `ipconfig /all`.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from runner.machine.system import RegValues, System

RESOLV_CONF = "/etc/resolv.conf"
#: Where systemd-resolved lists the DNS servers it forwards to.
RESOLVED_UPSTREAM = "/run/systemd/resolve/resolv.conf"
#: systemd-resolved's stub listeners (127.0.0.54 is its proxy-only stub).
RESOLVED_STUBS = ("127.0.0.53", "127.0.0.54")

TCPIP_INTERFACES = r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\Interfaces"
_TCPIP6 = r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters\Interfaces"
_CONNECTIONS = (
    r"HKLM\SYSTEM\CurrentControlSet\Control\Network\{4D36E972-E325-11CE-BFC1-08002BE10318}"
)


@dataclass(frozen=True)
class DnsServers:
    """The servers name lookups go to, where that was read, and a local stub in front."""

    servers: tuple[str, ...]
    source: str
    #: The local stub resolver the system asks first ("" when it asks the servers itself).
    stub: str = ""
    #: Servers per interface (Windows adapters, systemd-resolved links), where known.
    per_interface: Mapping[str, list[str]] = field(default_factory=dict)

    def describe(self) -> str:
        """`10.0.0.2, 10.0.0.3 (behind the systemd-resolved stub 127.0.0.53)`."""
        listed = ", ".join(self.servers) or "none"
        if not self.stub:
            return listed
        if not self.servers:
            return f"{self.stub} (the systemd-resolved stub; the servers behind it are unknown)"
        return f"{listed} (behind the systemd-resolved stub {self.stub})"


def parse_resolv_conf(text: str) -> dict[str, list[str]]:
    """nameserver, search and options lines of resolv.conf."""
    found: dict[str, list[str]] = {"nameservers": [], "search": [], "options": []}
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) < 2:
            continue
        if words[0] == "nameserver":
            found["nameservers"].append(words[1])
        elif words[0] in ("search", "domain"):
            found["search"].extend(words[1:])
        elif words[0] == "options":
            found["options"].extend(words[1:])
    return found


def stub_of(nameservers: list[str]) -> str:
    """The systemd-resolved stub when it is the only server resolv.conf names, else ""."""
    if nameservers and all(server in RESOLVED_STUBS for server in nameservers):
        return nameservers[0]
    return ""


# "Current DNS Server: 10.0.0.2", "       DNS Servers: 10.0.0.2" + continuation lines
_RESOLVECTL_FIELD = re.compile(r"^\s*([A-Za-z][A-Za-z .]*?):(?:\s+(.*))?$")
_SECTION = re.compile(r"^(Global|Link \d+ \((.+)\))\s*$")


def parse_resolvectl(text: str) -> dict[str, list[str]]:
    """`resolvectl status`: the DNS servers of `Global` and of each link (by its name),
    without `#server-name` or `%interface` suffixes; links without servers left out."""
    found: dict[str, list[str]] = {}
    section, key = "", ""
    for line in text.splitlines():
        header = _SECTION.match(line)
        if header:
            section, key = header.group(2) or header.group(1), ""
            continue
        match = _RESOLVECTL_FIELD.match(line)
        if match and not _is_address(line.strip()):
            key = match.group(1).strip()
            values = (match.group(2) or "").split()
        elif key and line.strip():
            values = line.split()
        else:
            key = ""
            continue
        if key == "DNS Servers" and section:
            found.setdefault(section, []).extend(_server(value) for value in values)
    return found


def _server(value: str) -> str:
    """`10.0.0.2#dns.example` or `fe80::1%eth0` as the address alone."""
    return value.split("#", 1)[0].split("%", 1)[0]


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(_server(text))
    except ValueError:
        return False
    return True


def linux_dns(system: System) -> DnsServers | None:
    """From the files only (no command): None without a readable /etc/resolv.conf."""
    text = system.read_file(RESOLV_CONF)
    if text is None:
        return None
    named = parse_resolv_conf(text)["nameservers"]
    stub = stub_of(named)
    if not stub:
        return DnsServers(tuple(named), RESOLV_CONF)
    upstream = system.read_file(RESOLVED_UPSTREAM)
    if upstream is None:
        return DnsServers((), RESOLV_CONF, stub)
    servers = [s for s in parse_resolv_conf(upstream)["nameservers"] if s not in RESOLVED_STUBS]
    return DnsServers(tuple(servers), RESOLVED_UPSTREAM, stub)


def _listed(value: object) -> list[str]:
    """A registry server list: `10.0.0.2,10.0.0.3` or `10.0.0.2 10.0.0.3`, or a list."""
    items = value if isinstance(value, list) else str(value or "").replace(",", " ").split()
    return [str(item).strip() for item in items if str(item).strip()]


def _ipv6_list(hex_text: object) -> list[str]:
    """Dhcpv6DNSServers (REG_BINARY, hex text here): 16 bytes per address."""
    try:
        data = bytes.fromhex(str(hex_text or ""))
    except ValueError:
        return []
    return [str(ipaddress.IPv6Address(data[i : i + 16])) for i in range(0, len(data) - 15, 16)]


def _has_address(values: RegValues) -> bool:
    """Whether an IPv4 interface key holds an address (disconnected adapters keep keys)."""
    if values.get("EnableDHCP") == 1:
        return str(values.get("DhcpIPAddress") or "0.0.0.0") != "0.0.0.0"
    return any(address != "0.0.0.0" for address in _listed(values.get("IPAddress")))


def _ipv4_servers(values: RegValues) -> list[str]:
    """The interface's static servers, else (on DHCP) the ones DHCP gave."""
    static = _listed(values.get("NameServer"))
    if static or values.get("EnableDHCP") != 1:
        return static
    return _listed(values.get("DhcpNameServer"))


def _ipv6_servers(values: RegValues) -> list[str]:
    return _listed(values.get("NameServer")) or _ipv6_list(values.get("Dhcpv6DNSServers"))


@dataclass(frozen=True)
class Interface:
    """One Windows adapter's registry values: its `Tcpip` and `Tcpip6` interface keys."""

    name: str
    v4: RegValues
    v6: RegValues

    @property
    def dns_servers(self) -> list[str]:
        return _ipv4_servers(self.v4) + _ipv6_servers(self.v6)

    @property
    def gateways(self) -> list[str]:
        return _listed(self.v4.get("DefaultGateway")) or _listed(self.v4.get("DhcpDefaultGateway"))


def adapter_name(system: System, guid: str) -> str:
    """The adapter's connection name (`Ethernet`, `イーサネット`), else its GUID."""
    values = system.registry_values(f"{_CONNECTIONS}\\{guid}\\Connection") or {}
    return str(values.get("Name") or guid)


def windows_interfaces(system: System) -> list[Interface]:
    """The adapters whose IPv4 interface key holds an address."""
    found = []
    for guid in system.registry_subkeys(TCPIP_INTERFACES) or []:
        v4 = system.registry_values(f"{TCPIP_INTERFACES}\\{guid}") or {}
        if _has_address(v4):
            v6 = system.registry_values(f"{_TCPIP6}\\{guid}") or {}
            found.append(Interface(adapter_name(system, guid), v4, v6))
    return found


def windows_dns(system: System) -> DnsServers | None:
    """From the registry: None when it has no interface keys (not Windows)."""
    interfaces = windows_interfaces(system)
    if not interfaces:
        return None
    per_interface = {item.name: item.dns_servers for item in interfaces if item.dns_servers}
    servers = dict.fromkeys(s for items in per_interface.values() for s in items)
    return DnsServers(tuple(servers), "registry", per_interface=per_interface)


def system_dns(system: System) -> DnsServers | None:
    """The servers the system resolver asks, without running any command."""
    if system.platform() == "windows":
        return windows_dns(system)
    return linux_dns(system)
