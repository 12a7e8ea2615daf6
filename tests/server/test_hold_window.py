"""The session window of a session another workstation holds (issue 14): read-only, saying
where it is charted, until "Take over here" — then it charts (a real clinic server)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from server_helpers import open_session
from test_holds_here import LATER

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from ui.session.window import SessionView


def test_the_window_is_read_only_until_taken_over_then_charts(
    qtbot: QtBot, synced_clinic: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[str] = []
    monkeypatch.setattr("ui.common.operations.show_error", lambda parent, e: errors.append(str(e)))
    _, b = synced_clinic
    at_b = ChartService(b, FixedClock(LATER))
    session = open_session(at_b)
    sam = at_b.accounts.authenticate("sam", "bedside-demo")
    view = SessionView(at_b, session, at_b.clock, "dim", None, sam)
    qtbot.addWidget(view)
    view.show()
    assert view.hold_banner.isVisible()
    assert "Charted at workstation ws_a_" in view.hold_banner.words.text()
    assert "Read-only here" in view.hold_banner.words.text()
    assert not [n for n, button in view.buttons.items() if button.isVisible()]
    asked: list[str] = []
    answers = iter([False, True])

    def confirm(_view: object, words: str) -> bool:
        asked.append(words)
        return next(answers)

    monkeypatch.setattr("ui.session.hold_banner.confirm", confirm)
    qtbot.mouseClick(view.hold_banner.button, Qt.MouseButton.LeftButton)  # No: nothing moves
    assert view.hold_banner.isVisible()
    assert "It is charted at workstation ws_a_" in asked[0]
    assert "a conflict a clinician must resolve" in asked[0]
    assert "read only" in view.windowTitle()
    qtbot.mouseClick(view.hold_banner.button, Qt.MouseButton.LeftButton)  # Yes
    assert errors == []
    assert not view.hold_banner.isVisible()
    assert view.buttons["note"].isVisible()
