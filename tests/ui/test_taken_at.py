"""The "taken at" field: empty is now; a typed time is shown back in words before saving."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytestqt.qtbot import QtBot

from bedside.clock import FixedClock
from bedside.errors import InputRejected
from ui.dialogs.taken_at import TakenAtField

NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


def test_empty_means_now_and_says_so(qtbot: QtBot) -> None:
    field = TakenAtField(FixedClock(NOW), "America/New_York")
    qtbot.addWidget(field)
    assert field.value() is None
    assert field.shown.text() == "now"


def test_a_typed_time_is_shown_back_before_saving(qtbot: QtBot) -> None:
    field = TakenAtField(FixedClock(NOW), "America/New_York")
    qtbot.addWidget(field)
    qtbot.keyClicks(field.edit, "0840")
    assert field.shown.text() == "24 Nov 08:40 (20 min ago)"
    assert field.value() == datetime(2026, 11, 24, 13, 40, tzinfo=UTC)


def test_nonsense_is_named_and_refused(qtbot: QtBot) -> None:
    field = TakenAtField(FixedClock(NOW), "America/New_York")
    qtbot.addWidget(field)
    qtbot.keyClicks(field.edit, "25:00")
    assert field.shown.text().startswith("✗")
    with pytest.raises(InputRejected, match="Taken at"):
        field.value()


def test_a_refused_dialog_shows_the_time_again(qtbot: QtBot) -> None:
    field = TakenAtField(FixedClock(NOW), "America/New_York")
    qtbot.addWidget(field)
    field.set_value(datetime(2026, 11, 24, 13, 40, tzinfo=UTC))
    assert field.edit.text() == "08:40"
    assert field.value() == datetime(2026, 11, 24, 13, 40, tzinfo=UTC)
