"""Issue 10, item 7 (and the missed checks of item 3 and the pump overrun of item 6) as the nurse
sees them: the board's tiles, the locked board and the session window's check banner carry the
same level (amber due, red late, urgent inverted and flashing) in words, a glyph and the same
theme colours; "GO HERE FIRST" marks one tile. Properties and texts, not pixels; the flashing
is stepped, never waited for.

The demo at NOW: chair 2 infusing 22 min (vitals at +10 and +20, next check at +30 = NOW+8),
chair 3 observed and ready for sign-off (checks every 15 min from NOW+5), chair 4 prepared.
"""

from __future__ import annotations

import re
from importlib import resources

import ui_driver
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from bedside.people import User
from bedside.service import ChartService
from ui.board.chair_board import FIRST_WORDS, ChairTile
from ui.board.main_window import MainWindow
from ui.common.theme import ESCALATION_KEYS, PALETTES, stylesheet


def board(qtbot: QtBot, service: ChartService, user: User, qsettings: QSettings) -> MainWindow:
    window = MainWindow(service, user, service.clock, qsettings)
    window.ticker.stop()
    window.idle.stop()
    qtbot.addWidget(window)
    return window


def at(window: MainWindow, service: ChartService, minutes: float) -> None:
    service.clock.advance(minutes=minutes)  # type: ignore[attr-defined]
    window.refresh()


def tile(window: MainWindow, chair: int) -> ChairTile:
    return window.board.tiles[chair - 1]


