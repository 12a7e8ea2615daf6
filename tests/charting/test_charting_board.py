"""The chair board's per-chair summary and urgency order (Qt-free)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import pytest
from charting_fixtures import SESSION_START, Charted, Clinic, at, make_clinic

from bedside.events import Phase
from bedside.ids import SessionId
from charting.board import ChairSummary, Urgency, by_urgency, summarize
from charting.escalation import Escalation
from ui.demo import chart_reference_session


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
    assert late.urgency is Urgency.OVERDUE_INFUSING
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
    quiet = ChairSummary(chair=2, urgency=Urgency.OVERDUE_INFUSING, seconds_to_next=-600)
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


# --- issue 10, item 7: escalation you can see across the room -----------------------------------


@pytest.mark.parametrize(
    ("now_min", "level"),
    [
        (29.5, Escalation.NONE),  # the check at +30 is still upcoming
        (30, Escalation.DUE),  # amber from its due time
        (32.5, Escalation.DUE),  # overdue (past the grace), but less than 5 min late
        (34 + 59 / 60, Escalation.DUE),
        (35, Escalation.LATE),  # red at 5 min late
        (44 + 59 / 60, Escalation.LATE),
        (45, Escalation.URGENT),  # unmistakable at 15 min late
        (80, Escalation.URGENT),
    ],
)
def test_escalation_level_boundaries_from_the_protocol(
    infusing: Charted, now_min: float, level: Escalation
) -> None:
    # Charted to S+20; nothing after: the check at +30 starts the run that slips.
    assert infusing.protocol.monitoring.overdue_red_after_min == 5
    assert infusing.protocol.monitoring.overdue_urgent_after_min == 15
    t = tile(infusing, now_min)
    assert t.escalation is level
    if level >= Escalation.LATE:
        assert t.late_by == timedelta(minutes=now_min - 30)


def test_escalation_words_say_how_late_and_how_many_checks_were_missed(infusing: Charted) -> None:
    t = tile(infusing, 47)
    assert t.escalation is Escalation.URGENT
    assert t.late_by == timedelta(minutes=17)
    assert t.missed == 2  # +30 and the mandatory BP at +40: their windows closed unread
    assert t.escalation_text == "Vitals overdue 17:00 — 2 checks missed"
    assert t.missed_text == "2 checks missed"
    assert tile(infusing, 36).escalation_text == "BP check overdue 6:00 — 1 check missed"
    assert tile(infusing, 24).escalation_text == "Vitals in 6:00"
    assert Escalation.URGENT.word == "URGENT"
    assert Escalation.URGENT.glyph
    assert Escalation.URGENT.flashing
    assert not Escalation.LATE.flashing


def test_escalation_follows_the_session_protocol_thresholds(infusing: Charted) -> None:
    monitoring = infusing.protocol.monitoring.model_copy(
        update={"overdue_red_after_min": 3, "overdue_urgent_after_min": 8}
    )
    protocol = infusing.protocol.model_copy(update={"monitoring": monitoring})
    state = infusing.state()
    levels = [
        summarize(1, state, protocol, infusing.clinic.patient, at(m)).escalation
        for m in (32.9, 33, 37.9, 38)
    ]
    assert levels == [Escalation.DUE, Escalation.LATE, Escalation.LATE, Escalation.URGENT]


def test_pump_overrun_is_on_the_tile_and_ranks_with_a_pause_alert(infusing: Charted) -> None:
    # Planned 40 min at 155.4 mL/h for 103.6 mL: at +45 the pump has run past 44 min (plan +
    # 10 %) and the charted rate implies more than the bag held.
    assert tile(infusing, 39).overrun is None
    t = tile(infusing, 45)
    assert t.overrun is not None
    assert t.urgency is Urgency.PUMP_OVERRUN
    assert t.urgency_text == "Pump past its planned end"
    assert t.overrun_text.startswith("Pump past its planned end: running 45 of 40 min")
    later_but_observing = ChairSummary(
        chair=2, urgency=Urgency.OVERDUE_INFUSING, late_by=timedelta(minutes=50)
    )
    pause = ChairSummary(chair=3, urgency=Urgency.PAUSE_ALERT, late_by=timedelta(minutes=1))
    # One group: the pump overrun (15 min late) before the pause alert (1 min late).
    assert [s.chair for s in by_urgency([later_but_observing, pause, t])] == [1, 3, 2]


@pytest.fixture
def shifted(tmp_path: Path) -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


def _chair(stack: ExitStack, tmp: Path, until: Phase, shift_min: float) -> tuple[Clinic, SessionId]:
    """The reference session in a clinic of its own, started ``shift_min`` after ``S - 20``."""
    c = stack.enter_context(make_clinic(tmp / f"{until.value}-{shift_min}.db"))
    sid = chart_reference_session(
        c.service,
        c.clock,
        c.staff,
        c.patient,
        chair=1,
        start=SESSION_START + timedelta(minutes=shift_min),
        until=until,
    )
    return c, sid


def test_overdue_during_the_infusion_ranks_above_overdue_in_observation(
    shifted: ExitStack, tmp_path: Path
) -> None:
    # At S+110 the observed chair's vitals are 20 min late (its check at +105 is 5 min past
    # due); the infusing chair started 74 min later is 6 min late with its next check ahead.
    now = at(110)
    observed, o_sid = _chair(shifted, tmp_path, Phase.READY_FOR_DISCHARGE, 0)
    infusing, i_sid = _chair(shifted, tmp_path, Phase.INFUSING, 74)
    o = summarize(1, observed.state(o_sid), observed.protocol, observed.patient, now)
    i = summarize(2, infusing.state(i_sid), infusing.protocol, infusing.patient, now)
    assert o.urgency is Urgency.OVERDUE_OBSERVING
    assert o.late_by == timedelta(minutes=20)
    assert o.seconds_to_next == -300
    assert i.urgency is Urgency.OVERDUE_INFUSING
    assert i.late_by == timedelta(minutes=6)
    assert [s.chair for s in by_urgency([o, i])] == [2, 1]


def test_an_hour_overdue_ranks_by_the_hour_not_by_the_latest_check(
    shifted: ExitStack, tmp_path: Path
) -> None:
    # Chair 1: no vitals since S+75, 76 min late, its latest check due 1 min ago. Chair 2: the
    # same session 58.5 min later, 17.5 min late with its latest check 2.5 min past due.
    now = at(166)
    long_late, a_sid = _chair(shifted, tmp_path, Phase.READY_FOR_DISCHARGE, 0)
    less_late, b_sid = _chair(shifted, tmp_path, Phase.READY_FOR_DISCHARGE, 58.5)
    a = summarize(1, long_late.state(a_sid), long_late.protocol, long_late.patient, now)
    b = summarize(2, less_late.state(b_sid), less_late.protocol, less_late.patient, now)
    assert a.late_by == timedelta(minutes=76)
    assert a.countdown == "overdue 76:00"
    assert a.seconds_to_next == -60
    assert a.escalation is Escalation.URGENT
    assert a.missed == 5
    assert b.late_by == timedelta(minutes=17.5)
    assert b.seconds_to_next == -150
    assert [s.chair for s in by_urgency([b, a])] == [1, 2]


def test_the_whole_ranking_rule() -> None:
    def chair(n: int, urgency: Urgency, late: float | None = None, to_next: float | None = None):  # type: ignore[no-untyped-def]
        return ChairSummary(
            chair=n,
            session_id=f"s{n}",
            urgency=urgency,
            late_by=timedelta(minutes=late) if late is not None else None,
            seconds_to_next=to_next,
        )

    chairs = [
        chair(1, Urgency.RUNNING, to_next=400),
        chair(2, Urgency.PREPARING),
        chair(3, Urgency.AWAITING_SIGN_OFF, to_next=600),
        chair(4, Urgency.DUE_NOW, to_next=-30),
        chair(5, Urgency.DUE_NOW, to_next=-90),
        chair(6, Urgency.NOTIFY_ALERT, to_next=100),
        chair(7, Urgency.OVERDUE_OBSERVING, late=40, to_next=200),
        chair(8, Urgency.OVERDUE_INFUSING, late=3, to_next=-200),
        chair(9, Urgency.OVERDUE_INFUSING, late=12, to_next=300),
        chair(10, Urgency.PUMP_OVERRUN),
        chair(11, Urgency.PAUSE_ALERT, late=2),
        chair(12, Urgency.RUNNING, to_next=100),
        chair(13, Urgency.RUNNING, to_next=100),
    ]
    order = [s.chair for s in by_urgency(reversed(chairs))]
    assert order == [11, 10, 9, 8, 7, 6, 5, 4, 3, 12, 13, 1, 2]
    assert [s.needs_action for s in by_urgency(chairs)][:9] == [True] * 9
    assert not chair(1, Urgency.RUNNING).needs_action
