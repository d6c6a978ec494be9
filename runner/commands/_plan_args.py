"""Turns the shared plan options of a command into `load_plan` keyword arguments, with
what the plan may name: the registered kinds and the machine's variable providers."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from runner import registry
from runner.plan.catalog import KindCatalog, Providers


def _step_params(kind: str) -> Mapping[str, Any]:
    return registry.STEPS[kind].PARAMS_SCHEMA


def kinds() -> KindCatalog:
    """The registered kinds; a step kind's module is imported when its parameters are checked."""
    return KindCatalog(stages=registry.STAGES, steps=registry.STEPS, step_params=_step_params)


def providers() -> Providers:
    return registry.PROVIDERS


def plan_inputs(args: argparse.Namespace) -> dict[str, Any]:
    """--var, --var-file, --enable and --disable as `load_plan` keywords, and the catalog."""
    return {
        "kinds": kinds(),
        "providers": providers(),
        "variables": list(getattr(args, "var", None) or []),
        "var_files": list(getattr(args, "var_file", None) or []),
        "enable": list(getattr(args, "enable", None) or []),
        "disable": list(getattr(args, "disable", None) or []),
    }
