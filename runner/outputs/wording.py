"""Counted nouns in the words asrcheck prints: `1 endpoint`, `2 endpoints`, `0 steps`."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """`count` and `noun`, plural (an added `s`) unless the count is one."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
