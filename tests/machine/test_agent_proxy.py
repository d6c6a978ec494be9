"""The ASR agent's proxy: ProxyInfo.conf, /etc/environment and WinINet, in the agent's order."""

from __future__ import annotations

from runner.machine import agent_proxy
from runner.machine.agent_proxy import (
    PROXYINFO_LINUX,
    PROXYINFO_WINDOWS,
    WININET_SYSTEM,
    WININET_USER,
    discover,
    parse_environment_file,
    parse_proxyinfo,
    wininet_server,
)
from runner.machine.system import RecordedSystem

PROXYINFO = """\
[proxy]
Address=198.51.100.9
Port=3128
BypassList=blob.core.windows.net;login.microsoftonline.com, .vault.azure.net
"""


def test_proxyinfo_adds_http_and_port_and_splits_bypass() -> None:
    values, proxy, note = parse_proxyinfo(PROXYINFO)
    assert note == ""
    assert values["address"] == "198.51.100.9"
    assert proxy is not None
    assert proxy.url == "http://198.51.100.9:3128"
    assert proxy.source == "ProxyInfo.conf"
    assert proxy.bypass_style == "asr"
    assert proxy.bypass == (
        "blob.core.windows.net",
        "login.microsoftonline.com",
        ".vault.azure.net",
    )


def test_proxyinfo_keeps_an_explicit_scheme_and_ignores_key_case() -> None:
    _, proxy, _ = parse_proxyinfo("[Proxy]\naddress = https://proxy.example\nPORT = 8443\n")
    assert proxy is not None and proxy.url == "https://proxy.example:8443"


def test_proxyinfo_needs_both_address_and_port() -> None:
    values, proxy, note = parse_proxyinfo("[proxy]\nAddress=http://proxy.example\n")
    assert proxy is None
    assert values == {"address": "http://proxy.example"}
    assert "not both set" in note


def test_proxyinfo_without_section_or_unparsable() -> None:
    assert parse_proxyinfo("Address=x\n")[2].startswith("cannot be parsed")
    assert parse_proxyinfo("[other]\nAddress=x\n")[2] == "no [proxy] section"


def test_environment_file_quotes_and_export() -> None:
    text = (
        '# c\nPATH="/usr/bin"\nexport https_proxy="http://p.example:8080"\nno_proxy=\'.internal\'\n'
    )
    assert parse_environment_file(text) == {
        "PATH": "/usr/bin",
        "https_proxy": "http://p.example:8080",
        "no_proxy": ".internal",
    }


def test_wininet_server_forms() -> None:
    assert wininet_server("proxy.example:8080") == "http://proxy.example:8080"
    assert wininet_server("http=a.example:80;https=b.example:443") == "http://b.example:443"
    assert wininet_server("ftp=f:21;http=a.example:80") == "http://a.example:80"
    assert wininet_server("ftp=f:21") == ""


def test_linux_prefers_proxyinfo_over_etc_environment() -> None:
    files = {
        PROXYINFO_LINUX: PROXYINFO,
        "/etc/environment": "https_proxy=http://env.example:8080\n",
    }
    proxy = discover(RecordedSystem(files=files))
    assert proxy is not None and proxy.source == "ProxyInfo.conf"


def test_linux_falls_back_to_etc_environment_not_the_shell() -> None:
    system = RecordedSystem(
        env={"HTTPS_PROXY": "http://shell.example:1"},
        files={"/etc/environment": "http_proxy=env.example:8080\nNO_PROXY=.corp\n"},
    )
    proxy = discover(system)
    assert proxy is not None
    assert (proxy.url, proxy.source, proxy.bypass, proxy.bypass_style) == (
        "http://env.example:8080",
        "/etc/environment",
        (".corp",),
        "no_proxy",
    )
    assert discover(RecordedSystem(env={"HTTPS_PROXY": "http://shell.example:1"})) is None


def test_windows_reads_wininet_system_then_user(windows: RecordedSystem) -> None:
    proxy = discover(windows)  # SYSTEM has ProxyEnable=0; the user has a proxy
    assert proxy is not None
    assert (proxy.url, proxy.source, proxy.bypass_style) == (
        "http://proxy.contoso.example:8443",
        "WinINet",
        "wininet",
    )
    assert proxy.bypass == ("<local>", "*.contoso.example")
    readings = agent_proxy.agent_sources(windows)
    assert [r.source for r in readings] == [
        "ProxyInfo.conf",
        "WinINet (SYSTEM)",
        "WinINet (current user)",
    ]
    assert readings[0].where == PROXYINFO_WINDOWS
    assert readings[1].where == WININET_SYSTEM and readings[2].where == WININET_USER


def test_windows_proxyinfo_wins_over_wininet(windows: RecordedSystem) -> None:
    windows.files = {PROXYINFO_WINDOWS: PROXYINFO}
    proxy = discover(windows)
    assert proxy is not None and proxy.source == "ProxyInfo.conf"


def test_no_source_means_direct() -> None:
    assert discover(RecordedSystem()) is None
    assert discover(RecordedSystem(platform_name="windows")) is None


def test_machine_wide_wininet_policy_comes_first(windows: RecordedSystem) -> None:
    windows.registry = {
        **windows.registry,
        agent_proxy.WININET_POLICY: {"ProxySettingsPerUser": 0},
        agent_proxy.WININET_MACHINE: {"ProxyEnable": 1, "ProxyServer": "machine.example:3128"},
    }
    readings = agent_proxy.agent_sources(windows)
    assert readings[1].source == "WinINet (machine-wide)"
    proxy = discover(windows)
    assert proxy is not None and proxy.url == "http://machine.example:3128"
