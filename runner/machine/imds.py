"""The Azure region of this VM, from the instance metadata service (IMDS), on Azure VMs only.

The metadata service is contacted only when the DMI chassis asset tag says this machine is
an Azure VM; on any other machine nothing is sent. The request goes directly (never through
a proxy, as Azure requires) with a short timeout. Every path and URL is a parameter so tests
point them at a temporary file and a loopback server.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

#: The chassis asset tag every Azure VM carries (SMBIOS type 3).
AZURE_ASSET_TAG = "7783-7084-3265-9085-8269-3286-77"
#: Where Linux exposes the chassis asset tag.
DMI_ASSET_TAG_PATH = Path("/sys/class/dmi/id/chassis_asset_tag")
#: The VM's location, as plain text (e.g. "japaneast").
IMDS_LOCATION_URL = (
    "http://169.254.169.254/metadata/instance/compute/location?api-version=2021-02-01&format=text"
)
_REGION = re.compile(r"^[a-z][a-z0-9]{1,39}$")


def is_azure_vm(asset_tag_path: Path | None = None) -> bool:
    """True when the DMI chassis asset tag is Azure's; False when unreadable or different."""
    path = DMI_ASSET_TAG_PATH if asset_tag_path is None else asset_tag_path
    try:
        tag = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return False
    return tag == AZURE_ASSET_TAG


def fetch_location(url: str | None = None, timeout: float = 2.0) -> str | None:
    """The region name IMDS returns, lower-cased; None on any failure or odd answer."""
    url = IMDS_LOCATION_URL if url is None else url
    # An empty ProxyHandler: IMDS must be reached directly, whatever HTTP_PROXY says.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())
    request = urllib.request.Request(url, headers={"Metadata": "true"})
    try:
        with opener.open(request, timeout=timeout) as response:
            if response.status != 200:
                return None
            body = response.read(256)
    except (OSError, ValueError):  # URLError, HTTPError, timeouts, refused, bad URL
        return None
    region = body.decode("ascii", errors="replace").strip().lower()
    return region if _REGION.match(region) else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """IMDS never redirects; an answer that does is not IMDS."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def azure_vm_region(
    asset_tag_path: Path | None = None,
    url: str | None = None,
    timeout: float = 2.0,
) -> str | None:
    """This VM's Azure region, or None when this is not an Azure VM or IMDS does not say."""
    if not is_azure_vm(asset_tag_path):
        return None
    return fetch_location(url, timeout)
