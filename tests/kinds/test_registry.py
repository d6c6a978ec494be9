"""Every registered kind satisfies its Protocol: mypy checks the assignments below (tests
are type-checked too), and the run-time test checks what the registry imports."""

from __future__ import annotations

from runner import registry
from runner.kinds.base import RoutedStepKind, StageKind, StepKind
from runner.kinds.stages import dns, http, proxy, tcp, tls
from runner.kinds.steps import (
    blob_upload,
    clock,
    machine,
    network,
    ntp,
    proxy_config,
    tls_config,
)

#: The modules as mypy sees them; the registry names them by module path.
STAGE_MODULES: dict[str, StageKind] = {
    "dns": dns,
    "tcp": tcp,
    "tls": tls,
    "http": http,
    "proxy": proxy,
}
STEP_MODULES: dict[str, StepKind] = {
    "machine": machine,
    "network": network,
    "proxy-config": proxy_config,
    "tls-config": tls_config,
    "clock": clock,
    "ntp": ntp,
    "blob-upload": blob_upload,
}


def test_registry_imports_the_modules_that_satisfy_the_protocols() -> None:
    assert {name: registry.STAGES[name] for name in registry.STAGES} == STAGE_MODULES
    assert {name: registry.STEPS[name] for name in registry.STEPS} == STEP_MODULES
    assert all(isinstance(kind, StageKind) for kind in registry.STAGES.values())
    assert all(isinstance(kind, StepKind) for kind in registry.STEPS.values())


def test_names_are_known_before_any_import() -> None:
    assert registry.stage_names() == ["dns", "http", "proxy", "tcp", "tls"]
    assert "clock" in registry.STEPS and "nope" not in registry.STEPS


def test_the_upload_step_is_routed() -> None:
    routed: RoutedStepKind = blob_upload
    assert isinstance(routed, RoutedStepKind)
    assert [n for n in registry.STEPS if isinstance(registry.STEPS[n], RoutedStepKind)] == [
        "blob-upload"
    ]
