"""One bad value in a good built-in plan: never a crash, and no follow-on problems.

Every value of the built-in plans is replaced, one at a time, by values of the wrong type.
`load_plan` must then raise PlanError (or accept the plan), never anything else, and every
problem it reports must lie inside the part of the plan that was spoiled: a rejected
variable, table or section is not reported again where it is used.
"""

from __future__ import annotations

import functools
from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest
import yaml

from runner import resources
from runner.errors import PlanError
from runner.plan.source import DataPath, dotted
from tests.helpers.plans import load_plan

#: Values of a type (or shape) that no place in a plan accepts where a good value stood
#: (a mapping is not replaced by another mapping, nor a list by a list: that would only
#: take its content away, and what then goes missing elsewhere is a real problem).
_WRONG: tuple[Any, ...] = (7.5, [{"x": 1}], {"x": [1]})
#: A plan that extends a built-in one (as in the README), adding and removing endpoints.
_CHILD = Path(__file__).parent / "data" / "child_of_a2a.yaml"
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
#: The part of a plan a problem at a path belongs to.
_NAMED = ("vars", "tables", "sections", "endpoints", "steps", "defaults", "log")


def _paths(value: Any, path: DataPath = ()) -> list[DataPath]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


@functools.cache
def _parsed(plan: Path) -> Any:
    return yaml.load(plan.read_text(), Loader=_LOADER)


def _spoiled(data: Any, path: DataPath, value: Any) -> Any:
    copy = deepcopy(data)
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


def _at(data: Any, path: DataPath) -> Any:
    for key in path:
        data = data[key]
    return data


def _unit(path: DataPath) -> str:
    return dotted(path[:2] if path[0] in _NAMED else path[:1])


def _check(plan: Path, path: DataPath, value: Any, tmp_path: Path) -> None:
    data = _parsed(plan)
    if isinstance(value, (dict, list)) and type(_at(data, path)) is type(value):
        return
    spoiled = tmp_path / "spoiled.yaml"
    spoiled.write_text(yaml.dump(_spoiled(data, path, value), Dumper=_DUMPER, sort_keys=False))
    try:
        load_plan(str(spoiled), require_vars=False)
    except PlanError as error:
        unit = _unit(path)
        assert error.problems, path
        for problem in error.problems:
            assert problem.location is not None, (path, str(problem))
            assert problem.location.file == str(spoiled), (dotted(path), value, str(problem))
            if "extends" in data:  # paths are those of the merged plan: the file is enough
                continue
            inside = problem.path == unit or problem.path.startswith((unit + ".", unit + "["))
            assert inside, (dotted(path), value, str(problem))


def _cases() -> list[Any]:
    """Each kind of place once per plan: `endpoints[*].port` only in the first endpoint
    that has a port (and so on), to keep the test quick."""
    cases = []
    for plan in [*sorted(resources.plans_dir().glob("*.yaml")), _CHILD]:
        seen = set()
        for path in _paths(_parsed(plan)):
            shape = tuple("*" if isinstance(key, int) else key for key in path)
            if shape not in seen:
                seen.add(shape)
                cases.append(pytest.param(plan, path, id=f"{plan.stem}:{dotted(path)}"))
    return cases


@pytest.mark.parametrize(("plan", "path"), _cases())
def test_one_spoiled_value_is_reported_alone(plan: Path, path: DataPath, tmp_path: Path) -> None:
    for value in _WRONG:
        _check(plan, path, value, tmp_path)
