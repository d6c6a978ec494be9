"""The Azure-VM region lookup: only on Azure VMs, directly, against a loopback IMDS fake."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from runner import registry
from runner.errors import PlanError
from runner.machine import imds
from tests.helpers.plans import load_plan


class _ImdsServer(ThreadingHTTPServer):
    """The test's IMDS: the answer to give, the requests seen, and a release for a hang."""

    def __init__(self, reply: tuple[int, bytes, str]) -> None:
        super().__init__(("127.0.0.1", 0), _Imds)
        self.daemon_threads = True
        self.seen: list[tuple[str, str | None]] = []
        self.reply = reply
        self.release = threading.Event()


class _Imds(BaseHTTPRequestHandler):
    """Answers like IMDS's location endpoint; the test sets the answer on the server."""

    server: _ImdsServer

    def do_GET(self) -> None:
        server = self.server
        server.seen.append((self.path, self.headers.get("Metadata")))
        status, body, location = server.reply
        if status == 0:  # hang: never answer within the client's timeout
            server.release.wait(10)
            return
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def fake_imds(
    status: int = 200, body: bytes = b'{"location": "japaneast"}', location: str = ""
) -> Iterator[_ImdsServer]:
    server = _ImdsServer((status, body, location))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _url(server: ThreadingHTTPServer) -> str:
    port = server.server_address[1]
    return f"http://127.0.0.1:{port}/metadata/instance/compute?api-version=2021-02-01"


def _compute(location: str) -> bytes:
    return json.dumps({"location": location, "name": "vm1", "osType": "Linux"}).encode()


@pytest.fixture
def azure_tag(tmp_path: Path) -> Path:
    path = tmp_path / "chassis_asset_tag"
    path.write_text(imds.AZURE_ASSET_TAG + "\n", encoding="ascii")
    return path


def test_azure_vm_gets_its_region_with_the_metadata_header(azure_tag: Path) -> None:
    with fake_imds(body=_compute("JapanEast\n")) as server:
        region = imds.azure_vm_region(azure_tag, _url(server), timeout=5)
    assert region == "japaneast"
    assert server.seen == [("/metadata/instance/compute?api-version=2021-02-01", "true")]


@pytest.mark.parametrize("tag", ["None", "", "Default string", "7783-7084-3265-9085-8269-3286-78"])
def test_other_machines_never_contact_imds(tmp_path: Path, tag: str) -> None:
    path = tmp_path / "chassis_asset_tag"
    path.write_text(tag, encoding="ascii")
    with fake_imds() as server:
        assert imds.azure_vm_region(path, _url(server), timeout=5) is None
    assert server.seen == []


def test_missing_dmi_file_means_not_azure(tmp_path: Path) -> None:
    with fake_imds() as server:
        assert imds.azure_vm_region(tmp_path / "absent", _url(server), timeout=5) is None
    assert server.seen == []


