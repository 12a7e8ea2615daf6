"""Save, open and print the summary PDF from the session window, signed or not."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from pdf_support import catch_messages, catch_opened, exports, fake_lp, signed_session
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_driver import session_window

from bedside.ids import SessionId
from bedside.people import User
from bedside.service import ChartService
from ui.common import pdf_actions
from ui.dialogs.print_choice import MAX_COPIES, PrintChoice, PrintChoiceDialog
from ui.session.window import SessionView


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    return catch_messages(monkeypatch)


def window(qtbot: QtBot, service: ChartService, user: User, sid: SessionId) -> SessionView:
    return session_window(qtbot, service, sid, user)


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


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
    opened = catch_opened(monkeypatch)
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


PRINTERS = (["front-desk", "office"], "office")


def test_print_asks_printer_and_copies_then_sends_the_pdf(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    log = fake_lp(tmp_path, monkeypatch, job="office-42")
    asked: list[tuple[list[str], str]] = []

    def choose(parent: object, what: str, names: list[str], default: str) -> PrintChoice:
        asked.append((names, default))
        return PrintChoice("front-desk", 2)

    monkeypatch.setattr(pdf_actions, "available_printers", lambda: PRINTERS)
    monkeypatch.setattr(pdf_actions, "ask_print_choice", choose)
    view = window(qtbot, ui_service, nurse, signed_session(ui_service))
    view.pdf_actions["print"].trigger()
    assert asked == [PRINTERS]
    args = log.read_text().split()
    assert args[:5] == ["-d", "front-desk", "-n", "2", "-t"]
    printed = Path(args[-1])
    assert printed.read_bytes().startswith(b"%PDF")
    assert messages[-1] == ("Sent to the printer", "request id is office-42")
    (row,) = exports(ui_service)
    assert "sent to the printer front-desk (2 copies) with lp" in str(row)


def test_print_cancelled_sends_and_records_nothing(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    log = fake_lp(tmp_path, monkeypatch, job="office-42")
    monkeypatch.setattr(pdf_actions, "available_printers", lambda: PRINTERS)
    monkeypatch.setattr(pdf_actions, "ask_print_choice", lambda *a: None)
    before = len(ui_service.store.audit_entries())
    view = window(qtbot, ui_service, nurse, signed_session(ui_service))
    view.pdf_actions["print"].trigger()
    assert not log.exists()
    assert len(ui_service.store.audit_entries()) == before
    assert messages == []


def test_print_says_so_when_no_printer_is_set_up(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    fake_lp(tmp_path, monkeypatch, job="office-42")
    monkeypatch.setattr(pdf_actions, "available_printers", lambda: ([], ""))
    view = window(qtbot, ui_service, nurse, signed_session(ui_service))
    view.pdf_actions["print"].trigger()
    assert messages[-1][0] == "No printer"
    assert "No printer is set up on this computer" in messages[-1][1]
    assert "Save PDF" in messages[-1][1]


def test_the_print_dialog_preselects_the_default_and_one_copy(qtbot: QtBot) -> None:
    dialog = PrintChoiceDialog("Print x.pdf", ["front-desk", "office"], "office")
    qtbot.addWidget(dialog)
    assert dialog.choice() == PrintChoice("office", 1)
    dialog.copies.setValue(99)  # more than MAX_COPIES is clamped, not printed
    assert dialog.choice().copies == MAX_COPIES
    dialog.printer.setCurrentText("front-desk")
    assert dialog.choice() == PrintChoice("front-desk", MAX_COPIES)


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
