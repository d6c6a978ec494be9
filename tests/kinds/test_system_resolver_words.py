"""The system resolver's "no such name" cannot tell a missing name from a DNS server that
resolves nothing public (a VM without internet, a custom DNS server without forwarders):
the result says so, and suggests how to see the server's own answer."""

from __future__ import annotations

import socket

from runner.engine import jobs
from runner.kinds.stages import dns
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


def test_no_such_name_from_the_system_resolver_is_worded_honestly() -> None:
    error = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    outcome = dns._system_failure(error, "nslookup login.microsoftonline.com")
    assert (outcome.status, outcome.reason) == (Status.FAIL, "nxdomain")
    assert outcome.detail == (
        "system resolver: Name or service not known: the name does not exist, or this "
        "machine's DNS server cannot resolve it (the system resolver does not say which)"
    )
    assert outcome.facts["resolver"] == "system"
    lines = jobs.hint("dns", outcome.reason, LOGIN, outcome.hint).split("\n")
    assert lines[0].startswith("If well-known public names fail too")
    assert lines[1].startswith("To see the DNS server's own answer, rerun with --dns-server")
    assert not any("spelling (storage account name, region)" in line for line in lines)
    assert not any("service tag" in line for line in lines)  # not a firewall problem


def test_other_system_resolver_failures_keep_their_reason_and_words() -> None:
    error = socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    outcome = dns._system_failure(error, "nslookup x")
    assert (outcome.reason, outcome.detail) == (
        "dns-timeout",
        "system resolver: Temporary failure in name resolution",
    )
    assert outcome.hint == ""
