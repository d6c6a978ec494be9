"""Peer-supplied text is shown escaped, on one line, and cut."""

from __future__ import annotations

from runner import peer_text


def test_controls_newlines_and_format_characters_are_visible() -> None:
    text = "a\x1b[2Jb\nc\rd\te\x07f\x9bg\u202eh\u2028i\x00"
    assert peer_text.escaped(text) == "a\\x1b[2Jb\\nc\\rd\\te\\x07f\\x9bg\\u202eh\\u2028i\\x00"


def test_plain_and_international_text_unchanged() -> None:
    for text in ("Microsoft Azure RSA TLS Issuing CA 04", "Cöntoso 根 Ñ", ""):
        assert peer_text.escaped(text) == text
        assert peer_text.shown(text) == text


def test_shown_cuts_long_values_and_says_how_much() -> None:
    assert peer_text.shown("x" * 250) == "x" * 200 + "... (50 more characters)"
    assert peer_text.shown("\x1b" * 10, limit=8) == "\\x1b\\x1b... (32 more characters)"


def test_hint_lines_keep_their_breaks() -> None:
    assert peer_text.lines_escaped("one\x1b\ntwo") == "one\\x1b\ntwo"
