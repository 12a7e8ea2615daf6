"""Issue 10 item 9 where the nurse sees it: a stale baseline at the pump start (the age and the two
ways forward), the caution band in the baseline step (a clinician acknowledges it there), and a
caution value marked on the flowsheet without relying on colour.

The demo's chair 4 has the drug drawn up; its baseline was charted at 09:48 in New York
(12 min before the demo's moment).
"""

from __future__ import annotations

from typing import Any, cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot
from ui_driver import answer_modal, session_window

from bedside.clock import FixedClock
from bedside.context import SessionChange
from bedside.events import InfusionStarted, Phase, PhaseAdvanced
from bedside.ids import SessionId
from bedside.people import User
from bedside.scales import ScaleName
from bedside.service import ChartService
from charting.flowsheet import build_flowsheet
from ui.common import operations
from ui.common.guard_view import OverrideDialog
from ui.demo import no_contraindications
from ui.demo.answers import cssrs_negative, phq9_answers
from ui.dialogs.pump import StartRefusedDialog
from ui.session import pump_actions
from ui.session.flowsheet_model import FlowsheetTableModel
from ui.session.panel import LEGEND_HTML
from ui.steps.baseline import BaselineStep

PASSWORD = "bedside-demo"


def prepared_chair(service: ChartService) -> SessionId:
    """The demo session with the drug drawn up (chair 4)."""
    return next(s for c, s in service.busy_chairs(service.clock.now()).items() if c == 4)


def shown_text(dialog: Any) -> str:
    return " ".join(label.text() for label in dialog.findChildren(QLabel))


