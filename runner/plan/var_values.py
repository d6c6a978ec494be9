"""Values of plan variables: --var-file files, --var flags, run-time providers, defaults."""

from __future__ import annotations

import difflib
from collections.abc import Container, Mapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runner.errors import PlanError, Problem
from runner.plan import source
from runner.plan.catalog import Providers
from runner.plan.source import SourceMap, problem
from runner.plan.variables import MISSING, Var, check_value, from_text, from_yaml


def _valid(name: str, decl: Mapping[str, Var]) -> str:
    """` (did you mean 'y'?; variables: a, b, y)`."""
    close = difflib.get_close_matches(name, sorted(decl), n=1)
    hint = f"did you mean {close[0]!r}?; " if close else ""
    return f" ({hint}variables: {', '.join(sorted(decl)) or 'none'})"


@dataclass
class Given:
    """Values given for a run: var files in order, then --var flags."""

    values: dict[str, Any]
    problems: list[Problem]
    #: Names given with a value that was rejected (already reported, not "missing").
    rejected: set[str] = field(default_factory=set)


def gather(
    decl: Mapping[str, Var],
    tables: Mapping[str, Any],
    flags: Sequence[str],
    var_files: Sequence[str],
    rejected: Container[str] = (),
) -> Given:
    """Reads --var-file files then --var flags; later ones win. Values for `rejected`
    names (variables whose declaration was refused, reported already) are ignored."""
    given = Given({}, [])
    for name in var_files:
        _read_var_file(decl, tables, name, given, rejected)
    from_flags: dict[str, list[str]] = {}
    for flag in flags:
        name, sep, text = flag.partition("=")
        name = name.strip()
        if not sep or not name:
            given.problems.append(Problem(f"--var {flag}: expected NAME=VALUE"))
        elif name not in decl and name in rejected:
            continue
        elif name not in decl:
            given.problems.append(Problem(f"--var {name}: unknown variable{_valid(name, decl)}"))
        else:
            from_flags.setdefault(name, []).append(text)
    for name, texts in from_flags.items():
        var = decl[name]
        text = ",".join(texts) if var.type == "list" else texts[-1]
        value, error = from_text(var, text)
        error = error or check_value(var, value, tables)
        if error:
            given.problems.append(Problem(f"--var {name}: {error}"))
            given.rejected.add(name)
        else:
            given.values[name] = value
    return given


def _read_var_file(
    decl: Mapping[str, Var],
    tables: Mapping[str, Any],
    name: str,
    given: Given,
    rejected: Container[str],
) -> None:
    try:
        data, smap = source.load_file(Path(name), name)
    except PlanError as error:
        given.problems.extend(error.problems)
        return
    for key, raw in data.items():
        var = decl.get(key)
        if var is None and key in rejected:
            continue
        if var is None:
            message = f"unknown variable {key!r}{_valid(key, decl)}"
            given.problems.append(problem(smap, (key,), message, key=True))
            continue
        value, wrong = from_yaml(var, raw)
        wrong = wrong or check_value(var, value, tables)
        if wrong:
            given.problems.append(problem(smap, (key,), wrong))
            given.rejected.add(key)
        else:
            given.values[key] = value


def finish(
    decl: Mapping[str, Var],
    given: Mapping[str, Any],
    smap: SourceMap,
    providers: Providers,
    *,
    use_providers: bool,
    require_vars: bool,
    rejected: Set[str] = frozenset(),
) -> tuple[dict[str, Any], list[Problem]]:
    """Final values: given > provider > default. Missing values are None (lists: []).

    `rejected` names (a value given or defaulted but refused, already reported) are None
    and not reported again as missing.
    """
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, var in decl.items():
        if name in given:
            values[name] = given[name]
            continue
        if name in rejected:
            values[name] = None
            continue
        value = _provided(var, providers) if use_providers else None
        if value is None and var.default is not MISSING:
            value = from_yaml(var, var.default)[0]
        if value is None and var.type == "list" and not var.required:
            value = []
        values[name] = value
        if value is None and var.required and require_vars:
            problems.append(problem(smap, ("vars", name), _missing(var, use_providers), key=True))
    return values, problems


def _provided(var: Var, providers: Providers) -> Any:
    name = var.default_from or ""
    if name not in providers:
        return None
    try:
        value = providers[name]()
    except Exception:  # a provider that fails is a provider that does not know
        from loguru import logger  # only here: validate, show and diff never get this far

        logger.opt(exception=True).warning(
            "provider {} failed; variable {} is treated as not provided", name, var.name
        )
        return None
    return None if value is None else from_yaml(var, value)[0]


def _missing(var: Var, use_providers: bool) -> str:
    flag = f"--var {var.name}=VALUE"
    if var.default_from and not use_providers:
        return (
            f"variable {var.name!r} not given; give {flag} "
            f"(asrcheck run would read it from {var.default_from})"
        )
    if var.default_from:
        return (
            f"variable {var.name!r} not given, and {var.default_from} could not provide it "
            f"on this machine; give {flag}"
        )
    return f"required variable {var.name!r} not given; give {flag}"
