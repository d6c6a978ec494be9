"""Step kind `tls-config`: can this machine's TLS stack talk to ASR?

Windows (asr-facts.md section 7): dumps the SCHANNEL `Protocols` tree, judges the TLS 1.2
client (fail when `Enabled`=0 or `DisabledByDefault`=1; missing keys are the default,
fine), and reads .NET `SystemDefaultTlsVersions` / `SchUseStrongCrypto` in both registry
views (warn unless both are 1 in both views).
Linux (facts section 6, error 151066): the OpenSSL version, the CA bundle in use and
which of the root certificates ASR needs it holds (warn when it holds none of them).
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any

from runner.context import Context
from runner.kinds.base import StepOutcome
from runner.kinds.net.threads import in_thread
from runner.kinds.steps import tls_roots
from runner.kinds.steps.collect import system_of
from runner.machine.system import System
from runner.model import Step
from runner.results import Status

SUMMARY = "Checks the TLS setup: SCHANNEL/.NET TLS 1.2 on Windows, OpenSSL and CA roots on Linux."
LOG_SECTION = "TLS"
PARAMS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "roots": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "description": "Common names of root certificates the CA bundle should hold.",
        }
    },
}

SCHANNEL = r"HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols"
DOTNET_KEYS = (
    r"HKLM\SOFTWARE\Microsoft\.NETFramework\v4.0.30319",
    r"HKLM\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319",
)
DOTNET_VALUES = ("SystemDefaultTlsVersions", "SchUseStrongCrypto")
_SCHANNEL_HINT = (
    "Enable the TLS 1.2 client: under SCHANNEL\\Protocols\\TLS 1.2\\Client set Enabled=1 and "
    "DisabledByDefault=0 (or delete them: the default is on). ASR shows error 10054."
)
_DOTNET_HINT = (
    "Set SystemDefaultTlsVersions=1 and SchUseStrongCrypto=1 (DWORD) under both "
    "HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319 and its WOW6432Node twin, then "
    "restart the ASR services."
)


def schannel_tree(system: System, key: str = SCHANNEL, depth: int = 0) -> dict[str, Any]:
    """Every key under `key` (recursively, bounded) with its values."""
    tree: dict[str, Any] = {}
    values = system.registry_values(key)
    if values is not None:
        tree[key] = values
    for name in (system.registry_subkeys(key) or []) if depth < 4 else []:
        tree.update(schannel_tree(system, f"{key}\\{name}", depth + 1))
    return tree


def tls12_client_problem(tree: Mapping[str, Any]) -> str:
    """Why SCHANNEL disables the TLS 1.2 client, or "" when it is usable."""
    values = tree.get(f"{SCHANNEL}\\TLS 1.2\\Client") or {}
    if values.get("Enabled") == 0:
        return "TLS 1.2\\Client Enabled=0"
    if values.get("DisabledByDefault") == 1:
        return "TLS 1.2\\Client DisabledByDefault=1"
    return ""


def schannel_outcome(system: System) -> StepOutcome:
    tree = schannel_tree(system)
    command = f'reg query "{SCHANNEL}" /s'
    facts = {"schannel": tree}
    problem = tls12_client_problem(tree)
    if problem:
        detail = f"TLS 1.2 is disabled for clients: {problem}"
        return StepOutcome(
            "tls:schannel", Status.FAIL, "tls-protocol", detail, command, facts, _SCHANNEL_HINT
        )
    detail = f"TLS 1.2 client usable ({len(tree)} SCHANNEL keys; missing keys mean defaults)"
    return StepOutcome("tls:schannel", Status.PASS, "ok", detail, command, facts)


def dotnet_outcome(system: System) -> StepOutcome:
    found: dict[str, Any] = {}
    missing: list[str] = []
    for key in DOTNET_KEYS:
        values = system.registry_values(key)
        found[key] = {name: (values or {}).get(name) for name in DOTNET_VALUES}
        missing += [f"{key}\\{n}" for n in DOTNET_VALUES if (values or {}).get(n) != 1]
    command = " & ".join(f'reg query "{key}"' for key in DOTNET_KEYS)
    facts = {"dotnet": found}
    if missing:
        detail = ".NET may not use TLS 1.2 by default: not 1: " + ", ".join(missing)
        return StepOutcome(
            "tls:dotnet", Status.WARN, "finding", detail, command, facts, _DOTNET_HINT
        )
    detail = ".NET uses the system TLS versions and strong crypto in both views"
    return StepOutcome("tls:dotnet", Status.PASS, "ok", detail, command, facts)


def openssl_outcome(ctx: Context) -> StepOutcome:
    paths = ssl.get_default_verify_paths()
    facts = {
        "openssl": ssl.OPENSSL_VERSION,
        "cafile": paths.cafile,
        "capath": paths.capath,
        "openssl_cafile": paths.openssl_cafile,
        "openssl_capath": paths.openssl_capath,
        "ca_bundle_option": ctx.ca_bundle,
    }
    detail = f"{ssl.OPENSSL_VERSION}; CA file {paths.cafile or paths.openssl_cafile}"
    return StepOutcome("tls:openssl", Status.PASS, "collected", detail, "openssl version -a", facts)


async def run(step: Step, ctx: Context) -> list[StepOutcome]:
    """Windows: SCHANNEL and .NET outcomes; elsewhere: OpenSSL and CA roots outcomes."""
    system = system_of(ctx)
    if system.platform() == "windows":
        return await in_thread(lambda: [schannel_outcome(system), dotnet_outcome(system)])
    roots = tuple(step.params.get("roots") or tls_roots.DEFAULT_ROOTS)
    roots_outcome = await in_thread(lambda: tls_roots.roots_outcome(system, ctx, roots))
    return [openssl_outcome(ctx), roots_outcome]
