"""The system resolver's "no such name" cannot tell a missing name from a DNS server that
resolves nothing public (a VM without internet, a custom DNS server without forwarders):
the result says so, and suggests how to see the server's own answer."""

from __future__ import annotations

import socket

from runner.engine import jobs
from runner.kinds.stages import dns
from runner.machine import resolvers
from runner.model import Endpoint
from runner.results import Status

LOGIN = Endpoint(
    id="entra-id",
    host="login.microsoftonline.com",
    port=443,
    purpose="sign-in",
    service_tag="AzureActiveDirectory",
    hint="Allow the AzureActiveDirectory service tag.",
)


BEHIND_STUB = resolvers.DnsServers(
    ("203.0.113.53", "203.0.113.54"), "/run/systemd/resolve/resolv.conf", "127.0.0.53"
)


def test_no_such_name_from_the_system_resolver_is_worded_honestly() -> None:
    error = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    outcome = dns._system_failure(error, "nslookup login.microsoftonline.com", BEHIND_STUB)
    assert (outcome.status, outcome.reason) == (Status.FAIL, "nxdomain")
    assert outcome.detail == "system resolver: Name or service not known"
    assert outcome.facts["resolver"] == "system"
    assert outcome.facts["dns_servers"] == ["203.0.113.53", "203.0.113.54"]
    lines = jobs.hint("dns", outcome.reason, LOGIN, outcome.hint).split("\n")
    assert lines[0].startswith("If well-known public names fail too")
    assert lines[1] == (
        "The system resolver cannot tell a missing name from a failing DNS server: rerun "
        "with --dns-server 203.0.113.53 (the server behind the 127.0.0.53 stub) to see its "
        "own answer, or with --dns-server 168.63.129.16 (Azure DNS, on an Azure VM)."
    )
    assert not any("spelling (storage account name, region)" in line for line in lines)
    assert not any("service tag" in line for line in lines)  # not a firewall problem


def test_other_system_resolver_failures_keep_their_reason_and_words() -> None:
    error = socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    found = resolvers.DnsServers(("168.63.129.16",), "/etc/resolv.conf")
    outcome = dns._system_failure(error, "nslookup x", found)
    assert (outcome.reason, outcome.detail) == (
        "dns-timeout",
        "system resolver: Temporary failure in name resolution",
    )
    # Azure DNS itself: nothing to compare with.
    assert outcome.hint == (
        "Rerun with --dns-server 168.63.129.16 (this machine's server) to see its own answer."
    )


def test_the_advice_without_known_servers_and_with_an_empty_stub() -> None:
    unknown = dns.system_dns_hint(None)
    assert "--dns-server and the server from /etc/resolv.conf (Windows: ipconfig /all)" in unknown
    empty = resolvers.DnsServers((), "/etc/resolv.conf", "127.0.0.53")
    assert dns.system_dns_hint(empty).startswith(
        "systemd-resolved (the stub 127.0.0.53 in /etc/resolv.conf) has no DNS server to forward to"
    )
