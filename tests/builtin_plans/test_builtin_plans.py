"""The built-in plans a2a and h2a, resolved by `asrcheck show`, against a table derived from
the facts file (expected_endpoints.yaml)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from runner import cli, exit_codes, resources
from tests.builtin_plans.showplan import EXPECTED, by_id, show

CASES = [
    (scenario, cloud) for scenario, clouds in EXPECTED["scenarios"].items() for cloud in clouds
]
A2A_VARS = {"source_region": "japaneast", "target_region": "japanwest"}


@pytest.mark.parametrize(("scenario", "cloud"), CASES)
def test_plan_checks_exactly_the_documented_hosts(
    capsys: pytest.CaptureFixture[str], scenario: str, cloud: str
) -> None:
    case = EXPECTED["scenarios"][scenario][cloud]
    variables = {"cloud": cloud, **case["vars"]}
    code, plan, err = show(capsys, scenario, variables, enable=case["enable"])
    assert code == 0, err
    endpoints = by_id(plan["endpoints"])
    assert sorted(endpoints) == sorted(case["endpoints"])
    for endpoint_id, host in case["endpoints"].items():
        got = endpoints[endpoint_id]
        if host is None:
            assert got["enabled"] is False, endpoint_id
            assert (got["skip_reason"] or "").startswith("not-applicable:"), endpoint_id
        elif isinstance(host, dict):  # no concrete host: a check by hand of the wildcard
            assert got["enabled"] is False, endpoint_id
            assert (got["skip_reason"] or "").startswith("manual-check:"), endpoint_id
            assert got["host"] == (host["manual"] or "(not documented)"), endpoint_id
            if host["manual"]:
                assert host["manual"] in got["skip_reason"] and "443" in got["skip_reason"]
        else:
            assert (endpoint_id, got["host"], got["enabled"]) == (endpoint_id, host, True)
            assert got["port"] == 443
    steps = by_id(plan["steps"])
    for step_id, server in case.get("steps", {}).items():
        assert steps[step_id]["kind"] == "ntp"
        assert steps[step_id]["params"]["server"] == server
        assert steps[step_id]["enabled"] is True


@pytest.mark.parametrize(("scenario", "cloud"), CASES)
def test_every_endpoint_carries_its_provenance(
    capsys: pytest.CaptureFixture[str], scenario: str, cloud: str
) -> None:
    case = EXPECTED["scenarios"][scenario][cloud]
    code, plan, err = show(capsys, scenario, {"cloud": cloud, **case["vars"]})
    assert code == 0, err
    for endpoint in plan["endpoints"]:
        assert endpoint["purpose"], endpoint["id"]
        assert endpoint["docs"].startswith("https://learn.microsoft.com/azure/"), endpoint["id"]
        checked = EXPECTED["checked"].get(scenario, {}).get(endpoint["id"])
        assert endpoint["checked"] == (checked or EXPECTED["checked"]["default"]), endpoint["id"]
        assert endpoint["tls_issuers"] == EXPECTED["tls_issuers"], endpoint["id"]
        assert "facts" not in json.dumps(endpoint) and "§" not in json.dumps(endpoint)
        assert isinstance(endpoint["required"], bool)
        own = ("cache-storage", "storage", "keyvault")  # the user's own resource, not a stand-in
        if endpoint["enabled"] and endpoint["wildcard"] and not endpoint["id"].startswith(own):
            # A stand-in for a wildcard says why it was chosen, and that it is uncertain.
            assert endpoint["uncertain"], endpoint["id"]
    tags = {e["id"]: e["service_tag"] for e in plan["endpoints"]}
    assert tags["entra-id"] == "AzureActiveDirectory"


def test_a2a_error_codes_and_service_tags(capsys: pytest.CaptureFixture[str]) -> None:
    variables = {**A2A_VARS, "storage_account": ["mycache"]}
    code, plan, err = show(capsys, "a2a", variables, enable=["keyvault", "automation"])
    assert code == 0, err
    endpoints = by_id(plan["endpoints"])
    assert endpoints["entra-id"]["error_codes"][0] == "151196"  # facts §9
    assert "151197" in endpoints["asr-target"]["error_codes"]  # facts §9
    assert "153007" in endpoints["cache-storage-mycache"]["error_codes"]  # facts §9
    assert endpoints["asr-source"]["service_tag"] == "AzureSiteRecovery"  # facts §1
    # Regional tags as Microsoft writes them (11.3): target region for EventHub.
    assert endpoints["servicebus"]["service_tag"] == "EventHub.JapanWest"
    assert endpoints["cache-storage-mycache"]["service_tag"] == "Storage.JapanEast"
    assert endpoints["automation"]["service_tag"] == "GuestAndHybridManagement"
    for endpoint_id in ("asr-source", "asr-target"):
        for tag in EXPECTED["asr_tag_dependencies"]:
            assert tag in endpoints[endpoint_id]["hint"], (endpoint_id, tag)


def test_storage_tag_is_written_as_microsoft_writes_it(capsys: pytest.CaptureFixture[str]) -> None:
    variables: dict[str, Any] = {"source_region": "eastus", "target_region": "westus3"}
    variables["storage_account"] = ["cache1"]
    code, plan, err = show(capsys, "a2a", variables)
    assert code == 0, err
    endpoints = by_id(plan["endpoints"])
    assert endpoints["cache-storage-cache1"]["service_tag"] == "Storage.EastUS"
    # Every regional tag names its region, whatever its capitalization.
    for cloud, region, _ in CLOUD_REGIONS:
        variables = {"cloud": cloud, "source_region": region, "target_region": region}
        code, plan, err = show(capsys, "a2a", {**variables, "storage_account": ["cache1"]})
        assert code == 0, err
        tag = by_id(plan["endpoints"])["cache-storage-cache1"]["service_tag"]
        assert tag.lower() == f"storage.{region}", (region, tag)


@pytest.mark.parametrize("cloud", list(EXPECTED["wildcards"]))
@pytest.mark.parametrize("scenario", ["a2a", "h2a"])
def test_per_cloud_wildcards_in_endpoint_and_hint(
    capsys: pytest.CaptureFixture[str], scenario: str, cloud: str
) -> None:
    case = EXPECTED["scenarios"][scenario][cloud]
    enable = ["automation"] if scenario == "a2a" else []
    code, plan, err = show(capsys, scenario, {"cloud": cloud, **case["vars"]}, enable=enable)
    assert code == 0, err
    endpoints = by_id(plan["endpoints"])
    for endpoint_id, wildcard in EXPECTED["wildcards"][cloud].items():
        if endpoint_id not in endpoints:
            continue
        got = endpoints[endpoint_id]
        if wildcard is None:  # none documented: checked by hand, never "not applicable"
            assert got["skip_reason"].startswith("manual-check:"), endpoint_id
            continue
        assert got["wildcard"] == wildcard, endpoint_id
        assert wildcard in got["hint"], endpoint_id


@pytest.mark.parametrize("scenario", ["a2a", "h2a"])
def test_service_bus_is_advisory_and_says_why(
    capsys: pytest.CaptureFixture[str], scenario: str
) -> None:
    case = EXPECTED["scenarios"][scenario]["AzureCloud"]
    code, plan, err = show(capsys, scenario, {"cloud": "AzureCloud", **case["vars"]})
    assert code == 0, err
    servicebus = by_id(plan["endpoints"])["servicebus"]
    assert servicebus["required"] is False
    assert "evidence, not proof" in servicebus["uncertain"]


def test_notes_for_one_cloud_are_shown_only_there(capsys: pytest.CaptureFixture[str]) -> None:
    for scenario in ("a2a", "h2a"):
        case = EXPECTED["scenarios"][scenario]["AzureCloud"]
        code, plan, err = show(capsys, scenario, case["vars"], enable=case["enable"])
        assert code == 0, err
        for endpoint in plan["endpoints"]:
            text = json.dumps(endpoint)
            assert "China" not in text and "chinacloudapi" not in text, endpoint["id"]
        china = EXPECTED["scenarios"][scenario]["AzureChinaCloud"]
        variables = {"cloud": "AzureChinaCloud", **china["vars"]}
        code, plan, err = show(capsys, scenario, variables, enable=china["enable"])
        assert code == 0, err
        assert "login.microsoftonline.cn" in by_id(plan["endpoints"])["entra-id"]["uncertain"]


def test_private_endpoint_mode_makes_the_public_asr_hosts_advisory(
    capsys: pytest.CaptureFixture[str],
) -> None:
    variables = {**A2A_VARS, "vault_id": ["1234567"]}
    code, plan, err = show(capsys, "a2a", variables)
    assert code == 0, err
    assert by_id(plan["endpoints"])["asr-target"]["required"] is True
    code, plan, err = show(capsys, "a2a", variables, enable=["private-endpoint"])
    assert code == 0, err
    endpoints = by_id(plan["endpoints"])
    assert (endpoints["asr-source"]["required"], endpoints["asr-target"]["required"]) == (
        False,
        False,
    )
    assert endpoints["entra-id-public"]["required"] is True
    for endpoint_id in ("private-rcm-1234567", "private-rcm-source-1234567"):
        assert endpoints[endpoint_id]["cname_into"] == "privatelink.siterecovery.windowsazure.com"


def test_key_vault_names_start_with_a_letter(capsys: pytest.CaptureFixture[str]) -> None:
    good = {**A2A_VARS, "key_vault": ["adekv", "ade-kv-01"]}
    code, _, err = show(capsys, "a2a", good, enable=["keyvault"])
    assert code == 0, err
    for bad in ("1adekv", "ab", "a" * 25, "-adekv"):
        code, _, err = show(capsys, "a2a", {**A2A_VARS, "key_vault": [bad]}, enable=["keyvault"])
        assert code == exit_codes.USAGE, bad


CLOUD_REGIONS = [
    (cloud, region, code)
    for cloud, regions in EXPECTED["geo_code"].items()
    for region, code in regions.items()
]


def _region_vars(scenario: str, cloud: str, region: str, **extra: str) -> dict[str, Any]:
    if scenario == "a2a":
        return {"cloud": cloud, "source_region": region, "target_region": region, **extra}
    return {"cloud": cloud, "region": region, **extra}


_REGION_IDS = {"a2a": ("asr-source", "asr-target"), "h2a": ("asr-service", "backup-service")}


@pytest.mark.parametrize("scenario", ["a2a", "h2a"])
def test_every_region_resolves_to_its_geo_code_in_its_cloud(
    capsys: pytest.CaptureFixture[str], scenario: str
) -> None:
    for cloud, region, code in CLOUD_REGIONS:
        status, plan, err = show(capsys, scenario, _region_vars(scenario, cloud, region))
        assert status == 0, (cloud, region, err)
        endpoints = by_id(plan["endpoints"])
        for endpoint_id in _REGION_IDS[scenario]:
            assert endpoints[endpoint_id]["host"].split(".")[1] == code, (region, endpoint_id)


@pytest.mark.parametrize("scenario", ["a2a", "h2a"])
def test_every_region_is_refused_in_another_cloud(
    capsys: pytest.CaptureFixture[str], scenario: str
) -> None:
    for home, region, _ in CLOUD_REGIONS:
        for cloud in EXPECTED["geo_code"]:
            if cloud == home:
                continue
            status, _, err = show(capsys, scenario, _region_vars(scenario, cloud, region))
            assert status == exit_codes.USAGE, (cloud, region)
            assert f"{region!r} belongs to cloud {home}" in err, err
            assert f"--var cloud={home}" in err, err


@pytest.mark.parametrize("cloud", ["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"])
@pytest.mark.parametrize("region", EXPECTED["retired_regions"])
def test_retired_regions_are_refused_saying_so(
    capsys: pytest.CaptureFixture[str], cloud: str, region: str
) -> None:
    for scenario in ("a2a", "h2a"):
        status, _, err = show(capsys, scenario, _region_vars(scenario, cloud, region))
        assert status == exit_codes.USAGE
        assert "Microsoft Cloud Deutschland" in err and "retired" in err, err


@pytest.mark.parametrize("region", [*EXPECTED["no_code_regions"], "newregioncentral"])
def test_a_region_without_a_code_needs_the_code_and_says_where_to_find_it(
    capsys: pytest.CaptureFixture[str], region: str
) -> None:
    for scenario, geo_var in (("a2a", "source_geo"), ("h2a", "geo")):
        variables = _region_vars(scenario, "AzureCloud", region)
        if scenario == "a2a":
            variables["target_region"] = "japanwest"
        status, _, err = show(capsys, scenario, variables)
        assert status == exit_codes.USAGE
        assert f"--var {geo_var}=CODE" in err and "private endpoint's DNS configuration" in err
        assert "geo-code-list" in err
        status, plan, err = show(capsys, scenario, {**variables, geo_var: "xyz"})
        assert status == 0, err
        host = by_id(plan["endpoints"])[_REGION_IDS[scenario][0]]["host"]
        assert host == "pod01-rcm1.xyz.hypervrecoverymanager.windowsazure.com"


def test_a_given_code_does_not_make_a_region_of_another_cloud_valid(
    capsys: pytest.CaptureFixture[str],
) -> None:
    variables = {"source_region": "chinanorth", "target_region": "eastus", "source_geo": "bjb"}
    status, _, err = show(capsys, "a2a", variables)
    assert status == exit_codes.USAGE
    assert "--var cloud=AzureChinaCloud" in err


def test_suggestions_come_from_the_right_cloud_only(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = show(capsys, "h2a", {"cloud": "AzureChinaCloud", "region": "chinaeest"})
    assert status == exit_codes.USAGE
    assert "'chinaeast'" in err
    status, _, err = show(capsys, "h2a", {"region": "chinaeest"})
    assert status == exit_codes.USAGE
    assert "chinaeast" not in err.replace("chinaeest", "")


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [("japaneest", "japaneast"), ("westeurop", "westeurope"), ("eastus3", "eastus2")],
)
def test_unknown_region_suggests_close_matches(
    capsys: pytest.CaptureFixture[str], typo: str, suggestion: str
) -> None:
    code, _, err = show(capsys, "a2a", {"source_region": "japaneast", "target_region": typo})
    assert code == exit_codes.USAGE
    assert "target_region" in err
    assert suggestion in err
    code, _, err = show(capsys, "h2a", {"region": typo})
    assert code == exit_codes.USAGE
    assert suggestion in err


def test_a2a_optional_sections_are_off_and_shown_skipped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    variables = {**A2A_VARS, "storage_account": ["mycache"], "key_vault": ["adekv"]}
    code, plan, err = show(capsys, "a2a", variables)
    assert code == 0, err
    sections = {s["name"]: s["enabled"] for s in plan["plan"]["sections"]}
    assert sections == {
        "servicebus": True,
        "keyvault": False,
        "automation": False,
        "private-endpoint": False,
        "upload": False,
    }
    assert by_id(plan["steps"])["upload"]["enabled"] is False
    for endpoint in plan["endpoints"]:
        if endpoint["section"] in ("keyvault", "automation", "private-endpoint"):
            assert endpoint["enabled"] is False, endpoint["id"]
            assert endpoint["skip_reason"], endpoint["id"]
        else:
            assert endpoint["enabled"] is True, endpoint["id"]
    assert by_id(plan["endpoints"])["keyvault-adekv"]["host"] == "adekv.vault.azure.net"


def test_a2a_servicebus_can_be_disabled(capsys: pytest.CaptureFixture[str]) -> None:
    code, plan, err = show(capsys, "a2a", A2A_VARS, disable=["servicebus"])
    assert code == 0, err
    servicebus = by_id(plan["endpoints"])["servicebus"]
    assert servicebus["enabled"] is False
    assert servicebus["skip_reason"]


def test_h2a_sections(capsys: pytest.CaptureFixture[str]) -> None:
    code, plan, err = show(capsys, "h2a", {"region": "westeurope"}, disable=["timesync"])
    assert code == 0, err
    sections = {s["name"]: s["enabled"] for s in plan["plan"]["sections"]}
    assert sections == {"servicebus": True, "telemetry": True, "timesync": False, "upload": False}
    steps = by_id(plan["steps"])
    assert steps["time-sync"]["enabled"] is False
    assert steps["time-sync"]["params"]["max_offset"] == 900
    assert by_id(plan["endpoints"])["telemetry"]["required"] is False


@pytest.mark.parametrize(
    ("scenario", "variables", "endpoint_prefix"),
    [
        ("a2a", A2A_VARS, "cache-storage"),
        ("h2a", {"region": "westeurope"}, "storage"),
    ],
)
def test_storage_without_account_is_skipped_with_how_to_find_it(
    capsys: pytest.CaptureFixture[str],
    scenario: str,
    variables: dict[str, Any],
    endpoint_prefix: str,
) -> None:
    code, plan, err = show(capsys, scenario, variables)
    assert code == 0, err
    storage = [
        e for e in plan["endpoints"] if e["id"].startswith(endpoint_prefix) and e["section"] is None
    ]
    assert len(storage) == 1
    assert storage[0]["enabled"] is False
    assert "Replicated items" in storage[0]["skip_reason"]
    assert "Properties" in storage[0]["skip_reason"]
    assert "storage_account" in storage[0]["skip_reason"]


def test_a2a_private_endpoint_mode(capsys: pytest.CaptureFixture[str]) -> None:
    variables = {**A2A_VARS, "vault_id": ["1234567"]}
    code, plan, err = show(capsys, "a2a", variables, enable=["private-endpoint"])
    assert code == 0, err
    endpoints = by_id(plan["endpoints"])
    assert endpoints["private-rcm-1234567"]["address"] == "private"
    assert endpoints["entra-id-public"]["address"] == "public"
    assert endpoints["entra-id-public"]["host"] == "login.microsoftonline.com"
    assert endpoints["private-rcm-1234567"]["uncertain"]


def test_plans_validate(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["validate", "a2a", "h2a"])
    _, err = capsys.readouterr()
    assert code == 0, err


def test_plans_are_listed_at_3_2_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    for line in ("a2a", "h2a"):
        row = next(r for r in out.splitlines() if r.split() and r.split()[0] == line)
        assert "3.2.0" in row


def test_plan_versions_and_log_names(capsys: pytest.CaptureFixture[str]) -> None:
    code, plan, err = show(capsys, "a2a", A2A_VARS)
    assert code == 0, err
    assert (plan["plan"]["name"], plan["plan"]["version"]) == ("a2a", "3.2.0")
    code, plan, err = show(capsys, "h2a", {"region": "japaneast"})
    assert code == 0, err
    assert (plan["plan"]["name"], plan["plan"]["version"]) == ("h2a", "3.2.0")


@pytest.mark.parametrize("scenario", ["a2a", "h2a"])
def test_plan_file_header_and_region_table(scenario: str) -> None:
    path = resources.plans_dir() / f"{scenario}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/plan.schema.json"
    data = yaml.safe_load(text)
    assert (data["plan_format"], data["version"]) == (1, "3.2.0")
    assert "facts" not in text and "§" not in text
    # Exactly the documented codes per cloud: none missing, none invented.
    for cloud, regions in EXPECTED["geo_code"].items():
        table = data["tables"][f"geo_{cloud.lower()}"]
        assert {r: c for r, c in table.items() if c is not None} == regions
    assert sorted(r for r, c in data["tables"]["geo_azurecloud"].items() if c is None) == sorted(
        EXPECTED["no_code_regions"]
    )
    assert data["defaults"]["routes"] == ["default", "agent"]
    assert data["log"] == {
        "linux": "CheckNWResult_{hostname}_{time:%Y%m%d%H%M}.log",
        "windows": "ASR_Check_NW_{time:%Y%m%d_%H%M%S}.log",
    }
    kinds = {step["kind"] for step in data["steps"]}
    assert {"machine", "network", "proxy-config", "tls-config", "clock"} <= kinds


@pytest.mark.parametrize(
    ("scenario", "variables"),
    [("a2a", {**A2A_VARS, "storage_account": ["mycache"]}), ("h2a", {"region": "westeurope"})],
)
def test_upload_section_takes_the_secrets_and_masks_them(
    capsys: pytest.CaptureFixture[str], scenario: str, variables: dict[str, Any]
) -> None:
    url = "https://mycache.blob.core.windows.net/asrcheck?sv=2021-08-06&sp=cwd&sig=U2VjcmV0"
    given = {**variables, "upload_url": url, "upload_key": "a2V5"}
    code, plan, err = show(capsys, scenario, given, enable=["upload"])
    assert code == 0, err
    step = by_id(plan["steps"])["upload"]
    assert (step["kind"], step["enabled"], step["required"]) == ("blob-upload", True, True)
    assert step["params"]["url"] == "***" and step["params"]["key"] == "***"
    assert step["params"]["size_mb"] == 4
    assert step["params"]["blob_suffix"] == "blob.core.windows.net"
    assert plan["plan"]["variables"]["upload_url"] == "***"
    assert "U2VjcmV0" not in json.dumps(plan)


def test_upload_url_must_be_an_https_container_sas(capsys: pytest.CaptureFixture[str]) -> None:
    url = "http://mycache.blob.core.windows.net/asrcheck?sv=2021-08-06&sig=U2VjcmV0"
    code, _, err = show(capsys, "a2a", {**A2A_VARS, "upload_url": url}, enable=["upload"])
    assert code == exit_codes.USAGE
    assert "upload_url" in err and "U2VjcmV0" not in err
