"""Built-in plans `run` trusts by digest (runner/plan/trusted.py): the digests are those of
the plans as they are, every trusted plan passes the full checks, and nothing else is trusted."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from runner import resources
from runner.commands import _plan_args
from runner.errors import PlanError
from runner.plan import trusted
from runner.plan.load import load_plan
from runner.plan.source import Notes, load_file
from runner.plan.validation import check_plan
from tests.helpers.e2e import ROOT, child_env

#: Variables that resolve every endpoint of each built-in plan (lists with two items).
EXAMPLE_VARS = {
    "a2a": [
        "source_region=japaneast",
        "target_region=japanwest",
        "storage_account=cachea,cacheb",
        "key_vault=kva,kvb",
        "vault_id=1234567",
        "private_link_name=1234567-asr-pod01-rcm1",
    ],
    "h2a": ["region=westeurope", "storage_account=hvstore,hvstore2"],
}


def _load(ref: str, variables: list[str], trust: bool) -> object:
    return load_plan(
        ref,
        kinds=_plan_args.kinds(),
        providers=_plan_args.providers(),
        variables=variables,
        trust_builtin=trust,
    )


def test_the_digests_are_those_of_the_built_in_plans() -> None:
    now = trusted.current_digests()
    assert now == trusted.DIGESTS, (
        "a built-in plan changed: once `asrcheck validate plans/*.yaml` passes, set DIGESTS "
        f"in runner/plan/trusted.py to {json.dumps(now, indent=4)}"
    )


@pytest.mark.parametrize("name", sorted(trusted.DIGESTS))
def test_a_trusted_plan_passes_every_check_and_resolves_the_same(name: str) -> None:
    path = ROOT / "plans" / f"{name}.yaml"
    notes = Notes()
    data, smap = load_file(path, str(path), notes)
    assert notes.problems == []
    assert check_plan(data, smap) == []
    variables = EXAMPLE_VARS[name]
    assert _load(name, variables, trust=True) == _load(name, variables, trust=False)


def test_a_copy_elsewhere_is_checked_in_full(tmp_path: Path) -> None:
    copy = tmp_path / "a2a.yaml"
    shutil.copyfile(ROOT / "plans" / "a2a.yaml", copy)
    assert not trusted.is_trusted(copy)
    copy.write_text(copy.read_text(encoding="utf-8") + "bogus_key: 1\n", encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        _load(str(copy), EXAMPLE_VARS["a2a"], trust=True)
    assert any("bogus_key" in p.message for p in raised.value.problems)


ID_FROM_A_VARIABLE = """plan_format: 1
name: ids
version: 1.0.0
scenario: TEST
description: An endpoint id built from a variable without a pattern.
vars:
  suffix:
    type: string
    description: Any text.
endpoints:
  - id: e-${suffix}
    host: 127.0.0.1
    purpose: Test endpoint.
    docs: https://learn.microsoft.com/test
    checked: 2026-11-25
"""


def test_a_trusted_plan_still_checks_the_ids_variables_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "ids.yaml"
    plan.write_text(ID_FROM_A_VARIABLE, encoding="utf-8")
    monkeypatch.setattr(resources, "plans_dir", lambda: tmp_path)
    monkeypatch.setitem(trusted.DIGESTS, "ids", trusted.digest(plan.read_bytes()))
    assert trusted.is_trusted(plan)
    assert _load("ids", ["suffix=ok"], trust=True) == _load("ids", ["suffix=ok"], trust=False)
    with pytest.raises(PlanError) as raised:
        _load("ids", ["suffix=Not_OK"], trust=True)
    [found] = raised.value.problems
    assert found.message == "\"e-Not_OK\" is not a name of lowercase letters, digits and '-'"


LOAD_AND_LIST = """
import json, sys
from runner import resources
from runner.commands import _plan_args
from runner.plan.load import load_plan
load_plan("a2a", kinds=_plan_args.kinds(), providers=_plan_args.providers(),
          variables=sys.argv[1:], trust_builtin=True)
print(json.dumps(sorted(sys.modules)))
"""


def test_loading_a_trusted_plan_imports_no_jsonschema_and_no_kind() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LOAD_AND_LIST, *EXAMPLE_VARS["a2a"]],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    modules = json.loads(done.stdout)
    assert "runner.plan.load" in modules
    assert not [m for m in modules if m.split(".")[0] in ("jsonschema", "dns", "httpx")]
    assert not [m for m in modules if m.startswith(("runner.kinds.stages.", "runner.kinds.steps."))]


def _validate_importing(plan: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "runner", "validate", plan],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_validate_checks_a_changed_copy_in_full_and_trusts_only_the_plan_as_built(
    tmp_path: Path,
) -> None:
    built_in = _validate_importing(str(ROOT / "plans" / "a2a.yaml"))
    assert built_in.returncode == 0, built_in.stderr[-2000:]
    assert "valid" in built_in.stderr.splitlines()[-1]
    assert " jsonschema\n" not in built_in.stderr
    copy = tmp_path / "a2a.yaml"
    copy.write_text((ROOT / "plans" / "a2a.yaml").read_text("utf-8") + "bogus_key: 1\n", "utf-8")
    changed = _validate_importing(str(copy))
    assert changed.returncode == 2
    assert "bogus_key" in changed.stdout
    assert " jsonschema\n" in changed.stderr
