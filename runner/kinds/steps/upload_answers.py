"""What the blob upload's answers mean: the timing judged against ASR's threshold, the
storage service's refusals as reason codes, the cleanup, and the commands to try by hand."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from runner.kinds.base import StepOutcome, Via
from runner.kinds.net import blob_service
from runner.kinds.net.blob_service import Container
from runner.kinds.net.http_failures import reason_of
from runner.peer_text import shown
from runner.results import Status

#: ASR's threshold: 4 MiB in 3 seconds (slower: latency-bound replication, 153007).
THRESHOLD_MIB, THRESHOLD_S = 4.0, 3.0
_MIB = 1024 * 1024
#: 403 error codes of the Blob service, by reason.
_NOT_AUTHORIZED = ("AuthorizationFailure", "AuthorizationSourceIPMismatch")
_PERMISSION = (
    "AuthorizationPermissionMismatch",
    "AuthorizationResourceTypeMismatch",
    "AuthorizationServiceMismatch",
)


@dataclass
class Timing:
    """Monotonic times of one Put Blob: request start, first body byte, the answer."""

    started: float
    body_started: float | None = None
    answered: float | None = None


def allowed_seconds(size: int) -> float:
    """ASR's threshold scaled to `size` bytes: 3 s for 4 MiB."""
    return THRESHOLD_S * (size / _MIB) / THRESHOLD_MIB


def _seconds(timing: Timing) -> tuple[float, float]:
    """(first body byte to the 201, request start to the 201) of one upload."""
    answered = timing.answered if timing.answered is not None else timing.started
    body = max(answered - (timing.body_started or timing.started), 1e-6)
    return body, answered - timing.started


