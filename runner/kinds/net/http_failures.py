"""The reason code of a failed httpx request: the dns, tcp, tls and proxy codes the stages
use, found from the error and the OS or TLS error underneath it."""

from __future__ import annotations

import errno
import os
import re
import socket
import ssl
from collections.abc import Iterator

from runner.peer_text import shown

#: Certificate verification codes (OpenSSL X509_V_ERR_*) the tls stage reports apart.
_EXPIRED = {9, 10}  # not yet valid, expired
_HOSTNAME = {62}  # hostname mismatch
_UNREACHABLE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL}
_EAI_TIMEOUT = {getattr(socket, "EAI_AGAIN", -3)}


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and the ones it was raised from (bounded: chains can loop)."""
    seen = 0
    inner: BaseException | None = error
    while inner is not None and seen < 8:
        yield inner
        inner, seen = inner.__cause__ or inner.__context__, seen + 1


def _words(error: BaseException) -> str:
    """`ConnectError: [Errno 111] Connection refused`, the OS's words where there are some."""
    for inner in _chain(error):
        if isinstance(inner, ssl.SSLCertVerificationError):
            return f"certificate rejected: {inner.verify_message}"
        if isinstance(inner, OSError) and isinstance(inner.errno, int) and inner.errno > 0:
            if not isinstance(inner, socket.gaierror):
                return f"{type(error).__name__}: {os.strerror(inner.errno)}"
    text = str(error).strip()
    return shown(f"{type(error).__name__}: {text}" if text else type(error).__name__)


def _proxy_reason(text: str) -> str:
    """The proxy code of httpx's ProxyError text (`407 Proxy Authentication Required`)."""
    found = re.match(r"\s*(\d{3})\b", text)
    status = int(found.group(1)) if found else 0
    if status == 407:
        return "proxy-auth-required"
    if status >= 500:
        return "proxy-upstream-error"
    return "proxy-denied" if status else "proxy-unreachable"


def _os_reason(inner: BaseException, proxied: bool) -> str | None:
    if isinstance(inner, ssl.SSLCertVerificationError):
        code = inner.verify_code
        if code in _EXPIRED:
            return "cert-expired"
        return "cert-hostname-mismatch" if code in _HOSTNAME else "cert-untrusted"
    if isinstance(inner, ssl.SSLError):
        return "tls-handshake"
    if isinstance(inner, socket.gaierror):
        if proxied:
            return "proxy-unreachable"
        return "dns-timeout" if inner.errno in _EAI_TIMEOUT else "nxdomain"
    if not isinstance(inner, OSError):
        return None
    if isinstance(inner, ConnectionRefusedError):
        return "proxy-unreachable" if proxied else "refused"
    if isinstance(inner, ConnectionResetError):
        return "reset"
    return "unreachable" if inner.errno in _UNREACHABLE else None


def reason_of(error: BaseException, proxied: bool) -> tuple[str, str]:
    """(reason code, what happened) for an error of an httpx request; `proxied` when the
    request went through a proxy (a refused connection is then the proxy's)."""
    import httpx

    if isinstance(error, httpx.ProxyError):
        text = shown(str(error))
        return _proxy_reason(text), f"the proxy answered CONNECT with {text}"
    if isinstance(error, httpx.ConnectTimeout):
        return ("proxy-timeout" if proxied else "tcp-timeout"), "the connection timed out"
    if isinstance(error, httpx.TimeoutException):
        return "upload-timeout", f"no answer in time ({type(error).__name__})"
    for inner in _chain(error):
        reason = _os_reason(inner, proxied)
        if reason is not None:
            return reason, _words(error)
    return "http-error", _words(error)
