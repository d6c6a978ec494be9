"""Real `asrcheck run` and `asrcheck show` commands that use every kind of secret: no byte
of any output (stdout, stderr, support log, JSON report) may hold one."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.helpers import e2e
from tests.peers.dns import DnsServer
from tests.peers.proxy import ConnectProxy
from tests.peers.tls import Pki, TlsServer

PW_URL = "Url-Pr0xy-Pass-7731"
PW_ENV = "Env-Pr0xy-Pass-4409"
TOKEN = "Plan-T0ken-Secret-5512"
SIG = "Sas-S1gnature-Value-8823"
KEY = base64.b64encode(hashlib.sha512(b"storage key one").digest()).decode()
KEY2 = base64.b64encode(hashlib.sha512(b"storage key two").digest()).decode()
SECRETS = (PW_URL, PW_ENV, TOKEN, SIG, KEY, KEY2)


def forms(secret: str) -> list[bytes]:
    """The secret as written, URL-encoded, and inside a Basic proxy credential."""
    found = [secret, quote(secret, safe=""), base64.b64encode(f"bob:{secret}".encode()).decode()]
    return [form.encode() for form in found]


def variables() -> list[str]:
    connection = f"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={KEY2};x=y"
    return [
        *("--var", f"token={TOKEN}"),
        *("--var", f"sas_url=https://acct.blob.core.windows.net/c?sv=2022-11-02&sig={SIG}&sp=r"),
        *("--var", f"storage_key={KEY}"),
        *("--var", f"connection={connection}"),
    ]


def assert_clean(outputs: dict[str, bytes]) -> None:
    for name, data in outputs.items():
        for secret in SECRETS:
            for form in forms(secret):
                assert form not in data, f"{secret!r} ({form!r}) found in {name}"


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki()


def write_plan(tmp_path: Path, port: int) -> Path:
    steps = (
        "  - id: proxy\n    kind: proxy-config\n"
        f"  - id: clock\n    kind: clock\n    with: {{host: ok.test, port: {port}}}\n"
    )
    text = e2e.plan_text([("ok", "ok.test", port)], steps, purpose="Reached with ${token}.")
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_secret_in_any_output_of_real_runs(pki: Pki, tmp_path: Path) -> None:
    bundle = pki.write_bundle(tmp_path / "ca.pem")
    with (
        TlsServer(pki, "valid", ["ok.test"]) as server,
        DnsServer({"ok.test": ["127.0.0.1"]}) as dns,
        ConnectProxy({"ok.test": server.port}, mode="auth", credentials=("bob", PW_URL)) as p1,
        ConnectProxy({"ok.test": server.port}, mode="auth", credentials=("bob", PW_ENV)) as p2,
    ):
        plan = write_plan(tmp_path, server.port)
        common = [*variables(), "--dns-server", f"127.0.0.1:{dns.port}", "--ca-bundle", bundle]
        out1, out2 = tmp_path / "one", tmp_path / "two"
        out1.mkdir()  # --json wants an existing directory; the support log's is created
        proxy_url = p1.url.replace("http://", f"http://bob:{PW_URL}@")
        first = e2e.run(
            [
                "run",
                str(plan),
                *common,
                "--proxy",
                proxy_url,
                "--verbose",
                "--output-dir",
                str(out1),
                "--json",
                str(out1 / "report.json"),
            ],
            tmp_path,
        )
        second = e2e.run(
            [
                "run",
                str(plan),
                *common,
                "--proxy",
                p2.url,
                "--proxy-user",
                "bob",
                "--format",
                "json",
                "--log",
                str(out2 / "support.log"),
            ],
            tmp_path,
            {"ASRCHECK_PROXY_PASSWORD": PW_ENV},
        )
        shown = [
            e2e.run(["show", str(plan), *variables(), *fmt], tmp_path)
            for fmt in ([], ["--format", "json"])
        ]
    # The secrets were really used: the proxies got credentials, the runs passed through.
    assert p1.auth_headers and p2.auth_headers, (first.stderr[-2000:], second.stderr[-2000:])
    assert len(p1.seen) >= 2 and len(p2.seen) >= 2  # the endpoint and the clock step
    assert first.code == 0 and second.code == 0, (first.stderr, second.stderr)
    (log1,) = out1.glob("CheckNWResult_*.log")
    report1 = json.loads((out1 / "report.json").read_text(encoding="utf-8"))
    report2 = json.loads(second.stdout)
    assert report1["results"] and report2["results"]
    log_text = log1.read_text(encoding="utf-8")
    assert "Purpose: Reached with ***." in log_text
    assert "sig=***" in log_text and "AccountKey=***" in log_text
    outputs = {
        "run 1 stdout": first.stdout,
        "run 1 stderr": first.stderr,
        "run 1 log": log1.read_bytes(),
        "run 1 JSON": (out1 / "report.json").read_bytes(),
        "run 2 stdout (JSON)": second.stdout,
        "run 2 stderr": second.stderr,
        "run 2 log": (out2 / "support.log").read_bytes(),
    }
    for index, result in enumerate(shown):
        assert result.code == 0, result.stderr
        outputs[f"show {index} stdout"] = result.stdout
        outputs[f"show {index} stderr"] = result.stderr
    assert_clean(outputs)
