"""The one-file bundle: built from the checkout, run outside the repository with `-I`
under the oldest and the newest Python here, without network (`unshare -n`)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from runner import __version__
from tests.helpers.bundle import ROOT, Bundle, build

PLANS = sorted(path.stem for path in (ROOT / "plans").glob("*.yaml"))
COMPILED = (".so", ".pyd", ".dll", ".dylib")


def test_bundle_holds_no_compiled_code(bundle: Bundle) -> None:
    with zipfile.ZipFile(bundle.path) as archive:
        names = archive.namelist()
    assert [name for name in names if name.lower().endswith(COMPILED)] == []
    # The pure parts that replace compiled ones are there, and Windows' extras too.
    for needed in ("yaml/__init__.py", "jsonschema/__init__.py", "pyrsistent/__init__.py"):
        assert needed in names
    assert "colorama/__init__.py" in names and "win32_setctime/__init__.py" in names
    assert not any(name.startswith(("rpds", "_yaml.")) for name in names)
    assert {f"runner/_data/plans/{name}.yaml" for name in PLANS} <= set(names)


def test_same_checkout_builds_the_same_bytes(bundle: Bundle, tmp_path: Path) -> None:
    again = build(tmp_path / "again.pyz")
    assert again.read_bytes() == bundle.path.read_bytes()


def test_network_namespace_is_used(bundle: Bundle) -> None:
    if bundle.netns:
        pytest.skip(f"bundle runs with the network present: {bundle.netns}")
    assert bundle.command("python3")[:2] == ["unshare", "-n"]


def test_version_names_plans_and_dependencies(bundle: Bundle, python: str) -> None:
    done = bundle.run(python, "--version")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"asrcheck {__version__} (one-file bundle, Python ")
    lock = (ROOT / "packaging" / "bundle-lock.txt").read_text(encoding="utf-8")
    pinned = re.findall(r"^([a-z0-9-]+)==(\S+)", lock, re.MULTILINE)
    for name, version in pinned:
        assert f"{name} {version}" in lines[2], name
    for name in PLANS:
        assert re.search(rf"\b{name} \d+\.\d+\.\d+", lines[1]), name


def test_list_validate_show_schema(bundle: Bundle, python: str) -> None:
    listed = bundle.run(python, "list")
    assert listed.returncode == 0, listed.stderr
    assert sorted(line.split()[0] for line in listed.stdout.splitlines()[1:]) == PLANS
    valid = bundle.run(python, "validate", *PLANS)
    assert valid.returncode == 0, valid.stderr
    assert valid.stderr.count(": valid") == len(PLANS)
    shown = bundle.run(python, "show", "h2a", "--var", "region=westeurope")
    assert shown.returncode == 0, shown.stderr
    assert "pod01-rcm1.we.hypervrecoverymanager.windowsazure.com" in shown.stdout
    for args, title in (((), "asrcheck plan"), (("--report",), "asrcheck run report")):
        schema = bundle.run(python, "schema", *args)
        assert schema.returncode == 0, schema.stderr
        assert json.loads(schema.stdout)["title"].startswith(title)
    assert not list(bundle.outside.glob("*.log"))  # nothing written in the working directory


def test_a_plan_extending_a_builtin_one(bundle: Bundle, python: str) -> None:
    child = bundle.outside / "child.yaml"
    child.write_text(
        "plan_format: 1\nname: child\nversion: 1.0.0\nscenario: A2A\n"
        "description: extends the built-in plan\nextends: a2a\nvars:\n  bogus: {}\n",
        encoding="utf-8",
    )
    done = bundle.run(python, "validate", str(child))
    assert done.returncode == 2
    assert "child.yaml" in done.stderr and "bogus" in done.stdout + done.stderr
    child.write_text(child.read_text(encoding="utf-8").replace("vars:\n  bogus: {}\n", ""))
    assert bundle.run(python, "validate", str(child)).returncode == 0


def test_contents_are_extracted_once_per_version(bundle: Bundle, python: str) -> None:
    assert bundle.run(python, "list").returncode == 0
    cached = sorted((bundle.outside / ".cache" / "asrcheck").iterdir())
    assert [path.name.rsplit("-", 1)[0] for path in cached] == [f"bundle-{__version__}"]
    plan = cached[0] / "runner" / "_data" / "plans" / f"{PLANS[0]}.yaml"
    stamp = plan.stat().st_mtime_ns
    assert bundle.run(python, "list").returncode == 0
    assert plan.stat().st_mtime_ns == stamp
    assert list((cached[0] / "runner" / "__pycache__").glob("cli.*.pyc"))


def test_runs_from_the_zip_where_the_cache_cannot_be_written(bundle: Bundle, python: str) -> None:
    home = bundle.outside / "not-a-directory"
    home.write_text("", encoding="utf-8")
    listed = bundle.run(python, "list", home=home)
    assert listed.returncode == 0, listed.stderr
    assert sorted(line.split()[0] for line in listed.stdout.splitlines()[1:]) == PLANS
    valid = bundle.run(python, "validate", *PLANS, home=home)
    assert valid.returncode == 0, valid.stderr
