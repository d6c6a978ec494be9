"""The only lists of what a plan may name: stage kinds, step kinds and variable providers.

A new kind is a module in kinds/stages or kinds/steps and a line here; a new provider is a
function and a line here. The code behind a name is imported when the name is first looked
up, not when it is listed: `validate`, `show` and `diff` check names against these lists
without importing the stages or the instance-metadata client.
`tests/kinds/test_registry.py` checks every kind against its Protocol (mypy and at run time).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from typing import Generic, TypeVar, cast

from runner.kinds.base import StageKind, StepKind

T = TypeVar("T")
#: The `ORDER` of a stage that declares none: after the others.
_LAST = 1_000_000


class LazyImports(MutableMapping[str, T], Generic[T]):
    """Name -> "package.module" (the module) or "package.module:attribute", imported on
    the first lookup. A value set directly (tests register their own kinds) is kept as is."""

    def __init__(self, targets: Mapping[str, str]) -> None:
        self._targets = dict(targets)
        self._loaded: dict[str, T] = {}

    def __getitem__(self, name: str) -> T:
        if name not in self._loaded:
            module, _, attribute = self._targets[name].partition(":")
            __import__(module)  # not importlib: -X importtime does not see its imports
            value: object = sys.modules[module]
            if attribute:
                value = getattr(value, attribute)
            self._loaded[name] = cast(T, value)
        return self._loaded[name]

    def __setitem__(self, name: str, value: T) -> None:
        self._targets[name] = ""
        self._loaded[name] = value

    def __delitem__(self, name: str) -> None:
        del self._targets[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)

    def __contains__(self, name: object) -> bool:
        return name in self._targets


#: Stage kinds, usable in an endpoint's `chain:`.
STAGES: LazyImports[StageKind] = LazyImports(
    {
        "dns": "runner.kinds.stages.dns",
        "tcp": "runner.kinds.stages.tcp",
        "tls": "runner.kinds.stages.tls",
        "http": "runner.kinds.stages.http",
        "proxy": "runner.kinds.stages.proxy",
    }
)

#: Step kinds, usable as a step's `kind:`.
STEPS: LazyImports[StepKind] = LazyImports(
    {
        "machine": "runner.kinds.steps.machine",
        "network": "runner.kinds.steps.network",
        "proxy-config": "runner.kinds.steps.proxy_config",
        "tls-config": "runner.kinds.steps.tls_config",
        "clock": "runner.kinds.steps.clock",
        "ntp": "runner.kinds.steps.ntp",
        "blob-upload": "runner.kinds.steps.blob_upload",
    }
)

#: Variable providers, usable as a variable's `default_from:` ("module:function"). A
#: provider takes no arguments and returns a value, or None when it cannot tell (it bounds
#: its own work with timeouts); `load_plan` calls one only for a variable not given, and
#: only when asked to (`asrcheck run`).
PROVIDERS: LazyImports[Callable[[], object]] = LazyImports(
    {
        "azure-vm-region": "runner.machine.imds:azure_vm_region",
    }
)


# What the kinds declare (`kinds/base.py`), for the engine and the outputs. A kind that a
# test registers for one test may leave a declaration out: it gets the default.


def in_chain_order(stages: Iterable[str]) -> list[str]:
    """Stages by their `ORDER`; those without one (or not registered) last, by name."""
    order = {name: int(getattr(STAGES.get(name), "ORDER", _LAST)) for name in stages}
    return sorted(order, key=lambda name: (order[name], name))


def routes_of(stage: str) -> str:
    """ "direct", "proxy" or "any" (the default): the routes `stage` runs on."""
    return str(getattr(STAGES.get(stage), "ROUTES", "any"))


def proxy_stages() -> list[str]:
    """The stages that run only through a proxy, in chain order."""
    return in_chain_order(name for name in STAGES if routes_of(name) == "proxy")


def firewall_advice(stage: str) -> bool:
    """Whether a firewall can fail `stage` (default: no)."""
    return bool(getattr(STAGES.get(stage), "FIREWALL_ADVICE", False))


def log_section(step_kind: str) -> str:
    """The support log section title of a step kind's results ("" by default)."""
    return str(getattr(STEPS.get(step_kind), "LOG_SECTION", ""))


def stage_names() -> list[str]:
    return sorted(STAGES)


def step_names() -> list[str]:
    return sorted(STEPS)
