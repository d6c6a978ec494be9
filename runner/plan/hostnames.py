"""Checks the host names of endpoints: DNS names (internationalized allowed) or IP literals."""

from __future__ import annotations

import ipaddress

MAX_LABEL = 63
MAX_NAME = 253
_SHELL = set("`$&|;<>()\\'\"!*?[]{}~#%^=,+")


def host_problem(host: str) -> str | None:
    """Why `host` is not a valid host name, or None when it is."""
    if _is_ip(host):
        return None
    for char in host:
        if char.isspace():
            return "contains white space"
        if char in _SHELL:
            return f"contains {char!r}, which is not allowed in a host name"
        if ord(char) < 32 or ord(char) == 127:
            return "contains a control character"
    name = host[:-1] if host.endswith(".") else host
    if not name:
        return "is empty"
    for label in name.split("."):
        reason = _label_problem(label)
        if reason:
            return reason
    ascii_name = _to_ascii(name)
    if ascii_name is None:
        return "is not a valid internationalized domain name"
    if len(ascii_name) > MAX_NAME:
        return f"is {len(ascii_name)} characters long (at most {MAX_NAME})"
    return None


def _is_ip(host: str) -> bool:
    text = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _label_problem(label: str) -> str | None:
    if not label:
        return "has an empty label (two dots in a row, or a leading dot)"
    if (
        label.startswith("-")
        or label.endswith("-")
        or not all(c.isalnum() or c in "-_" for c in label)
    ):
        return f"label {label!r} may hold only letters, digits and inner hyphens"
    encoded = _to_ascii(label)
    if encoded is None:
        return f"label {label!r} is not a valid internationalized label"
    if len(encoded) > MAX_LABEL:
        return f"label {label[:20]!r}... is {len(encoded)} characters long (at most {MAX_LABEL})"
    return None


def _to_ascii(text: str) -> str | None:
    """The ASCII (punycode) form; None when the name cannot be encoded."""
    if text.isascii():
        return text
    try:
        return ".".join(
            "xn--" + part.encode("punycode").decode("ascii") if not part.isascii() else part
            for part in text.lower().split(".")
        )
    except UnicodeError:
        return None
