"""The issue's reference session, charted through the service a nurse uses on a clock moved along
the scenario, so every entry passes every rule.

72 kg, 0.5 mg/kg over 40 min in a 100 mL bag from a 50 mg / 5 mL vial drawn up whole; vitals
every 10 min; a pause alert at 30 min (186/104) acknowledged with a 5-minute pause; ondansetron
4 mg IV for nausea; CADSS-6 at the end; observation until the criteria hold; the charting nurse
signs her charting; 14 mg wasted with a witness; clinician sign-off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bedside.allergies import AllergyState
from bedside.clock import FixedClock
from bedside.course import CourseOrder
from bedside.events import Phase
from bedside.ids import CourseId, EventId, PatientId, SessionId
from bedside.people import Patient, User
from bedside.scales import ScaleName
from bedside.service import ChartService
from ui.demo.answers import (
    ALDRETE_FULL,
    cadss6_answers,
    no_contraindications,
    score_baseline_scales,
)
from ui.demo.staff import DEMO_PASSWORD, SIGNATURE_STROKES, DemoStaff

REFERENCE_INDICATION = "Treatment-resistant major depressive disorder (F33.2)"


def order_reference_course(
    service: ChartService,
    clinician: User,
    patient_id: PatientId,
    *,
    planned_infusions: int = 6,
    mg_per_kg: float = 0.5,
    supersedes: CourseId | None = None,
) -> CourseOrder:
    """The reference course order, signed by ``clinician`` (password ``bedside-demo``):
    ``mg_per_kg`` (0.5) over 40 min, at most 60 mg, twice a week, for treatment-resistant
    depression."""
    return service.order_course(
        clinician,
        DEMO_PASSWORD,
        patient_id=patient_id,
        indication=REFERENCE_INDICATION,
        planned_infusions=planned_infusions,
        mg_per_kg=mg_per_kg,
        duration_min=40,
        max_dose_mg=60.0,
        frequency="2 per week",
        supersedes=supersedes,
    )


def prepare_reference_dose(
    service: ChartService, clock: FixedClock, staff: DemoStaff, sid: SessionId, start: datetime
) -> None:
    """Plan the dose (14 min after ``start``, the session's opening) for a 10 mg/mL vial and a
    100 mL bag, then record the preparation (at 16 min): a 50 mg / 5 mL vial drawn up whole,
    double-checked by the second nurse."""
    clock.set(start + timedelta(minutes=14))
    service.plan_dose(staff.nurse, sid, vial_concentration_mg_ml=10.0, bag_volume_ml=100.0)
    clock.set(start + timedelta(minutes=16))
    service.record_preparation(
        staff.nurse,
        sid,
        checker=staff.nurse2,
        checker_password=DEMO_PASSWORD,
        vial_concentration_mg_ml=10.0,
        vial_volume_ml=5.0,
        lot="KX2291A",
        expiry=date(start.year + 1, 6, 30),
        ndc="0409-2051",
        drawn_mg=50.0,
        drawn_ml=5.0,
        bag_volume_ml=100.0,
    )


@dataclass(frozen=True)
class ReferencePlan:
    """Knobs that vary the reference session across a course."""

    weight_kg: float = 72.0
    phq9_before: int = 16
    peak_bp: tuple[int, int] = (186, 104)
    cadss6_end: int = 6
    allergies_at_intake: dict[str, Any] | None = None
    """What the patient says about allergies at intake; ``None``: the record as it stands is
    confirmed (a record of *unknown* needs an answer here)."""


def allergies_as_on_record(service: ChartService, patient_id: PatientId) -> dict[str, Any]:
    """The patient's recorded allergies as an intake answer confirming them."""
    status = service.store.patient(patient_id).allergies
    if status.state is AllergyState.UNKNOWN:
        raise ValueError("the patient's allergies are unknown: say what the patient answers")
    return {"state": status.state, "allergies": status.allergies}


@dataclass(frozen=True)
class _Charting:
    """One session being charted: who charts, the session, and its clock."""

    service: ChartService
    clock: FixedClock
    staff: DemoStaff
    sid: SessionId
    start: datetime
    plan: ReferencePlan

    def at(self, minutes: float) -> None:
        """Move the clock to ``minutes`` after the session's opening."""
        self.clock.set(self.start + timedelta(minutes=minutes))

    def vitals(self, sbp: int, dbp: int, hr: int, spo2: int, rr: int) -> None:
        """A timed vitals set by the charting nurse."""
        self.service.record_vitals(
            self.staff.nurse,
            self.sid,
            systolic=sbp,
            diastolic=dbp,
            heart_rate=hr,
            spo2=spo2,
            resp_rate=rr,
        )


def chart_reference_session(
    service: ChartService,
    clock: FixedClock,
    staff: DemoStaff,
    patient: Patient,
    *,
    chair: int,
    start: datetime,
    plan: ReferencePlan = ReferencePlan(),
    until: Phase = Phase.SIGNED,
) -> SessionId:
    """Chart the reference session from opening to sign-off. ``until`` stops early (for the
    demo's in-progress chairs; ``Phase.PREPARED`` stops just before the pump starts)."""
    clock.set(start)
    sid = service.open_session(staff.nurse, patient_id=patient.id, chair=chair).session_id
    c = _Charting(service, clock, staff, sid, start, plan)
    _screen(c)
    _consent_and_dose(c)
    if until is Phase.PREPARED:
        return sid
    c.at(20)
    service.start_infusion(staff.nurse, sid)
    if until is Phase.INFUSING:
        c.at(30)
        c.vitals(134, 86, 82, 97, 14)
        service.score_scale(staff.nurse, sid, ScaleName.MOAAS, {"response": 4})
        c.at(40)
        c.vitals(142, 88, 84, 97, 15)
        return sid
    nausea = _infusion(c)
    _recovery(c, nausea)
    if until is Phase.READY_FOR_DISCHARGE:
        return sid
    c.at(104)
    service.attest_chart(staff.nurse, sid, DEMO_PASSWORD)  # the charting nurse signs
    c.at(105)
    service.sign_off(staff.clinician, sid, DEMO_PASSWORD)
    return sid


def _screen(c: _Charting) -> None:
    """Intake at 2 min, baseline at 5 min with the pre-session scores."""
    n, sid = c.staff.nurse, c.sid
    c.at(2)
    allergies = c.plan.allergies_at_intake or allergies_as_on_record(
        c.service, c.service.store.session(sid).patient_id
    )
    c.service.record_intake(
        n,
        sid,
        identifiers_checked=("full_name", "date_of_birth"),
        contraindications=no_contraindications(),
        pregnancy_test="not_applicable",
        medicines_reviewed=True,
        fasting_as_instructed=True,
        substance_use_48h=False,
        escort_name="Chris Doe",
        escort_phone="555-0142",
        allergies=allergies,
    )
    c.service.advance(n, sid, Phase.BASELINE)
    c.at(5)
    c.service.record_baseline(
        n,
        sid,
        systolic=128,
        diastolic=82,
        heart_rate=76,
        spo2=98,
        resp_rate=14,
        temperature_c=36.7,
        weight_kg=c.plan.weight_kg,
        height_cm=170,
    )
    score_baseline_scales(c.service, n, sid, c.plan.phq9_before)
    c.service.advance(n, sid, Phase.CONSENT)


def _consent_and_dose(c: _Charting) -> None:
    """Consent at 10 min, confirmed by the clinician; the dose planned and drawn up."""
    n, sid = c.staff.nurse, c.sid
    c.at(10)
    c.service.record_consent(
        n,
        sid,
        elements_acknowledged=list(c.service.consent_template.keys),
        capacity_confirmed=True,
        patient_signature=SIGNATURE_STROKES,
        clinician=c.staff.clinician,
        clinician_password=DEMO_PASSWORD,
    )
    c.service.advance(n, sid, Phase.PREPARED)
    prepare_reference_dose(c.service, c.clock, c.staff, sid, c.start)


def _infusion(c: _Charting) -> EventId:
    """The infusion from 20 to 65 min: nausea and ondansetron, the pause alert at +30 with a
    5-minute pause, the stop with the whole bag and CADSS-6. Returns the nausea's event id."""
    service, n, sid = c.service, c.staff.nurse, c.sid
    c.at(30)
    c.vitals(134, 86, 82, 97, 14)
    service.score_scale(n, sid, ScaleName.MOAAS, {"response": 4})
    c.at(40)
    c.vitals(148, 92, 88, 97, 15)
    c.at(42)
    nausea = service.note_side_effect(
        n, sid, effect="nausea", severity=1, action="ondansetron given"
    ).event
    c.at(45)
    service.give_prn(
        n,
        sid,
        drug="ondansetron",
        dose=4,
        unit="mg",
        route="IV",
        indication="nausea",
        ordered_by=c.staff.clinician.id,
        related_event_id=nausea.id,
    )
    c.at(50)
    sbp, dbp = c.plan.peak_bp
    events = service.record_vitals(
        n, sid, systolic=sbp, diastolic=dbp, heart_rate=96, spo2=96, resp_rate=16
    ).events
    service.pause_infusion(n, sid, "BP above pause limit")
    for event in events[1:]:
        service.acknowledge_alert(
            n,
            sid,
            event.id,
            clinician_notified=True,
            action_taken="Infusion paused 5 min, Dr Lee informed, lights dimmed; BP re-checked",
        )
    c.at(55)
    c.vitals(156, 94, 90, 97, 15)
    service.resume_infusion(n, sid)
    c.at(60)
    c.vitals(144, 90, 86, 97, 14)
    c.at(65)
    service.stop_infusion(n, sid, volume_infused_ml=103.6)
    service.score_scale(n, sid, ScaleName.CADSS6, cadss6_answers(c.plan.cadss6_end))
    return nausea.id


def _recovery(c: _Charting, nausea: EventId) -> None:
    """Observation from 70 to 102 min: recovery scores, the discharge score, the witnessed
    waste of the 14 mg left in the vial, ready for discharge."""
    service, n, sid = c.service, c.staff.nurse, c.sid
    c.at(70)
    service.resolve_side_effect(n, sid, nausea, note="settled")
    service.add_note(n, sid, "Patient resting quietly, reports vivid colours, calm.")
    c.at(80)
    c.vitals(132, 84, 80, 98, 14)
    service.score_scale(n, sid, ScaleName.MOAAS, {"response": 5})
    c.at(95)
    c.vitals(126, 80, 76, 98, 14)
    service.score_scale(n, sid, ScaleName.CADSS6, cadss6_answers(0))
    c.at(100)
    service.assess_discharge(
        n,
        sid,
        answers=ALDRETE_FULL,
        escort_present=True,
        escort_name="Chris Doe",
        instructions_given=True,
    )
    c.at(102)
    service.record_waste(
        n, sid, wasted_mg=14.0, witness=c.staff.nurse2, witness_password=DEMO_PASSWORD
    )
    service.advance(n, sid, Phase.READY_FOR_DISCHARGE)