def judged(
    timings: list[Timing], size: int, response: Any, command: str, facts: dict[str, Any]
) -> StepOutcome:
    """The uploads' timing (the median of several) against the threshold: pass, or warn
    `upload-slow`."""
    each = sorted((_seconds(timing) for timing in timings), key=lambda pair: pair[0])
    upload_s, total_s = each[len(each) // 2]
    mib, allowed = size / _MIB, allowed_seconds(size)
    rate = mib / upload_s
    facts = {
        **facts,
        "status": response.status_code,
        "request_id": response.headers.get("x-ms-request-id", ""),
        "upload_s": round(upload_s, 3),
        "time_to_201_s": round(total_s, 3),
        "throughput_mib_s": round(rate, 2) if math.isfinite(rate) else None,
        "threshold_s": round(allowed, 3),
    }
    seen = (
        f"uploaded {mib:g} MiB in {upload_s:.2f}s ({rate:.1f} MiB/s; 201 after "
        f"{total_s:.2f}s with the connection)"
    )
    if len(each) > 1:
        facts["uploads_s"] = [round(body, 3) for body, _ in each]
        seen = f"{seen}, the median of {len(each)} uploads (slowest {each[-1][0]:.2f}s)"
    limit = "ASR's 4 MB in 3 s"
    if size != 4 * _MIB:
        limit = f"{allowed:.3g}s ({limit}, scaled to {mib:g} MiB)"
    if upload_s > allowed:
        detail = f"{seen}: slower than {limit}"
        return StepOutcome("blob-upload", Status.WARN, "upload-slow", detail, command, facts)
    detail = f"{seen}: within {limit}"
    return StepOutcome("blob-upload", Status.PASS, "ok", detail, command, facts)


def failed(reason: str, detail: str, command: str, facts: dict[str, Any]) -> StepOutcome:
    return StepOutcome("blob-upload", Status.FAIL, reason, detail, command, facts)


def why(error: BaseException, via: Via) -> tuple[str, str]:
    return reason_of(error, proxied=via.proxy is not None)


def connection_failed(
    error: BaseException, via: Via, command: str, facts: dict[str, Any]
) -> StepOutcome:
    """The connection (or the proxy) failed: the stages' reason codes."""
    reason, words = why(error, via)
    return failed(reason, f"no upload: {words}", command, facts)


def _reason(status: int, error: blob_service.ServiceError) -> str:
    if status == 404:
        return "container-not-found"
    if status != 403:
        return "upload-error"
    # Azure says AuthenticationFailed, the emulator AuthorizationFailure; both say this.
    failed_auth = error.message.startswith("Server failed to authenticate")
    code = error.code
    if code == "AuthenticationFailed" or failed_auth:
        return "upload-auth-failed"
    if code in _NOT_AUTHORIZED:
        return "upload-not-authorized"
    return "upload-permission" if code in _PERMISSION else "upload-error"


def _which_credential(container: Container, error: blob_service.ServiceError) -> str:
    """Which credential the service refused, as far as the answer and the SAS tell."""
    if container.key is not None:
        return f"the account key is not a key of {container.account} (wrong, or rotated)"
    expiry = blob_service.sas_field(container.sas, "se")
    try:
        moment = datetime.fromisoformat(expiry.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        if moment < datetime.now(timezone.utc):
            return f"the SAS expired at {expiry} (se=)"
    except ValueError:
        pass
    words = error.detail.lower()
    if "expir" in words or "start time" in words or "not valid" in words:
        return f"the SAS is expired or not yet valid (se={expiry or '?'})"
    if "signature" in words or "signature" in error.message.lower():
        return "the SAS signature does not match (copied incompletely, or its key was rotated)"
    return "the SAS is malformed or not for this account"


def answer_words(response: Any) -> str:
    """`403 AuthorizationPermissionMismatch: This request is not authorized ...`."""
    error = blob_service.service_error(response.headers, response.content)
    code = f" {shown(error.code)}" if error.code else ""
    message = f": {shown(error.message)}" if error.message else ""
    return f"{response.status_code}{code}{message}"


def refused(
    response: Any, container: Container, command: str, facts: dict[str, Any], what: str
) -> StepOutcome:
    """The service answered the create or upload with an error: its reason code."""
    error = blob_service.service_error(response.headers, response.content)
    reason = _reason(response.status_code, error)
    facts = {
        **facts,
        "status": response.status_code,
        "error_code": error.code,
        "message": error.message,
        "authentication_detail": error.detail,
        "request_id": response.headers.get("x-ms-request-id", ""),
    }
    asked = "creating the temporary container" if what == "create" else "the upload"
    detail = f"{asked} was refused: {answer_words(response)}"
    if reason == "upload-auth-failed":
        detail += f"; {_which_credential(container, error)}"
    if reason == "container-not-found":
        detail += f"; container {shown(container.name)} does not exist"
    return failed(reason, detail, command, facts)


def leftover(container: Container, blob: str, temporary: bool) -> str:
    """What the test created, as a user finds it in the portal."""
    if temporary:
        return f"temporary container {container.name} (with blob {blob})"
    return f"blob {blob} in container {container.name}"


def cleaned(detail: str, response: Any) -> StepOutcome:
    facts = {
        "status": response.status_code,
        "request_id": response.headers.get("x-ms-request-id", ""),
    }
    return StepOutcome("blob-cleanup", Status.PASS, "ok", detail, facts=facts)


def cleanup_failed(
    detail: str, container: Container, blob: str, temporary: bool, response: Any = None
) -> StepOutcome:
    """A warning naming exactly what to delete by hand, and how."""
    facts: dict[str, Any] = {"container": container.name, "blob": blob}
    if response is not None:
        facts["status"] = response.status_code
        facts["request_id"] = response.headers.get("x-ms-request-id", "")
    if temporary:
        hint = (
            f"Delete the container {container.name} by hand: portal > storage account "
            f"{container.account} > Containers > {container.name} > Delete, or "
            f"az storage container delete -n {container.name} --account-name "
            f"{container.account} --account-key ***"
        )
    else:
        hint = (
            f"Delete the blob {blob} from the container {container.name} by hand: portal > "
            f"storage account > Containers > {container.name} > {blob} > Delete, or "
            f'curl -X DELETE "{container.url(blob, shown=True)}" with a SAS that allows delete'
        )
    return StepOutcome("blob-cleanup", Status.WARN, "upload-cleanup", detail, "", facts, hint)


def _dummy(size: int) -> tuple[str, str]:
    """The test file's name and how to make it (Linux, Windows)."""
    name = "dummy4MB.dat" if size == 4 * _MIB else f"dummy{size}.dat"
    make = f"head -c {size} /dev/urandom > {name}; Windows: fsutil file createnew {name} {size}"
    return name, make


def manual_command(container: Container, blob: str, size: int, via: Via) -> str:
    """curl and AzCopy with the SAS masked; with a key, Azure CLI (the key masked)."""
    name, make = _dummy(size)
    proxy = via.route.proxy if via.route.kind == "proxy" else None
    if container.key is not None:
        auth = f"--account-name {container.account} --account-key ***"
        return (
            f"az storage container create -n {container.name} {auth} && az storage blob "
            f"upload -c {container.name} -n {blob} -f {name} {auth}"
            + (f" (with HTTPS_PROXY={proxy})" if proxy else "")
            + f"  (make the file: {make})"
        )
    url = container.url(blob, shown=True)
    curl_proxy = f" --proxy {proxy}" if proxy else ""
    env = f"HTTPS_PROXY={proxy} " if proxy else ""
    return (
        f'curl -X PUT -H "x-ms-blob-type: BlockBlob" --data-binary @{name}{curl_proxy} "{url}"'
        f'  (AzCopy: {env}azcopy copy {name} "{url}"; make the file: {make})'
    )
