"""Issue 11, item 6 at the command line: exporting a record that fails verification writes the
stamped PDF and exits 3 with a warning, instead of exit 0 as if it were sound."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from cli_support import run, text_of

from bedside.store import Store


def test_an_altered_record_exports_stamped_and_exits_3(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "copy.db"
    with Store(demo_db) as store:
        store.backup(db)
        sid = store.all_sessions()[0].id
    conn = sqlite3.connect(db, isolation_level=None)
    create = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'chart_events_no_update'"
    ).fetchone()[0]
    conn.execute("DROP TRIGGER chart_events_no_update")
    changed = conn.execute(
        "UPDATE chart_events SET payload = replace(payload, '\"systolic\":13', '\"systolic\":11') "
        "WHERE session_id = ? AND kind = 'vitals_recorded'",
        (sid,),
    ).rowcount
    conn.execute(create)
    conn.close()
    assert changed
    out = tmp_path / "s.pdf"
    code, _, err = run(capsys, "--db", str(db), "export", "pdf", sid[:8], "-o", str(out))
    assert code == 3
    assert "FAILED VERIFICATION" in err
    assert "FAILED VERIFICATION" in text_of(out)
    sound = tmp_path / "sound.pdf"
    other = demo_db
    code, _, err = run(capsys, "--db", str(other), "export", "pdf", sid[:8], "-o", str(sound))
    assert code == 0, err
