"""The floor of (d): the same TLS chains made by the least code Python allows, no asrcheck.

`python -m bench.floor PORT CA_FILE HOST...` connects to 127.0.0.1:PORT once per host,
handshakes TLS with SNI against CA_FILE (verifying), sends one HEAD and reads the status
line and headers, with as many threads as asrcheck's default concurrency; it prints the
seconds it took, start-up excluded. No DNS, no results, no output: what is left is the
handshakes' CPU (client side here, server side in the bench's TLS server, on the same
cores), which no tool that verifies 500 TLS sessions in Python can avoid.
"""

from __future__ import annotations

import ssl
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from bench.chain import head_over_tls

#: Chains at once, as `asrcheck run` by default (`--concurrency`).
WORKERS = 64


def seconds(port: int, ca_file: str, hosts: Sequence[str]) -> float:
    started = time.perf_counter()
    context = ssl.create_default_context(cafile=ca_file)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(lambda host: head_over_tls(context, "127.0.0.1", port, host), hosts))
    return time.perf_counter() - started


def main(argv: Sequence[str]) -> int:
    port, ca_file, *hosts = argv
    print(f"{seconds(int(port), ca_file, hosts):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
