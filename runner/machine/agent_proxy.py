"""The proxy the ASR agent would use, read from the same places the agent reads.

Order (asr-facts.md sections 6 and 10): ASR's own `ProxyInfo.conf` first; then, on
Windows, WinINet (machine-wide when the `ProxySettingsPerUser` policy is 0, then the
SYSTEM account the agent service runs as, then the current user [inferred: the facts say
only "WinINet settings"]); on Linux `/etc/environment` (not the
caller's shell). `discover()` returns that proxy as a `ProxySetting`, credentials included:
never print its `url`, use `runner.redact.mask_url`.

ProxyInfo.conf rules (facts section 6): INI section `[proxy]`, keys `Address`, `Port`,
`BypassList`; `http://` is added when Address has no scheme; the proxy is used only when
both Address and Port are set; BypassList entries are split on `,` or `;`.
"""

from __future__ import annotations

import configparser
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from runner.context import ProxySetting
from runner.machine.system import System

PROXYINFO_LINUX = "/usr/local/InMage/config/ProxyInfo.conf"
PROXYINFO_WINDOWS = r"C:\ProgramData\Microsoft Azure Site Recovery\Config\ProxyInfo.conf"
ETC_ENVIRONMENT = "/etc/environment"
_INTERNET_SETTINGS = r"Software\Microsoft\Windows\CurrentVersion\Internet Settings"
WININET_USER = "HKCU\\" + _INTERNET_SETTINGS
WININET_SYSTEM = "HKU\\S-1-5-18\\" + _INTERNET_SETTINGS
WININET_MACHINE = "HKLM\\" + _INTERNET_SETTINGS
#: ProxySettingsPerUser=0 here makes WinINet settings machine-wide (HKLM) [inferred].
WININET_POLICY = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\CurrentVersion\Internet Settings"

#: Variables read from /etc/environment and the process environment, in order of use.
PROXY_VARS = ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY")
NO_PROXY_VARS = ("no_proxy", "NO_PROXY")


@dataclass(frozen=True)
class SourceReading:
    """What one proxy source says: its proxy (if it configures one) and notes about it."""

    source: str
    #: Where it was read from: a file path, registry key or command.
    where: str
    present: bool
    proxy: ProxySetting | None = None
    #: Values as read (credentials still inside: mask before showing).
    values: Mapping[str, str] | None = None
    note: str = ""


def with_scheme(address: str) -> str:
    """The address with `http://` added when it has no scheme (as the agent does)."""
    return address if "://" in address else "http://" + address


def split_bypass(text: str) -> tuple[str, ...]:
    """Bypass entries split on `,` and `;`, blanks dropped."""
    return tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


def parse_proxyinfo(text: str) -> tuple[dict[str, str], ProxySetting | None, str]:
    """ProxyInfo.conf: (values, proxy or None, note)."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error as error:
        return {}, None, f"cannot be parsed: {type(error).__name__}"
    section = next((name for name in parser.sections() if name.lower() == "proxy"), None)
    if section is None:
        return {}, None, "no [proxy] section"
    values = {key: value.strip() for key, value in parser.items(section)}
    address, port = values.get("address", ""), values.get("port", "")
    if not address or not port:
        return values, None, "Address and Port are not both set: the agent uses no proxy"
    url = f"{with_scheme(address).rstrip('/')}:{port}"
    bypass = split_bypass(values.get("bypasslist", ""))
    return values, ProxySetting(url, "ProxyInfo.conf", bypass, "asr"), ""


def parse_environment_file(text: str) -> dict[str, str]:
    """KEY=VALUE lines of /etc/environment (pam_env style: optional quotes and `export`)."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        if line.startswith("export "):
            line = line[len("export ") :].strip()
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def proxy_from_variables(values: Mapping[str, str], source: str) -> ProxySetting | None:
    """The proxy that https_proxy/http_proxy (and no_proxy) variables configure."""
    url = next((values[name] for name in PROXY_VARS if values.get(name)), "")
    if not url:
        return None
    no_proxy = next((values[name] for name in NO_PROXY_VARS if values.get(name)), "")
    return ProxySetting(with_scheme(url), source, split_bypass(no_proxy), "no_proxy")


