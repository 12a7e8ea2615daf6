"""Tampering with the file behind the application's back (sqlite3 shell, triggers dropped and
put back) is found by ``Store.verify()``, which names the session and the event."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from bedside.ids import SessionId
from bedside.store import Store
from tests.store.support import Prebuilt, event_rows, raw, trigger_sql


def tamper(path: Path, sql: str, params: Sequence[object], *, triggers: Sequence[str]) -> int:
    """Drop ``triggers``, run ``sql``, put the triggers back (covering the tracks).

    Returns the number of rows changed; the schema afterwards is as before.
    """
    with raw(path) as conn:
        schema_before = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
        saved = [trigger_sql(conn, name) for name in triggers]
        for name in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        changed = conn.execute(sql, params).rowcount
        for create in saved:
            conn.execute(create)
        schema_after = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    assert schema_after == schema_before
    return changed


def _seq_of(path: Path, session_id: str, kind: str, needle: str) -> tuple[str, int]:
    """(id, seq) of the one event of ``kind`` whose payload contains ``needle``."""
    with raw(path) as conn:
        rows = conn.execute(
            "SELECT id, seq FROM chart_events WHERE session_id = ? AND kind = ? "
            "AND instr(payload, ?) > 0",
            (session_id, kind, needle),
        ).fetchall()
    assert len(rows) == 1, rows
    return str(rows[0][0]), int(rows[0][1])


def _problems(path: Path) -> list[str]:
    with Store(path) as store:
        return store.verify()


def _mentions(problem: str, session_id: str, seq: int) -> bool:
    return f"session {session_id} event #{seq} " in problem


# --- the demo: one blood pressure changed -------------------------------------------------------------


def test_changed_blood_pressure_in_the_demo_is_reported(demo_db: Prebuilt, tmp_path: Path) -> None:
    path = demo_db.copy_to(tmp_path)
    sid = demo_db.session_id
    assert _problems(path) == []  # control: the untouched copy verifies
    event_id, seq = _seq_of(path, sid, "vitals_recorded", '"systolic":186')

    changed = tamper(
        path,
        "UPDATE chart_events SET payload = replace(payload, '\"systolic\":186', '\"systolic\":146')"
        " WHERE id = ?",
        (event_id,),
        triggers=["chart_events_no_update"],
    )
    assert changed == 1

    with Store(path) as store:
        (event,) = [e for e in store.events(sid) if e.id == event_id]
        assert event.payload.systolic == 146  # type: ignore[union-attr]  # the lie is readable
        problems = store.verify()
        assert len(problems) == 1, problems
        assert _mentions(problems[0], sid, seq)
        assert "vitals_recorded" in problems[0]
        assert "altered" in problems[0]
        assert store.verify_session(sid) == problems
        others = [h.id for h in store.all_sessions() if h.id != sid]
        assert len(others) == 7
        assert all(store.verify_session(o) == [] for o in others)


# --- other columns of one event --------------------------------------------------------------------


def _shift(iso: str, minutes: int) -> str:
    from bedside.timeutil import iso_utc, parse_iso

    return iso_utc(parse_iso(iso) + timedelta(minutes=minutes))


@pytest.mark.parametrize(
    ("column", "change", "words"),
    [
        ("recorded_time", lambda v, _: _shift(v, 60), "altered"),
        ("clinical_time", lambda v, _: _shift(v, -5), "altered"),
        ("author", lambda _, other_author: other_author, "altered"),
        (
            "payload",
            lambda v, _: json.dumps({**json.loads(v), "systolic": 90}, separators=(",", ":")),
            "not a valid event",  # 90 is below the diastolic 104: no longer even a valid reading
        ),
        ("kind", lambda _v, _o: "note", "not a valid event"),
        ("hash", lambda _v, _o: "f" * 64, "chain broken"),
        ("prev_hash", lambda _v, _o: "0" * 64, "chain broken"),
    ],
    ids=[
        "recorded_time",
        "clinical_time",
        "author",
        "payload-invalid",
        "kind",
        "hash",
        "prev_hash",
    ],
)
def test_changed_column_of_one_event_is_reported(
    signed_db: Prebuilt, tmp_path: Path, column: str, change: object, words: str
) -> None:
    path = signed_db.copy_to(tmp_path)
    sid = signed_db.session_id
    event_id, seq = _seq_of(path, sid, "vitals_recorded", '"systolic":186')
    with raw(path) as conn:
        old = conn.execute(f"SELECT {column} FROM chart_events WHERE id = ?", (event_id,))
        (value,) = old.fetchone()
    new = change(value, signed_db.staff.nurse2.id)  # type: ignore[operator]
    assert new != value
    tamper(
        path,
        f"UPDATE chart_events SET {column} = ? WHERE id = ?",
        (new, event_id),
        triggers=["chart_events_no_update"],
    )
    problems = _problems(path)
    assert problems, f"changing {column} went unnoticed"
    flagged = [p for p in problems if words in p]
    assert flagged, problems
    # the first problem names the tampered event (or, for a changed hash, the one after it)
    expected_seq = seq + 1 if column == "hash" else seq
    assert _mentions(flagged[0], sid, expected_seq), flagged


# --- removed and reordered events ------------------------------------------------------------------------


def test_deleted_middle_event_is_reported(demo_db: Prebuilt, tmp_path: Path) -> None:
    path = demo_db.copy_to(tmp_path)
    sid = demo_db.session_id
    before = event_rows(path, sid)
    victim_id, victim_seq, _ = before[len(before) // 2]

    changed = tamper(
        path,
        "DELETE FROM chart_events WHERE id = ?",
        (victim_id,),
        triggers=["chart_events_no_delete"],
    )
    assert changed == 1

    problems = _problems(path)
    after_gap = [p for p in problems if _mentions(p, sid, victim_seq + 1)]
    assert any("chain broken" in p for p in after_gap), problems
    assert any(f"out of sequence (expected #{victim_seq})" in p for p in after_gap), problems


def test_swapped_events_are_reported(signed_db: Prebuilt, tmp_path: Path) -> None:
    """Two events exchange places (their seq numbers swapped through a free number)."""
    path = signed_db.copy_to(tmp_path)
    sid = signed_db.session_id
    update = "UPDATE chart_events SET seq = ? WHERE session_id = ? AND seq = ?"
    with raw(path) as conn:
        saved = trigger_sql(conn, "chart_events_no_update")
        conn.execute("DROP TRIGGER chart_events_no_update")
        conn.execute(update, (9999, sid, 15))
        conn.execute(update, (15, sid, 16))
        conn.execute(update, (16, sid, 9999))
        conn.execute(saved)
    problems = _problems(path)
    assert any(_mentions(p, sid, 15) and "altered" in p for p in problems), problems
    assert any(_mentions(p, sid, 16) and "chain broken" in p for p in problems), problems


def test_event_moved_to_another_session_is_reported(demo_db: Prebuilt, tmp_path: Path) -> None:
    path = demo_db.copy_to(tmp_path)
    sid = demo_db.session_id
    with Store(path) as store:
        other = next(h.id for h in store.all_sessions() if h.id != sid)
    event_id, _seq = _seq_of(path, sid, "note", "vivid colours")
    tamper(
        path,
        "UPDATE chart_events SET session_id = ?1, "
        "seq = (SELECT MAX(seq) + 1 FROM chart_events WHERE session_id = ?1) WHERE id = ?2",
        (other, event_id),
        triggers=["chart_events_no_update"],
    )
    problems = _problems(path)
    assert any(sid in p for p in problems), problems
    assert any(other in p for p in problems), problems


def test_deleted_last_event_is_reported(signed_db: Prebuilt, tmp_path: Path) -> None:
    """Cutting off the end of a session (its signature) leaves a valid but shorter chain: it
    must still be reported, or a signed session silently becomes unsigned and open again."""
    path = signed_db.copy_to(tmp_path)
    sid = signed_db.session_id
    last_id, _, kind = event_rows(path, sid)[-1]
    assert kind == "session_signed"
    tamper(
        path,
        "DELETE FROM chart_events WHERE id = ?",
        (last_id,),
        triggers=["chart_events_no_delete"],
    )
    assert _problems(path) != []


def test_deleted_signature_with_its_ledger_entry_is_reported(
    demo_db: Prebuilt, tmp_path: Path
) -> None:
    """Covering the tracks in the database-wide ledger too: the signed session of this morning
    was followed by another session's events, so its signature cannot be cut out cleanly."""
    path = demo_db.copy_to(tmp_path)
    sid = demo_db.session_id
    last_id, _, kind = event_rows(path, sid)[-1]
    assert kind == "session_signed"
    with raw(path) as conn:
        later = conn.execute(
            "SELECT COUNT(*) FROM ledger WHERE seq > (SELECT seq FROM ledger WHERE event_id = ?)",
            (last_id,),
        ).fetchone()[0]
    assert later > 0, "the demo should have events written after this signature"
    tamper(
        path,
        "DELETE FROM chart_events WHERE id = ?",
        (last_id,),
        triggers=["chart_events_no_delete"],
    )
    tamper(path, "DELETE FROM ledger WHERE event_id = ?", (last_id,), triggers=["ledger_no_delete"])
    assert _problems(path) != []


def test_session_header_moved_to_another_patient_is_reported(
    demo_db: Prebuilt, tmp_path: Path
) -> None:
    """The header row (what sessions_for_patient() reads) must agree with the hash-chained
    session_opened event."""
    path = demo_db.copy_to(tmp_path)
    sid = demo_db.session_id
    with Store(path) as store:
        header = store.session(SessionId(sid))
        other_patient = next(
            h.patient_id for h in store.all_sessions() if h.patient_id != header.patient_id
        )
    tamper(
        path,
        "UPDATE sessions SET patient_id = ? WHERE id = ?",
        (other_patient, sid),
        triggers=["sessions_no_update"],
    )
    with Store(path) as store:
        assert store.session(SessionId(sid)).patient_id == other_patient  # the lie is served
        assert store.verify() != []
