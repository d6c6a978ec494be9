"""Variable `pattern:` regexes that cannot hang `validate` or `run`.

Python's `re` backtracks: a repeated group that itself repeats or alternates (`^(a+)+$`,
`(a|aa)*`) takes exponential time on a near-miss such as `aaaa...!`, and a thread
cannot be stopped once it is inside `re`. Rather than run each match in a killable
worker process, the pattern language is restricted to what variable patterns need
(character classes, bounded or unbounded repeats of single items, anchors, groups,
alternation outside repeats): inside a repeat that can match more than once there may be
no other such repeat and no alternation, and backreferences are refused. Matching is
then at most polynomial, and values longer than MAX_VALUE characters are refused before
matching, so a match stays fast.
"""

from __future__ import annotations

from typing import Any

try:  # Python 3.11+
    import re._parser as _sre  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Python 3.9, 3.10
    import sre_parse as _sre  # type: ignore[no-redef,unused-ignore]

#: Longest value checked against a pattern (host labels, names, ids are far shorter).
MAX_VALUE = 1024

_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


def risk(pattern: str) -> str | None:
    """Why `pattern` may backtrack badly, or None. `pattern` must compile."""
    return _walk(_sre.parse(pattern), inside_repeat=False)


def _walk(items: Any, inside_repeat: bool) -> str | None:
    for op, arg in items:
        name = str(op)
        if name in ("GROUPREF", "GROUPREF_EXISTS"):
            return "backreferences are not supported in a variable pattern"
        if name in _REPEATS:
            many = arg[1] > 1
            if many and inside_repeat:
                return _NESTED
            found = _walk(arg[2], inside_repeat or many)
        elif name == "BRANCH":
            if inside_repeat:
                return _NESTED
            found = _first(_walk(branch, inside_repeat) for branch in arg[1])
        elif name == "SUBPATTERN":
            found = _walk(arg[-1], inside_repeat)
        elif name in ("ASSERT", "ASSERT_NOT"):
            found = _walk(arg[1], inside_repeat)
        elif name == "ATOMIC_GROUP":
            found = _walk(arg, inside_repeat)
        else:
            found = None
        if found:
            return found
    return None


def _first(reasons: Any) -> str | None:
    return next((reason for reason in reasons if reason), None)


_NESTED = (
    "a repeated group may not itself repeat or alternate (like (a+)+ or (a|ab)*): such "
    "patterns can take exponential time; repeat a character class instead (like [ab]*)"
)
