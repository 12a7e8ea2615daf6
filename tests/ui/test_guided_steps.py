"""The guided steps before the infusion, driven through their real widgets and dialogs.

The last test runs a whole session through the UI, from sign-in to the clinician's sign-off,
with an injected clock, and checks what the core stored.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from ui_driver import answer_modal

from bedside.clock import FixedClock
from bedside.events import ConsentRecorded, DrugPrepared, Phase, PhaseAdvanced
from bedside.ids import SessionId
from bedside.people import User
from bedside.rules.intake import CONTRAINDICATIONS
from bedside.scales import ScaleName
from bedside.service import ChartService
from ui.board.login_dialog import LoginDialog
from ui.board.main_window import MainWindow
from ui.common.guard_view import OverrideDialog
from ui.dialogs.allergy_choice import AS_ON_RECORD, NKDA
from ui.dialogs.discharge import DischargeDialog, SignOffDialog, WasteDialog
from ui.dialogs.entries import TextEntry
from ui.dialogs.new_session import NewSessionDialog
from ui.dialogs.pump import StopDialog
from ui.dialogs.scale import ScaleDialog
from ui.dialogs.text import PasswordDialog
from ui.dialogs.vitals import VitalsDialog
from ui.session.window import SessionView
from ui.steps.baseline import BaselineStep
from ui.steps.consent import ConsentStep
from ui.steps.intake import IntakeStep
from ui.steps.page import StepPage
from ui.steps.preparation import PreparationStep

PASSWORD = "bedside-demo"


def free_patient(service: ChartService) -> Any:
    """A demo patient with an active course who is not in a chair."""
    seated = {
        service.context(s).patient.id for s in service.busy_chairs(service.clock.now()).values()
    }
    return next(
        p
        for p in service.store.find_patients("")
        if p.id not in seated and service.active_course(p.id) is not None
    )


def new_session(qtbot: QtBot, service: ChartService, nurse: User) -> tuple[SessionView, SessionId]:
    patient = free_patient(service)
    sid = service.open_session(nurse, patient_id=patient.id, chair=1).session_id
    view = SessionView(service, sid, service.clock, "dim", None, nurse)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    return view, sid


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible(), button.text()
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def fill_intake(qtbot: QtBot, page: IntakeStep, yes: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    for key in ("full_name", "date_of_birth"):
        page.identifiers[key].setChecked(True)
    for key, choice in page.questions.items():
        click(qtbot, choice.yes if key in yes else choice.no)
    click(qtbot, page.substance.no)
    page.pregnancy.setCurrentIndex(page.pregnancy.findData("not_applicable"))
    page.medicines.setChecked(True)
    page.fasting.setChecked(True)
    page.escort_name.setText("Robin Doe")
    page.escort_phone.setText("555-0199")
    # The allergies are asked every time: the record confirmed as it stands, or none known.
    known = page.allergies.on_record is not None
    click_answer(qtbot, page.allergies.button(AS_ON_RECORD if known else NKDA))


def click_answer(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.isChecked(), button.text()


def press(
    qtbot: QtBot,
    window: QWidget,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """A key on an active window (a closing dialog hands activation back to its window)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, key, modifier)


def events_of(service: ChartService, sid: SessionId, kind: str) -> list[Any]:
    return [e for e in service.state(sid).events if e.kind == kind]


# --- intake -----------------------------------------------------------------------------------


