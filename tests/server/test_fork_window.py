"""The session window of a session charted at two workstations while cut off (issue 14): the
banner says what was merged and which steps wait; the clinician resolves it there (the dialog
makes no choice for them), and the banner goes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bedside.ids import SessionId
from bedside.service import ChartService
from ui.dialogs.fork import ForkChoice, ForkDialog
from ui.session.window import SessionView


def test_the_banner_says_what_waits_and_the_clinician_resolves_it_there(
    qtbot: QtBot,
    forked_at: tuple[ChartService, ChartService, SessionId],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    errors: list[str] = []
    monkeypatch.setattr("ui.common.operations.show_error", lambda parent, e: errors.append(str(e)))
    _, at_b, session = forked_at
    drlee = at_b.accounts.authenticate("drlee", "bedside-demo")
    view = SessionView(at_b, session, at_b.clock, "dim", None, drlee)
    qtbot.addWidget(view)
    view.show()
    words = view.fork_banner.words.text()
    assert view.fork_banner.isVisible()
    assert "Charted at two workstations while they were cut off" in words
    assert "Waiting for a clinician — from there: Pump stop" in words
    assert "charted here: Rate change" in words
    assert "cannot be closed until a clinician resolves it" in words
    asked: list[tuple[str, str, str]] = []

    def answer(summary: str, here: str, other: str, *_: object) -> ForkChoice:
        asked.append((summary, here, other))
        return ForkChoice("other", "The pump was stopped at the chair")

    monkeypatch.setattr(ForkDialog, "ask", staticmethod(answer))
    qtbot.mouseClick(view.fork_banner.button, Qt.MouseButton.LeftButton)
    assert errors == []
    assert asked
    assert asked[0][2].startswith("Keep the steps charted there: ")
    assert not view.fork_banner.isVisible()
    assert view.ctx.state.fork is not None
    assert view.ctx.state.fork.set_aside  # the slowed rate, kept in the record, set aside


def test_the_dialog_chooses_no_side_for_the_clinician(qtbot: QtBot) -> None:
    dialog = ForkDialog("summary", "Keep here", "Keep there")
    qtbot.addWidget(dialog)
    assert not dialog.here.isChecked()
    assert not dialog.other.isChecked()
    assert not dialog.resolve.isEnabled()
    dialog.other.setChecked(True)
    dialog.reason.setText("  typed as is  ")
    assert dialog.resolve.isEnabled()
    assert dialog.choice() == ForkChoice("other", "  typed as is  ")


def test_a_nurse_is_told_before_the_dialog_that_a_clinician_resolves_it(
    qtbot: QtBot,
    forked_at: tuple[ChartService, ChartService, SessionId],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    errors: list[str] = []
    monkeypatch.setattr("ui.common.operations.show_error", lambda parent, e: errors.append(str(e)))
    monkeypatch.setattr(ForkDialog, "ask", staticmethod(lambda *_: pytest.fail("dialog opened")))
    _, at_b, session = forked_at
    sam = at_b.accounts.authenticate("sam", "bedside-demo")
    view = SessionView(at_b, session, at_b.clock, "dim", None, sam)
    qtbot.addWidget(view)
    view.show()
    qtbot.mouseClick(view.fork_banner.button, Qt.MouseButton.LeftButton)
    assert errors == [
        "Sam Okafor, RN (nurse) is not allowed to resolve entries charted at two workstations"
    ]
