"""The resolved form of a plan as plain data (docs/plan-format.md "Resolved form").

Used by `asrcheck show --format json` and `asrcheck diff`; every string goes through a
redactor that knows the plan's secret values.
"""

from __future__ import annotations

from typing import Any

from runner.model import Endpoint, Plan, Step
from runner.redact import Redactor

ENDPOINT_FIELDS = (
    "id",
    "host",
    "port",
    "section",
    "enabled",
    "skip_reason",
    "required",
    "purpose",
    "wildcard",
    "why_this_host",
    "service_tag",
    "error_codes",
    "docs",
    "checked",
    "uncertain",
    "address",
    "tls_issuers",
    "chain",
    "timeout",
    "hint",
    "by_hand",
    "advisory_with",
    "cname_into",
)


def redactor_for(plan: Plan) -> Redactor:
    """A redactor that masks the values of the plan's secret variables."""
    redactor = Redactor()
    for name in plan.secret_vars:
        value = plan.variables.get(name)
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                redactor.add(str(item))
    return redactor


def endpoint_dict(endpoint: Endpoint) -> dict[str, Any]:
    data = {name: getattr(endpoint, name) for name in ENDPOINT_FIELDS}
    return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}


def step_dict(step: Step) -> dict[str, Any]:
    return {
        "id": step.id,
        "kind": step.kind,
        "title": step.title,
        "section": step.section,
        "enabled": step.enabled,
        "skip_reason": step.skip_reason,
        "required": step.required,
        "timeout": step.timeout,
        "params": dict(step.params),
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    """The whole resolved plan, secrets masked."""
    data = {
        "plan": {
            "name": plan.name,
            "version": plan.version,
            "scenario": plan.scenario,
            "description": plan.description,
            "source": plan.source,
            "variables": plan.masked_variables(),
            "sections": [section.to_json() for section in plan.sections],
            "timeout": plan.timeout,
            "deadline": plan.deadline,
            "concurrency": plan.concurrency,
            "routes": list(plan.routes),
            "log_names": dict(plan.log_names),
        },
        "endpoints": [endpoint_dict(endpoint) for endpoint in plan.endpoints],
        "steps": [step_dict(step) for step in plan.steps],
    }
    masked: dict[str, Any] = redactor_for(plan).mask_obj(data)
    return masked
