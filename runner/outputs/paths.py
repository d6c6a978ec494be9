"""Output paths (`--json`, `--log`, the support log's directory), checked before a run.

Rules, so that no output destroys anything:

* A regular file is replaced atomically (temporary file in the same directory, then
  `os.replace`); a missing one is created.
* A symbolic link is written through: its target is replaced, the link stays.
* `/dev/stdout`, `/dev/stderr` (and `/dev/fd/1`, `/dev/fd/2`) are written in place, where
  that is what the user meant; any other device, FIFO, socket or directory is refused.
* An output that is one of the run's inputs (plan, `--var-file`, CA bundle), or two
  outputs at one path, is a usage error.
* The directory must let us create a file there (tried, not guessed from mode bits), and
  no path component may be longer than NAME_MAX bytes.

Every refusal is a `UsageError` naming the option, the path and the OS error: exit 2
before any check runs.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from runner.errors import UsageError

#: The longest file name most file systems take (ext4, xfs, NTFS in UTF-16 units).
NAME_MAX = 255

#: Paths written in place: the process's own console streams.
IN_PLACE = frozenset({"/dev/stdout", "/dev/stderr", "/dev/fd/1", "/dev/fd/2"})


@dataclass(frozen=True)
class Target:
    """Where an output goes: `path` with symlinks resolved; `in_place` for a stream."""

    path: Path
    in_place: bool = False


def check_name_lengths(given: str, option: str) -> None:
    """UsageError when a component of `given` is longer than NAME_MAX bytes."""
    for part in Path(given).parts:
        if len(os.fsencode(part)) > NAME_MAX:
            raise UsageError(
                f"{option} {_short(given)!r}: a file name is longer than {NAME_MAX} bytes"
            )


def _short(text: str) -> str:
    return text if len(text) <= 80 else f"{text[:60]}...{text[-12:]}"


def check_output(
    given: str, option: str, *, in_place_ok: bool = False, create_dir: bool = False
) -> Target:
    """The checked target of an output option (see the module docstring); a missing
    directory is created with `create_dir`, else refused."""
    check_name_lengths(given, option)
    if in_place_ok and given in IN_PLACE:
        return Target(Path(given), in_place=True)
    real = Path(os.path.realpath(given))
    try:
        mode: int | None = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise UsageError(f"{option} {_short(given)!r}: {error.strerror or error}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise UsageError(f"{option} {_short(given)!r}: is a directory")
    if mode is not None and not stat.S_ISREG(mode):
        raise UsageError(
            f"{option} {_short(given)!r}: not a regular file (a device, FIFO or socket); "
            "give the path of a file"
        )
    if not create_dir and not real.parent.is_dir():
        raise UsageError(f"{option} {_short(given)!r}: the directory does not exist")
    check_directory(real.parent, f"{option} {_short(given)!r}")
    return Target(real if os.path.islink(given) else Path(given))


def check_directory(directory: Path, what: str) -> None:
    """UsageError unless a file can be created in `directory` (created when missing)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".asrcheck-probe-", dir=directory)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError(f"{what}: cannot write in {str(directory)!r}: {reason}") from None


def _identity(path: str) -> tuple[int, int] | str:
    """(device, inode) of an existing file, else its resolved path."""
    try:
        status = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return (status.st_dev, status.st_ino)


def refuse_inputs(target: Target, option: str, inputs: Iterable[tuple[str, str]]) -> None:
    """UsageError when `target` is one of `inputs` ((what, path) pairs)."""
    if target.in_place:
        return
    mine = _identity(str(target.path))
    for what, path in inputs:
        if path and _identity(path) == mine:
            raise UsageError(
                f"{option} {str(target.path)!r} is the {what}: it would be overwritten"
            )


def same(first: Target, second: Target) -> bool:
    """True when two targets are the same file."""
    if first.in_place or second.in_place:
        return first.path == second.path
    return _identity(str(first.path)) == _identity(str(second.path))
