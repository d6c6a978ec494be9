"""The machine seam: real commands without a shell, timeouts, files, recorded machines."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

import runner
from runner.machine import windows_registry
from runner.machine.system import CommandResult, LocalSystem, RecordedSystem


def test_every_runner_module_imports_on_this_platform() -> None:
    names = [m.name for m in pkgutil.walk_packages(runner.__path__, "runner.")]
    names = [n for n in names if n != "runner.__main__"]
    assert "runner.machine.windows_registry" in names
    for name in names:
        assert importlib.import_module(name) is not None


def test_run_returns_exit_code_and_output() -> None:
    code = "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"
    result = LocalSystem().run([sys.executable, "-c", code], timeout=30)
    assert (result.available, result.exit_code, result.timed_out) == (True, 3, False)
    assert result.stdout.strip() == "out"
    assert result.stderr.strip() == "err"
    assert not result.ok


def test_run_never_uses_a_shell() -> None:
    # With a shell, `;` would start a second command; as one argv element it is just text.
    result = LocalSystem().run([sys.executable, "-c", "import sys; print(sys.argv[1])", "a; b"], 30)
    assert result.stdout.strip() == "a; b"


def test_missing_command_is_not_available() -> None:
    result = LocalSystem().run(["asrcheck-no-such-command-xyz"], timeout=5)
    assert not result.available
    assert result.describe() == "not available (command not found)"


def test_command_timeout_is_enforced() -> None:
    result = LocalSystem().run([sys.executable, "-c", "import time; time.sleep(30)"], 0.5)
    assert result.timed_out
    assert result.describe() == "timed out"


def test_read_file(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("hello\n", encoding="utf-8")
    system = LocalSystem()
    assert system.read_file(str(path)) == "hello\n"
    assert system.read_file(str(tmp_path / "missing")) is None
    assert system.list_dir(str(tmp_path)) == ["f.txt"]
    assert system.list_dir(str(tmp_path / "missing")) is None


def test_registry_is_absent_off_windows() -> None:
    if sys.platform == "win32":
        return
    assert windows_registry.values(r"HKLM\SOFTWARE") is None
    assert LocalSystem().registry_subkeys(r"HKLM\SOFTWARE") is None


def test_recorded_system_serves_snapshots(windows: RecordedSystem) -> None:
    key = r"HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols"
    assert windows.registry_subkeys(key) == ["SSL 2.0", "TLS 1.0", "TLS 1.2"]
    assert windows.registry_values(key + r"\tls 1.2\client") == {
        "Enabled": 1,
        "DisabledByDefault": 0,
    }
    assert windows.registry_values(key + r"\TLS 1.3") is None
    assert windows.run(["ipconfig", "/all"], 5).stdout.startswith("\r\nWindows IP")
    assert not windows.run(["route", "print"], 5).available
    assert windows.calls == [("ipconfig", "/all"), ("route", "print")]


def test_recorded_command_result_is_served_as_is() -> None:
    failed = CommandResult(("ip", "a"), exit_code=1, stderr="boom")
    system = RecordedSystem(commands={("ip", "a"): failed})
    assert system.run(["ip", "a"], 1) is failed