def test_tiles_say_the_level_in_words_a_glyph_and_their_tone(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = board(qtbot, ui_service, nurse, qsettings)
    assert tile(window, 2).property("escalation") == "none"
    at(window, ui_service, 8)  # chair 2's check at +30 falls due
    two = tile(window, 2)
    assert two.property("escalation") == "due"
    assert two.tone == "due"
    assert two.countdown.text() == "◷ DUE · Vitals due now"
    assert two.countdown.property("escalation") == "due"
    at(window, ui_service, 8)  # NOW+16: chair 2 8 min late, chair 3 11 min late
    assert two.property("escalation") == "late"
    assert two.countdown.text() == "⚠ LATE · BP check overdue 8:00"
    assert two.missed.text() == "✗ 1 check missed"
    three = tile(window, 3)
    assert three.property("escalation") == "late"
    at(window, ui_service, 4)  # NOW+20: chair 3 15 min late; chair 2's pump past its end
    assert three.property("escalation") == "urgent"
    assert three.tone == "urgent"
    assert three.countdown.text().startswith("‼ URGENT · Vitals overdue 15:00")
    assert two.summary.overrun is not None
    assert two.overrun.text().startswith("⚠ Pump past its planned end: the charted rates imply")
    assert not two.overrun.isHidden()
    assert two.tone == "late"  # the pump past its end is red even while the checks are not
    assert "Pump past its planned end" in two.accessibleName()


def test_go_here_first_is_one_band_on_one_tile(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = board(qtbot, ui_service, nurse, qsettings)
    at(window, ui_service, 20)  # chair 2 pump overrun, chair 3 urgent
    firsts = [t.chair for t in window.board.tiles if t.property("first") == "true"]
    assert firsts == [2]
    assert tile(window, 2).first_band.text() == FIRST_WORDS
    assert not tile(window, 2).first_band.isHidden()
    assert tile(window, 3).first_band.isHidden()
    assert tile(window, 2).urgency.text() == "PUMP PAST ITS PLANNED END"


def test_urgent_tiles_flash_on_the_boards_timer_and_stop_when_settled(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = board(qtbot, ui_service, nurse, qsettings)
    flasher = window.board.flasher
    assert not flasher.timer.isActive()  # nothing flashes, nothing ticks
    at(window, ui_service, 25)  # chair 3 20 min late, chair 2 17 min late: both urgent
    assert {t.chair for t in flasher.flashing} == {2, 3}
    assert flasher.timer.isActive()
    three = tile(window, 3)
    phases = []
    for _ in range(3):
        phases.append(three.property("flash"))
        flasher.timer.timeout.emit()  # one step of the timer, without waiting for it
    assert phases == ["on", "off", "on"]
    assert tile(window, 4).property("flash") in (None, "off")  # a quiet chair never flashes
    # A reading on chair 3 ends its run: it stops flashing; chair 2 still flashes.
    sid = ui_service.busy_chairs(ui_service.clock.now())[3]
    ui_service.record_vitals(nurse, sid, systolic=124, diastolic=80, heart_rate=72, spo2=98)
    window.source.invalidate()
    window.refresh()
    assert three.property("escalation") == "none"
    assert three.property("flash") == "off"
    assert [t.chair for t in flasher.flashing] == [2]


def test_locked_board_uses_the_same_levels_tones_and_flashing(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = board(qtbot, ui_service, nurse, qsettings)
    ui_service.clock.advance(minutes=16)  # type: ignore[attr-defined]
    locked = window.lock_screen.chairs
    locked.show_summaries(window.source.summaries(ui_service.clock.now()), "dim")
    card = locked.cards[3]
    assert card.property("tone") == "late"
    assert "⚠ LATE · Vitals overdue&nbsp;11:00" in card.text()
    assert "1 check missed" in card.text()
    assert "Lucía" not in locked.cards[2].text()  # still no name
    ui_service.clock.advance(minutes=4)  # type: ignore[attr-defined]
    summaries = window.source.summaries(ui_service.clock.now())
    locked.show_summaries(summaries, "dim")
    window.board.show_summaries(summaries, None, "dim")
    assert card.property("tone") == tile(window, 3).tone == "urgent"
    assert locked.cards[2].property("tone") == tile(window, 2).tone == "late"
    assert "pump past its planned end" in locked.cards[2].text()
    # The board's first chair is the locked board's too.
    assert [c for c, card in locked.cards.items() if card.property("first") == "true"] == [2]
    assert FIRST_WORDS in locked.cards[2].text()
    assert card.property("flash") == "on"
    locked.flasher.step()
    assert card.property("flash") == "off"


def test_session_window_banner_carries_the_level_missed_checks_and_the_overrun(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    view = ui_driver.session_window(qtbot, ui_service, sid, nurse)
    banner = view.check_banner
    assert banner.isHidden()  # nothing due yet
    ui_service.clock.advance(minutes=14)  # type: ignore[attr-defined]
    view.tick()
    assert banner.isVisible()
    assert banner.property("escalation") == "late"
    assert banner.property("tone") == "late"
    assert "⚠ LATE · BP check overdue 6:00 — 1 check missed" in banner.text()
    ui_service.clock.advance(minutes=9)  # type: ignore[attr-defined]  # 15 min late
    view.tick()
    assert banner.property("escalation") == "urgent"
    assert "‼ URGENT · Vitals overdue 15:00 — 2 checks missed" in banner.text()
    assert "Pump past its planned end: running" in banner.text()
    assert banner.property("flash") == "on"
    banner.flasher.timer.timeout.emit()
    assert banner.property("flash") == "off"
    ui_service.clock.advance(minutes=5)  # type: ignore[attr-defined]  # the check at +50
    ui_service.record_vitals(nurse, sid, systolic=124, diastolic=80, heart_rate=72, spo2=98)
    view.refresh()
    # The vitals are back; the two missed checks stay missed and the pump is still past its
    # end: the banner says so, in red, and no longer flashes.
    assert banner.property("escalation") == "none"
    assert banner.property("tone") == "late"
    assert banner.property("flash") == "off"
    assert "2 checks missed" in banner.text()
    assert "Pump past its planned end" in banner.text()


def _rule(sheet: str, selector: str) -> str:
    found = re.search(re.escape(selector) + r"[^{]*\{(.*?)\}\s*\n", sheet, re.DOTALL)
    assert found is not None, selector
    return found.group(1)


def test_one_set_of_escalation_colours_for_board_lock_screen_and_session_window() -> None:
    # The style sheets as written, placeholders unfilled: every surface draws a level with the
    # level's own theme keys (the board's due countdown was the accent blue, the lock screen's
    # amber, and the session window had none).
    folder = resources.files("resources").joinpath("qss")
    raw = "\n".join(f.read_text("utf-8") for f in folder.iterdir() if f.name.endswith(".qss"))
    surfaces = {
        "due": ('QFrame#chairTile[tone="due"]', 'QLabel#tileCountdown[escalation="due"]'),
        "late": ('QFrame#chairTile[tone="late"]', 'QLabel#tileCountdown[escalation="late"]'),
        "urgent": ('QLabel#tileCountdown[escalation="urgent"]',),
    }
    for level, (text_key, bg_key) in ESCALATION_KEYS.items():
        selectors = (
            *surfaces[level],
            f'QLabel[lockedCard="true"][tone="{level}"]',
            f'QLabel#checkBanner[tone="{level}"]',
        )
        for selector in selectors:
            body = _rule(raw, selector)
            assert "{{" + text_key + "}}" in body or "{{late}}" in body, selector
            used = set(re.findall(r"\{\{(\w+)\}\}", body))
            assert used <= {text_key, bg_key, "late", "late_bg"}, (selector, used)
        if level != "urgent":
            assert "{{" + bg_key + "}}" in _rule(raw, selectors[0])
    for theme in PALETTES:  # both themes fill every key
        assert stylesheet(theme)
