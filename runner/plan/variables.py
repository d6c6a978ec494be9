"""Plan variables: declarations, type conversion, and checks of values (enum, pattern, table)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from runner.errors import Problem
from runner.plan import safe_regex
from runner.plan.catalog import Providers
from runner.plan.source import DataPath, SourceMap, problem

#: The default of a variable declared without one.
MISSING: Any = object()
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


@dataclass(frozen=True)
class Var:
    """One declared variable."""

    name: str
    type: str
    required: bool
    default: Any
    enum: tuple[Any, ...]
    pattern: re.Pattern[str] | None
    table: str | None
    secret: bool
    default_from: str | None
    #: `in_table_of:` (checked by runner.plan.table_of once every value is known).
    in_table_of: Mapping[str, Any] | None = None


def declare(
    data: Mapping[str, Any],
    smap: SourceMap,
    providers: Providers,
    rejected_tables: Container[str] = (),
) -> tuple[dict[str, Var], list[Problem]]:
    """The plan's variables, and problems in their declarations (defaults included).
    A table in `rejected_tables` (refused, reported already) is not reported as unknown."""
    found: dict[str, Var] = {}
    problems: list[Problem] = []
    tables = data.get("tables") or {}
    for name, spec in (data.get("vars") or {}).items():
        path: DataPath = ("vars", name)
        pattern, wrong = _pattern(spec.get("pattern"))
        if wrong:
            problems.append(problem(smap, (*path, "pattern"), wrong))
        problems += [
            problem(smap, (*path, key), text)
            for key, text in _spec_problems(spec, tables, providers)
            if not (key == "table" and spec.get("table") in rejected_tables)
        ]
        if name == "item":
            message = "the name 'item' is reserved for the element of a for_each endpoint"
            problems.append(problem(smap, path, message, key=True))
        if "description" not in spec:
            problems.append(problem(smap, path, f"variable {name!r} needs a description", key=True))
        found[name] = var = Var(
            name=name,
            type=spec.get("type", "string"),
            required=bool(spec.get("required", "default" not in spec)),
            default=spec.get("default", MISSING),
            enum=tuple(spec.get("enum", ())),
            pattern=pattern,
            table=spec.get("table"),
            secret=bool(spec.get("secret", False)),
            default_from=spec.get("default_from"),
            in_table_of=spec.get("in_table_of"),
        )
        wrong = bad_default(var, tables)
        if wrong:
            problems.append(problem(smap, (*path, "default"), wrong))
    return found, problems


def bad_default(var: Var, tables: Mapping[str, Any]) -> str | None:
    """Why the variable's default is not allowed, or None (also for no default)."""
    if var.default is MISSING:
        return None
    value, wrong = from_yaml(var, var.default)
    return wrong or check_value(var, value, tables)


def _pattern(text: str | None) -> tuple[re.Pattern[str] | None, str | None]:
    if text is None:
        return None, None
    try:
        compiled = re.compile(text)
    except re.error as error:
        return None, f"invalid regex: {error}"
    danger = safe_regex.risk(text)
    return (None, f"unsupported regex: {danger}") if danger else (compiled, None)


def _spec_problems(
    spec: Mapping[str, Any], tables: Mapping[str, Any], providers: Providers
) -> list[tuple[str, str]]:
    """(key, message) for a table or provider the declaration names but that is not there."""
    found = []
    table = spec.get("table")
    if table is not None and table not in tables:
        found.append(("table", f"unknown table {table!r} (tables: {_names(tables)})"))
    provider = spec.get("default_from")
    if provider is not None and provider not in providers:
        known = _names(providers)
        found.append(("default_from", f"unknown provider {provider!r} (known: {known})"))
    return found


def _names(items: Mapping[str, Any]) -> str:
    return ", ".join(sorted(items)) or "none"


def from_text(var: Var, text: str) -> tuple[Any, str | None]:
    """A command-line value converted to the variable's type, or an error message."""
    if var.type == "integer":
        try:
            return int(text), None
        except ValueError:
            return None, f"variable {var.name!r} must be an integer"
    if var.type == "boolean":
        if text.lower() in _TRUE + _FALSE:
            return text.lower() in _TRUE, None
        return None, f"variable {var.name!r} must be true or false"
    if var.type == "list":
        return [part.strip() for part in text.split(",") if part.strip()], None
    return text, None


def from_yaml(var: Var, value: Any) -> tuple[Any, str | None]:
    """A YAML value (default or --var-file) converted to the variable's type, or an error."""
    if var.type == "list":
        if isinstance(value, str):
            return from_text(var, value)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return list(value), None
        return None, f"variable {var.name!r} must be a list of strings"
    if var.type == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        return None, f"variable {var.name!r} must be an integer"
    if var.type == "boolean" and not isinstance(value, bool):
        return None, f"variable {var.name!r} must be true or false"
    if var.type == "string":
        if isinstance(value, (list, dict)) or value is None:
            return None, f"variable {var.name!r} must be a string"
        value = str(value).lower() if isinstance(value, bool) else str(value)
    return value, None


def check_value(var: Var, value: Any, tables: Mapping[str, Any]) -> str | None:
    """Why a typed value is not allowed (enum, pattern, table), or None."""
    for item in value if isinstance(value, list) else [value]:
        shown = "***" if var.secret else repr(item)
        if var.enum and item not in var.enum:
            allowed = ", ".join(str(choice) for choice in var.enum)
            return f"variable {var.name!r}: {shown} is not one of: {allowed}"
        if var.pattern is not None and len(str(item)) > safe_regex.MAX_VALUE:
            return f"variable {var.name!r}: value longer than {safe_regex.MAX_VALUE} characters"
        if var.pattern is not None and not var.pattern.search(str(item)):
            return f"variable {var.name!r}: {shown} does not match {var.pattern.pattern!r}"
        table = tables.get(var.table) if var.table else None
        if isinstance(table, dict) and str(item) not in table:
            return f"variable {var.name!r}: {shown} is not known{suggest(str(item), table)}"
    return None


def suggest(word: str, choices: Mapping[str, Any] | Sequence[str]) -> str:
    """` (did you mean 'x'?)`, or the first known values when nothing is close."""
    names = sorted(choices)
    close = difflib.get_close_matches(word, names, n=3)
    if close:
        return f" (did you mean {' or '.join(repr(name) for name in close)}?)"
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return f" (known: {shown or 'none'})"
