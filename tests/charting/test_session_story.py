"""The session's story (issue 12 item 1): page 1 of the summary tells it before the detail."""

from __future__ import annotations

from datetime import date
from typing import cast

from charting_fixtures import Charted, Clinic, at

from bedside.events import DosePlanned
from bedside.ids import SessionId
from charting.course import course_first_phq9
from charting.course_summary import Phq9Point
from charting.session_story import SessionStory, session_story
from ui.demo import DEMO_PASSWORD

TZ = "America/New_York"


def story_of(clinic: Clinic, sid: SessionId, minutes: float, **kw: object) -> SessionStory:
    state = clinic.state(sid)
    names = {u: x.display_name for u, x in clinic.service.staff().items()}
    return session_story(
        state,
        clinic.protocol,
        names=names,
        timezone=TZ,
        at=state.closed_at or at(minutes),
        **kw,  # type: ignore[arg-type]
    )


def test_a_signed_session_in_ten_lines(clinic: Clinic) -> None:
    sid = clinic.reference()
    story = story_of(clinic, sid, 200)
    assert [x.label for x in story.lines] == [
        "Dose",
        "Pump time",
        "Pauses",
        "Peak BP",
        "Peak HR",
        "Sedation / dissociation",
        "PRN medicines",
        "Side effects",
        "First ready to leave",
        "Discharged",
        "PHQ-9",
        "Open items",
    ]
    plan = cast(DosePlanned, clinic.state(sid).dose_plan.payload)  # type: ignore[union-attr]
    assert story.line("Dose").text == (
        f"planned {plan.dose_mg:g} mg ({plan.mg_per_kg:g} mg/kg × {plan.dosing_weight_kg:g} kg); "
        f"infused {plan.dose_mg:g} mg (0.50 mg/kg)"
    )
    assert story.line("Pump time").text.endswith("completed")
    peak = story.line("Peak BP")
    assert peak.text.startswith("186/104 at ")
    assert "PAUSE level" in peak.text
    assert peak.attention
    # HR 96 stayed inside the limits: its own line, not marked (it was bold red beside the BP).
    hr = story.line("Peak HR")
    assert hr.text.endswith("within the protocol's limits")
    assert not hr.attention
    assert story.line("Pauses").text.startswith("1 pause, ")
    assert "ondansetron 4 mg IV" in story.line("PRN medicines").text
    assert story.line("Side effects").text == "Nausea (mild)"
    assert "min after the infusion stopped" in story.line("First ready to leave").text
    assert "signed off by Jordan Lee, MD" in story.line("Discharged").text
    assert story.line("Open items").text == "none"
    assert not story.line("Open items").attention
    assert [x.label for x in story.monitoring] == [
        "Pre-dose BP",
        "BP at the end of the infusion",
        "BP at discharge",
        "First ready to leave",
        "Discharge assessed by",
    ]
    assert story.line("Pre-dose BP").text.startswith("128/82 at ")
    assert "Modified Aldrete 10/10" in story.line("Discharge assessed by").text


def test_an_infusing_draft_says_how_long_and_how_much_so_far(infusing: Charted) -> None:
    state = infusing.state()
    plan = cast(DosePlanned, state.dose_plan.payload)  # type: ignore[union-attr]
    story = story_of(infusing.clinic, infusing.sid, 20)
    pump = story.line("Pump time")
    expected_ml = plan.rate_ml_h * 20 / 60
    assert f"RUNNING at print time: 20 min, {expected_ml:.0f} mL so far" in pump.text
    assert pump.attention
    assert story.line("Discharged").text == "not yet signed off (a draft)"
    assert story.line("BP at the end of the infusion").text == "not stopped yet"


def test_a_missed_mandatory_check_is_an_open_item(infusing: Charted) -> None:
    # Nothing charted after S+20; judged at S+60 the mandatory 40-minute BP was missed.
    story = story_of(infusing.clinic, infusing.sid, 60)
    items = story.line("Open items")
    assert "1 MANDATORY BP check missed" in items.text
    assert items.attention


def test_addenda_after_the_signature_are_told_with_the_latest_first_line(clinic: Clinic) -> None:
    sid = clinic.reference()
    clinic.clock.advance(minutes=30)
    clinic.service.add_addendum(
        clinic.staff.clinician,
        sid,
        text="Next infusion at 0.4 mg/kg.\nReview amlodipine with her GP first.",
        reason="plan for the next session",
        password=DEMO_PASSWORD,
    )
    story = story_of(clinic, sid, 200)
    after = story.line("After signing")
    assert after.attention
    assert "1 addendum after the signature" in after.text
    assert "Jordan Lee, MD" in after.text
    assert "“Next infusion at 0.4 mg/kg.”" in after.text
    assert "amlodipine" not in after.text  # the first line only


def test_phq9_change_since_the_course_first_score(clinic: Clinic) -> None:
    sid = clinic.reference()
    first = Phq9Point(1, SessionId("earlier"), date(2026, 11, 17), 20, False)
    story = story_of(clinic, sid, 200, course_first_phq9=first)
    assert story.line("PHQ-9").text == (
        "16 before this infusion; -4, -20 % since the course's first score "
        "(20, session 1, 2026-11-17)"
    )


def test_the_course_first_score_is_this_session_s_own_when_it_is_the_first(
    clinic: Clinic,
) -> None:
    sid = clinic.reference()
    first = course_first_phq9(clinic.service.course_records(clinic.patient.id), sid)
    assert first is not None
    assert first.session_id == sid
    assert first.total == 16
    story = story_of(clinic, sid, 200, course_first_phq9=first)
    assert story.line("PHQ-9").text == "16 before this infusion (the course's first score)"


def test_a_session_not_started_says_so(clinic: Clinic) -> None:
    sid = clinic.open_to_baseline(systolic=128, diastolic=82, heart_rate=76, spo2=98)
    story = story_of(clinic, sid, 0)
    assert story.line("Pump time").text.endswith("not started")
    assert story.line("Peak BP").text == "no reading after the baseline"
    assert story.line("Peak HR").text == "no reading after the baseline"
    assert story.line("First ready to leave").text == "not yet: the infusion has not stopped"
    assert story.line("Dose").text == "not planned"
    assert story.line("Pre-dose BP").text.startswith("128/82 at ")
