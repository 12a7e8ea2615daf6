"""The idle lock never discards typing, and the locked board shows the chairs without names
(issue 9 C10)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from ui_driver import answer_modal

from bedside.events import NoteAdded
from bedside.people import User
from bedside.service import ChartService
from ui.board.idle_lock import IdleLock
from ui.board.main_window import MainWindow
from ui.common.lock_gate import GATE
from ui.dialogs.entries import TextEntryDialog
from ui.dialogs.waste import WasteDialog


@pytest.fixture(autouse=True)
def fresh_gate() -> Iterator[None]:
    GATE.locked, GATE.drafts = False, []
    yield
    GATE.locked, GATE.drafts = False, []


def _window(
    qtbot: QtBot, service: ChartService, user: User, qsettings: QSettings, logins: list[Any]
) -> MainWindow:
    window = MainWindow(
        service,
        user,
        service.clock,
        qsettings,
        ask_login=lambda *a, **k: logins.pop(0),
        idle_lock=IdleLock(3600, monotonic=lambda: 0.0),
    )
    qtbot.addWidget(window)
    window.ticker.stop()
    window.show()
    return window


def later(step: Callable[[], None]) -> None:
    """Run ``step`` from the event loop (as the next user action would)."""
    QTimer.singleShot(0, step)


def test_a_half_typed_note_comes_back_as_typed_after_the_lock(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    logins: list[Any] = [None, nurse]  # the first unlock prompt is left; then Dana returns
    window = _window(qtbot, ui_service, nurse, qsettings, logins)
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    view = window.open_session(sid)
    name = view.ctx.patient.display_name
    seen: dict[str, Any] = {}

    def finish(dialog: TextEntryDialog) -> None:
        seen["back"] = dialog.text()
        dialog.editor.appendPlainText("cold; blanket given")  # type: ignore[union-attr]
        dialog.accept()

    def half_typed(dialog: TextEntryDialog) -> None:
        dialog.editor.setPlainText("Patient says the room is")  # type: ignore[union-attr]
        window.lock()  # the idle lock fires mid-note
        seen["locked"] = window.locked
        seen["dialog shown"] = dialog.isVisible()
        seen["board"] = " ".join(c.text() for c in window.lock_screen.chairs.cards.values())
        chairs = window.lock_screen.chairs
        seen["chairs bottom"] = chairs.mapTo(window, chairs.rect().bottomLeft()).y()
        answer_modal(TextEntryDialog, finish)
        later(window.unlock)  # Dana comes back and types her password

    answer_modal(TextEntryDialog, half_typed)
    view.buttons["note"].click()
    assert seen["locked"]
    assert not seen["dialog shown"]
    assert "Chair 2" in seen["board"]
    assert "Vitals in" in seen["board"] or "Vitals overdue" in seen["board"]
    assert name not in seen["board"]
    # The chairs are across the top: the unlock prompt, centred, hides none of them.
    assert seen["chairs bottom"] < window.height() / 2
    assert seen["back"] == "Patient says the room is"
    note = ui_service.state(sid).notes[-1]
    assert isinstance(note.payload, NoteAdded)
    assert note.payload.text == "Patient says the room is\ncold; blanket given"
    assert note.author == nurse.id


def test_another_nurse_unlocking_leaves_the_form_for_its_author(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    sam = ui_service.accounts.authenticate("sam", "bedside-demo")
    logins: list[Any] = [None, sam, None, nurse]
    window = _window(qtbot, ui_service, nurse, qsettings, logins)
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    view = window.open_session(sid)
    seen: dict[str, Any] = {}

    def dana_finishes(dialog: TextEntryDialog) -> None:
        seen["back"] = dialog.text()
        dialog.accept()

    def sam_works_then_locks() -> None:
        seen["hidden while Sam works"] = not any(
            isinstance(w, TextEntryDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
        )
        seen["view user"] = view.user
        ui_service.add_note(sam, sid, "Sam: checked chair 2 IV site")
        window.lock()  # Sam walks away; Dana signs in
        answer_modal(TextEntryDialog, dana_finishes)
        later(window.unlock)

    def half_typed(dialog: TextEntryDialog) -> None:
        dialog.editor.setPlainText("Dana: patient asleep")  # type: ignore[union-attr]
        window.lock()
        later(window.unlock)  # Sam signs in
        later(sam_works_then_locks)

    answer_modal(TextEntryDialog, half_typed)
    view.buttons["note"].click()
    assert seen["hidden while Sam works"]
    assert seen["view user"] == sam
    assert seen["back"] == "Dana: patient asleep"
    notes = ui_service.state(sid).notes
    assert [(n.author, n.payload.text) for n in notes[-2:]] == [  # type: ignore[union-attr]
        (sam.id, "Sam: checked chair 2 IV site"),
        (nurse.id, "Dana: patient asleep"),
    ]


def test_a_parked_form_keeps_its_typing_but_never_a_password(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    """The witness's password typed into the waste form is cleared by the lock: a signature is
    given afresh by whoever is at the workstation; the amount and the witness's name stay."""
    logins: list[Any] = [None, nurse]
    window = _window(qtbot, ui_service, nurse, qsettings, logins)
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    view = window.open_session(sid)
    seen: dict[str, Any] = {}

    def after(dialog: WasteDialog) -> None:
        seen["amount"] = dialog.amount.value()
        seen["witness"] = dialog.witness.text()
        seen["password"] = dialog.password.text()
        dialog.reject()

    def typing(dialog: WasteDialog) -> None:
        dialog.use_open()
        dialog.witness.setText("sam")
        dialog.password.setText("bedside-demo")
        window.lock()
        answer_modal(WasteDialog, after)
        later(window.unlock)

    answer_modal(WasteDialog, typing)
    view.buttons["waste"].click()
    assert seen == {"amount": 14.0, "witness": "sam", "password": ""}
    assert ui_service.state(sid).waste == []


def test_the_author_switching_back_in_gets_her_form_back(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    """Dana's half-typed note waits behind the lock; Sam unlocks; Dana then takes the
    workstation back with Switch user (not an unlock): her note opens again as typed (it
    used to stay hidden for good, with no word)."""
    sam = ui_service.accounts.authenticate("sam", "bedside-demo")
    logins: list[Any] = [None, sam, nurse]
    window = _window(qtbot, ui_service, nurse, qsettings, logins)
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    view = window.open_session(sid)
    seen: dict[str, Any] = {}

    def dana_finishes(dialog: TextEntryDialog) -> None:
        seen["back"] = dialog.text()
        dialog.accept()

    def dana_switches_back() -> None:
        answer_modal(TextEntryDialog, dana_finishes)
        window.switch_user()

    def half_typed(dialog: TextEntryDialog) -> None:
        dialog.editor.setPlainText("Dana: patient asleep")  # type: ignore[union-attr]
        window.lock()
        later(window.unlock)  # Sam signs in
        later(dana_switches_back)

    answer_modal(TextEntryDialog, half_typed)
    view.buttons["note"].click()
    assert seen["back"] == "Dana: patient asleep"
    assert ui_service.state(sid).notes[-1].author == nurse.id
