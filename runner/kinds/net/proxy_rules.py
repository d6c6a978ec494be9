"""Proxy rules that both the engine (routes) and the kinds (clock) apply: HTTPS_PROXY /
NO_PROXY as curl reads them, the bypass styles of each proxy source, the URL stages use."""

from __future__ import annotations

import fnmatch
import ipaddress
from collections.abc import Mapping

from runner.context import ProxySetting


def env_proxy(environ: Mapping[str, str]) -> ProxySetting | None:
    """HTTPS_PROXY (or ALL_PROXY) and NO_PROXY as curl reads them; lower case wins."""
    url = ""
    for name in ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        url = environ.get(name, "").strip()
        if url:
            break
    if not url:
        return None
    raw = environ.get("no_proxy", environ.get("NO_PROXY", ""))
    bypass = tuple(entry.strip() for entry in raw.split(",") if entry.strip())
    return ProxySetting(url=url, source="env", bypass=bypass, bypass_style="no_proxy")


def bypass_entry(host: str, setting: ProxySetting) -> str | None:
    """The bypass entry that sends `host` direct, or None when the proxy applies."""
    host = host.lower().rstrip(".")
    for entry in setting.bypass:
        if _matches(host, entry.strip(), setting.bypass_style):
            return entry
    return None


def _matches(host: str, entry: str, style: str) -> bool:
    if not entry:
        return False
    if style == "asr":  # ProxyInfo.conf BypassList: host contains "." + entry
        return f".{entry.lower()}" in host
    if style == "wininet":
        if entry.lower() == "<local>":
            return "." not in host
        return fnmatch.fnmatchcase(host, entry.lower())
    return _curl_matches(host, entry.lower())


def _curl_matches(host: str, entry: str) -> bool:
    if entry == "*":
        return True
    try:
        return ipaddress.ip_address(host) in ipaddress.ip_network(entry, strict=False)
    except ValueError:
        pass
    if ":" in entry and not entry.startswith("["):
        entry = entry.rsplit(":", 1)[0]
    entry = entry.lstrip("*").lstrip(".")
    return host == entry or host.endswith("." + entry)


def stage_url(url: str) -> str:
    """The proxy URL the stages talk to: `http://` for one written without a scheme
    ("10.0.0.4:3128", as ProxyInfo.conf may write it) and for `https://` (every stage sends
    a plain CONNECT to the proxy, so that all of them check the same thing)."""
    if "://" not in url:
        return f"http://{url}"
    scheme, _, rest = url.partition("://")
    return f"http://{rest}" if scheme.lower() == "https" else url
