"""The plan language: a plan reference, variables and sections in, a `model.Plan` out."""

from __future__ import annotations

from runner.plan.load import load_plan

__all__ = ["load_plan"]
