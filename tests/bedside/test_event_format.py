"""The stored form of an event is what is hashed and exported, so models can grow."""

from __future__ import annotations

from datetime import UTC, datetime

from bedside.events import ChartEvent, WasteRecorded
from bedside.store.hashing import compute_hash, event_hash

WITNESS = {
    "signer_id": "u2",
    "signer_name": "Sam Okafor, RN",
    "signer_role": "nurse",
    "meaning": "Witnessed waste of controlled substance",
    "signed_at": "2026-11-24T15:42:00Z",
    "content_hash": "a" * 64,
}


def _stored(payload: dict[str, object]) -> dict[str, object]:
    fields: dict[str, object] = {
        "id": "e1",
        "session_id": "s1",
        "seq": 7,
        "clinical_time": "2026-11-24T15:42:00Z",
        "recorded_time": "2026-11-24T15:42:05.250000Z",
        "author": "u1",
        "payload": payload,
        "supersedes": None,
        "reason": None,
        "prev_hash": "b" * 64,
    }
    fields["hash"] = compute_hash(fields)
    return fields


def test_an_old_payload_without_a_later_optional_field_still_verifies() -> None:
    # Written before WasteRecorded gained "source" (default "vial").
    old = {
        "kind": "waste_recorded",
        "wasted_mg": 14.0,
        "wasted_ml": 1.4,
        "method": "rendered unrecoverable",
        "witness": WITNESS,
    }
    stored = _stored(old)
    event = ChartEvent.model_validate(stored)
    assert isinstance(event.payload, WasteRecorded)
    assert event.payload.source == "vial"  # the model's default, for reading
    assert event_hash(event) == stored["hash"]  # but the hash covers what was stored
    assert event.model_dump(mode="json")["payload"] == old  # and exports stay identical


def test_the_hash_does_not_depend_on_how_times_are_printed() -> None:
    payload = {"kind": "note", "text": "resting"}
    a = _stored(payload)
    b = dict(
        a,
        clinical_time="2026-11-24T10:42:00-05:00",
        recorded_time=datetime(2026, 11, 24, 15, 42, 5, 250000, tzinfo=UTC),
    )
    assert compute_hash(b) == a["hash"]
    changed = dict(a, clinical_time="2026-11-24T15:43:00Z")
    assert compute_hash(changed) != a["hash"]
