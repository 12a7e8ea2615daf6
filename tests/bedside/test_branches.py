"""The fold of a session charted on two branches (issue 14, ``bedside.branches``), without a
server: two copies of one clinic file chart the same session apart, and each folds its own
line with the other's new entries — the same entries in the same order on both, independent
entries merged in clinical-time order, the other branch's judged steps held out until a
resolution, and a session on one line folded exactly as before."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bedside.branches import fold_branches
from bedside.clock import FixedClock
from bedside.events import ChartEvent, Kind, Phase
from bedside.ids import SessionId
from bedside.service import ChartService
from bedside.state import fold
from bedside.store import Store
from ui.demo import build_demo

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
VITALS = {"systolic": 128, "diastolic": 78, "heart_rate": 80, "spo2": 98, "resp_rate": 14}


def _apart(tmp_path: Path) -> tuple[ChartService, ChartService, SessionId, int]:
    with Store(tmp_path / "a.db") as a:
        build_demo(a, NOW)
    shutil.copy(tmp_path / "a.db", tmp_path / "b.db")
    at_a = ChartService(Store(tmp_path / "a.db"), FixedClock(NOW + timedelta(minutes=8)))
    at_b = ChartService(Store(tmp_path / "b.db"), FixedClock(NOW + timedelta(minutes=9)))
    session = next(
        h.id for h in at_a.store.all_sessions() if at_a.state(h.id).phase is Phase.INFUSING
    )
    common = len(at_a.store.events(session))
    dana = at_a.accounts.authenticate("dana", "bedside-demo")
    sam = at_b.accounts.authenticate("sam", "bedside-demo")
    at_a.record_vitals(dana, session, clinical_time=NOW + timedelta(minutes=3), **VITALS)
    at_a.stop_infusion(dana, session, volume_infused_ml=10, completed=False, reason="pump alarm")
    at_b.record_vitals(sam, session, clinical_time=NOW + timedelta(minutes=1), **VITALS)
    at_b.add_note(sam, session, "patient asleep", clinical_time=NOW + timedelta(minutes=5))
    return at_a, at_b, session, common


def _new(service: ChartService, session: SessionId, common: int) -> list[ChartEvent]:
    return service.store.events(session)[common:]


def test_both_sides_fold_the_same_entries_in_the_same_order(tmp_path: Path) -> None:
    at_a, at_b, session, common = _apart(tmp_path)
    line_a, line_b = at_a.store.events(session), at_b.store.events(session)
    from_b, from_a = _new(at_b, session, common), _new(at_a, session, common)
    at_a_state = fold_branches(line_a, from_b)
    at_b_state = fold_branches(line_b, from_a)
    # The same record, each side's judged steps aside, in one order: clinical time across
    # branches (B's 1-minute vitals before A's 3-minute ones), each branch's own order kept.
    independent = [e.id for e in at_a_state.events if e.kind != Kind.INFUSION_STOPPED]
    assert independent == [e.id for e in at_b_state.events]
    merged = [e.clinical_time for e in at_b_state.events[common:]]
    assert merged == sorted(merged)
    assert at_a_state.phase is Phase.OBSERVING  # A's own stop stands at A …
    assert at_b_state.phase is Phase.INFUSING  # … and waits at B
    assert at_b_state.fork is not None
    assert [e.kind for e in at_b_state.fork.waiting_steps] == [Kind.INFUSION_STOPPED]
    assert at_b_state.fork.pending
    assert at_b_state.head_hash == line_b[-1].hash  # B's next entry follows B's own line


def test_a_session_on_one_line_folds_as_before(tmp_path: Path) -> None:
    at_a, _, session, _ = _apart(tmp_path)
    line = at_a.store.events(session)
    assert fold_branches(line) == fold(line)
    assert at_a.context(session).state.fork is None
