"""A loopback TCP port that silently drops connection attempts, like an NSG deny rule.

Linux drops an incoming SYN when the listener's accept queue is full. The blackhole listens
with a backlog of 0, fills the queue with connections it never accepts, and from then on
every `connect()` to it hangs until the client's own timeout. Loopback addresses only.
"""

from __future__ import annotations

import ipaddress
import socket
import time


class Blackhole:
    """A full-backlog listener on (host, port); use as a context manager."""

    def __init__(self, host: str, port: int) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"the blackhole must stay on loopback, not {host}")
        self.host = host
        self.port = port
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._fillers: list[socket.socket] = []

    def __enter__(self) -> Blackhole:
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((self.host, self.port))
        self._listener.listen(0)
        self.port = int(self._listener.getsockname()[1])
        self._fill()
        if not self.drops(probe_timeout=0.3):
            self.__exit__()
            raise RuntimeError(f"{self.host}:{self.port} still accepts connections")
        return self

    def __exit__(self, *exc: object) -> None:
        for sock in [*self._fillers, self._listener]:
            sock.close()
        self._fillers.clear()

    def _fill(self) -> None:
        """Queues connections until one no longer completes (the queue is then full)."""
        for _ in range(8):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            self._fillers.append(filler)
            if filler.connect_ex((self.host, self.port)) not in (0, 115):  # EINPROGRESS
                break
            time.sleep(0.05)
            if filler.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                break
            if not _connected(filler):
                break

    def drops(self, probe_timeout: float) -> bool:
        """True when a new connection does not complete within `probe_timeout`."""
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        probe.settimeout(probe_timeout)
        try:
            probe.connect((self.host, self.port))
        except socket.timeout:
            return True
        except OSError:
            return False
        finally:
            probe.close()
        return False


def _connected(sock: socket.socket) -> bool:
    try:
        sock.getpeername()
    except OSError:
        return False
    return True
