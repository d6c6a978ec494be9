"""Finds plan files and merges a plan over the plan it `extends:` (see docs/plan-format.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runner import resources
from runner.errors import PlanError, Problem
from runner.plan import source, validation
from runner.plan.set_aside import Quarantine, prune
from runner.plan.source import DataPath, SourceMap, problem
from runner.plan.trusted import is_trusted

MAX_DEPTH = 16
_OWN = ("plan_format", "name", "version", "scenario", "description")
_BY_KEY = ("log", "defaults")
_BY_ENTRY = ("tables", "sections")


def is_builtin_name(ref: str) -> bool:
    """A bare name (no path separator, no .yaml/.yml suffix) means a built-in plan."""
    return not ("/" in ref or os.sep in ref or ref.endswith((".yaml", ".yml")))


def builtin_names() -> list[str]:
    return sorted(path.stem for path in resources.plans_dir().glob("*.yaml"))


def locate(ref: str, relative_to: Path | None = None) -> tuple[Path, str]:
    """The file a plan reference names, and the name used in messages."""
    if is_builtin_name(ref):
        path = resources.plans_dir() / f"{ref}.yaml"
        return path, str(path)
    path = Path(ref)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
        return path, os.path.normpath(str(path))
    return path, ref


@dataclass
class Tree:
    """A plan's tree with every `extends:` merged in, where each value is written, the
    problems found so far, and what was taken out of the tree because of them."""

    data: dict[str, Any]
    smap: SourceMap
    problems: list[Problem] = field(default_factory=list)
    quarantine: Quarantine = field(default_factory=Quarantine)
    #: Every file the tree was read from: the plan, then each plan it extends.
    files: tuple[str, ...] = ()
    #: Every file of the tree is a built-in plan as validated (`trusted.py`): the schema
    #: checks were skipped and need not run on the resolved values either.
    trusted: bool = False


def load_tree(ref: str, *, trust_builtin: bool = False) -> Tree:
    """The plan's merged tree. Problems the later checks can work around (schema errors in
    the plan itself, merge problems) are in `Tree.problems`; the others (unreadable
    files, an unknown or invalid parent plan) raise PlanError, with every problem so far.
    With `trust_builtin`, a built-in plan as validated is not checked against the schema."""
    path, name = locate(ref)
    if is_builtin_name(ref) and not path.is_file():
        raise PlanError([Problem(f"no built-in plan {ref!r} (built-in: {_builtins()})")])
    if not is_builtin_name(ref) and not path.exists() and path.stem in builtin_names():
        raise PlanError([Problem(_missing_builtin_file(name, path.stem))])
    return _load(path, name, [], trust_builtin)


def _missing_builtin_file(name: str, builtin: str) -> str:
    """A plan file that is not there, named like a built-in plan (`plans/a2a.yaml` outside
    the repository): the built-in one is meant."""
    return (
        f"{name}: file not found; {builtin} is a built-in plan: give its name instead of "
        f"a path (asrcheck run {builtin} ...)"
    )


def _builtins() -> str:
    return ", ".join(builtin_names()) or "none installed"


def _load(path: Path, name: str, chain: list[tuple[Path, str]], trust: bool) -> Tree:
    notes = source.Notes()
    data, smap = source.load_file(path, name, notes)
    trusted = trust and not notes.problems and is_trusted(path)
    found = (
        []
        if trusted
        else [
            (where, item)
            for where, item in validation.located_plan_problems(data, smap)
            if not _follows(where, item, notes)
        ]
    )
    problems = [*notes.problems, *(item for _, item in found)]
    quarantine = prune(data, [*notes.dropped, *(where for where, _ in found if where)])
    parent_ref = data.get("extends")
    if quarantine.extends:  # without its parent, the rest of the plan cannot be checked
        raise PlanError(validation.ordered(problems))
    if parent_ref is None:
        if data.get("remove"):
            message = "only a plan with extends: can remove inherited endpoints and steps"
            problems.append(problem(smap, ("remove",), message))
        return Tree(data, smap, problems, quarantine, (str(path),), trusted)
    here = (Path(os.path.realpath(path)), name)
    parent_path, parent_name = locate(parent_ref, path.parent)
    try:
        _check_parent(parent_ref, parent_path, [*chain, here], smap)
        parent = _load(parent_path, parent_name, [*chain, here], trust)
    except PlanError as error:
        raise PlanError(validation.ordered([*problems, *error.problems])) from None
    if parent.problems:  # an invalid parent: report it (and this plan's own problems)
        raise PlanError(validation.ordered([*problems, *parent.problems]))
    merged, merged_map, found_merging = merge(parent.data, parent.smap, data, smap)
    files = (str(path), *parent.files)
    both = trusted and parent.trusted
    return Tree(merged, merged_map, [*problems, *found_merging], quarantine, files, both)


def _follows(where: DataPath | None, item: Problem, notes: source.Notes) -> bool:
    """Whether a schema problem only follows from a problem the YAML loader reported: a
    refused value (None in the tree), or a key missing from a mapping that lost keys."""
    if where is None:
        return item.path in {source.dotted(path) for path in notes.incomplete}
    return any(path and where[: len(path)] == path for path in notes.dropped)


def _check_parent(ref: str, path: Path, chain: list[tuple[Path, str]], smap: SourceMap) -> None:
    where: DataPath = ("extends",)
    if any(Path(os.path.realpath(path)) == seen for seen, _ in chain):
        names = [shown for _, shown in chain] + [str(path)]
        raise PlanError([problem(smap, where, "extends cycle: " + " -> ".join(names))])
    if len(chain) >= MAX_DEPTH:
        raise PlanError([problem(smap, where, f"extends nested deeper than {MAX_DEPTH} plans")])
    if not path.is_file():
        if is_builtin_name(ref):
            message = f"no built-in plan {ref!r} (built-in: {_builtins()})"
        else:
            message = f"plan file not found: {path}"
        raise PlanError([problem(smap, where, message)])


class _Merge:
    """Builds the merged tree and its SourceMap."""

    def __init__(
        self, parent: dict[str, Any], pmap: SourceMap, child: dict[str, Any], cmap: SourceMap
    ) -> None:
        self.parent, self.pmap, self.child, self.cmap = parent, pmap, child, cmap
        self.data: dict[str, Any] = {}
        self.smap = SourceMap(cmap.file)
        self.problems: list[Problem] = []

    def take(self, path: DataPath, value: Any, from_child: bool) -> None:
        self.smap.graft(path, self.cmap if from_child else self.pmap, path)
        target: dict[Any, Any] = self.data
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = value

    def mapping(self, key: str, depth: int) -> None:
        for from_child, tree in ((False, self.parent), (True, self.child)):
            for name, value in (tree.get(key) or {}).items():
                if depth == 2 and isinstance(value, dict):
                    source_map = self.cmap if from_child else self.pmap
                    self.smap.values[(key, name)] = source_map.at((key, name))
                    self.smap.keys[(key, name)] = source_map.key_at((key, name))
                    self.data.setdefault(key, {}).setdefault(name, {})
                    for inner, item in value.items():
                        self.take((key, name, inner), item, from_child)
                else:
                    self.take((key, name), value, from_child)

    def variables(self) -> None:
        inherited = self.parent.get("vars") or {}
        for name, spec in inherited.items():
            self.take(("vars", name), dict(spec), False)
        for name, spec in (self.child.get("vars") or {}).items():
            if name not in inherited:
                self.take(("vars", name), spec, True)
                continue
            for key in spec:
                if key != "default":
                    message = f"inherited variable {name!r}: only its default may be changed"
                    self.problems.append(problem(self.cmap, ("vars", name, key), message, key=True))
            if "default" in spec:
                self.take(("vars", name, "default"), spec["default"], True)


def merge(
    parent: dict[str, Any], pmap: SourceMap, child: dict[str, Any], cmap: SourceMap
) -> tuple[dict[str, Any], SourceMap, list[Problem]]:
    """The child's tree merged over the parent's (rules in docs/plan-format.md), and the
    problems of the child's changes to what it inherits."""
    work = _Merge(parent, pmap, child, cmap)
    for key in _OWN:
        if key in child:
            work.take((key,), child[key], True)
    for key in _BY_KEY:
        work.mapping(key, 1)
    for key in _BY_ENTRY:
        work.mapping(key, 2)
    work.variables()
    removed = _removed(work, child)
    for key in ("endpoints", "steps"):
        _merge_list(work, key, removed)
    return work.data, work.smap, sorted(work.problems, key=_where)


