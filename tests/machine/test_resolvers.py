"""The DNS servers the system resolver asks in the end: behind the systemd-resolved stub
(recorded `resolvectl status` of systemd 245 and 249, and a real file layout under a
temporary root), and on a Japanese Windows from the registry, where `ipconfig /all` and
`netsh winhttp show proxy` are not in English."""

from __future__ import annotations

import asyncio
from pathlib import Path

from runner.context import Context
from runner.kinds.base import StepOutcome
from runner.machine import resolvers, windows_output, winhttp
from runner.machine.system import CommandResult, LocalSystem, RecordedSystem, System
from runner.model import Step
from runner.registry import STEPS
from tests.helpers.machines import SAMPLES, sample, windows_japanese


def _network(system: System) -> dict[str, StepOutcome]:
    step = Step(id="network", kind="network", params={})
    outcomes = asyncio.run(STEPS["network"].run(step, Context(system=system)))
    return {outcome.check: outcome for outcome in outcomes}


def test_resolvectl_249_servers_per_link_without_suffixes() -> None:
    assert resolvers.parse_resolvectl(sample("resolvectl_status_249.txt")) == {
        "eth0": ["203.0.113.53", "203.0.113.54"],
        "eth1": ["2001:db8::53", "198.51.100.53"],
    }


def test_resolvectl_245_layout() -> None:
    assert resolvers.parse_resolvectl(sample("resolvectl_status_245.txt")) == {
        "eth0": ["168.63.129.16"]
    }


def _ubuntu(files: dict[str, str], resolvectl: str | None = None) -> RecordedSystem:
    commands: dict[tuple[str, ...], CommandResult | str] = {}
    if resolvectl is not None:
        commands[("resolvectl", "status")] = resolvectl
    return RecordedSystem(files=files, commands=commands)


def test_behind_the_stub_the_upstream_servers_are_named() -> None:
    system = _ubuntu(
        {
            "/etc/resolv.conf": sample("stub-resolv.conf"),
            "/run/systemd/resolve/resolv.conf": sample("systemd-resolve-resolv.conf"),
        },
        sample("resolvectl_status_249.txt"),
    )
    found = resolvers.linux_dns(system)
    assert found == resolvers.DnsServers(
        ("203.0.113.53", "203.0.113.54"), "/run/systemd/resolve/resolv.conf", "127.0.0.53"
    )
    assert found.describe() == (
        "203.0.113.53, 203.0.113.54 (behind the systemd-resolved stub 127.0.0.53)"
    )
    dns = _network(system)["network:dns"]
    assert dns.detail == f"DNS servers: {found.describe()}"
    assert dns.facts["nameservers"] == ["127.0.0.53"]  # what resolv.conf says, as it says it
    assert dns.facts["upstream"] == ["203.0.113.53", "203.0.113.54"]
    assert dns.facts["resolvectl"]["eth1"] == ["2001:db8::53", "198.51.100.53"]
    assert "Current DNS Server: 203.0.113.53" in dns.facts["resolvectl_output"]


def test_without_the_upstream_file_resolvectl_names_them() -> None:
    system = _ubuntu(
        {"/etc/resolv.conf": sample("stub-resolv.conf")}, sample("resolvectl_status_245.txt")
    )
    dns = _network(system)["network:dns"]
    assert dns.detail == "DNS servers: 168.63.129.16 (behind the systemd-resolved stub 127.0.0.53)"
    assert dns.facts["upstream_from"] == "resolvectl status"


def test_a_stub_with_nothing_behind_it_says_so() -> None:
    system = _ubuntu({"/etc/resolv.conf": sample("stub-resolv.conf")})
    assert _network(system)["network:dns"].detail == (
        "DNS servers: 127.0.0.53 (the systemd-resolved stub; the servers behind it are unknown)"
    )


def test_a_plain_resolv_conf_is_taken_as_it_is() -> None:
    found = resolvers.linux_dns(_ubuntu({"/etc/resolv.conf": sample("resolv.conf")}))
    assert found == resolvers.DnsServers(("168.63.129.16",), "/etc/resolv.conf")
    assert found.describe() == "168.63.129.16"


