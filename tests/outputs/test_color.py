"""Colour by the conventions people expect: NO_COLOR and --no-color win, FORCE_COLOR forces
colour into a pipe, TERM=dumb turns it off, a terminal gets it; Windows consoles are asked to
interpret escape codes first (vt_mode)."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from typing import TextIO

import pytest

from runner.outputs import vt_mode
from runner.outputs.color import is_terminal, use_color


def _writing_end(fds: tuple[int, int]) -> Iterator[TextIO]:
    """A text stream on the second descriptor of a pair; both closed after."""
    stream = open(fds[1], "w", encoding="utf-8")
    try:
        yield stream
    finally:
        stream.close()
        os.close(fds[0])


@pytest.fixture
def terminal() -> Iterator[TextIO]:
    """The writing end of a real pseudo-terminal."""
    yield from _writing_end(os.openpty())


@pytest.fixture
def pipe() -> Iterator[TextIO]:
    yield from _writing_end(os.pipe())


def test_a_terminal_gets_colour_a_pipe_does_not(terminal: TextIO, pipe: TextIO) -> None:
    assert is_terminal(terminal) and not is_terminal(pipe)
    assert use_color(terminal, environ={"TERM": "xterm-256color"})
    assert not use_color(pipe, environ={"TERM": "xterm-256color"})
    assert not use_color(io.StringIO(), environ={})


def test_no_color_and_the_option_win_over_everything(terminal: TextIO, pipe: TextIO) -> None:
    assert not use_color(terminal, environ={"NO_COLOR": "1"})
    assert not use_color(terminal, no_color=True, environ={})
    assert not use_color(pipe, environ={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert not use_color(terminal, no_color=True, environ={"FORCE_COLOR": "1"})


def test_empty_values_count_as_unset(terminal: TextIO, pipe: TextIO) -> None:
    assert use_color(terminal, environ={"NO_COLOR": ""})
    assert not use_color(pipe, environ={"FORCE_COLOR": ""})


def test_term_dumb_has_no_colour(terminal: TextIO) -> None:
    assert not use_color(terminal, environ={"TERM": "dumb"})


def test_force_color_colours_a_pipe_and_a_dumb_terminal(terminal: TextIO, pipe: TextIO) -> None:
    assert use_color(pipe, environ={"FORCE_COLOR": "1"})
    assert use_color(io.StringIO(), environ={"FORCE_COLOR": "true"})
    assert use_color(terminal, environ={"FORCE_COLOR": "1", "TERM": "dumb"})


def test_virtual_terminal_mode_is_added_to_the_console_mode() -> None:
    # A Windows console's usual mode (processed and wrapped output, 0x3) gains 0x4.
    assert vt_mode.with_vt(0x3) == 0x7
    assert vt_mode.with_vt(0x7) == 0x7


@pytest.mark.skipif(sys.platform == "win32", reason="outside Windows")
def test_outside_windows_escape_codes_work_as_they_are(terminal: TextIO, pipe: TextIO) -> None:
    assert vt_mode.enable(terminal) is True
    assert vt_mode.enable(pipe) is True
