"""Reading JSON reports back: each file is a `Report` or a `Problem` saying why it is not."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runner.outputs.json_report import SCHEMA_VERSION
from runner.peer_text import escaped

MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Report:
    """One readable asrcheck report and the machine name it is shown under."""

    path: str
    label: str
    doc: Mapping[str, Any]

    @property
    def results(self) -> list[Mapping[str, Any]]:
        return [r for r in self.doc.get("results", []) if isinstance(r, dict)]

    @property
    def verdict(self) -> str:
        return str(self.doc.get("summary", {}).get("verdict", "unknown"))

    @property
    def machine(self) -> Mapping[str, Any]:
        machine = self.doc.get("machine")
        return machine if isinstance(machine, dict) else {}

    def plan(self, key: str) -> str:
        return escaped(str(self.doc.get("plan", {}).get(key, "?")))


@dataclass(frozen=True)
class Problem:
    """A file that could not be used, and why (one line)."""

    path: str
    why: str


def _check(doc: Any) -> str | None:
    """Why `doc` is not an asrcheck report this version reads; None when it is."""
    if isinstance(doc, list):
        return "not an asrcheck report: " + ("an empty list" if not doc else "a JSON list")
    if not isinstance(doc, dict):
        return f"not an asrcheck report: a JSON {type(doc).__name__}"
    tool = doc.get("tool")
    if not isinstance(tool, dict) or tool.get("name") != "asrcheck":
        return 'not an asrcheck report: no "tool": {"name": "asrcheck"}'
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        return "not an asrcheck report: no integer schema_version"
    if version > SCHEMA_VERSION:
        return (
            f"report schema version {version} is newer than this asrcheck reads "
            f"({SCHEMA_VERSION}): use a newer asrcheck"
        )
    if not isinstance(doc.get("results"), list) or not isinstance(doc.get("summary"), dict):
        return "not an asrcheck report: no results list or summary"
    return None


def read(path: Path) -> Mapping[str, Any] | Problem:
    """The report document of `path`, or the problem with it."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return Problem(str(path), f"larger than {MAX_BYTES // 1024 // 1024} MiB")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return Problem(str(path), f"cannot read: {getattr(error, 'strerror', None) or error}")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        return Problem(f"{path}:{error.lineno}:{error.colno}", f"not JSON: {error.msg}")
    why = _check(doc)
    if why is not None:
        return Problem(str(path), why)
    loaded: Mapping[str, Any] = doc
    return loaded


def _label(doc: Mapping[str, Any], path: Path) -> str:
    machine: Mapping[str, Any] = doc.get("machine") or {}
    azure: Mapping[str, Any] = machine.get("azure") or {} if isinstance(machine, dict) else {}
    machine = machine if isinstance(machine, dict) else {}
    azure = azure if isinstance(azure, dict) else {}
    name = azure.get("vm_name") or machine.get("hostname") or path.stem
    return escaped(str(name))


@dataclass(frozen=True)
class Missing:
    """A machine directory without a report (the run failed, timed out or never started)."""

    label: str
    why: str


def _files(arg: Path) -> Iterable[tuple[Path, str | None]]:
    """(file, machine name from its directory or None) for a file or a results directory."""
    if not arg.is_dir():
        yield arg, None
        return
    for item in sorted(arg.iterdir()):
        if item.is_file() and item.suffix == ".json":
            yield item, None
        elif item.is_dir():
            found = sorted(item.glob("*.json"))
            for file in found:
                yield file, item.name
            if not found:
                yield item, item.name


def _missing_why(directory: Path) -> str:
    note = directory / "error.txt"
    try:
        first = note.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        first = []
    return escaped(first[0][:300]) if first else f"no report in {directory}"


def load_all(args: Iterable[str]) -> tuple[list[Report], list[Missing], list[Problem]]:
    """Every report named on the command line (files, or result directories)."""
    reports: list[Report] = []
    missing: list[Missing] = []
    problems: list[Problem] = []
    for arg in args:
        for path, name in _files(Path(arg)):
            if path.is_dir():
                missing.append(Missing(escaped(name or path.name), _missing_why(path)))
                continue
            got = read(path)
            if isinstance(got, Problem):
                problems.append(got)
            else:
                label = escaped(name) if name else _label(got, path)
                reports.append(Report(str(path), label, got))
    return _unique(reports), missing, problems


def load_one(path: str) -> Report | Problem:
    """One report file (not a directory), shown under its machine's name."""
    if Path(path).is_dir():
        return Problem(path, "a directory, not a report file")
    got = read(Path(path))
    return got if isinstance(got, Problem) else Report(path, _label(got, Path(path)), got)


def _unique(reports: list[Report]) -> list[Report]:
    seen: dict[str, int] = {}
    for report in reports:
        seen[report.label] = seen.get(report.label, 0) + 1
    return [
        Report(r.path, f"{r.label} ({Path(r.path).name})", r.doc) if seen[r.label] > 1 else r
        for r in reports
    ]