def test_the_real_ubuntu_file_layout_under_a_temporary_root(tmp_path: Path) -> None:
    """/etc/resolv.conf a relative symlink to the stub's file, as Ubuntu 22.04 ships it."""
    resolve = tmp_path / "run" / "systemd" / "resolve"
    resolve.mkdir(parents=True)
    (resolve / "stub-resolv.conf").write_text(sample("stub-resolv.conf"), encoding="utf-8")
    (resolve / "resolv.conf").write_text(sample("systemd-resolve-resolv.conf"), encoding="utf-8")
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "resolv.conf").symlink_to("../run/systemd/resolve/stub-resolv.conf")
    found = resolvers.linux_dns(LocalSystem(root=str(tmp_path)))
    assert found is not None
    assert found.servers == ("203.0.113.53", "203.0.113.54") and found.stub == "127.0.0.53"


def test_japanese_windows_dns_from_the_registry() -> None:
    system = windows_japanese()
    # The English parser finds nothing in the Japanese output: the registry is read.
    adapters = windows_output.parse_ipconfig(sample("ipconfig_all_ja.txt"))
    assert windows_output.dns_servers(adapters) == {}
    found = resolvers.windows_dns(system)
    assert found is not None
    assert found.per_interface == {
        "イーサネット": ["168.63.129.16"],
        "イーサネット 2": ["203.0.113.53", "203.0.113.54", "2001:db8::53"],
    }  # イーサネット 3 is disconnected: its old DHCP server is left out
    dns = _network(system)["network:dns"]
    assert dns.detail == (
        "DNS servers: 168.63.129.16, 203.0.113.53, 203.0.113.54, 2001:db8::53; "
        "default gateways: 198.51.100.1, 203.0.113.1"
    )
    assert dns.facts["source"] == "registry"
    assert dns.facts["default_gateways"] == {
        "イーサネット": ["198.51.100.1"],
        "イーサネット 2": ["203.0.113.1"],
    }
    # The command's own output stays as evidence, as Windows printed it.
    interfaces = _network(system)["network:interfaces"]
    assert "DNS サーバー. . . . . . . . . . . . .: 168.63.129.16" in interfaces.facts["output"]


def test_winhttp_proxy_from_the_registry_blob() -> None:
    assert winhttp.from_registry(windows_japanese()) == windows_output.WinHttpProxy(
        direct=False, server="proxy.contoso.example:8080", bypass="<local>;*.contoso.example"
    )
    # Windows' own default value: direct access.
    direct = bytes.fromhex("1800000000000000010000000000000000000000")
    assert winhttp.parse_settings(direct) == windows_output.WinHttpProxy(direct=True)
    assert winhttp.parse_settings(b"\x18\x00") is None
    assert winhttp.parse_settings(direct[:12] + b"\xff\x00\x00\x00abc") is None
    never_set = RecordedSystem(platform_name="windows", registry={winhttp.KEY: {}})
    assert winhttp.from_registry(never_set) == windows_output.WinHttpProxy(direct=True)
    assert winhttp.from_registry(RecordedSystem()) is None


def test_japanese_netsh_output_is_kept_but_not_guessed() -> None:
    for name in ("netsh_winhttp_proxy_ja.txt", "netsh_winhttp_direct_ja.txt"):
        assert windows_output.parse_winhttp(sample(name)) is None
    assert (SAMPLES / "netsh_winhttp_direct_ja.txt").is_file()


def test_proxy_config_reads_winhttp_from_the_registry_on_a_japanese_windows() -> None:
    step = Step(id="proxy", kind="proxy-config", params={})
    outcomes = asyncio.run(STEPS["proxy-config"].run(step, Context(system=windows_japanese())))
    (found,) = [outcome for outcome in outcomes if outcome.check == "proxy:WinHTTP"]
    assert found.detail == "proxy proxy.contoso.example:8080, bypass <local>;*.contoso.example"
    assert found.facts["source"] == "registry"
    assert "プロキシ サーバー:  proxy.contoso.example:8080" in found.facts["output"]
