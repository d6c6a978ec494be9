"""Checks the host names of endpoints: DNS names (internationalized allowed) or IP literals.

Internationalized names follow IDNA 2008 with the UTS-46 mapping (the `idna` package, as
httpx uses): `bücher.example` is `xn--bcher-kva.example`, full-width letters map to ASCII,
and labels that break the bidi or A-label rules (`xn--zz`) are refused.
"""

from __future__ import annotations

import ipaddress

import idna

MAX_LABEL = 63
MAX_NAME = 253
_SHELL = set("`$&|;<>()\\'\"!*?[]{}~#%^=,+")


def host_problem(host: str) -> str | None:
    """Why `host` is not a valid host name, or None when it is."""
    if is_ip(host):
        return None
    if host.startswith("[") and host.endswith("]") and is_ip(host[1:-1]):
        return f"brackets are URL syntax: write the IP address as {host[1:-1]}"
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


def is_ip(host: str) -> bool:
    """True for an IPv4 or IPv6 address as written (no brackets): no name to resolve."""
    try:
        ipaddress.ip_address(host)
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
    length = _encoded_length(label)
    if length > MAX_LABEL:
        return f"label {label[:20]!r}... is {length} characters long (at most {MAX_LABEL})"
    if _to_ascii(label) is None:
        return f"label {label!r} is not a valid internationalized label"
    return None


def _encoded_length(label: str) -> int:
    """The label's length in DNS, before checking the IDNA rules (which refuse long ones)."""
    if label.isascii():
        return len(label)
    try:
        mapped = idna.uts46_remap(label, std3_rules=False, transitional=False)
        return len("xn--") + len(mapped.encode("punycode"))
    except (idna.IDNAError, UnicodeError):
        return 0


def _to_ascii(text: str) -> str | None:
    """The ASCII (A-label) form; None when the name is not a valid IDNA 2008 name."""
    try:
        return to_ascii(text)
    except idna.IDNAError:
        return None


def _needs_idna(label: str) -> bool:
    return not label.isascii() or label[:4].lower() == "xn--"


def to_ascii(host: str) -> str:
    """The name as DNS and TLS use it: each internationalized label as its A-label.

    IP literals and ASCII labels are unchanged (`_sip` stays: UTS-46 forbids the
    underscore, DNS does not); raises `idna.IDNAError` for an invalid label.
    """
    if is_ip(host):
        return host
    return ".".join(
        idna.encode(label, uts46=True).decode("ascii") if _needs_idna(label) else label
        for label in host.split(".")
    )
