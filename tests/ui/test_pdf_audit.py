"""Issue 12, item 7, in the app: saving, opening and printing a summary PDF are each written to
the clinic's audit log (who, what, how, when, the record hash printed), and a PDF whose row
cannot be written is not handed out."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pdf_support import catch_messages, catch_opened, exports, fake_lp, signed_session
from pytestqt.qtbot import QtBot
from ui_driver import session_window

from bedside.people import User
from bedside.service import ChartService
from bedside.store import Store
from ui.common import pdf_actions
from ui.dialogs.print_choice import PrintChoice


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    return catch_messages(monkeypatch)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    return catch_opened(monkeypatch)


def fake_printing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, refuse: bool) -> Path:
    """A fake ``lp`` and one printer, "office", chosen with one copy."""
    log = fake_lp(tmp_path, monkeypatch, job="office-7", refuse=refuse)
    monkeypatch.setattr(pdf_actions, "available_printers", lambda: (["office"], "office"))
    monkeypatch.setattr(
        pdf_actions, "ask_print_choice", lambda parent, what, names, default: PrintChoice(default)
    )
    return log


def test_save_open_and_print_are_each_audited_with_who_what_how_and_when(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
    opened: list[Path],
) -> None:
    sid = signed_session(ui_service)
    head = ui_service.state(sid).head_hash
    target = tmp_path / "saved.pdf"
    monkeypatch.setattr(pdf_actions, "ask_save_path", lambda parent, suggested: target)
    fake_printing(tmp_path, monkeypatch, refuse=False)
    view = session_window(qtbot, ui_service, sid, nurse)
    for name in ("save", "open", "print"):
        view.pdf_actions[name].trigger()
    assert target.exists()
    rows = exports(ui_service)
    assert [r["action"] for r in rows] == ["record_exported"] * 3
    hows = [r["detail"]["how"] for r in rows]
    assert hows == [
        f"saved to {target.resolve()}",
        f"opened in the PDF viewer (private copy {opened[0]})",
        "sent to the printer office (1 copy) with lp",
    ]
    now = ui_service.clock.now().isoformat()
    for row in rows:
        assert row["actor"] == nurse.id
        detail = row["detail"]
        assert detail["printed_by"] == "Dana Reyes, RN"
        assert (detail["kind"], detail["session_id"]) == ("session summary", sid)
        assert detail["record_hashes"] == {sid: head}
        assert detail["printed_at"] == now
        assert detail["draft"] is False
    assert messages[-1] == ("Sent to the printer", "request id is office-7")


def test_a_refused_print_is_audited_as_refused(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    fake_printing(tmp_path, monkeypatch, refuse=True)
    view = session_window(qtbot, ui_service, signed_session(ui_service), nurse)
    view.pdf_actions["print"].trigger()
    sent, refused = exports(ui_service)
    assert sent["action"] == "record_exported"
    assert refused["action"] == "record_export_failed"
    assert refused["detail"]["reason"] == "lp: The printer is offline"
    assert messages[-1][0] == "Not printed"


def test_a_draft_is_audited_as_a_draft_and_its_file_name_says_so(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    offered: list[Path] = []

    def choose(parent: object, suggested: Path) -> Path:
        offered.append(suggested)
        return tmp_path / suggested.name

    monkeypatch.setattr(pdf_actions, "ask_save_path", choose)
    view = session_window(qtbot, ui_service, sid, nurse)
    view.pdf_actions["save"].trigger()
    assert offered[0].name.endswith("_DRAFT.pdf")
    [row] = exports(ui_service)
    assert row["detail"]["draft"] is True
    assert messages[-1][0] == "PDF saved"


def test_the_course_summary_is_audited_with_each_sessions_record_hash(
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
    monkeypatch.setattr(pdf_actions, "ask_save_path", lambda parent, suggested: target)
    next(a for a in view.actions() if a.objectName() == "pdf_save").trigger()
    [row] = exports(ui_service)
    detail = row["detail"]
    assert row["actor"] == nurse.id
    assert (detail["kind"], detail["patient_id"]) == ("course summary", alex.id)
    sessions = ui_service.store.sessions_for_patient(alex.id)
    assert detail["record_hashes"] == {h.id: ui_service.state(h.id).head_hash for h in sessions}
    assert "draft" not in detail


def test_nothing_is_handed_out_when_the_audit_row_cannot_be_written(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
    opened: list[Path],
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "add_export_entry", full)
    target = tmp_path / "out" / "summary.pdf"
    monkeypatch.setattr(pdf_actions, "ask_save_path", lambda parent, suggested: target)
    log = fake_printing(tmp_path, monkeypatch, refuse=False)
    view = session_window(qtbot, ui_service, signed_session(ui_service), nurse)
    for name in ("save", "open", "print"):
        view.pdf_actions[name].trigger()
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # no staged copy left either
    assert opened == []  # the viewer never got it
    assert not log.exists()  # nor the print service
    assert [title for title, _ in messages] == ["PDF not saved", "PDF not opened", "Not printed"]
    for _, text in messages:
        assert "the audit log could not be written (database or disk is full)" in text
