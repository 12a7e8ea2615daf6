"""A database made by an earlier release opens, migrates, proves itself and takes new charting
(issue 13 item 9). The fixture was made by commit 1f00e84, before migration 007."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.state import fold
from bedside.store import Store
from export.session_pdf import session_pdf

FIXTURE = Path(__file__).parents[1] / "fixtures" / "upgrade" / "demo_1f00e84.db"
BUILT_AT = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


def migrations(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY name")]


def test_the_previous_release_s_database_migrates_verifies_and_takes_new_entries(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "clinic.db"
    shutil.copyfile(FIXTURE, copy)
    before = migrations(copy)
    assert not any("m007" in name for name in before)  # really made before migration 007
    with Store(copy) as store:
        assert any("m007" in name for name in migrations(copy))
        assert store.verify() == []
        today = store.sessions_on(BUILT_AT.date())
        assert len(today) == 4
        service = ChartService(store, FixedClock(BUILT_AT))
        open_ = next(h for h in today if not fold(store.events(h.id)).locked)
        signed = next(h for h in today if fold(store.events(h.id)).locked)
        pdf = session_pdf(service, signed.id, printed_at=BUILT_AT, printed_by="upgrade test")
        assert pdf.startswith(b"%PDF")
        nurse = next(u for u in store.users() if u.username == "dana")
        service.add_note(nurse, open_.id, "Charted after the upgrade.")
        assert store.verify() == []
    with Store(copy) as store:  # and again after closing: nothing migrates twice
        assert store.verify() == []
        notes = fold(store.events(open_.id)).notes
        assert any("after the upgrade" in str(e.payload) for e in notes)
