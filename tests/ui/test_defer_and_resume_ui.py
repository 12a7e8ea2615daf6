"""Issue 10, items 1 and 5 where the nurse sees them: deferring a mandatory check goes to a
clinician, the reason is never pre-filled, and the resume question shows the latest BP and its
age and goes to a clinician when there is no fresh reading."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from ui_driver import answer_modal, session_window

from bedside.events import CheckDeferred, InfusionResumed, Phase
from bedside.ids import SessionId
from bedside.people import User
from bedside.service import ChartService
from bedside.timeutil import local_text
from ui.common.guard_view import OverrideEntry
from ui.demo import DemoStaff, chart_reference_session
from ui.dialogs.entries import TextEntryDialog
from ui.dialogs.pump import StopDialog
from ui.session import entry_actions, pump_actions


def demo_staff(service: ChartService) -> DemoStaff:
    users = {u.username: u for u in service.store.users()}
    return DemoStaff(users["admin"], users["dana"], users["sam"], users["drlee"])


def infusing(service: ChartService) -> tuple[SessionId, datetime, DemoStaff]:
    """Alex Doe's reference session, pump started at S (vitals at S+10 and S+20); returns S."""
    staff = demo_staff(service)
    clock = service.clock
    opened = clock.now() - timedelta(minutes=45)
    alex = service.store.find_patients("Doe")[0]
    sid = chart_reference_session(
        service,
        clock,
        staff,
        alex,
        chair=1,
        start=opened,
        until=Phase.INFUSING,  # type: ignore[arg-type]
    )
    return sid, opened + timedelta(minutes=20), staff


def set_clock(service: ChartService, when: datetime) -> None:
    service.clock.set(when)  # type: ignore[attr-defined]


def test_the_deferral_reason_starts_empty_and_a_mandatory_bp_needs_a_clinician(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    shown_errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sid, start, staff = infusing(ui_service)
    set_clock(ui_service, start + timedelta(minutes=40))  # the mandatory BP is due
    view = session_window(qtbot, ui_service, sid, nurse)
    asked: list[str] = []

    def type_reason(dialog: TextEntryDialog) -> None:
        asked.append(dialog.text())
        prompt = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert "a clinician allows deferring it with their password" in prompt
        dialog.editor.setText("Asleep after a calm infusion")  # type: ignore[union-attr]
        dialog.accept()

    override_asked: list[str] = []

    def clinician(report: object, step: str, parent: object) -> OverrideEntry:
        override_asked.append(step)
        return OverrideEntry("drlee", "bedside-demo", "Slept well; BP at 38 min was 128/80")

    monkeypatch.setattr("ui.common.guard_view.ask_override", clinician)
    answer_modal(TextEntryDialog, type_reason)
    entry_actions.defer_check(view)
    assert asked == [""]  # nothing pre-filled: the nurse types why
    assert override_asked == ["Defer the mandatory BP"]
    assert shown_errors == []
    (deferral,) = ui_service.state(sid).deferrals
    payload = deferral.payload
    assert isinstance(payload, CheckDeferred)
    assert payload.mandatory
    assert payload.allowed is not None
    assert payload.allowed.clinician_id == staff.clinician.id


def test_the_resume_question_shows_the_latest_bp_and_a_clinician_may_override(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    shown_errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sid, start, staff = infusing(ui_service)
    set_clock(ui_service, start + timedelta(minutes=30))
    saved = ui_service.record_vitals(
        staff.nurse, sid, systolic=186, diastolic=104, heart_rate=96, spo2=96
    )
    ui_service.acknowledge_alert(
        staff.nurse, sid, saved.events[1].id, action_taken="Paused, Dr Lee told", pause_pump=True
    )
    set_clock(ui_service, start + timedelta(minutes=34))
    view = session_window(qtbot, ui_service, sid, nurse)
    questions: list[str] = []
    monkeypatch.setattr(
        "ui.common.operations.confirm", lambda parent, title, text: questions.append(text) or True
    )
    override_asked: list[str] = []

    def clinician(report: object, step: str, parent: object) -> OverrideEntry:
        override_asked.append(step)
        return OverrideEntry("drlee", "bedside-demo", "Manual BP 150/90 by Dr Lee at the chair")

    monkeypatch.setattr("ui.common.guard_view.ask_override", clinician)
    pump_actions.pause_or_resume(view)
    (question,) = questions
    assert "Latest BP 186/104 at" in question
    assert "(4 min ago)" in question
    assert "The latest BP 186/104 at" in question
    assert "is itself at the pause limit" in question
    assert "Yes: a clinician overrides" in question
    assert override_asked == ["Resume the infusion"]
    state = ui_service.state(sid)
    assert state.phase is Phase.INFUSING
    resumed = [e for e in state.events if isinstance(e.payload, InfusionResumed)][-1]
    assert isinstance(resumed.payload, InfusionResumed)
    assert resumed.payload.override is not None


def test_the_stop_names_the_checks_missed_during_the_infusion(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    sid, start, _ = infusing(ui_service)
    set_clock(ui_service, start + timedelta(minutes=43))  # nothing charted since S+20
    view = session_window(qtbot, ui_service, sid, nurse)
    seen: list[str] = []

    def look(dialog: StopDialog) -> None:
        seen.append(dialog.missed.text() if dialog.missed.isVisible() else "")
        dialog.reject()

    answer_modal(StopDialog, look)
    pump_actions.stop_infusion(view)
    tz = ui_service.timezone
    due_30 = local_text(start + timedelta(minutes=30), tz, "%H:%M")
    assert seen == [
        f"Missed during the infusion: vitals {due_30}. They stay missed on the record. "
        "A check falls due at the stop: take the vitals now."
    ]


def test_the_override_form_stays_open_with_what_was_typed_until_the_reason_is_enough(
    qtbot: QtBot,
) -> None:
    # Found by a nurse's walk: "ok" as the reason closed the form and lost the name and password.
    from bedside.report import RuleReport, error
    from ui.common.guard_view import OverrideDialog

    report = RuleReport.of([error("resume.no_fresh_bp", "No BP since", overridable=True)])
    dialog = OverrideDialog(report, "Resume the infusion")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("drlee")
    dialog.password.setText("bedside-demo")
    dialog.reason.setText("ok")
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.message.text() == "An override needs a reason (at least 5 characters)"
    assert (dialog.username.text(), dialog.password.text()) == ("drlee", "bedside-demo")
    dialog.password.clear()
    dialog.reason.setText("Manual BP 150/90 at the chair")
    dialog.accept()
    assert dialog.message.text() == "Type the clinician's password"
    dialog.password.setText("bedside-demo")
    dialog.accept()
    assert not dialog.isVisible()
