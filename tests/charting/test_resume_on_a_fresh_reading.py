"""Issue 10, item 5: resume only on a fresh reading after a pause-level alert.

The ``infusing`` session started its pump at S (vitals at S+10 and S+20, clock at S+20)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from charting_fixtures import Charted, at

from bedside.errors import OperationRefused
from bedside.eventlog import check_log, export_session, import_log, parse_log, to_json
from bedside.events import InfusionResumed, Phase
from bedside.rules.resume import latest_bp, resume_report
from bedside.scales import ScaleName
from bedside.store import Store
from tests.bedside.test_import_guards import rehashed
from tests.importing import receiving_admin
from ui.demo import DEMO_PASSWORD


def pause_alert_and_pause(c: Charted) -> None:
    c.clock.set(at(30))
    saved = c.service.record_vitals(
        c.staff.nurse, c.sid, systolic=186, diastolic=104, heart_rate=96, spo2=96
    )
    (alert,) = saved.events[1:]
    c.service.acknowledge_alert(
        c.staff.nurse, c.sid, alert.id, action_taken="Paused, Dr Lee told", pause_pump=True
    )


def test_resume_is_refused_on_the_reading_that_raised_the_alert(infusing: Charted) -> None:
    pause_alert_and_pause(infusing)
    infusing.clock.set(at(33))
    with pytest.raises(OperationRefused) as refused:
        infusing.service.resume_infusion(infusing.staff.nurse, infusing.sid)
    assert refused.value.report is not None
    assert refused.value.report.codes() == ("resume.no_fresh_bp",) or list(
        refused.value.report.codes()
    ) == ["resume.no_fresh_bp"]
    assert infusing.state().phase is Phase.PAUSED


def test_a_fresh_bp_still_at_the_pause_limit_refuses_the_resume(infusing: Charted) -> None:
    pause_alert_and_pause(infusing)
    infusing.clock.set(at(34))
    saved = infusing.service.record_vitals(
        infusing.staff.nurse, infusing.sid, systolic=184, diastolic=98
    )
    infusing.service.acknowledge_alert(
        infusing.staff.nurse, infusing.sid, saved.events[1].id, action_taken="Still high, re-check"
    )
    # 184/98 raised a pause alert of its own: the resume waits for a reading after it, and
    # says that the latest reading is the one at the limit (not that none was taken).
    report = resume_report(infusing.state(), infusing.protocol)
    assert list(report.codes()) == ["resume.no_fresh_bp"]
    assert "The latest BP 184/98 at" in report.errors[0].message
    assert "is itself at the pause limit" in report.errors[0].message
    assert "Systolic BP 184 mmHg above 180" in report.errors[0].message
    assert report.overridable


def test_an_unacknowledged_pause_alert_blocks_the_resume_even_after_a_good_bp(
    infusing: Charted,
) -> None:
    # Found by a nurse's walk: a second pause alert (184/102) left open, then 150/92 charted,
    # and P resumed the pump with the red banner still showing.
    pause_alert_and_pause(infusing)
    infusing.clock.set(at(34))
    infusing.service.record_vitals(infusing.staff.nurse, infusing.sid, systolic=184, diastolic=102)
    infusing.clock.set(at(35))
    infusing.service.record_vitals(infusing.staff.nurse, infusing.sid, systolic=150, diastolic=92)
    report = resume_report(infusing.state(), infusing.protocol)
    assert list(report.codes()) == ["resume.alert_open"]
    assert "is not acknowledged: acknowledge it (A)" in report.errors[0].message
    assert not report.overridable  # acknowledging is the record of what was done
    with pytest.raises(OperationRefused):
        infusing.service.resume_infusion(
            infusing.staff.nurse,
            infusing.sid,
            override_by=infusing.staff.clinician,
            override_password=DEMO_PASSWORD,
            override_reason="BP fine now",
        )
    assert infusing.state().phase is Phase.PAUSED


def test_a_fresh_bp_below_the_pause_limit_allows_the_resume(infusing: Charted) -> None:
    pause_alert_and_pause(infusing)
    infusing.clock.set(at(35))
    infusing.service.record_vitals(infusing.staff.nurse, infusing.sid, systolic=156, diastolic=94)
    infusing.service.resume_infusion(infusing.staff.nurse, infusing.sid)
    assert infusing.state().phase is Phase.INFUSING
    bp = latest_bp(infusing.state(), at(37))
    assert bp is not None
    assert (bp.systolic, bp.diastolic, bp.age_min) == (156, 94, 2)


def test_a_clinician_may_resume_without_a_fresh_reading_with_a_reason(infusing: Charted) -> None:
    pause_alert_and_pause(infusing)
    infusing.clock.set(at(33))
    event = infusing.service.resume_infusion(
        infusing.staff.nurse,
        infusing.sid,
        override_by=infusing.staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="Cuff too small, manual BP 150/90 by Dr Lee",
    ).event
    assert isinstance(event.payload, InfusionResumed)
    assert event.payload.override is not None
    assert event.payload.override.clinician_id == infusing.staff.clinician.id
    assert event.payload.override.finding_codes == ("resume.no_fresh_bp",)


def test_a_pause_without_an_alert_resumes_freely(infusing: Charted) -> None:
    infusing.clock.set(at(25))
    infusing.service.pause_infusion(infusing.staff.nurse, infusing.sid, "Bathroom")
    infusing.clock.set(at(30))
    infusing.service.resume_infusion(infusing.staff.nurse, infusing.sid)
    assert infusing.state().phase is Phase.INFUSING


def test_a_sedation_pause_alert_needs_a_fresh_score(infusing: Charted) -> None:
    svc, nurse, sid = infusing.service, infusing.staff.nurse, infusing.sid
    infusing.clock.set(at(30))
    saved = svc.score_scale(nurse, sid, ScaleName.MOAAS, {"response": 2})
    (alert,) = saved.events[1:]
    svc.acknowledge_alert(nurse, sid, alert.id, action_taken="Paused", pause_pump=True)
    infusing.clock.set(at(33))
    assert list(resume_report(infusing.state(), infusing.protocol).codes()) == [
        "resume.no_fresh_score"
    ]
    svc.score_scale(nurse, sid, ScaleName.MOAAS, {"response": 4})
    svc.resume_infusion(nurse, sid)
    assert infusing.state().phase is Phase.INFUSING


def test_import_replays_the_resume_and_mandatory_deferral_rules(
    infusing: Charted, tmp_path: Path
) -> None:
    svc, staff, sid = infusing.service, infusing.staff, infusing.sid
    pause_alert_and_pause(infusing)
    infusing.clock.set(at(33))
    svc.resume_infusion(
        staff.nurse,
        sid,
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="Manual BP 150/90 by Dr Lee at the chair",
    )
    infusing.clock.set(at(44))
    svc.defer_check(
        staff.nurse,
        sid,
        due_at=at(43),  # 40 min of pump time: the mandatory BP (paused 30–33)
        reason="Asleep, calm",
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="Slept well; BP 130/80 at 38 min",
    )
    log = export_session(svc.store, sid, now=infusing.clock.now())
    with Store(tmp_path / "other.db") as other:
        import_log(
            other, log, now=infusing.clock.now(), authors_confirmed_by=receiving_admin(other)
        )  # the overrides are on record
    # A forger drops the clinician's override of the resume, and of the deferral.
    for kind, field, code in (
        ("infusion_resumed", "override", "resume.no_fresh_bp"),
        ("check_deferred", "allowed", "defer.mandatory"),
    ):
        data = json.loads(to_json(log))
        event = next(e for e in data["events"] if e["payload"]["kind"] == kind)
        event["payload"].pop(field)
        codes = check_log(parse_log(rehashed(data, resign=True))).codes()
        assert any(c.endswith(code) for c in codes), codes
