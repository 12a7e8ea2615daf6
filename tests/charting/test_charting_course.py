"""The course summary: every number of a charted course, and the outcome flags at their edges.

Courses are charted through the service (``ui.demo.chart_reference_session`` for whole
sessions; a short helper below for sessions that end before the pump starts). The reference
session plans 0.5 mg/kg × 72 kg = 36 mg, infuses the full bag (36 mg), charts vitals at S+10
(134/86), S+20 (148/92), S+30 (the plan's peak), S+35 (156/94), S+40 (144/90), S+60 and S+75,
and one mild nausea; its CADSS-6 at the stop is the plan's ``cadss6_end``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from charting_fixtures import SESSION_START, Clinic

from bedside.events import Phase
from bedside.ids import SessionId
from bedside.protocol import AlertLevel
from bedside.scales import ScaleName
from charting import (
    DEFAULT_OUTCOMES,
    CourseSummary,
    OutcomeDefinition,
    SessionStatus,
    SideEffectSummary,
    course_summary,
)
from tests.session_builders import screened_session
from ui.demo import DEMO_PASSWORD, ReferencePlan, chart_reference_session, phq9_answers

DAY = timedelta(days=1)
NOW = SESSION_START + 30 * DAY


def chart_course(clinic: Clinic, plans: list[ReferencePlan], first_day: int = 0) -> list[SessionId]:
    """Whole signed reference sessions, three days apart."""
    return [
        chart_reference_session(
            clinic.service,
            clinic.clock,
            clinic.staff,
            clinic.patient,
            chair=1,
            start=SESSION_START + (first_day + 3 * i) * DAY,
            plan=plan,
        )
        for i, plan in enumerate(plans)
    ]


def short_session(clinic: Clinic, day: int, answers: dict[str, int]) -> SessionId:
    """A session opened on ``day``, screened, with baseline vitals and a PHQ-9 (left open)."""
    return screened_session(
        clinic.service,
        clinic.clock,
        clinic.staff.nurse,
        clinic.patient,
        SESSION_START + day * DAY,
        answers,
    )


def summary_of(clinic: Clinic, now: datetime = NOW) -> CourseSummary:
    return course_summary(clinic.service, clinic.patient.id, now)


# --- a whole course --------------------------------------------------------------------------


def test_every_number_of_a_four_session_course(clinic: Clinic) -> None:
    # The clinic is in Auckland (UTC+13 in March): 14:00 UTC is 03:00 the next local day.
    clinic.service.store.set_settings(
        {"timezone": "Pacific/Auckland"}, actor=None, at=clinic.clock.now()
    )
    sids = chart_course(
        clinic,
        [
            ReferencePlan(phq9_before=20, peak_bp=(186, 104), cadss6_end=9),
            ReferencePlan(phq9_before=16, peak_bp=(172, 98), cadss6_end=7),
            ReferencePlan(phq9_before=13, peak_bp=(158, 94), cadss6_end=6),
            ReferencePlan(phq9_before=10, peak_bp=(150, 90), cadss6_end=5),
        ],
    )
    s = summary_of(clinic)

    assert s.patient.id == clinic.patient.id
    assert s.order is not None
    assert s.order.planned_infusions == 6
    assert [r.session_id for r in s.sessions] == sids
    assert [r.number for r in s.sessions] == [1, 2, 3, 4]
    assert {r.planned_infusions for r in s.sessions} == {6}
    assert [r.number_text for r in s.sessions] == ["1 of 6", "2 of 6", "3 of 6", "4 of 6"]
    assert [r.date for r in s.sessions] == [
        date(2026, 3, 3),
        date(2026, 3, 6),
        date(2026, 3, 9),
        date(2026, 3, 12),
    ]
    assert {r.status for r in s.sessions} == {SessionStatus.SIGNED}
    assert {r.status_text for r in s.sessions} == {"Signed"}
    for r in s.sessions:
        assert (r.planned_mg, r.planned_mg_per_kg, r.dosing_weight_kg) == (36.0, 0.5, 72.0)
        assert r.infused_mg == 36.0
        assert r.infused_mg_per_kg == 0.5
        assert not r.dose_differs
        assert r.dose_text == "36 mg · 0.5 mg/kg"
        assert r.infusion_started
        assert r.infusion_completed
        assert r.side_effects == (SideEffectSummary("nausea", "Nausea", 1, False),)
        assert r.side_effects_text == "Nausea (mild)"
        assert r.max_side_effect_severity == 1
        assert (r.cssrs_band, r.cssrs_flagged, r.phq9_item9_positive) == ("none", False, False)
    # Peaks come from the timed readings: S+35 reads 156/94, above session 4's planned peak.
    assert [(r.peak_systolic, r.peak_diastolic) for r in s.sessions] == [
        (186, 104),
        (172, 98),
        (158, 94),
        (156, 94),
    ]
    assert [r.peak_bp_text for r in s.sessions] == ["186/104", "172/98", "158/94", "156/94"]
    # Levels as the protocol's alert rules give them: > 180/100 pauses; SBP ≥ 160 notifies.
    assert [(r.peak_systolic_level, r.peak_diastolic_level) for r in s.sessions] == [
        (AlertLevel.PAUSE, AlertLevel.PAUSE),
        (AlertLevel.NOTIFY, None),
        (None, None),
        (None, None),
    ]
    assert [r.peak_bp_level for r in s.sessions] == [
        AlertLevel.PAUSE,
        AlertLevel.NOTIFY,
        None,
        None,
    ]
    assert [r.cadss6_end for r in s.sessions] == [9, 7, 6, 5]
    assert [r.phq9_before for r in s.sessions] == [20, 16, 13, 10]

    assert s.planned_infusions == 6
    assert s.infusions_given == 4
    assert s.infusions_text == "4 of 6 planned"
    assert s.cumulative_infused_mg == 144.0
    assert s.cumulative_complete
    assert s.cumulative_text == "144 mg"
    assert [(p.number, p.total) for p in s.phq9] == [(1, 20), (2, 16), (3, 13), (4, 10)]
    assert s.first_phq9 is not None
    assert s.first_phq9.total == 20
    assert s.latest_phq9 is not None
    assert s.latest_phq9.total == 10
    assert s.phq9_change_percent == pytest.approx(-50.0)
    assert s.change_text == "−50 % (20 → 10)"
    # Exactly half of the first score is a response; 10 is not a remission.
    assert s.response is True
    assert s.remission is False
    assert s.response_threshold == 10.0
    assert s.outcomes == DEFAULT_OUTCOMES
    assert s.timezone == "Pacific/Auckland"
    assert s.as_of == NOW
    # Last infusion on 12 March (local); NOW is 1 April 14:00 UTC = 2 April 03:00 in Auckland.
    assert s.days_since_last_infusion == 21


@pytest.mark.parametrize(
    ("first", "latest", "response", "remission"),
    [
        (20, 10, True, False),  # a 50 % fall exactly
        (20, 11, False, False),  # 45 %
        (10, 5, True, False),  # a response, but 5 is not below 5
        (10, 4, True, True),
        (8, 5, False, False),  # 37.5 %
        (6, 4, False, True),  # a remission without a 50 % fall
    ],
)
def test_response_and_remission_at_their_thresholds(
    clinic: Clinic, first: int, latest: int, response: bool, remission: bool
) -> None:
    chart_course(clinic, [ReferencePlan(phq9_before=first), ReferencePlan(phq9_before=latest)])
    s = summary_of(clinic)
    assert (s.response, s.remission) == (response, remission)
    assert s.phq9_change_percent == pytest.approx((latest - first) / first * 100)
    assert s.flag_text(s.response) == ("Yes" if response else "No")


def test_a_clinic_definition_moves_the_thresholds(clinic: Clinic) -> None:
    chart_course(clinic, [ReferencePlan(phq9_before=20), ReferencePlan(phq9_before=9)])
    strict = OutcomeDefinition(response_drop_fraction=0.6, remission_below=10)
    s = course_summary(clinic.service, clinic.patient.id, NOW, outcomes=strict)
    assert s.response is False  # a 55 % fall is short of 60 %
    assert s.remission is True  # 9 < 10
    assert s.response_threshold == pytest.approx(8.0)


def test_one_phq9_leaves_the_outcome_open(clinic: Clinic) -> None:
    chart_course(clinic, [ReferencePlan(phq9_before=18)])
    s = summary_of(clinic)
    assert s.first_phq9 is s.latest_phq9
    assert (s.phq9_change_percent, s.response, s.remission) == (None, None, None)
    assert s.change_text == "18 (first score only)"
    assert s.flag_text(s.response) == "Not yet"


def test_a_first_score_of_zero_has_no_percentage(clinic: Clinic) -> None:
    chart_course(clinic, [ReferencePlan(phq9_before=0), ReferencePlan(phq9_before=2)])
    s = summary_of(clinic)
    assert s.phq9_change_percent is None
    assert s.change_text == "0 → 2"
    assert (s.response, s.remission) == (False, True)


# --- sessions that are not whole ---------------------------------------------------------------


def test_an_infusion_stopped_short_shows_planned_and_given(clinic: Clinic) -> None:
    sid = chart_reference_session(
        clinic.service,
        clinic.clock,
        clinic.staff,
        clinic.patient,
        chair=1,
        start=SESSION_START,
        until=Phase.INFUSING,
    )
    # Half the bag (103.6 mL at 36/103.6 mg/mL) before the stop: 18 mg.
    clinic.service.stop_infusion(
        clinic.staff.nurse, sid, volume_infused_ml=51.8, completed=False, reason="patient asked"
    )
    (row,) = summary_of(clinic).sessions
    assert row.status is SessionStatus.OPEN
    assert row.phase is Phase.OBSERVING
    assert row.status_text == "Open · Observation"
    assert row.infusion_completed is False
    assert row.infused_mg == 18.0
    assert row.infused_mg_per_kg == pytest.approx(0.25)
    assert row.dose_differs
    assert row.dose_text == "36 mg · 0.5 mg/kg planned; 18 mg · 0.25 mg/kg given"
    assert (row.peak_systolic, row.peak_diastolic) == (142, 88)
    assert row.cadss6_end is None  # not scored since the start
    assert row.side_effects == ()
    assert row.side_effects_text == "None"
    assert row.max_side_effect_severity is None


def test_a_running_infusion_is_counted_but_its_dose_is_not_known_yet(clinic: Clinic) -> None:
    chart_course(clinic, [ReferencePlan(phq9_before=18)])
    chart_reference_session(
        clinic.service,
        clinic.clock,
        clinic.staff,
        clinic.patient,
        chair=2,
        start=SESSION_START + 3 * DAY,
        until=Phase.INFUSING,
    )
    s = summary_of(clinic, now=clinic.clock.now())
    assert s.infusions_given == 2
    assert s.sessions[1].infused_mg is None
    assert s.sessions[1].status_text == "Open · Infusing"
    assert s.cumulative_infused_mg == 36.0
    assert not s.cumulative_complete
    assert s.cumulative_text == "36 mg so far"
    assert s.days_since_last_infusion == 0


def test_a_session_ended_before_the_pump_with_safety_flags(clinic: Clinic) -> None:
    nurse, service = clinic.staff.nurse, clinic.service
    sid = short_session(clinic, 0, phq9_answers(17, item9=1))
    service.score_scale(
        nurse,
        sid,
        ScaleName.CSSRS,
        {
            "q1_wish_dead": 1,
            "q2_active_thoughts": 1,
            "q3_method": 0,
            "q4_intent": 1,
            "q5_plan": 0,
            "q6_behaviour": 0,
        },
    )
    service.note_side_effect(nurse, sid, effect="anxiety", severity=1)
    service.note_side_effect(nurse, sid, effect="headache", severity=2)
    service.note_side_effect(nurse, sid, effect="anxiety", severity=3, serious=True)
    service.end_early(nurse, sid, "High risk on the C-SSRS screen: clinician review")

    s = summary_of(clinic)
    (row,) = s.sessions
    assert row.status is SessionStatus.ENDED_EARLY
    assert row.status_text == "Ended early"
    assert row.ended_early_reason == "High risk on the C-SSRS screen: clinician review"
    assert row.phq9_before == 17
    assert row.phq9_item9_positive
    assert (row.cssrs_band, row.cssrs_flagged) == ("high", True)
    assert row.side_effects == (
        SideEffectSummary("anxiety", "Anxiety or panic", 3, True),
        SideEffectSummary("headache", "Headache", 2, False),
    )
    assert row.side_effects_text == "Anxiety or panic (severe, SERIOUS), Headache (moderate)"
    assert row.max_side_effect_severity == 3
    assert not row.infusion_started
    assert (row.planned_mg, row.infused_mg, row.peak_systolic, row.cadss6_end) == (
        None,
        None,
        None,
        None,
    )
    assert row.dose_text == "—"
    assert row.peak_bp_text == "—"
    assert s.infusions_given == 0
    assert s.cumulative_infused_mg == 0.0
    assert s.days_since_last_infusion is None
    assert s.phq9[0].item9_positive


def test_a_low_risk_screen_is_shown_but_not_flagged(clinic: Clinic) -> None:
    sid = short_session(clinic, 0, phq9_answers(12))
    clinic.service.score_scale(
        clinic.staff.nurse,
        sid,
        ScaleName.CSSRS,
        {"q1_wish_dead": 1, "q2_active_thoughts": 0, "q6_behaviour": 0},
    )
    (row,) = summary_of(clinic).sessions
    assert (row.cssrs_band, row.cssrs_flagged) == ("low", False)


def test_only_a_phq9_before_the_start_counts_and_a_voided_one_does_not(clinic: Clinic) -> None:
    sid = chart_reference_session(
        clinic.service,
        clinic.clock,
        clinic.staff,
        clinic.patient,
        chair=1,
        start=SESSION_START,
        plan=ReferencePlan(phq9_before=16),
        until=Phase.INFUSING,
    )
    nurse = clinic.staff.nurse
    # Scored during the infusion: not a "before the session" score.
    clinic.service.score_scale(nurse, sid, ScaleName.PHQ9, phq9_answers(4))
    assert summary_of(clinic).sessions[0].phq9_before == 16
    # Void the pre-infusion score: the session has no PHQ-9 before it any more.
    before = clinic.service.state(sid).scale_events(ScaleName.PHQ9)[0]
    clinic.service.void(nurse, sid, before.id, "scored for the wrong patient")
    s = summary_of(clinic)
    assert s.sessions[0].phq9_before is None
    assert s.phq9 == ()
    assert s.change_text == "no PHQ-9 yet"


# --- which sessions make up the course --------------------------------------------------------


def order(clinic: Clinic, *, mg_per_kg: float = 0.5, supersedes: str | None = None) -> str:
    placed = clinic.service.order_course(
        clinic.staff.clinician,
        DEMO_PASSWORD,
        patient_id=clinic.patient.id,
        indication="Treatment-resistant major depressive disorder (F33.2)",
        planned_infusions=8 if supersedes else 6,
        mg_per_kg=mg_per_kg,
        duration_min=40,
        max_dose_mg=60.0,
        supersedes=supersedes,  # type: ignore[arg-type]
    )
    return placed.id


def test_a_dose_change_continues_the_course_and_an_older_course_is_left_out(
    clinic: Clinic,
) -> None:
    # The clinic fixture's order is an earlier course with one session of its own.
    old_course = chart_course(clinic, [ReferencePlan(phq9_before=22)])
    clinic.clock.set(SESSION_START + 10 * DAY)
    first = order(clinic)
    in_course = chart_course(
        clinic, [ReferencePlan(phq9_before=18), ReferencePlan(phq9_before=15)], first_day=12
    )
    clinic.clock.set(SESSION_START + 19 * DAY)
    second = order(clinic, mg_per_kg=0.6, supersedes=first)
    in_course.append(short_session(clinic, 20, phq9_answers(8)))

    s = summary_of(clinic)
    assert [o.id for o in s.orders] == [first, second]
    assert s.order is not None
    assert s.order.id == second
    assert [r.session_id for r in s.sessions] == in_course
    assert old_course[0] not in {r.session_id for r in s.sessions}
    # Numbered across the dose change; n is the live order's plan.
    assert [r.number_text for r in s.sessions] == ["1 of 8", "2 of 8", "3 of 8"]
    assert [p.total for p in s.phq9] == [18, 15, 8]
    assert s.response is True  # 8 ≤ 9
    assert s.infusions_given == 2


def test_a_patient_without_a_course(clinic: Clinic) -> None:
    other = clinic.service.register_patient(
        clinic.staff.nurse,
        mrn="MRN-2002",
        family_name="Roe",
        given_name="Sam",
        date_of_birth=date(1990, 5, 1),
        sex="male",
        allergies={"state": "unknown"},
    )
    s = course_summary(clinic.service, other.id, NOW)
    assert s.order is None
    assert s.orders == ()
    assert s.sessions == ()
    assert s.phq9 == ()
    assert (s.planned_infusions, s.infusions_given, s.cumulative_infused_mg) == (0, 0, 0.0)
    assert (s.response, s.remission, s.days_since_last_infusion) == (None, None, None)
    assert s.infusions_text == "none: no course order"


def test_a_naive_now_is_refused(clinic: Clinic) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        course_summary(clinic.service, clinic.patient.id, datetime(2026, 3, 2, 14, 0))
    assert NOW.tzinfo is UTC
