"""The stdlib DER reader decodes certificate names by their ASN.1 string type."""

from __future__ import annotations

import pytest
from cryptography.x509.name import _ASN1Type

from runner.kinds.net import x509
from tests.peers.hostile import FORGED, certificate


@pytest.mark.parametrize(
    "asn1",
    [
        _ASN1Type.UTF8String,
        _ASN1Type.BMPString,
        _ASN1Type.UniversalString,
        _ASN1Type.PrintableString,
        _ASN1Type.IA5String,
    ],
)
def test_names_decoded_by_string_type(asn1: _ASN1Type) -> None:
    text = (
        "Contoso Root" if asn1 in (_ASN1Type.PrintableString, _ASN1Type.IA5String) else "Cöntoso 根"
    )
    _, der = certificate(["a.test"], names=text, asn1=asn1)
    info = x509.describe(der)
    assert info["subject"] == {"CN": text, "O": text}
    assert info["issuer"]["O"] == text
    assert "DNS:a.test" in info["san"]


def test_label_escapes_and_cuts_names_but_facts_keep_them() -> None:
    _, der = certificate(["a.test"], names=FORGED)
    info = x509.describe(der)
    assert info["subject"]["CN"] == FORGED
    label = x509.label(info["issuer"])
    assert "\x1b" not in label and "\n" not in label
    assert label.startswith("CN=\\x1b[2J\\x1b]0;pwned\\x07Evil\\nPASS")
    _, der = certificate(["a.test"], names="\x1b" * 60)
    assert x509.label(x509.describe(der)["subject"]).endswith("(140 more characters)")


def test_a_certificate_with_many_names_shows_the_first_and_counts_the_rest() -> None:
    hosts = [f"e{index:03d}.test" for index in range(x509.SAN_SHOWN + 7)]
    _, der = certificate(hosts)
    info = x509.describe(der)
    assert info["san"] == [f"DNS:{host}" for host in hosts[: x509.SAN_SHOWN]]
    assert info["san_omitted"] == 7 + 1  # the helper adds one forged name of its own
    _, few = certificate(hosts[:3])
    assert "san_omitted" not in x509.describe(few)


def test_a_certificate_seen_again_is_described_equally_and_callers_cannot_spoil_it() -> None:
    _, der = certificate(["a.test", "b.test"])
    first = x509.describe(der)
    kept = {
        key: value.copy() if isinstance(value, (dict, list)) else value
        for key, value in first.items()
    }
    first["san"].append("DNS:spoiled.test")
    first["subject"]["CN"] = "spoiled"
    assert x509.describe(der) == kept
    assert kept["san"][:2] == ["DNS:a.test", "DNS:b.test"]
