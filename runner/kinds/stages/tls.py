"""TLS handshake with SNI: protocol, cipher, presented certificate, trust and issuer checks."""

from __future__ import annotations

import socket
import ssl
import time
from dataclasses import replace
from typing import Any

from runner.context import Context
from runner.kinds.base import Probe, StageOutcome
from runner.kinds.net import connection, manual_commands, names, tls_context, x509
from runner.kinds.net.threads import in_thread
from runner.results import Status

SUMMARY = "Handshake TLS with SNI and verify the certificate chain and its issuer."
ORDER = 40
ROUTES = "any"
FIREWALL_ADVICE = True
#: The reason when the engine has to cut this stage off at its timeout.
TIMEOUT_REASON = "tls-handshake"

_PROTOCOL_ERRORS = (
    "UNSUPPORTED_PROTOCOL",
    "TLSV1_ALERT_PROTOCOL_VERSION",
    "NO_PROTOCOLS_AVAILABLE",
    "WRONG_SSL_VERSION",
    "VERSION_TOO_LOW",
)
_EXPIRED = {9, 10}  # X509_V_ERR_CERT_NOT_YET_VALID, X509_V_ERR_CERT_HAS_EXPIRED
_HOSTNAME = {62, 64}  # X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH
#: The peer or the path cut the connection during the handshake.
_CUT_OFF = (
    ConnectionResetError,
    ConnectionAbortedError,
    BrokenPipeError,
    ssl.SSLEOFError,
    ssl.SSLZeroReturnError,
)
_RESET_HINT = (
    "Windows reports this as socket error 10054 (connection forcibly closed), which ASR "
    "shows when TLS 1.2 is not available on the machine; a firewall that resets new "
    "connections, or filters by server name (SNI), cuts the handshake the same way."
)
#: Issuer names of public CAs; anything else on a failed chain suggests a middlebox.
_PUBLIC_CAS = ("microsoft", "digicert", "baltimore", "globalsign", "verisign", "entrust")


async def run(probe: Probe, ctx: Context) -> StageOutcome:
    """Handshakes on the chain's connection (in a thread: blocking sockets with timeouts)."""
    found = await names.resolved(probe, ctx)  # no earlier stage resolved the host
    if isinstance(found, StageOutcome):
        return found
    return await in_thread(lambda: _check(found, ctx))


def _check(probe: Probe, ctx: Context) -> StageOutcome:
    """TLS on the connection the tcp or proxy stage opened, else on one of its own."""
    conn = connection.of(probe)
    if conn is not None:
        return _handshake(probe, ctx, conn)
    try:
        conn = tls_context.open_connection(probe)
    except OSError as error:
        command = manual_commands.openssl(probe)
        return _fail("tls-handshake", f"connection broke: {error.strerror or error}", command)
    outcome = _handshake(probe, ctx, conn)
    if outcome.status is Status.FAIL:
        conn.close()
        return outcome
    return replace(outcome, state={connection.STATE_KEY: conn})


def _handshake(probe: Probe, ctx: Context, conn: connection.Connection) -> StageOutcome:
    command = manual_commands.openssl(probe)
    started = time.monotonic()
    try:
        tls = tls_context.handshake(conn, tls_context.verifying(ctx), probe)
        facts = _session_facts(tls)
    except ssl.SSLCertVerificationError as error:
        left = probe.timeout - (time.monotonic() - started)
        return _untrusted(replace(probe, timeout=left), error, command)
    except _CUT_OFF as error:
        return _fail("tls-handshake", _cut_off(error), command, hint=_RESET_HINT)
    except ssl.SSLError as error:
        if error.reason in _PROTOCOL_ERRORS:
            left = probe.timeout - (time.monotonic() - started)
            return _too_old(replace(probe, timeout=left), error, command)
        return _fail("tls-handshake", f"handshake failed: {error.reason or error}", command)
    except socket.timeout:
        return _fail("tls-handshake", f"no handshake within {probe.timeout:g}s", command)
    except OSError as error:
        return _fail("tls-handshake", f"connection broke: {error.strerror or error}", command)
    facts["time_ms"] = round((time.monotonic() - started) * 1000, 1)
    return _judge(probe, facts, command)


def _cut_off(error: OSError) -> str:
    if isinstance(error, (ssl.SSLEOFError, ssl.SSLZeroReturnError)):
        return "the connection was closed during the handshake, before the server answered"
    return f"the connection was reset during the handshake: {error.strerror or error}"


