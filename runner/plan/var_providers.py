"""Providers of variable defaults computed at run time (`default_from:` in a plan's vars).

A provider takes no arguments and returns a value, or None when it cannot tell (it must
bound its own work with timeouts and must not raise). `load_plan` calls one only for a
variable that was not given, and only when asked to (`asrcheck run`; validate, show and
diff never do).
"""

from __future__ import annotations

from collections.abc import Callable

from runner.machine import imds

#: Provider name -> function.
PROVIDERS: dict[str, Callable[[], object | None]] = {
    "azure-vm-region": imds.azure_vm_region,
}
