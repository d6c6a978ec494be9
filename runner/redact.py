"""Masks secrets (proxy passwords, SAS signatures, keys, secret variables) in any output."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

MASK = "***"

#: A base64 character followed by `==` (in lower-cased text): the end of a bare key.
_B64_THEN_PAD = re.compile(r"[a-z0-9+/]==")

# Patterns of secrets that may appear in any text, whatever their value, each with a test
# of the lower-cased text that is true whenever the pattern can match ASCII text (so that
# the common string, which holds no secret, is not searched six times).
_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[str], bool]], ...] = (
    # SAS token signature: sig=<base64>
    (re.compile(r"(?i)(\bsig=)[^&\s\"']+"), lambda low: "sig=" in low),
    # Storage and Service Bus connection strings: AccountKey=<base64>; SharedAccessKey=...
    (
        re.compile(r"(?i)(\b(?:AccountKey|SharedAccessKey)=)[^;\s\"']+"),
        lambda low: "key=" in low,
    ),
    # A bare storage account key: 64 bytes in base64 (88 characters ending in ==)
    (
        re.compile(r"(^|[^A-Za-z0-9+/])[A-Za-z0-9+/]{86}=="),
        lambda low: len(low) >= 88 and "==" in low and _B64_THEN_PAD.search(low) is not None,
    ),
    # HTTP auth headers, also written as `Proxy-Authorization=Basic ...`
    (
        re.compile(r"(?i)(\b(?:proxy-)?authorization[:=]\s*\w+\s+)[^\s\"']+"),
        lambda low: "authorization" in low,
    ),
    # password=..., "password": "..." in query strings, config text and JSON
    (
        re.compile(r"(?i)(\b(?:password|passwd|pwd)\"?\s*[=:]\s*\"?)[^\s&;\"',]+"),
        lambda low: "pass" in low or "pwd" in low,
    ),
    # Credentials inside URLs: scheme://user:password@host
    (
        re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@\"']+:)[^@\s\"']+(?=@)"),
        lambda low: "://" in low and "@" in low,
    ),
)


def _keep_prefix(match: re.Match[str]) -> str:
    return match.group(1) + MASK


class Redactor:
    """Replaces known secret values and secret-looking patterns by `***`."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        #: The secrets, longest first (replaced in that order); rebuilt by `add`.
        self._ordered: tuple[str, ...] = ()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Registers a secret value (and its URL- and JSON-escaped forms).

        Values shorter than 3 characters are not masked.
        """
        if secret and len(secret) >= 3:
            self._secrets.add(secret)
            self._secrets.add(quote(secret, safe=""))
            self._secrets.add(json.dumps(secret)[1:-1])
            self._ordered = tuple(sorted(self._secrets, key=len, reverse=True))

    def add_url_credentials(self, url: str) -> None:
        """Registers the password of a proxy URL, as written, decoded, and inside the
        `Basic` token built from it (a proxy may echo the token back)."""
        parts = urlsplit(url if "://" in url else f"http://{url}")
        if parts.password is None:
            return
        user, password = unquote(parts.username or ""), unquote(parts.password)
        self.add(parts.password)
        self.add(password)
        if len(password) >= 3:
            self.add(base64.b64encode(f"{user}:{password}".encode()).decode())

    def mask(self, text: str) -> str:
        """The text with every secret replaced by `***`."""
        for secret in self._ordered:
            text = text.replace(secret, MASK)
        # Case-insensitive matching of these ASCII patterns in ASCII text is exactly a
        # comparison of lower-cased text; other text (rare) gets every pattern.
        low = text.lower() if text.isascii() else None
        for pattern, may_match in _PATTERNS:
            if low is None or may_match(low):
                text = pattern.sub(_keep_prefix, text)
        return text

    def mask_obj(self, value: Any) -> Any:
        """A copy of a JSON-like value with every string masked."""
        if isinstance(value, str):
            return self.mask(value)
        if isinstance(value, dict):
            return {key: self.mask_obj(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.mask_obj(item) for item in value]
        return value


def mask_url(url: str) -> str:
    """A URL with its password (and user name, if a password is set) replaced by `***`."""
    parts = urlsplit(url)
    if parts.password is None and parts.username is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = parts.username or ""
    userinfo = f"{user}:{MASK}" if parts.password is not None else user
    return urlunsplit((parts.scheme, f"{userinfo}@{host}", parts.path, parts.query, parts.fragment))
