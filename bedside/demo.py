"""The demo clinic: users of each role, patients, a course with signed sessions, one signed
session today and one infusing now. Built through the same service a nurse uses, with a clock
that is moved along the scenario, so every demo record passes every rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bedside.clock import FixedClock
from bedside.course import CourseOrder
from bedside.events import Phase
from bedside.ids import CourseId, PatientId, SessionId
from bedside.people import Patient, Role, User
from bedside.rules.intake import CONTRAINDICATIONS
from bedside.scales import ScaleName
from bedside.service import ChartService
from bedside.store import Store

DEMO_PASSWORD = "bedside-demo"
DEMO_TIMEZONE = "America/New_York"
SIGNATURE_STROKES = [
    [(0.05, 0.7), (0.15, 0.3), (0.25, 0.75), (0.35, 0.35), (0.45, 0.7)],
    [(0.5, 0.5), (0.7, 0.45), (0.9, 0.55)],
]


@dataclass
class DemoStaff:
    """The demo accounts (all with password ``bedside-demo``)."""

    admin: User
    nurse: User
    nurse2: User
    clinician: User


def create_staff(service: ChartService) -> DemoStaff:
    """One account per role, plus a second nurse for double-checks and witnessing."""
    acc = service.accounts
    admin = acc.create_user(
        None, username="admin", full_name="Avery Admin", role=Role.ADMIN, password=DEMO_PASSWORD
    )
    nurse = acc.create_user(
        admin,
        username="dana",
        full_name="Dana Reyes",
        role=Role.NURSE,
        password=DEMO_PASSWORD,
        credentials="RN",
    )
    nurse2 = acc.create_user(
        admin,
        username="sam",
        full_name="Sam Okafor",
        role=Role.NURSE,
        password=DEMO_PASSWORD,
        credentials="RN",
    )
    clinician = acc.create_user(
        admin,
        username="drlee",
        full_name="Jordan Lee",
        role=Role.CLINICIAN,
        password=DEMO_PASSWORD,
        credentials="MD",
    )
    return DemoStaff(admin, nurse, nurse2, clinician)


def set_up_clinic(service: ChartService, settings: dict[str, str]) -> DemoStaff:
    """Store the clinic ``settings`` (e.g. ``timezone``, ``clinic_name``), create the demo
    staff and put the default protocol in force, at the service clock's time."""
    service.store.set_settings(settings, actor=None, at=service.clock.now())
    staff = create_staff(service)
    service.ensure_protocol(staff.admin)
    return staff


def demo_settings(timezone: str) -> dict[str, str]:
    """The demo clinic's settings: its name and address, in ``timezone``."""
    return {
        "timezone": timezone,
        "clinic_name": "Riverside Ketamine Clinic (demo)",
        "clinic_address": "100 River Road, Springfield",
    }


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


def no_contraindications() -> dict[str, bool]:
    """The intake screen with every contraindication answered no."""
    return dict.fromkeys(CONTRAINDICATIONS, False)


PHQ9_KEYS = (
    "q1_interest",
    "q2_depressed",
    "q3_sleep",
    "q4_energy",
    "q5_appetite",
    "q6_self_worth",
    "q7_concentration",
    "q8_psychomotor",
    "q9_self_harm",
)
"""The PHQ-9 answer keys, item 1 to item 9."""


def phq9_answers(total: int, item9: int = 0) -> dict[str, int]:
    """PHQ-9 answers adding up to ``total``: item 9 (thoughts of self-harm) is ``item9``, the
    rest is filled from item 1 on, at most 3 an item.

    Raises
    ------
    ValueError
        When items 1–8 cannot make up ``total - item9`` (more than 24).
    """
    answers = dict.fromkeys(PHQ9_KEYS, 0)
    answers["q9_self_harm"] = item9
    remaining = total - item9
    for key in PHQ9_KEYS[:-1]:
        answers[key] = min(3, remaining)
        remaining -= answers[key]
    if remaining != 0:
        raise ValueError(f"PHQ-9 items 1–8 cannot add up to {total - item9}")
    return answers


def cssrs_negative() -> dict[str, int]:
    """A C-SSRS screen answered no throughout."""
    return {"q1_wish_dead": 0, "q2_active_thoughts": 0, "q6_behaviour": 0}


def cadss6_answers(total: int) -> dict[str, int]:
    """CADSS-6 answers adding up to ``total``, spread evenly over the six items."""
    keys = ["item_01", "item_02", "item_06", "item_07", "item_15", "item_22"]
    answers = dict.fromkeys(keys, 0)
    for i in range(total):
        answers[keys[i % 6]] += 1
    return answers


ALDRETE_FULL = {"activity": 2, "respiration": 2, "circulation": 2, "consciousness": 2, "spo2": 2}


