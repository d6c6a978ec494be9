"""`asrcheck run a2a --enable upload` as a user runs it, against Azurite: the upload over
the plan's routes in the console, the support log and the JSON report, and no byte of any
output holding the SAS signature or the account key, on success and on every error path."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote, unquote

from tests.helpers import e2e
from tests.peers.azurite import ACCOUNT, KEY, Azurite
from tests.peers.dns import DnsServer
from tests.peers.proxy import ConnectProxy
from tests.peers.throttle import ThrottledRelay

REGIONS = ("--var", "source_region=japaneast", "--var", "target_region=japanwest")
WRONG_KEY = KEY[:20] + ("Q" if KEY[20] != "Q" else "R") + KEY[21:]


def _signature(sas: str) -> str:
    return dict(part.split("=", 1) for part in sas.split("&"))["sig"]


def _forms(secret: str) -> list[bytes]:
    """A secret as written, decoded and URL-encoded (every form an output could show)."""
    return [form.encode() for form in {secret, unquote(secret), quote(unquote(secret), safe="")}]


def _assert_clean(outputs: dict[str, bytes], secrets: list[str]) -> None:
    for name, data in outputs.items():
        for secret in secrets:
            for form in _forms(secret):
                assert form not in data, f"a secret ({form[:6]!r}...) is in {name}"


def _run(tmp: Path, name: str, emulator: Azurite, dns: DnsServer, *args: str) -> dict[str, bytes]:
    out = tmp / name
    out.mkdir()
    done = e2e.run(
        [
            "run",
            "a2a",
            *REGIONS,
            *("--var", f"storage_account={ACCOUNT}", "--enable", "upload"),
            *("--ca-bundle", emulator.pki_bundle(), "--dns-server", f"127.0.0.1:{dns.port}"),
            *("--disable", "servicebus", "--deadline", "80", "--output-dir", str(out)),
            *args,
        ],
        tmp,
    )
    (log,) = out.glob("CheckNWResult_*.log")
    found = {"stdout": done.stdout, "stderr": done.stderr, "log": log.read_bytes()}
    if (out / "report.json").exists():
        found["json"] = (out / "report.json").read_bytes()
    return found


def _uploads(report: bytes) -> list[dict[str, object]]:
    return [r for r in json.loads(report)["results"] if r["step"] == "upload"]


def test_a2a_upload_over_a_proxy_and_no_secret_anywhere(
    emulator: Azurite, box: str, tmp_path: Path
) -> None:
    sas = emulator.container_sas(box)
    url = emulator.container_url(box, sas)
    target = f"127.0.0.1:{emulator.port}"
    with DnsServer({}) as dns, ConnectProxy({target: emulator.port}) as proxy:
        outputs = _run(
            tmp_path,
            "sas",
            emulator,
            dns,
            *("--var", f"upload_url={url}", "--proxy", proxy.url, "-v"),
            *("--json", str(tmp_path / "sas" / "report.json")),
        )
    uploads = _uploads(outputs["json"])
    # --proxy is the default route; the agent has no proxy here, so it goes direct.
    assert [(u["check"], u["status"], u["route"]["kind"]) for u in uploads] == [  # type: ignore[index]
        ("blob-upload", "pass", "proxy"),
        ("blob-cleanup", "pass", "proxy"),
        ("blob-upload", "pass", "direct"),
        ("blob-cleanup", "pass", "direct"),
    ]
    assert "within ASR's 4 MB in 3 s" in outputs["stdout"].decode()
    assert "sig=***" in outputs["log"].decode() and emulator.blobs(box) == []
    _assert_clean(outputs, [_signature(sas), KEY])


def test_error_paths_show_no_secret(emulator: Azurite, box: str, tmp_path: Path) -> None:
    readonly = emulator.container_sas(box, permissions="r")
    past = datetime.now(timezone.utc) - timedelta(hours=1)
    expired = emulator.container_sas(box, expiry=past)
    service = emulator.service_url
    with DnsServer({}) as dns:
        runs = {
            "readonly": _run(
                tmp_path,
                "readonly",
                emulator,
                dns,
                *("--var", f"upload_url={emulator.container_url(box, readonly)}"),
                *("--format", "json"),
            ),
            "expired": _run(
                tmp_path,
                "expired",
                emulator,
                dns,
                *("--var", f"upload_url={emulator.container_url(box, expired)}"),
                *("--json", str(tmp_path / "expired" / "report.json")),
            ),
            "wrong-key": _run(
                tmp_path,
                "wrong-key",
                emulator,
                dns,
                *("--var", f"upload_key={WRONG_KEY}", "--var", f"upload_endpoint={service}"),
                *("--format", "json", "-v"),
            ),
        }
    reasons = {
        name: [u["reason"] for u in _uploads(found.get("json") or found["stdout"])]
        for name, found in runs.items()
    }
    assert reasons == {
        "readonly": ["upload-permission"],
        "expired": ["upload-auth-failed"],
        "wrong-key": ["upload-auth-failed"],
    }
    secrets = [_signature(readonly), _signature(expired), WRONG_KEY, KEY]
    for name, found in runs.items():
        _assert_clean({f"{name} {part}": data for part, data in found.items()}, secrets)


def test_a_malformed_sas_url_is_refused_without_showing_it(tmp_path: Path) -> None:
    signature = "Zm9yZ2VkLXNpZ25hdHVyZS12YWx1ZQ%3D%3D"
    url = f"http://acct.blob.core.windows.net/box?sv=2021-08-06&sp=cw&sig={signature}"
    done = e2e.run(
        ["run", "a2a", *REGIONS, "--enable", "upload", "--var", f"upload_url={url}"], tmp_path
    )
    assert done.code == 2
    assert b"upload_url" in done.stderr
    _assert_clean({"stdout": done.stdout, "stderr": done.stderr}, [signature])


def test_show_masks_the_upload_secrets(emulator: Azurite, box: str, tmp_path: Path) -> None:
    sas = emulator.container_sas(box)
    args = [
        *REGIONS,
        "--enable",
        "upload",
        "--var",
        f"upload_url={emulator.container_url(box, sas)}",
    ]
    shown = [e2e.run(["show", "a2a", *args, *fmt], tmp_path) for fmt in ([], ["--format", "json"])]
    assert all(done.code == 0 for done in shown)
    _assert_clean(
        {f"show {i}": done.stdout + done.stderr for i, done in enumerate(shown)}, [_signature(sas)]
    )


def test_ctrl_c_during_the_upload_deletes_and_the_log_says_so(
    emulator: Azurite, tmp_path: Path
) -> None:
    before = emulator.containers()
    with DnsServer({}) as dns, ThrottledRelay(emulator.port, rate=64 * 1024) as relay:
        service = f"https://127.0.0.1:{relay.port}/{ACCOUNT}"
        argv = [
            *("run", "a2a", *REGIONS, "--var", f"storage_account={ACCOUNT}"),
            *("--enable", "upload", "--var", f"upload_key={KEY}"),
            *("--var", f"upload_endpoint={service}", "--no-proxy"),
            *("--ca-bundle", emulator.pki_bundle(), "--dns-server", f"127.0.0.1:{dns.port}"),
            *("--disable", "servicebus", "--output-dir", str(tmp_path)),
        ]
        child = e2e.start(argv, tmp_path, stdout=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while relay.relayed < 128 * 1024 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert relay.relayed >= 128 * 1024, "the upload never started"
            child.send_signal(signal.SIGINT)
            _, err = child.communicate(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=10)
    assert child.returncode == 130, err.decode()[-2000:]
    (log,) = tmp_path.glob("CheckNWResult_*.log")
    text = log.read_text(encoding="utf-8")
    assert re.search(
        r"\[PASS\]  blob-cleanup: temporary container asrcheck-\w+ \(with blob "
        r"asrcheck-[\w-]+\.bin\) deleted after the interruption",
        text,
    ), text[-3000:]
    assert "INTERRUPTED" in text and KEY not in text
    assert emulator.containers() == before
