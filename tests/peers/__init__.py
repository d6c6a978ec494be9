"""Real protocol peers on loopback for tests. Every peer binds 127.0.0.1, port 0, runs in
daemon threads, and is a context manager exposing `.port`.

API (import from the submodules):

* `tests.peers.dns.DnsServer(zone, *, modes=None, mode="answer", ttl=300)`: DNS over UDP
  and TCP on the same port. `zone` maps a name to a list of IPs (A or AAAA by the presence
  of ":") or `["cname:target"]` for a CNAME (chains are followed within the zone). Unknown
  names answer NXDOMAIN; a known name without an address of the asked type answers
  NOERROR with no answer. `modes` maps a name, or `mode` applies to all, to one of
  `answer`, `nxdomain`, `servfail`, `refused`, `drop` (never answers). `.address` is
  `("127.0.0.1", port)`; `.queries` lists the names asked.
* `tests.peers.tls.Pki()`: a trusted test CA (`.ca`, "Asrcheck Test Root") and an
  untrusted "Contoso TLS Inspection" CA (`.rogue`); `write_bundle(path)` writes the
  trusted CA as PEM for `--ca-bundle`.
* `tests.peers.tls.TlsServer(pki, kind="valid", hostnames=("localhost",), behaviour=None)`:
  `kind` is one of `valid`, `untrusted`, `expired`, `wrong-name`, `legacy` (TLS 1.0/1.1
  only; call `legacy_tls_unavailable()` first and skip with its reason when not None).
  After the handshake it answers HTTP/1.1 HEAD/GET per `HttpBehaviour(status=200,
  head_status=None, delay=0.0, drip=0.0, server=..., hangup=False)` (`head_status=405`
  refuses HEAD; `hangup=True` closes the connection without answering;
  `delay` waits before answering; `drip` sends the answer one byte per `drip` seconds).
  Headers: Server, x-ms-request-id, Date. `.requests` lists request lines.
* `tests.peers.tcp.refusing_port()`: a closed loopback port (connects are refused).
* `tests.peers.tcp.Blackhole()`: a listener with a full, never-drained accept queue, so
  connects never complete (Linux drops the SYN); `.verify()` checks it on this kernel.
* `tests.peers.tcp.ClosingServer(rst=True, after_read=False)`: accepts then resets (or
  closes); `after_read=True` waits for the first bytes (a TLS ClientHello) first.
* `tests.peers.reset_at_connect.ResetAtConnect()`: only inside a network namespace the test
  creates (`tests.helpers.netns.run_isolated(script, tun=True)`): a tun device whose peer
  192.0.2.2 answers every SYN with a SYN-ACK and a RST at once; `.resets` counts them.
* `tests.peers.proxy.ConnectProxy(upstreams, *, mode="open", credentials=(u, p))`: an HTTP
  CONNECT proxy; `upstreams` maps "host:port" or "host" to a loopback port. Modes: `open`,
  `auth` (407 without the right Basic credentials), `deny` (403), `upstream-fail` (502,
  also for hosts not in `upstreams`), `hang` (never answers). `.url`, `.seen`,
  `.auth_headers`, `server_header`.
"""
