"""Clinician course-order screen: a signed order is stored and bound to its content; protocol
breaches, wrong passwords and nurses are refused by the domain, in words, with nothing stored."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from bedside.course import order_content_hash
from bedside.people import Patient, User
from bedside.protocol import WeightBasis
from bedside.service import ChartService
from bedside.signatures import Meaning
from ui.course.order import CourseOrderDialog
from ui.dialogs.new_patient import NewPatient

PASSWORD = "bedside-demo"


@pytest.fixture
def clinician(ui_service: ChartService) -> User:
    return ui_service.accounts.authenticate("drlee", PASSWORD)


@pytest.fixture
def doe(ui_service: ChartService) -> Patient:
    patient = ui_service.store.patient_by_mrn("MRN-1001")
    assert patient is not None
    return patient


def _fill(dialog: CourseOrderDialog, *, mg_per_kg: float = 0.75, password: str = PASSWORD) -> None:
    dialog.indication.setText("Treatment-resistant major depressive disorder (F33.2)")
    dialog.planned.setValue(6)
    dialog.frequency.setCurrentText("3 per week")
    dialog.mg_per_kg.setValue(mg_per_kg)
    dialog.duration.setValue(40)
    dialog.weight_basis.setCurrentIndex(dialog.weight_basis.findData(WeightBasis.ACTUAL))
    dialog.max_dose.setValue(80)
    dialog.password.setText(password)


def test_patient_list_and_current_order(
    qtbot: QtBot, ui_service: ChartService, clinician: User, doe: Patient
) -> None:
    dialog = CourseOrderDialog(ui_service, clinician, patient_id=doe.id)
    qtbot.addWidget(dialog)
    assert dialog.results.count() == 1
    text = dialog.current.text()
    assert "DOE, Alex" in text
    assert "0.5 mg/kg" in text
    assert "Course of treatment ordered" in text
    assert "replaces the current one" in dialog.order_box.title()
    # The form starts from the active order; the protocol's limits sit beside the fields.
    assert dialog.mg_per_kg.value() == pytest.approx(0.5)
    assert dialog.dose_hint.text() == "protocol 0.1–1 mg/kg (default 0.5)"
    dialog.search.setText("zzz-nobody")
    assert dialog.results.count() == 0
    dialog.search.setText("")
    assert dialog.results.count() >= 5


def test_live_check_shows_the_protocol_limits(
    qtbot: QtBot, ui_service: ChartService, clinician: User, doe: Patient
) -> None:
    dialog = CourseOrderDialog(ui_service, clinician, patient_id=doe.id)
    qtbot.addWidget(dialog)
    assert "Within protocol version" in dialog.check.text()
    dialog.mg_per_kg.setValue(1.5)
    assert "outside the protocol range 0.1–1 mg/kg" in dialog.check.text()
    dialog.mg_per_kg.setValue(0.5)
    # Doe has 4 sessions opened: planning 4 or fewer would end the course.
    dialog.planned.setValue(4)
    assert "4 sessions are already opened" in dialog.check.text()
    dialog.planned.setValue(6)
    assert "already opened" not in dialog.check.text()


def test_clinician_signs_a_course_order(
    qtbot: QtBot, ui_service: ChartService, clinician: User, doe: Patient, shown_errors: list[str]
) -> None:
    before = ui_service.active_course(doe.id)
    assert before is not None
    dialog = CourseOrderDialog(ui_service, clinician, patient_id=doe.id)
    qtbot.addWidget(dialog)
    _fill(dialog)
    dialog.sign()

    assert shown_errors == []
    order = ui_service.active_course(doe.id)
    assert order is not None
    assert order == dialog.order
    assert order.supersedes == before.id  # the dose change keeps the earlier order
    assert [o.id for o in ui_service.store.courses_for(doe.id)][-2:] == [before.id, order.id]
    assert order.mg_per_kg == 0.75
    assert order.frequency == "3 per week"
    assert order.max_dose_mg == 80
    # Signed and bound: signer, meaning, and the hash of exactly this order's content.
    assert order.signature.signer_id == clinician.id
    assert order.signature.meaning is Meaning.ORDER_SIGNED
    assert order.signature.content_hash == order_content_hash(order)
    assert ui_service.store.course(order.id) == order
    assert "0.75 mg/kg" in dialog.current.text()
    assert "4 sessions opened" in dialog.current.text()  # a dose change continues the same course
    assert "Signed and stored" in dialog.status.text()
    assert dialog.password.text() == ""


def test_register_a_patient_then_order(
    qtbot: QtBot,
    ui_service: ChartService,
    clinician: User,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[str],
) -> None:
    dialog = CourseOrderDialog(ui_service, clinician)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(
        "ui.course.order.NewPatientDialog.ask",
        lambda parent=None: NewPatient(
            "MRN-2001",
            "Nguyen",
            "Lan",
            "1979-02-03",
            "female",
            {"state": "listed", "allergies": ["latex"]},
            [],
            "",
        ),
    )
    dialog.register_patient()
    patient = ui_service.store.patient_by_mrn("MRN-2001")
    assert patient is not None
    assert patient.allergies.state == "listed"
    assert [a.substance for a in patient.allergies.allergies] == ["latex"]
    assert dialog.patient_id == patient.id
    assert "No active course order" in dialog.current.text()
    assert dialog.mg_per_kg.value() == pytest.approx(0.5)  # the protocol default
    _fill(dialog, mg_per_kg=0.5)
    dialog.sign()
    assert shown_errors == []
    order = ui_service.active_course(patient.id)
    assert order is not None
    assert order.supersedes is None


def test_out_of_protocol_dose_and_wrong_password_store_nothing(
    qtbot: QtBot, ui_service: ChartService, clinician: User, doe: Patient, shown_errors: list[str]
) -> None:
    count = len(ui_service.store.courses_for(doe.id))
    dialog = CourseOrderDialog(ui_service, clinician, patient_id=doe.id)
    qtbot.addWidget(dialog)
    _fill(dialog, mg_per_kg=1.5)
    dialog.sign()
    assert "outside the protocol range 0.1–1 mg/kg" in shown_errors[-1]
    _fill(dialog, password="wrong-password")
    dialog.sign()
    assert "password is wrong" in shown_errors[-1]
    assert len(ui_service.store.courses_for(doe.id)) == count
    assert "Not signed" in dialog.status.text()


def test_a_nurse_is_refused_in_words(
    qtbot: QtBot, ui_service: ChartService, nurse: User, doe: Patient, shown_errors: list[str]
) -> None:
    count = len(ui_service.store.courses_for(doe.id))
    dialog = CourseOrderDialog(ui_service, nurse, patient_id=doe.id)
    qtbot.addWidget(dialog)
    _fill(dialog)
    dialog.sign()
    assert "not allowed to order a course of treatment" in shown_errors[-1]
    assert len(ui_service.store.courses_for(doe.id)) == count
