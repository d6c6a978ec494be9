"""The machine seam: every collector observes the machine only through a `System`.

`LocalSystem` is the real machine: it runs argument lists (never a shell), each with its
own timeout, reads files, and on Windows reads the registry with `winreg` (imported only
there, so every module imports on Linux). `RecordedSystem` serves recorded command
outputs, files and registry snapshots: tests use it to parse Windows output on Linux.

Registry keys are written as one string with the hive first, e.g.
`HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319` (hives: HKLM, HKCU, HKU). The
32-bit view is addressed through its `WOW6432Node` path, as Microsoft documents it.
"""

from __future__ import annotations

import os
import platform
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from runner.machine import windows_registry

#: Registry value data: DWORD/QWORD as int, strings as str, binary as hex text, lists.
RegValues = dict[str, Any]


@dataclass(frozen=True)
class CommandResult:
    """What one command did. `available` is False when the program does not exist."""

    argv: tuple[str, ...]
    available: bool = True
    exit_code: int | None = 0
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.available and not self.timed_out and self.exit_code == 0

    def describe(self) -> str:
        """One line: how the command ended."""
        if not self.available:
            return "not available (command not found)"
        if self.timed_out:
            return "timed out"
        return f"exit code {self.exit_code}"


class System(Protocol):
    """What collectors may ask of the machine."""

    def platform(self) -> str:
        """ "linux", "windows" or another `sys.platform` value."""
        ...

    def hostname(self) -> str: ...

    def uname(self) -> Mapping[str, str]:
        """system, release, version and machine, as `platform.uname()` says."""
        ...

    def environ(self) -> Mapping[str, str]: ...

    def run(self, argv: Sequence[str], timeout: float) -> CommandResult: ...

    def read_file(self, path: str) -> str | None:
        """The file's text, or None when it does not exist or cannot be read."""
        ...

    def list_dir(self, path: str) -> list[str] | None: ...

    def registry_values(self, key: str) -> RegValues | None:
        """The values of a registry key, or None when the key does not exist."""
        ...

    def registry_subkeys(self, key: str) -> list[str] | None: ...


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        codec = "oem" if sys.platform == "win32" else "latin-1"
        return data.decode(codec, errors="replace")


class LocalSystem:
    """The machine this process runs on; files under `root` when given (a test's own tree)."""

    def __init__(self, root: str = "") -> None:
        self.root = root

    def _path(self, path: str) -> str:
        return os.path.join(self.root, path.lstrip("/\\")) if self.root else path

    def platform(self) -> str:
        if sys.platform == "win32":
            return "windows"
        return "linux" if sys.platform.startswith("linux") else sys.platform

    def hostname(self) -> str:
        return socket.gethostname()

    def uname(self) -> Mapping[str, str]:
        info = platform.uname()
        return {
            "system": info.system,
            "release": info.release,
            "version": info.version,
            "machine": info.machine,
        }

    def environ(self) -> Mapping[str, str]:
        return dict(os.environ)

    def run(self, argv: Sequence[str], timeout: float) -> CommandResult:
        args = tuple(argv)
        try:
            done = subprocess.run(
                list(args),
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=timeout,
                shell=False,
                check=False,
            )
        except (FileNotFoundError, PermissionError, NotADirectoryError):
            return CommandResult(args, available=False, exit_code=None)
        except subprocess.TimeoutExpired as expired:
            out = _decode(expired.stdout or b"")
            return CommandResult(args, exit_code=None, stdout=out, timed_out=True)
        return CommandResult(
            args, True, done.returncode, _decode(done.stdout), _decode(done.stderr)
        )

    def read_file(self, path: str) -> str | None:
        try:
            with open(self._path(path), "rb") as handle:
                return _decode(handle.read(4 * 1024 * 1024))
        except OSError:
            return None

    def list_dir(self, path: str) -> list[str] | None:
        try:
            return sorted(os.listdir(self._path(path)))
        except OSError:
            return None

    def registry_values(self, key: str) -> RegValues | None:
        return windows_registry.values(key)

    def registry_subkeys(self, key: str) -> list[str] | None:
        return windows_registry.subkeys(key)


@dataclass
class RecordedSystem:
    """A machine made of recorded outputs: commands by argv, files by path, registry keys.

    A command missing from `commands` is "not available"; a value in `commands` may be a
    `CommandResult` or just the stdout text (exit code 0).
    """

    platform_name: str = "linux"
    host: str = "testhost.example.internal"
    uname_info: Mapping[str, str] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)
    commands: Mapping[tuple[str, ...], CommandResult | str] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)
    registry: Mapping[str, RegValues] = field(default_factory=dict)
    #: Every argv `run` was asked for, in order.
    calls: list[tuple[str, ...]] = field(default_factory=list)

    def platform(self) -> str:
        return self.platform_name

    def hostname(self) -> str:
        return self.host

    def uname(self) -> Mapping[str, str]:
        return self.uname_info

    def environ(self) -> Mapping[str, str]:
        return self.env

    def run(self, argv: Sequence[str], timeout: float) -> CommandResult:
        args = tuple(argv)
        self.calls.append(args)
        recorded = self.commands.get(args)
        if recorded is None:
            return CommandResult(args, available=False, exit_code=None)
        if isinstance(recorded, str):
            return CommandResult(args, stdout=recorded)
        return recorded

    def read_file(self, path: str) -> str | None:
        return self.files.get(path)

    def list_dir(self, path: str) -> list[str] | None:
        prefix = path.rstrip("/\\") + ("\\" if self.platform_name == "windows" else "/")
        names = [name[len(prefix) :] for name in self.files if name.startswith(prefix)]
        return sorted(n for n in names if n and "/" not in n and "\\" not in n) or None

    def registry_values(self, key: str) -> RegValues | None:
        for name, values in self.registry.items():
            if name.lower() == key.lower():
                return dict(values)
        return None

    def registry_subkeys(self, key: str) -> list[str] | None:
        prefix = key.lower().rstrip("\\") + "\\"
        found = {
            name[len(prefix) :].split("\\")[0]
            for name in self.registry
            if name.lower().startswith(prefix)
        }
        if not found and self.registry_values(key) is None:
            return None
        return sorted(found)
