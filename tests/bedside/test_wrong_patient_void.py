"""A void "charted on the wrong patient's record": a category in the record, folded into the
state, and stored so that every void written before it existed reads and hashes unchanged."""

from __future__ import annotations

import json

import pytest

from bedside.canonical import canonical_json
from bedside.events import ChartEvent, EntryVoided
from bedside.ids import SessionId
from bedside.service import ChartService
from bedside.store.hashing import compute_hash, event_hash
from tests.bedside.clinic_support import patient_with_course
from ui.demo import DemoStaff


def _stored_void(payload: dict[str, object]) -> dict[str, object]:
    fields: dict[str, object] = {
        "id": "e2",
        "session_id": "s1",
        "seq": 8,
        "clinical_time": "2026-11-24T15:42:00Z",
        "recorded_time": "2026-11-24T15:42:05Z",
        "author": "u1",
        "payload": payload,
        "supersedes": "e1",
        "reason": "charted on the wrong chair",
        "prev_hash": "b" * 64,
    }
    fields["hash"] = compute_hash(fields)
    return fields


def test_an_ordinary_void_writes_exactly_what_it_wrote_before_the_category() -> None:
    # The payload every void had before wrong_patient existed: the kind, nothing else.
    assert canonical_json(EntryVoided().model_dump(mode="json")) == '{"kind":"entry_voided"}'
    assert canonical_json(EntryVoided(wrong_patient=True).model_dump(mode="json")) == (
        '{"kind":"entry_voided","wrong_patient":true}'
    )


def test_a_void_stored_before_the_category_reads_and_hashes_unchanged() -> None:
    old: dict[str, object] = {"kind": "entry_voided"}
    stored = _stored_void(old)
    event = ChartEvent.model_validate(stored)
    assert isinstance(event.payload, EntryVoided)
    assert not event.payload.wrong_patient
    assert event_hash(event) == stored["hash"]
    assert event.model_dump(mode="json")["payload"] == old
    # A model that wrote the default out would have changed the hash of every old void.
    rewritten = _stored_void({"kind": "entry_voided", "wrong_patient": False})
    assert rewritten["hash"] != stored["hash"]


@pytest.fixture
def opened(service: ChartService, staff: DemoStaff) -> SessionId:
    patient = patient_with_course(service, staff, "MRN-WP-1")
    return service.open_session(staff.nurse, patient_id=patient.id, chair=1).session_id


def test_a_wrong_patient_void_folds_into_the_supersession_and_verifies(
    service: ChartService, staff: DemoStaff, opened: SessionId
) -> None:
    nurse = staff.nurse
    other = service.add_note(nurse, opened, "Chair 3 patient asking for water.").events[0]
    typo = service.add_note(nurse, opened, "Patiet calm").events[0]
    void = service.void(
        nurse, opened, other.id, "charted on the wrong patient's record", wrong_patient=True
    ).events[0]
    ordinary = service.void(nurse, opened, typo.id, "typed twice").events[0]
    state = service.state(opened)
    gone = state.superseded[other.id]
    assert gone.voided
    assert gone.wrong_patient
    assert gone.by_event.id == void.id
    assert gone.reason == "charted on the wrong patient's record"
    assert state.superseded[typo.id].voided
    assert not state.superseded[typo.id].wrong_patient
    # Stored as written: the category only when set, so ordinary voids are as before.
    rows = dict(
        service.store.conn.execute(
            "SELECT id, payload FROM chart_events WHERE id IN (?, ?)", (void.id, ordinary.id)
        ).fetchall()
    )
    assert json.loads(rows[void.id]) == {"kind": "entry_voided", "wrong_patient": True}
    assert rows[ordinary.id] == '{"kind":"entry_voided"}'
    assert service.store.verify() == []


def test_a_correction_is_not_a_wrong_patient_void(
    service: ChartService, staff: DemoStaff, opened: SessionId
) -> None:
    note = service.add_note(staff.nurse, opened, "Patiet calm").events[0]
    service.correct(staff.nurse, opened, note.id, "spelling", text="Patient calm")
    gone = service.state(opened).superseded[note.id]
    assert not gone.voided
    assert not gone.wrong_patient
