"""This VM's identity and region, from the instance metadata service (IMDS), on Azure VMs only.

The metadata service is contacted only when the DMI chassis asset tag says this machine is
an Azure VM; on any other machine nothing is sent. The request goes directly (never through
a proxy, as Azure requires) with a short timeout, once per process: the region default of a
plan and the report's machine identity share one answer. Every path and URL is a parameter
so tests point them at a temporary file and a loopback server.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

#: The chassis asset tag every Azure VM carries (SMBIOS type 3).
AZURE_ASSET_TAG = "7783-7084-3265-9085-8269-3286-77"
#: Where Linux exposes the chassis asset tag.
DMI_ASSET_TAG_PATH = Path("/sys/class/dmi/id/chassis_asset_tag")
#: The VM's compute metadata, as JSON (name, vmId, resourceGroupName, subscriptionId, location).
IMDS_COMPUTE_URL = "http://169.254.169.254/metadata/instance/compute?api-version=2021-02-01"
_REGION = re.compile(r"^[a-z][a-z0-9]{1,39}$")
#: IMDS field -> key in `azure_vm_identity`'s answer.
IDENTITY_FIELDS = {
    "name": "vm_name",
    "vmId": "vm_id",
    "resourceGroupName": "resource_group",
    "subscriptionId": "subscription_id",
    "location": "region",
}
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9._()\-]{1,90}$")
#: URL -> the answer already fetched (None: failed); one request per process and URL.
_ANSWERS: dict[str, dict[str, str] | None] = {}


def is_azure_vm(asset_tag_path: Path | None = None) -> bool:
    """True when the DMI chassis asset tag is Azure's; False when unreadable or different."""
    path = DMI_ASSET_TAG_PATH if asset_tag_path is None else asset_tag_path
    try:
        tag = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return False
    return tag == AZURE_ASSET_TAG


def fetch_compute(url: str | None = None, timeout: float = 2.0) -> dict[str, str] | None:
    """The identity fields IMDS returns (see IDENTITY_FIELDS), asked once per URL; None on
    any failure or odd answer. Values that are not plain names are dropped."""
    url = IMDS_COMPUTE_URL if url is None else url
    if url not in _ANSWERS:
        _ANSWERS[url] = _identity(_get_json(url, timeout))
    return _ANSWERS[url]


def _get_json(url: str, timeout: float) -> Any:
    import urllib.request  # here: only an Azure VM asks IMDS (about 25 ms of imports)

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        """IMDS never redirects; an answer that does is not IMDS."""

        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    # An empty ProxyHandler: IMDS must be reached directly, whatever HTTP_PROXY says.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())
    request = urllib.request.Request(url, headers={"Metadata": "true"})
    try:
        with opener.open(request, timeout=timeout) as response:
            if response.status != 200:
                return None
            body = response.read(65536)
    except (OSError, ValueError):  # URLError, HTTPError, timeouts, refused, bad URL
        return None
    try:
        return json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        return None


def _identity(answer: Any) -> dict[str, str] | None:
    if not isinstance(answer, dict):
        return None
    found = {
        key: value.strip()
        for field, key in IDENTITY_FIELDS.items()
        if isinstance(value := answer.get(field), str) and _SAFE_VALUE.match(value.strip())
    }
    if "region" in found:
        found["region"] = found["region"].lower()
        if not _REGION.match(found["region"]):
            del found["region"]
    return found or None


def azure_vm_identity(
    asset_tag_path: Path | None = None,
    url: str | None = None,
    timeout: float = 2.0,
) -> dict[str, str] | None:
    """This VM's name, vmId, resource group, subscription and region; None when this is not
    an Azure VM or IMDS does not say."""
    if not is_azure_vm(asset_tag_path):
        return None
    return fetch_compute(url, timeout)


def azure_vm_region(
    asset_tag_path: Path | None = None,
    url: str | None = None,
    timeout: float = 2.0,
) -> str | None:
    """This VM's Azure region, or None when this is not an Azure VM or IMDS does not say."""
    identity = azure_vm_identity(asset_tag_path, url, timeout)
    return identity.get("region") if identity else None
