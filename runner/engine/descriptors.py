"""Concurrency kept below the process's open-file limit (RLIMIT_NOFILE, `ulimit -n`).

A run with more checks at once than the process may open sockets for fails healthy
endpoints with EMFILE ("Too many open files"), which the stages would report as network
failures (a DNS lookup that could not open its socket reads as `servfail`). Before the
run, the soft limit is raised toward the hard limit as far as the concurrency needs, and
the concurrency is lowered to what the remaining limit allows, with a note saying so.
Where there is no such limit (Windows), the concurrency stands.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

if sys.platform != "win32":
    import resource

#: Descriptors one check may hold at once: the tcp stage connects over IPv4 and IPv6
#: together, a DNS lookup asks A and AAAA together, a collector's command has pipes.
PER_CHECK = 4
#: Descriptors kept free for what the run opens besides its checks: the support log,
#: the JSON report's temporary file, the traceback file, the event loop's own.
RESERVE = 16


@dataclass(frozen=True)
class Budget:
    """The concurrency to use, and a note when it is less than asked for."""

    concurrency: int
    note: str | None = None


def budget(wanted: int) -> Budget:
    """`wanted` checks at once, or fewer when the open-file limit cannot take them."""
    if sys.platform == "win32":  # no RLIMIT_NOFILE
        return Budget(wanted)
    in_use = _open_now()
    soft = _raised_soft_limit(in_use + RESERVE + PER_CHECK * wanted)
    if soft == resource.RLIM_INFINITY:
        return Budget(wanted)
    allowed = max(1, (soft - in_use - RESERVE) // PER_CHECK)
    if allowed >= wanted:
        return Budget(wanted)
    note = (
        f"concurrency {wanted} lowered to {allowed}: this process may open only {soft} "
        f"files (ulimit -n), about {PER_CHECK} per check; raise the limit to run more at once"
    )
    return Budget(allowed, note)


def _raised_soft_limit(needed: int) -> int:
    """The soft limit, raised toward `needed` first (never past the hard limit)."""
    if sys.platform == "win32":
        return needed
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return soft
    target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if target <= soft:
        return soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError):
        return soft
    return target


def _open_now() -> int:
    """How many descriptors this process has open (Linux, macOS); a guess elsewhere."""
    where = next((d for d in ("/proc/self/fd", "/dev/fd") if os.path.isdir(d)), None)
    try:
        return len(os.listdir(where)) if where else RESERVE
    except OSError:
        return RESERVE
