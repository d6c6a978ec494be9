"""Every asrcheck command shown in `asrcheck --help` and in README's shell blocks works
with the real built-in plans: the variables, sections and files it names exist.

`run` examples are resolved with `show` (same plan options, nothing is contacted); the
README's `my-a2a.yaml` is written from the README itself.
"""

from __future__ import annotations

import glob
import re
import shlex
from pathlib import Path

import pytest

from runner import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: Options of `run` that `show` does not take, and whether each takes a value.
RUN_ONLY = {
    "--proxy": True,
    "--proxy-user": True,
    "--json": True,
    "--log": True,
    "--output-dir": True,
    "--dns-server": True,
    "--ca-bundle": True,
    "--timeout": True,
    "--deadline": True,
    "--concurrency": True,
    "--no-proxy": False,
    "-q": False,
    "-v": False,
    "--no-color": False,
}


def _commands(text: str) -> list[str]:
    """`asrcheck ...` command lines (continuations joined), without comments or `...`."""
    joined = re.sub(r"\\\n\s*", "", text)
    found = []
    for line in joined.splitlines():
        match = re.search(r"(?:^\s*|&& )(?:\.venv/bin/)?asrcheck (.*)$", line)
        if match and "..." not in match.group(1):
            found.append(match.group(1).split("#")[0].strip())
    return found


def _readme_shell() -> str:
    return "\n".join(re.findall(r"```sh\n(.*?)```", README, re.S))


def help_examples() -> list[str]:
    epilog = cli.build_parser().epilog or ""
    return _commands(epilog.split("exit codes:")[0])


def readme_examples() -> list[str]:
    return _commands(_readme_shell())


def _as_show(args: list[str]) -> list[str]:
    """`run PLAN opts` as `show PLAN plan-opts`; an Azure VM's IMDS region given by hand."""
    out = ["show", args[1]]
    rest = iter(args[2:])
    for arg in rest:
        if arg in RUN_ONLY:
            if RUN_ONLY[arg]:
                next(rest)
            continue
        out.append(arg)
    if not any(a.startswith("source_region=") for a in out) and args[1].endswith("a2a"):
        out += ["--var", "source_region=japaneast"]  # README: read from IMDS on an Azure VM
    return out


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository's plans, and README's my-a2a.yaml, next to each other."""
    block = README.split("`my-a2a.yaml`:")[1].split("```yaml\n")[1].split("```")[0]
    (tmp_path / "my-a2a.yaml").write_text(block, encoding="utf-8")
    (tmp_path / "plans").symlink_to(ROOT / "plans")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = shlex.split(command)
    if args[0] == "run":
        args = _as_show(args)
    if args[0] == "validate":
        args = ["validate", *[name for a in args[1:] for name in sorted(glob.glob(a))]]
    if args[0] == "schema":
        args = args[:1]
    code = cli.main(args)
    err = capsys.readouterr().err
    allowed = (0, 1) if args[0] == "diff" else (0,)
    assert code in allowed, (command, args, err)


def test_there_are_examples_to_check() -> None:
    assert len(help_examples()) >= 5
    assert len(readme_examples()) >= 10
    first = _commands(README.split("```sh\n")[1].split("```")[0])[0]
    assert first.startswith("run plans/a2a.yaml --var source_region=japaneast")


@pytest.mark.parametrize("command", help_examples())
def test_help_example_works(
    command: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _check(command, capsys)


@pytest.mark.parametrize("command", readme_examples())
def test_readme_command_works(
    command: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _check(command, capsys)