def test_intake_is_saved_only_when_every_question_is_answered(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    view, sid = new_session(qtbot, ui_service, nurse)
    page = view.pages.currentWidget()
    assert isinstance(page, IntakeStep)
    assert "intake screen has not been recorded" in page.guard.text()
    page.identifiers["full_name"].setChecked(True)
    page.identifiers["date_of_birth"].setChecked(True)
    click(qtbot, page.save)
    # Nothing answered: the questions are named and nothing is saved.
    assert "still to answer" in page.guard.text()
    assert CONTRAINDICATIONS["psychosis_mania"][0] in page.guard.text()
    assert ui_service.state(sid).intake is None
    fill_intake(qtbot, page)
    click(qtbot, page.save)
    assert ui_service.state(sid).intake is not None
    assert "Screen clear" in page.guard.text()
    click(qtbot, page.complete)
    assert ui_service.state(sid).phase is Phase.BASELINE
    assert isinstance(view.pages.currentWidget(), BaselineStep)
    assert view.steps.labels[0].text() == "✓ Intake"
    assert shown_errors == []


def test_relative_contraindication_needs_a_clinicians_override(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    view, sid = new_session(qtbot, ui_service, nurse)
    page = cast(IntakeStep, view.pages.currentWidget())
    fill_intake(qtbot, page, yes={"psychosis_mania"})
    click(qtbot, page.save)
    assert "clinician may override" in page.guard.text()

    def override(dialog: OverrideDialog) -> None:
        shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert "psychosis or mania" in shown
        assert "override authorised" in shown
        dialog.username.setText("drlee")
        dialog.password.setText(PASSWORD)
        dialog.reason.setText("One episode in 2019, stable on lithium; reviewed today")
        dialog.accept()

    answer_modal(OverrideDialog, override)
    click(qtbot, page.complete)
    state = ui_service.state(sid)
    assert state.phase is Phase.BASELINE
    advanced = cast(PhaseAdvanced, state.phase_changes[-1].payload)
    assert advanced.override is not None
    assert advanced.override.finding_codes == ("intake.contraindication.psychosis_mania",)
    assert advanced.override.signature.signer_name.startswith("Jordan Lee")
    assert shown_errors == []


def test_absolute_contraindication_cannot_be_overridden(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    view, sid = new_session(qtbot, ui_service, nurse)
    page = cast(IntakeStep, view.pages.currentWidget())
    fill_intake(qtbot, page, yes={"hypersensitivity"})
    click(qtbot, page.save)
    click(qtbot, page.complete)  # no override dialog is offered: the refusal is shown
    assert "cannot be overridden" in shown_errors[-1]
    assert "hypersensitivity" in shown_errors[-1]
    assert ui_service.state(sid).phase is Phase.INTAKE


# --- baseline, consent, dose ------------------------------------------------------------------


def record_vitals(
    qtbot: QtBot, button: QPushButton, values: dict[str, str], *, enter: str = "systolic"
) -> None:
    def type_them(dialog: VitalsDialog) -> None:
        for key, text in values.items():
            box = dialog.fields.get(key) or dialog.decimals[key]
            box.setText(text)
        qtbot.keyClick(dialog.fields[enter], Qt.Key.Key_Return)
        assert not dialog.isVisible(), dialog.message.text()

    answer_modal(VitalsDialog, type_them)
    click(qtbot, button)


def score(qtbot: QtBot, button: QPushButton, answers: dict[str, int]) -> None:
    def choose(dialog: ScaleDialog) -> None:
        for key, value in answers.items():
            combo = dialog.items.combos[key]
            combo.setCurrentIndex(combo.findData(value))
        dialog.accept()
        assert not dialog.isVisible(), dialog.message.text()

    answer_modal(ScaleDialog, choose)
    click(qtbot, button)


CSSRS_NO = {"q1_wish_dead": 0, "q2_active_thoughts": 0, "q6_behaviour": 0}
CADSS = dict.fromkeys(["item_01", "item_02", "item_06", "item_07", "item_15", "item_22"], 0)


def phq9(total: int) -> dict[str, int]:
    from bedside.scales import definition

    keys = definition(ScaleName.PHQ9).keys
    answers = dict.fromkeys(keys, 0)
    for i in range(total):
        answers[keys[i % len(keys)]] += 1
    return answers


def do_baseline(qtbot: QtBot, page: BaselineStep) -> None:
    record_vitals(
        qtbot,
        page.buttons["vitals"],
        {
            "systolic": "128",
            "diastolic": "80",
            "heart_rate": "74",
            "spo2": "98",
            "resp_rate": "14",
            "temperature_c": "36.8",
            "weight_kg": "70",
            "height_cm": "172",
        },
    )
    score(qtbot, page.buttons["moaas"], {"response": 5})
    score(qtbot, page.buttons["phq9"], phq9(18))
    score(qtbot, page.buttons["cssrs_screen"], CSSRS_NO)
    score(qtbot, page.buttons["cadss6"], CADSS)


def sign_on_pad(qtbot: QtBot, page: ConsentStep) -> None:
    pad = page.pad
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(20, 80))
    for x in range(30, 300, 15):
        qtbot.mouseMove(pad, QPoint(x, 60 + (x % 40)))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(300, 70))


def do_consent(qtbot: QtBot, page: ConsentStep, clinician: str = "drlee") -> None:
    for box in page.elements.values():
        box.setChecked(True)
    page.capacity.setChecked(True)
    sign_on_pad(qtbot, page)
    page.clinician.setText(clinician)
    page.password.setText(PASSWORD)
    click(qtbot, page.save)


def do_preparation(qtbot: QtBot, page: PreparationStep, checker: str = "sam") -> None:
    page.vial.setCurrentIndex(page.vial.findData(10.0))
    page.bag.setValue(100)
    assert "35 mg" in page.formula.text()
    assert "Dose = 0.5 mg/kg × 70 kg" in page.formula.text()
    click(qtbot, page.plan_button)
    # Typed as a nurse reads the vial: the amount drawn follows the vial (the whole vial).
    qtbot.keyClicks(page.vial_volume, "5")
    page.lot.setText("KX7781B")
    qtbot.keyClicks(page.expiry, "09/2027")
    assert page.expiry_shown.text() == "<b>30 September 2027 — the last day of the month</b>"
    assert page.drawn_ml.text() == "5"
    assert "50 mg</b> — the whole vial" in page.drawn_mg.text()
    page.checker.setText(checker)
    page.checker_password.setText(PASSWORD)
    click(qtbot, page.prep_button)


def walk_to(qtbot: QtBot, view: SessionView, phase: Phase) -> None:
    """Complete the guided steps before ``phase`` as a nurse would (each saved, then done)."""
    page = view.pages.currentWidget()
    while isinstance(page, StepPage) and page.phase is not phase:
        if isinstance(page, IntakeStep):
            fill_intake(qtbot, page)
            click(qtbot, page.save)
        elif isinstance(page, BaselineStep):
            do_baseline(qtbot, page)
        elif isinstance(page, ConsentStep):
            do_consent(qtbot, page)
        click(qtbot, page.complete)
        page = view.pages.currentWidget()
    assert isinstance(page, StepPage)
    assert page.phase is phase


def test_baseline_scales_and_ok_to_start_live(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    view, sid = new_session(qtbot, ui_service, nurse)
    page = cast(IntakeStep, view.pages.currentWidget())
    fill_intake(qtbot, page)
    click(qtbot, page.save)
    click(qtbot, page.complete)
    baseline = cast(BaselineStep, view.pages.currentWidget())
    assert "No baseline vitals" in baseline.guard.text()
    click(qtbot, baseline.complete)  # refused in words: PHQ-9 and C-SSRS are missing
    assert ui_service.state(sid).phase is Phase.BASELINE
    do_baseline(qtbot, baseline)
    assert "OK to start" in baseline.guard.text()
    assert "✓ <b>18</b>" in baseline.rows["phq9"].text()
    assert "70 kg" in baseline.rows["vitals"].text()
    click(qtbot, baseline.complete)
    assert ui_service.state(sid).phase is Phase.CONSENT


def test_scale_dialog_names_a_missing_item_and_stays_open(qtbot: QtBot) -> None:
    dialog = ScaleDialog(
        ScaleName.CSSRS, FixedClock(datetime(2026, 11, 24, 15, 0, tzinfo=UTC)), "America/New_York"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    combos = dialog.items.combos
    assert not combos["q3_method"].isEnabled()  # asked only after a "yes" to Q2
    combos["q1_wish_dead"].setCurrentIndex(combos["q1_wish_dead"].findData(0))
    combos["q2_active_thoughts"].setCurrentIndex(combos["q2_active_thoughts"].findData(1))
    assert combos["q3_method"].isEnabled()
    dialog.accept()
    assert dialog.isVisible()
    assert "Not saved" in dialog.message.text()
    assert "q3" in dialog.message.text().lower()


def test_consent_needs_the_pad_and_a_clinicians_password(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    view, sid = new_session(qtbot, ui_service, nurse)
    walk_to(qtbot, view, Phase.CONSENT)
    page = cast(ConsentStep, view.pages.currentWidget())
    for box in page.elements.values():
        box.setChecked(True)
    page.capacity.setChecked(True)
    page.clinician.setText("drlee")
    page.password.setText(PASSWORD)
    click(qtbot, page.save)
    assert "has not signed" in page.guard.text()
    assert ui_service.state(sid).consent is None
    # A nurse cannot confirm consent: the core refuses, shown in words.
    do_consent(qtbot, page, clinician="sam")
    assert "not allowed" in shown_errors[-1].lower()
    assert ui_service.state(sid).consent is None
    page.clinician.setText("drlee")
    page.password.setText(PASSWORD)
    click(qtbot, page.save)
    consent = cast(ConsentRecorded, ui_service.state(sid).consent.payload)  # type: ignore[union-attr]
    assert len(consent.patient_signature.strokes) == 1
    assert len(consent.patient_signature.strokes[0]) > 10
    assert consent.clinician_signature.signer_name.startswith("Jordan Lee")


def test_preparation_double_check_must_be_a_second_person(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    view, sid = new_session(qtbot, ui_service, nurse)
    walk_to(qtbot, view, Phase.PREPARED)
    page = cast(PreparationStep, view.pages.currentWidget())
    do_preparation(qtbot, page, checker="dana")
    assert "second person" in shown_errors[-1]
    assert ui_service.state(sid).preparation is None
    page.checker.setText("sam")
    page.checker_password.setText(PASSWORD)
    click(qtbot, page.prep_button)
    prep = cast(DrugPrepared, ui_service.state(sid).preparation.payload)  # type: ignore[union-attr]
    assert (prep.lot, prep.drawn_mg, prep.drawn_ml) == ("KX7781B", 50.0, 5.0)
    assert prep.double_check.signer_name.startswith("Sam Okafor")
    # Everything before the pump is done: the window shows the plan and the Start key.
    assert view.pages.currentWidget() is view.charting
    assert view.buttons["start"].isVisible()


# --- the whole session ------------------------------------------------------------------------


def test_a_whole_session_from_sign_in_to_sign_off(
    qtbot: QtBot,
    ui_service: ChartService,
    qsettings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[str],
) -> None:
    service = ui_service
    clock = cast(FixedClock, service.clock)
    # Sign in.
    login = LoginDialog(service.accounts, clinic_name="Riverside (demo)")
    qtbot.addWidget(login)
    login.show()
    login.username.setText("dana")
    login.password.setText(PASSWORD)
    click(qtbot, login.sign_in)
    assert login.user is not None
    window = MainWindow(service, login.user, clock, qsettings)
    window.ticker.stop()
    qtbot.addWidget(window)
    window.show()
    patient = free_patient(service)

    def choose_patient(dialog: NewSessionDialog) -> None:
        dialog.search.setText(patient.mrn)
        click(qtbot, dialog.start)

    answer_modal(NewSessionDialog, choose_patient)
    qtbot.keyClick(window.board.tiles[0], Qt.Key.Key_Return)
    assert len(window.session_windows) == 1  # the board opened the session's window
    view = next(iter(window.session_windows.values()))
    view.resize(1366, 700)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)  # the window's keys work only when it is active
    sid = view.session_id
    start = clock.now()

    def at(minutes: float) -> None:
        clock.set(start + timedelta(minutes=minutes))

    # Intake, baseline, consent, dose and preparation.
    intake = cast(IntakeStep, view.pages.currentWidget())
    fill_intake(qtbot, intake)
    click(qtbot, intake.save)
    press(qtbot, view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    at(4)
    do_baseline(qtbot, cast(BaselineStep, view.pages.currentWidget()))
    press(qtbot, view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    at(8)
    do_consent(qtbot, cast(ConsentStep, view.pages.currentWidget()))
    press(qtbot, view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    at(12)
    do_preparation(qtbot, cast(PreparationStep, view.pages.currentWidget()))
    # Start the pump: the confirmation names the rate.
    at(15)

    def yes(box: QMessageBox) -> None:
        assert "mL/h" in box.text()
        click(qtbot, cast(QPushButton, box.button(QMessageBox.StandardButton.Yes)))

    answer_modal(QMessageBox, yes)
    press(qtbot, view, Qt.Key.Key_I)
    assert service.state(sid).phase is Phase.INFUSING
    # Timed checks every 10 minutes with the keypad and the sedation score.
    readings = [("134", "84", "80"), ("140", "88", "84"), ("138", "86", "82"), ("132", "84", "78")]
    for n, (sbp, dbp, hr) in enumerate(readings, start=1):
        at(15 + 10 * n)
        values = {
            "systolic": sbp,
            "diastolic": dbp,
            "heart_rate": hr,
            "spo2": "97",
            "resp_rate": "14",
        }
        record_vitals(qtbot, view.buttons["vitals"], values)
        score(qtbot, view.buttons["sedation"], {"response": 4 if n < 4 else 5})
    at(55)  # 40 minutes after the start at 15

    def stop(dialog: StopDialog) -> None:
        shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert "imply about 103.5 mL" in shown  # 155.3 mL/h for 40 min: a cross-check
        dialog.accept()  # nothing typed yet: refused in the dialog
        assert dialog.isVisible()
        assert "volume infused" in dialog.message.text()
        dialog.volume.setValue(103.5)  # read off the pump
        assert not dialog.early.isChecked()
        dialog.accept()

    answer_modal(StopDialog, stop)
    press(qtbot, view, Qt.Key.Key_S)
    assert service.state(sid).phase is Phase.OBSERVING
    score(qtbot, view.buttons["cadss"], {**CADSS, "item_01": 2, "item_06": 1})
    # Observation: a check deferred while the patient rests, then the discharge checks.
    at(66)
    monkeypatch.setattr(
        "ui.dialogs.entries.TextEntryDialog.ask",
        lambda *a, **k: TextEntry("Patient resting, eyes closed"),
    )
    press(qtbot, view, Qt.Key.Key_F)
    assert events_of(service, sid, "check_deferred")
    at(90)
    values = {
        "systolic": "126",
        "diastolic": "80",
        "heart_rate": "74",
        "spo2": "98",
        "resp_rate": "14",
    }
    record_vitals(qtbot, view.buttons["vitals"], values)
    score(qtbot, view.buttons["sedation"], {"response": 5})
    score(qtbot, view.buttons["cadss"], CADSS)

    def discharge(dialog: DischargeDialog) -> None:
        assert not dialog.iv_removed.isChecked()  # nothing is pre-scored or pre-ticked
        dialog.accept()
        assert dialog.isVisible()
        assert "still to assess" in dialog.message.text()
        dialog.iv_removed.setChecked(True)
        for combo in dialog.items.values():
            combo.setCurrentIndex(combo.findData(2))
        dialog.escort.setChecked(True)
        dialog.instructions.setChecked(True)
        dialog.accept()

    answer_modal(DischargeDialog, discharge)
    press(qtbot, view, Qt.Key.Key_D)

    def waste(dialog: WasteDialog) -> None:
        assert dialog.amount.value() == 0  # typed, or all that is open taken on a key
        dialog.use_open()
        assert dialog.amount.value() == pytest.approx(15.0)  # 50 drawn − 35 infused
        dialog.witness.setText("sam")
        dialog.password.setText(PASSWORD)
        dialog.accept()

    answer_modal(WasteDialog, waste)
    press(qtbot, view, Qt.Key.Key_W)

    def ready(box: QMessageBox) -> None:
        assert "ready for discharge" in box.text()
        click(qtbot, cast(QPushButton, box.button(QMessageBox.StandardButton.Yes)))

    answer_modal(QMessageBox, ready)
    press(qtbot, view, Qt.Key.Key_R)
    assert service.state(sid).phase is Phase.READY_FOR_DISCHARGE
    assert "All criteria first met" in view.panel.text()

    def sign(dialog: SignOffDialog) -> None:
        shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert "Discharge approved" in shown
        dialog.username.setText("drlee")
        dialog.password.setText(PASSWORD)
        dialog.accept()

    # The charting nurse signs her charting (G), then the clinician signs off.
    def attest(dialog: PasswordDialog) -> None:
        dialog.password.setText(PASSWORD)
        dialog.accept()

    answer_modal(PasswordDialog, attest)
    press(qtbot, view, Qt.Key.Key_G)
    assert not view.buttons["attest"].isVisible()

    answer_modal(SignOffDialog, sign)
    press(qtbot, view, Qt.Key.Key_O)
    assert shown_errors == []
    # What the core stored.
    state = service.state(sid)
    assert state.phase is Phase.SIGNED
    assert state.locked
    kinds = [e.kind for e in state.events]
    for kind in (
        "intake_screened",
        "baseline_vitals",
        "consent_recorded",
        "dose_planned",
        "drug_prepared",
        "infusion_started",
        "infusion_stopped",
        "check_deferred",
        "discharge_assessed",
        "waste_recorded",
        "session_signed",
    ):
        assert kind in kinds, kind
    assert len(state.vitals) == 5
    assert {cast(Any, e.payload).scale for e in state.scales} >= {
        ScaleName.MOAAS,
        ScaleName.PHQ9,
        ScaleName.CSSRS,
        ScaleName.CADSS6,
    }
    assert [p.to_phase for p in (cast(PhaseAdvanced, e.payload) for e in state.phase_changes)] == [
        Phase.BASELINE,
        Phase.CONSENT,
        Phase.PREPARED,
        Phase.READY_FOR_DISCHARGE,
    ]
    signed = cast(Any, state.signed).payload
    assert signed.signature.signer_name.startswith("Jordan Lee")
    (attested,) = state.attestations
    assert cast(Any, attested.payload).signature.signer_name.startswith("Dana Reyes")
    assert state.events[0].clinical_time == start
    assert service.store.verify() is not None
    assert [n for n, b in view.buttons.items() if b.isVisible()] == ["addendum"]


def test_expiry_must_be_typed_and_scrolling_never_changes_a_field(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    view, sid = new_session(qtbot, ui_service, nurse)
    walk_to(qtbot, view, Phase.PREPARED)
    page = cast(PreparationStep, view.pages.currentWidget())
    click(qtbot, page.plan_button)
    assert page.expiry.text() == ""  # no default date
    assert page.expiry_shown.text() == "type the date printed on the vial"
    page.lot.setText("KX1")
    page.vial_volume.setText("5")
    page.checker.setText("sam")
    page.checker_password.setText(PASSWORD)
    click(qtbot, page.prep_button)
    assert "Expiry: type the date printed on the vial" in page.guard.text()
    assert ui_service.state(sid).preparation is None
    # A wheel turn over a field without the focus leaves its value alone.
    page.lot.setFocus()
    before = page.bag.value()
    wheel = QWheelEvent(
        QPointF(5, 5),
        QPointF(5, 5),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(page.bag, wheel)
    assert page.bag.value() == before
    assert shown_errors == []


def test_a_session_opened_for_the_wrong_patient_is_ended_with_a_reason(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[str],
) -> None:
    view, sid = new_session(qtbot, ui_service, nurse)
    monkeypatch.setattr(
        "ui.dialogs.text.TextDialog.ask", lambda *a, **k: "Opened for the wrong patient"
    )
    click(qtbot, view.buttons["end"])
    state = ui_service.state(sid)
    assert state.closed
    assert state.ended_early is not None
    assert cast(Any, state.ended_early.payload).reason == "Opened for the wrong patient"
    assert [n for n, b in view.buttons.items() if b.isVisible()] == ["addendum"]
    assert view.pages.currentWidget() is view.charting
    # The chair is free again on the board.
    assert 1 not in ui_service.busy_chairs(ui_service.clock.now())


def test_ending_early_while_the_pump_runs_is_refused_in_words(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[str],
) -> None:
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    view = SessionView(ui_service, sid, ui_service.clock, "dim", None, nurse)
    qtbot.addWidget(view)
    view.show()
    monkeypatch.setattr("ui.dialogs.text.TextDialog.ask", lambda *a, **k: "Patient withdrew")
    click(qtbot, view.buttons["end"])
    assert "Stop the infusion first" in shown_errors[-1]
    assert not ui_service.state(sid).closed


def test_completing_intake_saves_the_screen_on_the_way(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    view, sid = new_session(qtbot, ui_service, nurse)
    page = cast(IntakeStep, view.pages.currentWidget())
    fill_intake(qtbot, page)
    click(qtbot, page.complete)  # no separate "Save" press
    state = ui_service.state(sid)
    assert state.intake is not None
    assert state.phase is Phase.BASELINE
    assert [e.kind for e in state.events].count("intake_screened") == 1
    assert shown_errors == []
