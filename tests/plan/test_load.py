"""load_plan on good plans: variables, tables, for_each, sections, extends, providers."""

from __future__ import annotations

from pathlib import Path

import pytest
from loguru import logger

from runner import registry
from runner.errors import PlanError
from runner.model import Endpoint, Plan
from runner.plan.substitution import skip_code
from tests.helpers.plans import DATA, USES_TEST_KINDS, load_plan

pytestmark = USES_TEST_KINDS

GOOD = DATA / "good"
FULL = str(GOOD / "full.yaml")


def _by_id(plan: Plan) -> dict[str, Endpoint]:
    return {endpoint.id: endpoint for endpoint in plan.endpoints}


def _messages(error: PlanError) -> list[str]:
    return [problem.message for problem in error.problems]


@pytest.mark.parametrize("path", sorted(GOOD.glob("*.yaml")), ids=lambda p: p.stem)
def test_good_plans_validate(path: Path) -> None:
    plan = load_plan(str(path), require_vars=False)
    assert plan.endpoints


def test_variables_tables_and_typed_substitution() -> None:
    plan = load_plan(FULL, variables=["region=japaneast", "api_port=9443"])
    endpoints = _by_id(plan)
    assert endpoints["entra-id"].host == "login.microsoftonline.com"
    assert endpoints["regional"].host == "jpe-asr.example.com"
    assert endpoints["regional"].port == 9443
    assert endpoints["regional"].purpose == "Regional service in japaneast; literal ${x}."
    assert endpoints["regional"].origin is not None and endpoints["regional"].origin.line == 58


def test_for_each_expands_one_endpoint_per_element() -> None:
    plan = load_plan(
        FULL, variables=["region=westeurope", "storage_account=aaa", "storage_account=bbb,ccc"]
    )
    hosts = [e.host for e in plan.endpoints if e.id.startswith("cache-")]
    assert hosts == [
        "aaa.blob.core.windows.net",
        "bbb.blob.core.windows.net",
        "ccc.blob.core.windows.net",
    ]


def test_for_each_with_empty_list_gives_one_skipped_entry() -> None:
    plan = load_plan(FULL, variables=["region=westeurope"])
    cache = _by_id(plan)["cache"]
    assert not cache.enabled
    assert cache.skip_reason == "missing-input: No cache storage account given."
    assert cache.host == "<storage_account>.blob.core.windows.net"
    assert skip_code(cache.skip_reason) == "missing-input"


def test_null_table_entry_makes_endpoint_not_applicable() -> None:
    plan = load_plan(FULL, variables=["region=westeurope", "cloud=AzureChinaCloud"])
    entra = _by_id(plan)["entra-id"]
    assert not entra.enabled
    assert (
        entra.skip_reason
        == "not-applicable: tables.login_host has no value for cloud=AzureChinaCloud"
    )
    assert skip_code(entra.skip_reason) == "not-applicable"


def test_sections_default_enable_disable() -> None:
    plan = load_plan(FULL, variables=["region=westeurope"])
    assert not _by_id(plan)["extra-one"].enabled
    assert "--enable extra" in str(_by_id(plan)["extra-one"].skip_reason)
    plan = load_plan(FULL, variables=["region=westeurope"], enable=["extra"])
    assert _by_id(plan)["extra-one"].enabled
    assert plan.sections[0].why == "--enable"


def test_missing_required_variable_is_an_error_naming_it() -> None:
    with pytest.raises(PlanError) as caught:
        load_plan(FULL)
    assert _messages(caught.value) == [
        "required variable 'region' not given; give --var region=VALUE"
    ]
    assert str(caught.value.problems[0].location).endswith("full.yaml:19:3")


def test_validate_mode_tolerates_missing_required_variables() -> None:
    plan = load_plan(FULL, require_vars=False)
    assert _by_id(plan)["regional"].host == "${geo_code[region]}-asr.example.com"


def test_var_file_and_precedence(tmp_path: Path) -> None:
    var_file = tmp_path / "vars.yaml"
    var_file.write_text("region: japaneast\napi_port: 1000\nstorage_account: [one, two]\n")
    plan = load_plan(FULL, var_files=[str(var_file)], variables=["api_port=2000"])
    assert plan.variables["region"] == "japaneast"
    assert plan.variables["api_port"] == 2000
    assert plan.variables["storage_account"] == ["one", "two"]


def test_secret_variables_are_listed() -> None:
    plan = load_plan(FULL, variables=["region=japaneast"])
    assert plan.masked_variables()["token"] == "***"


def test_extends_merge_rules() -> None:
    plan = load_plan(str(GOOD / "child.yaml"))
    endpoints = _by_id(plan)
    assert list(endpoints) == ["entra-id", "regional", "keyvault", "extra"]
    assert endpoints["regional"].host == "wus.replaced.example.com"
    assert endpoints["regional"].origin is not None
    assert endpoints["regional"].origin.file.endswith("child.yaml")
    assert endpoints["entra-id"].origin is not None
    assert endpoints["entra-id"].origin.file.endswith("base.yaml")
    assert endpoints["keyvault"].enabled
    assert plan.name == "child" and plan.version == "1.0.0"
    assert [step.id for step in plan.steps] == ["probe-one"]


