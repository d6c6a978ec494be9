"""Collector step kinds against recorded Linux and Windows machines."""

from __future__ import annotations

import asyncio
from typing import Any

from runner.context import Context
from runner.kinds.base import StepOutcome
from runner.kinds.steps import machine, proxy_config, tls_config
from runner.machine.agent_proxy import PROXYINFO_LINUX
from runner.machine.system import CommandResult, RecordedSystem
from runner.model import Step
from runner.registry import STEPS
from runner.results import Status

TLS12_CLIENT = (
    r"HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client"
)


def run_kind(kind: str, system: RecordedSystem, **params: Any) -> dict[str, StepOutcome]:
    step = Step(id=kind, kind=kind, params=params)
    outcomes = asyncio.run(STEPS[kind].run(step, Context(system=system)))
    return {outcome.check: outcome for outcome in outcomes}


def test_every_kind_declares_summary_and_schema() -> None:
    for name in ("machine", "network", "proxy-config", "tls-config", "clock"):
        kind = STEPS[name]
        assert kind.SUMMARY and kind.PARAMS_SCHEMA["type"] == "object"
    assert STEPS["machine"] is machine and STEPS["proxy-config"] is proxy_config


def test_machine_on_an_azure_linux_vm(linux: RecordedSystem) -> None:
    facts = run_kind("machine", linux)["machine"].facts
    assert facts["hostname"] == "asr-vm02.abcdefgh.ax.internal.cloudapp.net"
    assert (facts["os"], facts["os_version"]) == ("Ubuntu 22.04.4 LTS", "22.04")
    assert facts["kernel"] == "6.5.0-1017-azure"
    assert facts["azure_vm"] is True
    assert "Virtualization: microsoft" in facts["hostnamectl"]
    assert facts["notes"] == []


def test_machine_in_a_bare_container_notes_what_is_missing() -> None:
    system = RecordedSystem(uname_info={"release": "6.1.0"})
    outcome = run_kind("machine", system)["machine"]
    assert outcome.status is Status.PASS
    assert outcome.facts["os"] is None and outcome.facts["azure_vm"] is None
    assert len(outcome.facts["notes"]) == 3
    assert "hostnamectl: not available (command not found) (no systemd?)" in outcome.facts["notes"]
    assert "Azure VM: unknown" in outcome.detail


def test_machine_not_azure_when_tag_differs(linux: RecordedSystem) -> None:
    linux.files = {**linux.files, machine.ASSET_TAG_PATH: "Default string\n"}
    assert run_kind("machine", linux)["machine"].facts["azure_vm"] is False


def test_machine_on_windows(windows: RecordedSystem) -> None:
    facts = run_kind("machine", windows)["machine"].facts
    assert facts["os"] == "Windows Server 2019 Datacenter"
    assert facts["os_build"] == "17763.5830"
    assert facts["azure_vm"] is None


def test_network_on_linux(linux: RecordedSystem) -> None:
    found = run_kind("network", linux)
    assert "198.51.100.4/24" in found["network:interfaces"].facts["output"]
    assert found["network:interfaces"].command == "ip a"
    assert found["network:routes-4"].facts["routes"] == ["default via 198.51.100.1 dev eth0"]
    assert found["network:dns"].facts["nameservers"] == ["168.63.129.16"]
    assert found["network:dns"].facts["search"] == ["abcdefgh.ax.internal.cloudapp.net"]


def test_network_without_ip_or_resolv_conf_is_a_note() -> None:
    found = run_kind("network", RecordedSystem())
    for check in ("network:interfaces", "network:routes-4", "network:dns"):
        assert (found[check].status, found[check].reason) == (Status.SKIP, "not-available")


def test_network_command_failure_is_a_warning_with_its_output(linux: RecordedSystem) -> None:
    failed = CommandResult(("ip", "a"), exit_code=1, stderr="Cannot open netlink socket")
    linux.commands = {**linux.commands, ("ip", "a"): failed}
    outcome = run_kind("network", linux)["network:interfaces"]
    assert outcome.status is Status.WARN
    assert outcome.facts["output"] == "Cannot open netlink socket"


def test_network_on_windows(windows: RecordedSystem) -> None:
    found = run_kind("network", windows)
    assert found["network:dns"].facts["dns_servers"]["Ethernet adapter Ethernet"] == [
        "168.63.129.16",
        "198.51.100.53",
    ]
    assert "203.0.113.1" in found["network:dns"].detail
    assert ("ipconfig", "/all") in windows.calls


def test_proxy_config_findings_and_masking(linux: RecordedSystem) -> None:
    linux.files = {
        **linux.files,
        PROXYINFO_LINUX: "[proxy]\nAddress=https://asruser:Pa55word!@198.51.100.9\nPort=3128\n"
        "BypassList=blob.core.windows.net;10.0.0.0/8,198.51.100.7;*.vault.azure.net\n",
    }
    context = Context(system=linux)
    outcomes = asyncio.run(proxy_config.run(Step(id="p", kind="proxy-config"), context))
    found = {o.check: o for o in outcomes}
    conf = found["proxy:ProxyInfo.conf"]
    assert (conf.status, conf.reason) == (Status.WARN, "finding")
    text = " ".join(conf.facts["findings"])
    for expected in ("authenticated", "HTTPS proxy", "'10.0.0.0/8'", "'198.51.100.7'", "wildcard"):
        assert expected in text
    assert "blob.core.windows.net" not in text
    assert "Pa55word!" not in repr(conf) and "Pa55word!" not in repr(found)
    assert context.redactor.mask("x Pa55word! y") == "x *** y"
    agent = found["proxy:agent"]
    assert agent.facts["source"] == "ProxyInfo.conf"
    assert agent.facts["proxy"] == "https://asruser:***@198.51.100.9:3128"
    assert list(found) == [
        "proxy:env",
        "proxy:ProxyInfo.conf",
        "proxy:/etc/environment",
        "proxy:agent",
    ]


