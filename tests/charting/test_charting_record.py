"""The whole session record as the chair shows it: every kind of entry, in time order, with
who and when, late entries marked, corrections and voids kept struck with their reason."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from charting_fixtures import Charted, Reference

from bedside.events import Kind
from bedside.ids import UserId
from charting.record import GROUP_OF, WHAT, EntryGroup, history, session_record
from charting.record_text import _WORDS

TZ = "America/New_York"


def _names(charted: Charted) -> dict[UserId, str]:
    return {uid: u.display_name for uid, u in charted.service.staff().items()}


def test_every_kind_has_a_group_a_name_and_words() -> None:
    assert set(GROUP_OF) == set(Kind)
    assert set(WHAT) == set(Kind)
    assert set(_WORDS) == set(Kind)


def test_the_signed_reference_lists_every_entry_once_in_time_order(reference: Reference) -> None:
    rows = session_record(reference.state, reference.protocol, {}, TZ)
    listed = Counter(r.event_id for r in rows)
    expected = {e.id for e in reference.state.events if e.kind is not Kind.ENTRY_VOIDED}
    assert set(listed) == expected
    assert max(listed.values()) == 1
    in_force = [r for r in rows if not r.struck]
    assert [r.clinical_time for r in in_force] == sorted(r.clinical_time for r in in_force)
    # The kinds the window used to hide are all there, in words.
    kinds = {r.kind for r in rows}
    assert {Kind.PRN_GIVEN, Kind.SIDE_EFFECT_NOTED, Kind.ALERT_RAISED} <= kinds
    assert Kind.ALERT_ACKNOWLEDGED in kinds
    # A signed record is history: nothing in it may be corrected from the window.
    assert not any(r.correctable for r in rows)


def test_medicines_notes_side_effects_and_alerts_read_in_words(infusing: Charted) -> None:
    s, nurse, doctor = infusing.service, infusing.staff.nurse, infusing.staff.clinician
    s.give_prn(
        nurse,
        infusing.sid,
        drug="ondansetron",
        dose=4,
        unit="mg",
        route="IV",
        indication="nausea",
        ordered_by=doctor.id,
    )
    s.add_note(nurse, infusing.sid, "Floating feeling, calm; music on")
    noted = s.note_side_effect(nurse, infusing.sid, effect="nausea", severity=1, action="PRN")
    s.resolve_side_effect(nurse, infusing.sid, noted.events[0].id, note="settled")
    s.record_vitals(nurse, infusing.sid, systolic=186, diastolic=104, heart_rate=96, spo2=97)
    alert = infusing.state().open_alerts()[0]
    s.acknowledge_alert(nurse, infusing.sid, alert.raised.id, action_taken="rechecked in 5 min")
    rows = session_record(infusing.state(), infusing.protocol, _names(infusing), TZ)
    words = {r.kind: r.words for r in rows}
    assert words[Kind.PRN_GIVEN].startswith("ondansetron 4 mg IV for nausea · ordered by ")
    assert doctor.display_name in words[Kind.PRN_GIVEN]
    assert words[Kind.NOTE] == "Floating feeling, calm; music on"
    assert words[Kind.SIDE_EFFECT_NOTED].startswith("Nausea (mild)")
    assert words[Kind.SIDE_EFFECT_RESOLVED].startswith("Resolved: Nausea (mild)")
    assert "rechecked in 5 min" in words[Kind.ALERT_ACKNOWLEDGED]
    alert_row = next(r for r in rows if r.kind is Kind.ALERT_RAISED and r.level is not None)
    assert alert_row.group is EntryGroup.ALERTS
    ack = next(r for r in rows if r.kind is Kind.ALERT_ACKNOWLEDGED)
    assert ack.author == nurse.display_name
    assert "BP 186/104" in next(r.words for r in reversed(rows) if r.kind is Kind.VITALS_RECORDED)


def test_a_correction_and_a_void_keep_the_original_struck_with_the_reason(
    infusing: Charted,
) -> None:
    s, nurse = infusing.service, infusing.staff.nurse
    note = s.add_note(nurse, infusing.sid, "Patient asleep").events[0]
    corrected = s.correct(nurse, infusing.sid, note.id, "wrong word", text="Patient resting")
    wrong = s.add_note(nurse, infusing.sid, "Meant for chair 2").events[0]
    s.void(nurse, infusing.sid, wrong.id, "charted on the wrong chair")
    rows = session_record(infusing.state(), infusing.protocol, _names(infusing), TZ)
    by_id = {r.event_id: r for r in rows}
    original = by_id[note.id]
    assert original.replaced is not None
    assert original.struck
    assert not original.replaced.voided
    assert original.replaced.reason == "wrong word"
    assert not original.correctable
    fixed = by_id[corrected.events[0].id]
    assert fixed.correction_of == "wrong word"
    assert fixed.correctable
    # The corrected original sits just before what replaced it.
    ids = [r.event_id for r in rows]
    assert ids.index(note.id) + 1 == ids.index(fixed.event_id)
    voided = by_id[wrong.id]
    assert voided.replaced is not None
    assert voided.replaced.voided
    assert voided.replaced.reason == "charted on the wrong chair"
    assert voided.replaced.by == nurse.display_name
    assert all(r.kind is not Kind.ENTRY_VOIDED for r in rows)


def test_a_reading_charted_long_after_it_was_taken_is_marked_late(infusing: Charted) -> None:
    s, nurse = infusing.service, infusing.staff.nurse
    taken = infusing.clock.now()
    infusing.clock.advance(minutes=infusing.protocol.monitoring.late_entry_after_min + 1)
    late = s.record_vitals(
        nurse, infusing.sid, systolic=120, diastolic=80, clinical_time=taken
    ).events[0]
    on_time = s.add_note(nurse, infusing.sid, "Comfortable").events[0]
    rows = {r.event_id: r for r in session_record(infusing.state(), infusing.protocol, {}, TZ)}
    assert rows[late.id].late
    assert rows[late.id].recorded_time - rows[late.id].clinical_time > timedelta(minutes=1)
    assert not rows[on_time.id].late


def test_history_of_some_kinds_is_what_the_printout_lists(reference: Reference) -> None:
    prns = history(reference.state, {Kind.PRN_GIVEN})
    assert prns
    assert all(e.kind is Kind.PRN_GIVEN for e in prns)
