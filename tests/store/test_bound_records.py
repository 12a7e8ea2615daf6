"""verify() also catches edits to the protocol version and course order a session depends on."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bedside.store import Store
from tests.store.forger import triggers_dropped
from tests.store.support import raw
from ui.demo import build_demo


def _demo(tmp_path: Path) -> Path:
    path = tmp_path / "d.db"
    with Store(path) as store:
        build_demo(store, datetime(2026, 11, 24, 18, 0, tzinfo=UTC))
        assert store.verify() == []
    return path


def _edit(path: Path, table: str, change) -> None:  # type: ignore[no-untyped-def]
    """Edit the first row's body with its table's triggers dropped and put back."""
    with raw(path) as conn, triggers_dropped(conn, table):
        (row_id, body) = conn.execute(f"SELECT id, body FROM {table} LIMIT 1").fetchone()
        data = json.loads(body)
        change(data)
        conn.execute(f"UPDATE {table} SET body = ? WHERE id = ?", (json.dumps(data), row_id))


def _sessions_and_row(problems: list[str], session_words: str, row_words: str) -> list[str]:
    """The problems naming a session (each must say ``session_words``), after checking that
    exactly one other names the edited row itself (the ledger's binding of it)."""
    (row,) = [p for p in problems if not p.startswith("session ")]
    assert row_words in row, row
    sessions = [p for p in problems if p.startswith("session ")]
    assert all(session_words in p for p in sessions), sessions
    return sessions


def test_altered_protocol_is_detected(tmp_path: Path) -> None:
    path = _demo(tmp_path)

    def loosen(data: dict) -> None:  # type: ignore[type-arg]
        data["alerts"]["pause"]["systolic_max"] = 220

    _edit(path, "protocols", loosen)
    with Store(path) as store:
        problems = store.verify()
    sessions = _sessions_and_row(
        problems, "protocol version 1 was altered", "was changed behind the application's back"
    )
    assert len(sessions) == 8  # every session ran under that version


def test_altered_course_order_is_detected(tmp_path: Path) -> None:
    path = _demo(tmp_path)

    def raise_dose(data: dict) -> None:  # type: ignore[type-arg]
        data["mg_per_kg"] = 1.0

    _edit(path, "course_orders", raise_dose)
    with Store(path) as store:
        problems = store.verify()
    sessions = _sessions_and_row(
        problems,
        "course order was altered after it was signed",
        "was changed behind the application's back",
    )
    assert sessions


def test_a_later_protocol_field_does_not_make_old_sessions_look_altered(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # A later release adds a setting with a default: today's model then dumps one key more
    # than the stored body. The check is over the stored text, so nothing looks altered.
    from bedside.protocol import Protocol

    path = _demo(tmp_path)
    real_dump = Protocol.model_dump

    def dump_with_new_setting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        data = real_dump(self, *args, **kwargs)
        data["monitoring"] = {**data["monitoring"], "min_days_between_infusions": 1}
        return data

    monkeypatch.setattr(Protocol, "model_dump", dump_with_new_setting)
    with Store(path) as store:
        assert store.verify() == []


def test_a_later_course_order_field_does_not_break_its_signature(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from bedside.course import CourseOrder

    path = _demo(tmp_path)
    real_dump = CourseOrder.model_dump

    def dump_with_new_field(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return {**real_dump(self, *args, **kwargs), "review_date": None}

    monkeypatch.setattr(CourseOrder, "model_dump", dump_with_new_field)
    with Store(path) as store:
        assert store.verify() == []
