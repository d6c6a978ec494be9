"""Step kind `blob-upload`: the cache storage upload test of Microsoft's support article.

Uploads one block blob (`size_mb`, 4 MiB by default: 4,194,304 random bytes; `count`
times, once by default, judged on the median) to the storage account over each route the
plan checks, times it against ASR's threshold (4 MB in 3 seconds, scaled by size; slower
is latency-bound replication, error 153007) and
deletes what it created. Two ways in:

* `url`: a container SAS URL. The blob `asrcheck-<host>-<utc time>-<random>.bin` is put
  into that container and deleted.
* `key` with the first of `accounts`: a temporary container `asrcheck-<random>` is
  created, the blob put into it, and the container deleted (SharedKey signing).

Results, per route: `blob-upload` (pass; warn `upload-slow`; fail `upload-auth-failed`,
`upload-not-authorized`, `upload-permission`, `container-not-found`, `upload-timeout`,
`upload-error`, or a dns/tcp/tls/proxy reason for the connection) and, when something was
created, `blob-cleanup` (pass, or warn `upload-cleanup` naming what to delete by hand).
An interruption (Ctrl+C, the deadline) still deletes what was created, within
`CLEANUP_S`, and reports it. Uploads over several routes run one after another, so that
each measures the route alone. The SAS signature and the key are registered with the
run's redactor before anything is sent: no output shows them.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from runner.context import Context
from runner.kinds.base import StepOutcome, Via
from runner.kinds.net import blob_service, tls_context
from runner.kinds.net.blob_service import Container
from runner.kinds.steps import upload_answers as answers
from runner.model import Step
from runner.results import Status

if TYPE_CHECKING:  # httpx is imported where it is used: `validate` needs none of it
    import httpx

SUMMARY = "Uploads a test blob to the cache storage account over each route, times it, deletes it."
LOG_SECTION = ""  # with the other steps, after the endpoints

PARAMS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "url": {"type": "string", "description": "Container SAS URL (empty: not given)."},
        "key": {"type": "string", "description": "Storage account key (empty: not given)."},
        "accounts": {"type": "array", "items": {"type": "string"}},
        "blob_suffix": {"type": "string", "minLength": 1, "default": "blob.core.windows.net"},
        "service_url": {
            "type": "string",
            "description": "Blob service URL for the key; default https://ACCOUNT.SUFFIX.",
        },
        "size_mb": {"type": "number", "exclusiveMinimum": 0, "maximum": 256, "default": 4},
        "count": {"type": "integer", "minimum": 1, "maximum": 10, "default": 1},
        "timeout": {"type": "number", "exclusiveMinimum": 0, "maximum": 600, "default": 30},
    },
}

#: Seconds the cleanup may take after an interruption or a timeout.
CLEANUP_S = 5.0
_CHUNK = 64 * 1024
_MIB = 1024 * 1024


@dataclass
class _Plan:
    """One route's upload: where, what, and what exists now and must be deleted."""

    container: Container
    blob: str
    size: int
    timeout: float
    #: True: the container is ours (created for the test), deleted as a whole.
    temporary: bool
    #: Uploads over this route (each replaces the one before).
    count: int = 1
    #: What may exist now: "container" and/or "blob".
    created: set[str] = field(default_factory=set)


def target(step: Step) -> str | None:
    """The storage host the upload goes to, or None (no input, or input that is wrong)."""
    found = _container(step)
    return urlsplit(found.origin).hostname if isinstance(found, Container) else None


def _container(step: Step) -> Container | str:
    params = step.params
    url, key = str(params.get("url") or ""), str(params.get("key") or "")
    if url:
        found = blob_service.from_sas_url(url)
        return found if isinstance(found, Container) else f"upload_url: {found}"
    accounts = [str(a) for a in params.get("accounts") or [] if a]
    if not key or not accounts:
        return (
            "no upload target: give a container SAS URL (--var upload_url=URL), or the "
            "account key (--var upload_key=KEY) with --var storage_account=NAME"
        )
    suffix = str(params.get("blob_suffix") or "blob.core.windows.net")
    service = str(params.get("service_url") or f"https://{accounts[0]}.{suffix}")
    found = blob_service.with_key(service, accounts[0], key, f"asrcheck-{secrets.token_hex(4)}")
    return found if isinstance(found, Container) else f"upload_key: {found}"


