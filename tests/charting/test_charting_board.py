"""The chair board's per-chair summary and urgency order (Qt-free)."""

from __future__ import annotations

from datetime import timedelta

from charting_fixtures import Charted, Clinic, at

from bedside.events import Phase
from charting.board import ChairSummary, Urgency, by_urgency, summarize


def tile(c: Charted, now_min: float) -> ChairSummary:
    now = at(now_min)
    return summarize(1, c.state(), c.protocol, c.clinic.patient, now)


def test_infusing_tile_counts_down_to_the_next_check(infusing: Charted) -> None:
    # Charted to S+20 (vitals at +10, +20); the next check is at +30.
    t = tile(infusing, 24)
    assert t.phase is Phase.INFUSING
    assert t.elapsed_label == "Infusing 24:00"
    assert t.next_check is not None
    assert t.next_check.due_at == at(30)
    assert t.seconds_to_next == 6 * 60
    assert t.countdown == "in 6:00"
    assert t.urgency is Urgency.RUNNING
    assert t.last_vitals is not None
    assert t.last_vitals.cell("systolic").value == 142


def test_due_then_overdue_changes_urgency(infusing: Charted) -> None:
    assert tile(infusing, 30).urgency is Urgency.DUE_NOW
    assert tile(infusing, 30).countdown == "due now"
    late = tile(infusing, 35)
    assert late.urgency is Urgency.OVERDUE
    assert late.countdown == "overdue 5:00"


def test_due_now_lasts_through_the_grace_period_then_overdue_counts_from_the_due_time(
    infusing: Charted,
) -> None:
    # The protocol's grace is 2 min: the check due at +30 reads "due now" up to +32 on the
    # tile and in the session panel alike, then "overdue" counted from +30.
    assert tile(infusing, 29.5).countdown == "in 0:30"
    assert tile(infusing, 31.5).countdown == "due now"
    assert tile(infusing, 32).countdown == "due now"
    assert tile(infusing, 32.5).countdown == "overdue 2:30"


def test_open_pause_alert_outranks_everything(infusing: Charted) -> None:
    c = infusing
    c.clock.set(at(30))
    c.service.record_vitals(
        c.staff.nurse, c.sid, systolic=186, diastolic=104, heart_rate=96, spo2=96, resp_rate=16
    )
    t = tile(c, 31)
    assert t.urgency is Urgency.PAUSE_ALERT
    assert t.urgency_text == "Pause alert open"
    assert t.open_alerts[0][1].startswith("Pause infusion: Systolic BP 186")
    quiet = ChairSummary(chair=2, urgency=Urgency.OVERDUE, seconds_to_next=-600)
    assert [s.chair for s in by_urgency([quiet, t])] == [1, 2]


def test_signed_session_is_closed_and_free_chairs_sort_last(clinic: Clinic) -> None:
    sid = clinic.reference()
    state = clinic.state(sid)
    now = state.events[-1].recorded_time + timedelta(minutes=5)
    done = summarize(1, state, clinic.protocol, clinic.patient, now)
    assert done.urgency is Urgency.CLOSED
    assert done.next_check is None
    assert done.elapsed_label == ""
    free = ChairSummary(chair=3)
    running = ChairSummary(chair=4, urgency=Urgency.RUNNING, seconds_to_next=300)
    assert [s.chair for s in by_urgency([free, done, running])] == [4, 1, 3]
    assert not free.occupied
    assert free.urgency_text == ""
