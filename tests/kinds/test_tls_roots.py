"""tls-config on Linux: which roots ASR needs are in the CA bundle (real certificates)."""

from __future__ import annotations

import asyncio
import datetime
import ssl

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from runner.context import Context
from runner.kinds.base import StepOutcome
from runner.kinds.steps import tls_config, tls_roots
from runner.machine.system import RecordedSystem
from runner.model import Step
from runner.results import Status


def root_pem(common_name: str) -> str:
    """A self-signed CA certificate with this common name, as PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def run_tls(system: RecordedSystem, bundle: str, **params: object) -> dict[str, StepOutcome]:
    step = Step(id="tls", kind="tls-config", params=params)
    outcomes = asyncio.run(tls_config.run(step, Context(system=system, ca_bundle=bundle)))
    return {o.check: o for o in outcomes}


def test_subjects_read_from_a_bundle() -> None:
    text = root_pem("DigiCert Global Root G2") + "junk\n" + root_pem("Example Corp Root")
    assert sorted(tls_roots.subjects(text)) == ["DigiCert Global Root G2", "Example Corp Root"]


def test_bundle_with_an_asr_root_passes() -> None:
    bundle = root_pem("DigiCert Global Root CA") + root_pem("Some Other Root")
    found = run_tls(RecordedSystem(files={"/pki/bundle.pem": bundle}), "/pki/bundle.pem")
    roots = found["tls:roots"]
    assert (roots.status, roots.reason) == (Status.PASS, "ok")
    assert roots.facts["present"] == ["DigiCert Global Root CA"]
    assert "Baltimore CyberTrust Root" in roots.facts["missing"]
    assert roots.facts["certificates"] == 2
    assert found["tls:openssl"].facts["ca_bundle_option"] == "/pki/bundle.pem"


def test_bundle_without_asr_roots_is_a_finding() -> None:
    system = RecordedSystem(files={"/pki/corp.pem": root_pem("Contoso Inspection CA")})
    roots = run_tls(system, "/pki/corp.pem")["tls:roots"]
    assert (roots.status, roots.reason) == (Status.WARN, "finding")
    assert "151066" in roots.hint


def test_plan_can_choose_the_roots() -> None:
    system = RecordedSystem(files={"/pki/corp.pem": root_pem("Contoso Inspection CA")})
    roots = run_tls(system, "/pki/corp.pem", roots=["Contoso Inspection CA"])["tls:roots"]
    assert roots.status is Status.PASS
    assert roots.facts["missing"] == []


def test_unreadable_ca_bundle_option_is_not_replaced_by_the_system_one() -> None:
    roots = run_tls(RecordedSystem(), "/pki/missing.pem")["tls:roots"]
    assert (roots.status, roots.reason) == (Status.SKIP, "not-available")
    assert "/pki/missing.pem" in roots.detail


def test_ca_directory_is_scanned_when_there_is_no_ca_file() -> None:
    paths = ssl.get_default_verify_paths()
    capath = paths.capath or paths.openssl_capath
    files = {
        f"{capath}/DigiCert_Global_Root_G2.pem": root_pem("DigiCert Global Root G2"),
        f"{capath}/607986c7.0": root_pem("Baltimore CyberTrust Root"),
    }
    step = Step(id="tls", kind="tls-config")
    outcomes = asyncio.run(tls_config.run(step, Context(system=RecordedSystem(files=files))))
    roots = {o.check: o for o in outcomes}["tls:roots"]
    assert roots.status is Status.PASS
    assert roots.facts["bundle"] == capath
    assert roots.facts["present"] == ["Baltimore CyberTrust Root", "DigiCert Global Root G2"]
