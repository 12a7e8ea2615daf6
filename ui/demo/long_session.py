"""A long, messy session for tests, benchmarks and review of the printout.

Three hours from opening to sign-off: 25 vitals sets (one baseline, 24 timed), a slowed rate,
two pauses, several alerts with the action taken, three side effects, two rescue medicines,
corrections and voids (vitals, a sedation score, a note), entries charted late, a slow
recovery, a witnessed waste, the clinician's sign-off and two signed addenda after it. Built
through the same service a nurse uses, on a clock moved along the scenario, so every entry
passes every rule (like :mod:`ui.demo.reference`, whose helpers it reuses).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bedside.clock import FixedClock
from bedside.events import Phase
from bedside.ids import SessionId
from bedside.people import Patient
from bedside.scales import ScaleName
from bedside.service import ChartService
from bedside.store import Store
from ui.demo.answers import (
    ALDRETE_FULL,
    cadss6_answers,
    no_contraindications,
    score_baseline_scales,
)
from ui.demo.long_charting import (
    INFUSION_START_MIN,
    LATE_CHARTED_AT_MIN,
    LATE_VITALS_MIN,
    READINGS,
    SIGN_OFF_MIN,
    TIMED_VITALS,
    LongCharting,
)
from ui.demo.reference import order_reference_course, prepare_reference_dose
from ui.demo.staff import (
    DEMO_PASSWORD,
    DEMO_TIMEZONE,
    SIGNATURE_STROKES,
    DemoStaff,
    demo_settings,
    set_up_clinic,
)

__all__ = ["INFUSION_START_MIN", "SIGN_OFF_MIN", "TIMED_VITALS", "LongSession"]


@dataclass(frozen=True)
class LongSession:
    """The long session and the staff who charted it."""

    session_id: SessionId
    staff: DemoStaff
    patient: Patient
    start: datetime


def chart_long_session(
    service: ChartService,
    clock: FixedClock,
    staff: DemoStaff,
    patient: Patient,
    *,
    chair: int,
    start: datetime,
) -> SessionId:
    """Chart the long session for ``patient`` (who needs an active course order of 0.5 mg/kg
    over 40 min); the clock is left at the second addendum, 3 h 20 min after ``start``."""
    clock.set(start)
    sid = service.open_session(staff.nurse, patient_id=patient.id, chair=chair).session_id
    c = LongCharting(service, clock, staff, sid, start)
    _before_the_pump(c)
    _first_half_hour(c)
    _pause_and_resume(c)
    _late_entries_and_stop(c)
    _corrections_in_recovery(c)
    _slow_recovery(c)
    _sign_off_and_addenda(c)
    return sid


def _before_the_pump(c: LongCharting) -> None:
    """Intake, baseline, consent witnessed by the second nurse, the dose, the start."""
    service, n, sid = c.service, c.staff.nurse, c.sid
    c.opened(2)
    service.record_intake(
        n,
        sid,
        identifiers_checked=("full_name", "date_of_birth", "mrn"),
        contraindications=no_contraindications(),
        pregnancy_test="negative",
        medicines_reviewed=True,
        new_medicines=("amlodipine 5 mg (started 2 weeks ago)",),
        fasting_as_instructed=True,
        substance_use_48h=False,
        escort_name="Robert Whitfield (husband)",
        escort_phone="555-0199",
        notes="Slept poorly last night; anxious about the infusion.",
        allergies={"state": "listed", "allergies": ["codeine (vomiting)"]},
    )
    service.advance(n, sid, Phase.BASELINE)
    c.opened(5)
    service.record_baseline(
        n,
        sid,
        systolic=132,
        diastolic=84,
        heart_rate=78,
        spo2=98,
        resp_rate=14,
        temperature_c=36.8,
        weight_kg=81.0,
        height_cm=168,
    )
    score_baseline_scales(service, n, sid, 18)
    service.advance(n, sid, Phase.CONSENT)
    c.opened(10)
    service.record_consent(
        n,
        sid,
        elements_acknowledged=list(service.consent_template.keys),
        capacity_confirmed=True,
        patient_signature=SIGNATURE_STROKES,
        clinician=c.staff.clinician,
        clinician_password=DEMO_PASSWORD,
        witness_name="Sam Okafor",
    )
    service.advance(n, sid, Phase.PREPARED)
    prepare_reference_dose(service, c.clock, c.staff, sid, c.start)
    c.at(0)
    service.start_infusion(n, sid)


def _first_half_hour(c: LongCharting) -> None:
    """Nausea and ondansetron, dissociation and a slower rate, the 20-minute reading charted
    with a transposed heart rate and corrected."""
    service, n, sid = c.service, c.staff.nurse, c.sid
    for minutes in (5, 10):
        c.at(minutes)
        c.vitals(minutes)
    service.score_scale(n, sid, ScaleName.MOAAS, {"response": 4})
    c.at(12)
    nausea = c.effect("nausea", 1, "ondansetron 4 mg IV")
    c.at(14)
    c.prn("ondansetron", 4, "nausea", nausea, "settled within 20 min")
    c.at(15)
    c.vitals(15)
    c.effect(
        "dissociation",
        2,
        "rate reduced to 120 mL/h (Dr Lee)",
        note="Feels detached from body, frightened",
    )
    service.change_rate(n, sid, 120.0, "moderate dissociation: rate reduced per Dr Lee")
    c.at(20)
    first = c.vitals(20, heart_rate=68)
    c.ack("SBP 164: Dr Lee informed; continue at reduced rate, re-check in 5 min")
    c.at(22)
    service.correct(
        n, sid, first[0].id, "transposed digits: heart rate was 86, not 68", heart_rate=86
    )
    c.ack("Corrected entry of the 20-min reading; SBP 164 already reported to Dr Lee")


def _pause_and_resume(c: LongCharting) -> None:
    """The pause alert at 25 minutes: paused, hypertension and anxiety with midazolam,
    resumed at 33; the mandatory 40-minute BP."""
    service, n, sid = c.service, c.staff.nurse, c.sid
    c.at(25)
    c.vitals(25)
    c.ack("Infusion paused, Dr Lee at the chair, patient reassured; BP re-checked")
    service.pause_infusion(n, sid, "BP 184/104 above the pause limit")
    c.effect("hypertension", 2, "infusion paused, Dr Lee informed")
    c.at(31)
    anxiety = c.effect("anxiety", 1, "midazolam 1 mg IV (Dr Lee)")
    c.prn("midazolam", 1, "anxiety during dissociation", anxiety, "calmer after 5 min")
    c.at(33)
    # The readings taken during the pause are charted late (below): the resume after the pause
    # alert rests on Dr Lee's word at the chair, recorded as a clinician's override.
    service.resume_infusion(
        n,
        sid,
        override_by=c.staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="At the chair: BP 158/94 at 32 min, nurse to chart it after",
    )
    c.at(35)
    c.vitals(35)
    service.score_scale(n, sid, ScaleName.MOAAS, {"response": 3})
    c.at(40)
    c.vitals(40)
    service.add_note(n, sid, "Mandatory 40-minute BP taken. Patient drowsy, rousable to voice.")
    c.at(45)
    c.vitals(45)
    c.ack("SBP 162 after the pause: Dr Lee informed, infusion continued at 120 mL/h")


def _late_entries_and_stop(c: LongCharting) -> None:
    """The two readings taken during the pause, charted late; a late note; the stop."""
    service, n, sid = c.service, c.staff.nurse, c.sid
    c.at(LATE_CHARTED_AT_MIN)
    # The nurse was with the paused pump and the anxious patient: these are charted now.
    for minutes in sorted(LATE_VITALS_MIN):
        s, d, hr, o2, rr = READINGS[minutes]
        service.record_vitals(
            n,
            sid,
            clinical_time=c.t0 + timedelta(minutes=minutes),
            systolic=s,
            diastolic=d,
            heart_rate=hr,
            spo2=o2,
            resp_rate=rr,
        )
        c.ack("Charted late; handled at the chair at the time (infusion paused, Dr Lee present)")
    c.at(50)
    c.vitals(50)
    service.add_note(
        n,
        sid,
        "Vomited once at the pause (about 30 min); ondansetron already given. Linen changed.",
        clinical_time=c.t0 + timedelta(minutes=30),
    )
    c.at(55)
    c.vitals(55)
    service.stop_infusion(n, sid, volume_infused_ml=104.0)
    service.score_scale(n, sid, ScaleName.CADSS6, cadss6_answers(9))


def _corrections_in_recovery(c: LongCharting) -> None:
    """A sedation score on the wrong row corrected, a duplicate reading and a note on the
    wrong record voided."""
    service, n, sid = c.service, c.staff.nurse, c.sid
    c.at(60)
    c.vitals(60)
    moaas_60 = service.score_scale(n, sid, ScaleName.MOAAS, {"response": 3}).events
    service.resolve_side_effect(n, sid, c.effects["nausea"], note="no further nausea")
    service.resolve_side_effect(n, sid, c.effects["anxiety"], note="calm")
    c.at(62)
    service.correct(
        n,
        sid,
        moaas_60[0].id,
        "scored on the wrong row: MOAA/S at 60 min was 4",
        answers={"response": 4},
    )
    c.at(70)
    c.vitals(70)
    duplicate = c.vitals(70)
    service.add_note(n, sid, "Husband in the waiting room, informed of the slower recovery.")
    wrong_note = service.add_note(n, sid, "Chair 3 patient asking for water.").event
    c.at(72)
    service.void(n, sid, duplicate[0].id, "duplicate entry: the same reading was saved twice")
    service.void(n, sid, wrong_note.id, "charted on the wrong patient's record", wrong_patient=True)
    service.resolve_side_effect(n, sid, c.effects["hypertension"], note="BP settling")


def _slow_recovery(c: LongCharting) -> None:
    """Recovery to 150 minutes: a displaced SpO2 probe corrected, the scores settling, the
    discharge score, the waste, ready for discharge."""
    service, n, sid = c.service, c.staff.nurse, c.sid
    c.at(80)
    c.vitals(80)
    service.score_scale(n, sid, ScaleName.CADSS6, cadss6_answers(5))
    c.at(90)
    c.vitals(90)
    service.score_scale(n, sid, ScaleName.MOAAS, {"response": 4})
    c.at(100)
    wrong = c.vitals(100, spo2=89)
    c.ack("Finger probe had slipped: re-sited, repeat SpO2 97 % on air", notified=False)
    c.at(101)
    service.correct(
        n, sid, wrong[0].id, "finger probe displaced; repeat reading 97 % on air", spo2=97
    )
    c.at(110)
    c.vitals(110)
    service.score_scale(n, sid, ScaleName.CADSS6, cadss6_answers(2))
    service.score_scale(n, sid, ScaleName.MOAAS, {"response": 5})
    for minutes in (120, 130):
        c.at(minutes)
        c.vitals(minutes)
    service.resolve_side_effect(n, sid, c.effects["dissociation"], note="oriented, feels 'back'")
    c.at(135)
    c.vitals(135)
    service.score_scale(n, sid, ScaleName.CADSS6, cadss6_answers(0))
    c.at(140)
    c.vitals(140)
    service.add_note(
        n, sid, "Walking steadily to the bathroom with assistance; tolerating water, no nausea."
    )
    c.at(145)
    c.vitals(145)
    service.assess_discharge(
        n,
        sid,
        answers=ALDRETE_FULL,
        escort_present=True,
        escort_name="Robert Whitfield (husband)",
        instructions_given=True,
    )
    c.at(150)
    c.vitals(150)
    service.record_waste(
        n, sid, wasted_mg=9.5, witness=c.staff.nurse2, witness_password=DEMO_PASSWORD
    )
    service.advance(n, sid, Phase.READY_FOR_DISCHARGE)


def _sign_off_and_addenda(c: LongCharting) -> None:
    """The clinician's sign-off at three hours, then the nurse's and the clinician's
    addenda."""
    service, sid = c.service, c.sid
    c.opened(SIGN_OFF_MIN)
    service.sign_off(c.staff.clinician, sid, DEMO_PASSWORD)
    c.opened(SIGN_OFF_MIN + 15)
    service.add_addendum(
        c.staff.nurse,
        sid,
        text="Follow-up call: home safely with her husband; mild headache, "
        "settled with paracetamol at home. Reminded not to drive until tomorrow.",
        reason="Follow-up call after discharge (not known at sign-off)",
        password=DEMO_PASSWORD,
    )
    c.opened(SIGN_OFF_MIN + 20)
    service.add_addendum(
        c.staff.clinician,
        sid,
        text="Reviewed the BP course: next infusion at 0.4 mg/kg after review of her "
        "amlodipine dose with her GP.",
        reason="Plan for the next session",
        password=DEMO_PASSWORD,
    )


def build_long_clinic(store: Store, start: datetime, timezone: str = DEMO_TIMEZONE) -> LongSession:
    """An empty database filled with the demo staff, one patient with a course order, and the
    long session opened at ``start`` on chair 2."""
    if store.has_users():
        raise ValueError("the long-session clinic can only be created in an empty database")
    clock = FixedClock(start - timedelta(days=2))
    service = ChartService(store, clock)
    staff = set_up_clinic(service, demo_settings(timezone))
    patient = service.register_patient(
        staff.nurse,
        mrn="MRN-2001",
        family_name="Whitfield",
        given_name="Eleanor",
        date_of_birth=date(1972, 8, 9),
        sex="female",
        allergies={"state": "listed", "allergies": ["codeine (vomiting)"]},
        current_medicines=["venlafaxine 225 mg", "amlodipine 5 mg"],
    )
    order_reference_course(service, staff.clinician, patient.id)
    sid = chart_long_session(service, clock, staff, patient, chair=2, start=start)
    return LongSession(sid, staff, patient, start)
