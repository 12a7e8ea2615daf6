"""A long, messy session for tests, benchmarks and review of the printout.

Three hours from opening to sign-off: 25 vitals sets (one baseline, 24 timed), a slowed rate,
two pauses, several alerts with the action taken, three side effects, two rescue medicines,
corrections and voids (vitals, a sedation score, a note), entries charted late, a slow
recovery, a witnessed waste, the clinician's sign-off and two signed addenda after it. Built
through the same service a nurse uses, on a clock moved along the scenario, so every entry
passes every rule (like :mod:`bedside.demo`, whose helpers it reuses).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bedside.clock import FixedClock
from bedside.demo import (
    ALDRETE_FULL,
    DEMO_PASSWORD,
    DEMO_TIMEZONE,
    SIGNATURE_STROKES,
    DemoStaff,
    cadss6_answers,
    demo_settings,
    no_contraindications,
    order_reference_course,
    prepare_reference_dose,
    score_baseline_scales,
    set_up_clinic,
)
from bedside.events import ChartEvent, Phase
from bedside.ids import SessionId
from bedside.people import Patient
from bedside.scales import ScaleName
from bedside.service import ChartService
from bedside.store import Store

INFUSION_START_MIN = 20
"""Minutes from opening to the infusion start (the time axis's zero)."""

SIGN_OFF_MIN = 180
"""Minutes from opening to the clinician's sign-off: a three-hour session."""

# (minutes from the infusion start, systolic, diastolic, heart rate, SpO2, resp. rate)
TIMED_VITALS: tuple[tuple[int, int, int, int, int, int], ...] = (
    (5, 138, 86, 80, 98, 14),
    (10, 146, 90, 84, 97, 15),
    (15, 154, 92, 88, 97, 15),
    (20, 164, 96, 86, 97, 16),  # first charted with HR 68 (transposed), corrected
    (25, 184, 104, 96, 96, 16),  # pause alert: infusion paused
    (28, 176, 100, 94, 96, 16),  # charted late (nurse with the paused pump)
    (32, 158, 94, 90, 97, 15),  # charted late
    (35, 152, 92, 88, 97, 15),
    (40, 150, 90, 86, 97, 14),
    (45, 162, 96, 88, 96, 15),
    (50, 156, 94, 86, 97, 14),
    (55, 150, 92, 84, 97, 14),
    (60, 148, 90, 82, 97, 14),
    (70, 146, 90, 82, 97, 14),  # entered twice; the duplicate is voided
    (80, 144, 88, 80, 98, 14),
    (90, 142, 88, 80, 97, 14),
    (100, 140, 86, 78, 97, 14),  # first charted as SpO2 89 (probe displaced), corrected
    (110, 138, 86, 78, 98, 14),
    (120, 136, 84, 78, 98, 14),
    (130, 136, 84, 76, 98, 14),
    (135, 134, 84, 76, 98, 14),
    (140, 134, 82, 76, 98, 14),
    (145, 132, 82, 76, 98, 14),
    (150, 132, 82, 74, 98, 14),
)
"""The 24 timed readings as they finally stand (with the baseline: 25 vitals sets)."""

LATE_VITALS_MIN = frozenset({28, 32})
LATE_CHARTED_AT_MIN = 48  # the two late sets were typed 20 and 16 minutes after they happened


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
    n, n2, dr = staff.nurse, staff.nurse2, staff.clinician
    t0 = start + timedelta(minutes=INFUSION_START_MIN)
    clock.set(start)
    sid = service.open_session(n, patient_id=patient.id, chair=chair).session_id

    def opened(minutes: float) -> datetime:
        clock.set(start + timedelta(minutes=minutes))
        return clock.now()

    def at(minutes: float) -> datetime:
        """Move the clock to ``minutes`` after the infusion start."""
        clock.set(t0 + timedelta(minutes=minutes))
        return clock.now()

    def ack(action: str, notified: bool = True) -> None:
        """Acknowledge every open alert (a corrected reading is judged again and may raise
        its own) with the action taken."""
        for alert in service.state(sid).open_alerts():
            service.acknowledge_alert(
                n, sid, alert.raised.id, action_taken=action, clinician_notified=notified
            )

    opened(2)
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
    )
    service.advance(n, sid, Phase.BASELINE)
    opened(5)
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
    opened(10)
    service.record_consent(
        n,
        sid,
        elements_acknowledged=list(service.consent_template.keys),
        capacity_confirmed=True,
        patient_signature=SIGNATURE_STROKES,
        clinician=dr,
        clinician_password=DEMO_PASSWORD,
        witness_name="Sam Okafor",
    )
    service.advance(n, sid, Phase.PREPARED)
    prepare_reference_dose(service, clock, staff, sid, start)
    at(0)
    service.start_infusion(n, sid)

    readings = {m: (s, d, hr, o2, rr) for m, s, d, hr, o2, rr in TIMED_VITALS}

    def vitals(minutes: int, **override: int) -> list[ChartEvent]:
        s, d, hr, o2, rr = readings[minutes]
        values: dict[str, Any] = {
            "systolic": s,
            "diastolic": d,
            "heart_rate": hr,
            "spo2": o2,
            "resp_rate": rr,
        }
        values.update(override)
        return list(service.record_vitals(n, sid, **values).events)

    for minutes in (5, 10):
        at(minutes)
        vitals(minutes)
    service.score_scale(n, sid, ScaleName.MOAAS, {"response": 4})
    at(12)
    nausea = service.note_side_effect(
        n, sid, effect="nausea", severity=1, action="ondansetron 4 mg IV"
    ).event
    at(14)
    service.give_prn(
        n,
        sid,
        drug="ondansetron",
        dose=4,
        unit="mg",
        route="IV",
        indication="nausea",
        ordered_by=dr.id,
        related_event_id=nausea.id,
        effect="settled within 20 min",
    )
    at(15)
    vitals(15)
    dissociation = service.note_side_effect(
        n,
        sid,
        effect="dissociation",
        severity=2,
        action="rate reduced to 120 mL/h (Dr Lee)",
        note="Feels detached from body, frightened",
    ).event
    service.change_rate(n, sid, 120.0, "moderate dissociation: rate reduced per Dr Lee")
    at(20)
    first = vitals(20, heart_rate=68)
    ack("SBP 164: Dr Lee informed; continue at reduced rate, re-check in 5 min")
    at(22)
    service.correct(
        n, sid, first[0].id, "transposed digits: heart rate was 86, not 68", heart_rate=86
    )
    ack("Corrected entry of the 20-min reading; SBP 164 already reported to Dr Lee")
    at(25)
    vitals(25)
    ack("Infusion paused, Dr Lee at the chair, patient reassured; BP re-checked")
    service.pause_infusion(n, sid, "BP 184/104 above the pause limit")
    hypertension = service.note_side_effect(
        n, sid, effect="hypertension", severity=2, action="infusion paused, Dr Lee informed"
    ).event
    at(31)
    anxiety = service.note_side_effect(
        n, sid, effect="anxiety", severity=1, action="midazolam 1 mg IV (Dr Lee)"
    ).event
    service.give_prn(
        n,
        sid,
        drug="midazolam",
        dose=1,
        unit="mg",
        route="IV",
        indication="anxiety during dissociation",
        ordered_by=dr.id,
        related_event_id=anxiety.id,
        effect="calmer after 5 min",
    )
    at(33)
    service.resume_infusion(n, sid)
    at(35)
    vitals(35)
    service.score_scale(n, sid, ScaleName.MOAAS, {"response": 3})
    at(40)
    vitals(40)
    service.add_note(n, sid, "Mandatory 40-minute BP taken. Patient drowsy, rousable to voice.")
    at(45)
    vitals(45)
    ack("SBP 162 after the pause: Dr Lee informed, infusion continued at 120 mL/h")
    at(LATE_CHARTED_AT_MIN)
    # The nurse was with the paused pump and the anxious patient: these are charted now.
    for minutes in sorted(LATE_VITALS_MIN):
        s, d, hr, o2, rr = readings[minutes]
        service.record_vitals(
            n,
            sid,
            clinical_time=t0 + timedelta(minutes=minutes),
            systolic=s,
            diastolic=d,
            heart_rate=hr,
            spo2=o2,
            resp_rate=rr,
        )
        ack("Charted late; handled at the chair at the time (infusion paused, Dr Lee present)")
    at(50)
    vitals(50)
    service.add_note(
        n,
        sid,
        "Vomited once at the pause (about 30 min); ondansetron already given. Linen changed.",
        clinical_time=t0 + timedelta(minutes=30),
    )
    at(55)
    vitals(55)
    service.stop_infusion(n, sid, volume_infused_ml=104.0)
    service.score_scale(n, sid, ScaleName.CADSS6, cadss6_answers(9))
    at(60)
    vitals(60)
    moaas_60 = service.score_scale(n, sid, ScaleName.MOAAS, {"response": 3}).events
    service.resolve_side_effect(n, sid, nausea.id, note="no further nausea")
    service.resolve_side_effect(n, sid, anxiety.id, note="calm")
    at(62)
    service.correct(
        n,
        sid,
        moaas_60[0].id,
        "scored on the wrong row: MOAA/S at 60 min was 4",
        answers={"response": 4},
    )
    at(70)
    vitals(70)
    duplicate = vitals(70)
    service.add_note(n, sid, "Husband in the waiting room, informed of the slower recovery.")
    wrong_note = service.add_note(n, sid, "Chair 3 patient asking for water.").event
    at(72)
    service.void(n, sid, duplicate[0].id, "duplicate entry: the same reading was saved twice")
    service.void(n, sid, wrong_note.id, "charted on the wrong patient's record")
    service.resolve_side_effect(n, sid, hypertension.id, note="BP settling")
    at(80)
    vitals(80)
    service.score_scale(n, sid, ScaleName.CADSS6, cadss6_answers(5))
    at(90)
    vitals(90)
    service.score_scale(n, sid, ScaleName.MOAAS, {"response": 4})
    at(100)
    wrong = vitals(100, spo2=89)
    ack("Finger probe had slipped: re-sited, repeat SpO2 97 % on air", notified=False)
    at(101)
    service.correct(
        n, sid, wrong[0].id, "finger probe displaced; repeat reading 97 % on air", spo2=97
    )
    at(110)
    vitals(110)
    service.score_scale(n, sid, ScaleName.CADSS6, cadss6_answers(2))
    service.score_scale(n, sid, ScaleName.MOAAS, {"response": 5})
    for minutes in (120, 130):
        at(minutes)
        vitals(minutes)
    service.resolve_side_effect(n, sid, dissociation.id, note="oriented, feels 'back'")
    at(135)
    vitals(135)
    service.score_scale(n, sid, ScaleName.CADSS6, cadss6_answers(0))
    at(140)
    vitals(140)
    service.add_note(
        n, sid, "Walking steadily to the bathroom with assistance; tolerating water, no nausea."
    )
    at(145)
    vitals(145)
    service.assess_discharge(
        n,
        sid,
        answers=ALDRETE_FULL,
        escort_present=True,
        escort_name="Robert Whitfield (husband)",
        instructions_given=True,
    )
    at(150)
    vitals(150)
    service.record_waste(n, sid, wasted_mg=9.5, witness=n2, witness_password=DEMO_PASSWORD)
    service.advance(n, sid, Phase.READY_FOR_DISCHARGE)
    opened(SIGN_OFF_MIN)
    service.sign_off(dr, sid, DEMO_PASSWORD)
    opened(SIGN_OFF_MIN + 15)
    service.add_addendum(
        n,
        sid,
        text="Follow-up call: home safely with her husband; mild headache, "
        "settled with paracetamol at home. Reminded not to drive until tomorrow.",
        reason="Follow-up call after discharge (not known at sign-off)",
        password=DEMO_PASSWORD,
    )
    opened(SIGN_OFF_MIN + 20)
    service.add_addendum(
        dr,
        sid,
        text="Reviewed the BP course: next infusion at 0.4 mg/kg after review of her "
        "amlodipine dose with her GP.",
        reason="Plan for the next session",
        password=DEMO_PASSWORD,
    )
    return sid


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
        allergies=["codeine"],
        current_medicines=["venlafaxine 225 mg", "amlodipine 5 mg"],
    )
    order_reference_course(service, staff.clinician, patient.id)
    sid = chart_long_session(service, clock, staff, patient, chair=2, start=start)
    return LongSession(sid, staff, patient, start)
