"""The one stable list of reason codes, with the stage each belongs to and a plain hint.

Codes are part of the JSON contract: never rename one; add new ones at the end of a group.
README.md and schemas/report.schema.json list them; a test keeps the three in step.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """A reason code: which stage produces it, what it means, what to do."""

    code: str
    stage: str
    meaning: str
    hint: str


def _r(code: str, stage: str, meaning: str, hint: str = "") -> Reason:
    return Reason(code=code, stage=stage, meaning=meaning, hint=hint)


_ALL = (
    _r("ok", "any", "The check passed."),
    # dns
    _r(
        "nxdomain",
        "dns",
        "The resolver says the name does not exist (NXDOMAIN or no such name).",
        "If well-known public names fail too, this machine's DNS cannot resolve public "
        "names: with custom DNS, make it forward to Azure DNS (168.63.129.16) or public DNS. "
        "Otherwise check the spelling of the names you gave (--var). ASR reports "
        "151037/151195.",
    ),
    _r(
        "no-answer",
        "dns",
        "The name exists but has no A or AAAA record.",
        "A CNAME chain ends without an address: check the private DNS zone records.",
    ),
    _r(
        "servfail",
        "dns",
        "The DNS server failed to answer (SERVFAIL).",
        "The DNS server cannot resolve upstream: check its forwarders. ASR reports 151037.",
    ),
    _r(
        "dns-refused",
        "dns",
        "The DNS server refused the query.",
        "The DNS server does not serve this client: check its ACLs or use the VNet's DNS.",
    ),
    _r(
        "dns-timeout",
        "dns",
        "No DNS server answered in time.",
        "The configured DNS servers are unreachable: check the VNet DNS settings and that "
        "UDP/TCP 53 is open to them. ASR reports 151037/151195.",
    ),
    _r(
        "expected-private",
        "dns",
        "A private-endpoint name resolved to a public address.",
        "Link the VNet to the privatelink zone (or add the A records) so the name resolves "
        "to the private endpoint's IP.",
    ),
    _r(
        "expected-public",
        "dns",
        "A public endpoint resolved to a private address.",
        "A private DNS zone or hosts entry overrides this name: check it is intended.",
    ),
    _r(
        "no-privatelink-cname",
        "dns",
        "A private-endpoint name resolved without a CNAME into its privatelink zone.",
        "The answer does not come from the private endpoint's DNS records: link the VNet to "
        "the privatelink zone (or forward the public zone to Azure DNS), and remove hosts-file "
        "or custom-zone entries for the name.",
    ),
    _r(
        "not-endpoint-address",
        "dns",
        "A private-endpoint name resolved to a loopback, link-local or reserved address.",
        "A private endpoint has an address of its subnet (RFC 1918, 100.64.0.0/10 or IPv6 "
        "ULA): fix the DNS record or hosts-file entry that answers this.",
    ),
    # tcp
    _r(
        "refused",
        "tcp",
        "The connection was refused (RST).",
        "Something on the path actively rejects this port: check the firewall or NVA rules.",
    ),
    _r(
        "tcp-timeout",
        "tcp",
        "The connection did not complete in time (packets dropped).",
        "Outbound TCP to this port is silently dropped: allow it in the NSG (service tag), Azure "
        "Firewall or NVA.",
    ),
    _r(
        "unreachable",
        "tcp",
        "No route to the address (network or host unreachable).",
        "Check the route table (UDRs, forced tunnelling) and that the VM has outbound access.",
    ),
    _r(
        "reset",
        "tcp",
        "The connection was reset while connecting.",
        "A firewall reset the connection: check its rules and logs.",
    ),
    # proxy
    _r(
        "proxy-unreachable",
        "proxy",
        "The proxy itself could not be reached.",
        "Check the proxy address and port (ProxyInfo.conf, /etc/environment, HTTPS_PROXY).",
    ),
    _r(
        "proxy-auth-required",
        "proxy",
        "The proxy demands authentication (407).",
        "ASR does not support authenticated proxies: allow these hosts without "
        "authentication, or bypass the proxy. ASR reports 151072.",
    ),
    _r(
        "proxy-denied",
        "proxy",
        "The proxy refused the CONNECT request (403).",
        "Ask the proxy team to allow CONNECT to this host and port.",
    ),
    _r(
        "proxy-upstream-error",
        "proxy",
        "The proxy could not resolve or reach the host (5xx).",
        "The proxy's own DNS or outbound access fails for this host: check the proxy.",
    ),
    _r(
        "proxy-timeout",
        "proxy",
        "The proxy did not answer the CONNECT request in time.",
        "The proxy hangs on this host: check the proxy's outbound rules.",
    ),
    _r(
        "proxy-auth-unsupported",
        "proxy",
        "The route uses proxy credentials.",
        "ASR does not support authenticated proxies, even when this check passes.",
    ),
    # tls
    _r(
        "cert-untrusted",
        "tls",
        "The certificate chain is not trusted.",
        "Install the missing root certificates (Windows Update; Linux: update the CA bundle). "
        "If the issuer is a corporate CA, a TLS-inspecting proxy or firewall is in the path: "
        "exclude ASR hosts from inspection. ASR reports 151066.",
    ),
    _r(
        "cert-expired",
        "tls",
        "The certificate is expired or not yet valid.",
        "Check the system clock; an expired certificate from a middlebox means TLS inspection.",
    ),
    _r(
        "cert-hostname-mismatch",
        "tls",
        "The certificate does not match the host name.",
        "Something other than the Azure service answered: a proxy, firewall or DNS override.",
    ),
    _r(
        "tls-protocol",
        "tls",
        "TLS 1.2 or newer could not be negotiated.",
        "Enable TLS 1.2 (Windows: SCHANNEL and .NET registry values, KB3140245). ASR shows "
        "error 10054 for this.",
    ),
    _r(
        "tls-handshake",
        "tls",
        "The TLS handshake failed (reset or other error).",
        "A firewall may be resetting TLS (SNI filtering): check its rules for this host.",
    ),
    _r(
        "tls-intercepted",
        "tls",
        "The chain verifies but comes from an unexpected issuer.",
        "A TLS-inspecting proxy or firewall re-signs this traffic; the ASR agent may not "
        "trust it. Exclude ASR hosts from inspection.",
    ),
    # http
    _r(
        "http-timeout",
        "http",
        "The service did not answer the HTTP request in time.",
        "The connection opens but no answer comes back: check for an inspecting middlebox.",
    ),
    _r(
        "http-error",
        "http",
        "The HTTP exchange failed.",
        "The connection broke during the request: check proxies and firewalls on the path.",
    ),
    # engine
    _r("skipped", "any", "Not run: an earlier stage failed or the section is off."),
    _r("not-applicable", "any", "Not run: not documented for this cloud or configuration."),
    _r("missing-input", "any", "Not run: a variable it needs was not given."),
    _r(
        "deadline",
        "any",
        "Not finished before the run's deadline.",
        "Rerun with a larger --deadline, or check why this check is slow.",
    ),
    _r("timeout", "any", "The step did not finish within its timeout."),
    _r("interrupted", "any", "The run was interrupted before this check finished."),
    _r(
        "internal-error",
        "any",
        "asrcheck hit an unexpected error in this check.",
        "Report it with the log file; the other checks are unaffected.",
    ),
    _r(
        "manual-check",
        "any",
        "Not run: no concrete host is known to test; the requirement must be checked by hand.",
    ),
    # collectors and findings
    _r("collected", "collector", "Information collected."),
    _r("not-available", "collector", "The command or file is not present on this machine."),
    _r("finding", "collector", "A setting that ASR does not support or that breaks it."),
    _r(
        "clock-skew",
        "clock",
        "The clock differs from the reference time by minutes.",
        "Fix time sync: a skew of more than a few minutes breaks Entra ID sign-in.",
    ),
    _r(
        "ntp-timeout",
        "ntp",
        "The time server did not answer over UDP 123.",
        "Allow outbound UDP 123 to the time server, or configure another time source.",
    ),
    # upload (the cache storage upload test)
    _r(
        "upload-auth-failed",
        "upload",
        "The storage service refused the credentials (403 AuthenticationFailed).",
        "The account key is wrong or was rotated, or the SAS is expired, not yet valid or "
        "copied incompletely (the detail says which when the answer tells): copy key1 or "
        "key2 again, or make a new container SAS, and rerun.",
    ),
    _r(
        "upload-not-authorized",
        "upload",
        "The storage account's network rules block this machine (403 AuthorizationFailure).",
        "The storage firewall or 'Public network access: Disabled' blocks this machine: in "
        "the account's Networking blade allow this VM's subnet (or public IP), or use a "
        "private endpoint, and allow trusted Microsoft services. ASR must write to the "
        "cache account.",
    ),
    _r(
        "upload-permission",
        "upload",
        "The SAS does not allow what the test does (403 AuthorizationPermissionMismatch).",
        "Make a container SAS with the Create, Write and Delete permissions (sp=cwd).",
    ),
    _r(
        "container-not-found",
        "upload",
        "The container does not exist (404).",
        "Check the container's name in the SAS URL, or give the account key instead so that "
        "a temporary container is made.",
    ),
    _r(
        "upload-slow",
        "upload",
        "The upload was slower than ASR's 4 MB in 3 seconds.",
        "ASR treats replication as latency-bound when the upload to the cache account is "
        "slower than 4 MB in 3 seconds (error 153007, no crash-consistent recovery point). "
        "Look at what is in the path: an NVA or firewall (add a Microsoft.Storage service "
        "endpoint to the subnet), the proxy (bypass it for the cache account), and the "
        "bandwidth of the link and of the VM size.",
    ),
    _r(
        "upload-timeout",
        "upload",
        "The upload did not finish in time.",
        "The path to the storage account stalls or is very slow: check NVAs, proxies and "
        "firewalls that inspect this traffic, and the bandwidth. ASR reports 153007.",
    ),
    _r(
        "upload-cleanup",
        "upload",
        "The test blob or container could not be deleted.",
        "Delete what the detail names by hand.",
    ),
    _r(
        "upload-error",
        "upload",
        "The storage service refused the upload with another answer.",
        "The detail gives the service's error code and x-ms-request-id: look the code up in "
        "the Blob service error codes, or give both to support.",
    ),
)

#: Every reason code, in documentation order.
REASONS: dict[str, Reason] = {reason.code: reason for reason in _ALL}


def hint_for(code: str) -> str:
    """The default hint of a reason code (empty for codes without one)."""
    return REASONS[code].hint
