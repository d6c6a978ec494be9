"""Plans the benchmark writes: a generated N-endpoint plan and a child of a built-in plan.

Both are written as YAML text by hand (no yaml import needed) so that the loader, not the
bench, is what gets measured.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

DOCS = "https://learn.microsoft.com/azure/site-recovery/azure-to-azure-about-networking"
CHECKED = "2026-11-25"
GENERATED_DOMAIN = "bench.example"


def generated_hosts(count: int, domain: str = GENERATED_DOMAIN) -> list[str]:
    """`count` distinct host names: e0000.bench.example, e0001.bench.example, ..."""
    width = max(4, len(str(count - 1)))
    return [f"e{index:0{width}d}.{domain}" for index in range(count)]


def generated_plan(
    hosts: Sequence[str],
    *,
    port: int,
    timeout: float,
    concurrency: int = 64,
    deadline: float = 600,
    chain: Sequence[str] | None = None,
) -> str:
    """A plan with one endpoint per host, no steps; `chain` defaults to the plan default."""
    lines = [
        "plan_format: 1",
        "name: bench-generated",
        "version: 1.0.0",
        "scenario: Benchmark",
        f"description: Generated benchmark plan with {len(hosts)} endpoints.",
        "defaults:",
        f"  port: {port}",
        f"  timeout: {timeout:g}",
        f"  deadline: {deadline:g}",
        f"  concurrency: {concurrency}",
        "  routes: [default]",
    ]
    if chain is not None:
        lines.append(f"  chain: [{', '.join(chain)}]")
    lines.append("endpoints:")
    for index, host in enumerate(hosts):
        lines += [
            f"  - id: ep-{index}",
            f"    host: {host}",
            f"    purpose: Generated endpoint {index}.",
            f"    docs: {DOCS}",
            f'    checked: "{CHECKED}"',
        ]
    return "\n".join(lines) + "\n"


def child_plan(
    parent: str,
    *,
    defaults: Mapping[str, object],
    remove: Sequence[str] = (),
) -> str:
    """A plan that extends `parent` (a path or built-in name) and overrides its defaults."""
    lines = [
        "plan_format: 1",
        "name: bench-child",
        "version: 1.0.0",
        "scenario: Benchmark",
        f"description: {parent} pointed at the benchmark's loopback network.",
        f"extends: {parent}",
        "defaults:",
    ]
    lines += [f"  {key}: {_scalar(value)}" for key, value in defaults.items()]
    if remove:
        lines.append(f"remove: [{', '.join(remove)}]")
    return "\n".join(lines) + "\n"


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(str(item) for item in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
