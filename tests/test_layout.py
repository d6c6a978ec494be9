"""The package layout's rules: imports go one way, and `validate` stays light."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUNNER = ROOT / "runner"

#: Package -> packages (and modules) it must not import, directly or through a submodule.
FORBIDDEN = {
    "runner.plan": (
        "runner.kinds",
        "runner.engine",
        "runner.machine",
        "runner.registry",
        "runner.outputs",
        "runner.commands",
        "runner.cli",
    ),
    "runner.kinds": ("runner.engine", "runner.outputs", "runner.commands", "runner.cli"),
    "runner.machine": (
        "runner.kinds",
        "runner.engine",
        "runner.outputs",
        "runner.commands",
        "runner.cli",
    ),
}


#: What may sit at the top of runner/: the contracts every part uses, and the entry points.
#: Everything else belongs to the part of the pipeline it serves.
TOP_LEVEL = {
    "__init__.py",
    "__main__.py",
    "cli.py",
    "context.py",
    "errors.py",
    "events.py",
    "exit_codes.py",
    "model.py",
    "peer_text.py",
    "reasons.py",
    "redact.py",
    "registry.py",
    "resources.py",
    "results.py",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, relative ones made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
            found.append((node.lineno, base))
    return found


def _inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def violations(root: Path = RUNNER) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path)
        for package, banned in FORBIDDEN.items():
            if not _inside(module, package):
                continue
            for line, name in _imports(path):
                hit = next((b for b in banned if _inside(name, b)), None)
                if hit:
                    found.append(f"{path.relative_to(ROOT)}:{line}: {package} imports {name}")
    return sorted(set(found))


def test_imports_go_one_way() -> None:
    assert violations() == []


def test_only_contracts_sit_at_the_top() -> None:
    assert sorted(path.name for path in RUNNER.glob("*.py")) == sorted(TOP_LEVEL)


def test_the_walker_sees_a_wrong_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "runner" / "plan"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "bad.py").write_text(
        "from runner.kinds.stages import dns\ndef f():\n    from ..engine import run\n"
    )
    (tmp_path / "runner" / "kinds").mkdir()
    (tmp_path / "runner" / "kinds" / "clock.py").write_text("import runner.engine.routing\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert violations(tmp_path / "runner") == [
        "runner/kinds/clock.py:1: runner.kinds imports runner.engine.routing",
        "runner/plan/bad.py:1: runner.plan imports runner.kinds.stages",
        "runner/plan/bad.py:1: runner.plan imports runner.kinds.stages.dns",
        "runner/plan/bad.py:3: runner.plan imports runner.engine",
        "runner/plan/bad.py:3: runner.plan imports runner.engine.run",
    ]


def borrowed_test_code(root: Path) -> list[str]:
    """Imports of a conftest or a test module: what tests share lives in tests/helpers."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for line, name in _imports(path):
            last = name.rsplit(".", 1)[-1]
            if last == "conftest" or last.startswith("test_"):
                found.append(f"{path.relative_to(ROOT)}:{line}: imports {name}")
    return sorted(set(found))


def test_tests_share_code_through_helpers_only() -> None:
    assert borrowed_test_code(ROOT / "tests") == []


def test_the_walker_sees_borrowed_test_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tests = tmp_path / "tests" / "cli"
    tests.mkdir(parents=True)
    (tests / "test_a.py").write_text("from .conftest import peer\n")
    (tests / "test_b.py").write_text("from tests.cli.test_a import run\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert borrowed_test_code(tmp_path / "tests") == [
        "tests/cli/test_a.py:1: imports tests.cli.conftest",
        "tests/cli/test_b.py:1: imports tests.cli.test_a",
    ]


def test_validate_imports_no_stage_and_no_imds() -> None:
    """`asrcheck validate` names the kinds and providers without importing them."""
    code = (
        "import sys\n"
        "from runner import cli\n"
        "assert cli.main(['validate', 'plans/a2a.yaml']) == 0\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    loaded = done.stdout.split()
    assert "runner.plan.load" in loaded
    assert [m for m in loaded if m.startswith("runner.kinds.stages.")] == []
    assert "runner.machine.imds" not in loaded
    assert "runner.engine.run" not in loaded


def _documented() -> list[str]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = text.partition("\n## Modules\n")[2]
    return re.findall(r"^- `(runner/[\w/]+\.py)`: \S", modules, flags=re.MULTILINE)


def test_architecture_doc_lists_every_module_once() -> None:
    listed = _documented()
    assert len(listed) == len(set(listed)), "a module is listed twice"
    assert [path for path in listed if not (ROOT / path).is_file()] == []
    actual = {
        str(path.relative_to(ROOT))
        for path in RUNNER.rglob("*.py")
        if path.name != "__init__.py" or path.parent == RUNNER
    }
    assert sorted(actual - set(listed)) == []


def test_architecture_doc_names_every_package() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = sorted(
        str(path.parent.relative_to(ROOT))
        for path in RUNNER.rglob("__init__.py")
        if path.parent != RUNNER
    )
    assert packages  # the walk found the packages
    assert [package for package in packages if f"`{package}/" not in text] == []
