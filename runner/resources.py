"""Finds the built-in plans and schemas: in a source checkout, an installed wheel, or the
one-file bundle (`dist/asrcheck-<version>.pyz`, see packaging/build_pyz.py).

The data are found through `importlib.resources`, so they load from a zip as well as from
a directory. Callers get a real directory (plans are files that `extends:` and messages
name); from a zip, the few data files are copied once into a cache directory named after
the version and a digest of the data (`cache_root()`), so a second run reads them there.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from functools import lru_cache
from importlib import resources as _importlib_resources
from pathlib import Path
from typing import Any

from runner import __version__

_KINDS = ("plans", "schemas")
_PACKAGE = Path(__file__).resolve().parent
_DONE = ".complete"


def plans_dir() -> Path:
    """The directory of the built-in plans (`*.yaml`)."""
    return _data_dirs()["plans"]


def schemas_dir() -> Path:
    """The directory of the JSON Schemas (`plan.schema.json`, `report.schema.json`)."""
    return _data_dirs()["schemas"]


def data_files(kind: str) -> dict[str, bytes]:
    """Every file of the built-in `kind` ("plans" or "schemas"), by name, read through
    importlib.resources (works from a zip)."""
    root = _traversable(kind)
    if root is None:
        return {}
    return {item.name: item.read_bytes() for item in root.iterdir() if item.is_file()}


def cache_root() -> Path:
    """Where a zipped asrcheck copies its data: `$XDG_CACHE_HOME/asrcheck` (else
    `~/.cache/asrcheck`) on Linux, `%LOCALAPPDATA%\\asrcheck\\Cache` on Windows."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "asrcheck" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "asrcheck"


@lru_cache(maxsize=1)
def _data_dirs() -> dict[str, Path]:
    found = {kind: _traversable(kind) for kind in _KINDS}
    if all(isinstance(item, Path) for item in found.values()):
        return {kind: Path(str(item)) for kind, item in found.items()}
    checkout = {kind: _PACKAGE.parent / kind for kind in _KINDS}
    if all(item is None for item in found.values()):
        return checkout
    return _extracted()


def _traversable(kind: str) -> Any:
    """The package's `_data/<kind>` (wheel, bundle) or the checkout's `<kind>/`, as an
    importlib.resources Traversable; None when neither exists."""
    try:
        packaged = _importlib_resources.files("runner") / "_data" / kind
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - runner is a package
        packaged = None
    if packaged is not None and packaged.is_dir():
        return packaged
    checkout = _PACKAGE.parent / kind
    return checkout if checkout.is_dir() else None


def _extracted() -> dict[str, Path]:
    files = {kind: data_files(kind) for kind in _KINDS}
    digest = hashlib.sha256()
    for kind in _KINDS:
        for name in sorted(files[kind]):
            digest.update(f"{kind}/{name}\0".encode())
            digest.update(files[kind][name])
    target = cache_root() / f"{__version__}-{digest.hexdigest()[:16]}"
    if not (target / _DONE).is_file():
        target = _write(target, files)
    return {kind: target / kind for kind in _KINDS}


def _write(target: Path, files: dict[str, dict[str, bytes]]) -> Path:
    """Writes the data into `target` atomically (a temporary sibling renamed into place);
    where the cache cannot be written, into a temporary directory removed at exit."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
    except OSError:
        return _write_temporary(files)
    _fill(work, files)
    try:
        os.replace(work, target)
    except OSError:  # another run got there first
        shutil.rmtree(work, ignore_errors=True)
    return target if (target / _DONE).is_file() else _write_temporary(files)


def _write_temporary(files: dict[str, dict[str, bytes]]) -> Path:
    import atexit

    work = Path(tempfile.mkdtemp(prefix="asrcheck-data-"))
    atexit.register(shutil.rmtree, work, True)
    _fill(work, files)
    return work


def _fill(work: Path, files: dict[str, dict[str, bytes]]) -> None:
    for kind, entries in files.items():
        (work / kind).mkdir()
        for name, content in entries.items():
            (work / kind / name).write_bytes(content)
    (work / _DONE).write_text(__version__ + "\n", encoding="utf-8")
