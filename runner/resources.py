"""Finds the built-in plans and schemas, in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def plans_dir() -> Path:
    """The copy shipped inside the wheel, else `plans/` of the source checkout."""
    return _first_existing(_PACKAGE / "_data" / "plans", _PACKAGE.parent / "plans")


def schemas_dir() -> Path:
    """The copy shipped inside the wheel, else `schemas/` of the source checkout."""
    return _first_existing(_PACKAGE / "_data" / "schemas", _PACKAGE.parent / "schemas")
