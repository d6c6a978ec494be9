"""`load_plan()`: plan reference -> `runner.model.Plan`, or a PlanError with every problem.

The pipeline: find and parse the file (`source`), check it against the schema (`schema`),
merge `extends:` (`extends`), resolve variables (`variables`), substitute and substitution
(`expand`), switch sections, then check what only the resolved values show (host names,
ranges of substituted values, duplicate ids, step parameters) and build the frozen model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from runner.errors import PlanError, Problem
from runner.model import Endpoint, Plan, Section, Step
from runner.plan import post_checks, sections, substitution, table_of, validation, var_values
from runner.plan.catalog import KindCatalog, Providers
from runner.plan.extends import is_builtin_name, load_tree
from runner.plan.hostnames import to_ascii
from runner.plan.set_aside import Quarantine
from runner.plan.source import SourceMap, dotted
from runner.plan.substitution import Item, Substituter
from runner.plan.variables import Var, bad_default, declare
from runner.redact import Redactor

_CHAIN = ("dns", "tcp", "tls", "http")


def load_plan(
    ref: str,
    *,
    kinds: KindCatalog,
    providers: Providers,
    variables: Sequence[str] = (),
    var_files: Sequence[str] = (),
    enable: Sequence[str] = (),
    disable: Sequence[str] = (),
    use_providers: bool = False,
    require_vars: bool = True,
    lenient: bool = False,
    trust_builtin: bool = False,
) -> Plan:
    """Loads, checks and resolves a plan: a built-in name or a file path.

    `kinds` and `providers` are what the plan may name (the command builds them from
    `runner.registry`: `STAGES`, `STEPS`, `PROVIDERS`); a provider is called only with
    `use_providers`. `lenient` ignores --var names and sections the plan does not declare
    (for `diff`, where one set of options applies to two plans). `trust_builtin` skips the
    JSON Schema checks for a built-in plan the test suite validated (`plan/trusted.py`).
    """
    tree = load_tree(ref, trust_builtin=trust_builtin)
    data, smap, rejected_parts = tree.data, tree.smap, tree.quarantine
    if lenient:
        declared = set(data.get("vars") or {})
        variables = [flag for flag in variables if flag.partition("=")[0].strip() in declared]
        enable = [name for name in enable if name in (data.get("sections") or {})]
        disable = [name for name in disable if name in (data.get("sections") or {})]
    problems = [*tree.problems, *validation.check_kinds(data, smap, kinds)]
    switched, found = sections.switch(
        data.get("sections") or {}, enable, disable, rejected_parts.sections
    )
    problems += found
    decl, values, found, rejected = _variables(
        data,
        smap,
        variables,
        var_files,
        rejected_parts,
        providers,
        use_providers=use_providers,
        require_vars=require_vars,
    )
    problems += found
    # A refused value is reported once, where it was given: not again in every use of it.
    quiet = {n for n, v in values.items() if v is None and (decl[n].required or not require_vars)}
    quiet |= rejected
    sub = Substituter(
        values,
        data.get("tables") or {},
        smap,
        quiet_missing=quiet,
        rejected_vars=rejected_parts.vars,
        rejected_tables=rejected_parts.tables,
    )
    defaults = sub.tree(data.get("defaults") or {}, ("defaults",))
    unresolved_defaults = {dotted(path) for path in sub.unresolved}
    endpoints = substitution.expand_endpoints(data.get("endpoints") or [], sub)
    steps = substitution.expand_steps(data.get("steps") or [], sub)
    post_checks.mark_removed(endpoints + steps, smap)
    problems += sub.problems
    problems += sections.apply(endpoints + steps, switched, smap, rejected_parts.sections)
    problems += sections.undescribed_unused(data, smap)
    problems += post_checks.check_resolved(
        defaults, unresolved_defaults, endpoints, steps, smap, kinds, schemas=not tree.trusted
    )
    if problems:
        redactor = _secrets_of(decl, values, variables)
        raise PlanError([_masked(p, redactor) for p in validation.ordered(problems)])
    plan = _build(ref, data, values, decl, switched, defaults, endpoints, steps, smap)
    return replace(plan, files=tree.files)


def _secrets_of(decl: dict[str, Var], values: dict[str, Any], flags: Sequence[str]) -> Redactor:
    """A redactor for error messages: the secret variables' values, given or final."""
    redactor = Redactor()
    for name, var in decl.items():
        if var.secret:
            value = values.get(name)
            for item in value if isinstance(value, list) else [value]:
                redactor.add(None if item is None else str(item))
    for flag in flags:
        name, _, text = flag.partition("=")
        if name.strip() in decl and decl[name.strip()].secret:
            redactor.add(text)
    return redactor


def _masked(problem: Problem, redactor: Redactor) -> Problem:
    """The problem with secret values and secret-looking text (`sig=...`) masked."""
    return replace(problem, message=redactor.mask(problem.message))


