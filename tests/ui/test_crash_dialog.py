"""Unhandled errors and Qt's messages (issue 13 item 3): logged, with the traceback in the log
and never in the dialog, which says what is kept, what may not be, and where the log is."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import qWarning
from pytestqt.qtbot import QtBot

from bedside import app_log
from ui.common import crash


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[app_log.LogSetup]:
    setup = app_log.setup(tmp_path / "log", workstation="ws-ui")
    yield setup
    app_log.shutdown()


@pytest.fixture
def installed(logged: app_log.LogSetup) -> Iterator[None]:
    restore = crash.install()
    yield
    restore()


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[Path | None]:
    """The dialog's show function, replaced: what it was asked to show."""
    calls: list[Path | None] = []
    monkeypatch.setattr(crash.CrashDialog, "show_crash", staticmethod(calls.append))
    return calls


def text(setup: app_log.LogSetup) -> str:
    setup.handler.flush()
    return setup.path.read_text(encoding="utf-8")


def _raise_and_catch() -> tuple[type[BaseException], BaseException, object]:
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        return type(exc), exc, exc.__traceback__


@pytest.mark.no_qt_log
def test_a_qt_warning_goes_to_the_log(qapp, installed: None, logged: app_log.LogSetup) -> None:  # type: ignore[no-untyped-def]
    qWarning("a warning from Qt itself")
    line = [ln for ln in text(logged).splitlines() if "a warning from Qt itself" in ln]
    assert len(line) == 1
    assert " WARNING ui.qt ws=ws-ui " in line[0]


def test_an_unhandled_error_is_logged_with_its_traceback_and_told_in_plain_words(
    qapp,  # type: ignore[no-untyped-def]
    installed: None,
    logged: app_log.LogSetup,
    shown: list[Path | None],
) -> None:
    import sys

    kind, error, trace = _raise_and_catch()
    sys.excepthook(kind, error, trace)  # type: ignore[arg-type]
    log = text(logged)
    assert "CRITICAL ui.common.crash ws=ws-ui unhandled error" in log
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: boom in a slot" in log
    assert shown == [logged.path]


def test_an_error_in_a_thread_is_logged_and_told_from_the_gui_thread(
    qtbot: QtBot, installed: None, logged: app_log.LogSetup, shown: list[Path | None]
) -> None:
    def fail() -> None:
        raise ValueError("boom in a thread")

    worker = threading.Thread(target=fail, name="checker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: shown == [logged.path])
    log = text(logged)
    assert "unhandled error in thread checker" in log
    assert "ValueError: boom in a thread" in log


def test_the_dialog_says_what_is_kept_and_where_the_log_is_without_a_traceback(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "log" / "bedside.log"
    dialog = crash.CrashDialog(path)
    qtbot.addWidget(dialog)
    words = dialog.message.text()
    assert "Everything saved before this moment is kept" in words
    assert "may not have been saved" in words
    assert "Check the session record" in words
    assert str(path) in words
    assert "carry on" in words
    assert "Traceback" not in words
    dialog.copy_button.click()
    from PySide6.QtWidgets import QApplication

    assert QApplication.clipboard().text() == str(path)


def test_without_a_log_the_dialog_says_so(qtbot: QtBot) -> None:
    dialog = crash.CrashDialog(None)
    qtbot.addWidget(dialog)
    assert "could not be written" in dialog.message.text()
    assert not dialog.copy_button.isEnabled()
