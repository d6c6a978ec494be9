"""The support log sink: names, incremental writing, ordered sections, interruption, masking."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

import pytest

from runner.outputs.supportlog.sink import SupportLog, log_name, log_path
from runner.redact import Redactor
from runner.results import CheckResult, Status
from tests.helpers import records

NOW = datetime(2026, 11, 25, 9, 5, 7, tzinfo=timezone.utc)


def test_names_by_platform() -> None:
    assert (
        log_name({}, "linux", "vm1.contoso.internal", NOW) == "CheckNWResult_vm1_202611250905.log"
    )
    assert log_name({}, "windows", "VM1", NOW) == "ASR_Check_NW_20261125_090507.log"
    assert log_name({}, "darwin", "mac", NOW) == "CheckNWResult_mac_202611250905.log"


def test_plan_pattern_overrides_the_name() -> None:
    patterns = {"linux": "asr_{hostname}_{time:%Y-%m-%d}.log"}
    assert log_name(patterns, "linux", "vm1.x", NOW) == "asr_vm1_2026-11-25.log"
    assert log_name(patterns, "windows", "vm1", NOW) == "ASR_Check_NW_20261125_090507.log"
    assert log_name({"linux": "../{hostname}.log"}, "linux", "vm", NOW) == ".._vm.log"
    for bad in ("{host}.log", "{time.year}.log", "{hostname", "{0}.log"):
        assert log_name({"linux": bad}, "linux", "vm", NOW) == "CheckNWResult_vm_202611250905.log"


def test_path_from_options(tmp_path: Path) -> None:
    assert log_path("/x/my.log", str(tmp_path), {}, "linux", "vm", NOW) == Path("/x/my.log")
    assert log_path(None, str(tmp_path), {}, "linux", "vm", NOW) == (
        tmp_path / "CheckNWResult_vm_202611250905.log"
    )
    assert log_path(None, None, {}, "windows", "vm", NOW) == Path(
        "ASR_Check_NW_20261125_090507.log"
    )


def sink(tmp_path: Path) -> tuple[SupportLog, Path, list[str]]:
    path = tmp_path / "out" / "support.log"
    echoed: list[str] = []
    redactor = Redactor([records.SECRET, "hunter22"])
    return SupportLog(path, redactor, echo=echoed.append, json_path="r.json"), path, echoed


def test_each_result_is_on_disk_as_it_arrives(tmp_path: Path) -> None:
    log, path, echoed = sink(tmp_path)
    log.started(records.info(str(tmp_path / "out" / "support.log")))
    assert echoed == [f"Support log: {path}"]
    text = path.read_text(encoding="utf-8")
    assert "IN PROGRESS" in text and "Command line:  asrcheck run a2a" in text
    assert "2026-11-25 18:30:00 UTC / " in text
    for result in records.results()[:3]:
        log.result(result)
        assert result.detail in path.read_text(encoding="utf-8")
    assert "try by hand: nc -vz login.microsoftonline.com 443" in path.read_text()
    log.finished(records.report(records.results()[:3]))


def test_final_log_has_every_section_in_order(tmp_path: Path) -> None:
    log, path, echoed = sink(tmp_path)
    log.started(records.info())
    items = records.results()
    for result in reversed(items):  # results arrive in finish order
        log.result(result)
    log.finished(records.report(items, log_path=str(path)))
    text = path.read_text(encoding="utf-8")
    titles = [
        "1. Run",
        "2. Machine",
        "3. Proxy",
        "4. TLS",
        "5. Clock",
        "6. Checks by endpoint",
        "Timeline: results in the order they finished",
        "7. Summary",
    ]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert text.index("line two") < text.index(" 3. Proxy")  # machine facts in section 2
    assert text.index("# machine (step machine)") < text.index("line two")
    assert text.index(" 3. Proxy") < text.index("# proxy-config (step proxy)")
    assert text.index("tcp-timeout") > text.index(" 6. Checks")
    assert text.index("--- entra-id") < text.index("--- cache-storage-cache1")
    assert "Route: direct [the ASR agent takes this route] - no agent proxy configured" in text
    assert "Not checked: section keyvault is off" in text
    assert "Verdict: FAIL" in text
    assert "Outbound TCP 443 is silently dropped" in text.split(" 7. Summary")[1]
    assert "ASR error codes these failures usually cause: 151196" in text
    assert "  - the JSON report: r.json" in text
    assert "State:         COMPLETED" in text and "Ended:         2026-11-25 18:31:05 UTC" in text
    assert text.rstrip().splitlines()[-1] == "Script Completed"
    assert "IN PROGRESS" not in text
    assert echoed[-2:] == [f"Support log written: {path}", "Script Completed"]
    assert not path.with_name(path.name + ".tmp").exists()


def test_interrupted_log_lists_what_finished(tmp_path: Path) -> None:
    log, path, echoed = sink(tmp_path)
    log.started(records.info())
    done = records.results()[:2]
    for result in done:
        log.result(result)
    cut = CheckResult("tcp", Status.SKIP, "interrupted", "interrupted", endpoint="entra-id")
    log.finished(records.report([*done, cut], interrupted=True))
    text = path.read_text(encoding="utf-8")
    assert "State:         INTERRUPTED" in text
    assert "INTERRUPTED: the run was stopped (Ctrl+C or SIGTERM). 2 checks had finished" in text
    assert "1 did not finish" in text
    assert "Script Completed" not in text
    assert "Script Completed" not in echoed
    assert "resolved to 20.190.1.1" in text
    assert "(no result: the run ended before this endpoint was checked)" in text


def test_no_secret_reaches_the_log(tmp_path: Path) -> None:
    log, path, _ = sink(tmp_path)
    log.started(records.info())
    items = records.results()
    streaming = tmp_path / "streaming.log"
    for result in items:
        log.result(result)
    streaming.write_bytes(path.read_bytes())
    log.finished(records.report(items))
    for data in (streaming.read_bytes(), path.read_bytes()):
        for secret in (records.SECRET, "hunter22", "abcdEF12"):
            assert secret.encode() not in data
        assert b"sig=***" in data


def test_unwritable_log_does_not_raise(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    log = SupportLog(blocker / "sub" / "log.txt", Redactor())
    log.started(records.info())
    log.result(records.results()[0])
    log.finished(records.report(records.results()))
    assert capsys.readouterr().err.count("cannot write the support log") == 1


def test_deadline_run_still_completes(tmp_path: Path) -> None:
    log, path, echoed = sink(tmp_path)
    log.started(records.info())
    cut = CheckResult("http", Status.ERROR, "deadline", "not finished", endpoint="entra-id")
    report = records.report([*records.results(), cut])
    log.finished(dataclasses.replace(report, deadline_hit=True))
    text = path.read_text(encoding="utf-8")
    assert "State:         COMPLETED (deadline reached)" in text
    assert "DEADLINE: 1 checks did not finish before the run's deadline." in text
    assert text.rstrip().endswith("Script Completed")
    assert echoed[-1] == "Script Completed"
