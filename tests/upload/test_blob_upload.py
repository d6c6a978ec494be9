"""The blob upload step against Azurite (Microsoft's storage emulator) over HTTPS on
loopback: SAS and account key, each refusal, a slow path, a real forward proxy, the routes
the engine picks, an interruption, and the cleanup afterwards."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from runner.context import Context, ProxySetting
from runner.engine.run import run_plan
from runner.events import RunReport
from runner.model import Plan, Step
from runner.reasons import REASONS
from runner.results import CheckResult, Status
from tests.helpers.engine import ListSink, plan_of, run
from tests.peers.azurite import ACCOUNT, KEY, Azurite
from tests.peers.proxy import ConnectProxy
from tests.peers.throttle import ThrottledRelay
from tests.peers.tls import HttpBehaviour, Pki, TlsServer

#: A wrong key of the right shape (64 bytes, base64).
WRONG_KEY = KEY[:10] + ("A" if KEY[10] != "A" else "B") + KEY[11:]


def _plan(params: dict[str, Any], routes: tuple[str, ...] = ("default",)) -> Plan:
    step = Step(id="upload", kind="blob-upload", params=params, timeout=60, required=True)
    return plan_of(steps=(step,), routes=routes)


def _results(report: RunReport) -> dict[str, CheckResult]:
    return {r.check: r for r in report.results}


def _ctx(emulator: Azurite, **kw: Any) -> Context:
    return Context(ca_bundle=emulator.pki_bundle(), **kw)


def _key_params(emulator: Azurite, **extra: Any) -> dict[str, Any]:
    return {"key": KEY, "accounts": [ACCOUNT], "service_url": emulator.service_url, **extra}


def test_sas_upload_is_timed_and_the_blob_deleted(emulator: Azurite, box: str) -> None:
    url = emulator.container_url(box, emulator.container_sas(box))
    report = run(_plan({"url": url}), _ctx(emulator))
    results = _results(report)
    upload, cleanup = results["blob-upload"], results["blob-cleanup"]
    assert (upload.status, upload.reason) == (Status.PASS, "ok")
    assert upload.facts["status"] == 201 and upload.facts["size_bytes"] == 4 * 1024 * 1024
    assert upload.facts["threshold_s"] == 3.0
    assert upload.facts["throughput_mib_s"] > 0 and upload.facts["request_id"]
    assert upload.facts["blob"].startswith("asrcheck-") and upload.facts["blob"].endswith(".bin")
    assert "within ASR's 4 MB in 3 s" in upload.detail
    assert upload.route is not None and upload.route.kind == "direct"
    assert (cleanup.status, cleanup.reason) == (Status.PASS, "ok")
    assert cleanup.detail == f"blob {upload.facts['blob']} in container {box} deleted"
    assert emulator.blobs(box) == []
    put = 'curl -X PUT -H "x-ms-blob-type: BlockBlob" --data-binary @dummy4MB.dat'
    assert put in upload.command
    assert "sig=***" in upload.command and "azcopy copy dummy4MB.dat" in upload.command


def test_account_key_uses_a_temporary_container_and_deletes_it(emulator: Azurite) -> None:
    before = emulator.containers()
    report = run(_plan(_key_params(emulator)), _ctx(emulator))
    results = _results(report)
    upload, cleanup = results["blob-upload"], results["blob-cleanup"]
    assert (upload.status, upload.reason) == (Status.PASS, "ok")
    container = upload.facts["container"]
    assert container.startswith("asrcheck-") and upload.facts["temporary_container"] is True
    assert cleanup.status is Status.PASS and f"temporary container {container}" in cleanup.detail
    assert emulator.containers() == before
    assert "--account-key ***" in upload.command


def test_expired_sas_is_an_authentication_failure(emulator: Azurite, box: str) -> None:
    past = datetime.now(timezone.utc) - timedelta(minutes=30)
    url = emulator.container_url(box, emulator.container_sas(box, expiry=past))
    upload = _results(run(_plan({"url": url}), _ctx(emulator)))["blob-upload"]
    assert (upload.status, upload.reason) == (Status.FAIL, "upload-auth-failed")
    assert "the SAS expired at" in upload.detail
    assert upload.facts["status"] == 403 and upload.facts["request_id"]
    assert "blob-cleanup" not in _results(run(_plan({"url": url}), _ctx(emulator)))


def test_sas_without_write_permission(emulator: Azurite, box: str) -> None:
    url = emulator.container_url(box, emulator.container_sas(box, permissions="rl"))
    upload = _results(run(_plan({"url": url}), _ctx(emulator)))["blob-upload"]
    assert (upload.status, upload.reason) == (Status.FAIL, "upload-permission")
    assert upload.facts["error_code"] == "AuthorizationPermissionMismatch"
    assert "Create, Write and Delete" in upload.hint
    assert emulator.blobs(box) == []


def test_sas_without_delete_permission_leaves_a_named_blob(emulator: Azurite, box: str) -> None:
    url = emulator.container_url(box, emulator.container_sas(box, permissions="cw"))
    results = _results(run(_plan({"url": url}), _ctx(emulator)))
    assert results["blob-upload"].status is Status.PASS
    cleanup = results["blob-cleanup"]
    blob = results["blob-upload"].facts["blob"]
    assert (cleanup.status, cleanup.reason) == (Status.WARN, "upload-cleanup")
    assert f"could not delete blob {blob} in container {box}: 403" in cleanup.detail
    assert f"Delete the blob {blob} from the container {box} by hand" in cleanup.hint
    assert emulator.blobs(box) == [blob]


def test_wrong_account_key(emulator: Azurite) -> None:
    before = emulator.containers()
    params = _key_params(emulator, key=WRONG_KEY)
    upload = _results(run(_plan(params), _ctx(emulator)))["blob-upload"]
    assert (upload.status, upload.reason) == (Status.FAIL, "upload-auth-failed")
    assert f"the account key is not a key of {ACCOUNT}" in upload.detail
    assert emulator.containers() == before


def test_missing_container(emulator: Azurite) -> None:
    url = emulator.container_url("not-there", emulator.container_sas("not-there"))
    upload = _results(run(_plan({"url": url}), _ctx(emulator)))["blob-upload"]
    assert (upload.status, upload.reason) == (Status.FAIL, "container-not-found")
    assert upload.facts["error_code"] == "ContainerNotFound"


def test_a_slow_path_is_upload_slow_with_error_153007(emulator: Azurite, box: str) -> None:
    # 256 KiB at 64 KiB/s: about 4 s against a threshold of 0.19 s (3 s per 4 MiB).
    with ThrottledRelay(emulator.port, rate=64 * 1024) as relay:
        sas = emulator.container_sas(box)
        url = f"https://127.0.0.1:{relay.port}/{ACCOUNT}/{box}?{sas}"
        results = _results(run(_plan({"url": url, "size_mb": 0.25}), _ctx(emulator)))
    upload = results["blob-upload"]
    assert (upload.status, upload.reason) == (Status.WARN, "upload-slow")
    assert upload.facts["upload_s"] > upload.facts["threshold_s"] == 0.188
    assert "153007" in upload.hint and "service endpoint" in upload.hint
    assert results["blob-cleanup"].status is Status.PASS and emulator.blobs(box) == []


def test_upload_through_a_real_forward_proxy(emulator: Azurite, box: str) -> None:
    url = emulator.container_url(box, emulator.container_sas(box))
    with ConnectProxy({f"127.0.0.1:{emulator.port}": emulator.port}) as proxy:
        ctx = _ctx(emulator, cli_proxy=ProxySetting(url=proxy.url, source="cli"))
        results = _results(run(_plan({"url": url}), ctx))
    upload = results["blob-upload"]
    assert (upload.status, upload.reason) == (Status.PASS, "ok")
    assert upload.route is not None and upload.route.label() == f"proxy {proxy.url} (cli)"
    assert f"--proxy {proxy.url}" in upload.command
    assert set(proxy.seen) == {f"127.0.0.1:{emulator.port}"}  # the upload and the delete
    assert emulator.blobs(box) == []


def test_each_route_the_plan_checks_gets_its_own_upload(emulator: Azurite, box: str) -> None:
    url = emulator.container_url(box, emulator.container_sas(box))
    with ConnectProxy({f"127.0.0.1:{emulator.port}": emulator.port}) as proxy:
        agent = ProxySetting(url=proxy.url, source="ProxyInfo.conf")
        plan = _plan({"url": url}, routes=("default", "agent"))
        report = run(plan, _ctx(emulator, agent_proxy=agent))
    uploads = [r for r in report.results if r.check == "blob-upload"]
    assert [(r.route.kind, r.route.agent) for r in uploads if r.route] == [
        ("direct", False),
        ("proxy", True),
    ]
    assert all(r.status is Status.PASS for r in report.results)
    assert len({r.facts["blob"] for r in uploads}) == 2
    assert emulator.blobs(box) == []


@pytest.mark.parametrize(
    ("mode", "reason"), [("deny", "proxy-denied"), ("auth", "proxy-auth-required")]
)
def test_proxy_refusals_keep_the_proxy_reasons(
    emulator: Azurite, box: str, mode: str, reason: str
) -> None:
    url = emulator.container_url(box, emulator.container_sas(box))
    with ConnectProxy({f"127.0.0.1:{emulator.port}": emulator.port}, mode=mode) as proxy:
        ctx = _ctx(emulator, cli_proxy=ProxySetting(url=proxy.url, source="cli"))
        results = _results(run(_plan({"url": url}), ctx))
    assert (results["blob-upload"].status, results["blob-upload"].reason) == (Status.FAIL, reason)
    assert "blob-cleanup" not in results


def test_untrusted_certificate_is_the_tls_reason(emulator: Azurite, box: str) -> None:
    url = emulator.container_url(box, emulator.container_sas(box))
    upload = _results(run(_plan({"url": url}), Context()))["blob-upload"]
    assert (upload.status, upload.reason) == (Status.FAIL, "cert-untrusted")


def test_storage_firewall_is_not_authorized(pki: Pki, ca_bundle: str) -> None:
    """Azure's answer when the account's firewall or disabled public access blocks the
    client (the emulator has no firewall): 403 AuthorizationFailure."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationFailure</Code>'
        "<Message>This request is not authorized to perform this operation.\n"
        "RequestId:f1e2</Message></Error>"
    )
    answer = HttpBehaviour(
        status=403,
        headers={"x-ms-error-code": "AuthorizationFailure", "x-ms-request-id": "f1e2"},
        body=body.encode(),
    )
    with TlsServer(pki, "valid", ["127.0.0.1"], answer) as server:
        url = f"https://127.0.0.1:{server.port}/cache/box?sv=2021-08-06&sp=cw&sig=c2lnbmVk"
        results = _results(run(_plan({"url": url, "size_mb": 0.01}), Context(ca_bundle=ca_bundle)))
    upload = results["blob-upload"]
    assert (upload.status, upload.reason) == (Status.FAIL, "upload-not-authorized")
    assert upload.facts["request_id"] == "f1e2"
    assert "Networking" in upload.hint


