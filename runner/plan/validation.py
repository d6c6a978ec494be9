"""Validation against JSON Schemas, every error turned into a located `Problem`.

Unknown keys point at the key itself, missing keys at the mapping that lacks them; other
errors at the offending value. Kinds are checked against the catalog here too.
"""

from __future__ import annotations

import difflib
import json
from typing import TYPE_CHECKING, Any

from runner.errors import Problem
from runner.plan.catalog import KindCatalog
from runner.plan.schema import ENDPOINT_ID, NAME, REF, SEMVER, SLUG, plan_schema
from runner.plan.source import DataPath, SourceMap, problem

if TYPE_CHECKING:  # imported where used: `run` of a trusted built-in plan needs none of it
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

_VALIDATORS: dict[bool, Draft202012Validator] = {}


def check_plan(data: Any, smap: SourceMap, refs: bool = True) -> list[Problem]:
    """Every problem of a plan tree against the plan schema."""
    return sorted({found for _, found in located_plan_problems(data, smap, refs)}, key=_order)


def located_plan_problems(
    data: Any, smap: SourceMap, refs: bool = True
) -> list[tuple[DataPath | None, Problem]]:
    """Every schema problem of a plan tree with the path of the value it rejects (None for
    a missing key), unsorted."""
    from jsonschema import Draft202012Validator

    validator = _VALIDATORS.get(refs)
    if validator is None:
        validator = _VALIDATORS[refs] = Draft202012Validator(plan_schema(refs))
    found: list[tuple[DataPath | None, Problem]] = []
    for error in validator.iter_errors(data):
        found.extend(_convert(error, smap, tuple(error.absolute_path)))
    return found


def check(data: Any, schema: Any, smap: SourceMap, base: DataPath = ()) -> list[Problem]:
    """Every problem of `data` (found at `base` in the tree of `smap`) against `schema`."""
    from jsonschema import Draft202012Validator

    return _problems(Draft202012Validator(schema), data, smap, base)


def _problems(
    validator: Draft202012Validator, data: Any, smap: SourceMap, base: DataPath
) -> list[Problem]:
    found: list[Problem] = []
    for error in validator.iter_errors(data):
        found.extend(item for _, item in _convert(error, smap, (*base, *error.absolute_path)))
    return sorted(set(found), key=_order)


def ordered(problems: list[Problem]) -> list[Problem]:
    """Without repeats; problems without a location first (as given), then by place."""
    unique = list(dict.fromkeys(problems))
    located = sorted(
        (item for item in unique if item.location),
        key=lambda item: (
            (item.location.file, item.location.line, item.location.column, item.message)
            if item.location
            else ("", 0, 0, "")
        ),
    )
    return [item for item in unique if not item.location] + located


def _order(item: Problem) -> tuple[int, int, str]:
    where = item.location
    return (where.line, where.column, item.message) if where else (0, 0, item.message)


def _convert(
    error: ValidationError, smap: SourceMap, path: DataPath
) -> list[tuple[DataPath | None, Problem]]:
    """Located problems, each with the path of the value it rejects (None: a missing key)."""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        properties = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        allowed = sorted(properties)
        extra = [key for key in error.instance if key not in allowed]
        return [
            ((*path, key), problem(smap, (*path, key), _unknown_key(key, allowed), key=True))
            for key in extra
        ]
    if error.validator == "required":
        message = f"missing required key {error.message.split(chr(39))[1]!r}"
        return [(None, problem(smap, path, message))]
    if "propertyNames" in error.schema_path:
        name = str(error.instance)
        return [((*path, name), problem(smap, (*path, name), f"invalid name {name!r}", key=True))]
    return [(path, problem(smap, path, _message(error)))]


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
    ENDPOINT_ID: "an id of lowercase letters, digits, '-' and ${variables}",
}


def _is_json(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def known_kinds_message(what: str, name: str, known: list[str]) -> str:
    """`unknown step kind 'x' (known: a, b)`."""
    return f"unknown {what} {name!r} (known: {', '.join(known) or 'none registered'})"


def check_kinds(data: dict[str, Any], smap: SourceMap, kinds: KindCatalog) -> list[Problem]:
    """Step kinds and chain stages that the catalog does not know."""
    found: list[Problem] = []
    chains: list[tuple[DataPath, Any]] = [(("defaults", "chain"), _get(data, "defaults", "chain"))]
    for index, endpoint in enumerate(data.get("endpoints") or []):
        chains.append((("endpoints", index, "chain"), _get(endpoint, "chain")))
    for path, chain in chains:
        for position, stage in enumerate(chain or []):
            if stage not in kinds.stages:
                message = known_kinds_message("stage kind", stage, sorted(kinds.stages))
                found.append(problem(smap, (*path, position), message))
    for index, step in enumerate(data.get("steps") or []):
        kind = _get(step, "kind")  # None: missing or rejected, reported already
        if kind is not None and kind not in kinds.steps:
            message = known_kinds_message("step kind", kind, sorted(kinds.steps))
            found.append(problem(smap, ("steps", index, "kind"), message))
    return found


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data
