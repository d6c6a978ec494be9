"""Which root certificates ASR needs are in the CA bundle in use (helper of `tls-config`).

Roots from asr-facts.md section 6 / error 151066: Baltimore CyberTrust Root, DigiCert
Global Root CA, VeriSign Class 3 Public Primary Certification Authority - G5. DigiCert
Global Root G2 is added [inferred]: it is the root of Microsoft's current public TLS
chains, not named by the facts. Plans can replace the list (`with: {roots: [...]}`).
The bundle is the `--ca-bundle` file, else OpenSSL's default CA file, else the files of its
default CA directory; subjects are read with the `ssl` module (no extra dependency).
"""

from __future__ import annotations

import re
import ssl
from typing import Any

from runner.context import Context
from runner.kinds.base import StepOutcome
from runner.machine.system import System
from runner.results import Status

DEFAULT_ROOTS = (
    "Baltimore CyberTrust Root",
    "DigiCert Global Root CA",
    "VeriSign Class 3 Public Primary Certification Authority - G5",
    "DigiCert Global Root G2",
)
_PEM = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)
_MAX_FILES = 2000
_HINT = (
    "Refresh the system CA bundle (RHEL: update-ca-trust with /etc/pki/ca-trust; SUSE: "
    "/etc/ssl/certs and c_rehash; Debian/Ubuntu: update-ca-certificates). ASR reports 151066."
)


def bundle_text(system: System, ctx: Context) -> tuple[str, str | None]:
    """(where, PEM text) of the CA bundle in use; text None when nothing could be read."""
    paths = ssl.get_default_verify_paths()
    chosen = (ctx.ca_bundle,) if ctx.ca_bundle else (paths.cafile, paths.openssl_cafile)
    for cafile in chosen:
        if cafile:
            text = system.read_file(cafile)
            if text is not None:
                return cafile, text
    if ctx.ca_bundle:
        return ctx.ca_bundle, None
    capath = paths.capath or paths.openssl_capath
    names = system.list_dir(capath) if capath else None
    if not capath or not names:
        return capath or "(no CA bundle)", None
    parts = [system.read_file(f"{capath}/{name}") or "" for name in names[:_MAX_FILES]]
    return capath, "\n".join(parts)


def subjects(pem_text: str) -> list[str]:
    """The common names (or organizations) of every CA certificate in the PEM text."""
    blocks = list(dict.fromkeys(_PEM.findall(pem_text)))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    names: list[str] = []
    for block in blocks:
        _load(context, block)
    for cert in context.get_ca_certs():
        fields: dict[str, str] = {}
        for rdn in cert.get("subject", ()):
            for pair in rdn:
                if isinstance(pair, tuple) and len(pair) == 2:
                    fields[str(pair[0])] = str(pair[1])
        names.append(fields.get("commonName") or fields.get("organizationName") or "?")
    return names


def _load(context: ssl.SSLContext, block: str) -> None:
    """Adds one PEM certificate; a damaged one is skipped."""
    try:
        context.load_verify_locations(cadata=block)
    except ssl.SSLError:
        pass


def roots_outcome(system: System, ctx: Context, roots: tuple[str, ...]) -> StepOutcome:
    """Pass when the bundle holds at least one needed root; warn when it holds none."""
    where, text = bundle_text(system, ctx)
    command = (
        f"openssl crl2pkcs7 -nocrl -certfile {where} | openssl pkcs7 -print_certs -noout"
        " | grep subject"
    )
    if text is None:
        return StepOutcome("tls:roots", Status.SKIP, "not-available", f"no CA bundle at {where}")
    found = {name.lower() for name in subjects(text)}
    present = [root for root in roots if root.lower() in found]
    missing = [root for root in roots if root.lower() not in found]
    facts: dict[str, Any] = {
        "bundle": where,
        "certificates": len(found),
        "present": present,
        "missing": missing,
    }
    detail = f"{where}: {len(found)} CA certificates; ASR roots present: " + (
        ", ".join(present) or "none"
    )
    if missing:
        detail += "; missing: " + ", ".join(missing)
    if not present:
        return StepOutcome("tls:roots", Status.WARN, "finding", detail, command, facts, _HINT)
    return StepOutcome("tls:roots", Status.PASS, "ok", detail, command, facts)
