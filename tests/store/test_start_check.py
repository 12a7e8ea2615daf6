"""The app's start check leaves the two big append-only tables to the full check in the
background (issue 13 item 5, :mod:`bedside.store.start_check`): a damaged page of
``chart_events`` or ``ledger`` does not stop the app opening (the full check finds it and the
board shows its banner: ``tests/ui/test_integrity_watch.py``), a damaged page of any other
table still does, and the command line's full check still refuses both."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bedside.errors import IntegrityError, StoreError
from bedside.store import Store
from bedside.store.integrity import full_check
from bedside.store.start_check import LEFT_TO_THE_FULL_CHECK, start_check_pragmas
from tests.store.support import Prebuilt


def damage_root_page(path: Path, table: str) -> None:
    """Overwrite the first page of ``table``'s b-tree with garbage (the file is closed)."""
    conn = sqlite3.connect(str(path))
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
    finally:
        conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    for offset in range(start, start + page_size):
        data[offset] = (offset * 37 + 11) % 256
    path.write_bytes(bytes(data))


def test_the_start_check_names_every_table_but_the_two_big_ones(
    signed_db: Prebuilt, tmp_path: Path
) -> None:
    conn = sqlite3.connect(str(signed_db.copy_to(tmp_path)))
    try:
        tables = {
            str(r[0]) for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")
        }
        pragmas = start_check_pragmas(conn)
    finally:
        conn.close()
    assert {"chart_events", "ledger"} == LEFT_TO_THE_FULL_CHECK
    assert tables >= LEFT_TO_THE_FULL_CHECK
    named = [p.removeprefix('PRAGMA quick_check("').removesuffix('")') for p in pragmas]
    assert named[0] == "sqlite_schema"
    assert sorted(named[1:]) == sorted(tables - LEFT_TO_THE_FULL_CHECK)


@pytest.mark.parametrize("table", sorted(LEFT_TO_THE_FULL_CHECK))
def test_a_damaged_big_table_opens_on_start_and_the_full_check_finds_it(
    demo_db: Prebuilt, tmp_path: Path, table: str
) -> None:
    path = demo_db.copy_to(tmp_path)
    damage_root_page(path, table)
    with Store(path, quick_check=True) as store:  # the app's start: the board can show
        assert store.users()
    problems = full_check(path)  # what the app runs in the background once it shows
    assert problems
    with pytest.raises(IntegrityError):
        Store(path)  # the command line's full check on open


@pytest.mark.parametrize("table", ["sessions", "users", "patients", "settings"])
def test_a_damaged_small_table_is_still_refused_on_start(
    demo_db: Prebuilt, tmp_path: Path, table: str
) -> None:
    path = demo_db.copy_to(tmp_path)
    damage_root_page(path, table)
    with pytest.raises(StoreError) as caught:
        Store(path, quick_check=True)
    assert "restore" in str(caught.value).lower()