def test_no_target_is_missing_input() -> None:
    report = run(_plan({"url": "", "key": "", "accounts": []}), Context())
    (only,) = report.results
    assert (only.status, only.reason) == (Status.SKIP, "missing-input")
    assert "--var upload_url=URL" in only.detail


def test_interrupted_upload_still_deletes_what_it_created(emulator: Azurite) -> None:
    before = emulator.containers()
    with ThrottledRelay(emulator.port, rate=64 * 1024) as relay:
        service = f"https://127.0.0.1:{relay.port}/{ACCOUNT}"
        plan = _plan(_key_params(emulator, service_url=service))

        async def scenario() -> RunReport:
            stop = asyncio.Event()

            async def trip() -> None:
                while relay.relayed < 128 * 1024:
                    await asyncio.sleep(0.05)
                stop.set()

            tripper = asyncio.ensure_future(trip())
            report = await run_plan(plan, _ctx(emulator), ListSink(), stop=stop)
            tripper.cancel()
            return report

        report = asyncio.run(asyncio.wait_for(scenario(), 90))
    results = _results(report)
    assert report.interrupted
    assert results["blob-upload"].reason == "interrupted"
    cleanup = results["blob-cleanup"]
    assert cleanup.status is Status.PASS
    assert cleanup.detail.startswith("temporary container asrcheck-")
    assert cleanup.detail.endswith("deleted after the interruption")
    assert emulator.containers() == before


