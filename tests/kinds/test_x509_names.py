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