@pytest.fixture
def confirm_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The "Start the pump at … ?" question answered yes."""
    monkeypatch.setattr(operations, "confirm", lambda parent, title, text: True)


def test_a_stale_baseline_shows_its_age_and_a_clinician_confirms_the_start(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    shown_errors: list[str],
    confirm_yes: None,
) -> None:
    sid = prepared_chair(ui_service)
    cast(FixedClock, ui_service.clock).advance(minutes=30)  # the baseline is now 42 min old
    view = session_window(qtbot, ui_service, sid, nurse)
    seen: dict[str, str] = {}

    def choose_clinician(dialog: StartRefusedDialog) -> None:
        seen["text"] = shown_text(dialog)
        assert dialog.findChild(QPushButton, "freshBaseline").isDefault()
        dialog.findChild(QPushButton, "clinicianConfirms").click()

    def confirm(dialog: OverrideDialog) -> None:
        dialog.username.setText("drlee")
        dialog.password.setText(PASSWORD)
        dialog.reason.setText("Re-checked at the chair 130/80, calm; start now")
        dialog.accept()

    answer_modal(StartRefusedDialog, choose_clinician)
    answer_modal(OverrideDialog, confirm)
    pump_actions.start_infusion(view)
    assert "42 min old (limit 30 min)" in seen["text"]
    assert "Latest baseline blood pressure 128/82 mmHg, taken at 09:48 (42 min ago)" in seen["text"]
    assert "Chart a fresh baseline set" in seen["text"]
    assert "A clinician may confirm the start" in seen["text"]
    assert shown_errors == []
    state = ui_service.state(sid)
    assert state.phase is Phase.INFUSING
    started = next(e for e in state.events if e.kind == "infusion_started")
    override = cast(InfusionStarted, started.payload).override
    assert override is not None
    assert override.finding_codes == ("start.baseline_stale",)
    assert view.ctx.state.phase is Phase.INFUSING  # the window redrew from the change


def test_a_fresh_baseline_set_charted_from_the_refusal_lets_the_pump_start(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    shown_errors: list[str],
    confirm_yes: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sid = prepared_chair(ui_service)
    cast(FixedClock, ui_service.clock).advance(minutes=30)
    view = session_window(qtbot, ui_service, sid, nurse)
    asked: list[bool] = []

    def fresh_set(
        service: ChartService, session: Any, user: User, *args: Any, baseline: bool = False
    ) -> SessionChange:
        asked.append(baseline)
        return service.record_baseline(
            user, session, systolic=130, diastolic=80, heart_rate=74, spo2=98, resp_rate=14
        )

    monkeypatch.setattr(pump_actions.VitalsDialog, "ask", fresh_set)
    answer_modal(StartRefusedDialog, lambda d: d.findChild(QPushButton, "freshBaseline").click())
    pump_actions.start_infusion(view)
    assert asked == [True]  # the keypad opened as a baseline set
    assert shown_errors == []
    state = ui_service.state(sid)
    assert state.phase is Phase.INFUSING
    assert state.baseline_value("systolic") == 130
    started = next(e for e in state.events if e.kind == "infusion_started")
    assert cast(InfusionStarted, started.payload).override is None


def test_a_fresh_baseline_start_refusal_that_is_cancelled_starts_nothing(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    shown_errors: list[str],
    confirm_yes: None,
) -> None:
    sid = prepared_chair(ui_service)
    cast(FixedClock, ui_service.clock).advance(minutes=45)
    view = session_window(qtbot, ui_service, sid, nurse)
    answer_modal(StartRefusedDialog, lambda d: d.reject())
    pump_actions.start_infusion(view)
    assert ui_service.state(sid).phase is Phase.PREPARED
    assert shown_errors == []


def in_baseline_step(service: ChartService, nurse: User, **vitals: Any) -> SessionId:
    """A new session on chair 1 (free in the demo), screened, in the baseline step with a full
    baseline set and the pre-session scores."""
    seated = {
        service.context(s).patient.id for s in service.busy_chairs(service.clock.now()).values()
    }
    patient = next(
        p
        for p in service.store.find_patients("")
        if p.id not in seated and service.active_course(p.id) is not None
    )
    sid = service.open_session(nurse, patient_id=patient.id, chair=1).session_id
    service.record_intake(
        nurse,
        sid,
        identifiers_checked=("full_name", "date_of_birth"),
        contraindications=no_contraindications(),
        pregnancy_test="not_applicable",
        medicines_reviewed=True,
        fasting_as_instructed=True,
        substance_use_48h=False,
        escort_name="Chris Doe",
        escort_phone="555-0142",
        allergies={"state": "nkda"},
    )
    service.advance(nurse, sid, Phase.BASELINE)
    service.record_baseline(
        nurse, sid, heart_rate=76, spo2=98, resp_rate=14, weight_kg=70.0, **vitals
    )
    service.score_scale(nurse, sid, ScaleName.MOAAS, {"response": 5})
    service.score_scale(nurse, sid, ScaleName.PHQ9, phq9_answers(14))
    service.score_scale(nurse, sid, ScaleName.CSSRS, cssrs_negative())
    return sid


def test_the_baseline_step_names_the_caution_and_a_clinician_acknowledges_it(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    sid = in_baseline_step(ui_service, nurse, systolic=150, diastolic=88)
    view = session_window(qtbot, ui_service, sid, nurse)
    page = view.pages.currentWidget()
    assert isinstance(page, BaselineStep)
    guard = page.guard.text()
    assert "Caution: Systolic BP 150 mmHg above 140 — a clinician acknowledges it" in guard
    assert "a clinician may override" in guard

    def acknowledge(dialog: OverrideDialog) -> None:
        assert "Systolic BP 150 mmHg above 140" in shown_text(dialog)
        dialog.username.setText("drlee")
        dialog.password.setText(PASSWORD)
        dialog.reason.setText("Usual for him (150/90 at home); benefit outweighs the risk")
        dialog.accept()

    answer_modal(OverrideDialog, acknowledge)
    qtbot.mouseClick(page.complete, Qt.MouseButton.LeftButton)
    state = ui_service.state(sid)
    assert state.phase is Phase.CONSENT
    advanced = cast(PhaseAdvanced, state.phase_changes[-1].payload)
    assert advanced.override is not None
    assert advanced.override.finding_codes == ("baseline.caution.systolic",)
    assert shown_errors == []


@pytest.mark.parametrize("theme", ["dim", "light"])
def test_a_caution_value_is_marked_on_the_flowsheet_not_by_colour(
    ui_service: ChartService, nurse: User, theme: str
) -> None:
    sid = in_baseline_step(ui_service, nurse, systolic=152, diastolic=84)
    ctx = ui_service.context(sid)
    model = FlowsheetTableModel("America/New_York", theme)
    model.set_rows(build_flowsheet(ctx.state, ctx.protocol))
    systolic, diastolic = model.index(0, 1), model.index(0, 2)
    assert systolic.data() == "152 △"
    assert diastolic.data() == "84"
    assert systolic.data(Qt.ItemDataRole.ForegroundRole) is None  # a mark, not an alert colour
    assert not systolic.data(Qt.ItemDataRole.FontRole).bold()
    tip = systolic.data(Qt.ItemDataRole.ToolTipRole)
    assert "Caution before the start (a clinician acknowledges it)" in tip
    assert "Systolic BP 152 mmHg above 140" in tip
    assert "△" in LEGEND_HTML
