"""Azure Blob service requests as the upload step makes them: where the test blob goes,
how each request is authorized (a container SAS, or SharedKey signing with the account
key and the standard library's HMAC-SHA256), and what an error answer says.

Only the four requests the upload test needs: create container, Put Blob (block blob),
delete blob, delete container. URLs may be virtual-host style
(`https://ACCOUNT.blob.core.windows.net/CONTAINER`) or path style, as an emulator serves
them (`https://127.0.0.1:10000/ACCOUNT/CONTAINER`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from email.utils import formatdate
from urllib.parse import parse_qsl, quote, urlsplit

#: The REST API version asrcheck speaks (Azure Storage and the Azurite emulator accept it).
API_VERSION = "2021-08-06"
#: Container names: 3-63 characters, lower-case letters, digits and single hyphens.
_CONTAINER = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")


@dataclass(frozen=True)
class Container:
    """A container and how requests to it are authorized (a SAS query or an account key)."""

    #: `https://host[:port]`.
    origin: str
    #: Path of the container: `/NAME`, or `/ACCOUNT/NAME` in path style.
    path: str
    #: The account name (SharedKey signs with it); empty for a SAS.
    account: str = ""
    #: The SAS query string without `?`; empty with a key.
    sas: str = ""
    #: The decoded account key; None with a SAS.
    key: bytes | None = None

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def url(self, blob: str = "", shown: bool = False) -> str:
        """The container's URL (or a blob's in it); `shown` masks the SAS signature."""
        path = f"{self.path}/{quote(blob)}" if blob else self.path
        query = masked_query(self.sas) if shown else self.sas
        return f"{self.origin}{path}" + (f"?{query}" if query else "")


def masked_query(query: str) -> str:
    """A SAS query with the value of `sig` replaced by `***`."""
    parts = [
        f"{name}=***" if name.lower() == "sig" else f"{name}={value}" if sep else name
        for name, sep, value in (item.partition("=") for item in query.split("&") if item)
    ]
    return "&".join(parts)


def sas_signature(query: str) -> str:
    """The `sig` value of a SAS query, as written (empty when there is none)."""
    for name, _, value in (item.partition("=") for item in query.split("&")):
        if name.lower() == "sig":
            return value
    return ""


def sas_field(query: str, field: str) -> str:
    """One decoded field of a SAS query (`se`, `sp`, ...), empty when absent."""
    return dict(parse_qsl(query, keep_blank_values=True)).get(field, "")


def _https(url: str) -> tuple[str, str, str] | str:
    """(origin `https://host[:port]`, path without a trailing /, query) of an https:// URL,
    or why it is not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        return f"not a URL ({error})"
    if parts.scheme.lower() != "https" or not parts.hostname:
        return "not an https:// URL"
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    origin = f"https://{host}" + (f":{port}" if port else "")
    return origin, parts.path.rstrip("/"), parts.query


def from_sas_url(url: str) -> Container | str:
    """The container of a container SAS URL, or why the URL is not one."""
    found = _https(url)
    if isinstance(found, str):
        return found
    origin, path, query = found
    if not sas_signature(query):
        return "no SAS in it (the query string after ? with sig=...)"
    if not path or not _CONTAINER.match(path.rsplit("/", 1)[-1]):
        return "no container name in its path (https://ACCOUNT.blob.../CONTAINER?SAS)"
    return Container(origin=origin, path=path, sas=query)


def with_key(service_url: str, account: str, key: str, container: str) -> Container | str:
    """A container named `container` under the blob service at `service_url`, signed with
    the account key; or why not (the key is not base64, the URL is not https://...)."""
    try:
        secret = base64.b64decode(key.strip(), validate=True)
    except (binascii.Error, ValueError):
        return "the account key is not base64 (copy key1 or key2 from Access keys)"
    found = _https(service_url)
    if isinstance(found, str):
        return f"the blob service URL: {found}"
    origin, path, _ = found
    return Container(origin=origin, path=f"{path}/{container}", account=account, key=secret)


@dataclass(frozen=True)
class Request:
    """One request to sign: method, URL path as sent, query fields, headers, body length."""

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    length: int = 0


def headers_for(container: Container, request: Request) -> dict[str, str]:
    """The request's headers with the version, and with a key the date and SharedKey
    `Authorization` (https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key)."""
    out = {**request.headers, "x-ms-version": API_VERSION}
    if container.key is None:
        return out
    out["x-ms-date"] = formatdate(usegmt=True)
    signature = sign(container, replace(request, headers=out))
    out["Authorization"] = f"SharedKey {container.account}:{signature}"
    return out


def sign(container: Container, request: Request) -> str:
    """The SharedKey signature: HMAC-SHA256 of the string to sign, base64."""
    assert container.key is not None
    method, path, query, length = request.method, request.path, request.query, request.length
    lower = {name.lower(): value for name, value in request.headers.items()}
    standard = [
        method,
        lower.get("content-encoding", ""),
        lower.get("content-language", ""),
        str(length) if length else "",
        lower.get("content-md5", ""),
        lower.get("content-type", ""),
        "",  # Date: x-ms-date is sent instead
        lower.get("if-modified-since", ""),
        lower.get("if-match", ""),
        lower.get("if-none-match", ""),
        lower.get("if-unmodified-since", ""),
        lower.get("range", ""),
    ]
    ms = [f"{name}:{lower[name].strip()}" for name in sorted(lower) if name.startswith("x-ms-")]
    resource = f"/{container.account}{path}"
    resource += "".join(f"\n{name.lower()}:{query[name]}" for name in sorted(query))
    text = "\n".join([*standard, *ms, resource])
    digest = hmac.new(container.key, text.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


@dataclass(frozen=True)
class ServiceError:
    """What an error answer of the Blob service says."""

    code: str
    message: str
    #: `AuthenticationErrorDetail`: why a signature or SAS was refused, when it tells.
    detail: str


def _element(body: str, name: str) -> str:
    found = re.search(rf"<{name}>(.*?)</{name}>", body, re.DOTALL)
    return html.unescape(found.group(1)).strip() if found else ""


def service_error(headers: Mapping[str, str], body: bytes) -> ServiceError:
    """The error code (`x-ms-error-code`, else the XML `<Code>`), the message's first
    line and the authentication detail. Read with a pattern, not an XML parser: the answer
    is small, and nothing in it is expanded."""
    text = body[:65536].decode("utf-8", "replace")
    code = headers.get("x-ms-error-code", "") or _element(text, "Code")
    message = _element(text, "Message").splitlines()
    return ServiceError(
        code=code.strip(),
        message=message[0].strip() if message else "",
        detail=_element(text, "AuthenticationErrorDetail"),
    )
