"""One-key actions never fire from where letters are typed (issue 9 C11)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bedside.people import User
from bedside.service import ChartService
from ui.session.window import SessionView


@pytest.fixture
def notes_asked(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    asked: list[Any] = []
    monkeypatch.setattr(
        "ui.dialogs.entries.TextEntryDialog.ask", lambda *a, **k: asked.append(a) or None
    )
    return asked


def _show(qtbot: QtBot, view: SessionView) -> None:
    qtbot.addWidget(view)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()


def _intake_view(service: ChartService, nurse: User) -> SessionView:
    seated = {
        service.context(s).patient.id for s in service.busy_chairs(service.clock.now()).values()
    }
    free = next(
        p
        for p in service.store.find_patients("")
        if p.id not in seated and service.eligibility(p.id).is_valid
    )
    sid = service.open_session(nurse, patient_id=free.id, chair=1).session_id
    return SessionView(service, sid, service.clock, "dim", None, nurse)


def test_typing_neg_into_the_pregnancy_test_chooses_negative_and_opens_nothing(
    qtbot: QtBot, ui_service: ChartService, nurse: User, notes_asked: list[Any]
) -> None:
    view = _intake_view(ui_service, nurse)
    _show(qtbot, view)
    page = view.pages.currentWidget()
    combo = page.pregnancy  # type: ignore[attr-defined]
    combo.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combo)
    qtbot.keyClicks(combo, "neg")
    assert notes_asked == []  # N did not open a note ...
    assert combo.currentData() == "negative"  # ... the letters chose the answer


def test_letters_typed_in_a_field_stay_in_the_field(
    qtbot: QtBot, ui_service: ChartService, nurse: User, notes_asked: list[Any]
) -> None:
    view = _intake_view(ui_service, nurse)
    _show(qtbot, view)
    page = view.pages.currentWidget()
    field = page.escort_name  # type: ignore[attr-defined]
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    qtbot.keyClicks(field, "Nan Kovac")
    assert field.text() == "Nan Kovac"
    assert notes_asked == []


def test_the_same_letter_on_the_record_is_the_action(
    qtbot: QtBot, ui_service: ChartService, nurse: User, notes_asked: list[Any]
) -> None:
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    view = SessionView(ui_service, sid, ui_service.clock, "dim", None, nurse)
    _show(qtbot, view)
    for table in (view.table, view.record.table):
        table.setFocus()
        qtbot.waitUntil(lambda t=table: QApplication.focusWidget() is t)
        qtbot.keyClick(table, Qt.Key.Key_N)
    assert len(notes_asked) == 2
