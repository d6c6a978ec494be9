"""Safe YAML loading with a side map from data paths to file:line:column.

The YAML is composed into a node tree (safe loader, never arbitrary objects) and turned into
plain data by a walk that counts every node it visits, aliases included, so an alias bomb
("billion laughs") stops at a fixed budget instead of eating memory. The walk also finds
duplicate keys and records where every key and value is written, in a `SourceMap` kept
beside the data (nothing is injected into it).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml

from runner.errors import PlanError, Problem
from runner.model import Location

#: Files larger than this are refused before parsing.
MAX_BYTES = 1024 * 1024
#: Nodes a document may expand to (aliases count each time they are used).
MAX_NODES = 100_000
#: Nesting depth of mappings and sequences.
MAX_DEPTH = 64

PathKey = Union[str, int]
DataPath = tuple[PathKey, ...]

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """The safe loader with YAML 1.2 core-schema scalars (`_resolve_like_yaml_1_2`)."""


#: Plain scalars read as YAML 1.2's core schema does, not as YAML 1.1: `yes`, `on`, `n`
#: stay strings, `1:30` is a string (not 90), dates stay strings; stricter still, `0123`
#: is the string "0123" (not octal 83, not 123: a leading zero says it is not a number).
#: `.nan` / `.inf` are floats, refused by the walk (numbers must be finite).
_CORE_RESOLVERS = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
)
#: Longer integers are refused (Python's int/str conversion limit is 4,300 digits).
MAX_DIGITS = 1000
_REPLACED = {tag for tag, _, _ in _CORE_RESOLVERS} | {"tag:yaml.org,2002:timestamp"}


def _resolve_like_yaml_1_2() -> None:
    _Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _REPLACED]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }
    for tag, pattern, first in _CORE_RESOLVERS:
        _Loader.add_implicit_resolver(tag, re.compile(pattern), list(first))
    _Loader.add_constructor("tag:yaml.org,2002:bool", _bool)
    _Loader.add_constructor("tag:yaml.org,2002:int", _int)
    _Loader.add_constructor("tag:yaml.org,2002:float", _float)


def _bool(loader: Any, node: Any) -> bool:
    return str(loader.construct_scalar(node)).lower() == "true"


def _int(loader: Any, node: Any) -> int:
    text = str(loader.construct_scalar(node))
    if len(text.lstrip("+-")) > MAX_DIGITS:
        raise ValueError(f"an integer of {len(text.lstrip('+-'))} digits is too large")
    return int(text, 10)


def _float(loader: Any, node: Any) -> float:
    text = str(loader.construct_scalar(node)).lower()
    if text.endswith(".inf") or text == ".nan":
        return float(text.replace(".", ""))
    if len(text) > MAX_DIGITS:
        raise ValueError(f"a number of {len(text)} characters is too long")
    return float(text)


_resolve_like_yaml_1_2()

_SCALAR_TYPES = (str, int, float, bool, type(None))
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def dotted(path: DataPath) -> str:
    """`("endpoints", 2, "port")` -> `endpoints[2].port`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of one loaded tree is written."""

    file: str
    values: dict[DataPath, Location] = field(default_factory=dict)
    keys: dict[DataPath, Location] = field(default_factory=dict)

    def at(self, path: DataPath) -> Location:
        """The location of the value at `path`, else of its nearest located ancestor."""
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return Location(self.file, 1, 1)

    def key_at(self, path: DataPath) -> Location:
        """The location of the key that names `path` (or of the value if it has no key)."""
        return self.keys.get(path) or self.at(path)

    def graft(self, dst: DataPath, src: SourceMap, src_path: DataPath) -> None:
        """Copies every location under `src_path` of `src` to under `dst` of this map."""
        size = len(src_path)
        for table, mine in ((src.values, self.values), (src.keys, self.keys)):
            for path, location in table.items():
                if path[:size] == src_path:
                    mine[dst + path[size:]] = location


def problem(smap: SourceMap, path: DataPath, message: str, *, key: bool = False) -> Problem:
    """A problem located at a data path of a loaded tree."""
    location = smap.key_at(path) if key else smap.at(path)
    return Problem(message, location, dotted(path))


def _location(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


@dataclass
class Notes:
    """Problems of a document that still gave a tree (when the caller asks to go on)."""

    problems: list[Problem] = field(default_factory=list)
    #: Values that were refused and are None in the tree (e.g. an unsupported tag).
    dropped: list[DataPath] = field(default_factory=list)
    #: Mappings that lost keys (merge keys, keys that are not strings).
    incomplete: list[DataPath] = field(default_factory=list)


class _Walker:
    """Turns a composed node tree into plain data and a SourceMap, within a budget."""

    def __init__(self, file: str) -> None:
        self.smap = SourceMap(file)
        self.problems: list[Problem] = []
        self.notes = Notes(self.problems)
        self.budget = MAX_NODES
        self.constructor = _Loader("")  # builds scalars only

    def fail(self, node: Any, message: str, path: DataPath = ()) -> None:
        where = _location(self.smap.file, node.start_mark)
        self.problems.append(Problem(message, where, dotted(path)))

    def walk(self, node: Any, path: DataPath, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooBig(node)
        self.smap.values[path] = _location(self.smap.file, node.start_mark)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node, path, depth)
        return self._scalar(node, path)

    def _check_container(self, node: Any, path: DataPath, depth: int, tag: str) -> None:
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        if node.tag != tag:
            self.fail(node, f"unsupported YAML tag {node.tag!r}", path)
            self.notes.dropped.append(path)

    def _mapping(self, node: Any, path: DataPath, depth: int) -> dict[str, Any]:
        self._check_container(node, path, depth, _MAP_TAG)
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, path)
            if key is None:
                continue
            if key in data:
                first = self.smap.keys[(*path, key)]
                message = f"duplicate key {key!r} (first defined at line {first.line})"
                self.fail(key_node, message, (*path, key))
                continue
            self.smap.keys[(*path, key)] = _location(self.smap.file, key_node.start_mark)
            data[key] = self.walk(value_node, (*path, key), depth + 1)
        return data

    def _key(self, node: Any, path: DataPath) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, "a mapping key must be a plain string", path)
            self.notes.incomplete.append(path)
            return None
        if node.tag == "tag:yaml.org,2002:merge":
            self.fail(node, "merge keys (<<) are not supported; write the keys out", path)
            self.notes.incomplete.append(path)
            return None
        return str(node.value)

    def _sequence(self, node: Any, path: DataPath, depth: int) -> list[Any]:
        self._check_container(node, path, depth, _SEQ_TAG)
        return [self.walk(item, (*path, index), depth + 1) for index, item in enumerate(node.value)]

    def _scalar(self, node: Any, path: DataPath) -> Any:
        try:
            value = self.constructor.construct_object(node)
        except ValueError as error:
            self.fail(node, str(error), path)
            self.notes.dropped.append(path)
            return None
        except yaml.YAMLError:
            self.fail(node, f"unsupported YAML tag {node.tag!r}", path)
            self.notes.dropped.append(path)
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(node, f"{node.value!r} is not a finite number", path)
            self.notes.dropped.append(path)
            return None
        if not isinstance(value, _SCALAR_TYPES):
            self.fail(node, f"unsupported YAML value of type {type(value).__name__}", path)
            self.notes.dropped.append(path)
            return None
        return value


class _TooBig(Exception):
    def __init__(self, node: Any) -> None:
        self.node = node


class _TooDeep(_TooBig):
    pass


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        byte = raw[error.start]
        raise PlanError(
            [Problem(f"not UTF-8 text (byte 0x{byte:02x})", Location(file, line, column))]
        ) from None


def _check_depth(text: str) -> None:
    """Refuses deep nesting before composing: libyaml's composer recurses in C."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooDeep(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _compose(text: str, file: str) -> Any:
    loader = _Loader(text)
    try:
        _check_depth(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = _location(file, mark) if mark else Location(file, 1, 1)
        message = ": ".join(str(part) for part in (error.context, error.problem) if part)
        raise PlanError([Problem(f"YAML syntax error: {message}", where)]) from None
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        where = Location(file, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)
        message = f"character {error.character!r} is not allowed in YAML"
        raise PlanError([Problem(message, where)]) from None
    except yaml.YAMLError as error:
        raise PlanError([Problem(f"YAML error: {error}", Location(file, 1, 1))]) from None
    except _TooDeep as error:
        where = _location(file, error.node.start_mark)
        raise PlanError([Problem(f"nesting deeper than {MAX_DEPTH} levels", where)]) from None
    except RecursionError:  # the pure-Python parser, should libyaml be missing
        raise PlanError([Problem("YAML nesting is too deep", Location(file, 1, 1))]) from None
    finally:
        loader.dispose()
    return node


def load_text(text: str, file: str, notes: Notes | None = None) -> tuple[dict[str, Any], SourceMap]:
    """Parses one YAML document that must be a mapping; raises PlanError with every problem.
    With `notes`, problems that still leave a tree (duplicate keys, unsupported tags) go
    there instead."""
    node = _compose(text, file)
    if node is None:
        raise PlanError([Problem("the file is empty (expected a mapping)", Location(file, 1, 1))])
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        where = _location(file, node.start_mark)
        raise PlanError([Problem(f"the top level must be a mapping, not {kind}", where)])
    walker = _Walker(file)
    try:
        data = walker.walk(node, (), 0)
    except _TooDeep as error:
        where = _location(file, error.node.start_mark)
        message = f"nesting deeper than {MAX_DEPTH} levels, counting aliases (recursive alias?)"
        raise PlanError([Problem(message, where)]) from None
    except _TooBig as error:
        where = _location(file, error.node.start_mark)
        message = f"more than {MAX_NODES} values after expanding aliases (alias bomb?)"
        raise PlanError([Problem(message, where)]) from None
    if walker.problems and notes is None:
        raise PlanError(walker.problems)
    if notes is not None:
        notes.problems += walker.notes.problems
        notes.dropped += walker.notes.dropped
        notes.incomplete += walker.notes.incomplete
    return data, walker.smap


def load_file(
    path: Path, file: str | None = None, notes: Notes | None = None
) -> tuple[dict[str, Any], SourceMap]:
    """Reads and parses a YAML file; `file` is the name used in locations (and `notes`
    as in `load_text`)."""
    name = file if file is not None else str(path)
    try:
        if path.exists() and not path.is_file():  # a FIFO would block, a device never end
            kind = "is a directory" if path.is_dir() else "not a regular file (a FIFO or device?)"
            raise PlanError([Problem(f"{name}: cannot read: {kind}")])
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise PlanError([Problem(f"{name}: file not found")]) from None
    except OSError as error:
        raise PlanError([Problem(f"{name}: cannot read: {error.strerror or error}")]) from None
    if len(raw) > MAX_BYTES:
        message = f"file larger than {MAX_BYTES // 1024} KiB; is this a plan?"
        raise PlanError([Problem(message, Location(name, 1, 1))])
    return load_text(_decode(raw, name), name, notes)
