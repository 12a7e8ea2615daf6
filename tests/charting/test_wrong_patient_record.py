"""The session record keeps a wrong-patient entry's words for staff (they must see what was
voided) and says "(wrong patient)" beside the void's reason; every version of a corrected
entry later voided as wrong patient is found, so printouts can withhold them all."""

from __future__ import annotations

from charting_fixtures import Charted

from bedside.events import ChartEvent
from bedside.ids import EventId, UserId
from bedside.state import SessionState
from charting.record import session_record, wrong_patient_void

TZ = "America/New_York"


def _names(charted: Charted) -> dict[UserId, str]:
    return {uid: u.display_name for uid, u in charted.service.staff().items()}


def test_the_record_keeps_the_words_and_names_the_category(infusing: Charted) -> None:
    s, nurse, sid = infusing.service, infusing.staff.nurse, infusing.sid
    other = s.add_note(nurse, sid, "Chair 3 patient asking for water").events[0]
    typo = s.add_note(nurse, sid, "Calm calm").events[0]
    s.void(nurse, sid, other.id, "charted on the wrong chair", wrong_patient=True)
    s.void(nurse, sid, typo.id, "typed twice")
    rows = {
        r.event_id: r
        for r in session_record(infusing.state(), infusing.protocol, _names(infusing), TZ)
    }
    wrong = rows[other.id]
    assert wrong.words == "Chair 3 patient asking for water"
    assert wrong.replaced is not None
    assert wrong.replaced.wrong_patient
    assert wrong.replaced.why == "charted on the wrong chair (wrong patient)"
    plain = rows[typo.id].replaced
    assert plain is not None
    assert not plain.wrong_patient
    assert plain.why == "typed twice"


def test_every_version_of_a_chain_voided_as_wrong_patient_is_found(infusing: Charted) -> None:
    s, nurse, sid = infusing.service, infusing.staff.nurse, infusing.sid
    first = s.add_note(nurse, sid, "Wants tea").events[0]
    fixed = s.correct(nurse, sid, first.id, "spelling", text="Wants coffee").events[0]
    kept = s.add_note(nurse, sid, "Resting").events[0]
    corrected = s.add_note(nurse, sid, "Restng").events[0]
    s.correct(nurse, sid, corrected.id, "spelling", text="Resting quietly")
    void = s.void(nurse, sid, fixed.id, "other patient", wrong_patient=True).events[0]
    state = infusing.state()
    for version in (first, fixed):
        found = wrong_patient_void(state, state_event(state, version.id))
        assert found is not None
        assert found.by_event.id == void.id
    assert wrong_patient_void(state, state_event(state, kept.id)) is None
    assert wrong_patient_void(state, state_event(state, corrected.id)) is None


def state_event(state: SessionState, event_id: EventId) -> ChartEvent:
    return next(e for e in state.events if e.id == event_id)
