"""What every check receives besides its own endpoint or step: settings and seams.

The run command builds one `Context`; tests build their own pointing at loopback peers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from runner.redact import Redactor


@dataclass(frozen=True)
class ProxySetting:
    """A proxy that some source configures. `url` may hold credentials: never print it."""

    url: str
    #: "cli", "env", "ProxyInfo.conf", "/etc/environment", "WinINet", "WinHTTP".
    source: str
    #: Bypass entries as written in the source (NO_PROXY, BypassList, ProxyOverride).
    bypass: tuple[str, ...] = ()
    #: How `bypass` matches a host: "no_proxy" (curl rules), "asr" (ProxyInfo.conf
    #: suffix rule, asr-facts.md section 6) or "wininet" (ProxyOverride wildcards).
    bypass_style: str = "no_proxy"


@dataclass(frozen=True)
class Context:
    """Run-wide settings and the seams to the machine, shared by every check."""

    #: `--timeout`: overrides every stage timeout when set.
    timeout_override: float | None = None
    #: `--dns-server`: query these (ip, port) with dnspython; empty = system resolver.
    dns_servers: tuple[tuple[str, int], ...] = ()
    #: `--ca-bundle` or SSL_CERT_FILE; None = the system trust store.
    ca_bundle: str | None = None
    #: `--proxy` (with `--proxy-user` credentials folded into the URL).
    cli_proxy: ProxySetting | None = None
    #: HTTPS_PROXY / NO_PROXY of this process.
    env_proxy: ProxySetting | None = None
    #: The proxy the ASR agent would use (ProxyInfo.conf, /etc/environment, WinINet).
    agent_proxy: ProxySetting | None = None
    #: `--no-proxy`: check directly only.
    force_direct: bool = False
    redactor: Redactor = field(default_factory=Redactor)
    #: The machine seam for collectors (`runner.system.System`); None = the real machine.
    system: Any = None
    #: Where tracebacks of internal errors go (beside the support log); None = nowhere.
    traceback_file: str | None = None

    def stage_timeout(self, planned: float) -> float:
        """The timeout a stage must use: `--timeout` wins over the plan."""
        return self.timeout_override if self.timeout_override is not None else planned
