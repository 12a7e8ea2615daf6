"""Readable at a glance and the small things a nurse hit (issue 9 D13, D15): windows that fit
the screen, forms that use its height and never scroll sideways, a visible keyboard focus, the
chosen answer readable at night, Ctrl+U from a session window, Enter after a wrong unlock, one
signature per Enter on a course order, a refused new session that reopens as it was typed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QCheckBox, QLabel, QScrollArea, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from ui_driver import answer_modal

from bedside.events import Phase
from bedside.ids import SessionId
from bedside.people import User
from bedside.scales import ScaleName, definition
from bedside.service import ChartService
from charting.actions import Action
from ui.board.login_dialog import LoginDialog
from ui.board.main_window import MainWindow
from ui.common import screen_fit, theme
from ui.course.order import CourseOrderDialog
from ui.demo import SIGNATURE_STROKES, no_contraindications
from ui.demo.reference import allergies_as_on_record
from ui.dialogs.discharge import DischargeDialog
from ui.dialogs.new_session import NewSessionDialog
from ui.dialogs.scale import ScaleForm
from ui.session.window import SessionView
from ui.steps.intake import YesNo


@pytest.fixture
def themed(qapp: Any) -> Iterator[Any]:
    """The application styled as the app styles it; plain again after the test."""
    yield lambda name: theme.apply(qapp, name)
    qapp.setStyleSheet("")


def make_window(qtbot: QtBot, service: ChartService, user: User, qsettings: QSettings, **kw: Any):  # type: ignore[no-untyped-def]
    window = MainWindow(service, user, service.clock, qsettings, **kw)
    window.ticker.stop()
    window.idle.stop()
    qtbot.addWidget(window)
    return window


def activate(qtbot: QtBot, widget: QWidget) -> None:
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def free_patient(service: ChartService) -> Any:
    seated = {
        service.context(s).patient.id for s in service.busy_chairs(service.clock.now()).values()
    }
    return next(
        p
        for p in service.store.find_patients("")
        if p.id not in seated and service.active_course(p.id) is not None
    )


def session_at(service: ChartService, nurse: User, phase: Phase) -> SessionId:
    """A new session on chair 1 charted through the service up to ``phase`` (INTAKE, CONSENT
    or PREPARED with the dose planned)."""
    drlee = service.accounts.authenticate("drlee", "bedside-demo")
    patient = free_patient(service)
    sid = service.open_session(nurse, patient_id=patient.id, chair=1).session_id
    if phase is Phase.INTAKE:
        return sid
    service.record_intake(
        nurse,
        sid,
        identifiers_checked=("full_name", "date_of_birth"),
        contraindications=no_contraindications(),
        pregnancy_test="not_applicable",
        medicines_reviewed=True,
        fasting_as_instructed=True,
        substance_use_48h=False,
        allergies=allergies_as_on_record(service, patient.id),
    )
    service.advance(nurse, sid, Phase.BASELINE)
    service.record_baseline(
        nurse, sid, systolic=128, diastolic=82, heart_rate=76, spo2=98, resp_rate=14,
        temperature_c=36.6, weight_kg=68.0, height_cm=165,
    )  # fmt: skip
    service.score_scale(nurse, sid, ScaleName.MOAAS, {"response": 5})
    service.score_scale(
        nurse, sid, ScaleName.PHQ9, dict.fromkeys(definition(ScaleName.PHQ9).keys, 1)
    )
    service.score_scale(
        nurse, sid, ScaleName.CSSRS, {"q1_wish_dead": 0, "q2_active_thoughts": 0, "q6_behaviour": 0}
    )
    service.score_scale(
        nurse, sid, ScaleName.CADSS6, dict.fromkeys(definition(ScaleName.CADSS6).keys, 0)
    )
    service.advance(nurse, sid, Phase.CONSENT)
    if phase is Phase.CONSENT:
        return sid
    service.record_consent(
        nurse, sid, elements_acknowledged=list(service.consent_template.keys),
        capacity_confirmed=True, patient_signature=SIGNATURE_STROKES, clinician=drlee,
        clinician_password="bedside-demo",
    )  # fmt: skip
    service.advance(nurse, sid, Phase.PREPARED)
    service.plan_dose(nurse, sid, vial_concentration_mg_ml=10.0, bag_volume_ml=100.0)
    return sid


def step_view(
    qtbot: QtBot, service: ChartService, nurse: User, sid: SessionId, size: tuple[int, int]
) -> SessionView:
    view = SessionView(service, sid, service.clock, "dim", None, nurse)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    return view


def step_scroll(view: SessionView) -> QScrollArea:
    page = view.pages.currentWidget()
    found = page.findChild(QScrollArea)
    assert found is not None
    return found


def luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def image(widget: QWidget) -> QImage:
    return widget.grab().toImage()


# --- D13: the screen ----------------------------------------------------------------------------


def test_the_board_fills_the_available_screen_and_never_overflows_it(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = make_window(qtbot, ui_service, nurse, qsettings)
    window.show()
    qtbot.waitExposed(window)
    area = screen_fit.available(window)
    # Once the window manager's frame is known: the status bar is on the screen...
    qtbot.waitUntil(lambda: area.contains(window.frameGeometry()))
    assert window.frameGeometry().size() == area.size()  # ...and the whole screen is used


def test_a_remembered_board_larger_than_the_screen_is_brought_onto_it(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    first = make_window(qtbot, ui_service, nurse, qsettings)
    first.resize(first.width() + 600, first.height() + 400)  # a bigger monitor, last time
    first.close()
    window = make_window(qtbot, ui_service, nurse, qsettings)
    window.show()
    qtbot.waitExposed(window)
    area = screen_fit.available(window)
    qtbot.waitUntil(lambda: area.contains(window.frameGeometry()))


def test_on_a_big_screen_the_tiles_type_grows(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = make_window(qtbot, ui_service, nurse, qsettings)
    window.show()
    qtbot.waitExposed(window)
    clock = window.board.tiles[1].clock
    window.resize(1366, 740)
    qtbot.waitUntil(lambda: window.board.width() < 1400)
    small = clock.font().pointSizeF()
    window.resize(1920, 1040)
    qtbot.waitUntil(lambda: clock.font().pointSizeF() >= small * 1.3)


def test_at_1920_the_flowsheet_columns_stretch_to_its_width(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]  # infusing
    view = step_view(qtbot, ui_service, nurse, sid, (1920, 1040))
    table = view.table
    header = table.horizontalHeader()
    assert header.length() >= table.viewport().width() - header.count()
    view.resize(1366, 740)  # and back: no column narrower than what it holds
    qtbot.waitUntil(lambda: header.length() <= table.viewport().width() + header.count())


@pytest.mark.parametrize("phase", [Phase.INTAKE, Phase.CONSENT])
def test_intake_and_consent_use_the_window_height(
    qtbot: QtBot, ui_service: ChartService, nurse: User, phase: Phase
) -> None:
    sid = session_at(ui_service, nurse, phase)
    view = step_view(qtbot, ui_service, nurse, sid, (1366, 740))
    assert view.ctx.state.phase is phase
    scroll = step_scroll(view)
    assert scroll.height() == view.pages.currentWidget().height()
    # Note and End early share a row: the form keeps the height a second row took.
    assert view.buttons[Action.NOTE].y() == view.buttons[Action.END].y()
    assert scroll.height() >= 0.7 * view.height()


def test_the_dose_form_never_scrolls_sideways_after_the_plan(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    sid = session_at(ui_service, nurse, Phase.PREPARED)
    view = step_view(qtbot, ui_service, nurse, sid, (1366, 740))
    page = view.pages.currentWidget()
    page.vial_volume.setText("5")  # the mg drawn and what is left over are written out
    scroll = step_scroll(view)
    qtbot.waitUntil(lambda: scroll.horizontalScrollBar().maximum() == 0)
    # The formula wraps: the form's narrowest is well below half a 1366 screen.
    assert scroll.widget().minimumSizeHint().width() < 600


def test_discharge_instructions_wrap_inside_the_dialog(qtbot: QtBot) -> None:
    dialog = DischargeDialog(ScaleName("aldrete"))
    qtbot.addWidget(dialog)
    words = [w for w in dialog.findChildren(QLabel) if "emergency number" in w.text()]
    assert words
    assert all(w.wordWrap() for w in words)
    dialog.resize(dialog.minimumWidth(), 400)
    dialog.show()
    assert dialog.width() == dialog.minimumWidth()  # nothing forces it wider
    # Tapping the words ticks the box, as tapping a check box's own words would.
    qtbot.mouseClick(words[0], Qt.MouseButton.LeftButton)
    assert dialog.instructions.isChecked()


# --- D15: the small things ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dim", "light"])
def test_a_board_tile_shows_the_keyboard_focus(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    qsettings: QSettings,
    themed: Any,
    name: str,
) -> None:
    themed(name)
    window = make_window(qtbot, ui_service, nurse, qsettings)
    activate(qtbot, window)
    tile = window.board.tiles[1]  # an infusing chair: its border already says its urgency
    window.board.tiles[0].setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: not tile.hasFocus())
    without = image(tile)
    tile.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(tile.hasFocus)
    assert image(tile) != without


@pytest.mark.parametrize("name", ["dim", "light"])
def test_a_check_box_shows_the_keyboard_focus(qtbot: QtBot, themed: Any, name: str) -> None:
    themed(name)
    holder = QWidget()
    qtbot.addWidget(holder)
    column = QVBoxLayout(holder)
    first, box = QCheckBox("Full name"), QCheckBox("Date of birth")
    column.addWidget(first)
    column.addWidget(box)
    activate(qtbot, holder)
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(first.hasFocus)
    without = image(box)
    box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(box.hasFocus)
    assert image(box) != without


def test_the_chosen_answer_stands_out_in_the_dim_theme(qtbot: QtBot, themed: Any) -> None:
    themed("dim")
    answer = YesNo("q")
    qtbot.addWidget(answer)
    answer.resize(200, 48)
    answer.show()
    answer.set_answer(False)
    chosen, other = image(answer.no), image(answer.yes)

    # Inside the border, beside the word: the button's own background.
    def background(picture: QImage) -> QColor:
        return picture.pixelColor(6, picture.height() // 2)

    assert contrast(background(chosen), background(other)) >= 3.0
    text = QColor(theme.PALETTES["dim"]["window"])  # the chosen answer's words
    assert contrast(background(chosen), text) >= 4.5


def test_a_scale_item_shows_whether_it_is_answered(qtbot: QtBot) -> None:
    form = ScaleForm(definition(ScaleName.PHQ9))
    qtbot.addWidget(form)
    combo = form.combos["q1_interest"]
    assert combo.property("answered") == "false"  # "choose…" reads as a prompt
    combo.setCurrentIndex(2)
    assert combo.property("answered") == "true"  # the answer reads bold


def test_ctrl_u_in_a_session_window_switches_user(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    asked: list[str] = []
    window = make_window(
        qtbot, ui_service, nurse, qsettings, ask_login=lambda *a, **k: asked.append("login")
    )
    window.show()
    view = window.open_session(ui_service.busy_chairs(ui_service.clock.now())[2])
    activate(qtbot, view)
    qtbot.keyClick(view, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["login"]


def test_after_a_wrong_unlock_password_the_right_one_and_enter_unlock(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = make_window(qtbot, ui_service, nurse, qsettings)
    window.show()
    seen: list[str] = []

    def type_twice(dialog: LoginDialog) -> None:
        qtbot.keyClicks(dialog.password, "wrong")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        seen.append(dialog.message.text())
        qtbot.keyClicks(dialog.password, "bedside-demo")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    answer_modal(LoginDialog, type_twice)
    window.lock()
    assert seen == ["User name or password is wrong"]  # the dialog stayed, and said why
    assert not window.locked


def test_enter_in_the_course_order_password_signs_once(
    qtbot: QtBot, ui_service: ChartService, shown_errors: list[str]
) -> None:
    drlee = ui_service.accounts.authenticate("drlee", "bedside-demo")
    alex = ui_service.store.patient_by_mrn("MRN-1001")
    assert alex is not None
    dialog = CourseOrderDialog(ui_service, drlee, patient_id=alex.id)
    qtbot.addWidget(dialog)
    calls: list[str] = []
    order_course = ui_service.order_course

    def counted(actor: User, password: str, **fields: Any) -> Any:
        calls.append(password)
        return order_course(actor, password, **fields)

    dialog.service.order_course = counted  # type: ignore[method-assign]
    activate(qtbot, dialog)
    dialog.password.setFocus()
    qtbot.keyClicks(dialog.password, "bedside-demo")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert calls == ["bedside-demo"]
    assert shown_errors == []
    assert dialog.order is not None


def test_a_refused_new_session_reopens_with_what_was_typed(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    qsettings: QSettings,
    shown_errors: list[str],
) -> None:
    window = make_window(qtbot, ui_service, nurse, qsettings)
    sam = ui_service.accounts.authenticate("sam", "bedside-demo")
    patient = free_patient(ui_service)

    def choose(dialog: NewSessionDialog) -> None:
        qtbot.keyClicks(dialog.search, patient.mrn)
        assert dialog.results.currentItem().data(Qt.ItemDataRole.UserRole) == patient.id
        # Meanwhile another workstation seats this patient in chair 1.
        ui_service.open_session(sam, patient_id=patient.id, chair=1)
        dialog._choose()

    reopened: list[tuple[str, Any]] = []

    def look(dialog: NewSessionDialog) -> None:
        item = dialog.results.currentItem()
        reopened.append((dialog.search.text(), item.data(Qt.ItemDataRole.UserRole)))
        dialog.reject()

    answer_modal(NewSessionDialog, choose)
    answer_modal(NewSessionDialog, look)
    window.open_chair(1)
    assert len(shown_errors) == 1  # the core's refusal, in words
    assert reopened == [(patient.mrn, patient.id)]


def test_intake_shows_the_medicines_it_asks_to_review(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    """ "Current medicines reviewed" had no list beside it (a newcomer's walk): the patient's
    recorded medicines are shown where the tick is given."""
    from ui.steps.intake import IntakeStep

    sid = next(
        s
        for s in ui_service.busy_chairs(ui_service.clock.now()).values()
        if ui_service.context(s).patient.current_medicines
    )
    ctx = ui_service.context(sid)
    step = IntakeStep(ui_service, ctx, nurse, "dim")
    qtbot.addWidget(step)
    step.refresh(ctx)
    for medicine in ctx.patient.current_medicines:
        assert medicine in step.medicines_on_record.text()
