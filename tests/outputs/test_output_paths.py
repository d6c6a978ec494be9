"""Outputs never destroy or lose anything: --json / --log targets, support-log names,
unwritable places, a closed or full console (issue #11)."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from runner import cli
from tests.helpers import e2e
from tests.peers.tls import Pki

STEPS = "  - id: machine\n    kind: machine\n"


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "plan.yaml"
    text = e2e.plan_text([], STEPS) + 'log:\n  linux: "fixed.log"\n  windows: "fixed.log"\n'
    path.write_text(text)
    return path


def run(plan: Path, *extra: str) -> int:
    return cli.main(["run", str(plan), "--no-proxy", "-q", *extra])


def test_json_on_a_fifo_is_refused_and_the_fifo_stays(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert run(plan, "--json", str(fifo)) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert fifo.is_fifo()
    assert not (tmp_path / "fixed.log").exists()  # refused before anything ran


def test_log_on_a_fifo_is_refused_not_blocking(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert run(plan, "--log", str(fifo)) == 2
    assert f"--log '{fifo}': not a regular file" in capsys.readouterr().err


def test_json_on_a_directory_or_long_name_is_exit_2(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(plan, "--json", str(tmp_path)) == 2
    assert "is a directory" in capsys.readouterr().err
    assert run(plan, "--json", "x" * 256 + ".json") == 2
    assert "longer than 255 bytes" in capsys.readouterr().err
    assert run(plan, "--log", "y" * 300) == 2
    assert "longer than 255 bytes" in capsys.readouterr().err
    (tmp_path / "file").write_text("")
    assert run(plan, "--json", str(tmp_path / "file" / "r.json")) == 2
    err = capsys.readouterr().err
    assert "r.json" in err and "Not a directory" in err
    assert not list(tmp_path.glob("*.log"))


def test_json_symlink_is_written_through(plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    (tmp_path / "link.json").symlink_to(target)
    assert run(plan, "--json", "link.json") == 0
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads(target.read_text())["summary"]["verdict"] == "pass"


def test_outputs_that_are_inputs_are_refused(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = plan.read_text()
    varfile = tmp_path / "vars.yaml"
    varfile.write_text("token: abc\n")
    bundle = Path(Pki().write_bundle(tmp_path / "ca.pem"))  # a bundle without
    pem = bundle.read_text()  # certificates would be refused before the outputs
    cases = [
        ("--json", str(plan), "plan file"),
        ("--log", str(plan), "plan file"),
        ("--json", "./vars.yaml", "--var-file"),
        ("--json", "ca.pem", "CA bundle"),
    ]
    for option, path, what in cases:
        code = run(plan, "--var-file", str(varfile), "--ca-bundle", str(bundle), option, path)
        assert code == 2, (option, path)
        assert f"is the {what}" in capsys.readouterr().err
    assert plan.read_text() == original
    assert varfile.read_text() == "token: abc\n"
    assert bundle.read_text() == pem
    assert run(plan, "--json", "same.out", "--log", "./same.out") == 2
    assert "also the support log" in capsys.readouterr().err
    assert not (tmp_path / "same.out").exists()


def test_explicit_log_replaces_a_file_atomically(plan: Path, tmp_path: Path) -> None:
    (tmp_path / "my.log").write_text("old\n")
    assert run(plan, "--log", "my.log") == 0
    assert (tmp_path / "my.log").read_text().rstrip().endswith("Script Completed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my.log", "plan.yaml"]


def test_a_support_log_is_never_overwritten(plan: Path, tmp_path: Path) -> None:
    killed = "IN PROGRESS (a killed run's partial log)\n"
    (tmp_path / "fixed.log").write_text(killed)
    assert run(plan) == 0
    assert run(plan) == 0
    assert (tmp_path / "fixed.log").read_text() == killed
    for name in ("fixed_2.log", "fixed_3.log"):
        assert (tmp_path / name).read_text().rstrip().endswith("Script Completed")
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*"))


def test_concurrent_runs_in_one_directory_all_keep_their_logs(plan: Path, tmp_path: Path) -> None:
    argv = e2e.command(["run", str(plan), "--no-proxy", "-q"])
    children = [
        subprocess.Popen(argv, cwd=tmp_path, env=e2e.child_env(), stdout=subprocess.DEVNULL)
        for _ in range(4)
    ]
    assert [child.wait(timeout=60) for child in children] == [0, 0, 0, 0]
    logs = sorted(tmp_path.glob("fixed*.log"))
    assert len(logs) == 4
    assert all(log.read_text().rstrip().endswith("Script Completed") for log in logs)


def test_unwritable_current_directory_falls_back_and_says_where(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(e2e.plan_text([], STEPS) + 'log:\n  linux: "fixed.log"\n')
    spare = tmp_path / "spare"
    spare.mkdir()
    # /proc: no process (not even root) can create a file there.
    done = e2e.run(["run", str(plan), "--no-proxy", "-q"], Path("/proc"), {"TMPDIR": str(spare)})
    assert done.code == 0, done.stderr
    assert b"writing it in " + str(spare).encode() + b" instead" in done.stdout
    assert (spare / "fixed.log").read_text().rstrip().endswith("Script Completed")


def test_unwritable_output_dir_is_exit_2(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(plan, "--output-dir", "/proc") == 2
    assert "--output-dir '/proc': cannot write in '/proc'" in capsys.readouterr().err


def _limit_file_size(size: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def test_disk_full_during_the_final_write_is_not_success(plan: Path, tmp_path: Path) -> None:
    argv = e2e.command(["run", str(plan), "--no-proxy", "-q"])
    done = subprocess.run(
        argv,
        cwd=tmp_path,
        env=e2e.child_env(),
        capture_output=True,
        timeout=60,
        preexec_fn=lambda: _limit_file_size(3000),  # the streaming log fits, the final not
    )
    assert done.returncode == 3, done.stderr
    assert b"cannot write the support log" in done.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name != "plan.yaml"] == ["fixed.log"]


def test_a_closed_console_stops_console_output_only(plan: Path, tmp_path: Path) -> None:
    argv = e2e.command(["run", str(plan), "--no-proxy", "--json", "r.json"])
    child = subprocess.Popen(
        argv, cwd=tmp_path, env=e2e.child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # `| head -0`: the reader is gone before the first line
    err = child.stderr.read()
    child.stderr.close()
    assert child.wait(timeout=60) == 0, err
    assert b"Error" not in err
    assert (tmp_path / "fixed.log").read_text().rstrip().endswith("Script Completed")
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["verdict"] == "pass"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_console_on_a_full_disk_still_writes_the_log(plan: Path, tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            e2e.command(["run", str(plan), "--no-proxy"]),
            cwd=tmp_path,
            env=e2e.child_env(),
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "fixed.log").read_text().rstrip().endswith("Script Completed")


def test_json_to_the_console_is_written_in_place(plan: Path, tmp_path: Path) -> None:
    # /dev/fd/1, not /dev/stdout: a regression must not be able to replace /dev/stdout
    # (as root it would); a temporary file cannot be created in /dev/fd.
    done = e2e.run(["run", str(plan), "--no-proxy", "-q", "--json", "/dev/fd/1"], tmp_path)
    assert done.code == 0, done.stderr
    assert b'"schema_version": 1' in done.stdout
    assert Path("/dev/stdout").is_symlink() or not Path("/dev/stdout").exists()


@pytest.mark.parametrize("pattern", ["..", "a\\0b.log", "n" * 300])
def test_a_bad_plan_log_pattern_is_about_the_plan(
    tmp_path: Path, pattern: str, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(e2e.plan_text([], STEPS) + f'log:\n  linux: "{pattern}"\n')
    assert cli.main(["run", str(plan), "--no-proxy", "-q"]) == 2
    err = capsys.readouterr().err
    assert "the plan's log: pattern" in err and "--log" not in err


def test_a_json_report_that_cannot_be_written_does_not_stop_the_log(tmp_path: Path) -> None:
    from tests.peers.tcp import Blackhole

    with Blackhole() as hole:
        plan = tmp_path / "plan.yaml"
        text = e2e.plan_text([("hole", "127.0.0.1", hole.port)], STEPS, timeout=2)
        plan.write_text(text + 'log:\n  linux: "fixed.log"\n')
        (tmp_path / "out").mkdir()
        argv = ["run", str(plan), "--no-proxy", "-q", "--json", "out/r.json"]
        child = subprocess.Popen(
            e2e.command(argv),
            cwd=tmp_path,
            env=e2e.child_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        log = tmp_path / "fixed.log"
        end = time.monotonic() + 20
        while not (log.exists() and "Results as they finished" in log.read_text()):
            assert time.monotonic() < end and child.poll() is None
            time.sleep(0.01)
        shutil.rmtree(tmp_path / "out")  # the JSON report's directory goes away mid-run
        _, err = child.communicate(timeout=30)
    assert child.returncode == 1, err  # the blackholed check failed; never 0 or 3
    assert b"cannot write the JSON report" in err
    assert log.read_text().rstrip().endswith("Script Completed")


def test_an_output_on_a_parent_plan_is_refused(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parent = tmp_path / "parent.yaml"
    parent.write_text(plan.read_text().replace("name: e2e", "name: parent"))
    child = tmp_path / "child.yaml"
    child.write_text(
        "plan_format: 1\nname: child\nversion: 1.0.0\nscenario: TEST\n"
        "description: A child plan.\nextends: ./parent.yaml\n"
    )
    before = parent.read_text()
    assert cli.main(["run", str(child), "--no-proxy", "-q", "--json", "parent.yaml"]) == 2
    assert "is the plan file" in capsys.readouterr().err
    assert parent.read_text() == before


CHILD = "plan_format: 1\nname: {name}\nversion: 1.0.0\nscenario: TEST\ndescription: A plan.\n"
VARS_ONLY = "vars:\n  region:\n    type: string\n    description: A region.\n    default: x\n"


@pytest.mark.parametrize("option", ["--json", "--log"])
def test_an_output_on_a_parent_plan_that_adds_only_vars_is_refused(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    """The middle plan contributes no endpoint or step, only a variable: still an input."""
    middle = tmp_path / "middle.yaml"
    middle.write_text(CHILD.format(name="middle") + "extends: ./plan.yaml\n" + VARS_ONLY)
    child = tmp_path / "child.yaml"
    child.write_text(CHILD.format(name="child") + "extends: ./middle.yaml\n")
    before = middle.read_text()
    code = cli.main(["run", str(child), "--no-proxy", "-q", option, "middle.yaml"])
    assert code == 2
    assert f"{option} 'middle.yaml' is the plan file: it would be overwritten" in (
        capsys.readouterr().err
    )
    assert middle.read_text() == before
    assert not list(tmp_path.glob("*.log"))  # refused before the run


def test_a_child_that_adds_only_vars_runs_and_bad_ones_are_located(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = tmp_path / "child.yaml"
    child.write_text(CHILD.format(name="child") + "extends: ./plan.yaml\n" + VARS_ONLY)
    assert cli.main(["run", str(child), "--no-proxy", "-q", "--json", "r.json"]) == 0
    assert json.loads((tmp_path / "r.json").read_text())["plan"]["variables"]["region"] == "x"
    capsys.readouterr()
    child.write_text(
        CHILD.format(name="child") + "extends: ./plan.yaml\nvars:\n  token:\n    type: integer\n"
    )
    assert cli.main(["run", str(child), "--no-proxy", "-q"]) == 2
    err = capsys.readouterr().err
    assert f"{child}:9:5: vars.token.type: inherited variable 'token'" in err
    child.write_text(CHILD.format(name="child") + "extends: ./plan.yaml\nvars:\n  region: 5\n")
    assert cli.main(["run", str(child), "--no-proxy", "-q"]) == 2
    assert f"{child}:8:11: vars.region: 5 is not of type 'object'" in capsys.readouterr().err