def test_every_upload_reason_comes_out_of_a_test_here() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    codes = [code for code, reason in REASONS.items() if reason.stage == "upload"]
    assert codes and [code for code in codes if f'"{code}"' not in source] == []
    assert "upload-timeout" in source and "upload-error" in source


def test_a_service_that_never_answers_is_upload_timeout(pki: Pki, ca_bundle: str) -> None:
    with TlsServer(pki, "valid", ["127.0.0.1"], HttpBehaviour(delay=30)) as server:
        url = f"https://127.0.0.1:{server.port}/cache/box?sv=2021-08-06&sp=cw&sig=c2lnbmVk"
        params = {"url": url, "size_mb": 0.01, "timeout": 2}
        upload = _results(run(_plan(params), Context(ca_bundle=ca_bundle)))["blob-upload"]
    assert (upload.status, upload.reason) == (Status.FAIL, "upload-timeout")
    assert "153007" in upload.hint


def test_another_refusal_is_upload_error_with_the_service_code(pki: Pki, ca_bundle: str) -> None:
    answer = HttpBehaviour(status=503, headers={"x-ms-error-code": "ServerBusy"}, body=b"")
    with TlsServer(pki, "valid", ["127.0.0.1"], answer) as server:
        url = f"https://127.0.0.1:{server.port}/cache/box?sv=2021-08-06&sp=cw&sig=c2lnbmVk"
        upload = _results(run(_plan({"url": url, "size_mb": 0.01}), Context(ca_bundle=ca_bundle)))[
            "blob-upload"
        ]
    assert (upload.status, upload.reason) == (Status.FAIL, "upload-error")
    assert upload.facts["error_code"] == "ServerBusy" and "503 ServerBusy" in upload.detail


def test_several_uploads_per_route_are_judged_on_the_median(emulator: Azurite, box: str) -> None:
    url = emulator.container_url(box, emulator.container_sas(box))
    results = _results(run(_plan({"url": url, "count": 3, "size_mb": 1}), _ctx(emulator)))
    upload = results["blob-upload"]
    assert (upload.status, upload.reason) == (Status.PASS, "ok")
    times = upload.facts["uploads_s"]
    assert len(times) == 3 and times == sorted(times) and upload.facts["upload_s"] == times[1]
    assert "the median of 3 uploads" in upload.detail
    assert results["blob-cleanup"].status is Status.PASS and emulator.blobs(box) == []
