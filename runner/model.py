"""The resolved plan: what the engine runs, after extends, variables and sections.

`runner.plan.load_plan()` turns a YAML file into a `Plan`; the engine and the support log
only ever see these frozen records, never raw YAML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Address classes an endpoint may be expected to resolve to.
ADDRESS_EXPECTATIONS = ("public", "private", "any")


@dataclass(frozen=True)
class Location:
    """Where something is written: a file and a 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Section:
    """A named group of optional endpoints and steps (`servicebus`, `keyvault`, ...)."""

    name: str
    description: str
    enabled: bool
    #: Why it is on or off: "default", "--enable", "--disable", "extends", ...
    why: str = "default"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "enabled": self.enabled,
            "why": self.why,
        }


@dataclass(frozen=True)
class Endpoint:
    """One host:port to check through the stage chain (dns, tcp, tls, http)."""

    id: str
    host: str
    port: int
    purpose: str
    section: str | None = None
    enabled: bool = True
    #: Set when `enabled` is False: why this endpoint will not be checked.
    skip_reason: str | None = None
    #: False for endpoints whose failure is a warning, not a failure of the run.
    required: bool = True
    #: Stage kinds run in order, e.g. ("dns", "tcp", "tls", "http").
    chain: tuple[str, ...] = ("dns", "tcp", "tls", "http")
    #: Seconds per stage.
    timeout: float = 5.0
    #: Expected address class of the DNS answer: public, private or any.
    address: str = "any"
    #: Substrings of issuer names (organization or common name) the TLS chain may show.
    tls_issuers: tuple[str, ...] = ()
    service_tag: str | None = None
    #: ASR error codes that a failure of this endpoint leads to (asr-facts.md section 9).
    error_codes: tuple[str, ...] = ()
    #: The wildcard requirement this concrete host stands for, e.g. "*.servicebus.windows.net".
    wildcard: str | None = None
    #: Why this concrete host was chosen to stand for the wildcard.
    why_this_host: str | None = None
    #: Documentation URL and the date (YYYY-MM-DD) it was last checked.
    docs: str | None = None
    checked: str | None = None
    #: Set when the facts mark this endpoint uncertain; says what is uncertain.
    uncertain: str | None = None
    #: Extra remediation text added to every failure hint of this endpoint.
    hint: str | None = None
    #: What to check by hand when no concrete host is known (reason `manual-check`).
    by_hand: str | None = None
    #: A section that, when on, makes this endpoint advisory (not required).
    advisory_with: str | None = None
    #: The DNS zone the name's CNAME chain must lead into (a private endpoint's
    #: privatelink zone); the final addresses must then be private-endpoint addresses.
    cname_into: str | None = None
    origin: Location | None = None


@dataclass(frozen=True)
class Step:
    """A standalone step: a collector or a check that is not an endpoint chain (ntp, ...)."""

    id: str
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""
    section: str | None = None
    enabled: bool = True
    skip_reason: str | None = None
    required: bool = False
    timeout: float = 10.0
    origin: Location | None = None


@dataclass(frozen=True)
class Plan:
    """A fully resolved plan."""

    name: str
    version: str
    scenario: str
    description: str
    #: Where it came from: a file path, or "builtin:a2a".
    source: str
    #: Final variable values (secrets included: mask with `secret_vars` before showing).
    variables: Mapping[str, Any]
    secret_vars: frozenset[str]
    sections: tuple[Section, ...]
    endpoints: tuple[Endpoint, ...]
    steps: tuple[Step, ...]
    #: Run-wide defaults: stage timeout, run deadline and concurrency.
    timeout: float = 5.0
    deadline: float = 60.0
    concurrency: int = 32
    #: Proxy route families to check: "default" (cli > env > direct) and "agent".
    routes: tuple[str, ...] = ("default", "agent")
    #: Support-log file name patterns by platform ("linux", "windows").
    log_names: Mapping[str, str] = field(default_factory=dict)
    #: Every plan file it was read from: the plan, then each plan it `extends:`.
    files: tuple[str, ...] = ()

    def masked_variables(self) -> dict[str, Any]:
        """Variables with every secret value replaced by `***`."""
        return {
            name: ("***" if name in self.secret_vars and value not in (None, "") else value)
            for name, value in self.variables.items()
        }