def _too_old(probe: Probe, error: ssl.SSLError, command: str) -> StageOutcome:
    """tls-protocol, naming the version the server does speak when it can be learnt."""
    offered = tls_context.legacy_version(probe) if probe.timeout >= 0.2 else None
    detail = f"handshake failed: {error.reason}"
    if offered:
        detail += f"; the server only offers {offered} (TLS 1.2 or newer is required)"
    return _fail("tls-protocol", detail, command, facts={"server_version": offered})


def _fail(reason: str, detail: str, command: str, **kw: Any) -> StageOutcome:
    return StageOutcome(status=Status.FAIL, reason=reason, detail=detail, command=command, **kw)


def _session_facts(tls: ssl.SSLSocket) -> dict[str, Any]:
    cipher = tls.cipher()
    return {
        "version": tls.version(),
        "cipher": cipher[0] if cipher else None,
        "verified": True,
        "chain": _chain(tls),
    }


def _chain(tls: ssl.SSLSocket) -> list[dict[str, Any]]:
    """The leaf, or the whole chain when this Python can give it (3.13+)."""
    ders: list[bytes] = []
    for name in ("get_verified_chain", "get_unverified_chain"):
        getter = getattr(tls, name, None)
        if getter is not None and not ders:
            ders = [item for item in getter() if isinstance(item, bytes)]
    if not ders:
        leaf = tls.getpeercert(binary_form=True)
        ders = [leaf] if leaf else []
    return [x509.describe(der) for der in ders]


def _issuer_words(chain: list[dict[str, Any]]) -> list[str]:
    names: list[str] = []
    for cert in chain:
        for part in ("issuer", "subject"):
            names.extend(cert.get(part, {}).get(key, "") for key in ("CN", "O"))
    return [name for name in names if name]


def _judge(probe: Probe, facts: dict[str, Any], command: str) -> StageOutcome:
    chain = facts["chain"]
    leaf = chain[0] if chain else {}
    issuer = x509.label(leaf.get("issuer", {}))
    detail = (
        f"{facts['version']}, {facts['cipher']}, issuer {issuer}, expires {leaf.get('not_after')}"
    )
    expected = probe.endpoint.tls_issuers
    words = [w.lower() for w in _issuer_words([*chain[1:], {"issuer": leaf.get("issuer", {})}])]
    status, reason = Status.PASS, "ok"
    if expected and not any(e.lower() in w for e in expected for w in words):
        status, reason = Status.WARN, "tls-intercepted"
        detail += f"; expected an issuer like {', '.join(expected)}"
    return StageOutcome(status=status, reason=reason, detail=detail, command=command, facts=facts)


def _untrusted(probe: Probe, error: ssl.SSLCertVerificationError, command: str) -> StageOutcome:
    code = error.verify_code
    reason = "cert-untrusted"
    if code in _EXPIRED:
        reason = "cert-expired"
    elif code in _HOSTNAME:
        reason = "cert-hostname-mismatch"
    chain = _presented_chain(probe)
    facts: dict[str, Any] = {
        "verified": False,
        "verify_error": error.verify_message,
        "chain": chain,
    }
    issuer = x509.label(chain[0].get("issuer", {})) if chain else "unknown"
    detail = f"certificate rejected: {error.verify_message}; issuer {issuer}"
    return _fail(reason, detail, command, facts=facts, hint=_middlebox_hint(probe, chain, issuer))


def _presented_chain(probe: Probe) -> list[dict[str, Any]]:
    """Reconnects without verification to read what the server presents (time allowing)."""
    if probe.timeout < 0.2:
        return []
    try:
        with tls_context.open_socket(probe) as raw:
            with tls_context.unverified().wrap_socket(
                raw, server_hostname=tls_context.tls_name(probe)
            ) as tls:
                return _chain(tls)
    except OSError:
        return []


def _middlebox_hint(probe: Probe, chain: list[dict[str, Any]], issuer: str) -> str:
    known = probe.endpoint.tls_issuers or _PUBLIC_CAS
    words = [w.lower() for w in _issuer_words([{"issuer": c.get("issuer", {})} for c in chain])]
    if any(k.lower() in w for k in known for w in words):
        return f"The issuer ({issuer}) looks like a public CA: this machine's trust store lacks it."
    return (
        f"The issuer ({issuer}) is not a public CA expected here: this looks like a "
        "TLS-inspecting proxy or firewall re-signing the traffic."
    )
