"""Issue 11, item 4: every summary PDF carries the ledger head it was printed from, and
``bedside verify --against`` accepts it as printed: the database it came from passes, an older
copy of it (made before the last entry) does not."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from cli_support import NOW, run, text_of

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.state import fold
from bedside.store import Store


def test_the_printed_ledger_head_proves_a_database_still_holds_the_printout(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, older = tmp_path / "clinic.db", tmp_path / "older.db"
    with Store(demo_db) as store:
        store.backup(db)
    shutil.copyfile(db, older)
    older.chmod(0o600)
    with Store(db) as store:
        service = ChartService(store, FixedClock(NOW))
        sid = next(h.id for h in store.all_sessions() if not fold(store.events(h.id)).locked)
        nurse = service.accounts.authenticate("dana", "bedside-demo")
        service.add_note(nurse, sid, "Escort arrived.")
        live = store.ledger_head()
    out = tmp_path / "summary.pdf"
    assert run(capsys, "--db", str(db), "export", "pdf", sid[:8], "-o", str(out))[0] == 0
    found = re.search(r"bedside verify --against (\d+):([0-9a-f]{64})", text_of(out))
    assert found, "the summary should print its ledger head"
    assert (int(found[1]), found[2]) == (live.seq, live.hash)
    head = f"{found[1]}:{found[2]}"

    code, _, err = run(capsys, "--db", str(db), "verify", "--against", head)
    assert code == 0, err
    code, _, err = run(capsys, "--db", str(older), "verify", "--against", head)
    assert code == 3
    assert "entries were lost" in err or "fewer" in err, err
