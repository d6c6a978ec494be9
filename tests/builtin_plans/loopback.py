"""The loopback stand-ins of Azure that the built-in plans' end-to-end tests run against:
the plans' host names, a test CA named like Microsoft's, and a child plan that points a
built-in plan at the loopback TLS server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import trustme

from tests.peers.dns import DnsServer
from tests.peers.tls import Pki, TlsServer

#: The variables of the README's first command.
A2A_VARS = (
    "--var",
    "source_region=japaneast",
    "--var",
    "target_region=japanwest",
    "--var",
    "storage_account=mycache",
)
A2A_HOSTS = (
    "login.microsoftonline.com",
    "pod01-rcm1.jpe.hypervrecoverymanager.windowsazure.com",
    "pod01-rcm1.jpw.hypervrecoverymanager.windowsazure.com",
    "mycache.blob.core.windows.net",
    "azgnrelay-eastus-l1.servicebus.windows.net",
)
H2A_HOSTS = (
    "login.microsoftonline.com",
    "pod01-rcm1.we.hypervrecoverymanager.windowsazure.com",
    "pod01-srs1.we.hypervrecoverymanager.windowsazure.com",
    "pod01-id1.we.backup.windowsazure.com",
    "pod01-prot1.we.backup.windowsazure.com",
    "hvstore.blob.core.windows.net",
    "azgnrelay-westeurope-l1.servicebus.windows.net",
    "dc.services.visualstudio.com",
)
#: The vault's RCM names (private-endpoint section, vault_id 1234567): the public names
#: clients resolve, and the privatelink names they CNAME into.
PRIVATE_RCM = "1234567-asr-pod01-rcm1.jpw.siterecovery.windowsazure.com"
PRIVATE_RCM_SOURCE = "1234567-asr-pod01-rcm1.jpe.siterecovery.windowsazure.com"
PRIVATELINK_RCM = "1234567-asr-pod01-rcm1.jpw.privatelink.siterecovery.windowsazure.com"
PROXY_ENV = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


class AzureLikePki(Pki):
    """The test PKI, with a trusted CA named like Microsoft's, as the plans expect."""

    def __init__(self) -> None:
        super().__init__()
        self.ca = trustme.CA(organization_name="Microsoft Azure Test TLS CA")


@dataclass
class Peers:
    tls: TlsServer
    dns: DnsServer
    ca_bundle: str
    tmp: Path


def child_plan(
    peers: Peers,
    parent: str,
    extra_steps: str = "",
    routes: str = "[default, agent]",
    chain: str = "[dns, tcp, tls, http]",
) -> Path:
    """A plan that extends a built-in one, pointed at the loopback TLS server's port."""
    path = peers.tmp / f"{parent}-loopback.yaml"
    path.write_text(
        f"""\
plan_format: 1
name: {parent}-loopback
version: 1.0.0
scenario: test
description: The built-in {parent} plan against loopback peers.
extends: {parent}
defaults:
  port: {peers.tls.port}
  timeout: 5
  deadline: 60
  routes: {routes}
  chain: {chain}
steps:
  - id: clock
    kind: clock
    with: {{host: localhost, port: {peers.tls.port}}}
{extra_steps}""",
        encoding="utf-8",
    )
    return path
