"""Turns the shared plan options of a command into `load_plan` keyword arguments."""

from __future__ import annotations

import argparse
from typing import Any


def plan_inputs(args: argparse.Namespace) -> dict[str, Any]:
    """--var, --var-file, --enable and --disable as `load_plan` keywords."""
    return {
        "variables": list(getattr(args, "var", None) or []),
        "var_files": list(getattr(args, "var_file", None) or []),
        "enable": list(getattr(args, "enable", None) or []),
        "disable": list(getattr(args, "disable", None) or []),
    }