def wininet_server(server: str) -> str:
    """The proxy WinINet's ProxyServer gives for HTTPS: `https=` entry, else `http=`, else all."""
    if "=" not in server:
        return with_scheme(server.strip())
    entries = {}
    for part in server.split(";"):
        scheme, _, address = part.partition("=")
        if address.strip():
            entries[scheme.strip().lower()] = address.strip()
    chosen = entries.get("https") or entries.get("http") or ""
    return with_scheme(chosen) if chosen else ""


def parse_wininet(values: Mapping[str, object], source: str) -> ProxySetting | None:
    """A WinINet Internet Settings key: the proxy when ProxyEnable is 1 and a server is set."""
    if values.get("ProxyEnable") not in (1, "1"):
        return None
    url = wininet_server(str(values.get("ProxyServer") or ""))
    if not url:
        return None
    override = str(values.get("ProxyOverride") or "")
    bypass = tuple(part.strip() for part in override.split(";") if part.strip())
    return ProxySetting(url, source, bypass, "wininet")


def read_proxyinfo(system: System) -> SourceReading:
    path = PROXYINFO_WINDOWS if system.platform() == "windows" else PROXYINFO_LINUX
    text = system.read_file(path)
    if text is None:
        return SourceReading("ProxyInfo.conf", path, False, note="file does not exist")
    values, proxy, note = parse_proxyinfo(text)
    return SourceReading("ProxyInfo.conf", path, True, proxy, values, note)


def read_etc_environment(system: System) -> SourceReading:
    text = system.read_file(ETC_ENVIRONMENT)
    if text is None:
        return SourceReading("/etc/environment", ETC_ENVIRONMENT, False, note="file does not exist")
    names = PROXY_VARS + NO_PROXY_VARS
    values = {k: v for k, v in parse_environment_file(text).items() if k in names}
    proxy = proxy_from_variables(values, "/etc/environment")
    note = "" if proxy else "no proxy variable set"
    return SourceReading("/etc/environment", ETC_ENVIRONMENT, True, proxy, values, note)


def read_wininet(system: System, key: str, label: str) -> SourceReading:
    raw = system.registry_values(key)
    if raw is None:
        return SourceReading(label, key, False, note="registry key not found")
    names = ("ProxyEnable", "ProxyServer", "ProxyOverride", "AutoConfigURL")
    values = {name: str(raw[name]) for name in names if name in raw}
    proxy = parse_wininet(raw, "WinINet")
    note = "" if proxy else "proxy not enabled"
    return SourceReading(label, key, True, proxy, values, note)


def agent_sources(system: System) -> list[SourceReading]:
    """Every source the agent consults, in the order it consults them."""
    readings = [read_proxyinfo(system)]
    if system.platform() == "windows":
        policy = system.registry_values(WININET_POLICY) or {}
        if policy.get("ProxySettingsPerUser") in (0, "0"):
            readings.append(read_wininet(system, WININET_MACHINE, "WinINet (machine-wide)"))
        readings.append(read_wininet(system, WININET_SYSTEM, "WinINet (SYSTEM)"))
        readings.append(read_wininet(system, WININET_USER, "WinINet (current user)"))
    else:
        readings.append(read_etc_environment(system))
    return readings


def choose(readings: list[SourceReading]) -> SourceReading | None:
    """The first reading that configures a proxy: the one the agent uses."""
    return next((reading for reading in readings if reading.proxy is not None), None)


def discover(system: System) -> ProxySetting | None:
    """The proxy the ASR agent would use on this machine, or None for direct."""
    chosen = choose(agent_sources(system))
    return chosen.proxy if chosen else None


def has_credentials(url: str) -> bool:
    parts = urlsplit(url)
    return parts.username is not None or parts.password is not None
