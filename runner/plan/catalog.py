"""What the plan language needs to know of the world outside it, handed in by the command.

The plan package does not import the check kinds, the engine or the machine: a command
builds a `KindCatalog` from `runner.registry` and passes the variable providers listed
there (`registry.PROVIDERS`), and `load_plan` checks names and parameters against them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

#: A provider of a variable's default (`default_from:`): no arguments, a value or None.
Provider = Callable[[], object]
#: Provider name -> provider; only the names are read unless providers are used.
Providers = Mapping[str, Provider]


@dataclass(frozen=True)
class KindCatalog:
    """The check kinds a plan may name."""

    #: Stage kinds, usable in an endpoint's `chain:`.
    stages: Collection[str]
    #: Step kinds, usable as a step's `kind:`.
    steps: Collection[str]
    #: The JSON Schema of a known step kind's `with:` block.
    step_params: Callable[[str], Mapping[str, Any]]
