"""Result records: one `CheckResult` per stage or step, and the `RunReport` around them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Status(str, Enum):
    """Outcome of one check."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Route:
    """How an endpoint was reached: directly or through a proxy, and why."""

    #: "direct" or "proxy".
    kind: str
    #: Proxy URL with any credentials masked; None for direct.
    proxy: str | None = None
    #: Where the route came from: "cli", "env", "ProxyInfo.conf", "/etc/environment",
    #: "WinHTTP", "WinINet", "default" (nothing configured) or "no-proxy" (--no-proxy, NO_PROXY).
    source: str = "default"
    #: One line: why this route was chosen, e.g. "host matches NO_PROXY entry .windows.net".
    why: str = ""
    #: True when this is the route the ASR agent itself would take.
    agent: bool = False

    def label(self) -> str:
        """Short human label: `direct` or `proxy http://p:3128 (env)`."""
        if self.kind == "direct":
            return "direct" if self.source == "default" else f"direct ({self.source})"
        return f"proxy {self.proxy} ({self.source})"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "proxy": self.proxy,
            "source": self.source,
            "why": self.why,
            "agent": self.agent,
        }


@dataclass(frozen=True)
class CheckResult:
    """One finished check: a stage of an endpoint chain, or a standalone step."""

    #: Stage (`dns`, `tcp`, `tls`, `http`, `proxy`) or the step kind (`machine`, `ntp`, ...).
    check: str
    status: Status
    #: A code from `runner.reasons.REASONS`; "ok" on pass.
    reason: str
    #: One human line saying what was seen.
    detail: str
    #: What to do about it; empty on pass.
    hint: str = ""
    #: The equivalent manual command a support engineer can run.
    command: str = ""
    endpoint: str | None = None
    host: str | None = None
    port: int | None = None
    route: Route | None = None
    #: Step id for standalone steps.
    step: str | None = None
    section: str | None = None
    required: bool = True
    duration_s: float = 0.0
    started_at: str = ""
    #: What was observed, JSON-serializable.
    facts: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "step": self.step,
            "host": self.host,
            "port": self.port,
            "route": self.route.to_json() if self.route else None,
            "check": self.check,
            "section": self.section,
            "required": self.required,
            "status": self.status.value,
            "reason": self.reason,
            "detail": self.detail,
            "hint": self.hint,
            "command": self.command,
            "started_at": self.started_at,
            "duration_s": round(self.duration_s, 4),
            "facts": dict(self.facts),
        }


def verdict(results: tuple[CheckResult, ...] | list[CheckResult], interrupted: bool) -> str:
    """`interrupted`, `fail` (a required check failed or errored), `warn` or `pass`."""
    if interrupted:
        return "interrupted"
    bad = (Status.FAIL, Status.ERROR)
    if any(r.status in bad and r.required for r in results):
        return "fail"
    if any(r.status in bad or r.status is Status.WARN for r in results):
        return "warn"
    return "pass"


def count_by_status(results: tuple[CheckResult, ...] | list[CheckResult]) -> dict[str, int]:
    counts = {status.value: 0 for status in Status}
    for result in results:
        counts[result.status.value] += 1
    return counts