def test_proxy_config_without_any_proxy(linux: RecordedSystem) -> None:
    found = run_kind("proxy-config", linux)
    assert found["proxy:ProxyInfo.conf"].reason == "not-available"
    assert found["proxy:/etc/environment"].reason == "not-available"
    assert "connects directly" in found["proxy:agent"].detail


def test_proxy_config_on_windows(windows: RecordedSystem) -> None:
    found = run_kind("proxy-config", windows)
    assert found["proxy:WinINet (SYSTEM)"].detail.startswith("no proxy")
    user = found["proxy:WinINet (current user)"]
    assert user.facts["proxy"] == "http://proxy.contoso.example:8443"
    assert user.status is Status.PASS  # wildcards are fine in WinINet's ProxyOverride
    winhttp = found["proxy:WinHTTP"]
    assert winhttp.facts["server"] == "proxy.contoso.example:8080"
    assert winhttp.command == "netsh winhttp show proxy"
    assert found["proxy:agent"].facts["source"] == "WinINet (current user)"


def test_tls_config_on_windows_warns_on_missing_dotnet_value(windows: RecordedSystem) -> None:
    found = run_kind("tls-config", windows)
    schannel = found["tls:schannel"]
    assert (schannel.status, schannel.reason) == (Status.PASS, "ok")
    assert len(schannel.facts["schannel"]) == 7
    dotnet = found["tls:dotnet"]
    assert (dotnet.status, dotnet.reason) == (Status.WARN, "finding")
    assert (
        r"WOW6432Node\Microsoft\.NETFramework\v4.0.30319\SystemDefaultTlsVersions" in dotnet.detail
    )
    assert "SchUseStrongCrypto" not in dotnet.detail.split("not 1:")[1]


def test_tls_config_on_windows_fails_when_tls12_client_is_off(windows: RecordedSystem) -> None:
    registry = dict(windows.registry)
    registry[TLS12_CLIENT] = {"Enabled": 1, "DisabledByDefault": 1}
    windows.registry = registry
    schannel = run_kind("tls-config", windows)["tls:schannel"]
    assert (schannel.status, schannel.reason) == (Status.FAIL, "tls-protocol")
    assert "DisabledByDefault=1" in schannel.detail
    registry[TLS12_CLIENT] = {"Enabled": 0}
    assert run_kind("tls-config", windows)["tls:schannel"].status is Status.FAIL


def test_tls_config_on_windows_without_keys_uses_defaults() -> None:
    found = run_kind("tls-config", RecordedSystem(platform_name="windows"))
    assert found["tls:schannel"].status is Status.PASS
    assert found["tls:dotnet"].status is Status.WARN


def test_tls12_problem_rules() -> None:
    key = TLS12_CLIENT
    assert tls_config.tls12_client_problem({}) == ""
    assert tls_config.tls12_client_problem({key: {"Enabled": 1}}) == ""
    assert tls_config.tls12_client_problem({key: {"Enabled": 0}}) != ""


def test_process_environment_is_shown_masked_but_not_judged(linux: RecordedSystem) -> None:
    linux.env = {"HTTPS_PROXY": "http://u:Pw12345@proxy.example:8080", "NO_PROXY": "10.0.0.0/8"}
    env = run_kind("proxy-config", linux)["proxy:env"]
    assert (env.status, env.reason) == (Status.PASS, "collected")
    assert env.facts["values"]["HTTPS_PROXY"] == "http://u:***@proxy.example:8080"
    assert env.facts["proxy"] == "http://u:***@proxy.example:8080"
    assert "Pw12345" not in repr(env)


def test_schemeless_address_credentials_are_masked(linux: RecordedSystem) -> None:
    linux.files = {**linux.files, PROXYINFO_LINUX: "[proxy]\nAddress=u:Pw12345@p.example\nPort=1\n"}
    conf = run_kind("proxy-config", linux)["proxy:ProxyInfo.conf"]
    assert conf.facts["values"]["address"] == "u:***@p.example"
    assert "Pw12345" not in repr(conf)


def test_every_proxy_source_has_a_manual_command(windows: RecordedSystem) -> None:
    found = run_kind("proxy-config", windows)
    assert found["proxy:env"].command == "env | grep -i proxy"
    assert found["proxy:ProxyInfo.conf"].command == (
        'type "C:\\ProgramData\\Microsoft Azure Site Recovery\\Config\\ProxyInfo.conf"'
    )
    assert found["proxy:WinINet (SYSTEM)"].command.startswith('reg query "HKU\\S-1-5-18\\')
    linux = run_kind("proxy-config", RecordedSystem())
    assert linux["proxy:/etc/environment"].command == "cat /etc/environment"
