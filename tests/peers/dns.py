"""A real DNS server on loopback (UDP and TCP, same port) built on dnspython's message API."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Mapping, Sequence

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from tests.peers._server import LOOPBACK, AcceptLoop

#: Per-name behaviours besides answering from the zone.
MODES = ("answer", "nxdomain", "servfail", "refused", "drop")


class DnsServer:
    """Answers from `zone`: name -> list of IPs (A or AAAA) or ["cname:target"].

    `modes` maps a name to one of MODES; `mode` applies to every name. Names not in the
    zone get NXDOMAIN. Use as a context manager; `address` is ("127.0.0.1", port).
    """

    def __init__(
        self,
        zone: Mapping[str, Sequence[str]] | None = None,
        *,
        modes: Mapping[str, str] | None = None,
        mode: str = "answer",
        ttl: int = 300,
        host: str = LOOPBACK,
        port: int = 0,
    ) -> None:
        self.zone = {_norm(k): list(v) for k, v in (zone or {}).items()}
        self.modes = {_norm(k): v for k, v in (modes or {}).items()}
        self.mode = mode
        self.ttl = ttl
        self.queries: list[str] = []
        self.host = host
        self._udp, tcp = _bind_pair(host, port)
        self.port = int(self._udp.getsockname()[1])
        self._tcp = AcceptLoop(tcp, self._serve_tcp)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve_udp, daemon=True)

    @property
    def address(self) -> tuple[str, int]:
        return (self.host, self.port)

    def __enter__(self) -> DnsServer:
        self._udp.settimeout(0.2)
        self._thread.start()
        self._tcp.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._udp.close()
        self._tcp.stop()

    def respond(self, wire: bytes) -> bytes | None:
        """The answer to one query in wire format, or None to stay silent."""
        query = dns.message.from_wire(wire)
        qname = query.question[0].name.to_text().lower()
        self.queries.append(qname)
        mode = self.modes.get(qname, self.mode)
        if mode == "drop":
            return None
        response = dns.message.make_response(query)
        response.flags |= dns.flags.RA
        if mode == "servfail":
            response.set_rcode(dns.rcode.SERVFAIL)
        elif mode == "refused":
            response.set_rcode(dns.rcode.REFUSED)
        elif mode == "nxdomain" or qname not in self.zone:
            response.set_rcode(dns.rcode.NXDOMAIN)
        else:
            self._answer(response, qname, query.question[0].rdtype)
        return response.to_wire()

    def _answer(self, response: dns.message.Message, qname: str, rdtype: int) -> None:
        name = qname
        for _ in range(10):
            values = self.zone.get(name, [])
            cnames = [v[6:] for v in values if v.startswith("cname:")]
            if not cnames:
                break
            target = _norm(cnames[0])
            response.answer.append(_rrset(name, self.ttl, "CNAME", [target]))
            name = target
        else:
            return
        want = "AAAA" if rdtype == dns.rdatatype.AAAA else "A"
        ips = [v for v in self.zone.get(name, []) if (":" in v) == (want == "AAAA")]
        if rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA) and ips:
            response.answer.append(_rrset(name, self.ttl, want, ips))

    def _serve_udp(self) -> None:
        while not self._stop.is_set():
            try:
                wire, peer = self._udp.recvfrom(65535)
            except OSError:
                continue
            answer = self.respond(wire)
            if answer is not None:
                self._udp.sendto(answer, peer)

    def _serve_tcp(self, conn: socket.socket) -> None:
        while True:
            head = _recv_exact(conn, 2)
            if not head:
                return
            wire = _recv_exact(conn, struct.unpack("!H", head)[0])
            answer = self.respond(wire)
            if answer is None:
                while not self._tcp.stopping:  # hold the connection silently
                    self._stop.wait(0.2)
                return
            conn.sendall(struct.pack("!H", len(answer)) + answer)


def _bind_pair(host: str = LOOPBACK, port: int = 0) -> tuple[socket.socket, socket.socket]:
    """A UDP socket and a listening TCP socket on the same loopback port (`port`, or a
    free one)."""
    for _ in range(50):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind((host, port))
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind((host, udp.getsockname()[1]))
        except OSError:  # that TCP port is taken (e.g. by a client connection): try another
            tcp.close()
            udp.close()
            continue
        tcp.listen(16)
        return udp, tcp
    raise OSError("no loopback port free for both UDP and TCP")


def _rrset(name: str, ttl: int, rdtype: str, values: list[str]) -> dns.rrset.RRset:
    return dns.rrset.from_text_list(name, ttl, dns.rdataclass.IN, rdtype, values)


def _norm(name: str) -> str:
    return dns.name.from_text(name).to_text().lower()


def _recv_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            return b""
        data += chunk
    return data
