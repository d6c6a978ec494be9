"""Conclusions drawn from a whole run rather than one check, for the console and the log.

One so far: when no name resolved at all, the DNS failures are one problem (this machine
cannot resolve public names), not one per endpoint, and the user should fix DNS first.
"""

from __future__ import annotations

from collections.abc import Sequence

from runner.results import CheckResult, Status

_DNS_REASONS = ("nxdomain", "dns-timeout", "servfail", "dns-refused")


def dns_down(results: Sequence[CheckResult]) -> str | None:
    """One line when every DNS lookup of the run failed (at least two), else None."""
    lookups = [r for r in results if r.check == "dns" and r.status is not Status.SKIP]
    if len(lookups) < 2:
        return None
    if any(r.status is not Status.FAIL or r.reason not in _DNS_REASONS for r in lookups):
        return None
    reasons = ", ".join(sorted({r.reason for r in lookups}))
    # One line on an 80-column screen: the cause that follows says what to do.
    return f"No name resolved (all {len(lookups)} DNS lookups failed: {reasons}): fix DNS first."