def test_builtin_name_and_file_path_give_the_same_plan() -> None:
    by_name = load_plan("base", variables=["region=westus"])
    by_path = load_plan(str(DATA / "builtin" / "base.yaml"), variables=["region=westus"])
    assert by_name.source == "builtin:base"
    assert by_name.endpoints == by_path.endpoints


def test_unknown_builtin_name() -> None:
    with pytest.raises(PlanError) as caught:
        load_plan("nosuch")
    assert _messages(caught.value) == ["no built-in plan 'nosuch' (built-in: base)"]


def _plan_with_provider(tmp_path: Path) -> str:
    text = (DATA / "builtin" / "base.yaml").read_text()
    text = text.replace("    table: geo\n", "    table: geo\n    default_from: test-region\n")
    path = tmp_path / "p.yaml"
    path.write_text(text)
    return str(path)


def test_provider_used_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def provider() -> object:
        calls.append(1)
        return "japaneast"

    monkeypatch.setitem(registry.PROVIDERS, "test-region", provider)
    plan_file = _plan_with_provider(tmp_path)
    plan = load_plan(plan_file, use_providers=True)
    assert plan.variables["region"] == "japaneast" and calls == [1]
    assert (
        load_plan(plan_file, use_providers=True, variables=["region=westus"]).variables["region"]
        == "westus"
    )
    assert calls == [1]
    with pytest.raises(PlanError) as caught:
        load_plan(plan_file)
    assert _messages(caught.value) == [
        "variable 'region' not given; give --var region=VALUE "
        "(asrcheck run would read it from test-region)"
    ]
    assert calls == [1]
    load_plan(plan_file, require_vars=False)
    assert calls == [1]


def test_provider_that_cannot_tell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.PROVIDERS, "test-region", lambda: None)
    with pytest.raises(PlanError) as caught:
        load_plan(_plan_with_provider(tmp_path), use_providers=True)
    assert _messages(caught.value) == [
        "variable 'region' not given, and test-region could not provide it on this machine; "
        "give --var region=VALUE"
    ]


def test_valid_host_forms() -> None:
    hosts = [e.host for e in load_plan(str(GOOD / "hosts.yaml")).endpoints]
    # internationalized names are kept as DNS and TLS use them: A-labels (IDNA 2008)
    assert hosts == ["xn--bcher-kva.example", "127.0.0.1", "::1", "login.microsoftonline.com."]


def test_section_both_enabled_and_disabled() -> None:
    with pytest.raises(PlanError) as caught:
        load_plan(FULL, variables=["region=japaneast"], enable=["extra"], disable=["extra"])
    assert _messages(caught.value) == ["section 'extra' is both enabled and disabled"]


def test_typed_values_inside_text(tmp_path: Path) -> None:
    plan_file = tmp_path / "typed.yaml"
    plan_file.write_text(
        (DATA / "builtin" / "base.yaml")
        .read_text()
        .replace("vars:\n", "vars:\n  verbose:\n    type: boolean\n    description: Flag.\n")
        .replace(
            "host: login.microsoftonline.com",
            "host: login.microsoftonline.com\n    hint: v=${verbose}",
        )
    )
    plan = load_plan(str(plan_file), variables=["region=westus", "verbose=yes"])
    assert plan.endpoints[0].hint == "v=true"
    assert plan.variables["verbose"] is True


def test_var_file_list_as_text_and_unknown_flag(tmp_path: Path) -> None:
    var_file = tmp_path / "v.yaml"
    var_file.write_text("region: westeurope\nstorage_account: 'one, two'\n")
    plan = load_plan(FULL, var_files=[str(var_file)])
    assert plan.variables["storage_account"] == ["one", "two"]
    with pytest.raises(PlanError) as caught:
        load_plan(FULL, var_files=[str(var_file)], variables=["storage_account=UPPER"])
    assert _messages(caught.value) == [
        "--var storage_account: variable 'storage_account': 'UPPER' does not match"
        " '^[a-z0-9]{3,24}$'"
    ]


def test_failing_provider_is_logged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def provider() -> object:
        raise OSError("metadata service said no")

    monkeypatch.setitem(registry.PROVIDERS, "test-region", provider)
    seen: list[str] = []
    handler = logger.add(seen.append, level="WARNING", format="{message}\n{exception}")
    try:
        with pytest.raises(PlanError) as caught:
            load_plan(_plan_with_provider(tmp_path), use_providers=True)
    finally:
        logger.remove(handler)
    assert _messages(caught.value) == [
        "variable 'region' not given, and test-region could not provide it on this machine; "
        "give --var region=VALUE"
    ]
    assert len(seen) == 1
    assert "provider test-region failed; variable region is treated as not provided" in seen[0]
    assert "OSError: metadata service said no" in seen[0]
