"""Masks secrets (proxy passwords, SAS signatures, keys, secret variables) in any output."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

MASK = "***"

# Patterns of secrets that may appear in any text, whatever their value.
_PATTERNS = (
    # SAS token signature: sig=<base64>
    re.compile(r"(?i)(\bsig=)[^&\s\"']+"),
    # Storage and Service Bus connection strings: AccountKey=<base64>; SharedAccessKey=...
    re.compile(r"(?i)(\b(?:AccountKey|SharedAccessKey)=)[^;\s\"']+"),
    # A bare storage account key: 64 bytes in base64 (88 characters ending in ==)
    re.compile(r"(^|[^A-Za-z0-9+/])[A-Za-z0-9+/]{86}=="),
    # HTTP auth headers, also written as `Proxy-Authorization=Basic ...`
    re.compile(r"(?i)(\b(?:proxy-)?authorization[:=]\s*\w+\s+)[^\s\"']+"),
    # password=..., "password": "..." in query strings, config text and JSON
    re.compile(r"(?i)(\b(?:password|passwd|pwd)\"?\s*[=:]\s*\"?)[^\s&;\"',]+"),
    # Credentials inside URLs: scheme://user:password@host
    re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@\"']+:)[^@\s\"']+(?=@)"),
)


class Redactor:
    """Replaces known secret values and secret-looking patterns by `***`."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
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

    def mask(self, text: str) -> str:
        """The text with every secret replaced by `***`."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: m.group(1) + MASK, text)
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
