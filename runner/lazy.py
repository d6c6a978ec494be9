"""A mapping whose values are imported on first use: `validate`, `show` and `diff`
name the check kinds and the variable providers without importing the code behind them."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Generic, TypeVar, cast

T = TypeVar("T")


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
