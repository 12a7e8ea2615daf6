"""A PRN is checked before it is given: against the patient's allergies (the drug or its
class; refused unless a clinician overrides with a password and a reason, the override stored
in the entry) and against the clinic's PRN list in the protocol (a dose above the session
maximum, a repeat inside the minimum interval, a drug not on the list: warnings with the
previous doses shown, saved only once the nurse confirms them, and stored with the entry).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, cast

import pytest

from bedside.allergies import AllergyStatus
from bedside.canonical import canonical_json, stored_body_hash
from bedside.clock import FixedClock
from bedside.errors import InputRejected, OperationRefused, PermissionDenied
from bedside.events import Phase, PrnGiven
from bedside.ids import SessionId
from bedside.people import Patient
from bedside.protocol import Protocol, default_protocol, protocol_hash
from bedside.rules import medication
from bedside.service import ChartService
from bedside.signatures import Meaning
from tests.conftest import T0
from ui.demo import DEMO_PASSWORD, DemoStaff, chart_reference_session


def patient_with(service: ChartService, staff: DemoStaff, allergies: dict[str, Any]) -> Patient:
    patient = service.register_patient(
        staff.nurse,
        mrn="MRN-7",
        family_name="Doe",
        given_name="Alex",
        date_of_birth=date(1984, 3, 12),
        sex="female",
        allergies=allergies,
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


def infusing(
    service: ChartService, clock: FixedClock, staff: DemoStaff, allergies: dict[str, Any]
) -> SessionId:
    """The reference session, infusing at T0 + 40 min (09:40 in New York)."""
    patient = patient_with(service, staff, allergies)
    return chart_reference_session(
        service, clock, staff, patient, chair=1, start=T0, until=Phase.INFUSING
    )


def give(service: ChartService, staff: DemoStaff, sid: SessionId, **more: Any) -> PrnGiven:
    fields: dict[str, Any] = {
        "drug": "ondansetron",
        "dose": 4,
        "unit": "mg",
        "route": "IV",
        "indication": "nausea",
        "ordered_by": staff.clinician.id,
    }
    fields.update(more)
    return cast(PrnGiven, service.give_prn(staff.nurse, sid, **fields).event.payload)


PENICILLIN = {"state": "listed", "allergies": ["penicillin (rash)"]}


# --- allergies ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("drug", "allergy", "reason"),
    [
        ("penicillin V", "penicillin", "is the recorded allergy"),
        ("Penicillin-V potassium", "penicillin v", "is the recorded allergy"),
        ("amoxicillin", "penicillins", "is a penicillin"),
        ("amoxicillin", "penicillin", "is a penicillin"),
        ("co-amoxiclav", "Penicillin allergy", "is a penicillin"),
        ("midazolam", "benzodiazepines", "is a benzodiazepine"),
        ("midazolam", "lorazepam", "is a benzodiazepine, like lorazepam"),
        ("labetalol", "beta blockers", "is a beta blocker"),
        ("ondansetron", "penicillin", None),
        ("clonidine", "latex", None),
        ("midazolam", "ondansetron", None),
    ],
)
def test_an_allergy_matches_the_drug_or_its_class(
    drug: str, allergy: str, reason: str | None
) -> None:
    assert medication.allergy_reason(drug, allergy) == reason


def test_a_drug_matching_an_allergy_is_refused_unless_a_clinician_overrides(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    sid = infusing(service, clock, staff, PENICILLIN)
    before = len(service.state(sid).events)
    penicillin_v = {
        "drug": "penicillin V",
        "dose": 250,
        "route": "PO",
        "indication": "test",
        "acknowledged": ("prn.not_on_list",),  # the list's warning, confirmed by the nurse
    }
    with pytest.raises(OperationRefused, match="was NOT given") as refused:
        give(service, staff, sid, **penicillin_v)
    (finding,) = refused.value.report.errors
    assert finding.code == "prn.allergy"
    assert finding.overridable
    assert (
        "Allergy: penicillin V — the patient is allergic to penicillin (rash)." in finding.message
    )
    assert "penicillin (rash)" in finding.message
    with pytest.raises(PermissionDenied):  # a nurse cannot override
        give(
            service,
            staff,
            sid,
            **penicillin_v,
            override_by=staff.nurse2,
            override_password=DEMO_PASSWORD,
            override_reason="we always give it",
        )
    with pytest.raises(InputRejected, match="needs a reason"):
        give(
            service,
            staff,
            sid,
            **penicillin_v,
            override_by=staff.clinician,
            override_password=DEMO_PASSWORD,
        )
    assert len(service.state(sid).events) == before
    given = give(
        service,
        staff,
        sid,
        **penicillin_v,
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="tolerated penicillin V in 2024, allergist letter on file",
    )
    assert given.override is not None
    assert given.override.finding_codes == ("prn.allergy",)
    assert given.override.clinician_id == staff.clinician.id
    assert given.override.signature.meaning is Meaning.OVERRIDE
    assert given.warnings_acknowledged == (
        "penicillin V is not on the clinic's PRN list: check the drug, dose and route against "
        "the order.",
    )


def test_unknown_allergies_warn_and_need_the_nurses_confirmation() -> None:
    report = medication.prn_report(
        medication.PrnDose("ondansetron", 4, "mg", "IV", T0),
        allergies=AllergyStatus.unknown(),
        prn_list=default_protocol().prn_list,
        given=medication.Given(prns=(), names={}, tz="UTC", now=T0),
    )
    assert report.is_valid
    (unknown,) = report.warnings
    assert unknown.code == "prn.allergies_unknown"
    assert "Allergies are unknown for this patient" in unknown.message


# --- the clinic's PRN list ------------------------------------------------------------------------


def test_a_repeat_inside_the_interval_and_above_the_maximum_warn_with_the_earlier_doses(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    sid = infusing(service, clock, staff, {"state": "nkda"})
    clock.set(T0 + timedelta(minutes=22))  # 09:22 in New York
    first = give(service, staff, sid)
    assert (first.override, first.warnings_acknowledged) == (None, ())
    clock.set(T0 + timedelta(minutes=40))
    preview = service.preview_prn(sid, drug="Ondansetron", dose=4, unit="mg", route="IV")
    (interval,) = preview.warnings
    assert interval.message == (
        "ondansetron 4 mg IV at 09:22 by Dana Reyes, RN, 18 min ago; the minimum interval is "
        "30 min."
    )
    with pytest.raises(OperationRefused, match="confirm them first") as refused:
        give(service, staff, sid)
    assert refused.value.report.codes() == {"prn.interval"}
    assert len(service.state(sid).prns) == 1  # nothing saved
    second = give(service, staff, sid, acknowledged=["prn.interval"])
    assert second.warnings_acknowledged == (interval.message,)
    # A third 4 mg takes the session to 12 mg, over the 8 mg maximum: both earlier doses shown.
    clock.set(T0 + timedelta(minutes=75))
    third = service.preview_prn(sid, drug="ondansetron", dose=4, unit="mg", route="IV")
    (above,) = third.warnings
    assert above.code == "prn.above_max"
    assert "takes the session total to 12 mg, above the clinic's maximum of 8 mg" in above.message
    assert "at 09:22 by Dana Reyes, RN, 53 min ago; ondansetron 4 mg IV at 09:40" in above.message


def test_a_back_timed_dose_is_judged_at_the_time_it_was_given(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    sid = infusing(service, clock, staff, {"state": "nkda"})
    clock.set(T0 + timedelta(minutes=40))
    give(service, staff, sid)
    taken = datetime(2026, 11, 24, 14, 25, tzinfo=T0.tzinfo)  # 15 min before the one charted
    report = service.preview_prn(
        sid, drug="ondansetron", dose=4, unit="mg", route="IV", clinical_time=taken
    )
    assert [w.message for w in report.warnings] == [
        "ondansetron 4 mg IV at 09:40 by Dana Reyes, RN, 15 min after this dose; the minimum "
        "interval is 30 min."
    ]
    change = service.give_prn(
        staff.nurse,
        sid,
        taken,
        acknowledged=["prn.interval"],
        drug="ondansetron",
        dose=4,
        unit="mg",
        route="IV",
        indication="nausea",
        ordered_by=staff.clinician.id,
    )
    assert change.event.clinical_time == taken


def test_off_list_drugs_and_other_routes_or_units_warn(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    sid = infusing(service, clock, staff, {"state": "nkda"})
    codes = {
        (drug, unit, route): service.preview_prn(
            sid, drug=drug, dose=1, unit=unit, route=route
        ).codes()
        for drug, unit, route in (
            ("promethazine", "mg", "IM"),
            ("midazolam", "mg", "IV"),
            ("midazolam", "mg", "IM"),
            ("clonidine", "mcg", "PO"),
        )
    }
    assert codes == {
        ("promethazine", "mg", "IM"): {"prn.not_on_list"},
        ("midazolam", "mg", "IV"): set(),
        ("midazolam", "mg", "IM"): {"prn.route_differs"},
        ("clonidine", "mcg", "PO"): {"prn.unit_differs"},
    }
    with pytest.raises(InputRejected, match="cannot be given with the entry"):
        give(service, staff, sid, warnings_acknowledged=["anything"])


def test_the_prn_list_is_part_of_the_versioned_protocol() -> None:
    shipped = default_protocol()
    assert shipped.prn is not None
    rows = {
        d.drug: (d.usual_text, d.max_per_session, d.min_interval_min) for d in shipped.prn.drugs
    }
    assert rows == {
        "ondansetron": ("4 mg IV", 8.0, 30),
        "midazolam": ("1–2 mg IV", 4.0, 5),
        "labetalol": ("10–20 mg IV", 40.0, 10),
        "clonidine": ("0.1 mg PO", 0.2, 60),
    }
    for drug in rows:
        assert "CLINICAL.md" in shipped.source_for(f"prn.{drug}")
        assert "[verify]" in shipped.source_for(f"prn.{drug}")
    # A version saved before the list existed keeps its hash and runs under the shipped list.
    older = shipped.model_dump(mode="json")
    del older["prn"]
    body = canonical_json(older)
    read = Protocol.model_validate_json(body)
    assert read.prn is None
    assert read.prn_list == shipped.prn
    assert protocol_hash(read) == stored_body_hash(body)
