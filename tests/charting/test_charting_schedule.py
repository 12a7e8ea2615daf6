"""The session clock: due checks, their windows and statuses, and the elapsed clocks."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from charting_fixtures import INFUSION_START, Charted, Clinic, Reference, at

from bedside.errors import InputRejected
from bedside.events import ChartEvent, Phase
from bedside.protocol import Protocol
from bedside.state import SessionState, fold
from charting import (
    CheckKind,
    CheckStatus,
    DueCheck,
    due_checks,
    infusion_elapsed,
    next_check,
    observation_elapsed,
    seconds_until,
)
from ui.demo import DEMO_PASSWORD


def minutes_of(when: datetime) -> float:
    """Minutes after the reference infusion start."""
    return (when - INFUSION_START).total_seconds() / 60


def reading_at(state: SessionState, minutes: float) -> ChartEvent:
    """The effective vitals reading charted at S+minutes."""
    (reading,) = [e for e in state.vitals if e.clinical_time == at(minutes)]
    return reading


def check_at(checks: list[DueCheck], minutes: float) -> DueCheck:
    """The check due at S+minutes."""
    (check,) = [c for c in checks if c.due_at == at(minutes)]
    return check


def with_monitoring(protocol: Protocol, **changes: object) -> Protocol:
    """A copy of ``protocol`` with some monitoring settings changed."""
    return protocol.model_copy(
        update={"monitoring": protocol.monitoring.model_copy(update=changes)}
    )


# --- the reference session ------------------------------------------------------------------------


def test_reference_schedule_times_and_kinds(reference: Reference) -> None:
    checks = due_checks(reference.state, reference.protocol, at(200))
    # The pump ran S+0–30 and S+35–45 (paused 5 min after the 186/104 at S+30): 40 minutes of
    # running time end at the stop, S+45, which is the mandatory BP.
    assert [(minutes_of(c.due_at), c.kind) for c in checks] == [
        (10, "during"),
        (20, "during"),
        (30, "during"),
        (35, "recheck"),  # 5 min after the reading that raised the alert
        (45, "stop"),  # the end of the infusion: 40 min of pump time
        (60, "after"),  # then every 15 min from the stop
        (75, "after"),  # S+90 is after the sign-off at S+85: not listed
    ]
    assert [c.mandatory_bp for c in checks] == [False, False, False, False, True, False, False]


def test_reference_checks_are_all_done_by_the_matching_readings(reference: Reference) -> None:
    state = reference.state
    checks = due_checks(state, reference.protocol, at(200))
    assert all(c.status is CheckStatus.DONE for c in checks)
    for due, taken in ((10, 10), (20, 20), (30, 30), (35, 35), (45, 40), (60, 60), (75, 75)):
        assert check_at(checks, due).satisfied_by == reading_at(state, taken).id


def test_mandatory_bp_at_the_stop_is_satisfied_by_the_40_minute_reading_not_the_35(
    reference: Reference,
) -> None:
    state = reference.state
    check = check_at(due_checks(state, reference.protocol, at(200)), 45)
    assert check.mandatory_bp
    assert check.satisfied_by == reading_at(state, 40).id
    assert check.satisfied_by != reading_at(state, 35).id


def test_windows_follow_the_documented_rule(reference: Reference) -> None:
    checks = due_checks(reference.state, reference.protocol, at(200))
    windows = [(minutes_of(c.window_start), minutes_of(c.window_end)) for c in checks]
    # Midpoints between neighbouring checks; half an interval before the first and after the last.
    assert windows == [
        (5, 15),
        (15, 25),
        (25, 32.5),
        (32.5, 40),
        (40, 52.5),
        (52.5, 67.5),
        (67.5, 82.5),
    ]


def test_signed_session_has_no_next_check(reference: Reference) -> None:
    assert next_check(reference.state, reference.protocol, at(200)) is None


def test_no_checks_before_the_infusion_starts(reference: Reference) -> None:
    events = reference.state.events
    first_start = next(i for i, e in enumerate(events) if e.kind == "infusion_started")
    before = fold(events[:first_start])
    assert before.infusion.started_at is None
    assert due_checks(before, reference.protocol, at(-1)) == []
    assert next_check(before, reference.protocol, at(-1)) is None
    assert infusion_elapsed(before, at(-1)) is None
    assert observation_elapsed(before, at(-1)) is None


def test_off_grid_mandatory_bp_is_its_own_check(reference: Reference) -> None:
    protocol = with_monitoring(reference.protocol, mandatory_bp_at_min=25)
    state = reference.state
    checks = due_checks(state, protocol, at(200))
    assert [(minutes_of(c.due_at), c.kind) for c in checks][:4] == [
        (10, "during"),
        (20, "during"),
        (25, "mandatory_bp"),  # 25 min of pump time, between two regular checks
        (30, "during"),
    ]
    mandatory = check_at(checks, 25)
    assert mandatory.mandatory_bp
    assert (minutes_of(mandatory.window_start), minutes_of(mandatory.window_end)) == (22.5, 27.5)
    # The readings at S+20 and S+30 belong to their own checks: the mandatory BP was missed.
    assert mandatory.satisfied_by is None
    assert mandatory.status is CheckStatus.MISSED


def test_a_mandatory_bp_beyond_the_pump_time_falls_due_at_the_stop(reference: Reference) -> None:
    protocol = with_monitoring(reference.protocol, mandatory_bp_at_min=50)
    checks = due_checks(reference.state, protocol, at(200))
    mandatory = check_at(checks, 45)
    assert mandatory.kind is CheckKind.STOP
    assert mandatory.mandatory_bp
    assert mandatory.satisfied_by == reading_at(reference.state, 40).id


def test_no_mandatory_bp_when_the_protocol_has_none(reference: Reference) -> None:
    protocol = with_monitoring(reference.protocol, mandatory_bp_at_min=None)
    checks = due_checks(reference.state, protocol, at(200))
    assert not any(c.mandatory_bp for c in checks)


# --- a session in progress ----------------------------------------------------------------------


def test_status_moves_upcoming_due_overdue_at_the_grace_boundary(infusing: Charted) -> None:
    state = infusing.state()  # type: ignore[attr-defined]
    protocol = infusing.protocol
    assert protocol.monitoring.due_grace_min == 2

    def status(now: datetime) -> CheckStatus:
        return check_at(due_checks(state, protocol, now), 30).status

    assert status(at(29) + timedelta(seconds=59)) is CheckStatus.UPCOMING
    assert status(at(30)) is CheckStatus.DUE
    assert status(at(32)) is CheckStatus.DUE  # the grace boundary itself is still "due"
    assert status(at(32) + timedelta(seconds=1)) is CheckStatus.OVERDUE
    # Its window closes half-way to the next check: then it is missed, and stays missed.
    assert status(at(35) - timedelta(seconds=1)) is CheckStatus.OVERDUE
    assert status(at(35)) is CheckStatus.MISSED
    assert status(at(55)) is CheckStatus.MISSED


def test_open_session_lists_checks_up_to_one_beyond_now(infusing: Charted) -> None:
    state = infusing.state()  # type: ignore[attr-defined]
    checks = due_checks(state, infusing.protocol, at(20))
    # Up to the mandatory BP at S+40, and one regular check beyond the horizon.
    assert [minutes_of(c.due_at) for c in checks] == [10, 20, 30, 40, 50]
    assert [c.status for c in checks] == ["done", "done", "upcoming", "upcoming", "upcoming"]
    later = due_checks(state, infusing.protocol, at(61))
    assert [minutes_of(c.due_at) for c in later] == [10, 20, 30, 40, 50, 60, 70]


def test_next_check_counts_down_then_goes_negative(infusing: Charted) -> None:
    state = infusing.state()  # type: ignore[attr-defined]
    protocol = infusing.protocol
    upcoming = next_check(state, protocol, at(25))
    assert upcoming is not None
    assert upcoming.due_at == at(30)
    assert seconds_until(upcoming, at(25)) == 300
    assert seconds_until(upcoming, at(30)) == 0
    late = next_check(state, protocol, at(33))
    assert late is not None
    assert late.due_at == at(30)
    assert late.status is CheckStatus.OVERDUE
    assert seconds_until(late, at(33)) == -180


def test_a_reading_turns_the_check_done_and_moves_the_countdown(infusing: Charted) -> None:
    sid = infusing.sid
    infusing.clock.set(at(31))
    infusing.service.record_vitals(
        infusing.staff.nurse, sid, systolic=130, diastolic=80, heart_rate=80, spo2=98
    )
    state = infusing.state()
    check = check_at(due_checks(state, infusing.protocol, at(31)), 30)
    assert check.status is CheckStatus.DONE
    assert check.satisfied_by == reading_at(state, 31).id
    following = next_check(state, infusing.protocol, at(31))
    assert following is not None
    assert following.due_at == at(40)
    assert following.mandatory_bp


def test_deferral_marks_the_check_deferred_with_its_reason(infusing: Charted) -> None:
    sid = infusing.sid
    infusing.clock.set(at(31))
    deferral = infusing.service.defer_check(
        infusing.staff.nurse, sid, due_at=at(30), reason="Patient resting, eyes closed"
    ).event
    state = infusing.state()
    check = check_at(due_checks(state, infusing.protocol, at(45)), 30)
    assert check.status is CheckStatus.DEFERRED
    assert check.deferral_reason == "Patient resting, eyes closed"
    assert check.deferred_by == deferral.id
    assert not check.is_open
    following = next_check(state, infusing.protocol, at(31))
    assert following is not None
    assert following.due_at == at(40)


def test_deferral_for_another_time_is_refused_and_matches_nothing(infusing: Charted) -> None:
    sid = infusing.sid
    infusing.clock.set(at(31))
    with pytest.raises(InputRejected, match="No vitals check is due at"):
        infusing.service.defer_check(
            infusing.staff.nurse, sid, due_at=at(29), reason="Patient resting"
        )
    check = check_at(due_checks(infusing.state(), infusing.protocol, at(45)), 30)
    assert check.status is CheckStatus.MISSED


def test_mandatory_bp_needs_a_reading_with_bp(infusing: Charted) -> None:
    sid = infusing.sid
    nurse = infusing.staff.nurse
    infusing.clock.set(at(30))
    infusing.service.record_vitals(nurse, sid, systolic=130, diastolic=80, heart_rate=80)
    infusing.clock.set(at(40))
    infusing.service.record_vitals(nurse, sid, heart_rate=82, spo2=97)
    state = infusing.state()
    check = check_at(due_checks(state, infusing.protocol, at(43)), 40)
    assert check.satisfied_by is None
    assert check.status is CheckStatus.OVERDUE
    infusing.clock.set(at(43))
    infusing.service.record_vitals(nurse, sid, systolic=132, diastolic=84)
    state = infusing.state()
    check = check_at(due_checks(state, infusing.protocol, at(43)), 40)
    assert check.status is CheckStatus.DONE
    assert check.satisfied_by == reading_at(state, 43).id


def test_a_reading_belongs_to_the_nearest_check_never_an_earlier_one(infusing: Charted) -> None:
    sid = infusing.sid
    infusing.clock.set(at(27))
    infusing.service.record_vitals(infusing.staff.nurse, sid, heart_rate=80)
    # S+27 is nearer S+30 than S+20: it satisfies S+30, and would not satisfy S+20 even if
    # S+20 had no reading of its own (a late reading never fills an earlier check).
    checks = due_checks(infusing.state(), infusing.protocol, at(40))
    assert check_at(checks, 30).status is CheckStatus.DONE
    events = infusing.state().events
    without_20 = fold(
        [e for e in events if e.clinical_time != at(20) or e.kind != "vitals_recorded"]
    )
    checks = due_checks(without_20, infusing.protocol, at(40))
    assert check_at(checks, 20).status is CheckStatus.MISSED
    assert check_at(checks, 30).status is CheckStatus.DONE


def test_checks_continue_after_the_stop_until_signed(clinic: Clinic) -> None:
    sid = clinic.reference(until=Phase.READY_FOR_DISCHARGE)
    state = clinic.state(sid)
    assert state.phase is Phase.READY_FOR_DISCHARGE
    checks = due_checks(state, clinic.protocol, at(92))
    assert [(minutes_of(c.due_at), c.status) for c in checks][-4:] == [
        (60, "done"),
        (75, "done"),
        (90, "due"),
        (105, "upcoming"),
    ]
    upcoming = next_check(state, clinic.protocol, at(92))
    assert upcoming is not None
    assert upcoming.due_at == at(90)


def test_checks_stop_when_the_session_ends_early(infusing: Charted) -> None:
    sid = infusing.sid
    infusing.clock.set(at(35))
    svc, staff = infusing.service, infusing.staff
    # Ending early needs the pump stopped and the drug accounted for: 35 min at 155.4 mL/h is
    # 90.65 mL (31.5 mg); 14 mg left in the vial and 4.5 mg in the bag are wasted.
    svc.stop_infusion(
        staff.nurse, sid, volume_infused_ml=90.65, completed=False, reason="Patient asked to stop"
    )
    svc.record_waste(
        staff.nurse, sid, wasted_mg=14.0, witness=staff.nurse2, witness_password=DEMO_PASSWORD
    )
    svc.record_waste(
        staff.nurse,
        sid,
        wasted_mg=4.5,
        witness=staff.nurse2,
        witness_password=DEMO_PASSWORD,
        source="bag",
    )
    svc.end_early(staff.nurse, sid, "Patient asked to stop")
    state = infusing.state()
    checks = due_checks(state, infusing.protocol, at(90))
    # No S+40 check (nor the mandatory BP): the session ended at S+35.
    assert [(minutes_of(c.due_at), c.status) for c in checks] == [
        (10, "done"),
        (20, "done"),
        (30, "missed"),
    ]
    # A closed session has nothing left to count down to, even with a missed check.
    assert next_check(state, infusing.protocol, at(90)) is None
    clock = infusion_elapsed(state, at(90))
    assert clock is not None
    assert clock.wall_minutes == 35


def test_naive_now_is_refused(reference: Reference) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due_checks(reference.state, reference.protocol, datetime(2026, 3, 2, 15, 0))


# --- elapsed clocks -------------------------------------------------------------------------------


def test_running_minutes_exclude_the_pause(reference: Reference) -> None:
    during_pause = infusion_elapsed(reference.state, at(33))
    assert during_pause is not None
    assert during_pause.wall_minutes == 33
    assert during_pause.running_minutes == 30
    after_stop = infusion_elapsed(reference.state, at(100))
    assert after_stop is not None
    assert after_stop.wall_minutes == 45  # frozen at the stop
    assert after_stop.running_minutes == 40  # 5 minutes paused
    assert after_stop.paused == timedelta(minutes=5)
    assert after_stop.stopped


def test_paused_now_while_the_pump_is_paused(infusing: Charted) -> None:
    sid = infusing.sid
    infusing.clock.set(at(25))
    infusing.service.pause_infusion(infusing.staff.nurse, sid, "Patient anxious")
    clock = infusion_elapsed(infusing.state(), at(28))
    assert clock is not None
    assert clock.paused_now
    assert not clock.stopped
    assert clock.wall_minutes == 28
    assert clock.running_minutes == 25


def test_observation_elapsed_runs_from_the_stop_to_the_sign_off(reference: Reference) -> None:
    assert observation_elapsed(reference.state, at(40)) == timedelta(0)
    assert observation_elapsed(reference.state, at(60)) == timedelta(minutes=15)
    assert observation_elapsed(reference.state, at(200)) == timedelta(minutes=40)
