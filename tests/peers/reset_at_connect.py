"""A TCP peer that resets every connection as it completes: the SYN is answered with a
SYN-ACK and, at once, a RST, as a firewall that completes handshakes itself and then
refuses does. The reset is there when the client's connect returns, before it can send.

It lives behind a tun device, so it only works in a network namespace the test creates
(`unshare -n`, as root): the device gets 192.0.2.1/24 (TEST-NET-1, which no namespace of
this kind can reach beyond itself) and the peer answers for 192.0.2.2.

Both packets are written by one thread while it holds the GIL (`ctypes.PyDLL` calls keep
it), so a client in the same process cannot look at its socket between the two.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import struct
import subprocess
import sys
import threading

LOCAL = "192.0.2.1"
PEER = "192.0.2.2"

_TUNSETIFF = 0x400454CA
_IFF_TUN = 0x0001
_IFF_NO_PI = 0x1000
_SYN, _RST, _ACK = 0x02, 0x04, 0x10


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return int(~total & 0xFFFF)


def _packet(
    src: bytes, dst: bytes, sport: int, dport: int, seq: int, ack: int, flags: int
) -> bytes:
    """An IPv4 packet carrying a TCP segment without data or options."""
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", _checksum(pseudo + tcp)) + tcp[18:]
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src, dst)
    header = header[:10] + struct.pack("!H", _checksum(header)) + header[12:]
    return header + tcp


class ResetAtConnect:
    """Creates the tun device `name` and answers for PEER from a daemon thread."""

    def __init__(self, name: str = "asrcheck0") -> None:
        self.fd = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(self.fd, _TUNSETIFF, struct.pack("16sH", name.encode(), _IFF_TUN | _IFF_NO_PI))
        subprocess.run(["ip", "addr", "add", f"{LOCAL}/24", "dev", name], check=True)
        subprocess.run(["ip", "link", "set", name, "up"], check=True)
        self.resets = 0
        self._write = ctypes.PyDLL(None).write
        self._write.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t]
        sys.setswitchinterval(1.0)  # no GIL hand-over between the two writes below
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            packet = os.read(self.fd, 65535)
            if len(packet) < 40 or packet[0] >> 4 != 4 or packet[9] != 6:
                continue
            start = (packet[0] & 0x0F) * 4
            sport, dport, seq = struct.unpack("!HHI", packet[start : start + 8])
            if packet[start + 13] & (_SYN | _ACK) != _SYN:
                continue
            src, dst = packet[12:16], packet[16:20]
            isn = 1000
            answer = (dst, src, dport, sport)
            syn_ack = _packet(*answer, isn, seq + 1, _SYN | _ACK)
            reset = _packet(*answer, isn + 1, seq + 1, _RST | _ACK)
            self._write(self.fd, syn_ack, len(syn_ack))
            self._write(self.fd, reset, len(reset))
            self.resets += 1
