"""`asrcheck --version`: asrcheck's, the built-in plans' and the dependencies' versions.

The one-file bundle carries `runner/_bundle.json` (written by packaging/build_pyz.py); an
installed asrcheck asks importlib.metadata and reads the plans' `version:`.
"""

from __future__ import annotations

import json
import platform
import re
from importlib import metadata, resources
from typing import Any

from runner import __version__

#: Direct dependencies (pyproject.toml), named when asrcheck is installed.
DEPENDENCIES = ("pyyaml", "jsonschema", "httpx", "h11", "idna", "dnspython", "loguru")
_PLAN_VERSION = re.compile(r"^version:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)


def version_text() -> str:
    bundle = _bundle_manifest()
    form = "one-file bundle" if bundle else "installed"
    plans = bundle["plans"] if bundle else _plan_versions()
    deps = bundle["dependencies"] if bundle else _installed_versions()
    lines = [
        f"asrcheck {__version__} ({form}, Python {platform.python_version()})",
        "plans: " + (", ".join(f"{name} {plans[name]}" for name in sorted(plans)) or "none"),
        "dependencies: " + ", ".join(f"{name} {deps[name]}" for name in sorted(deps)),
    ]
    return "\n".join(lines)


def _bundle_manifest() -> dict[str, Any] | None:
    try:
        text = (resources.files("runner") / "_bundle.json").read_text(encoding="utf-8")
    except OSError:
        return None
    data = json.loads(text)
    return data if isinstance(data, dict) else None


def _plan_versions() -> dict[str, str]:
    from runner import resources as data

    found = {}
    for name, content in sorted(data.data_files("plans").items()):
        if name.endswith(".yaml"):
            match = _PLAN_VERSION.search(content.decode("utf-8", "replace"))
            found[name[: -len(".yaml")]] = match.group(1) if match else "?"
    return found


def _installed_versions() -> dict[str, str]:
    return {name: _installed(name) for name in DEPENDENCIES}


def _installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"
