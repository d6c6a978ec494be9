"""Variable substitution on the parsed tree, `for_each` expansion and optional sections.

Strings are rewritten after parsing, so every value keeps its location. `${name}` alone keeps
the variable's type; inside text it becomes text. `${table[var]}` looks up a table (its `*`
entry stands for keys it does not list); a null entry makes the endpoint or step not
applicable, or a check by hand when the endpoint says what to check (`by_hand:`), except in
an advice field (`ADVICE_FIELDS`), which a null entry leaves out. `$${` writes a literal `${`.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from runner.errors import Problem
from runner.plan.source import DataPath, SourceMap, problem
from runner.plan.variables import suggest

_TOKEN = re.compile(r"\$\$\{|\$\{([^{}]*)\}")
_REF = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\[([A-Za-z_][A-Za-z0-9_]*)\])?$")

#: skip_reason prefixes, mapped to reason codes by `skip_code()`.
NOT_APPLICABLE = "not-applicable: "
MISSING_INPUT = "missing-input: "
MANUAL_CHECK = "manual-check: "
#: The host shown for a check by hand whose wildcard is not documented either.
NO_HOST = "(not documented)"
#: The key of a table entry that stands for every key the table does not list.
ANY_KEY = "*"
#: Endpoint fields a null table entry leaves out (a note for one cloud only, say).
ADVICE_FIELDS = ("uncertain", "hint", "why_this_host", "service_tag")


def skip_code(skip_reason: str | None) -> str:
    """The reason code (runner.reasons) of a skipped endpoint or step."""
    if skip_reason and skip_reason.startswith(NOT_APPLICABLE):
        return "not-applicable"
    if skip_reason and skip_reason.startswith(MISSING_INPUT):
        return "missing-input"
    if skip_reason and skip_reason.startswith(MANUAL_CHECK):
        return "manual-check"
    return "skipped"


class _Unresolved:
    """The value of a variable that was not given (validate only): left as written."""


UNRESOLVED = _Unresolved()
_NO_ITEM: Any = object()


@dataclass
class Item:
    """One endpoint or step after substitution."""

    data: dict[str, Any]
    #: Where it is written in the merged tree, e.g. ("endpoints", 3).
    origin: DataPath
    skip_reason: str | None = None
    #: Paths inside `data` left unresolved (variables not given): not checked further.
    unresolved: set[DataPath] = field(default_factory=set)


class Substituter:
    """Replaces `${...}` references in a tree, collecting located problems."""

    def __init__(
        self,
        values: Mapping[str, Any],
        tables: Mapping[str, Any],
        smap: SourceMap,
        *,
        quiet_missing: set[str],
        rejected_vars: Container[str] = (),
        rejected_tables: Container[str] = (),
    ) -> None:
        self.values = values
        self.tables = tables
        self.smap = smap
        #: Variables without a value whose uses are left unresolved without a problem.
        self.quiet_missing = quiet_missing
        #: Variables and tables whose declaration was refused: uses are left unresolved,
        #: quietly (the declaration's problem is reported, not each use of it).
        self.rejected_vars = rejected_vars
        self.rejected_tables = rejected_tables
        self.problems: list[Problem] = []
        self.item: Any = _NO_ITEM
        self.unresolved: set[DataPath] = set()
        self.not_applicable: list[str] = []
        #: Advice fields of the current item left out by a null table entry.
        self.dropped: set[str] = set()
        #: Length of the current item's origin path (None outside an item).
        self._origin_size: int | None = None

    def tree(self, value: Any, path: DataPath) -> Any:
        if isinstance(value, dict):
            return {key: self.tree(item, (*path, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [self.tree(item, (*path, index)) for index, item in enumerate(value)]
        if isinstance(value, str) and "${" in value:
            return self.string(value, path)
        return value

    def string(self, text: str, path: DataPath) -> Any:
        matches = list(_TOKEN.finditer(text))
        if (
            len(matches) == 1
            and matches[0].group(1) is not None
            and matches[0].span() == (0, len(text))
        ):
            value = self._lookup(matches[0].group(1), path)
            return self._leave(text, path) if value is UNRESOLVED else value
        pieces: list[str] = []
        position = 0
        for match in matches:
            pieces.append(text[position : match.start()])
            position = match.end()
            if match.group(1) is None:
                pieces.append("${")
                continue
            value = self._lookup(match.group(1), path)
            if isinstance(value, list):
                message = (
                    f"list variable in '${{{match.group(1)}}}' must stand alone (or use for_each)"
                )
                self.problems.append(problem(self.smap, path, message))
                value = UNRESOLVED
            if value is UNRESOLVED:  # keep the reference as written; resolve the rest
                self.unresolved.add(path)
                pieces.append(match.group(0))
                continue
            pieces.append(self._as_text(value))
        rest = text[position:]
        if "${" in rest:
            self.problems.append(problem(self.smap, path, f"unclosed '${{' in {text!r}"))
        return "".join(pieces) + rest

    def _leave(self, text: str, path: DataPath) -> str:
        self.unresolved.add(path)
        return text

    @staticmethod
    def _as_text(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def _lookup(self, ref: str, path: DataPath) -> Any:
        match = _REF.match(ref)
        if not match:
            self.problems.append(problem(self.smap, path, f"invalid reference '${{{ref}}}'"))
            return UNRESOLVED
        name, key_var = match.groups()
        if key_var is None:
            return self._variable(name, path)
        return self._table(name, key_var, path)

    def _variable(self, name: str, path: DataPath) -> Any:
        if name == "item" and self.item is not _NO_ITEM:
            return self.item
        if name not in self.values and name in self.rejected_vars:
            return UNRESOLVED
        if name not in self.values:
            where = " (${item} exists only in a for_each endpoint)" if name == "item" else ""
            message = f"undefined variable {name!r}{where or suggest(name, self.values)}"
            self.problems.append(problem(self.smap, path, message))
            return UNRESOLVED
        value = self.values[name]
        if value is None:
            if name not in self.quiet_missing:
                message = f"variable {name!r} has no value; give --var {name}=VALUE"
                self.problems.append(problem(self.smap, path, message))
            return UNRESOLVED
        return value

    def _table(self, table_name: str, var: str, path: DataPath) -> Any:
        key = self._variable(var, path)
        if key is UNRESOLVED:
            return UNRESOLVED
        table = self.tables.get(table_name)
        if table is None and table_name in self.rejected_tables:
            return UNRESOLVED
        if table is None:
            message = f"unknown table {table_name!r}{suggest(table_name, self.tables)}"
            self.problems.append(problem(self.smap, path, message))
            return UNRESOLVED
        if str(key) not in table and ANY_KEY in table:
            key = ANY_KEY
        if str(key) not in table:
            message = (
                f"tables.{table_name} has no entry {key!r} (for {var}){suggest(str(key), table)}"
            )
            self.problems.append(problem(self.smap, path, message))
            return UNRESOLVED
        if table[str(key)] is None:
            if self._in_advice_field(path):
                self.dropped.add(str(path[-1]))
            else:
                self.not_applicable.append(f"tables.{table_name} has no value for {var}={key}")
            return UNRESOLVED
        return table[str(key)]

    def _in_advice_field(self, path: DataPath) -> bool:
        size = self._origin_size
        return (
            size is not None
            and len(path) == size + 1
            and path[:1] == ("endpoints",)
            and path[-1] in ADVICE_FIELDS
        )

    def item_of(self, raw: dict[str, Any], origin: DataPath, item: Any) -> Item:
        """Substitutes one endpoint or step (with `${item}` bound to `item`)."""
        self.item, self.unresolved, self.not_applicable = item, set(), []
        self.dropped, self._origin_size = set(), len(origin)
        data = self.tree(
            {k: v for k, v in raw.items() if k not in ("for_each", "when_empty")}, origin
        )
        self.item, self._origin_size = _NO_ITEM, None
        size = len(origin)
        unresolved = {path[size:] for path in self.unresolved}
        for name in self.dropped:
            data.pop(name, None)
            unresolved.discard((name,))
        reason = _skip_reason(data, unresolved, self.not_applicable)
        return Item(data, origin, reason, unresolved)


def _skip_reason(data: dict[str, Any], unresolved: set[DataPath], missing: list[str]) -> str | None:
    """Not applicable when a table had no value; a check by hand when the endpoint says what
    to check (`by_hand:`, resolved): its host is then the wildcard it stands for."""
    if not missing:
        return None
    by_hand = data.get("by_hand")
    if isinstance(by_hand, str) and ("by_hand",) not in unresolved:
        wildcard = data.get("wildcard")
        known = isinstance(wildcard, str) and ("wildcard",) not in unresolved
        data["host"] = wildcard if known else NO_HOST
        unresolved.add(("host",))
        return MANUAL_CHECK + " ".join(by_hand.split())
    return f"{NOT_APPLICABLE}{'; '.join(dict.fromkeys(missing))}"


def expand_endpoints(raw: Sequence[Any], sub: Substituter) -> list[Item]:
    """Substitutes endpoints and expands each `for_each` into one endpoint per element."""
    items: list[Item] = []
    for index, endpoint in enumerate(raw):
        if not isinstance(endpoint, dict):  # rejected by the schema (runner.plan.set_aside)
            continue
        origin: DataPath = ("endpoints", index)
        loop = endpoint.get("for_each")
        if loop is None:
            items.append(sub.item_of(endpoint, origin, _NO_ITEM))
            continue
        elements = _elements(loop, sub, origin)
        if elements == [] and endpoint.get("when_empty"):
            items.append(_when_empty(endpoint, origin, sub))
        items.extend(sub.item_of(endpoint, origin, element) for element in elements or [])
    return items


def _elements(loop: str, sub: Substituter, origin: DataPath) -> list[Any] | None:
    where = (*origin, "for_each")
    if loop not in sub.values and loop in sub.rejected_vars:
        return [UNRESOLVED]
    if loop not in sub.values:
        sub.problems.append(problem(sub.smap, where, f"undefined variable {loop!r}"))
        return None
    value = sub.values[loop]
    if value is None:
        return [UNRESOLVED]
    if not isinstance(value, list):
        sub.problems.append(
            problem(sub.smap, where, f"for_each needs a list variable, {loop!r} is not")
        )
        return None
    return value


def _when_empty(endpoint: dict[str, Any], origin: DataPath, sub: Substituter) -> Item:
    item = sub.item_of(endpoint, origin, UNRESOLVED)
    raw_id = str(endpoint.get("id", "")).replace("${item}", "")
    item.data["id"] = re.sub("-{2,}", "-", raw_id).strip("-") or "empty"
    item.unresolved.discard(("id",))
    item.skip_reason = MISSING_INPUT + " ".join(str(endpoint["when_empty"]).split())
    placeholder = f"<{endpoint['for_each']}>"  # `<storage_account>.blob...`, not `${item}...`
    for key, value in item.data.items():
        if isinstance(value, str) and key != "id":
            item.data[key] = value.replace("${item}", placeholder)
    return item


def expand_steps(raw: Sequence[Any], sub: Substituter) -> list[Item]:
    """Substitutes every step."""
    return [
        sub.item_of(step, ("steps", index), _NO_ITEM)
        for index, step in enumerate(raw)
        if isinstance(step, dict)  # else rejected by the schema (runner.plan.set_aside)
    ]
