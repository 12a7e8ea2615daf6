"""Issue 10, item 10: the sign-off shows what is signed (``charting.signoff``), the steps
completed on a clinician's override (``charting.overrides``), and deferred and missed checks in
the record's words (items 1 and 3).

``S`` is the infusion start (see ``charting_fixtures``); the clinic's time zone is UTC, so S is
14:20 on the clock."""

from __future__ import annotations

from charting_fixtures import SESSION_START, Charted, Clinic, Reference, at
from signoff_sessions import (
    CLINICIAN_REASON,
    NURSE_REASON,
    SIGN_REASON,
    messy_session,
    settle_and_sign,
)

from bedside.events import Phase
from bedside.ids import UserId
from charting.overrides import clinician_overrides, overridden_steps
from charting.record import session_record
from charting.signoff import SignoffSummary, signoff_summary
from ui.demo import DEMO_PASSWORD
from ui.demo.answers import score_baseline_scales


def names_of(clinic: Clinic) -> dict[UserId, str]:
    return {uid: u.display_name for uid, u in clinic.service.staff().items()}


def lines(summary: SignoffSummary, key: str) -> list[str]:
    return [line.text for line in summary.section(key).lines]


def flagged(summary: SignoffSummary, key: str) -> list[str]:
    return [line.text for line in summary.section(key).lines if line.attention]


def test_the_reference_session_in_a_few_calm_lines(clinic: Clinic) -> None:
    sid = clinic.reference(until=Phase.READY_FOR_DISCHARGE)
    state = clinic.state(sid)
    summary = signoff_summary(state, clinic.protocol, clinic.clock.now(), names_of(clinic))
    assert [s.key for s in summary.sections] == [
        "criteria",
        "alerts",
        "prns",
        "side_effects",
        "checks",
        "overrides",
        "drug",
        "vitals",
        "pump",
    ]
    assert lines(summary, "criteria") == []
    assert summary.section("criteria").empty == "All discharge criteria are met."
    (alert,) = lines(summary, "alerts")
    assert alert.startswith("14:50 PAUSE — Pause infusion: Systolic BP 186")
    assert "acknowledged 14:50 by Dana Reyes, RN: Infusion paused 5 min" in alert
    assert alert.endswith("· clinician notified")
    assert lines(summary, "prns") == [
        "14:45 ondansetron 4 mg IV for nausea · ordered by Jordan Lee, MD · given by Dana Reyes, RN"
    ]
    assert lines(summary, "side_effects") == [
        "Nausea — worst mild (grade 1), noted 14:42 · resolved 15:10"
    ]
    assert lines(summary, "checks") == []
    assert lines(summary, "overrides") == []
    assert lines(summary, "drug") == [
        "Reconciled: drawn 50 mg = infused 36 mg + wasted 14 mg (waste witnessed by Sam Okafor, RN)"
    ]
    assert lines(summary, "vitals") == [
        "Last vitals 7 min ago at 15:35: BP 126/80 · HR 76 · SpO₂ 98 % · RR 14"
    ]
    assert lines(summary, "pump") == [
        "Stopped 15:05 after 40 min running: 103.6 mL infused (pump), completed"
    ]
    assert not any(s.attention for s in summary.sections)


def test_an_eventful_session_says_what_slipped_and_who_allowed_it(clinic: Clinic) -> None:
    sid = messy_session(
        clinic.service, clinic.clock, clinic.staff, clinic.patient, SESSION_START, chair=2
    )
    state = clinic.state(sid)
    summary = signoff_summary(state, clinic.protocol, at(80), names_of(clinic))
    (alert,) = flagged(summary, "alerts")
    assert alert.startswith("15:05 PAUSE — Pause infusion: Systolic BP 186")
    assert alert.endswith("NOT ACKNOWLEDGED (still open)")
    checks = lines(summary, "checks")
    assert checks[0] == (
        "MISSED: vitals check due 14:50 (During the infusion) — no reading between 14:45 and 14:55; "
        "next reading 15:05 (10 min after the window)"
    )
    assert checks[1] == (
        "DEFERRED MANDATORY BP due 15:00 (During the infusion) — by Dana Reyes, RN at 15:00: "
        f"{NURSE_REASON} · allowed by Jordan Lee, MD: {CLINICIAN_REASON}"
    )
    assert all(line.startswith("MISSED: ") for line in checks[2:])
    assert flagged(summary, "checks") == checks  # every one of them needs attention
    assert flagged(summary, "overrides") == [
        "15:00 Deferral of the mandatory BP due 15:00 — Jordan Lee, MD "
        f"(findings: defer.mandatory): {CLINICIAN_REASON}"
    ]
    assert flagged(summary, "drug") == [
        "NOT reconciled — open remainder: 14 mg (1.4 mL) left in the vial or syringe "
        "(drawn but neither infused nor wasted)"
    ]
    assert flagged(summary, "vitals") == [
        "NONE since the stop at 15:08 — last vitals 35 min ago at 15:05: "
        "BP 186/104 · HR 90 · SpO₂ 97 %"
    ]
    assert "NOT MET: Alert not acknowledged: Pause infusion: Systolic BP 186" in "\n".join(
        flagged(summary, "criteria")
    )
    text = summary.text()
    assert "⚠ MISSED: vitals check due 14:50" in text  # marked in words, not only flagged


