"""Providers of variable defaults computed at run time (`default_from:` in a plan's vars).

A provider takes no arguments and returns a value, or None when it cannot tell (it must
bound its own work with timeouts). `load_plan` calls one only for a variable that was not
given, and only when asked to (`asrcheck run`; validate, show and diff never do, and read
only the names: the module behind a provider is imported when it is first called).
"""

from __future__ import annotations

from collections.abc import Callable

from runner.lazy import LazyImports

#: Provider name -> "module:function".
PROVIDERS: LazyImports[Callable[[], object]] = LazyImports(
    {
        "azure-vm-region": "runner.machine.imds:azure_vm_region",
    }
)
