"""A full disk (simulated with ``PRAGMA max_page_count``) refuses the entry with a message that
says so, writes nothing half-way (a reading and its alert are saved together or not at all),
and the store works again once there is room."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from bedside.errors import StoreError
from bedside.events import ChartEvent, EventDraft, Phase
from bedside.ids import SessionId, UserId
from bedside.store import Store
from tests.store.support import Clinic

PAUSE_BP = {"systolic": 186, "diastolic": 104, "heart_rate": 96, "spo2": 96, "resp_rate": 16}
NOTE_TEXT = "Patient comfortable, listening to music. " * 50  # ~2 kB: a page fills quickly


def _page_count(store: Store) -> int:
    return int(store.conn.execute("PRAGMA page_count").fetchone()[0])


def _limit_pages(store: Store, headroom: int) -> None:
    limit = _page_count(store) + headroom
    assert store.conn.execute(f"PRAGMA max_page_count = {limit}").fetchone()[0] == limit


def _unlimit(store: Store) -> None:
    store.conn.execute("PRAGMA max_page_count = 1073741823")


def _assert_full_disk_message(exc: StoreError) -> None:
    message = str(exc).lower()
    assert "full" in message, exc
    assert "not saved" in message, exc
    assert isinstance(exc.__cause__, sqlite3.OperationalError)


@pytest.fixture
def infusing(clinic: Clinic) -> Iterator[tuple[Clinic, SessionId]]:
    sid = clinic.reference_session(until=Phase.INFUSING)
    assert clinic.service.state(sid).phase is Phase.INFUSING
    clinic.clock.advance(minutes=1)
    yield clinic, sid
    _unlimit(clinic.store)


def test_notes_until_the_disk_is_full(infusing: tuple[Clinic, SessionId]) -> None:
    clinic, sid = infusing
    store, nurse = clinic.store, clinic.staff.nurse
    _limit_pages(store, headroom=2)
    saved: list[ChartEvent] = []
    for _ in range(200):
        before = store.event_count()
        try:
            saved.append(clinic.service.add_note(nurse, sid, NOTE_TEXT).event)
        except StoreError as exc:
            failure = exc
            break
    else:
        pytest.fail("200 notes fitted in two spare pages: max_page_count had no effect")
    assert saved, "not even one note fitted: the headroom is too small to test anything"
    _assert_full_disk_message(failure)
    assert store.event_count() == before
    assert not store.conn.in_transaction
    assert store.verify() == []

    # nothing was saved, so the same entry goes through once there is room again
    _unlimit(store)
    again = clinic.service.add_note(nurse, sid, NOTE_TEXT).event
    assert again.seq == saved[-1].seq + 1
    assert again.prev_hash == saved[-1].hash
    assert store.event_count() == before + 1
    assert store.verify() == []


def test_reading_and_its_alert_are_saved_together_or_not_at_all(
    infusing: tuple[Clinic, SessionId], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up exactly while the ALERT is written, after the reading itself was
    inserted in the same transaction: both must be absent afterwards."""
    clinic, sid = infusing
    store, nurse = clinic.store, clinic.staff.nurse
    # Writing an alert also writes a 400 kB ballast row: far more than the headroom, so the
    # alert's INSERT is the statement that hits the full disk.
    store.conn.execute(
        "CREATE TEMP TRIGGER ballast_with_alert AFTER INSERT ON main.chart_events "
        "WHEN NEW.kind = 'alert_raised' BEGIN "
        "INSERT INTO settings(key, value) VALUES ('ballast', hex(randomblob(200000))); END"
    )
    inserted: list[str] = []
    original = store.append_in_transaction

    def spy(
        session_id: SessionId,
        drafts: list[EventDraft],
        *,
        author: UserId,
        at: object,
        **kwargs: object,
    ) -> list[ChartEvent]:
        saved = original(session_id, drafts, author=author, at=at, **kwargs)  # type: ignore[arg-type]
        inserted.extend(e.kind for e in saved)
        return saved

    monkeypatch.setattr(store, "append_in_transaction", spy)
    _limit_pages(store, headroom=10)
    before = store.events(sid)

    with pytest.raises(StoreError) as caught:
        clinic.service.record_vitals(nurse, sid, **PAUSE_BP)

    _assert_full_disk_message(caught.value)
    assert inserted == ["vitals_recorded"], "the reading must have been written before the failure"
    assert store.events(sid) == before
    assert store.get_setting("ballast") == ""
    assert not store.conn.in_transaction

    # room again (and no ballast): the same reading is saved with its alert, chain intact
    store.conn.execute("DROP TRIGGER temp.ballast_with_alert")
    _unlimit(store)
    reading, alert = clinic.service.record_vitals(nurse, sid, **PAUSE_BP).events
    assert (reading.kind, alert.kind) == ("vitals_recorded", "alert_raised")
    assert alert.payload.source_event_id == reading.id  # type: ignore[union-attr]
    assert reading.seq == before[-1].seq + 1
    assert store.verify() == []


def test_vitals_on_a_full_disk_are_refused_whole(infusing: tuple[Clinic, SessionId]) -> None:
    """Fill the file with notes first, then try a pause-level reading: nothing of it is kept,
    whichever of its two rows the disk ran out on."""
    clinic, sid = infusing
    store, nurse = clinic.store, clinic.staff.nurse
    _limit_pages(store, headroom=1)
    for text in (NOTE_TEXT, NOTE_TEXT[:400], "short note"):  # fill down to the last crumbs
        for _ in range(200):
            try:
                clinic.service.add_note(nurse, sid, text)
            except StoreError:
                break
        else:
            pytest.fail("max_page_count had no effect")
    before = store.events(sid)
    with pytest.raises(StoreError) as caught:
        clinic.service.record_vitals(nurse, sid, **PAUSE_BP)
    _assert_full_disk_message(caught.value)
    assert store.events(sid) == before
    assert store.verify() == []
