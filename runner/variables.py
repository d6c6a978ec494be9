"""Plan variables: declarations, values from --var / --var-file / providers, and their checks."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runner import source, var_sources
from runner.errors import PlanError, Problem
from runner.source import DataPath, SourceMap, problem

_MISSING: Any = object()
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


def declare(data: Mapping[str, Any], smap: SourceMap) -> tuple[dict[str, Var], list[Problem]]:
    """The plan's variables, and problems in their declarations (defaults included)."""
    found: dict[str, Var] = {}
    problems: list[Problem] = []
    tables = data.get("tables") or {}
    for name, spec in (data.get("vars") or {}).items():
        path: DataPath = ("vars", name)
        pattern = None
        if "pattern" in spec:
            try:
                pattern = re.compile(spec["pattern"])
            except re.error as error:
                problems.append(problem(smap, (*path, "pattern"), f"invalid regex: {error}"))
        if spec.get("table") is not None and spec["table"] not in tables:
            message = f"unknown table {spec['table']!r} (tables: {_names(tables)})"
            problems.append(problem(smap, (*path, "table"), message))
        provider = spec.get("default_from")
        if provider is not None and provider not in var_sources.PROVIDERS:
            message = f"unknown provider {provider!r} (known: {_names(var_sources.PROVIDERS)})"
            problems.append(problem(smap, (*path, "default_from"), message))
        var = Var(
            name=name,
            type=spec.get("type", "string"),
            required=bool(spec.get("required", "default" not in spec)),
            default=spec.get("default", _MISSING),
            enum=tuple(spec.get("enum", ())),
            pattern=pattern,
            table=spec.get("table"),
            secret=bool(spec.get("secret", False)),
            default_from=provider,
        )
        if "description" not in spec:
            problems.append(problem(smap, path, f"variable {name!r} needs a description", key=True))
        found[name] = var
        if var.default is not _MISSING:
            where = (*path, "default")
            value, wrong = from_yaml(var, var.default)
            wrong = wrong or check_value(var, value, tables)
            if wrong:
                problems.append(problem(smap, where, wrong))
    return found, problems


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


@dataclass
class Given:
    """Values given for a run: var files in order, then --var flags."""

    values: dict[str, Any]
    problems: list[Problem]


def gather(
    decl: Mapping[str, Var],
    tables: Mapping[str, Any],
    flags: Sequence[str],
    var_files: Sequence[str],
) -> Given:
    """Reads --var-file files then --var flags; later ones win."""
    given = Given({}, [])
    for name in var_files:
        _read_var_file(decl, tables, name, given)
    from_flags: dict[str, list[str]] = {}
    for flag in flags:
        name, sep, text = flag.partition("=")
        name = name.strip()
        if not sep or not name:
            given.problems.append(Problem(f"--var {flag}: expected NAME=VALUE"))
        elif name not in decl:
            message = f"--var {name}: unknown variable{suggest(name, decl)}"
            given.problems.append(Problem(message.replace("known:", "variables:")))
        else:
            from_flags.setdefault(name, []).append(text)
    for name, texts in from_flags.items():
        var = decl[name]
        text = ",".join(texts) if var.type == "list" else texts[-1]
        value, error = from_text(var, text)
        error = error or check_value(var, value, tables)
        if error:
            given.problems.append(Problem(f"--var {name}: {error}"))
        else:
            given.values[name] = value
    return given


def _read_var_file(
    decl: Mapping[str, Var], tables: Mapping[str, Any], name: str, given: Given
) -> None:
    try:
        data, smap = source.load_file(Path(name), name)
    except PlanError as error:
        given.problems.extend(error.problems)
        return
    for key, raw in data.items():
        var = decl.get(key)
        if var is None:
            message = f"unknown variable {key!r}{suggest(key, decl)}"
            given.problems.append(problem(smap, (key,), message, key=True))
            continue
        value, wrong = from_yaml(var, raw)
        wrong = wrong or check_value(var, value, tables)
        if wrong:
            given.problems.append(problem(smap, (key,), wrong))
        else:
            given.values[key] = value


def finish(
    decl: Mapping[str, Var],
    given: Mapping[str, Any],
    smap: SourceMap,
    *,
    use_providers: bool,
    require_vars: bool,
) -> tuple[dict[str, Any], list[Problem]]:
    """Final values: given > provider > default. Missing values are None (lists: [])."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, var in decl.items():
        if name in given:
            values[name] = given[name]
            continue
        value = _provided(var) if use_providers else None
        if value is None and var.default is not _MISSING:
            value = from_yaml(var, var.default)[0]
        if value is None and var.type == "list" and not var.required:
            value = []
        values[name] = value
        if value is None and var.required and require_vars:
            problems.append(problem(smap, ("vars", name), _missing(var, use_providers), key=True))
    return values, problems


def _provided(var: Var) -> Any:
    provider = var_sources.PROVIDERS.get(var.default_from or "")
    if provider is None:
        return None
    try:
        value = provider()
    except Exception:  # a provider that fails is a provider that does not know
        return None
    return None if value is None else from_yaml(var, value)[0]


def _missing(var: Var, use_providers: bool) -> str:
    flag = f"--var {var.name}=VALUE"
    if var.default_from and not use_providers:
        return (
            f"variable {var.name!r} not given (would be read from {var.default_from} at run time)"
        )
    if var.default_from:
        return (
            f"variable {var.name!r} not given and {var.default_from} did not tell it; give {flag}"
        )
    return f"required variable {var.name!r} not given; give {flag}"
