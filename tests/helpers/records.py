"""Run records for support-log tests: a small plan, its results and reports."""

from __future__ import annotations

from runner.events import RunInfo, RunReport
from runner.model import Endpoint, Plan, Section, Step
from runner.results import CheckResult, Route, Status

SECRET = "Sup3rS3cretValue"


def plan() -> Plan:
    return Plan(
        name="a2a",
        version="1.2.0",
        scenario="A2A",
        description="test plan",
        source="builtin:a2a",
        variables={"storage_account": "cache1", "storage_key": SECRET},
        secret_vars=frozenset({"storage_key"}),
        sections=(Section("servicebus", "Service Bus", True),),
        endpoints=(
            Endpoint(
                "entra-id",
                "login.microsoftonline.com",
                443,
                "Sign-in",
                error_codes=("151196",),
            ),
            Endpoint("cache-storage-cache1", "cache1.blob.core.windows.net", 443, "Cache storage"),
            Endpoint(
                "keyvault",
                "x.vault.azure.net",
                443,
                "Key Vault",
                enabled=False,
                skip_reason="section keyvault is off",
            ),
        ),
        steps=(
            Step("machine", "machine"),
            Step("proxy", "proxy-config"),
            Step("tls", "tls-config"),
            Step("clock", "clock"),
        ),
    )


def info(log_path: str = "CheckNWResult_vm_202611251830.log") -> RunInfo:
    return RunInfo(
        plan=plan(),
        command_line="asrcheck run a2a --var storage_key=***",
        started_at="2026-11-25T18:30:00.000Z",
        tool_version="0.1.0",
        log_path=log_path,
        settings={"routes": ["direct", "proxy http://p.example:3128 (env)"]},
    )


DIRECT = Route("direct", agent=True, why="no agent proxy configured")
VIA_PROXY = Route("proxy", "http://user:***@p.example:3128", "env")


def results() -> list[CheckResult]:
    return [
        CheckResult(
            "machine",
            Status.PASS,
            "collected",
            "vm: Ubuntu",
            step="machine",
            facts={"output": "line one\nline two", "azure_vm": True},
        ),
        CheckResult(
            "dns",
            Status.PASS,
            "ok",
            "resolved to 20.190.1.1",
            endpoint="entra-id",
            host="login.microsoftonline.com",
            port=443,
            route=DIRECT,
            command="nslookup login.microsoftonline.com",
        ),
        CheckResult(
            "tcp",
            Status.FAIL,
            "tcp-timeout",
            "no answer in 5s",
            endpoint="entra-id",
            host="login.microsoftonline.com",
            port=443,
            route=DIRECT,
            hint="Outbound TCP 443 is silently dropped",
            command="nc -vz login.microsoftonline.com 443",
        ),
        CheckResult(
            "proxy:ProxyInfo.conf",
            Status.WARN,
            "finding",
            f"proxy http://asr:{SECRET}@198.51.100.9:3128",
            step="proxy",
            hint="ASR supports only an unauthenticated HTTP proxy",
        ),
        CheckResult("tls:roots", Status.PASS, "ok", "bundle ok", step="tls"),
        CheckResult("clock", Status.PASS, "ok", "local clock is 1s ahead", step="clock"),
        CheckResult(
            "http",
            Status.PASS,
            "ok",
            "HTTP 400 from blob?sig=abcdEF12%2B&sv=1",
            endpoint="cache-storage-cache1",
            route=VIA_PROXY,
            command="curl -I --proxy-user user:hunter22 https://cache1.blob.core.windows.net",
        ),
    ]


def report(
    items: list[CheckResult], interrupted: bool = False, log_path: str = "x.log"
) -> RunReport:
    return RunReport(
        info=info(log_path),
        results=tuple(items),
        finished_at="2026-11-25T18:31:05.000Z",
        duration_s=65.0,
        interrupted=interrupted,
    )
