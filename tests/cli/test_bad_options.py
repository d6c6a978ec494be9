"""Command-line and environment values that were accepted but wrong, or crashed with exit 3:
each is now exit 2 with a one-line message (issue #11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner import cli
from tests.helpers import e2e


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "plan.yaml"
    path.write_text(e2e.plan_text([], "  - id: machine\n    kind: machine\n"))
    return path


def run(plan: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = cli.main(["run", str(plan), "-q", *extra])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("value", ["[::1", "[::1]x", "[::1]:"])
def test_a_broken_dns_server_is_refused(plan: Path, capsys, value: str) -> None:
    code, err = run(plan, capsys, "--no-proxy", "--dns-server", value)
    assert code == 2
    assert f"--dns-server {value!r}" in err
    assert not list(plan.parent.glob("*.log"))


def test_proxy_with_no_proxy_is_a_usage_error(plan: Path, capsys) -> None:
    code, err = run(plan, capsys, "--proxy", "http://127.0.0.1:3128", "--no-proxy")
    assert code == 2
    assert "--proxy and --no-proxy" in err


@pytest.mark.parametrize(
    "value", ["http://[::1:3128", "http://127.0.0.1:notaport", "http://u:hunter2@[::1:3128"]
)
def test_a_malformed_https_proxy_is_a_usage_error(
    plan: Path, capsys, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", value)
    code, err = run(plan, capsys)
    assert code == 2
    assert "HTTPS_PROXY" in err and "not a valid proxy URL" in err
    assert "hunter2" not in err
    assert cli.main(["run", str(plan), "-q", "--no-proxy"]) == 0  # not used: no error


@pytest.mark.parametrize("option", ["--timeout", "--deadline"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999"])
def test_non_finite_seconds_on_the_command_line(plan: Path, capsys, option, value) -> None:
    code, err = run(plan, capsys, "--no-proxy", option, value)
    assert code == 2
    assert f"{option}" in err
