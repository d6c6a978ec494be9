"""Providers of variable defaults computed on this machine (`default_from:` in a plan).

Each provider takes no arguments and returns a value, or None when it cannot tell (the
variable then behaves as if it had no default). Providers must be quick and bounded.
"""

from __future__ import annotations

from typing import Callable

from runner import imds

#: Provider name -> function; the names plans may use in `default_from:`.
PROVIDERS: dict[str, Callable[[], object | None]] = {
    "azure-vm-region": imds.azure_vm_region,
}
