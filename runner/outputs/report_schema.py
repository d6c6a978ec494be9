"""The JSON Schema of the report; `schemas/report.schema.json` is generated from it.

Regenerate with `python -m runner.outputs.report_schema > schemas/report.schema.json`; a test keeps
the file, the reason codes in `runner.reasons` and this module in step.
"""

from __future__ import annotations

import json
from typing import Any

from runner.outputs.json_report import SCHEMA_VERSION
from runner.reasons import REASONS
from runner.results import Status

_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}


def _route() -> dict[str, Any]:
    return {
        "type": ["object", "null"],
        "required": ["kind", "proxy", "source", "why", "agent"],
        "additionalProperties": False,
        "properties": {
            "kind": {"enum": ["direct", "proxy"]},
            "proxy": {**_NSTR, "description": "Proxy URL, credentials masked."},
            "source": _STR,
            "why": _STR,
            "agent": {"type": "boolean", "description": "The route the ASR agent would take."},
        },
    }


def _result() -> dict[str, Any]:
    props: dict[str, Any] = {
        "endpoint": _NSTR,
        "step": _NSTR,
        "host": _NSTR,
        "port": {"type": ["integer", "null"]},
        "route": _route(),
        "check": _STR,
        "section": _NSTR,
        "required": {"type": "boolean"},
        "status": {"enum": [s.value for s in Status]},
        "reason": {"enum": list(REASONS), "description": "A code from runner/reasons.py."},
        "detail": _STR,
        "hint": _STR,
        "command": _STR,
        "started_at": _STR,
        "duration_s": {"type": "number", "minimum": 0},
        "facts": {"type": "object"},
    }
    return {
        "type": "object",
        "required": list(props),
        "additionalProperties": False,
        "properties": props,
    }


def _summary() -> dict[str, Any]:
    counts = {s.value: {"type": "integer", "minimum": 0} for s in Status}
    return {
        "type": "object",
        "required": ["total", *counts, "verdict", "exit_code"],
        "properties": {
            "total": {"type": "integer", "minimum": 0},
            **counts,
            "verdict": {"enum": ["pass", "warn", "fail", "interrupted"]},
            "exit_code": {"enum": [0, 1, 130]},
            "strict": {"type": "boolean"},
        },
    }


def _plan() -> dict[str, Any]:
    section = {
        "type": "object",
        "required": ["name", "enabled"],
        "properties": {
            "name": _STR,
            "description": _STR,
            "enabled": {"type": "boolean"},
            "why": _STR,
        },
    }
    return {
        "type": "object",
        "required": ["name", "version", "variables", "sections"],
        "properties": {
            "name": _STR,
            "version": _STR,
            "scenario": _STR,
            "source": _STR,
            "variables": {"type": "object", "description": "Secret values are masked as ***."},
            "sections": {"type": "array", "items": section},
        },
    }


def _machine() -> dict[str, Any]:
    azure = {
        "type": ["object", "null"],
        "description": "From the instance metadata service, asked only on an Azure VM.",
        "additionalProperties": False,
        "properties": {
            "vm_name": _STR,
            "vm_id": _STR,
            "resource_group": _STR,
            "subscription_id": _STR,
            "region": _STR,
        },
    }
    return {
        "type": "object",
        "description": "The machine the run comes from (absent in reports of older versions).",
        "required": ["hostname", "os", "platform", "azure"],
        "properties": {"hostname": _STR, "os": _STR, "platform": _STR, "azure": azure},
    }


def report_schema() -> dict[str, Any]:
    """The schema as a dict (Draft 2020-12)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://asrcheck.invalid/schemas/report.schema.json",
        "title": "asrcheck run report",
        "type": "object",
        "required": [
            "schema_version",
            "tool",
            "plan",
            "started_at",
            "finished_at",
            "duration_s",
            "interrupted",
            "results",
            "summary",
        ],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "tool": {
                "type": "object",
                "required": ["name", "version"],
                "properties": {"name": {"const": "asrcheck"}, "version": _STR},
            },
            "plan": _plan(),
            "machine": _machine(),
            "command_line": _STR,
            "settings": {"type": "object"},
            "started_at": _STR,
            "finished_at": _STR,
            "duration_s": {"type": "number", "minimum": 0},
            "interrupted": {"type": "boolean"},
            "deadline_hit": {"type": "boolean"},
            "results": {"type": "array", "items": _result()},
            "summary": _summary(),
        },
    }


def render() -> str:
    """The file's exact text."""
    return json.dumps(report_schema(), indent=2) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