def test_the_age_of_the_last_vitals_and_a_pump_past_its_plan(infusing: Charted) -> None:
    names = names_of(infusing.clinic)
    state = infusing.state()
    summary = signoff_summary(state, infusing.protocol, at(34), names)
    assert lines(summary, "vitals") == [
        "Last vitals 14 min ago at 14:40: BP 142/88 · HR 84 · SpO₂ 97 % · RR 15"
    ]
    assert lines(summary, "pump") == ["Running since 14:20: the stop is not charted."]
    late = signoff_summary(state, infusing.protocol, at(60), names)
    (pump,) = flagged(late, "pump")
    assert pump.startswith("Pump past its planned end: running 60 of 40 min")


def test_side_effects_by_their_worst_severity_and_a_prn_override(infusing: Charted) -> None:
    svc, staff, sid = infusing.service, infusing.staff, infusing.sid
    infusing.clock.set(at(21))
    first = svc.note_side_effect(staff.nurse, sid, effect="nausea", severity=1).event
    infusing.clock.set(at(24))
    svc.note_side_effect(staff.nurse, sid, effect="nausea", severity=2, action="ondansetron")
    svc.note_side_effect(staff.nurse, sid, effect="headache", severity=1)
    infusing.clock.set(at(26))
    svc.resolve_side_effect(staff.nurse, sid, first.id, note="settled")
    svc.give_prn(
        staff.nurse,
        sid,
        drug="ondansetron",
        dose=4,
        unit="mg",
        route="IV",
        indication="nausea",
        ordered_by=staff.clinician.id,
    )
    summary = signoff_summary(
        infusing.state(), infusing.protocol, at(30), names_of(infusing.clinic)
    )
    assert lines(summary, "side_effects") == [
        "Nausea — worst moderate (grade 2), noted 14:41, 14:44 · NOT resolved",
        "Headache — worst mild (grade 1), noted 14:44 · NOT resolved",
    ]
    # A moderate effect still open needs attention; a mild one is said, not flagged.
    assert flagged(summary, "side_effects") == [lines(summary, "side_effects")[0]]
    (prn,) = lines(summary, "prns")
    assert prn.startswith("14:46 ondansetron 4 mg IV for nausea · ordered by Jordan Lee, MD")


def test_steps_completed_on_an_override(clinic: Clinic) -> None:
    svc, staff = clinic.service, clinic.staff
    sid = clinic.open_to_baseline(
        systolic=185, diastolic=90, heart_rate=80, spo2=98, resp_rate=14, weight_kg=70
    )
    score_baseline_scales(svc, staff.nurse, sid, 16)
    svc.advance(
        staff.nurse,
        sid,
        Phase.CONSENT,
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="Anxious; rechecked by me, 160s on repeat",
    )
    state = clinic.state(sid)
    steps = overridden_steps(state)
    assert list(steps) == [Phase.BASELINE]
    assert steps[Phase.BASELINE].what == "Baseline → Consent"
    (found,) = clinician_overrides(state)
    assert found.words(names_of(clinic), "UTC").startswith(
        "14:05 Baseline → Consent — Jordan Lee, MD (findings: baseline."
    )


def test_a_sign_off_on_an_override_overrides_the_steps_from_where_it_was(clinic: Clinic) -> None:
    sid = messy_session(
        clinic.service, clinic.clock, clinic.staff, clinic.patient, SESSION_START, chair=2
    )
    assert overridden_steps(clinic.state(sid)) == {}  # a deferral is not a step
    settle_and_sign(clinic.service, clinic.clock, clinic.staff, sid)
    steps = overridden_steps(clinic.state(sid))
    # Signed from observation: observation, discharge and the signature itself.
    assert list(steps) == [Phase.OBSERVING, Phase.READY_FOR_DISCHARGE, Phase.SIGNED]
    assert {found.override.reason for found in steps.values()} == {SIGN_REASON}


def test_a_clean_signed_session_has_no_overridden_step(reference: Reference) -> None:
    assert overridden_steps(reference.state) == {}
    assert clinician_overrides(reference.state) == []


def test_the_record_says_which_check_was_deferred_and_who_allowed_it(infusing: Charted) -> None:
    svc, staff, sid = infusing.service, infusing.staff, infusing.sid
    infusing.clock.set(at(30))
    svc.defer_check(staff.nurse, sid, due_at=at(30), reason="Asleep, breathing easily")
    infusing.clock.set(at(40))
    svc.defer_check(
        staff.nurse,
        sid,
        due_at=at(40),
        reason="Asleep after a calm infusion",
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="Calm throughout, BP at 14:40 fine",
    )
    rows = session_record(infusing.state(), infusing.protocol, names_of(infusing.clinic), "UTC")
    words = [r.words for r in rows if r.kind == "check_deferred"]
    assert words == [
        "Check due 14:50 deferred: Asleep, breathing easily",
        "Mandatory BP due 15:00 deferred: Asleep after a calm infusion · allowed by "
        "Jordan Lee, MD: Calm throughout, BP at 14:40 fine",
    ]
