"""The workstation's log (issue 13 item 3): an owner-only rotating file with the workstation
and user ids, every chart entry and sign-in in it, a crash file for faulthandler, and never a
patient's name, record number or date of birth."""

from __future__ import annotations

import faulthandler
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bedside import app_log
from bedside.errors import AuthenticationFailed
from bedside.service import ChartService
from ui.demo import DemoStaff
from ui.demo.clinic import PATIENTS


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[app_log.LogSetup]:
    """The log set up in a folder of the test's own, taken down after."""
    setup = app_log.setup(tmp_path / "log", workstation="ws-test-7")
    yield setup
    app_log.shutdown()


def text(setup: app_log.LogSetup) -> str:
    setup.handler.flush()
    return setup.path.read_text(encoding="utf-8")


def test_the_log_and_its_folder_are_owner_only(logged: app_log.LogSetup) -> None:
    logging.getLogger("bedside.test").info("hello")
    assert logged.path.exists()
    assert logged.path.stat().st_mode & 0o777 == 0o600
    assert logged.folder.stat().st_mode & 0o777 == 0o700
    assert logged.crash_path.stat().st_mode & 0o777 == 0o600


def test_the_log_rotates_by_size_and_keeps_a_few(tmp_path: Path) -> None:
    setup = app_log.setup(tmp_path / "log", max_bytes=2_000, backups=2)
    try:
        for i in range(200):
            logging.getLogger("bedside.test").info("line %s %s", i, "x" * 40)
    finally:
        app_log.shutdown()
    names = sorted(p.name for p in setup.folder.iterdir())
    assert names == ["bedside.log", "bedside.log.1", "bedside.log.2", "crash.log"]
    for name in ("bedside.log", "bedside.log.1", "bedside.log.2"):
        path = setup.folder / name
        assert path.stat().st_size <= 2_000
        assert path.stat().st_mode & 0o777 == 0o600


def test_a_line_has_utc_time_level_logger_workstation_and_message(
    logged: app_log.LogSetup,
) -> None:
    logging.getLogger("bedside.test").warning("something user=u-1")
    line = text(logged).splitlines()[-1]
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARNING bedside\.test ws=ws-test-7 "
        r"something user=u-1",
        line,
    ), line


def test_the_workstation_defaults_to_the_host_name(tmp_path: Path) -> None:
    setup = app_log.setup(tmp_path / "log")
    try:
        logging.getLogger("bedside.test").info("x")
        assert f"ws={app_log.workstation_id()} x" in text(setup)
    finally:
        app_log.shutdown()


def test_the_folder_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(app_log.ENV_FOLDER, str(tmp_path / "it-chose"))
    assert app_log.log_folder() == tmp_path / "it-chose"
    monkeypatch.delenv(app_log.ENV_FOLDER)
    assert app_log.log_folder().parts[-2:] == ("Bedside", "log")


def test_faulthandler_writes_to_the_crash_file(logged: app_log.LogSetup) -> None:
    assert faulthandler.is_enabled()
    assert logged.crash_path.name == "crash.log"
    assert logged.crash_path.parent == logged.folder
    faulthandler.dump_traceback(logged.crash_file)
    logged.crash_file.flush()
    assert "test_faulthandler_writes_to_the_crash_file" in logged.crash_path.read_text()


def test_sign_in_and_its_failures_name_the_user_id_never_the_password(
    logged: app_log.LogSetup, service: ChartService, staff: DemoStaff
) -> None:
    service.accounts.authenticate(staff.nurse.username, "bedside-demo")
    with pytest.raises(AuthenticationFailed):
        service.accounts.authenticate(staff.nurse.username, "not-her-password")
    with pytest.raises(AuthenticationFailed):
        service.accounts.authenticate("somebody-typed-this", "whatever-pw")
    log = text(logged)
    assert f"sign-in ok user={staff.nurse.id}" in log
    assert f"sign-in failed: wrong password user={staff.nurse.id}" in log
    assert "sign-in failed: no such account" in log
    for secret in ("bedside-demo", "not-her-password", "somebody-typed-this", "whatever-pw"):
        assert secret not in log


def test_a_refusal_is_logged_by_kind_and_codes_not_words() -> None:
    from bedside.errors import InputRejected, OperationRefused
    from bedside.report import Finding, RuleReport, Severity

    report = RuleReport.of(
        [Finding(code="dose.too_high", message="Alex Doe's dose is high", severity=Severity.ERROR)]
    )
    assert app_log.refusal(OperationRefused("Not saved.", report)) == (
        "OperationRefused codes=dose.too_high"
    )
    assert app_log.refusal(InputRejected("Doe is not a number")) == "InputRejected"


def _identifiers() -> list[str]:
    found = []
    for patient in PATIENTS:
        found += [patient["family_name"], patient["given_name"], patient["mrn"]]
        found.append(patient["date_of_birth"].isoformat())
    return found


def test_the_command_line_logs_to_the_file_and_no_patient_identifier_reaches_it(
    tmp_path: Path,
) -> None:
    """``bedside demo`` charts every demo session; the log has each entry by ids only, and the
    terminal gets nothing from the log."""
    folder = tmp_path / "log"
    env = {**os.environ, app_log.ENV_FOLDER: str(folder)}
    result = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "demo", "--db", str(tmp_path / "demo.db")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "INFO" not in result.stdout
    assert "ws=" not in result.stdout
    log = (folder / app_log.LOG_NAME).read_text(encoding="utf-8")
    assert "command demo started" in log
    assert "command demo ended: exit code 0" in log
    assert "database opened" in log
    assert re.search(r"charted vitals_recorded session=\S+ event=\S+ user=\S+", log)
    assert re.search(r"charted session_signed session=\S+ event=\S+ user=\S+", log)
    assert re.search(r"patient registered patient=\S+ user=\S+", log)
    assert (folder / app_log.CRASH_NAME).exists()
    for word in _identifiers():
        assert not re.search(rf"\b{re.escape(word)}\b", log, re.IGNORECASE), word