def _register_secrets(step: Step, ctx: Context) -> None:
    """The SAS signature (as written and decoded) and the key never reach an output."""
    url, key = str(step.params.get("url") or ""), str(step.params.get("key") or "")
    for secret in (url, key):
        ctx.redactor.add(secret)
    query = urlsplit(url).query if url else ""
    signature = blob_service.sas_signature(query)
    ctx.redactor.add(signature)
    ctx.redactor.add(unquote(signature))


async def run(step: Step, ctx: Context) -> list[StepOutcome]:
    """Without a target: why nothing is uploaded."""
    _register_secrets(step, ctx)
    found = _container(step)
    why = found if isinstance(found, str) else "no route to the storage account"
    return [StepOutcome("blob-upload", Status.SKIP, "missing-input", why)]


_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _one_at_a_time() -> asyncio.Lock:
    """One upload at a time in a run: each route's throughput is its own."""
    return _LOCKS.setdefault(asyncio.get_running_loop(), asyncio.Lock())


def blob_name(hostname: str, now: datetime) -> str:
    """`asrcheck-<host>-<utc time>-<random>.bin` (the random part keeps routes apart)."""
    host = "".join(c if c.isalnum() and c.isascii() else "-" for c in hostname.lower())
    host = "-".join(part for part in host.split("-") if part)[:40] or "host"
    return f"asrcheck-{host}-{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}.bin"


async def run_via(step: Step, ctx: Context, via: Via) -> list[StepOutcome]:
    """Upload over one route, judge it, delete what was created."""
    _register_secrets(step, ctx)
    found = _container(step)
    if isinstance(found, str):
        return [StepOutcome("blob-upload", Status.SKIP, "missing-input", found)]
    started = time.monotonic()
    async with _one_at_a_time():
        left = ctx.stage_timeout(step.timeout) - (time.monotonic() - started) - CLEANUP_S
        plan = _Plan(
            container=found,
            blob=blob_name(socket.gethostname(), datetime.now(timezone.utc)),
            size=max(1, int(float(step.params.get("size_mb", 4)) * _MIB)),
            timeout=max(1.0, min(float(step.params.get("timeout", 30)), left)),
            temporary=found.key is not None,
            count=int(step.params.get("count", 1)),
        )
        async with _client(ctx, via) as client:
            return await _attempt(plan, _Link(ctx, via, client))


def _client(ctx: Context, via: Via) -> httpx.AsyncClient:
    """A client for this route: the run's trust store, the route's proxy, nothing from
    the environment, no redirects."""
    import httpx

    return httpx.AsyncClient(
        verify=tls_context.verifying(ctx),
        proxy=via.proxy.url if via.proxy is not None else None,
        trust_env=False,
        follow_redirects=False,
    )


async def _attempt(plan: _Plan, link: _Link) -> list[StepOutcome]:
    try:
        upload = await _create_and_upload(plan, link)
        return [upload, *await _cleanup(plan, link, "")]
    except asyncio.CancelledError:
        if plan.created:
            for outcome in await _bounded_cleanup(plan, link, " after the interruption"):
                link.via.report(outcome)
        raise


async def _create_and_upload(plan: _Plan, link: _Link) -> StepOutcome:
    command = answers.manual_command(plan.container, plan.blob, plan.size, link.via)
    try:
        return await asyncio.wait_for(_requests(plan, link, command), plan.timeout)
    except asyncio.TimeoutError:
        detail = f"the upload did not finish within {plan.timeout:g}s"
        return answers.failed("upload-timeout", detail, command, _facts(plan, link.via))


async def _requests(plan: _Plan, link: _Link, command: str) -> StepOutcome:
    import httpx

    facts = _facts(plan, link.via)
    # What is asked for counts as created until the answer says otherwise: an
    # interruption in between must still try to delete it.
    asking = "container" if plan.temporary else "blob"
    try:
        if plan.temporary:
            plan.created.add(asking)
            created = await link.send(plan, "PUT", "", {"restype": "container"}, b"")
            if created.status_code != 201:
                plan.created.discard(asking)
                return answers.refused(created, plan.container, command, facts, "create")
        asking = "blob"
        plan.created.add(asking)
        timings: list[answers.Timing] = []
        for _ in range(plan.count):  # the same blob each time: one to delete
            timing, response = await _put_blob(plan, link)
            if response.status_code != 201:
                break
            timings.append(timing)
    except (httpx.HTTPError, OSError) as error:
        if asking == "container" or not timings:
            plan.created.discard(asking)  # the connection failed: nothing was made
        return answers.connection_failed(error, link.via, command, facts)
    if response.status_code != 201:
        if not timings:
            plan.created.discard("blob")
        return answers.refused(response, plan.container, command, facts, "upload")
    return answers.judged(timings, plan.size, response, command, facts)


