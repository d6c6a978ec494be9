"""Secrets are masked whatever form they take in an output."""

from __future__ import annotations

import base64
import json

from runner.redact import Redactor, mask_url

KEY = base64.b64encode(bytes(range(64))).decode("ascii")  # 88 characters, ends with ==


def test_known_secret_in_plain_url_and_json_forms() -> None:
    redactor = Redactor(['p@ss/w"rd'])
    text = 'a p@ss/w"rd b p%40ss%2Fw%22rd c ' + json.dumps({"v": 'p@ss/w"rd'})
    assert redactor.mask(text) == 'a *** b *** c {"v": "***"}'


def test_patterns_without_known_values() -> None:
    redactor = Redactor()
    cases = {
        "https://a.blob.core.windows.net/c?sv=2022&sig=AbC%2Fd%3D&se=1": "sig=***&se=1",
        f"DefaultEndpointsProtocol=https;AccountKey={KEY};EndpointSuffix=x": "AccountKey=***;",
        "Endpoint=sb://n.servicebus.windows.net/;SharedAccessKey=abc123=": "SharedAccessKey=***",
        "Proxy-Authorization: Basic dXNlcjpwYXNz": "Proxy-Authorization: Basic ***",
        "proxy-authorization=Negotiate YIIabc": "proxy-authorization=Negotiate ***",
        "http://user:hunter22@proxy:3128": "http://user:***@proxy:3128",
        "password=hunter22&x=1": "password=***&x=1",
        '{"Password": "hunter22"}': '{"Password": "***"}',
        f"storage key {KEY} given": "storage key *** given",
    }
    for text, expected in cases.items():
        masked = redactor.mask(text)
        assert expected in masked, (text, masked)
        assert "hunter22" not in masked and KEY not in masked


def test_short_values_are_not_registered() -> None:
    assert Redactor(["ab", "", None]).mask("ab cd") == "ab cd"  # type: ignore[list-item]


def test_mask_obj_and_mask_url() -> None:
    redactor = Redactor(["topsecret"])
    assert redactor.mask_obj({"a": ["x topsecret", 3], "b": None}) == {"a": ["x ***", 3], "b": None}
    assert mask_url("http://u:pw@h:8080/p") == "http://u:***@h:8080/p"
    assert mask_url("http://h:8080") == "http://h:8080"
