"""Allergies are a fact, not a blank: unknown, no known drug allergies (who confirmed it and
when), or a list. Registration must say which; every intake confirms them for the session and
appends to the patient's allergy history (never overwriting it); unknown at intake blocks the
session from moving on. Records written before allergies had a state read as they always
meant: an empty list is *unknown*, never "no known drug allergies".
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

import pytest

from bedside.allergies import AllergyState, AllergyStatus, allergy_value, allergy_words
from bedside.canonical import canonical_json
from bedside.clock import FixedClock
from bedside.errors import InputRejected, OperationRefused
from bedside.events import IntakeScreened, Phase
from bedside.ids import PatientId, SessionId
from bedside.people import Patient
from bedside.service import ChartService
from bedside.store import Store
from tests.conftest import T0
from ui.demo import DEMO_PASSWORD, DemoStaff, no_contraindications

TZ = "America/New_York"


def register(service: ChartService, staff: DemoStaff, mrn: str, **allergies: Any) -> Patient:
    patient = service.register_patient(
        staff.nurse,
        mrn=mrn,
        family_name="Roe",
        given_name="Jo",
        date_of_birth=date(1980, 1, 1),
        sex="male",
        **allergies,
    )
    service.order_course(
        staff.clinician,
        DEMO_PASSWORD,
        patient_id=patient.id,
        indication="TRD",
        planned_infusions=6,
        mg_per_kg=0.5,
        duration_min=40,
        max_dose_mg=60,
    )
    return patient


def intake(service: ChartService, staff: DemoStaff, sid: SessionId, **more: Any) -> None:
    service.record_intake(
        staff.nurse,
        sid,
        identifiers_checked=("full_name", "date_of_birth"),
        contraindications=no_contraindications(),
        pregnancy_test="not_applicable",
        medicines_reviewed=True,
        fasting_as_instructed=True,
        substance_use_48h=False,
        escort_name="Chris Doe",
        escort_phone="555-0142",
        **more,
    )


# --- the record ---------------------------------------------------------------------------------


def test_a_blank_list_is_unknown_and_reads_back_as_it_was_written() -> None:
    fields = {
        "id": "p1",
        "mrn": "M1",
        "family_name": "Roe",
        "given_name": "Jo",
        "date_of_birth": "1980-01-01",
        "sex": "male",
    }
    blank = Patient.model_validate({**fields, "allergies": []})
    assert blank.allergies.state is AllergyState.UNKNOWN
    assert allergy_words(blank.allergies, TZ) == "Allergies unknown — not yet asked or confirmed"
    listed = Patient.model_validate({**fields, "allergies": ["penicillin"]})
    assert listed.allergies.state is AllergyState.LISTED
    assert allergy_value(listed.allergies, TZ) == "penicillin — not yet confirmed"
    # Older session logs export exactly as they were written.
    assert blank.model_dump(mode="json")["allergies"] == []
    assert listed.model_dump(mode="json")["allergies"] == ["penicillin"]
    with pytest.raises(ValueError, match="Field required"):
        Patient.model_validate(fields)  # no allergies: never a default
    with pytest.raises(ValueError, match="who confirmed it and when"):
        AllergyStatus.model_validate({"state": "nkda"})  # NKDA is only ever confirmed


def test_registration_must_say_unknown_nkda_or_the_list(
    service: ChartService, staff: DemoStaff, clock: FixedClock
) -> None:
    with pytest.raises(InputRejected, match="Allergies: choose unknown, no known drug"):
        register(service, staff, "MRN-1")
    with pytest.raises(InputRejected, match="Allergies: choose unknown"):
        register(service, staff, "MRN-1", allergies=[])  # a blank is not an answer
    with pytest.raises(InputRejected, match="list at least one allergy"):
        register(service, staff, "MRN-1", allergies={"state": "listed", "allergies": []})
    assert service.store.patient_by_mrn("MRN-1") is None
    listed = register(
        service,
        staff,
        "MRN-1",
        allergies={"state": "listed", "allergies": ["penicillin (rash, hives)", "latex"]},
    )
    status = service.store.patient(listed.id).allergies
    assert [(a.substance, a.reaction) for a in status.allergies] == [
        ("penicillin", "rash, hives"),
        ("latex", ""),
    ]
    assert (status.confirmed_by, status.confirmed_at) == (staff.nurse.id, T0)
    nkda = register(service, staff, "MRN-2", allergies={"state": "nkda"})
    assert allergy_words(service.store.patient(nkda.id).allergies, TZ) == (
        "No known drug allergies — confirmed by Dana Reyes, RN, 24 Nov 2026 09:00"
    )
    unknown = register(service, staff, "MRN-3", allergies={"state": "unknown"})
    assert service.store.patient(unknown.id).allergies.state is AllergyState.UNKNOWN
    # Each registration is the first statement of the patient's allergy history.
    (first,) = service.store.allergy_history(nkda.id)
    assert (first.source.actor, first.source.session_id) == (staff.nurse.id, None)


def test_patients_registered_before_the_migration_are_unknown_or_an_unconfirmed_list(
    store: Store, service: ChartService, staff: DemoStaff
) -> None:
    """A patient row written by an earlier release (a plain list, no history row) reads as
    unknown when the list was empty and as an unconfirmed list otherwise, never NKDA."""
    for pid, mrn, items in (("old-1", "OLD-1", []), ("old-2", "OLD-2", ["penicillin"])):
        body = {
            "id": pid,
            "mrn": mrn,
            "family_name": "Old",
            "given_name": "Record",
            "date_of_birth": "1970-01-01",
            "sex": "female",
            "allergies": items,
            "current_medicines": [],
            "phone": "",
        }
        store.conn.execute(
            "INSERT INTO patients(id, mrn, family_name, given_name, date_of_birth, sex, body,"
            " created_at) VALUES (?, ?, 'Old', 'Record', '1970-01-01', 'female', ?, ?)",
            (pid, mrn, canonical_json(body), "2025-01-01T00:00:00Z"),
        )
    store.conn.commit()
    assert store.patient(PatientId("old-1")).allergies.state is AllergyState.UNKNOWN
    old = store.patient(PatientId("old-2")).allergies
    assert (old.state, old.confirmed_at) == (AllergyState.LISTED, None)
    assert [p.allergies.state for p in store.find_patients("OLD")] == ["unknown", "listed"]


def test_the_history_table_is_append_only(
    store: Store, service: ChartService, staff: DemoStaff
) -> None:
    patient = register(service, staff, "MRN-1", allergies={"state": "nkda"})
    with pytest.raises(Exception, match="append-only"):
        store.conn.execute(
            "UPDATE patient_allergies SET body = '{}' WHERE patient_id = ?", (patient.id,)
        )
    with pytest.raises(Exception, match="append-only"):
        store.conn.execute("DELETE FROM patient_allergies WHERE patient_id = ?", (patient.id,))


# --- intake -------------------------------------------------------------------------------------


def test_intake_confirms_the_allergies_for_the_session_and_unknown_blocks(
    service: ChartService, staff: DemoStaff, clock: FixedClock
) -> None:
    patient = register(service, staff, "MRN-1", allergies={"state": "unknown"})
    sid = service.open_session(staff.nurse, patient_id=patient.id, chair=1).session_id
    clock.advance(minutes=2)
    with pytest.raises(InputRejected, match="Allergies: confirm them with the patient"):
        intake(service, staff, sid)  # no answer
    assert service.state(sid).intake is None
    intake(service, staff, sid, allergies={"state": "unknown"})
    report = service.guard(sid, Phase.BASELINE)
    (finding,) = report.errors
    assert finding.code == "intake.allergies_unknown"
    assert not finding.overridable
    with pytest.raises(OperationRefused):
        service.advance(
            staff.nurse,
            sid,
            Phase.BASELINE,
            override_by=staff.clinician,
            override_password=DEMO_PASSWORD,
            override_reason="in a hurry today",
        )
    # Unknown does not touch the patient's record; a confirmed answer does, with who and when.
    assert len(service.store.allergy_history(patient.id)) == 1
    clock.advance(minutes=3)
    change = service.record_intake(
        staff.nurse,
        sid,
        identifiers_checked=("full_name", "mrn"),
        contraindications=no_contraindications(),
        pregnancy_test="not_applicable",
        medicines_reviewed=True,
        fasting_as_instructed=True,
        substance_use_48h=False,
        allergies={"state": "listed", "allergies": ["penicillins (anaphylaxis)"]},
    )
    confirmed = cast(IntakeScreened, change.event.payload).allergies
    assert confirmed is not None
    assert (confirmed.state, confirmed.confirmed_by) == (AllergyState.LISTED, staff.nurse.id)
    assert confirmed.confirmed_at == T0 + timedelta(minutes=5)
    assert confirmed.confirmed_by_name == "Dana Reyes, RN"
    assert service.guard(sid, Phase.BASELINE).is_valid
    history = service.store.allergy_history(patient.id)
    assert [r.status.state for r in history] == ["unknown", "listed"]
    assert (history[-1].source.session_id, history[-1].source.event_id) == (sid, change.event.id)
    assert service.store.patient(patient.id).allergies == confirmed


def test_intake_confirming_the_record_keeps_every_confirmation(
    service: ChartService, staff: DemoStaff, clock: FixedClock
) -> None:
    patient = register(service, staff, "MRN-1", allergies={"state": "nkda"})
    sid = service.open_session(staff.nurse, patient_id=patient.id, chair=1).session_id
    clock.advance(minutes=2)
    intake(service, staff, sid, allergies={"state": "nkda"})
    clock.advance(minutes=1)
    intake(service, staff, sid, allergies={"state": "nkda"})  # saved again: both kept
    history = service.store.allergy_history(patient.id)
    assert [r.source.at for r in history] == [
        T0,
        T0 + timedelta(minutes=2),
        T0 + timedelta(minutes=3),
    ]
    with pytest.raises(InputRejected, match="Confirmed by: Extra inputs are not permitted"):
        intake(service, staff, sid, allergies={"state": "nkda", "confirmed_by": staff.clinician.id})
