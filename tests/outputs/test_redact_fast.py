"""The redactor's shortcut (skip a pattern whose trigger text is absent) changes nothing.

Every string is compared with a reference that runs each pattern on every string, as the
redactor did before the shortcut.
"""

from __future__ import annotations

import base64
import random

from runner import redact
from runner.redact import MASK, Redactor

KEY = base64.b64encode(bytes(range(64))).decode("ascii")

FRAGMENTS = [
    "sig=",
    "SIG=",
    "Sig=abc%2F",
    "AccountKey=",
    "accountkey=",
    "SharedAccessKey=",
    "KEY=",
    KEY,
    KEY[:40],
    "==",
    "Authorization: Basic ",
    "PROXY-AUTHORIZATION=Negotiate ",
    "password",
    "PassWd",
    "PWD",
    '"',
    "'",
    ":",
    "=",
    "@",
    "://",
    "http://",
    "HTTPS://user:",
    "hunter22",
    "dXNlcjpwYXNz",
    " ",
    "&",
    ";",
    ",",
    "\n",
    "/",
    "+",
    "x",
    "é",
    "\u212a",  # KELVIN SIGN: matches k case-insensitively
    "\u017f",  # LATIN SMALL LETTER LONG S: matches s case-insensitively
    "\u0130",  # LATIN CAPITAL LETTER I WITH DOT ABOVE
    MASK,
]


def reference(redactor: Redactor, text: str) -> str:
    """The redactor without the shortcut: every secret, then every pattern."""
    for secret in sorted(redactor._secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    for pattern, _ in redact._PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text


def generated(count: int, seed: int) -> list[str]:
    chance = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = chance.choices(FRAGMENTS, k=chance.randint(1, 12))
        texts.append("".join(parts))
    return texts


def test_same_as_every_pattern_on_every_string() -> None:
    redactor = Redactor(["hunter22", "p@ss w"])
    texts = generated(20000, seed=6)
    texts += [f"a=b {KEY} c", f"x{KEY}", "sig=ſig=", "ſig=abc", "\u212aey=abc", "accountKey=x"]
    differing = [t for t in texts if redactor.mask(t) != reference(redactor, t)]
    assert differing == []
    masked = [t for t in texts if redactor.mask(t) != t]
    assert len(masked) > 1000  # the generated strings do hold secrets


def test_strings_without_triggers_come_back_unchanged() -> None:
    redactor = Redactor()
    for text in ["resolved to 127.0.0.1 (loopback)", "curl -I https://e0001.bench.example:443"]:
        assert redactor.mask(text) is text or redactor.mask(text) == text


def test_secrets_added_later_are_masked_longest_first() -> None:
    redactor = Redactor(["abcd"])
    assert redactor.mask("abcdef") == "***ef"
    redactor.add("abcdef")
    assert redactor.mask("abcdef abcd") == "*** ***"
