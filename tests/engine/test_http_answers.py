"""The http stage against answers a real server would rarely send: garbage, a connection
closed mid-head, keep-alive or not after a refused HEAD, an HTTP/1.0 answer."""

from __future__ import annotations

import pytest

from runner.kinds.net.http11 import BODY_LIMIT
from runner.results import CheckResult, Status
from tests.helpers.engine import ContextFor, by_check, endpoint, plan_of, run
from tests.peers.dns import DnsServer
from tests.peers.scripted import ScriptedTlsServer
from tests.peers.tls import Pki

HOST = "answers.asrcheck.test"
REFUSED = b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
CLOSING = b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
OK = b"HTTP/1.1 200 OK\r\nServer: scripted\r\nContent-Length: 6\r\n\r\nhello\n"


def _http(
    pki: Pki, ctx_for: ContextFor, *scripts: list[bytes], timeout: float = 5.0, hold: bool = False
) -> tuple[CheckResult, list[tuple[int, str]]]:
    """The http stage's result against a server playing `scripts`, and the requests seen."""
    with (
        ScriptedTlsServer(pki, [HOST], scripts, hold=hold) as server,
        DnsServer({HOST: ["127.0.0.1"]}) as dns,
    ):
        report = run(plan_of(endpoint("e", HOST, server.port, timeout=timeout)), ctx_for(dns))
        requests = list(server.requests)
    return by_check(report, "e")["http"], requests


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (b"", "the server closed the connection without answering"),
        (b"HTTP/1.1 200 OK\r\nServer: half-", "before its answer's headers were complete"),
        (b"SSH-2.0-OpenSSH_9.6\r\n", "answered no HTTP status line ('SSH-2.0-OpenSSH_9.6\\r\\n')"),
        (b"garbage\r\n\r\n", "not a valid HTTP/1.1 answer: illegal status line"),
        (b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "not a valid HTTP/1.1 answer"),
    ],
)
def test_a_broken_answer_is_an_http_error(
    pki: Pki, ctx_for: ContextFor, answer: bytes, words: str
) -> None:
    result, requests = _http(pki, ctx_for, [answer])
    assert (result.status, result.reason) == (Status.FAIL, "http-error")
    assert result.detail.startswith("RemoteProtocolError: "), result.detail
    assert words in result.detail
    assert requests == [(1, "HEAD / HTTP/1.1")]


def test_an_answer_that_never_completes_times_out(pki: Pki, ctx_for: ContextFor) -> None:
    result, _ = _http(pki, ctx_for, [b"HTTP/1.1 200 OK\r\nServer: slow"], timeout=1.0, hold=True)
    assert (result.status, result.reason) == (Status.FAIL, "http-timeout")
    assert result.detail == "no complete answer within 1s (ReadTimeout)"


def test_get_after_a_refused_head_reuses_a_kept_alive_connection(
    pki: Pki, ctx_for: ContextFor
) -> None:
    result, requests = _http(pki, ctx_for, [REFUSED, OK])
    assert result.status is Status.PASS
    assert (result.facts["method"], result.facts["status"]) == ("GET", 200)
    assert requests == [(1, "HEAD / HTTP/1.1"), (1, "GET / HTTP/1.1")]


@pytest.mark.parametrize(
    "refusal",
    [
        CLOSING,
        b"HTTP/1.0 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n",  # 1.0: closes
        b"HTTP/1.1 501 Not Implemented\r\nContent-Length: 7\r\nConnection: close\r\n\r\n",
    ],
    ids=["connection-close", "http-1.0", "501"],
)
def test_get_after_a_refused_head_on_a_new_connection_when_the_server_closes(
    pki: Pki, ctx_for: ContextFor, refusal: bytes
) -> None:
    result, requests = _http(pki, ctx_for, [refusal], [OK])
    assert (result.status, result.facts["method"], result.facts["status"]) == (
        Status.PASS,
        "GET",
        200,
    )
    assert requests == [(1, "HEAD / HTTP/1.1"), (2, "GET / HTTP/1.1")]


def test_a_body_past_the_limit_is_not_waited_for(pki: Pki, ctx_for: ContextFor) -> None:
    """The GET's answer announces a long body and sends part of it, more than BODY_LIMIT,
    then nothing: the stage judges the answer without waiting for the rest."""
    head = f"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: {BODY_LIMIT * 10}\r\n\r\n"
    part = head.encode() + b"x" * (BODY_LIMIT * 2)
    result, requests = _http(pki, ctx_for, [REFUSED, part], hold=True)
    assert (result.status, result.facts["method"], result.facts["status"]) == (
        Status.PASS,
        "GET",
        405,
    )
    assert requests == [(1, "HEAD / HTTP/1.1"), (1, "GET / HTTP/1.1")]


def test_the_answer_facts(pki: Pki, ctx_for: ContextFor) -> None:
    answer = (
        b"HTTP/1.0 302 Found Elsewhere\r\nServer: old\r\nLocation: https://x.test/\r\n"
        b"X-MS-Request-Id: one\r\nx-ms-request-id: two\r\nDate: Wed, 02 Dec 2026 13:00:00 GMT\r\n"
        b"Content-Length: 0\r\n\r\n"
    )
    result, _ = _http(pki, ctx_for, [answer])
    facts = result.facts
    assert result.status is Status.PASS
    assert result.detail == "HEAD answered 302 Found Elsewhere (Server: old): reachable"
    assert (facts["status"], facts["reason_phrase"], facts["http_version"]) == (
        302,
        "Found Elsewhere",
        "HTTP/1.0",
    )
    assert facts["headers"] == {
        "server": "old",
        "x-ms-request-id": "one, two",
        "date": "Wed, 02 Dec 2026 13:00:00 GMT",
        "location": "https://x.test/",
    }
    assert isinstance(facts["time_ms"], float) and facts["time_ms"] >= 0
