"""Microsoft's Azure Storage emulator, Azurite (blob service only), on 127.0.0.1 over HTTPS.

`.ci/run` installs it (npm package `azurite`, pinned in `.ci/package.json`) into
`.ci/node_modules`. It listens on a free port, with a trustme certificate for 127.0.0.1,
keeps everything in memory and runs with `--disableTelemetry`, so it reaches nothing
outside this machine. URLs are path style: `https://127.0.0.1:PORT/devstoreaccount1/...`.

`container_sas()` makes a service SAS for a container as the portal does (HMAC-SHA256 of
the string to sign with the account key); `blobs()` and `containers()` list what exists,
through the emulator's own API, so that tests see what an upload left behind.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import shutil
import ssl
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import httpx

from runner.kinds.net import blob_service
from tests.peers.tls import Pki

ROOT = Path(__file__).resolve().parents[2]
AZURITE = ROOT / ".ci" / "node_modules" / "azurite" / "dist" / "src" / "blob" / "main.js"
#: The emulator's well-known account and key (published in Azurite's documentation).
ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
SAS_VERSION = "2021-08-06"
_LISTENING = re.compile(r"successfully listens on https://127\.0\.0\.1:(\d+)")


def unavailable() -> str | None:
    """Why Azurite cannot run here (no Node.js), or None. A missing package is not a reason
    to skip: `.ci/run` installs it, and a test run without it must fail loudly."""
    if shutil.which("node") is None:
        return "Node.js is not installed (bash .ci/run installs it and Azurite)"
    return None


class Azurite:
    """The blob service of Azurite on 127.0.0.1:`port`, HTTPS with a certificate of `pki`."""

    def __init__(self, pki: Pki, workdir: Path) -> None:
        self.pki = pki
        self.workdir = workdir
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def service_url(self) -> str:
        return f"https://127.0.0.1:{self.port}/{ACCOUNT}"

    def __enter__(self) -> Azurite:
        if not AZURITE.is_file():
            raise RuntimeError(f"{AZURITE} is missing: run bash .ci/run (it installs Azurite)")
        leaf = self.pki.ca.issue_cert("127.0.0.1", "localhost")
        cert, key = self.workdir / "azurite-cert.pem", self.workdir / "azurite-key.pem"
        leaf.cert_chain_pems[0].write_to_path(str(cert))
        leaf.private_key_pem.write_to_path(str(key))
        self.pki.write_bundle(self.workdir / "azurite-ca.pem")
        command = [
            str(shutil.which("node")),
            str(AZURITE),
            *("--blobHost", "127.0.0.1", "--blobPort", "0"),
            *("--cert", str(cert), "--key", str(key)),
            *("--disableTelemetry", "--inMemoryPersistence", "--extentMemoryLimit", "256"),
        ]
        with (self.workdir / "azurite.out").open("wb") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self.port = self._wait_listening(self.workdir / "azurite.out")
        return self

    def _wait_listening(self, out: Path, seconds: float = 60) -> int:
        deadline = time.monotonic() + seconds
        assert self._process is not None
        while time.monotonic() < deadline:
            found = _LISTENING.search(out.read_text(errors="replace"))
            if found:
                return int(found.group(1))
            if self._process.poll() is not None:
                break
            time.sleep(0.1)
        self.__exit__()
        raise RuntimeError(f"Azurite did not start: {out.read_text(errors='replace')[-2000:]}")

    def __exit__(self, *exc: object) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)

    # -- what the tests ask the emulator directly ------------------------------------

    def _client(self) -> httpx.Client:
        verify = ssl.create_default_context(cafile=self.pki_bundle())
        return httpx.Client(verify=verify, trust_env=False, timeout=30)

    def pki_bundle(self) -> str:
        """The CA that signed the emulator's certificate, as a PEM file (for --ca-bundle)."""
        return str(self.workdir / "azurite-ca.pem")

    def _request(self, method: str, path: str, query: dict[str, str]) -> httpx.Response:
        box = blob_service.Container(
            origin=f"https://127.0.0.1:{self.port}",
            path=f"/{ACCOUNT}",
            account=ACCOUNT,
            key=base64.b64decode(KEY),
        )
        headers = blob_service.headers_for(box, blob_service.Request(method, path, query, {}))
        url = f"https://127.0.0.1:{self.port}{path}"
        with self._client() as client:
            return client.request(method, url, params=query, headers=headers)

    def create_container(self, name: str) -> None:
        answer = self._request("PUT", f"/{ACCOUNT}/{name}", {"restype": "container"})
        assert answer.status_code == 201, answer.text

    def containers(self) -> list[str]:
        answer = self._request("GET", f"/{ACCOUNT}", {"comp": "list"})
        assert answer.status_code == 200, answer.text
        return re.findall(r"<Name>([^<]+)</Name>", answer.text)

    def blobs(self, container: str) -> list[str]:
        query = {"restype": "container", "comp": "list"}
        answer = self._request("GET", f"/{ACCOUNT}/{container}", query)
        assert answer.status_code == 200, answer.text
        return re.findall(r"<Name>([^<]+)</Name>", answer.text)

    def container_sas(
        self,
        container: str,
        permissions: str = "cwd",
        expiry: datetime | None = None,
        key: str = KEY,
    ) -> str:
        """A service SAS for `container`, as a query string (`sv=...&sig=...`)."""
        end = expiry or datetime.now(timezone.utc) + timedelta(hours=1)
        start = datetime.now(timezone.utc) - timedelta(hours=2)
        fields = {
            "sp": permissions,
            "st": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "se": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "spr": "https",
            "sv": SAS_VERSION,
            "sr": "c",
        }
        text = "\n".join(
            [
                fields["sp"],
                fields["st"],
                fields["se"],
                f"/blob/{ACCOUNT}/{container}",
                "",  # signed identifier
                "",  # signed IP
                fields["spr"],
                fields["sv"],
                fields["sr"],
                "",  # snapshot time
                "",  # encryption scope
                *([""] * 5),  # rscc, rscd, rsce, rscl, rsct
            ]
        )
        digest = hmac.new(base64.b64decode(key), text.encode(), hashlib.sha256).digest()
        fields["sig"] = base64.b64encode(digest).decode()
        return "&".join(f"{name}={quote(value, safe='')}" for name, value in fields.items())

    def container_url(self, container: str, sas: str) -> str:
        return f"{self.service_url}/{container}?{sas}"
