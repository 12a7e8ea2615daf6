"""Correcting a PRN, the dose plan, the preparation and a discharge assessment from the session
record (issue 9 A3): each in its own form filled with the entry as charted, with a reason; the
core judges the corrected entry again (an allergy needs a clinician's override, the plan is
computed again, the preparation is double-checked again)."""

from __future__ import annotations

from typing import Any, cast

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_driver import answer_modal, session_window

from bedside.errors import InputRejected
from bedside.events import (
    DischargeAssessed,
    DosePlanned,
    DrugPrepared,
    IntakeScreened,
    PrnGiven,
)
from bedside.ids import EventId, SessionId
from bedside.people import User
from bedside.service import ChartService
from ui.common.guard_view import OverrideEntry
from ui.dialogs.discharge_correction import DischargeCorrectionDialog
from ui.dialogs.preparation_correction import DosePlanCorrectionDialog, PreparationCorrectionDialog
from ui.dialogs.prn import PrnDialog
from ui.session.window import SessionView
from ui.steps.intake_correction import IntakeCorrectionDialog


def _open(
    qtbot: QtBot, service: ChartService, nurse: User, chair: int
) -> tuple[SessionView, SessionId]:
    sid = service.busy_chairs(service.clock.now())[chair]
    view = session_window(qtbot, service, sid, nurse)
    return view, sid


def _correct(
    qtbot: QtBot, view: SessionView, event_id: EventId, key: Qt.Key = Qt.Key.Key_C
) -> None:
    """Select the entry in the record and press ``key`` there (C corrects, Delete voids)."""
    model = view.record.model
    row = next(
        r
        for r in range(model.rowCount())
        if (s := model.row_at(r)) is not None and s.event_id == event_id
    )
    view.record.table.setFocus()
    view.record.table.selectRow(row)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view.record.table, key)


