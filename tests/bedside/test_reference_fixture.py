"""A session log written by an earlier build still imports with the same hashes and numbers.

``tests/fixtures/reference_session.json`` is the issue's reference session, exported once and
committed. If hashing, canonical JSON or a payload model changes incompatibly, old logs (and
backups of single sessions) would stop importing: this test says so first.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest

from bedside.eventlog import export_session, import_log, parse_log, to_json
from bedside.events import AlertRaised, DosePlanned
from bedside.rules import controlled, discharge
from bedside.state import fold
from bedside.store import Store
from tests.importing import receiving_admin

FIXTURE = Path(__file__).parent.parent / "fixtures" / "reference_session.json"
START = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


@pytest.fixture
def imported(tmp_path: Path) -> Store:
    store = Store(tmp_path / "fixture.db")
    log = parse_log(FIXTURE.read_text(encoding="utf-8"))
    import_log(
        store, log, now=START + timedelta(days=1), authors_confirmed_by=receiving_admin(store)
    )
    return store


def test_committed_log_imports_and_verifies(imported: Store) -> None:
    assert imported.verify() == []
    (header,) = imported.all_sessions()
    log = parse_log(FIXTURE.read_text(encoding="utf-8"))
    assert imported.head_hash(header.id) == log.events[-1].hash
    again = export_session(imported, header.id, now=log.exported_at)
    assert to_json(again) + "\n" == FIXTURE.read_text(encoding="utf-8")


def test_committed_log_has_the_reference_numbers(imported: Store) -> None:
    (header,) = imported.all_sessions()
    state = fold(imported.events(header.id))
    protocol = imported.protocol(header.protocol_id)
    plan = cast(DosePlanned, state.dose_plan.payload)  # type: ignore[union-attr]
    assert (plan.dose_mg, plan.drug_volume_ml, plan.rate_ml_h) == (36.0, 3.6, 155.4)
    (alert,) = state.alerts.values()
    assert cast(AlertRaised, alert.raised.payload).level.value == "pause"
    assert alert.raised.clinical_time == START + timedelta(minutes=50)  # infusion start + 30
    record = controlled.reconcile(state, protocol)
    assert (record.drawn_mg, record.infused_mg, record.wasted_mg) == (50.0, 36.0, 14.0)
    ready = discharge.first_ready_time(state, protocol, until=START + timedelta(hours=6))
    assert ready == START + timedelta(minutes=100)
    assert state.locked
