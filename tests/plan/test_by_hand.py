"""Per-cloud endpoint fields: `by_hand:` (a check by hand instead of "not applicable"),
null entries in advice fields, a table's `*` entry, `advisory_with:` and `cname_into:`."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner.errors import PlanError
from runner.model import Endpoint, Plan
from tests.helpers.plans import load_plan

PLAN = """\
plan_format: 1
name: clouds
version: 1.0.0
scenario: TEST
description: per-cloud fields
vars:
  cloud:
    type: string
    description: cloud
    default: public
  region:
    type: string
    description: region
    default: north
tables:
  bus_domain: {public: bus.example.com, gov: bus.example.us, sovereign: null}
  relay_domain: {public: bus.example.com, gov: null, sovereign: null}
  relay_region: {north: north, "*": central}
  note: {public: null, gov: "gov only note", sovereign: null}
sections:
  private:
    description: private mode
    enabled: false
endpoints:
  - id: bus
    host: relay-${relay_region[region]}.${relay_domain[cloud]}
    purpose: p
    wildcard: "*.${bus_domain[cloud]}"
    uncertain: ${note[cloud]}
    by_hand: Check *.${bus_domain[cloud]} on TCP 443 by hand.
    docs: https://example.com/doc
    checked: "2026-12-01"
  - id: public-service
    host: service.example.com
    advisory_with: private
    purpose: p
    docs: https://example.com/doc
    checked: "2026-12-01"
  - id: private-name
    host: name.example.com
    address: private
    cname_into: privatelink.example.com
    section: private
    purpose: p
    docs: https://example.com/doc
    checked: "2026-12-01"
"""


def _load(tmp_path: Path, *flags: str, text: str = PLAN, enable: tuple[str, ...] = ()) -> Plan:
    path = tmp_path / "clouds.yaml"
    path.write_text(text, encoding="utf-8")
    return load_plan(str(path), variables=list(flags), enable=list(enable))


def _by_id(plan: Plan) -> dict[str, Endpoint]:
    return {endpoint.id: endpoint for endpoint in plan.endpoints}


def test_a_concrete_host_is_checked_and_the_star_entry_fills_unlisted_keys(tmp_path: Path) -> None:
    bus = _by_id(_load(tmp_path))["bus"]
    assert (bus.host, bus.enabled, bus.uncertain) == ("relay-north.bus.example.com", True, None)
    bus = _by_id(_load(tmp_path, "region=south"))["bus"]
    assert bus.host == "relay-central.bus.example.com"


def test_no_concrete_host_makes_a_check_by_hand_of_the_wildcard(tmp_path: Path) -> None:
    bus = _by_id(_load(tmp_path, "cloud=gov"))["bus"]
    assert (bus.host, bus.enabled) == ("*.bus.example.us", False)
    assert bus.skip_reason == "manual-check: Check *.bus.example.us on TCP 443 by hand."
    assert bus.uncertain == "gov only note"


def test_a_by_hand_text_that_cannot_be_built_leaves_it_not_applicable(tmp_path: Path) -> None:
    bus = _by_id(_load(tmp_path, "cloud=sovereign"))["bus"]
    # by_hand names the wildcard, which this cloud lacks: there is nothing to tell.
    assert (bus.skip_reason or "").startswith("not-applicable:")
    assert bus.host == "relay-north.${relay_domain[cloud]}"


def test_without_a_wildcard_the_host_of_a_check_by_hand_says_so(tmp_path: Path) -> None:
    text = PLAN.replace(
        "    by_hand: Check *.${bus_domain[cloud]} on TCP 443 by hand.\n",
        "    by_hand: Ask which host the agent needs; allow it on TCP 443.\n",
    )
    bus = _by_id(_load(tmp_path, "cloud=sovereign", text=text))["bus"]
    assert (bus.host, bus.skip_reason) == (
        "(not documented)",
        "manual-check: Ask which host the agent needs; allow it on TCP 443.",
    )


def test_without_by_hand_a_missing_host_is_not_applicable(tmp_path: Path) -> None:
    text = PLAN.replace("    by_hand: Check *.${bus_domain[cloud]} on TCP 443 by hand.\n", "")
    bus = _by_id(_load(tmp_path, "cloud=gov", text=text))["bus"]
    assert (bus.skip_reason or "").startswith("not-applicable: tables.relay_domain")


def test_advisory_with_a_section_on(tmp_path: Path) -> None:
    assert _by_id(_load(tmp_path))["public-service"].required is True
    service = _by_id(_load(tmp_path, enable=("private",)))["public-service"]
    assert service.required is False
    assert _by_id(_load(tmp_path, enable=("private",)))["private-name"].cname_into == (
        "privatelink.example.com"
    )


def test_advisory_with_an_unknown_section_is_located(tmp_path: Path) -> None:
    text = PLAN.replace("advisory_with: private", "advisory_with: privat")
    with pytest.raises(PlanError) as caught:
        _load(tmp_path, text=text)
    assert "endpoints[1].advisory_with: unknown section 'privat'" in str(caught.value)