def _facts(plan: _Plan, via: Via) -> dict[str, Any]:
    return {
        "mode": "account key" if plan.temporary else "container SAS",
        "container_url": plan.container.url(shown=True),
        "container": plan.container.name,
        "temporary_container": plan.temporary,
        "blob": plan.blob,
        "size_bytes": plan.size,
        "route": via.route.label(),
    }


async def _put_blob(plan: _Plan, link: _Link) -> tuple[answers.Timing, Any]:
    data = os.urandom(plan.size)
    timing = answers.Timing(started=time.monotonic())

    async def body() -> Any:
        timing.body_started = time.monotonic()
        view = memoryview(data)
        for offset in range(0, len(data), _CHUNK):
            yield bytes(view[offset : offset + _CHUNK])

    headers = {"x-ms-blob-type": "BlockBlob", "Content-Type": "application/octet-stream"}
    response = await link.send(plan, "PUT", plan.blob, {}, body(), headers, plan.size)
    timing.answered = time.monotonic()
    return timing, response


@dataclass(frozen=True)
class _Link:
    """The route's client, and the run's settings (its redactor learns every signature)."""

    ctx: Context
    via: Via
    client: httpx.AsyncClient

    async def send(
        self,
        plan: _Plan,
        method: str,
        blob: str,
        query: dict[str, str],
        content: Any,
        headers: Mapping[str, str] | None = None,
        length: int = 0,
    ) -> httpx.Response:
        """One request to the container (or a blob in it), authorized by SAS or key."""
        import httpx

        box = plan.container
        path = box.url(blob)[len(box.origin) :].split("?", 1)[0]
        extra = {"Content-Length": str(length), **(headers or {})}
        request = blob_service.Request(method, path, query, extra, length)
        signed = blob_service.headers_for(box, request)
        if "Authorization" in signed:
            self.ctx.redactor.add(signed["Authorization"].rpartition(":")[2])
        fields = "&".join(f"{k}={v}" for k, v in query.items())
        sas = "&".join(part for part in (fields, box.sas) if part)
        url = f"{box.origin}{path}" + (f"?{sas}" if sas else "")
        return await self.client.request(
            method, url, content=content, headers=signed, timeout=httpx.Timeout(plan.timeout)
        )


async def _bounded_cleanup(plan: _Plan, link: _Link, when: str) -> list[StepOutcome]:
    try:
        return await asyncio.wait_for(_cleanup(plan, link, when), CLEANUP_S)
    except asyncio.TimeoutError:
        what = answers.leftover(plan.container, plan.blob, plan.temporary)
        detail = f"could not delete {what}{when}: no answer within {CLEANUP_S:g}s"
        return [answers.cleanup_failed(detail, plan.container, plan.blob, plan.temporary)]


async def _cleanup(plan: _Plan, link: _Link, when: str) -> list[StepOutcome]:
    """Deletes the temporary container (with its blob) or the blob; one outcome."""
    import httpx

    if not plan.created:
        return []
    blob = "" if plan.temporary else plan.blob
    query = {"restype": "container"} if plan.temporary else {}
    what = answers.leftover(plan.container, plan.blob, plan.temporary)
    try:
        response = await link.send(plan, "DELETE", blob, query, b"")
    except (httpx.HTTPError, OSError) as error:
        reason, words = answers.why(error, link.via)
        detail = f"could not delete {what}{when}: {words} ({reason})"
        return [answers.cleanup_failed(detail, plan.container, plan.blob, plan.temporary)]
    if response.status_code in (200, 202, 404):
        plan.created.clear()
        gone = "was not there" if response.status_code == 404 else "deleted"
        return [answers.cleaned(f"{what} {gone}{when}", response)]
    detail = f"could not delete {what}{when}: {answers.answer_words(response)}"
    return [answers.cleanup_failed(detail, plan.container, plan.blob, plan.temporary, response)]
