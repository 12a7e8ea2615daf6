"""Save, open and print the summary PDF from the session window, signed or not."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_driver import session_window

from bedside.ids import SessionId
from bedside.people import User
from bedside.service import ChartService
from ui.session.window import SessionView


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "ui.common.pdf_actions.inform", lambda parent, title, text: seen.append((title, text))
    )
    return seen


def window(qtbot: QtBot, service: ChartService, user: User, sid: SessionId) -> SessionView:
    view = session_window(qtbot, service, sid, user)
    return view


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def signed_session(service: ChartService) -> SessionId:
    minh = service.store.patient_by_mrn("MRN-1002")
    assert minh is not None
    return service.store.sessions_for_patient(minh.id)[0].id


def test_ctrl_s_saves_a_draft_of_an_open_session(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    view = window(qtbot, ui_service, nurse, sid)
    offered: list[Path] = []

    def choose(parent: object, suggested: Path) -> Path:
        offered.append(suggested)
        return tmp_path / "out" / "summary.pdf"

    monkeypatch.setattr("ui.common.pdf_actions.ask_save_path", choose)
    qtbot.keyClick(view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    written = tmp_path / "out" / "summary.pdf"
    data = written.read_bytes()
    assert data.startswith(b"%PDF")
    text = text_of(data)
    patient = ui_service.context(sid).patient
    assert patient.mrn in text
    assert "DRAFT" in text
    assert "Dana Reyes" in text  # printed by the signed-in nurse
    assert offered[0].name.endswith(".pdf")
    assert patient.mrn in offered[0].name
    assert messages[-1][0] == "PDF saved"


def test_signed_session_opens_without_draft_in_a_private_file(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr("ui.common.pdf_actions.open_url", lambda path: opened.append(path) or True)
    view = window(qtbot, ui_service, nurse, signed_session(ui_service))
    view.pdf_actions["open"].trigger()
    path = opened[0]
    assert "DRAFT" not in text_of(path.read_bytes())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert messages == []


def test_print_says_clearly_when_there_is_no_print_service(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    monkeypatch.setattr("ui.common.pdf_actions.shutil.which", lambda name: None)
    view = window(qtbot, ui_service, nurse, signed_session(ui_service))
    qtbot.keyClick(view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert messages[-1][0] == "No print service"
    assert "Save PDF" in messages[-1][1]


def test_print_sends_the_pdf_to_the_print_service(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    log = tmp_path / "lp.log"
    fake = tmp_path / "bin" / "lp"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "$@" > {log}\necho "request id is office-42"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    view = window(qtbot, ui_service, nurse, signed_session(ui_service))
    view.pdf_actions["print"].trigger()
    args = log.read_text().split()
    assert args[0] == "-t"
    printed = Path(args[-1])
    assert printed.read_bytes().startswith(b"%PDF")
    assert messages[-1] == ("Sent to the printer", "request id is office-42")


def test_course_view_saves_the_course_summary(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    from ui.course.view import CourseView

    alex = ui_service.store.patient_by_mrn("MRN-1001")
    assert alex is not None
    view = CourseView(ui_service, alex.id, ui_service.clock.now(), None, user=nurse)
    qtbot.addWidget(view)
    target = tmp_path / "course.pdf"
    monkeypatch.setattr("ui.common.pdf_actions.ask_save_path", lambda parent, suggested: target)
    save = next(a for a in view.actions() if a.objectName() == "pdf_save")
    save.trigger()
    text = text_of(target.read_bytes())
    assert "MRN-1001" in text
    assert "PHQ-9" in text
    assert "Dana Reyes" in text
    assert messages[-1][0] == "PDF saved"
