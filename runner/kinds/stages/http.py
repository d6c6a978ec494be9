"""One HEAD request like `curl -I` (GET when HEAD is refused); any HTTP status = reachable.

The request goes over the chain's connection, on the TLS session the tls stage checked;
a chain without one (no tcp, proxy or tls stage before) opens its own.
"""

from __future__ import annotations

import socket
import ssl
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from runner.context import Context
from runner.kinds.base import Probe, StageOutcome
from runner.kinds.net import connection, manual_commands, names, tls_context
from runner.kinds.net.threads import in_thread
from runner.peer_text import shown
from runner.results import Status

if TYPE_CHECKING:  # h11 is imported where it is used: `validate` needs none of it
    from runner.kinds.net.http11 import Answer

SUMMARY = "Send one HTTPS HEAD request (no redirects); any HTTP status means reachable."
ORDER = 50
ROUTES = "any"
FIREWALL_ADVICE = True
#: The reason when the engine has to cut this stage off at its timeout.
TIMEOUT_REASON = "http-timeout"

_HEADERS = ("server", "x-ms-request-id", "date", "location")


@dataclass
class _Asked:
    """The exchange so far: the methods sent and the last answer."""

    methods: list[str]
    answer: Answer | None = None


async def run(probe: Probe, ctx: Context) -> StageOutcome:
    """Sends HEAD (GET if refused) and reports the answer."""
    found = await names.resolved(probe, ctx)  # no earlier stage resolved the host
    if isinstance(found, StageOutcome):
        return found
    return await in_thread(lambda: _check(found, ctx))


def _check(probe: Probe, ctx: Context) -> StageOutcome:
    from runner.kinds.net import http11

    command = manual_commands.curl(probe)
    asked = _Asked(methods=[])
    owned: list[connection.Connection] = []
    try:
        _exchange(probe, ctx, asked, owned)
    except (http11.HttpTimeout, socket.timeout) as error:
        detail = f"no complete answer within {probe.timeout:g}s ({type(error).__name__})"
        return _fail("http-timeout", detail, command)
    except (http11.HttpError, ssl.SSLError, OSError) as error:
        return _fail("http-error", f"{type(error).__name__}: {shown(str(error))}", command)
    finally:
        for conn in owned:
            conn.close()
    return _judge(asked, command)


def _exchange(
    probe: Probe, ctx: Context, asked: _Asked, owned: list[connection.Connection]
) -> None:
    """HEAD, then GET when HEAD is refused (405/501), within `probe.timeout` in all."""
    from runner.kinds.net import http11

    deadline = time.monotonic() + probe.timeout
    headers = (("Host", _host_header(probe)), ("User-Agent", "asrcheck"), ("Accept", "*/*"))
    conn = connection.of(probe)
    for method in ("HEAD", "GET"):
        conn = _secured(probe, ctx, conn, owned, deadline)
        asked.methods.append(method)
        with conn.using() as sock:
            asked.answer = http11.ask(sock, method, headers, deadline)
        if asked.answer.status not in (405, 501):
            return
        conn = conn if asked.answer.reusable else None


def _secured(
    probe: Probe,
    ctx: Context,
    conn: connection.Connection | None,
    owned: list[connection.Connection],
    deadline: float,
) -> connection.Connection:
    """A connection with TLS: the chain's, else (or after the server closed it) a new one."""
    left = replace(probe, timeout=max(deadline - time.monotonic(), 0.01))
    if conn is None or conn.closed:
        conn = tls_context.open_connection(left)
        owned.append(conn)
    if conn.tls is None:
        tls_context.handshake(conn, tls_context.verifying(ctx), left)
    return conn


def _host_header(probe: Probe) -> str:
    host, port = probe.endpoint.host, probe.endpoint.port
    return host if port == 443 else f"{host}:{port}"


def _fail(reason: str, detail: str, command: str) -> StageOutcome:
    return StageOutcome(status=Status.FAIL, reason=reason, detail=detail, command=command)


def _judge(asked: _Asked, command: str) -> StageOutcome:
    answer = asked.answer
    assert answer is not None
    seen = {name: answer.headers[name] for name in _HEADERS if name in answer.headers}
    took = answer.first_byte_s
    facts: dict[str, Any] = {
        "method": asked.methods[-1],
        "status": answer.status,
        "reason_phrase": answer.reason_phrase,
        "http_version": answer.http_version,
        "headers": seen,
        "time_ms": round(took * 1000, 1) if took is not None else None,
    }
    server = f" (Server: {shown(seen['server'])})" if "server" in seen else ""
    phrase = shown(answer.reason_phrase)
    detail = f"{asked.methods[-1]} answered {answer.status} {phrase}{server}: reachable"
    return StageOutcome(
        status=Status.PASS, reason="ok", detail=detail, command=command, facts=facts
    )
