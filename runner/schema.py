"""The plan's JSON Schema (Draft 2020-12), built here and committed as schemas/plan.schema.json.

`plan_schema()` is what the code validates against; a test checks the committed file is the
same. `check()` reports every schema error as a located `Problem`. Step parameters are not in
this schema: each step's `with:` is checked against its kind's own `PARAMS_SCHEMA`.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from runner import registry
from runner.errors import Problem
from runner.source import DataPath, SourceMap, problem

#: A string that is exactly one variable reference, e.g. `${port}` or `${table[var]}`.
REF = r"^\$\{[A-Za-z_][A-Za-z0-9_]*(\[[A-Za-z_][A-Za-z0-9_]*\])?\}$"
NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
SLUG = r"^[a-z0-9][a-z0-9-]*$"
SEMVER = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"
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
        }
    )


def _endpoint(refs: bool) -> dict[str, Any]:
    id_pattern = r"^([a-z0-9-]|\$\{[A-Za-z_][A-Za-z0-9_]*\})+$" if refs else SLUG
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


_VALIDATORS: dict[bool, Draft202012Validator] = {}


def check_plan(data: Any, smap: SourceMap, refs: bool = True) -> list[Problem]:
    """Every problem of a plan tree against the plan schema."""
    validator = _VALIDATORS.get(refs)
    if validator is None:
        validator = _VALIDATORS[refs] = Draft202012Validator(plan_schema(refs))
    return _problems(validator, data, smap, ())


def check(data: Any, schema: Any, smap: SourceMap, base: DataPath = ()) -> list[Problem]:
    """Every problem of `data` (found at `base` in the tree of `smap`) against `schema`."""
    return _problems(Draft202012Validator(schema), data, smap, base)


def _problems(
    validator: Draft202012Validator, data: Any, smap: SourceMap, base: DataPath
) -> list[Problem]:
    found: list[Problem] = []
    for error in validator.iter_errors(data):
        found.extend(_convert(error, smap, (*base, *error.absolute_path)))
    return sorted(set(found), key=_order)


def _order(item: Problem) -> tuple[int, int, str]:
    where = item.location
    return (where.line, where.column, item.message) if where else (0, 0, item.message)


def _convert(error: ValidationError, smap: SourceMap, path: DataPath) -> list[Problem]:
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        properties = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        allowed = sorted(properties)
        extra = [key for key in error.instance if key not in allowed]
        return [problem(smap, (*path, key), _unknown_key(key, allowed), key=True) for key in extra]
    if error.validator == "required":
        return [problem(smap, path, f"missing required key {error.message.split(chr(39))[1]!r}")]
    if "propertyNames" in error.schema_path:
        name = str(error.instance)
        return [problem(smap, (*path, name), f"invalid name {name!r}", key=True)]
    return [problem(smap, path, _message(error))]


def _unknown_key(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return f"unknown key {key!r} (did you mean {close[0]!r}?)"
    return f"unknown key {key!r} (allowed: {', '.join(allowed)})"


def _message(error: ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = json.dumps(error.instance) if _is_json(error.instance) else repr(error.instance)
    if error.validator == "pattern" and schema.get("pattern") == REF:
        types = [kind for kind in schema.get("type", []) if kind != "string"]
        return f"{value} is not of type {types[0]!r} (nor a ${{variable}})"
    if error.validator == "type":
        wanted = schema.get("type")
        names = wanted if isinstance(wanted, list) else [wanted]
        if schema.get("pattern") == REF:
            names = names[:1]
        return f"{value} is not of type {' or '.join(repr(n) for n in names)}"
    if error.validator == "const" and error.validator_value == 1:
        return f"{value} is not a plan format this asrcheck knows (expected 1)"
    if error.validator == "pattern":
        described = _PATTERNS.get(str(error.validator_value))
        if described:
            return f"{value} is not {described}"
        return f"{value} does not match {error.validator_value!r}"
    if error.validator == "enum":
        allowed = ", ".join(json.dumps(item) for item in schema.get("enum", []))
        return f"{value} is not one of: {allowed}"
    return error.message


_PATTERNS = {
    SEMVER: "a semantic version (like 1.2.0)",
    SLUG: "a name of lowercase letters, digits and '-'",
    NAME: "a name of letters, digits and '_'",
    r"^https?://\S+$": "an http(s) URL",
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "a date (YYYY-MM-DD)",
}


def _is_json(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def known_kinds_message(what: str, name: str, known: list[str]) -> str:
    """`unknown step kind 'x' (known: a, b)`."""
    return f"unknown {what} {name!r} (known: {', '.join(known) or 'none registered'})"


def check_kinds(data: dict[str, Any], smap: SourceMap) -> list[Problem]:
    """Step kinds and chain stages that the registry does not know."""
    found: list[Problem] = []
    chains: list[tuple[DataPath, Any]] = [(("defaults", "chain"), _get(data, "defaults", "chain"))]
    for index, endpoint in enumerate(data.get("endpoints") or []):
        chains.append((("endpoints", index, "chain"), endpoint.get("chain")))
    for path, chain in chains:
        for position, stage in enumerate(chain or []):
            if stage not in registry.STAGES:
                message = known_kinds_message("stage kind", stage, registry.stage_names())
                found.append(problem(smap, (*path, position), message))
    for index, step in enumerate(data.get("steps") or []):
        kind = step.get("kind")
        if kind not in registry.STEPS:
            message = known_kinds_message("step kind", kind, registry.step_names())
            found.append(problem(smap, ("steps", index, "kind"), message))
    return found


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data