def test_a_prn_is_corrected_in_its_own_dialog_and_an_allergy_needs_an_override(
    qtbot: QtBot, ui_service: ChartService, nurse: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    view, sid = _open(qtbot, ui_service, nurse, 3)  # Sean O'Brien: latex; ondansetron given
    original = ui_service.state(sid).prns[-1]
    charted = cast(PrnGiven, original.payload)
    seen: dict[str, Any] = {}

    def change_drug(dialog: PrnDialog) -> None:
        # Filled with the dose as charted; the given list does not count it twice.
        seen["filled"] = (
            dialog.drug.currentText(), dialog.dose.text(), dialog.unit.currentText(),
            dialog.route.currentText(), dialog.indication.text(), dialog.ordered_by.currentData(),
        )  # fmt: skip
        seen["title"] = dialog.windowTitle()
        seen["given"] = dialog.findChild(type(dialog.checks), "prnGiven").text()
        dialog.drug.setEditText("latex gloves")
        seen["refusal"] = dialog.refusals.text()
        dialog.accept()
        seen["no reason"] = dialog.missing.text()
        dialog.reason.setText("wrong item charted")
        dialog.confirm.setChecked(True)  # "not on the clinic's list", read and confirmed
        dialog.accept()

    def as_typed(dialog: PrnDialog) -> None:
        seen["again"] = (dialog.drug.currentText(), dialog.reason.text())
        dialog.confirm.setChecked(True)
        dialog.accept()

    overrides: list[OverrideEntry | None] = [
        None,  # the clinician is not there: nothing saved, the dialog reopens as typed
        OverrideEntry("drlee", "bedside-demo", "allergist letter: latex contact only"),
    ]
    monkeypatch.setattr("ui.common.guard_view.ask_override", lambda *a: overrides.pop(0))
    answer_modal(PrnDialog, change_drug)
    answer_modal(PrnDialog, as_typed)
    _correct(qtbot, view, original.id)
    assert seen["filled"] == (
        charted.drug, f"{charted.dose:g}", charted.unit, charted.route, charted.indication,
        charted.ordered_by,
    )  # fmt: skip
    assert seen["title"] == "Correct: PRN medicine given"
    assert "no PRN medicine yet" in seen["given"]
    assert "Allergy: latex gloves" in seen["refusal"]
    assert "Reason for correction" in seen["no reason"]
    assert seen["again"] == ("latex gloves", "wrong item charted")
    state = ui_service.state(sid)
    fixed = state.prns[-1]
    prn = cast(PrnGiven, fixed.payload)
    assert fixed.supersedes == original.id
    assert prn.drug == "latex gloves"
    assert prn.override is not None
    assert prn.override.reason == "allergist letter: latex contact only"
    assert fixed.reason == "wrong item charted"
    assert state.superseded[original.id].reason == "wrong item charted"


def test_the_preparation_is_corrected_with_a_fresh_double_check(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    view, sid = _open(qtbot, ui_service, nurse, 2)  # infusing
    original = ui_service.state(sid).preparation
    assert original is not None
    charted = cast(DrugPrepared, original.payload)
    seen: dict[str, str] = {}

    def fix_lot(dialog: PreparationCorrectionDialog) -> None:
        seen["lot"], seen["expiry"] = dialog.lot.text(), dialog.expiry.text()
        seen["volume"], seen["drawn"] = dialog.vial_volume.text(), dialog.drawn_ml.text()
        seen["checker"] = dialog.checker.text() + dialog.password.text()
        dialog.lot.setText("KX2291B")
        dialog.expiry.setText("06/2028")
        seen["read"] = dialog.expiry_shown.text()
        dialog.reason.setText("lot misread")
        dialog.accept()
        seen["unsigned"] = dialog.message.text()
        dialog.checker.setText("sam")
        dialog.password.setText("wrong")
        dialog.accept()

    def signed_again(dialog: PreparationCorrectionDialog) -> None:
        seen["kept"] = (
            dialog.lot.text() + "|" + dialog.checker.text() + "|" + dialog.password.text()
        )
        dialog.password.setText("bedside-demo")
        dialog.accept()

    answer_modal(PreparationCorrectionDialog, fix_lot)
    answer_modal(PreparationCorrectionDialog, signed_again)
    _correct(qtbot, view, original.id)
    assert (seen["lot"], seen["volume"], seen["drawn"]) == (charted.lot, "5", "5")
    assert seen["expiry"] == f"{charted.expiry.day} {charted.expiry:%b %Y}"
    assert seen["checker"] == ""  # a fresh double-check: never the original's signer
    assert "30 June 2028 — the last day of the month" in seen["read"]
    assert "Double-check" in seen["unsigned"]
    assert shown_errors == ["User name or password is wrong"]
    assert seen["kept"] == "KX2291B|sam|"  # reopened as typed, less the password
    prep = ui_service.state(sid).preparation
    assert prep is not None
    assert prep.supersedes == original.id
    fixed = cast(DrugPrepared, prep.payload)
    assert fixed.lot == "KX2291B"
    assert fixed.expiry.isoformat() == "2028-06-30"
    assert fixed.double_check.signed_at == ui_service.clock.now()
    assert fixed.double_check != charted.double_check


def test_the_dose_plan_is_computed_again_in_its_form_and_is_never_voided(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    view, sid = _open(qtbot, ui_service, nurse, 2)
    original = ui_service.state(sid).dose_plan
    assert original is not None
    charted = cast(DosePlanned, original.payload)
    seen: dict[str, str] = {}

    def bigger_bag(dialog: DosePlanCorrectionDialog) -> None:
        seen["filled"] = f"{dialog.vial.currentData():g}|{dialog.bag.text()}"
        dialog.bag.setText("250")
        seen["formula"] = dialog.formula.text()
        dialog.reason.setText("a 250 mL bag was used")
        dialog.accept()

    answer_modal(DosePlanCorrectionDialog, bigger_bag)
    _correct(qtbot, view, original.id)
    assert seen["filled"] == f"{charted.vial_concentration_mg_ml:g}|{charted.bag_volume_ml:g}"
    plan_event = ui_service.state(sid).dose_plan
    assert plan_event is not None
    assert plan_event.supersedes == original.id
    plan = cast(DosePlanned, plan_event.payload)
    assert plan.bag_volume_ml == 250
    assert plan.dose_mg == charted.dose_mg
    assert plan.final_volume_ml == 250 + charted.drug_volume_ml  # computed by the core
    assert f"{plan.rate_ml_h:g} mL/h" in seen["formula"]  # the core's plan, shown before saving
    _correct(qtbot, view, plan_event.id, Qt.Key.Key_Delete)
    assert "never voided" in shown_errors[-1]
    assert ui_service.state(sid).dose_plan == plan_event


def test_a_discharge_assessment_is_corrected_filled_with_its_answers(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    view, sid = _open(qtbot, ui_service, nurse, 3)  # ready for discharge
    original = ui_service.state(sid).discharge_assessments[-1]
    charted = cast(DischargeAssessed, original.payload)
    first = next(iter(charted.answers))
    seen: dict[str, Any] = {}

    def lower(dialog: DischargeCorrectionDialog) -> None:
        seen["answers"] = {k: c.currentData() for k, c in dialog.items.items()}
        seen["escort"] = dialog.escort.isChecked()
        combo = dialog.items[first]
        combo.setCurrentIndex(combo.findData(charted.answers[first] - 1))
        dialog.reason.setText("scored before the walk test")
        dialog.accept()

    answer_modal(DischargeCorrectionDialog, lower)
    _correct(qtbot, view, original.id)
    assert seen["answers"] == charted.answers
    assert seen["escort"] == charted.escort_present
    fixed = ui_service.state(sid).discharge_assessments[-1]
    assert fixed.supersedes == original.id
    assessed = cast(DischargeAssessed, fixed.payload)
    assert assessed.answers[first] == charted.answers[first] - 1
    assert assessed.total == charted.total - 1  # scored again by the core
    assert fixed.reason == "scored before the walk test"


def test_an_intake_screen_is_corrected_in_the_intake_form_filled_as_charted(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    shown_errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view, sid = _open(qtbot, ui_service, nurse, 2)
    intake = ui_service.state(sid).intake
    assert intake is not None
    charted = cast(IntakeScreened, intake.payload)
    real = ui_service.correct_intake
    refusals = [InputRejected("Escort phone: refused once, as another workstation might")]

    def correct_once_refused(*args: Any, **kwargs: Any) -> Any:
        if refusals:
            raise refusals.pop()
        return real(*args, **kwargs)

    monkeypatch.setattr(ui_service, "correct_intake", correct_once_refused)
    seen: dict[str, Any] = {}

    def again(dialog: IntakeCorrectionDialog) -> None:
        seen["kept"] = (dialog.step.escort_name.text(), dialog.reason.text())
        dialog.accept()

    def fix(dialog: IntakeCorrectionDialog) -> None:
        seen["filled"] = dialog.step.escort_name.text()
        seen["save shown"] = dialog.step.save.isVisible()
        dialog.step.escort_name.setText("Pat Doe-Smith")
        dialog.accept()  # no reason: refused in the form, which stays open
        seen["no reason"] = (dialog.isVisible(), dialog.message.text())
        dialog.reason.setText("escort's name was misspelt")
        # The refusal reopens this same form (answered once; it finishes twice).
        once = [lambda: answer_modal(IntakeCorrectionDialog, again)]
        dialog.finished.connect(lambda _: once and once.pop()())
        dialog.accept()

    answer_modal(IntakeCorrectionDialog, fix)
    _correct(qtbot, view, intake.id)
    assert seen["filled"] == charted.escort_name
    assert seen["save shown"] is False
    assert seen["no reason"][0]
    assert "Reason for correction" in seen["no reason"][1]
    assert shown_errors == ["Escort phone: refused once, as another workstation might"]
    assert seen["kept"] == ("Pat Doe-Smith", "escort's name was misspelt")  # as typed
    fixed = ui_service.state(sid).intake
    assert fixed is not None
    assert fixed.supersedes == intake.id
    assert fixed.reason == "escort's name was misspelt"
    assert cast(IntakeScreened, fixed.payload).escort_name == "Pat Doe-Smith"
