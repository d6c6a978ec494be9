"""Command-line and environment values that were accepted but wrong, or crashed with exit 3:
each is now exit 2 with a one-line message (issue #11)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from runner import cli
from tests.helpers import e2e
from tests.peers.tls import Pki, TlsServer


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in (
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "SSL_CERT_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "plan.yaml"
    path.write_text(e2e.plan_text([], "  - id: machine\n    kind: machine\n"))
    return path


def run(plan: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = cli.main(["run", str(plan), "-q", *extra])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("value", ["[::1", "[::1]x", "[::1]:"])
def test_a_broken_dns_server_is_refused(
    plan: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    code, err = run(plan, capsys, "--no-proxy", "--dns-server", value)
    assert code == 2
    assert f"--dns-server {value!r}" in err
    assert not list(plan.parent.glob("*.log"))


def test_proxy_with_no_proxy_is_a_usage_error(
    plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(plan, capsys, "--proxy", "http://127.0.0.1:3128", "--no-proxy")
    assert code == 2
    assert "--proxy and --no-proxy" in err


@pytest.mark.parametrize(
    "value", ["http://[::1:3128", "http://127.0.0.1:notaport", "http://u:hunter2@[::1:3128"]
)
def test_a_malformed_https_proxy_is_a_usage_error(
    plan: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", value)
    code, err = run(plan, capsys)
    assert code == 2
    assert "HTTPS_PROXY" in err and "not a valid proxy URL" in err
    assert "hunter2" not in err
    assert cli.main(["run", str(plan), "-q", "--no-proxy"]) == 0  # not used: no error


@pytest.mark.parametrize("option", ["--timeout", "--deadline"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999"])
def test_non_finite_seconds_on_the_command_line(
    plan: Path, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    code, err = run(plan, capsys, "--no-proxy", option, value)
    assert code == 2
    assert f"{option}" in err


# --- a CA bundle that holds no certificates: refused before the run, not every TLS check
# failing as if a firewall reset the handshake


def bad_bundles(where: Path) -> dict[str, tuple[Path, str]]:
    """Bundles that cannot verify anything, and the words the error must use."""
    text = where / "notes.pem"
    text.write_text("these are not the certificates you are looking for\n")
    key_only = where / "key.pem"
    key_only.write_text("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n")
    empty = where / "empty.pem"
    empty.write_bytes(b"")
    directory = where / "certs"
    directory.mkdir()
    fifo = where / "fifo.pem"
    os.mkfifo(fifo)
    return {
        "text": (text, "holds no certificates"),
        "key-only": (key_only, "holds no certificates"),
        "empty": (empty, "is empty"),
        "missing": (where / "missing.pem", "no such file"),
        "directory": (directory, "is a directory"),
        "fifo": (fifo, "not a regular file"),
    }


KINDS = ["text", "key-only", "empty", "missing", "directory", "fifo"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_ca_bundle_option_without_certificates_is_refused(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    bundle, words = bad_bundles(tmp_path)[kind]
    code, err = run(plan, capsys, "--no-proxy", "--ca-bundle", str(bundle))
    assert code == 2, err
    assert err.count("\n") == 1, err  # one line
    assert f"--ca-bundle {str(bundle)!r}: " in err and words in err.lower(), err
    assert not list(tmp_path.glob("CheckNWResult_*.log"))  # refused before the run


@pytest.mark.parametrize("kind", KINDS)
def test_an_ssl_cert_file_without_certificates_is_refused(
    plan: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    bundle, words = bad_bundles(tmp_path)[kind]
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    code, err = run(plan, capsys, "--no-proxy")
    assert code == 2, err
    assert err.count("\n") == 1, err
    assert f"SSL_CERT_FILE {str(bundle)!r}: " in err and words in err.lower(), err
    assert "--ca-bundle" in err  # says how to get past it
    assert not list(tmp_path.glob("CheckNWResult_*.log"))


def test_a_ca_bundle_option_wins_over_a_broken_ssl_cert_file(
    plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    bundle = Pki().write_bundle(tmp_path / "ca.pem")
    code, err = run(plan, capsys, "--no-proxy", "--ca-bundle", bundle)
    assert code == 0, err
    assert len(list(tmp_path.glob("CheckNWResult_*.log"))) == 1


def test_a_bundle_with_certificates_verifies_a_real_server(tmp_path: Path) -> None:
    """A good bundle still works, through the real command and a real TLS server."""
    pki = Pki()
    bundle = pki.write_bundle(tmp_path / "ca.pem")
    with TlsServer(pki, "valid", ["127.0.0.1"]) as server:
        plan = tmp_path / "plan.yaml"
        plan.write_text(e2e.plan_text([("ok", "127.0.0.1", server.port)]))
        done = e2e.run(["run", str(plan), "--no-proxy", "-q", "--ca-bundle", bundle], tmp_path)
        assert done.code == 0, done.stdout + done.stderr
        empty = tmp_path / "empty.pem"
        empty.write_bytes(b"")
        done = e2e.run(
            ["run", str(plan), "--no-proxy", "-q"], tmp_path, {"SSL_CERT_FILE": str(empty)}
        )
    assert done.code == 2, done.stdout + done.stderr
    assert done.stderr.decode().startswith(f"asrcheck: SSL_CERT_FILE {str(empty)!r}: is empty")
