"""httpx clients shared by the http stage's checks of one run (one event loop).

One client per (proxy URL, SSL context) instead of one per check: building a client and
its pool costs CPU that 500 endpoints would pay 500 times. Sharing keeps checks apart:

* no connection is kept alive between requests (`max_keepalive_connections=0`): the pool
  keys connections by URL origin, and direct routes ask an IP address with the host name
  in SNI, so a kept connection could carry a request for another host over a TLS session
  verified for the first;
* no pool limit: a request queued behind other checks would spend its own timeout waiting;
* no cookies: the jar's policy refuses every domain, so no answer changes the next request.

The engine calls the stage's `end_run()` when the run ends, which closes the clients.
"""

from __future__ import annotations

import asyncio
import importlib.util
import ssl
import sys
import weakref
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

_CLIENTS: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[str | None, ssl.SSLContext], httpx.AsyncClient]
] = weakref.WeakKeyDictionary()


def client(proxy_url: str | None, verify: ssl.SSLContext) -> httpx.AsyncClient:
    """The running loop's client for this proxy (None: direct) and SSL context."""
    clients = _CLIENTS.setdefault(asyncio.get_running_loop(), {})
    key = (proxy_url, verify)
    found = clients.get(key)
    if found is None or found.is_closed:
        found = clients[key] = _new(proxy_url, verify)
    return found


async def close_all() -> None:
    """Closes the running loop's clients: the run is over."""
    clients = _CLIENTS.pop(asyncio.get_running_loop(), {})
    for each in clients.values():
        await each.aclose()


def _new(proxy_url: str | None, verify: ssl.SSLContext) -> httpx.AsyncClient:
    import httpx

    _sniffio_absent()
    transport = httpx.AsyncHTTPTransport(
        verify=verify,
        proxy=httpx.Proxy(proxy_url) if proxy_url is not None else None,
        retries=0,
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=0),
    )
    return httpx.AsyncClient(
        transport=transport,
        follow_redirects=False,
        trust_env=False,
        cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])),
    )


def _sniffio_absent() -> None:
    """httpcore tries `import sniffio` for every lock it sets up (8 per request); when it
    is not installed each try searches sys.path again. A None entry in sys.modules makes
    that import fail at once (as the import system documents); no change when installed.
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]
