"""Checks of a plan after substitution: what only the resolved values show.

Ranges and types of substituted values (a stricter schema), duplicate endpoint and step
ids, host names, and each step's parameters against its kind. Parts left unresolved, or
rejected earlier (see runner.plan.set_aside), are not checked again.
"""

from __future__ import annotations

import json
import re
from typing import Any

from runner.errors import Problem
from runner.plan import schema, substitution, validation
from runner.plan.catalog import KindCatalog
from runner.plan.hostnames import host_problem
from runner.plan.source import SourceMap, dotted, problem
from runner.plan.substitution import Item


def mark_removed(items: list[Item], smap: SourceMap) -> None:
    """Keys written in the file but no longer in an item were rejected by the schema
    (runner.plan.set_aside): nothing that depends on them is checked (e.g. a step's `with:`)."""
    written: dict[Any, set[Any]] = {}
    for path in smap.keys:
        if len(path) == 3 and path[0] in ("endpoints", "steps"):
            written.setdefault(path[:2], set()).add(path[2])
    for item in items:
        item.unresolved |= {(key,) for key in written.get(item.origin, ()) if key not in item.data}


def _strict(name: str) -> dict[str, Any]:
    """The stricter schema checked after substitution. Keys are complete already (the
    first check saw them all): it checks only the values."""
    full = schema.plan_schema(refs=False)
    part = full["$defs"][name] if name in full["$defs"] else full["properties"][name]
    return {"$defs": full["$defs"], **{k: v for k, v in part.items() if k != "required"}}


def check_resolved(
    defaults: Any,
    unresolved_defaults: set[str],
    endpoints: list[Item],
    steps: list[Item],
    smap: SourceMap,
    kinds: KindCatalog,
    *,
    schemas: bool = True,
) -> list[Problem]:
    """What only the resolved values show. Without `schemas` (a trusted built-in plan,
    whose own values the schema already accepted), the substituted ids are checked by
    their pattern instead of the whole items by the schema."""
    problems: list[Problem] = []
    if schemas:
        problems += [
            p
            for p in validation.check(defaults, _strict("defaults"), smap, ("defaults",))
            if p.path not in unresolved_defaults
        ]
    for items, kind in ((endpoints, "endpoint"), (steps, "step")):
        problems += _schema_checked(items, kind, smap) if schemas else _ids(items, smap)
        problems += _duplicates(items, kind, smap)
    problems += _hosts(endpoints, smap)
    problems += _step_params(steps, smap, kinds, schemas)
    return problems


def _schema_checked(items: list[Item], kind: str, smap: SourceMap) -> list[Problem]:
    strict = _strict(kind)
    problems = []
    for item in items:
        skip = {dotted((*item.origin, *path)) for path in item.unresolved}
        problems += [
            p for p in validation.check(item.data, strict, smap, item.origin) if p.path not in skip
        ]
    return problems


def _ids(items: list[Item], smap: SourceMap) -> list[Problem]:
    """Ids built from variables (`cache-storage-${item}`) still follow the id rule."""
    problems = []
    for item in items:
        value = item.data.get("id")
        if ("id",) in item.unresolved:  # a refused or missing value, reported already
            continue
        if isinstance(value, str) and not re.match(schema.SLUG, value):
            message = f"{json.dumps(value)} is not a name of lowercase letters, digits and '-'"
            problems.append(problem(smap, (*item.origin, "id"), message))
    return problems


#: Step parameters that name a host to contact, by step kind.
HOST_PARAMS: dict[str, tuple[str, ...]] = {"clock": ("host",), "ntp": ("server",)}


def _duplicates(items: list[Item], kind: str, smap: SourceMap) -> list[Problem]:
    first: dict[Any, Item] = {}
    problems = []
    for item in items:
        name = item.data.get("id")
        if not isinstance(name, str):  # missing or rejected, reported already
            continue
        if name in first and ("id",) not in item.unresolved:
            line = smap.at((*first[name].origin, "id")).line
            message = f"duplicate {kind} id {name!r} (first at line {line})"
            if first[name].origin == item.origin:
                message = f"duplicate {kind} id {name!r} (for_each gives it more than once)"
            problems.append(problem(smap, (*item.origin, "id"), message))
        first.setdefault(name, item)
    return problems


def _hosts(endpoints: list[Item], smap: SourceMap) -> list[Problem]:
    problems = []
    for item in endpoints:
        host = item.data.get("host")
        if not isinstance(host, str) or ("host",) in item.unresolved:
            continue
        if item.skip_reason and item.skip_reason.startswith(substitution.NOT_APPLICABLE):
            continue
        reason = host_problem(host)
        if reason:
            problems.append(
                problem(smap, (*item.origin, "host"), f"invalid host name {host!r}: {reason}")
            )
    return problems


def _step_params(
    steps: list[Item], smap: SourceMap, kinds: KindCatalog, schemas: bool
) -> list[Problem]:
    problems = []
    for item in steps:
        kind = str(item.data.get("kind"))
        if kind not in kinds.steps or any(path[:1] == ("with",) for path in item.unresolved):
            continue
        params = item.data.get("with", {})
        where = (*item.origin, "with")
        found = validation.check(params, kinds.step_params(kind), smap, where) if schemas else []
        problems += found or _step_hosts(item, params, smap)
    return problems


def _step_hosts(item: Item, params: Any, smap: SourceMap) -> list[Problem]:
    """The step's host parameters (`HOST_PARAMS`) follow the endpoints' host rules."""
    problems = []
    for key in HOST_PARAMS.get(str(item.data.get("kind")), ()):
        host = params.get(key) if isinstance(params, dict) else None
        reason = host_problem(host) if isinstance(host, str) else None
        if reason:
            where = (*item.origin, "with", key)
            problems.append(problem(smap, where, f"invalid host name {host!r}: {reason}"))
    return problems
