"""Reads the few fields asrcheck reports from a DER certificate, with the stdlib only.

Needed because `ssl` parses a peer certificate only after verification succeeded, and the
chain of a failed handshake is exactly what an admin needs to see (who re-signed it?).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import ipaddress
from typing import Any

from runner.peer_text import shown

_NAMES = {b"\x55\x04\x03": "CN", b"\x55\x04\x0a": "O", b"\x55\x04\x0b": "OU", b"\x55\x04\x06": "C"}
_SAN_OID = b"\x55\x1d\x11"
#: Subject alternative names reported per certificate; the rest are counted (`san_omitted`).
#: Azure's own certificates carry a few dozen at most; a CDN's or a proxy's may carry
#: hundreds, which would repeat in every check's log block and JSON result.
SAN_SHOWN = 20
#: Codec of each ASN.1 string type a name may use (others are read as UTF-8).
_STRING_CODECS = {
    0x0C: "utf-8",  # UTF8String
    0x13: "ascii",  # PrintableString
    0x16: "ascii",  # IA5String
    0x14: "latin-1",  # TeletexString (T.61; Latin-1 is what issuers mean in practice)
    0x1A: "ascii",  # VisibleString
    0x1C: "utf-32-be",  # UniversalString
    0x1E: "utf-16-be",  # BMPString
}


def _tlv(data: bytes, pos: int) -> tuple[int, bytes, int]:
    """(tag, value, next position) of the DER element at `pos`."""
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    return tag, data[pos : pos + length], pos + length


def _children(data: bytes) -> list[tuple[int, bytes]]:
    items = []
    pos = 0
    while pos < len(data):
        tag, value, pos = _tlv(data, pos)
        items.append((tag, value))
    return items


def _name(value: bytes) -> dict[str, str]:
    parts: dict[str, str] = {}
    for _, rdn in _children(value):
        for _, attribute in _children(rdn):
            (_, oid), (tag, text) = _children(attribute)[:2]
            if oid in _NAMES:
                parts.setdefault(_NAMES[oid], _string(tag, text))
    return parts


def _string(tag: int, value: bytes) -> str:
    """A name's text, decoded as its ASN.1 string type says."""
    return value.decode(_STRING_CODECS.get(tag, "utf-8"), "replace")


def _time(tag: int, value: bytes) -> str:
    text = value.decode("ascii")
    fmt = "%y%m%d%H%M%SZ" if tag == 0x17 else "%Y%m%d%H%M%SZ"
    moment = datetime.datetime.strptime(text, fmt).replace(tzinfo=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _sans(extensions: bytes) -> list[str]:
    names: list[str] = []
    for _, ext in _children(extensions):
        fields = _children(ext)
        if fields[0][1] != _SAN_OID:
            continue
        for tag, value in _children(_children(fields[-1][1])[0][1]):
            if tag == 0x82:
                names.append("DNS:" + value.decode("ascii", "replace"))
            elif tag == 0x87:
                names.append("IP:" + str(ipaddress.ip_address(value)))
    return names


def describe(der: bytes) -> dict[str, Any]:
    """Subject, issuer, SANs, validity and SHA-256 fingerprint of one certificate.

    Parsed once per run and certificate: every storage account presents the same one.
    """
    info = _described(der)
    copied = {key: dict(value) if isinstance(value, dict) else value for key, value in info.items()}
    if "san" in copied:
        copied["san"] = list(copied["san"])
    return copied


@functools.lru_cache(maxsize=256)
def _described(der: bytes) -> dict[str, Any]:
    info: dict[str, Any] = {"sha256": hashlib.sha256(der).hexdigest().upper()}
    try:
        _, cert, _ = _tlv(der, 0)
        _, tbs, _ = _tlv(cert, 0)
        fields = _children(tbs)
        if fields[0][0] == 0xA0:  # explicit version
            fields = fields[1:]
        validity = _children(fields[3][1])
        info.update(
            subject=_name(fields[4][1]),
            issuer=_name(fields[2][1]),
            not_before=_time(*validity[0]),
            not_after=_time(*validity[1]),
            san=next((_sans(_children(v)[0][1]) for t, v in fields if t == 0xA3), []),
        )
        if len(info["san"]) > SAN_SHOWN:
            info["san_omitted"] = len(info["san"]) - SAN_SHOWN
            info["san"] = info["san"][:SAN_SHOWN]
    except (IndexError, ValueError) as error:
        info["parse_error"] = str(error)
    return info


def label(name: dict[str, str]) -> str:
    """`CN=..., O=...` for a parsed name."""
    return ", ".join(f"{key}={shown(value, 100)}" for key, value in name.items())