def score_baseline_scales(
    service: ChartService, nurse: User, sid: SessionId, phq9_total: int
) -> None:
    """The baseline scores: MOAA/S 5 (alert), the PHQ-9 at ``phq9_total``, a negative C-SSRS
    screen and CADSS-6 0."""
    service.score_scale(nurse, sid, ScaleName.MOAAS, {"response": 5})
    service.score_scale(nurse, sid, ScaleName.PHQ9, phq9_answers(phq9_total))
    service.score_scale(nurse, sid, ScaleName.CSSRS, cssrs_negative())
    service.score_scale(nurse, sid, ScaleName.CADSS6, cadss6_answers(0))


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
    """Chart the issue's reference session from opening to sign-off.

    72 kg, 0.5 mg/kg over 40 min in a 100 mL bag from a 50 mg / 5 mL vial drawn up whole; vitals
    every 10 min; a pause alert at 30 min (186/104) acknowledged with a 5-minute pause;
    ondansetron 4 mg IV for nausea; CADSS-6 at the end; observation until the criteria hold;
    the charting nurse signs her charting;
    14 mg wasted with a witness; clinician sign-off. ``until`` stops early (for the demo's
    in-progress chair; ``Phase.PREPARED`` stops just before the pump starts).
    """
    n, n2, dr = staff.nurse, staff.nurse2, staff.clinician
    clock.set(start)
    sid = service.open_session(n, patient_id=patient.id, chair=chair).session_id

    def at(minutes: float) -> datetime:
        clock.set(start + timedelta(minutes=minutes))
        return clock.now()

    at(2)
    service.record_intake(
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
    )
    service.advance(n, sid, Phase.BASELINE)
    at(5)
    service.record_baseline(
        n,
        sid,
        systolic=128,
        diastolic=82,
        heart_rate=76,
        spo2=98,
        resp_rate=14,
        temperature_c=36.7,
        weight_kg=plan.weight_kg,
        height_cm=170,
    )
    score_baseline_scales(service, n, sid, plan.phq9_before)
    service.advance(n, sid, Phase.CONSENT)
    at(10)
    service.record_consent(
        n,
        sid,
        elements_acknowledged=list(service.consent_template.keys),
        capacity_confirmed=True,
        patient_signature=SIGNATURE_STROKES,
        clinician=dr,
        clinician_password=DEMO_PASSWORD,
    )
    service.advance(n, sid, Phase.PREPARED)
    prepare_reference_dose(service, clock, staff, sid, start)
    if until is Phase.PREPARED:
        return sid
    t0 = 20.0
    at(t0)
    service.start_infusion(n, sid)
    if until is Phase.INFUSING:
        at(t0 + 10)
        service.record_vitals(
            n, sid, systolic=134, diastolic=86, heart_rate=82, spo2=97, resp_rate=14
        )
        service.score_scale(n, sid, ScaleName.MOAAS, {"response": 4})
        at(t0 + 20)
        service.record_vitals(
            n, sid, systolic=142, diastolic=88, heart_rate=84, spo2=97, resp_rate=15
        )
        return sid
    at(t0 + 10)
    service.record_vitals(n, sid, systolic=134, diastolic=86, heart_rate=82, spo2=97, resp_rate=14)
    service.score_scale(n, sid, ScaleName.MOAAS, {"response": 4})
    at(t0 + 20)
    service.record_vitals(n, sid, systolic=148, diastolic=92, heart_rate=88, spo2=97, resp_rate=15)
    at(t0 + 22)
    nausea = service.note_side_effect(
        n, sid, effect="nausea", severity=1, action="ondansetron given"
    ).event
    at(t0 + 25)
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
    )
    at(t0 + 30)
    sbp, dbp = plan.peak_bp
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
    at(t0 + 35)
    service.record_vitals(n, sid, systolic=156, diastolic=94, heart_rate=90, spo2=97, resp_rate=15)
    service.resume_infusion(n, sid)
    at(t0 + 40)
    service.record_vitals(n, sid, systolic=144, diastolic=90, heart_rate=86, spo2=97, resp_rate=14)
    at(t0 + 45)
    service.stop_infusion(n, sid, volume_infused_ml=103.6)
    service.score_scale(n, sid, ScaleName.CADSS6, cadss6_answers(plan.cadss6_end))
    at(t0 + 50)
    service.resolve_side_effect(n, sid, nausea.id, note="settled")
    service.add_note(n, sid, "Patient resting quietly, reports vivid colours, calm.")
    at(t0 + 60)
    service.record_vitals(n, sid, systolic=132, diastolic=84, heart_rate=80, spo2=98, resp_rate=14)
    service.score_scale(n, sid, ScaleName.MOAAS, {"response": 5})
    at(t0 + 75)
    service.record_vitals(n, sid, systolic=126, diastolic=80, heart_rate=76, spo2=98, resp_rate=14)
    service.score_scale(n, sid, ScaleName.CADSS6, cadss6_answers(0))
    at(t0 + 80)
    service.assess_discharge(
        n,
        sid,
        answers=ALDRETE_FULL,
        escort_present=True,
        escort_name="Chris Doe",
        instructions_given=True,
    )
    at(t0 + 82)
    service.record_waste(n, sid, wasted_mg=14.0, witness=n2, witness_password=DEMO_PASSWORD)
    service.advance(n, sid, Phase.READY_FOR_DISCHARGE)
    if until is Phase.READY_FOR_DISCHARGE:
        return sid
    at(t0 + 84)
    service.attest_chart(n, sid, DEMO_PASSWORD)  # the charting nurse signs her charting
    at(t0 + 85)
    service.sign_off(dr, sid, DEMO_PASSWORD)
    return sid