def _variables(
    data: dict[str, Any],
    smap: SourceMap,
    flags: Sequence[str],
    var_files: Sequence[str],
    rejected_parts: Quarantine,
    providers: Providers,
    *,
    use_providers: bool,
    require_vars: bool,
) -> tuple[dict[str, Var], dict[str, Any], list[Problem], set[str]]:
    """Declared variables, their final values, the problems found on the way, and the
    names whose given or default value was refused."""
    decl, problems = declare(data, smap, providers, rejected_parts.tables)
    tables = data.get("tables") or {}
    given = var_values.gather(decl, tables, flags, var_files, rejected_parts.vars)
    rejected = given.rejected | {n for n, var in decl.items() if bad_default(var, tables)}
    values, found = var_values.finish(
        decl,
        given.values,
        smap,
        providers,
        use_providers=use_providers,
        require_vars=require_vars,
        rejected=rejected,
    )
    quarantined = (rejected_parts.vars, rejected_parts.tables)
    linked, refused = table_of.check(decl, values, given.values, tables, smap, quarantined)
    problems += table_of.declaration_problems(data, smap, quarantined)
    # A value the table should have given stays quietly unresolved when its key was refused.
    rejected |= refused | _value_vars(decl, values)
    return decl, values, problems + linked + given.problems + found, rejected


def _value_vars(decl: dict[str, Var], values: dict[str, Any]) -> set[str]:
    return {
        var.in_table_of["value_var"]
        for var in decl.values()
        if var.in_table_of
        and var.in_table_of.get("value_var")
        and values.get(var.in_table_of["value_var"]) is None
    }


def _num(value: Any, default: float) -> float:
    return (
        float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default
    )


def _build(
    ref: str,
    data: dict[str, Any],
    values: dict[str, Any],
    decl: dict[str, Var],
    switched: list[Section],
    defaults: dict[str, Any],
    endpoints: list[Item],
    steps: list[Item],
    smap: SourceMap,
) -> Plan:
    return Plan(
        name=data["name"],
        version=data["version"],
        scenario=data["scenario"],
        description=data["description"],
        source=f"builtin:{ref}" if is_builtin_name(ref) else ref,
        variables=values,
        secret_vars=frozenset(name for name, var in decl.items() if var.secret),
        sections=tuple(switched),
        endpoints=tuple(
            _endpoint(item, defaults, smap, {s.name for s in switched if s.enabled})
            for item in endpoints
        ),
        steps=tuple(_step(item, smap) for item in steps),
        timeout=_num(defaults.get("timeout"), 5.0),
        deadline=_num(defaults.get("deadline"), 60.0),
        concurrency=int(_num(defaults.get("concurrency"), 32)),
        routes=tuple(defaults.get("routes", ("default", "agent"))),
        log_names=dict(data.get("log") or {}),
    )


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _endpoint(
    item: Item, defaults: dict[str, Any], smap: SourceMap, sections_on: set[str]
) -> Endpoint:
    d = item.data
    chain = d.get("chain") or defaults.get("chain") or _CHAIN
    advisory = d.get("advisory_with")
    return Endpoint(
        id=str(d["id"]),
        host=to_ascii(str(d["host"])),
        port=int(_num(d.get("port"), _num(defaults.get("port"), 443))),
        purpose=str(d["purpose"]),
        section=d.get("section"),
        enabled=item.skip_reason is None,
        skip_reason=item.skip_reason,
        required=d.get("required", True) is not False and advisory not in sections_on,
        chain=tuple(chain),
        timeout=_num(d.get("timeout"), _num(defaults.get("timeout"), 5.0)),
        address=d.get("address", "any"),
        tls_issuers=_texts(d.get("tls_issuers")),
        service_tag=d.get("service_tag"),
        error_codes=_texts(d.get("error_codes")),
        wildcard=d.get("wildcard"),
        why_this_host=d.get("why_this_host"),
        docs=d.get("docs"),
        checked=d.get("checked"),
        uncertain=d.get("uncertain"),
        hint=d.get("hint"),
        by_hand=d.get("by_hand"),
        advisory_with=advisory,
        cname_into=d.get("cname_into"),
        origin=smap.at(item.origin),
    )


def _ascii_hosts(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """Host parameters of a step as DNS and TLS use them (A-labels)."""
    for key in post_checks.HOST_PARAMS.get(kind, ()):
        if isinstance(params.get(key), str):
            params[key] = to_ascii(params[key])
    return params


def _step(item: Item, smap: SourceMap) -> Step:
    d = item.data
    return Step(
        id=str(d["id"]),
        kind=str(d["kind"]),
        params=_ascii_hosts(str(d["kind"]), dict(d.get("with") or {})),
        title=str(d.get("title", "")),
        section=d.get("section"),
        enabled=item.skip_reason is None,
        skip_reason=item.skip_reason,
        required=d.get("required", False) is True,
        timeout=_num(d.get("timeout"), 10.0),
        origin=smap.at(item.origin),
    )
