"""Issue 10, items 1–4: mandatory checks are mandatory, the schedule follows the pump, a missed
check stays missed, and after an alert the checks come sooner.

The ``infusing`` session started its pump at S (vitals at S+10 and S+20, clock at S+20)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from charting_fixtures import INFUSION_START, Charted, at

from bedside.errors import BedsideError, InputRejected, OperationRefused
from bedside.events import CheckDeferred
from bedside.protocol import Protocol
from bedside.rules.deferral import deferral_report
from bedside.rules.schedule import check_at
from charting import CheckKind, CheckStatus, DueCheck, due_checks, next_check
from charting.schedule import slipping
from ui.demo import DEMO_PASSWORD


def minutes_of(when: datetime) -> float:
    return (when - INFUSION_START).total_seconds() / 60


def listed(checks: list[DueCheck]) -> list[tuple[float, str]]:
    return [(minutes_of(c.due_at), c.kind.value) for c in checks]


def status_of(charted: Charted, minutes: float, now: float) -> CheckStatus:
    state = charted.state()
    (check,) = [c for c in due_checks(state, charted.protocol, at(now)) if c.due_at == at(minutes)]
    return check.status


def vitals(charted: Charted, minutes: float, sbp: int = 130, dbp: int = 80) -> None:
    charted.clock.set(at(minutes))
    charted.service.record_vitals(
        charted.staff.nurse, charted.sid, systolic=sbp, diastolic=dbp, heart_rate=80, spo2=98
    )


# --- 1. mandatory checks are mandatory ------------------------------------------------------------


def test_one_nurse_cannot_defer_the_mandatory_bp(infusing: Charted) -> None:
    infusing.clock.set(at(40))
    with pytest.raises(OperationRefused) as refused:
        infusing.service.defer_check(
            infusing.staff.nurse, infusing.sid, due_at=at(40), reason="Patient resting"
        )
    assert refused.value.report is not None
    assert "defer.mandatory" in refused.value.report.codes()
    assert status_of(infusing, 40, 40) is CheckStatus.DUE
    assert not infusing.state().deferrals


def test_a_clinician_allows_deferring_the_mandatory_bp_with_password_and_reason(
    infusing: Charted,
) -> None:
    infusing.clock.set(at(40))
    svc, staff = infusing.service, infusing.staff
    with pytest.raises(BedsideErrors):
        svc.defer_check(
            staff.nurse,
            infusing.sid,
            due_at=at(40),
            reason="Asleep after a calm infusion",
            override_by=staff.clinician,
            override_password="wrong password",
            override_reason="Slept well, BP at 38 min 130/80",
        )
    with pytest.raises(BedsideError, match="not allowed"):  # a nurse cannot allow it
        svc.defer_check(
            staff.nurse,
            infusing.sid,
            due_at=at(40),
            reason="Asleep after a calm infusion",
            override_by=staff.nurse2,
            override_password=DEMO_PASSWORD,
            override_reason="Slept well, BP at 38 min 130/80",
        )
    assert not infusing.state().deferrals
    event = svc.defer_check(
        staff.nurse,
        infusing.sid,
        due_at=at(40),
        reason="Asleep after a calm infusion",
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="Slept well, BP at 38 min 130/80",
    ).event
    payload = event.payload
    assert isinstance(payload, CheckDeferred)
    assert payload.mandatory
    assert payload.allowed is not None
    assert payload.allowed.clinician_id == staff.clinician.id
    assert payload.allowed.reason == "Slept well, BP at 38 min 130/80"
    assert payload.reason == "Asleep after a calm infusion"
    assert status_of(infusing, 40, 41) is CheckStatus.DEFERRED
    # Its clinician's reason is signed: the deferral is voided and made again, never edited.
    with pytest.raises(InputRejected, match="void it and chart it again"):
        svc.correct(staff.nurse, infusing.sid, event.id, "wrong time typed", clinical_time=at(39))


BedsideErrors = (BedsideError,)


def refusing(protocol: Protocol) -> Protocol:
    return protocol.model_copy(
        update={
            "monitoring": protocol.monitoring.model_copy(update={"mandatory_deferral": "refused"})
        }
    )


def test_under_a_refusing_protocol_nobody_defers_the_mandatory_bp(infusing: Charted) -> None:
    state = infusing.state()
    protocol = refusing(infusing.protocol)
    check = check_at(state, protocol, at(40), at(40))
    assert check is not None
    assert check.mandatory
    report = deferral_report(state, protocol, check, at(40))
    assert list(report.codes()) == ["defer.mandatory_refused"]
    assert not report.overridable


def test_a_routine_check_is_deferred_by_the_nurse_alone(infusing: Charted) -> None:
    infusing.clock.set(at(30))
    event = infusing.service.defer_check(
        infusing.staff.nurse, infusing.sid, due_at=at(30), reason="Asleep, breathing easily"
    ).event
    assert isinstance(event.payload, CheckDeferred)
    assert not event.payload.mandatory
    assert event.payload.allowed is None


def test_a_missed_check_cannot_be_deferred_afterwards_but_a_back_timed_deferral_can(
    infusing: Charted,
) -> None:
    infusing.clock.set(at(36))
    assert status_of(infusing, 30, 36) is CheckStatus.MISSED
    with pytest.raises(OperationRefused) as refused:
        infusing.service.defer_check(
            infusing.staff.nurse, infusing.sid, due_at=at(30), reason="Patient asleep"
        )
    assert refused.value.report is not None
    assert "defer.missed" in refused.value.report.codes()
    # Found asleep at S+31 and charted late: the deferral belongs to its window.
    infusing.service.defer_check(
        infusing.staff.nurse,
        infusing.sid,
        due_at=at(30),
        reason="Patient asleep",
        clinical_time=at(31),
    )
    assert status_of(infusing, 30, 36) is CheckStatus.DEFERRED


def test_a_check_not_yet_open_cannot_be_deferred(infusing: Charted) -> None:
    infusing.clock.set(at(22))
    with pytest.raises(OperationRefused) as refused:
        infusing.service.defer_check(
            infusing.staff.nurse, infusing.sid, due_at=at(30), reason="Patient asleep"
        )
    assert refused.value.report is not None
    assert "defer.early" in refused.value.report.codes()


# --- 2. the schedule follows the pump ------------------------------------------------------------


def test_after_a_ten_minute_pause_the_40_minute_bp_follows_the_pump(infusing: Charted) -> None:
    svc, nurse, sid = infusing.service, infusing.staff.nurse, infusing.sid
    infusing.clock.set(at(25))
    svc.pause_infusion(nurse, sid, "Patient asked for a break")
    infusing.clock.set(at(35))
    svc.resume_infusion(nurse, sid)
    checks = due_checks(infusing.state(), infusing.protocol, at(36))
    # Running time 30 is reached at S+40 and 40 at S+50: the mandatory BP is at S+50.
    assert listed(checks) == [
        (10, "during"),
        (20, "during"),
        (40, "during"),
        (50, "during"),
        (60, "during"),  # projected: the pump still running
    ]
    assert [c.mandatory_bp for c in checks] == [False, False, False, True, False]
    vitals(infusing, 40)
    # The stop at 40 minutes of pump time: a check falls due at the stop itself.
    infusing.clock.set(at(50))
    svc.stop_infusion(nurse, sid, volume_infused_ml=103.6)
    checks = due_checks(infusing.state(), infusing.protocol, at(56))
    assert listed(checks)[3:] == [(50, "stop"), (65, "after")]
    stop = checks[3]
    assert stop.mandatory_bp
    assert stop.status is CheckStatus.OVERDUE


def test_a_long_pause_is_never_a_long_silence(infusing: Charted) -> None:
    svc, nurse, sid = infusing.service, infusing.staff.nurse, infusing.sid
    infusing.clock.set(at(25))
    svc.pause_infusion(nurse, sid, "Cannula re-sited")
    checks = due_checks(infusing.state(), infusing.protocol, at(46))
    assert listed(checks) == [
        (10, "during"),
        (20, "during"),
        (35, "paused"),
        (45, "paused"),
        (55, "paused"),
    ]
    assert next_check(infusing.state(), infusing.protocol, at(46)) == checks[3]


def test_a_stop_before_the_planned_end_brings_the_mandatory_bp_to_the_stop(
    infusing: Charted,
) -> None:
    infusing.clock.set(at(27))
    infusing.service.stop_infusion(
        infusing.staff.nurse,
        infusing.sid,
        volume_infused_ml=70.0,
        completed=False,
        reason="Patient asked to stop",
    )
    checks = due_checks(infusing.state(), infusing.protocol, at(28))
    assert listed(checks)[2:] == [(27, "stop"), (42, "after")]
    assert checks[2].mandatory_bp


# --- 3. a missed check is missed ------------------------------------------------------------------


def test_a_later_reading_does_not_fill_a_missed_check(infusing: Charted) -> None:
    assert status_of(infusing, 30, 34) is CheckStatus.OVERDUE
    assert status_of(infusing, 30, 35) is CheckStatus.MISSED
    late = slipping(due_checks(infusing.state(), infusing.protocol, at(43)), at(43))
    assert late is not None
    assert late.since == at(30)
    assert [minutes_of(c.due_at) for c in late.missed] == [30]
    assert late.late_by(at(43)) == timedelta(minutes=13)
    vitals(infusing, 43)
    checks = due_checks(infusing.state(), infusing.protocol, at(43))
    assert [(minutes_of(c.due_at), c.status.value) for c in checks][2:4] == [
        (30, "missed"),
        (40, "done"),  # the 43-minute reading is the 40-minute (mandatory) BP
    ]
    assert slipping(checks, at(43)) is None


def test_a_back_timed_reading_inside_the_window_fills_the_check(infusing: Charted) -> None:
    infusing.clock.set(at(43))
    infusing.service.record_vitals(
        infusing.staff.nurse, infusing.sid, clinical_time=at(31), systolic=128, diastolic=80
    )
    assert status_of(infusing, 30, 43) is CheckStatus.DONE


def test_43_minutes_without_vitals_shows_every_missed_check(infusing: Charted) -> None:
    state = infusing.state()
    events = [e for e in state.events if e.kind != "vitals_recorded"]
    from bedside.state import fold

    bare = fold(events)
    checks = due_checks(bare, infusing.protocol, at(43))
    assert [c.status.value for c in checks][:4] == ["missed", "missed", "missed", "overdue"]
    late = slipping(checks, at(43))
    assert late is not None
    assert late.since == at(10)
    assert len(late.missed) == 3


# --- 4. after an alert the checks come sooner ------------------------------------------------------


def test_after_an_alert_the_next_check_is_due_at_the_recheck_interval(infusing: Charted) -> None:
    vitals(infusing, 30, 186, 104)  # a pause-level reading
    upcoming = next_check(infusing.state(), infusing.protocol, at(31))
    assert upcoming is not None
    assert upcoming.due_at == at(35)
    assert upcoming.kind is CheckKind.RECHECK
    vitals(infusing, 35, 176, 98)  # still raised (notify level): re-check again 5 min on
    upcoming = next_check(infusing.state(), infusing.protocol, at(36))
    assert upcoming is not None
    assert upcoming.due_at == at(40)  # the routine 40-minute check is that re-check
    vitals(infusing, 40, 138, 84)  # back inside the limits: the routine schedule again
    upcoming = next_check(infusing.state(), infusing.protocol, at(41))
    assert upcoming is not None
    assert upcoming.due_at == at(50)
    assert upcoming.kind is CheckKind.DURING


def test_a_missed_recheck_is_missed(infusing: Charted) -> None:
    vitals(infusing, 32, 186, 104)
    checks = due_checks(infusing.state(), infusing.protocol, at(45))
    recheck = next(c for c in checks if c.kind is CheckKind.RECHECK)
    assert minutes_of(recheck.due_at) == 37
    assert recheck.status is CheckStatus.MISSED


def test_no_rechecks_when_the_protocol_has_none(infusing: Charted) -> None:
    vitals(infusing, 30, 186, 104)
    protocol = infusing.protocol.model_copy(
        update={
            "monitoring": infusing.protocol.monitoring.model_copy(
                update={"recheck_after_alert_min": None}
            )
        }
    )
    upcoming = next_check(infusing.state(), protocol, at(31))
    assert upcoming is not None
    assert upcoming.due_at == at(40)


def test_vitals_taken_early_for_the_next_check_end_the_slip(infusing: Charted) -> None:
    vitals(infusing, 46)  # nothing since S+20; S+46 lies in the window of the S+50 check
    checks = due_checks(infusing.state(), infusing.protocol, at(46))
    assert [c.status.value for c in checks][2:5] == ["missed", "missed", "done"]
    assert slipping(checks, at(46)) is None
