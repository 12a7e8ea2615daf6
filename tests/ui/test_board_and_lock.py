"""The chair board, the idle lock and sign-in, driven with qtbot and an injected clock."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from bedside.people import User
from bedside.service import ChartService
from ui.board.idle_lock import IdleLock
from ui.board.login_dialog import LoginDialog
from ui.board.main_window import MainWindow


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def make_window(
    qtbot: QtBot, service: ChartService, user: User, qsettings: QSettings, **kwargs
) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(service, user, service.clock, qsettings, **kwargs)
    window.ticker.stop()
    qtbot.addWidget(window)
    return window


def tile(window: MainWindow, chair: int):  # type: ignore[no-untyped-def]
    return window.board.tiles[chair - 1]


def test_board_shows_each_chair_and_marks_the_most_urgent(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = make_window(qtbot, ui_service, nurse, qsettings)
    assert tile(window, 2).patient.text() == "GARCÍA, Lucía"
    assert tile(window, 2).clock.text().startswith("Infusing")
    assert tile(window, 3).property("first") == "true"  # ready for sign-off outranks running
    assert "SIGN-OFF" in tile(window, 3).urgency.text()
    assert tile(window, 4).patient.text() == "SHAH, Priya"
    assert tile(window, 1).patient.text() == "Free"
    # 16 minutes later both occupied chairs are late: chair 3 (observing) by 11 min, chair 2
    # (infusing) by 8 min. Overdue during the infusion goes first (issue 10, item 7; it ranked
    # below the observed chair before).
    ui_service.clock.advance(minutes=16)  # type: ignore[attr-defined]
    window.refresh()
    assert tile(window, 2).property("urgency") == "overdue"
    assert "overdue 8:00" in tile(window, 2).countdown.text()
    assert tile(window, 3).property("urgency") == "overdue"
    assert "overdue 11:00" in tile(window, 3).countdown.text()
    assert tile(window, 2).property("first") == "true"
    assert tile(window, 3).property("first") == "false"


def test_board_refreshes_after_charting_and_shows_an_open_alert(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = make_window(qtbot, ui_service, nurse, qsettings)
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    ui_service.record_vitals(
        nurse, sid, systolic=190, diastolic=105, heart_rate=100, spo2=96, resp_rate=16
    )
    window.source.invalidate()
    window.refresh()
    assert tile(window, 2).property("urgency") == "pause"
    alert = tile(window, 2).alert
    assert "Pause infusion: Systolic BP 190" in alert.text()
    # Two findings: the tile shows the first and the full alert on hover.
    assert alert.text().endswith("; …")
    assert "Diastolic BP 105" in alert.toolTip()
    assert "190/105 ▲" in tile(window, 2).vitals.text()


def test_enter_on_a_free_tile_offers_a_new_session(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    asked: list[int] = []
    monkeypatch.setattr(
        "ui.board.main_window.NewSessionDialog.ask",
        lambda service, chair, parent=None, user=None: asked.append(chair),
    )
    window = make_window(qtbot, ui_service, nurse, qsettings)
    qtbot.keyClick(tile(window, 1), Qt.Key.Key_Return)
    assert asked == [1]


def test_idle_lock_hides_the_board_and_unlocks_with_a_password(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    fake = FakeTime()
    idle = IdleLock(300.0, monotonic=fake)
    answers: list[User | None] = [None, nurse]  # first cancelled, then the password
    window = make_window(
        qtbot,
        ui_service,
        nurse,
        qsettings,
        idle_lock=idle,
        ask_login=lambda *a, **k: answers.pop(0),
    )
    fake.t += 299
    idle.check()
    assert not window.locked
    fake.t += 2
    idle.check()  # emits idle -> lock -> first unlock attempt is cancelled
    assert window.locked
    assert "nothing was closed or lost" in window.lock_label.text().lower()
    qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
    assert not window.locked
    assert window.stack.currentWidget() is window.board


def test_input_resets_the_idle_timer(qtbot: QtBot) -> None:
    fake = FakeTime()
    idle = IdleLock(60.0, monotonic=fake)
    fired: list[bool] = []
    idle.idle.connect(lambda: fired.append(True))
    idle.start()
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    fake.t += 59
    idle.eventFilter(
        idle, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
    )
    fake.t += 59
    idle.check()
    assert fired == []
    fake.t += 2
    idle.check()
    assert fired == [True]
    idle.stop()


def test_login_refuses_a_wrong_password_in_the_dialog(
    qtbot: QtBot, ui_service: ChartService
) -> None:
    dialog = LoginDialog(ui_service.accounts, username="dana")
    qtbot.addWidget(dialog)
    dialog.password.setText("wrong-password")
    qtbot.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    assert dialog.user is None
    assert dialog.message.text() == "User name or password is wrong"
    assert dialog.password.text() == ""
    dialog.password.setText("bedside-demo")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)
    assert dialog.user is not None
    assert dialog.user.username == "dana"


def test_theme_is_switched_and_remembered(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = make_window(qtbot, ui_service, nurse, qsettings)
    window.set_theme("light")
    from ui.common import settings

    assert settings.THEME.get(qsettings) == "light"
    window2 = make_window(qtbot, ui_service, nurse, qsettings)
    assert window2.theme == "light"
    _ = timedelta


def test_menus_open_the_protocol_course_order_and_course_screens(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from ui.admin.protocol import ProtocolDialog
    from ui.course.order import CourseOrderDialog
    from ui.course.view import CourseView

    opened: list[object] = []
    for kind in (ProtocolDialog, CourseOrderDialog, CourseView):
        monkeypatch.setattr(kind, "exec", lambda self: opened.append(self) or 0)
    window = make_window(qtbot, ui_service, nurse, qsettings)
    actions = {a.text(): a for m in window.menuBar().actions() for a in m.menu().actions()}
    actions["Protocol…"].trigger()
    actions["Course order…"].trigger()
    alex = ui_service.store.patient_by_mrn("MRN-1001")
    assert alex is not None
    monkeypatch.setattr(
        "ui.board.main_window.NewSessionDialog.ask",
        lambda service, chair, parent=None, user=None: alex.id if chair is None else None,
    )
    assert actions["Patient course…"].shortcut().toString() == "Ctrl+K"
    actions["Patient course…"].trigger()
    assert [type(o) for o in opened] == [ProtocolDialog, CourseOrderDialog, CourseView]
    course = opened[2]
    assert isinstance(course, CourseView)
    assert course.summary is not None
    assert course.summary.patient.id == alex.id
    # A session chosen in the course view opens in its own (non-modal) window.
    first = course.summary.sessions[0].session_id
    course.session_chosen.emit(first)
    assert list(window.session_windows) == [first]
    assert window.session_windows[first].isVisible()


def test_a_new_patient_is_registered_from_the_new_session_dialog(
    qtbot: QtBot, ui_service: ChartService, nurse: User, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.new_patient import NewPatient
    from ui.dialogs.new_session import WHY_NOT_ROLE, NewSessionDialog

    monkeypatch.setattr(
        "ui.dialogs.new_session.NewPatientDialog.ask",
        lambda parent=None: NewPatient(
            "MRN-7777", "Quinn", "Robin", "1990-05-04", "female", {"state": "unknown"}
        ),
    )
    dialog = NewSessionDialog(ui_service, 1, None, nurse)
    qtbot.addWidget(dialog)
    dialog.register_patient()
    stored = ui_service.store.patient_by_mrn("MRN-7777")
    assert stored is not None
    assert dialog.results.count() == 1
    item = dialog.results.item(0)
    assert "no course order" in item.text()
    # A clinician must order the course: the patient cannot be chosen, and the list says why.
    assert "no course order" in item.data(WHY_NOT_ROLE)
    dialog._choose()
    assert "Course order" in dialog.hint.text()


def test_lock_hides_open_session_windows_and_the_next_nurse_charts_under_her_name(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    sam = ui_service.accounts.authenticate("sam", "bedside-demo")
    answers: list[User | None] = [None, sam]
    window = make_window(
        qtbot, ui_service, nurse, qsettings, ask_login=lambda *a, **k: answers.pop(0)
    )
    window.show()
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    view = window.open_session(sid)
    other = window.open_session(ui_service.busy_chairs(ui_service.clock.now())[3])
    assert len(window.session_windows) == 2  # two chairs' windows side by side
    assert window.open_session(sid) is view  # opening again brings the same window forward
    window.lock()  # the unlock prompt is cancelled: stays locked
    assert window.locked
    assert not view.isVisible()
    assert not other.isVisible()
    # Nothing behind the lock: no menu, no key, no route to a chart.
    assert not window.menuBar().isEnabled()
    menu_actions = [a for m in window.menuBar().actions() for a in m.menu().actions()]
    assert menu_actions
    assert not any(a.isEnabled() for a in menu_actions)
    window.open_chair(1)
    window.show_course()
    assert len(window.session_windows) == 2
    assert not view.isVisible()
    qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)  # Sam signs in
    assert view.isVisible()
    assert other.isVisible()
    assert view.user == sam
    assert all(a.isEnabled() for a in menu_actions)
    ui_service.add_note(view.user, sid, "Handover: Sam takes chair 2")
    assert ui_service.state(sid).notes[-1].author == sam.id


def test_open_session_window_clock_moves_with_the_injected_clock(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = make_window(qtbot, ui_service, nurse, qsettings)
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    view = window.open_session(sid)
    before = view.panel.text()
    assert "Infusing 22:00" in before
    ui_service.clock.advance(minutes=3)  # type: ignore[attr-defined]
    window.refresh()  # what the one-second ticker does
    assert "Infusing 25:00" in view.panel.text()
    # 25 min at 155.4 mL/h of a 103.6 mL bag holding 36 mg: 65 mL, 22 mg so far.
    assert "Rate <b>155.4 mL/h</b>" in view.panel.text()
    assert "About 65 of 103.6 mL (22.5 of 36 mg)" in view.panel.text()
    assert "MOAA/S <b>4</b>" in view.panel.text()  # the latest sedation score, with its time


def test_chair_keys_work_from_a_session_window(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = make_window(qtbot, ui_service, nurse, qsettings)
    window.show()
    busy = ui_service.busy_chairs(ui_service.clock.now())
    view = window.open_session(busy[2])
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert busy[3] in window.session_windows  # chair 3 opened from chair 2's window


def test_enter_on_an_empty_search_never_opens_the_first_patient(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    """A reflex Enter in the new-session search must not start a session for whoever is first
    in the list; typing until one patient is left chooses that patient."""
    from ui.dialogs.new_session import NewSessionDialog

    dialog = NewSessionDialog(ui_service, 1, None, nurse)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    assert dialog.results.count() > 1
    assert dialog.results.currentItem() is None
    dialog.search.setFocus()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.patient_id is None
    assert "Choose the patient" in dialog.hint.text()
    alex = ui_service.store.find_patients("")[0]
    qtbot.keyClicks(dialog.search, alex.mrn)
    assert dialog.results.count() == 1
    assert dialog.results.currentItem() is not None


def test_the_session_window_says_who_is_charting_and_the_patients_sex(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    """After a switch of user the chart must not look the same: the heading and the title
    name who charts here now; age and sex are in the heading (the pregnancy test is asked
    from them)."""
    from ui.session.window import SessionView

    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    view = SessionView(ui_service, sid, ui_service.clock, "dim", None, nurse)
    qtbot.addWidget(view)
    patient = view.ctx.patient
    assert "charting as <b>Dana Reyes, RN</b>" in view.header.text()
    assert f", {patient.sex})" in view.header.text()
    drlee = ui_service.accounts.authenticate("drlee", "bedside-demo")
    view.set_user(drlee)
    assert f"charting as <b>{drlee.display_name}</b>" in view.header.text()
    assert view.windowTitle().endswith(drlee.display_name)


def test_a_tile_shows_the_baseline_before_the_first_check(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    """Chair 4 is being prepared with its baseline charted: the tile said "No vitals charted
    yet" (a newcomer's walk); it shows the baseline, said to be the baseline."""
    window = make_window(qtbot, ui_service, nurse, qsettings)
    text = tile(window, 4).vitals.text()
    assert text.startswith("Baseline: BP ")
    assert "No vitals" not in text
