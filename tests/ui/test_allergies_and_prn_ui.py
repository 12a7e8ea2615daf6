"""Allergies and PRN medicines through the real widgets: the session heading says the allergy
state in words and colour; registering and intake make the nurse answer; the PRN dialog offers
the clinic's list (the usual dose a hint, never a value), shows what was given and the core's
findings before saving, saves with Enter, and an allergy refusal goes to a clinician's override
or reopens the dialog as typed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog
from pytestqt.qtbot import QtBot
from ui_driver import answer_modal

from bedside.allergies import AllergyState
from bedside.events import Phase, PrnGiven
from bedside.ids import SessionId
from bedside.people import User
from bedside.service import ChartService
from ui.common.guard_view import OverrideEntry
from ui.common.theme import PALETTES
from ui.demo import DemoStaff, chart_reference_session
from ui.demo.reference import order_reference_course
from ui.dialogs.allergy_choice import LISTED, NKDA, UNKNOWN
from ui.dialogs.new_patient import NewPatientDialog
from ui.dialogs.prn import PrnDialog, PrnEntry
from ui.session import prn_actions
from ui.session.window import SessionView
from ui.steps.intake import IntakeStep


def demo_staff(service: ChartService) -> DemoStaff:
    users = {u.username: u for u in service.store.users()}
    return DemoStaff(users["admin"], users["dana"], users["sam"], users["drlee"])


def view_of(qtbot: QtBot, service: ChartService, sid: SessionId, user: User) -> SessionView:
    view = SessionView(service, sid, service.clock, "dim", None, user)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    return view


def new_patient_on_chair_1(service: ChartService, allergies: dict[str, Any]) -> SessionId:
    """Robin Quinn, registered with ``allergies``, with a course, in the free chair 1."""
    staff = demo_staff(service)
    patient = service.register_patient(
        staff.nurse,
        mrn="MRN-1006",
        family_name="Quinn",
        given_name="Robin",
        date_of_birth="1990-05-04",
        sex="female",
        allergies=allergies,
    )
    order_reference_course(service, staff.clinician, patient.id)
    return service.open_session(staff.nurse, patient_id=patient.id, chair=1).session_id


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible(), button.text()
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# --- B5: the allergy state in words -------------------------------------------------------------


def test_the_heading_says_unknown_in_amber_a_list_in_red_and_who_confirmed_nkda(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    colours = PALETTES["dim"]
    unknown = view_of(
        qtbot, ui_service, new_patient_on_chair_1(ui_service, {"state": "unknown"}), nurse
    )
    text = unknown.header.text()
    assert "Allergies unknown — not yet asked or confirmed" in text
    assert f"color:{colours['warning']}" in text
    assert "no known allergies" not in text.lower()
    busy = ui_service.busy_chairs(ui_service.clock.now())
    listed = view_of(qtbot, ui_service, busy[3], nurse).header.text()  # Sean O'Brien: latex
    assert f"color:{colours['danger']}'><b>Allergies: latex — confirmed by Dana Reyes, RN" in listed
    nkda = view_of(qtbot, ui_service, busy[2], nurse).header.text()  # Lucía García
    assert "No known drug allergies — confirmed by Dana Reyes, RN, 24 Nov 2026 09:20" in nkda
    assert colours["danger"] not in nkda


def test_registering_a_patient_needs_an_allergy_answer(qtbot: QtBot) -> None:
    dialog = NewPatientDialog()
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    answers = dialog.allergies
    assert answers.group.checkedId() == -1  # nothing chosen: a blank is not "none"
    assert not any(cast(Any, b).autoDefault() for b in answers.group.buttons())  # Enter saves
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Allergies:" in dialog.missing.text()
    qtbot.keyClicks(answers.list, "penicillin (rash), latex")
    assert answers.group.checkedId() == LISTED  # typing the list is answering "Allergies"
    assert answers.shown.text() == "Recorded as: penicillin — reaction: rash · latex"
    assert dialog.entry().allergies == {
        "state": "listed",
        "allergies": ["penicillin (rash)", "latex"],
    }
    click(qtbot, answers.button(NKDA))
    assert dialog.entry().allergies == {"state": "nkda"}
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(answers.list, Qt.Key.Key_Return)  # Enter registers, never cancels


def fill_screen(qtbot: QtBot, page: IntakeStep) -> None:
    for key in ("full_name", "date_of_birth"):
        page.identifiers[key].setChecked(True)
    for choice in page.questions.values():
        click(qtbot, choice.no)
    click(qtbot, page.substance.no)
    page.pregnancy.setCurrentIndex(page.pregnancy.findData("not_applicable"))
    page.medicines.setChecked(True)
    page.fasting.setChecked(True)
    page.escort_name.setText("Pat Quinn")
    page.escort_phone.setText("555-0100")


def test_intake_needs_the_allergies_confirmed_and_unknown_blocks(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    shown_errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sid = new_patient_on_chair_1(ui_service, {"state": "unknown"})
    view = view_of(qtbot, ui_service, sid, nurse)
    page = cast(IntakeStep, view.pages.currentWidget())
    assert page.allergies.on_record is None  # nothing on record to confirm
    fill_screen(qtbot, page)
    click(qtbot, page.save)
    assert ui_service.state(sid).intake is None
    assert "Allergies" in page.guard.text()
    click(qtbot, page.allergies.button(UNKNOWN))
    click(qtbot, page.save)
    assert ui_service.state(sid).intake is not None
    page = cast(IntakeStep, view.pages.currentWidget())
    assert "Allergies are unknown" in page.guard.text()
    offered: list[object] = []
    monkeypatch.setattr(
        "ui.common.guard_view.ask_override", lambda *a, **k: offered.append(a) or None
    )
    click(qtbot, page.complete)
    assert ui_service.state(sid).phase is Phase.INTAKE
    assert offered == []  # not overridable: the nurse asks the patient
    assert "Allergies are unknown" in shown_errors[-1]
    page.allergies.list.clear()
    qtbot.keyClicks(page.allergies.list, "penicillins (anaphylaxis)")
    click(qtbot, page.complete)  # saves the changed screen on the way
    assert ui_service.state(sid).phase is Phase.BASELINE
    record = ui_service.store.patient(view.ctx.patient.id).allergies
    assert (record.state, record.listed_text) == (AllergyState.LISTED, "penicillins (anaphylaxis)")
    assert record.confirmed_by == nurse.id


# --- B6: the PRN dialog ---------------------------------------------------------------------------


def test_prn_dialog_hints_the_usual_dose_shows_what_was_given_and_needs_confirmation(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    staff = demo_staff(ui_service)
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]  # Lucía García, infusing
    now = ui_service.clock.now()
    ui_service.clock.set(now - timedelta(minutes=18))  # type: ignore[attr-defined]
    ui_service.give_prn(
        nurse,
        sid,
        drug="ondansetron",
        dose=4,
        unit="mg",
        route="IV",
        indication="nausea",
        ordered_by=staff.clinician.id,
    )
    ui_service.clock.set(now)  # type: ignore[attr-defined]
    view = view_of(qtbot, ui_service, sid, nurse)
    dialog = PrnDialog([staff.clinician], prn_actions.dialog_setup(view, view.ctx))
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    assert (
        "09:42 ondansetron 4 mg IV — nausea, by Dana Reyes, RN"
        in dialog.findChild(type(dialog.listed), "prnGiven").text()
    )
    items = [dialog.drug.itemText(i) for i in range(dialog.drug.count())]
    assert items == ["ondansetron", "midazolam", "labetalol", "clonidine"]
    assert (dialog.drug.currentText(), dialog.unit.currentIndex(), dialog.route.currentIndex()) == (
        "",
        -1,
        -1,
    )
    dialog.drug.setCurrentText("midazolam")
    assert (dialog.unit.currentText(), dialog.route.currentText()) == ("mg", "IV")
    assert dialog.dose.text() == ""  # the usual dose is a hint, never a value that passes
    assert dialog.dose.placeholderText() == "usual 1–2 mg: type the dose"
    assert "Unit and route set from it" in dialog.listed.text()
    dialog.drug.setCurrentText("ondansetron")
    assert dialog.ordered_by.currentIndex() == -1  # who ordered it is chosen, never assumed
    qtbot.keyClicks(dialog.dose, "4")
    qtbot.keyClick(dialog.dose, Qt.Key.Key_Return)
    assert "Ordered by" in dialog.missing.text()
    dialog.ordered_by.setCurrentIndex(0)
    assert dialog.missing.text() == ""  # answered: the request does not stay on screen
    assert "18 min ago; the minimum interval is 30 min" in dialog.checks.text()
    assert dialog.confirm.isVisible()
    qtbot.keyClick(dialog.dose, Qt.Key.Key_Return)  # Enter saves ... once confirmed
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Confirm the warnings" in dialog.missing.text()
    dialog.confirm.setChecked(True)
    qtbot.keyClicks(dialog.taken_at.edit, "09:58")
    assert not dialog.confirm.isChecked()  # a changed entry is confirmed again
    dialog.confirm.setChecked(True)
    qtbot.keyClick(dialog.dose, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    entry = dialog.result_entry
    assert entry is not None
    assert (entry.dose, entry.acknowledged) == (4.0, ("prn.interval",))
    assert entry.taken_at == now - timedelta(minutes=2)


def test_a_prn_refused_for_an_allergy_goes_to_a_clinicians_override(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    shown_errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    staff = demo_staff(ui_service)
    clock = ui_service.clock
    now = clock.now()
    alex = ui_service.store.find_patients("Doe")[0]  # penicillin (rash)
    sid = chart_reference_session(
        ui_service,
        clock,  # type: ignore[arg-type]
        staff,
        alex,
        chair=1,
        start=now - timedelta(minutes=45),
        until=Phase.INFUSING,
    )
    clock.set(now)  # type: ignore[attr-defined]
    view = view_of(qtbot, ui_service, sid, nurse)
    typed = PrnEntry(
        "penicillin V",
        250,
        "mg",
        "PO",
        "strep throat",
        staff.clinician.id,
        None,
        ("prn.not_on_list",),
    )
    asked: list[PrnEntry | None] = []

    def ask(*a: Any, previous: PrnEntry | None = None, **k: Any) -> PrnEntry | None:
        asked.append(previous)
        return typed if len(asked) < 4 else None

    overrides = [
        None,  # the clinician is not there: cancelled
        OverrideEntry("sam", "bedside-demo", "nurse tries to override"),
        OverrideEntry("drlee", "bedside-demo", "allergist cleared penicillin V in 2025"),
    ]
    seen: list[str] = []

    def override(report: Any, step: str, parent: Any) -> OverrideEntry | None:
        seen.append(step)
        assert "penicillin V — the patient is allergic to" in report.errors[0].message
        return overrides.pop(0)

    monkeypatch.setattr("ui.dialogs.prn.PrnDialog.ask", ask)
    monkeypatch.setattr("ui.common.guard_view.ask_override", override)
    prn_actions.give_prn(view)
    assert asked == [None, typed, typed]  # each refusal reopens the dialog as typed
    assert seen == ["give penicillin V 250 mg PO"] * 3
    assert shown_errors == ["Sam Okafor, RN (nurse) is not allowed to override a safety check"]
    (prn,) = ui_service.state(sid).prns
    given = cast(PrnGiven, prn.payload)
    assert given.override is not None
    assert given.override.clinician_id == staff.clinician.id
    assert given.override.reason == "allergist cleared penicillin V in 2025"


def test_the_real_prn_dialog_shows_an_allergy_refusal_before_saving(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    sid = ui_service.busy_chairs(ui_service.clock.now())[3]  # Sean O'Brien: latex
    view = view_of(qtbot, ui_service, sid, nurse)
    before = len(ui_service.state(sid).prns)
    seen: list[str] = []

    def act(dialog: PrnDialog) -> None:
        dialog.drug.setCurrentText("latex gloves")
        qtbot.keyClicks(dialog.dose, "1")
        seen.append(dialog.refusals.text())
        seen.append(dialog.save.text())
        dialog.reject()

    answer_modal(PrnDialog, act)
    prn_actions.give_prn(view)
    assert "latex gloves — the patient is allergic to" in seen[0]
    assert seen[1] == "Save — a clinician must override"
    assert len(ui_service.state(sid).prns) == before


def test_the_allergy_is_said_as_soon_as_the_drug_is_chosen(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    """The refusal appeared only once a dose was typed (a newcomer's walk): it is said when
    the drug is chosen, before any dose, and the Save button says a clinician must override."""
    sid = ui_service.busy_chairs(ui_service.clock.now())[3]  # Sean O'Brien: latex
    view = view_of(qtbot, ui_service, sid, nurse)
    seen: list[str] = []

    def act(dialog: PrnDialog) -> None:
        dialog.drug.setCurrentText("latex gloves")
        seen.append(dialog.dose.text())
        seen.append(dialog.refusals.text())
        seen.append(dialog.save.text())
        dialog.reject()

    answer_modal(PrnDialog, act)
    prn_actions.give_prn(view)
    assert seen[0] == ""  # no dose typed yet
    assert "latex gloves — the patient is allergic to" in seen[1]
    assert seen[2] == "Save — a clinician must override"
