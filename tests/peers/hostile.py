"""Hostile peers: names, status lines and headers crafted to forge console and log lines.

`FORGED` holds what a hostile peer would send: an escape sequence that clears the screen,
one that sets the terminal title, a newline followed by a fake `PASS` line, a C1 control
(CSI, which passes HTTP parsers as obs-text) and a right-to-left override.
"""

from __future__ import annotations

import datetime
import socket
import ssl
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID

from tests.peers.proxy import ConnectProxy
from tests.peers.tls import HttpBehaviour, Pki, TlsServer

#: Raw bytes a terminal would act on, and a forged result line after a newline.
FORGED = "\x1b[2J\x1b]0;pwned\x07Evil\nPASS  dns    forged.test: all good"
#: Text that passes HTTP/1.1 parsers (obs-text and visible characters only).
FORGED_HTTP = "\x9b2J\u202eEvil\x9b0m"


def _name(text: str, asn1: _ASN1Type = _ASN1Type.UTF8String) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, text, _type=asn1),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, text, _type=asn1),
        ]
    )


def certificate(
    hostnames: Sequence[str],
    names: str = FORGED,
    asn1: _ASN1Type = _ASN1Type.UTF8String,
) -> tuple[bytes, bytes]:
    """(leaf PEM + key PEM, leaf DER): a self-made CA with `names` as issuer and subject.

    The CA is not trusted by the client: the handshake fails and asrcheck reads the chain
    without verification, which is where the names reach its output.
    """
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    key = ec.generate_private_key(ec.SECP256R1())
    sans = [x509.DNSName(h) for h in hostnames] + [x509.DNSName("evil\x1b[2J.test")]
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(names, asn1))
        .issuer_name(_name(names, asn1))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = leaf.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem, leaf.public_bytes(serialization.Encoding.DER)


class HostileTlsServer(TlsServer):
    """A TLS server whose certificate names carry `FORGED` (control characters, newline)."""

    def __init__(self, pki: Pki, hostnames: Sequence[str] = ("localhost",)) -> None:
        super().__init__(pki, "valid", hostnames)
        pem, _ = certificate(hostnames)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "leaf.pem"
            path.write_bytes(pem)
            context.load_cert_chain(str(path))
        self.context = context


def hostile_http(server: str = FORGED_HTTP, reason: str = FORGED_HTTP) -> HttpBehaviour:
    """An HTTP answer whose reason phrase and `Server` header carry `FORGED_HTTP`."""
    return HttpBehaviour(status=200, server=server, reason=reason)


class HostileProxy(ConnectProxy):
    """A CONNECT proxy whose status line and `Server` header carry `FORGED`.

    `reflect=True`: every CONNECT gets 407 with the Proxy-Authorization value sent to it
    echoed in the status line and the `Server` header, as a broken proxy may do.
    """

    def __init__(self, upstreams: Mapping[str, int] | None = None, *, reflect: bool = False):
        super().__init__(upstreams, mode="deny")
        self.reflect = reflect

    def _decide(self, target: str, auth: str) -> tuple[int, str] | None:
        if self.reflect:
            return (407, auth)
        return (403, FORGED)

    def _reply(self, conn: socket.socket, status: int, text: str) -> None:
        server = text if self.reflect else FORGED
        conn.sendall(
            f"HTTP/1.1 {status} {text}\r\nServer: {server}\r\n"
            "Content-Length: 0\r\nConnection: close\r\n\r\n".encode()
        )