def _removed(work: _Merge, child: dict[str, Any]) -> set[str]:
    inherited = {
        item["id"] for key in ("endpoints", "steps") for item in work.parent.get(key) or []
    }
    removed = set()
    for index, name in enumerate(child.get("remove") or []):
        if name not in inherited:
            message = f"no inherited endpoint or step {name!r} to remove"
            work.problems.append(problem(work.cmap, ("remove", index), message))
        removed.add(name)
    return removed


def _merge_list(work: _Merge, key: str, removed: set[str]) -> None:
    entries: list[tuple[SourceMap, DataPath, dict[str, Any]]] = []
    positions: dict[str, int] = {}
    for index, item in enumerate(work.parent.get(key) or []):
        if item["id"] not in removed:
            positions[item["id"]] = len(entries)
            entries.append((work.pmap, (key, index), item))
    for index, item in enumerate(work.child.get(key) or []):
        if item is None:  # rejected by the schema (see runner.plan.set_aside)
            continue
        entry = (work.cmap, (key, index), item)
        if item.get("id") in positions:
            entries[positions[item["id"]]] = entry
        else:
            entries.append(entry)
    if not entries:
        return
    work.data[key] = []
    for position, (smap, path, item) in enumerate(entries):
        work.smap.graft((key, position), smap, path)
        work.data[key].append(item)


def _where(item: Problem) -> tuple[str, int, int]:
    where = item.location
    return (where.file, where.line, where.column) if where else ("", 0, 0)
