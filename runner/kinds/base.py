"""The two contracts a check kind module satisfies, and the records they exchange.

* A **stage kind** (`dns`, `tcp`, `tls`, `http`, ...) is one link of an endpoint's chain.
  The engine calls `run(probe, ctx)` once per endpoint and route; it gets the endpoint,
  the route and what earlier stages learned (`probe.state`), and returns a `StageOutcome`.
* A **step kind** (`machine`, `proxy-config`, `ntp`, ...) is a standalone step of a plan.
  The engine calls `run(step, ctx)` and gets one or more `StepOutcome`s.
* A **routed step kind** (`blob-upload`) is a step that talks to one host, like an
  endpoint: `target(step)` names the host, and the engine calls `run_via(step, ctx, via)`
  once per route the plan checks (`engine/routing.py`), or `run(step, ctx)` when
  `target` gives None (nothing to talk to: the step says why).
* Each kind declares where it goes: a stage its `ORDER` in a chain, the `ROUTES` it runs on
  and whether `FIREWALL_ADVICE` applies; a step its support log section (`LOG_SECTION`).
  The engine and the outputs read these through `runner.registry`, never a list of names.
* Either kind may also define `async def end_run() -> None`: the engine awaits it once
  when a run that used the kind ends, to close what the run's checks shared.
* A stage may put the chain's open connection in `StageOutcome.state` under
  `kinds.net.connection.STATE_KEY`; the next stages use it, the engine closes it.
* Either kind may also define `TIMEOUT_REASON`, the reason code (of its own stage) the
  engine reports when it has to cut the kind off at its timeout, or when the run's
  deadline finds it past its timeout (under load a kind's own timer can fire too late to
  be heard): `tcp-timeout` for `tcp`, not the generic `timeout`.

Kinds report expected failures (NXDOMAIN, refused, untrusted certificate) as outcomes with
a reason code from `runner.reasons`; they never raise for them. The engine turns anything
that does escape into an `error` result, and enforces the timeout (`asyncio.wait_for`).
Work done in threads (`kinds.net.threads.in_thread`: daemon threads, which an interrupted
run does not wait for at exit) cannot be cancelled: such kinds must bound their own
blocking calls (subprocess timeouts, socket timeouts).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from runner.context import Context, ProxySetting
from runner.model import Endpoint, Step
from runner.results import Route, Status


@dataclass(frozen=True)
class Probe:
    """One endpoint checked over one route."""

    endpoint: Endpoint
    route: Route
    #: The proxy to go through (with credentials) when `route.kind == "proxy"`.
    proxy: ProxySetting | None
    #: Seconds this stage may take.
    timeout: float
    #: What earlier stages of this chain learned, e.g. {"addresses": ["20.1.2.3"]}.
    state: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StageOutcome:
    """What a stage saw, judged."""

    status: Status
    reason: str
    detail: str
    #: The equivalent manual command, e.g. "nslookup login.microsoftonline.com".
    command: str = ""
    facts: Mapping[str, Any] = field(default_factory=dict)
    #: Added to `probe.state` for the next stages.
    state: Mapping[str, Any] = field(default_factory=dict)
    #: Extra hint text on top of the reason's default hint.
    hint: str = ""


@dataclass(frozen=True)
class StepOutcome:
    """One result of a standalone step; a collector may return several."""

    #: What was checked or collected, e.g. "machine", "proxy:ProxyInfo.conf".
    check: str
    status: Status
    reason: str
    detail: str
    command: str = ""
    facts: Mapping[str, Any] = field(default_factory=dict)
    hint: str = ""


@runtime_checkable
class StageKind(Protocol):
    """A module that is one stage of an endpoint chain."""

    #: One line for `asrcheck kinds` and the docs.
    SUMMARY: str
    #: Where the stage sits in a chain; the console's table lists stages in this order.
    ORDER: int
    #: The routes it runs on: "direct" (a proxy resolves and connects instead), "proxy"
    #: (only through a proxy, first in the chain) or "any".
    ROUTES: str
    #: True when a firewall on the way to the endpoint can fail it: a failure's hint then
    #: names the endpoint's service tag and wildcard.
    FIREWALL_ADVICE: bool
    #: The reason when the engine cuts it off at its timeout (`tcp-timeout`, ...).
    TIMEOUT_REASON: str

    async def run(self, probe: Probe, ctx: Context) -> StageOutcome: ...


@runtime_checkable
class StepKind(Protocol):
    """A module that runs a standalone step."""

    SUMMARY: str
    #: JSON Schema (Draft 2020-12) of the step's `with:` block.
    PARAMS_SCHEMA: Mapping[str, Any]
    #: The support log section its results go in: "Machine", "Proxy", "TLS" or "Clock";
    #: "" for "Checks by endpoint", after the endpoints.
    LOG_SECTION: str

    async def run(self, step: Step, ctx: Context) -> list[StepOutcome]: ...


@dataclass(frozen=True)
class Via:
    """The route a routed step goes over, and how it reports before it returns."""

    route: Route
    #: The proxy to go through (with credentials) when `route.kind == "proxy"`.
    proxy: ProxySetting | None
    #: Hands an outcome to the run at once: for what must be told even when the step is
    #: interrupted afterwards (the cleanup of what it created).
    report: Callable[[StepOutcome], None]


@runtime_checkable
class RoutedStepKind(StepKind, Protocol):
    """A step kind that talks to one host over each of the plan's routes."""

    def target(self, step: Step) -> str | None: ...

    async def run_via(self, step: Step, ctx: Context, via: Via) -> list[StepOutcome]: ...
