"""Host name rules: DNS names (internationalized too) and IP literals."""

from __future__ import annotations

import pytest

from runner.plan.hostnames import host_problem, to_ascii
from tests.helpers.plans import USES_TEST_KINDS

pytestmark = USES_TEST_KINDS


@pytest.mark.parametrize(
    "host",
    [
        "login.microsoftonline.com",
        "login.microsoftonline.com.",
        "pod01-rcm1.jpe.hypervrecoverymanager.windowsazure.com",
        "_sip._tcp.example.com",
        "bücher.example",
        "例え.テスト",
        "127.0.0.1",
        "::1",
        "2001:db8::1",
        "ｅｘａｍｐｌｅ.com",  # full-width letters map to ASCII (UTS-46)
        "xn--bcher-kva.example",
        "אב.example",
        "a" * 63 + ".example.com",
        ("a" * 62 + ".") * 4 + "c",  # 253 characters
    ],
)
def test_valid(host: str) -> None:
    assert host_problem(host) is None


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("", "is empty"),
        (".", "is empty"),
        ("a b.com", "contains white space"),
        ("a\tb.com", "contains white space"),
        ("a.com;ls", "contains ';', which is not allowed in a host name"),
        ("$(id).com", "contains '$', which is not allowed in a host name"),
        ("a|b.com", "contains '|', which is not allowed in a host name"),
        ("*.servicebus.windows.net", "contains '*', which is not allowed in a host name"),
        ("a\x00b", "contains a control character"),
        (".a.com", "has an empty label (two dots in a row, or a leading dot)"),
        ("a..com", "has an empty label (two dots in a row, or a leading dot)"),
        ("a-.com", "label 'a-' may hold only letters, digits and inner hyphens"),
        ("a/b.com", "label 'a/b' may hold only letters, digits and inner hyphens"),
        ("ü" * 60 + ".de", f"label {'ü' * 20!r}... is 66 characters long (at most 63)"),
        (("a" * 62 + ".") * 4 + "com", "is 255 characters long (at most 253)"),
        ("xn--zz.com", "label 'xn--zz' is not a valid internationalized label"),
        ("aא.com", "label 'aא' is not a valid internationalized label"),  # bidi rule
        ("[127.10.0.11]", "brackets are URL syntax: write the IP address as 127.10.0.11"),
        ("[2001:db8::1]", "brackets are URL syntax: write the IP address as 2001:db8::1"),
    ],
)
def test_invalid(host: str, reason: str) -> None:
    assert host_problem(host) == reason


@pytest.mark.parametrize(
    ("host", "ascii"),
    [
        ("ｅｘａｍｐｌｅ.com", "example.com"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("Bücher.Example.", "xn--bcher-kva.Example."),
        ("例え.テスト", "xn--r8jz45g.xn--zckzah"),
        ("_sip._tcp.example.com", "_sip._tcp.example.com"),
        ("::1", "::1"),
    ],
)
def test_ascii_form_is_idna_2008(host: str, ascii: str) -> None:
    assert to_ascii(host) == ascii
