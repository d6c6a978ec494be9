"""Delay relays: add a round-trip time on loopback, since this kernel has no netem.

A relay listens on a loopback address and forwards to an upstream server, holding every
chunk for half the round-trip time in each direction (TCP) or every datagram (UDP, for
DNS). The TCP handshake with the relay itself completes at loopback speed: the delay is
paid by every exchange after it (TLS, HTTP), and by every DNS query.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import threading
from collections.abc import Coroutine, Iterator
from typing import Any


class RelayLoop:
    """An asyncio loop in a daemon thread that hosts relays; use as a context manager."""

    def __init__(self, rtt: float) -> None:
        self.one_way = rtt / 2
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._servers: list[asyncio.AbstractServer] = []
        self._transports: list[asyncio.BaseTransport] = []
        self._writers: list[asyncio.StreamWriter] = []

    def __enter__(self) -> RelayLoop:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        if not self._thread.is_alive():
            self._loop.close()

    def tcp(self, listen: tuple[str, int], upstream: tuple[str, int]) -> int:
        """Starts a TCP relay; returns the port it listens on."""
        _loopback(listen[0])
        return self._call(self._start_tcp(listen, upstream))

    def udp(self, listen: tuple[str, int], upstream: tuple[str, int]) -> int:
        """Starts a UDP relay (one datagram in, one datagram out); returns its port."""
        _loopback(listen[0])
        return self._call(self._start_udp(listen, upstream))

    def _call(self, coro: Coroutine[Any, Any, int]) -> int:
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout=10)

    async def _close(self) -> int:
        """Closes listeners and connections and ends every relay task."""
        for server in self._servers:
            server.close()
        for transport in self._transports:
            transport.close()
        for writer in self._writers:
            writer.close()
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        if tasks:  # closed connections end their pipes; cancel what is still waiting
            _, pending = await asyncio.wait(tasks, timeout=1)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        await asyncio.sleep(0.01)  # let the transports finish closing
        return 0

    async def _start_tcp(self, listen: tuple[str, int], upstream: tuple[str, int]) -> int:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self._writers.append(writer)
            try:
                up_reader, up_writer = await asyncio.wait_for(
                    asyncio.open_connection(*upstream), timeout=10
                )
            except (OSError, asyncio.TimeoutError):
                writer.close()
                return
            self._writers.append(up_writer)
            try:
                await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
            except asyncio.CancelledError:
                pass  # the relay is shutting down
            finally:
                writer.close()
                up_writer.close()

        server = await asyncio.start_server(handle, *listen, reuse_address=True)
        self._servers.append(server)
        return int(server.sockets[0].getsockname()[1])

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Copies reader to writer, each chunk released `one_way` seconds after arrival."""
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        sender = asyncio.ensure_future(self._send_later(queue, writer))
        try:
            while True:
                data = await asyncio.wait_for(reader.read(65536), timeout=60)
                queue.put_nowait((self._loop.time() + self.one_way, data))
                if not data:
                    break
            await sender
        except (OSError, asyncio.TimeoutError):
            sender.cancel()
            writer.close()

    async def _send_later(
        self, queue: asyncio.Queue[tuple[float, bytes]], writer: asyncio.StreamWriter
    ) -> None:
        while True:
            due, data = await queue.get()
            await asyncio.sleep(max(0.0, due - self._loop.time()))
            if not data:
                with contextlib.suppress(OSError):
                    writer.write_eof()
                return
            writer.write(data)
            await writer.drain()

    async def _start_udp(self, listen: tuple[str, int], upstream: tuple[str, int]) -> int:
        transport, _ = await self._loop.create_datagram_endpoint(
            lambda: _UdpFront(self._loop, upstream, self.one_way, self._transports),
            local_addr=listen,
        )
        self._transports.append(transport)
        return int(transport.get_extra_info("sockname")[1])


class _UdpFront(asyncio.DatagramProtocol):
    """Receives queries; forwards each through its own upstream socket after a delay."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        upstream: tuple[str, int],
        one_way: float,
        transports: list[asyncio.BaseTransport],
    ) -> None:
        self._loop = loop
        self._upstream = upstream
        self._one_way = one_way
        self._transports = transports
        self._front: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._front = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self._loop.call_later(
            self._one_way, lambda: asyncio.ensure_future(self._forward(data, addr))
        )

    async def _forward(self, data: bytes, client: tuple[str, int]) -> None:
        front = self._front
        answered = self._loop.create_future()

        class Back(asyncio.DatagramProtocol):
            def datagram_received(self, reply: bytes, addr: tuple[str, int]) -> None:
                if not answered.done():
                    answered.set_result(reply)

        back, _ = await self._loop.create_datagram_endpoint(Back, remote_addr=self._upstream)
        try:
            back.sendto(data)
            reply = await asyncio.wait_for(answered, timeout=30)
        except asyncio.TimeoutError:
            return  # the server stayed silent: so does the relay
        finally:
            back.close()
        await asyncio.sleep(self._one_way)
        if front is not None:
            front.sendto(reply, client)


def _loopback(host: str) -> None:
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"relays must stay on loopback, not {host}")


@contextlib.contextmanager
def relays(rtt: float) -> Iterator[RelayLoop]:
    """A RelayLoop for `rtt` seconds of added round-trip time."""
    with RelayLoop(rtt) as loop:
        yield loop