def test_proxy_environment_is_ignored(azure_tag: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with fake_imds(body=_compute("westeurope")) as server:
        assert imds.azure_vm_region(azure_tag, _url(server), timeout=5) == "westeurope"


@pytest.mark.parametrize(
    ("status", "body", "location"),
    [
        (500, b"oops", ""),
        (404, b"not found", ""),
        (200, b"<html>captive portal</html>", ""),
        (200, b"", ""),
        (302, b"", "http://127.0.0.1:9/elsewhere"),
    ],
)
def test_odd_answers_give_no_region(
    azure_tag: Path, status: int, body: bytes, location: str
) -> None:
    with fake_imds(status, body, location) as server:
        assert imds.azure_vm_region(azure_tag, _url(server), timeout=5) is None
        assert len(server.seen) == 1


def test_silent_imds_times_out(azure_tag: Path) -> None:
    with fake_imds(status=0) as server:
        assert imds.azure_vm_region(azure_tag, _url(server), timeout=0.3) is None


def test_unreachable_imds_gives_no_region(azure_tag: Path) -> None:
    with fake_imds() as server:
        url = _url(server)
    assert imds.azure_vm_region(azure_tag, url, timeout=2) is None


def test_provider_is_registered_and_reads_the_module_paths(
    monkeypatch: pytest.MonkeyPatch, azure_tag: Path
) -> None:
    provider = registry.PROVIDERS["azure-vm-region"]
    assert provider is imds.azure_vm_region
    with fake_imds(body=_compute("uksouth")) as server:
        monkeypatch.setattr(imds, "IMDS_COMPUTE_URL", _url(server))
        monkeypatch.setattr(imds, "DMI_ASSET_TAG_PATH", azure_tag)
        assert provider() == "uksouth"
        monkeypatch.setattr(imds, "DMI_ASSET_TAG_PATH", azure_tag.parent / "absent")
        assert provider() is None
    assert len(server.seen) == 1


def test_a2a_source_region_defaults_to_the_vm_region(
    monkeypatch: pytest.MonkeyPatch, azure_tag: Path
) -> None:
    with fake_imds(body=_compute("japaneast")) as server:
        monkeypatch.setattr(imds, "IMDS_COMPUTE_URL", _url(server))
        monkeypatch.setattr(imds, "DMI_ASSET_TAG_PATH", azure_tag)
        plan = load_plan("a2a", variables=["target_region=japanwest"], use_providers=True)
    hosts = {e.id: e.host for e in plan.endpoints}
    assert plan.variables["source_region"] == "japaneast"
    assert hosts["asr-source"] == "pod01-rcm1.jpe.hypervrecoverymanager.windowsazure.com"


def test_given_source_region_wins_and_imds_is_not_asked(
    monkeypatch: pytest.MonkeyPatch, azure_tag: Path
) -> None:
    with fake_imds(body=_compute("japaneast")) as server:
        monkeypatch.setattr(imds, "IMDS_COMPUTE_URL", _url(server))
        monkeypatch.setattr(imds, "DMI_ASSET_TAG_PATH", azure_tag)
        variables = ["source_region=uksouth", "target_region=ukwest"]
        plan = load_plan("a2a", variables=variables, use_providers=True)
    assert plan.variables["source_region"] == "uksouth"
    assert server.seen == []


def test_off_azure_the_region_must_be_given(monkeypatch: pytest.MonkeyPatch) -> None:
    with fake_imds() as server:
        monkeypatch.setattr(imds, "IMDS_COMPUTE_URL", _url(server))
        with pytest.raises(PlanError, match="source_region"):
            load_plan("a2a", variables=["target_region=japanwest"], use_providers=True)
    assert server.seen == []


FULL_COMPUTE = {
    "name": "web-01",
    "vmId": "02aab8a4-74ef-476e-8182-f6d2ba4166a6",
    "resourceGroupName": "rg-web",
    "subscriptionId": "8d10da13-8125-4ba9-a717-bf7490507b3d",
    "location": "westeurope",
    "tags": "owner:\x1b[31mred",
}


def test_identity_and_region_share_one_imds_request(
    monkeypatch: pytest.MonkeyPatch, azure_tag: Path
) -> None:
    from runner.machine.identity import machine_identity
    from tests.helpers import machines

    with fake_imds(body=json.dumps(FULL_COMPUTE).encode()) as server:
        monkeypatch.setattr(imds, "IMDS_COMPUTE_URL", _url(server))
        monkeypatch.setattr(imds, "DMI_ASSET_TAG_PATH", azure_tag)
        assert registry.PROVIDERS["azure-vm-region"]() == "westeurope"
        identity = machine_identity(machines.linux())
    assert identity["azure"] == {
        "vm_name": "web-01",
        "vm_id": "02aab8a4-74ef-476e-8182-f6d2ba4166a6",
        "resource_group": "rg-web",
        "subscription_id": "8d10da13-8125-4ba9-a717-bf7490507b3d",
        "region": "westeurope",
    }
    assert identity["os"].startswith("Ubuntu")
    assert len(server.seen) == 1


def test_identity_drops_values_that_are_not_plain_names(azure_tag: Path) -> None:
    answer = {**FULL_COMPUTE, "name": "web\x1b[2J01", "resourceGroupName": 42}
    with fake_imds(body=json.dumps(answer).encode()) as server:
        identity = imds.azure_vm_identity(azure_tag, _url(server), timeout=5)
    assert identity is not None
    assert "vm_name" not in identity and "resource_group" not in identity
    assert identity["region"] == "westeurope"


def test_identity_off_azure_asks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from runner.machine.identity import machine_identity
    from tests.helpers import machines

    with fake_imds(body=json.dumps(FULL_COMPUTE).encode()) as server:
        monkeypatch.setattr(imds, "IMDS_COMPUTE_URL", _url(server))
        identity = machine_identity(machines.linux())
    assert identity["azure"] is None
    assert identity["hostname"]
    assert server.seen == []
