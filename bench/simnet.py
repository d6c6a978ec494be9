"""The simulated network: DNS, TLS servers, a blackhole and delay relays, all on loopback.

Healthy: the DNS server maps every host to the TLS server (127.0.0.1), or to a delay relay
in front of it (127.0.0.2) when a round-trip time is added. Outage: every host maps to a
blackholed port on 127.0.0.66 (the SYN is silently dropped, as by an NSG deny rule), and
the `silent` names never get a DNS answer. Certificates come from a trustme test CA; the
TLS servers answer HTTP 400, as a blob endpoint does to a bare request. With `proxy`, a
CONNECT proxy leads every host to the TLS server.

The CA bundle handed to asrcheck (`--ca-bundle`) is the system's trust store plus the test
CA, so that loading it costs what loading the real store costs (about 140 roots); with
`full_trust_store=False` it holds the test CA only.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Sequence
from pathlib import Path

from bench.blackhole import Blackhole
from bench.relay import RelayLoop
from tests.peers.dns import DnsServer
from tests.peers.proxy import ConnectProxy
from tests.peers.tls import HttpBehaviour, Pki, TlsServer

SERVER_IP = "127.0.0.1"
RELAY_IP = "127.0.0.2"
BLACKHOLE_IP = "127.0.0.66"


class SimNet:
    """Starts the network for `hosts`; after `__enter__`, read `dns`, `port`, `ca_file`."""

    def __init__(
        self,
        hosts: Sequence[str],
        workdir: Path,
        *,
        outage: bool = False,
        silent: Sequence[str] = (),
        rtt: float = 0.0,
        cert_names: Sequence[str] | None = None,
        full_trust_store: bool = True,
        proxy: bool = False,
    ) -> None:
        self.hosts = list(hosts)
        self.outage = outage
        self.silent = list(silent)
        self.rtt = rtt
        self._cert_names = list(cert_names or hosts)
        self._workdir = workdir
        self._full_trust_store = full_trust_store
        self._stack = contextlib.ExitStack()
        self.dns: tuple[str, int] = (SERVER_IP, 0)
        self.port = 0
        self.ca_file = ""
        self.addresses: dict[str, str | None] = {}
        self._proxy = proxy
        #: The TLS server (its `accepted` counts the connections made to it).
        self.tls: TlsServer | None = None
        #: With `proxy`: a CONNECT proxy to the TLS server for every host (`seen` lists them).
        self.proxy: ConnectProxy | None = None

    def __enter__(self) -> SimNet:
        try:
            self._start()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def _start(self) -> None:
        pki = Pki()
        self.ca_file = pki.write_bundle(self._workdir / "bench-ca.pem")
        if self._full_trust_store:
            self.ca_file = _with_system_roots(Path(self.ca_file))
        behaviour = HttpBehaviour(status=400, server="Bench-Blob/1.0")
        tls = self._stack.enter_context(
            TlsServer(pki, hostnames=self._cert_names, behaviour=behaviour, host=SERVER_IP)
        )
        self.port, self.tls = tls.port, tls
        if self._proxy:
            upstreams = dict.fromkeys(self.hosts, tls.port)
            self.proxy = self._stack.enter_context(ConnectProxy(upstreams))
        relays = self._stack.enter_context(RelayLoop(self.rtt)) if self.rtt > 0 else None
        if self.outage:
            self._stack.enter_context(Blackhole(BLACKHOLE_IP, self.port))
            target = BLACKHOLE_IP
        elif relays is not None:
            relays.tcp((RELAY_IP, self.port), (SERVER_IP, self.port))
            target = RELAY_IP
        else:
            target = SERVER_IP
        zone = {host: [target] for host in self.hosts}
        modes = dict.fromkeys(self.silent, "drop")
        server = self._stack.enter_context(DnsServer(zone, modes=modes, ttl=60))
        self.dns = server.address
        if relays is not None:
            self.dns = (RELAY_IP, relays.udp((RELAY_IP, 0), server.address))
        self.addresses = {h: (None if h in self.silent else target) for h in self.hosts}


def _with_system_roots(test_ca: Path) -> str:
    """A bundle of the system's trusted roots followed by the test CA."""
    system = ssl.get_default_verify_paths().cafile
    roots = Path(system).read_text(encoding="ascii", errors="replace") if system else ""
    bundle = test_ca.with_name("bench-ca-and-system-roots.pem")
    bundle.write_text(roots.rstrip("\n") + "\n" + test_ca.read_text(encoding="ascii"), "ascii")
    return str(bundle)
