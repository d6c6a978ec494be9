"""The plan's JSON Schema (Draft 2020-12), built here and committed as schemas/plan.schema.json.

`plan_schema()` is what the code validates against; a test checks the committed file is the
same. `runner.plan.validation` reports schema errors as located problems. Step parameters are not
in this schema: each step's `with:` is checked against its kind's own `PARAMS_SCHEMA`.
"""

from __future__ import annotations

import json
from typing import Any

#: A string that is exactly one variable reference, e.g. `${port}` or `${table[var]}`.
REF = r"^\$\{[A-Za-z_][A-Za-z0-9_]*(\[[A-Za-z_][A-Za-z0-9_]*\])?\}$"
NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
SLUG = r"^[a-z0-9][a-z0-9-]*$"
SEMVER = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"
#: An endpoint id before substitution: a slug that may hold `${variables}`.
ENDPOINT_ID = r"^([a-z0-9-]|\$\{[A-Za-z_][A-Za-z0-9_]*\})+$"
SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"

_TEXT = {"type": "string"}
_LINE = {"type": "string", "minLength": 1}


def _typed(base: dict[str, Any], refs: bool) -> dict[str, Any]:
    """`base`, or when `refs` is on, `base` or a string that is one `${variable}`."""
    if not refs:
        return base
    return {**base, "type": [base["type"], "string"], "pattern": REF}


def _seconds(limit: int, refs: bool) -> dict[str, Any]:
    return _typed({"type": "number", "exclusiveMinimum": 0, "maximum": limit}, refs)


def _strings(refs: bool, item: dict[str, Any] | None = None) -> dict[str, Any]:
    return _typed({"type": "array", "items": item or _LINE}, refs)


def _closed(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
    if required:
        schema["required"] = list(required)
    return schema


def _defaults(refs: bool) -> dict[str, Any]:
    return _closed(
        {
            "port": _typed({"type": "integer", "minimum": 1, "maximum": 65535}, refs),
            "timeout": _seconds(600, refs),
            "deadline": _seconds(3600, refs),
            "concurrency": _typed({"type": "integer", "minimum": 1, "maximum": 1024}, refs),
            "chain": {"$ref": "#/$defs/chain"},
            "routes": {
                "type": "array",
                "items": {"enum": ["default", "agent"]},
                "uniqueItems": True,
            },
        }
    )


def _variable() -> dict[str, Any]:
    return _closed(
        {
            "type": {"enum": ["string", "integer", "boolean", "list"]},
            "description": _LINE,
            "default": {"type": ["string", "integer", "boolean", "array"], "items": _TEXT},
            "required": {"type": "boolean"},
            "enum": {"type": "array", "items": {"type": ["string", "integer"]}, "minItems": 1},
            "pattern": _LINE,
            "table": {"type": "string", "pattern": NAME},
            "secret": {"type": "boolean"},
            "default_from": _LINE,
            "in_table_of": _closed(
                {
                    "var": {"type": "string", "pattern": NAME},
                    "tables": {
                        "type": "object",
                        "minProperties": 1,
                        "additionalProperties": {"type": "string", "pattern": NAME},
                    },
                    "refused": {"type": "string", "pattern": NAME},
                    "value_var": {"type": "string", "pattern": NAME},
                    "missing": _LINE,
                },
                required=("var", "tables"),
            ),
        }
    )


def _endpoint(refs: bool) -> dict[str, Any]:
    id_pattern = ENDPOINT_ID if refs else SLUG
    return _closed(
        {
            "id": {"type": "string", "pattern": id_pattern},
            "host": _LINE,
            "port": _typed({"type": "integer", "minimum": 1, "maximum": 65535}, refs),
            "section": {"type": ["string", "null"], "pattern": SLUG},
            "required": _typed({"type": "boolean"}, refs),
            "purpose": _LINE,
            "wildcard": _LINE,
            "why_this_host": _LINE,
            "service_tag": _LINE,
            "error_codes": _strings(refs),
            "docs": {"type": "string", "pattern": r"^https?://\S+$"},
            "checked": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
            "uncertain": _LINE,
            "address": {"enum": ["public", "private", "any"]},
            "tls_issuers": _strings(refs),
            "chain": {"$ref": "#/$defs/chain"},
            "timeout": _seconds(600, refs),
            "hint": _LINE,
            "by_hand": _LINE,
            "advisory_with": {"type": "string", "pattern": SLUG},
            "cname_into": _LINE,
            "for_each": {"type": "string", "pattern": NAME},
            "when_empty": _LINE,
        },
        ("id", "host", "purpose", "docs", "checked"),
    )


def _step(refs: bool) -> dict[str, Any]:
    return _closed(
        {
            "id": {"type": "string", "pattern": SLUG},
            "kind": {"type": "string", "pattern": SLUG},
            "title": _TEXT,
            "section": {"type": ["string", "null"], "pattern": SLUG},
            "required": _typed({"type": "boolean"}, refs),
            "timeout": _seconds(600, refs),
            "with": {"type": "object"},
        },
        ("id", "kind"),
    )


def plan_schema(refs: bool = True) -> dict[str, Any]:
    """The plan schema; `refs=False` is the stricter form checked after substitution."""
    return {
        "$schema": SCHEMA_URI,
        "title": "asrcheck plan",
        "description": "A check plan for asrcheck (plan_format 1); see docs/plan-format.md.",
        "type": "object",
        "additionalProperties": False,
        "required": ["plan_format", "name", "version", "scenario", "description"],
        "properties": {
            "plan_format": {"const": 1},
            "name": {"type": "string", "pattern": SLUG},
            "version": {"type": "string", "pattern": SEMVER},
            "scenario": _LINE,
            "description": _LINE,
            "extends": _LINE,
            "log": _closed({"linux": _LINE, "windows": _LINE}),
            "defaults": _defaults(refs),
            "vars": {
                "type": "object",
                "propertyNames": {"pattern": NAME},
                "additionalProperties": {"$ref": "#/$defs/variable"},
            },
            "tables": {
                "type": "object",
                "propertyNames": {"pattern": NAME},
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {"type": ["string", "null"]},
                },
            },
            "sections": {
                "type": "object",
                "propertyNames": {"pattern": SLUG},
                "additionalProperties": {"$ref": "#/$defs/section"},
            },
            "endpoints": {"type": "array", "items": {"$ref": "#/$defs/endpoint"}},
            "steps": {"type": "array", "items": {"$ref": "#/$defs/step"}},
            "remove": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        },
        "$defs": {
            "chain": {
                "type": "array",
                "items": {"type": "string", "pattern": SLUG},
                "minItems": 1,
                "uniqueItems": True,
            },
            "variable": _variable(),
            "section": _closed({"description": _LINE, "enabled": {"type": "boolean"}}),
            "endpoint": _endpoint(refs),
            "step": _step(refs),
        },
    }


def schema_text() -> str:
    """The schema exactly as committed in schemas/plan.schema.json."""
    return json.dumps(plan_schema(), indent=2) + "\n"