def build_demo(store: Store, now: datetime, timezone: str = DEMO_TIMEZONE) -> DemoStaff:
    """Fill an empty database with the demo clinic, as it would look at ``now``.

    ``timezone`` is the clinic's (the composition root passes the workstation's own zone, so
    the demo's "today" is the user's today).
    """
    if store.has_users():
        raise ValueError("the demo clinic can only be created in an empty database")
    clock = FixedClock(now - timedelta(days=15))
    service = ChartService(store, clock)
    staff = set_up_clinic(service, demo_settings(timezone))
    patients = [
        service.register_patient(
            staff.nurse,
            mrn="MRN-1001",
            family_name="Doe",
            given_name="Alex",
            date_of_birth=date(1984, 3, 12),
            sex="female",
            allergies=["penicillin"],
            current_medicines=["sertraline 100 mg"],
        ),
        service.register_patient(
            staff.nurse,
            mrn="MRN-1002",
            family_name="Nguyen",
            given_name="Minh",
            date_of_birth=date(1977, 9, 2),
            sex="male",
            current_medicines=["bupropion 300 mg", "lisinopril 10 mg"],
        ),
        service.register_patient(
            staff.nurse,
            mrn="MRN-1003",
            family_name="García",
            given_name="Lucía",
            date_of_birth=date(1991, 1, 25),
            sex="female",
        ),
        service.register_patient(
            staff.nurse,
            mrn="MRN-1004",
            family_name="O'Brien",
            given_name="Sean",
            date_of_birth=date(1969, 11, 30),
            sex="male",
            allergies=["latex"],
        ),
        service.register_patient(
            staff.nurse,
            mrn="MRN-1005",
            family_name="Shah",
            given_name="Priya",
            date_of_birth=date(1988, 6, 14),
            sex="female",
            current_medicines=["escitalopram 20 mg"],
        ),
    ]
    for patient in patients:
        order_reference_course(service, staff.clinician, patient.id)
    # Alex Doe: a course in progress; four earlier sessions with PHQ-9 falling.
    history = [
        (15, 19, (172, 98), 9),
        (11, 15, (160, 96), 7),
        (8, 12, (154, 92), 6),
        (4, 9, (150, 90), 5),
    ]
    for days_ago, phq, bp, cadss in history:
        day_start = (now - timedelta(days=days_ago)).replace(
            hour=13, minute=0, second=0, microsecond=0
        )
        chart_reference_session(
            service,
            clock,
            staff,
            patients[0],
            chair=1,
            start=day_start,
            plan=ReferencePlan(phq9_before=phq, peak_bp=bp, cadss6_end=cadss),
        )
    # Today: Minh Nguyen's session signed earlier (the reference numbers) and Lucía García
    # infusing now on chair 2.
    chart_reference_session(
        service, clock, staff, patients[1], chair=1, start=now - timedelta(minutes=200)
    )
    chart_reference_session(
        service,
        clock,
        staff,
        patients[2],
        chair=2,
        start=now - timedelta(minutes=42),
        until=Phase.INFUSING,
    )
    # Sean O'Brien on chair 3 has met the discharge criteria and waits for the sign-off.
    chart_reference_session(
        service,
        clock,
        staff,
        patients[3],
        chair=3,
        start=now - timedelta(minutes=105),
        until=Phase.READY_FOR_DISCHARGE,
    )
    # Priya Shah on chair 4: consent, dose and preparation done; the pump is ready to start.
    chart_reference_session(
        service,
        clock,
        staff,
        patients[4],
        chair=4,
        start=now - timedelta(minutes=17),
        until=Phase.PREPARED,
    )
    clock.set(now)
    return staff
