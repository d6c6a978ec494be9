"""The floor of (d): the same TLS chains made by the least code Python allows, no asrcheck.

`python -m bench.floor PORT CA_FILE HOST...` connects to 127.0.0.1:PORT once per host,
handshakes TLS with SNI against CA_FILE (verifying), sends one HEAD and reads the status
line and headers, with as many threads as asrcheck's default concurrency; it prints the
seconds it took, start-up excluded. No DNS, no results, no output: what is left is the
handshakes' CPU (client side here, server side in the bench's TLS server, on the same
cores), which no tool that verifies 500 TLS sessions in Python can avoid.
"""

from __future__ import annotations

import socket
import ssl
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

#: Chains at once, as `asrcheck run` by default (`--concurrency`).
WORKERS = 64


def chain(context: ssl.SSLContext, port: int, host: str) -> int:
    """Connect, handshake, HEAD: the status code."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            tls.sendall(f"HEAD / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode("ascii"))
            answer = b""
            while b"\r\n\r\n" not in answer:
                data = tls.recv(4096)
                if not data:
                    break
                answer += data
    return int(answer.split(b" ", 2)[1])


def seconds(port: int, ca_file: str, hosts: Sequence[str]) -> float:
    started = time.perf_counter()
    context = ssl.create_default_context(cafile=ca_file)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(lambda host: chain(context, port, host), hosts))
    if any(status < 100 for status in statuses):
        raise SystemExit("a chain got no HTTP status")
    return time.perf_counter() - started


def main(argv: Sequence[str]) -> int:
    port, ca_file, *hosts = argv
    print(f"{seconds(int(port), ca_file, hosts):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
