"""`in_table_of:` checks: a variable whose allowed values depend on another variable.

    source_region:
      in_table_of:
        var: cloud                      # which table applies depends on this variable
        tables: {AzureCloud: geo_azurecloud, AzureChinaCloud: geo_azurechinacloud}
        refused: retired_regions        # optional: value -> why it is refused
        value_var: source_geo           # optional: gets the table entry when not given
        missing: give its code with --var source_geo=CODE   # optional: how to fill a gap

The value must be a key of the table named for the value of `var`. A key of another of
those tables is refused naming the value of `var` it belongs to; suggestions come from the
right table only. An entry that is null, or a value no table knows, is accepted only when
`value_var` is given (the user supplies what the table lacks); else the `missing` text says
how. These checks run after every variable has its value (`runner.plan.load`).
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any

from runner.errors import Problem
from runner.plan.source import SourceMap, problem
from runner.plan.variables import MISSING, suggest

#: Names of refused declarations (reported already): (variables, tables).
Refused = tuple[Container[str], Container[str]]


def declaration_problems(
    data: Mapping[str, Any], smap: SourceMap, refused: Refused = ((), ())
) -> list[Problem]:
    """Variables and tables an `in_table_of` names that the plan does not have. Names in
    `refused` (declarations refused and reported already) are not reported again."""
    decl, tables = data.get("vars") or {}, data.get("tables") or {}
    return [
        problem(smap, ("vars", name, "in_table_of", key), text)
        for name, spec in decl.items()
        if isinstance(spec, dict) and isinstance(spec.get("in_table_of"), dict)
        for key, text in _unknown_names(name, spec["in_table_of"], decl, tables, refused)
    ]


def _named(spec: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(key, kind, name) of every variable and table the spec names."""
    found = [(key, "variable", spec[key]) for key in ("var", "value_var") if spec.get(key)]
    found += [("tables", "table", table) for table in (spec.get("tables") or {}).values()]
    if spec.get("refused"):
        found.append(("refused", "table", spec["refused"]))
    return found


def _unknown_names(
    name: str,
    spec: Mapping[str, Any],
    decl: Mapping[str, Any],
    tables: Mapping[str, Any],
    refused: Refused,
) -> list[tuple[str, str]]:
    return [
        (key, f"unknown {kind} {other!r} (in_table_of of {name!r})")
        for key, kind, other in _named(spec)
        if not _there(kind, other, decl, tables) and other not in _of(kind, refused)
    ]


def _of(kind: str, refused: Refused) -> Container[str]:
    return refused[0] if kind == "variable" else refused[1]


def _there(kind: str, name: str, decl: Mapping[str, Any], tables: Mapping[str, Any]) -> bool:
    return name in (decl if kind == "variable" else tables)


def check(
    decl: Mapping[str, Any],
    values: dict[str, Any],
    given: Mapping[str, Any],
    tables: Mapping[str, Any],
    smap: SourceMap,
    refused: Refused = ((), ()),
) -> tuple[list[Problem], set[str]]:
    """Checks every `in_table_of` variable and fills its `value_var` from the table.
    Returns the problems and the names whose value was refused. A spec naming something
    in `refused` (a declaration refused and reported already) is not checked."""
    problems: list[Problem] = []
    rejected: set[str] = set()
    for name, var in decl.items():
        spec = var.in_table_of
        if not spec or values.get(name) is None or values.get(spec["var"]) is None:
            continue
        if any(
            other in refused or other not in (decl if kind == "variable" else tables)
            for _, kind, other in _named(spec)
        ):
            continue
        wrong = _wrong(name, str(values[name]), spec, values, given, tables)
        if wrong is None:
            continue
        rejected.add(name)
        if name in given:
            problems.append(Problem(f"--var {name}: {wrong}"))
        elif var.default is not MISSING:
            problems.append(problem(smap, ("vars", name, "default"), wrong))
        else:  # from a provider
            problems.append(problem(smap, ("vars", name), wrong, key=True))
    return problems, rejected


def _wrong(
    name: str,
    value: str,
    spec: Mapping[str, Any],
    values: dict[str, Any],
    given: Mapping[str, Any],
    tables: Mapping[str, Any],
) -> str | None:
    by, chosen = spec["var"], str(values[spec["var"]])
    refused = tables.get(spec.get("refused") or "") or {}
    if value in refused:
        return f"variable {name!r}: {value!r} is refused: {refused[value]}"
    table = tables.get(spec["tables"].get(chosen, "")) or {}
    if value not in table:
        for other, other_table in spec["tables"].items():
            if other != chosen and value in (tables.get(other_table) or {}):
                return (
                    f"variable {name!r}: {value!r} belongs to {by} {other}, not {chosen}; "
                    f"give --var {by}={other}"
                )
    value_var = spec.get("value_var")
    if value_var and values.get(value_var) is not None:
        return None
    entry = table.get(value)
    if entry is not None:
        if value_var:
            values[value_var] = entry
        return None
    how = f"; {' '.join(str(spec['missing']).split())}" if spec.get("missing") else ""
    if value in table:
        return f"variable {name!r}: no entry is known for {value!r} in {by} {chosen}{how}"
    return f"variable {name!r}: {value!r} is not known in {by} {chosen}{suggest(value, table)}{how}"
