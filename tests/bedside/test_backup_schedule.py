"""Scheduled, verified backups with a retention rule (issue 13 item 4), on an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bedside.backups import (
    BackupPolicy,
    last_good,
    make_backup,
    next_due,
    notes_in,
    overdue,
)
from bedside.errors import InputRejected
from bedside.store import Store
from ui.demo import build_demo

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "clinic.db")
    build_demo(s, datetime(2026, 11, 24, 18, 0, tzinfo=UTC))
    return s


def test_a_backup_is_verified_noted_with_its_ledger_head_and_good(
    store: Store, tmp_path: Path
) -> None:
    policy = BackupPolicy(tmp_path / "backups")
    note = make_backup(store, policy, T0, "start of the app")
    head = store.ledger_head()
    assert note.good
    assert note.ledger_head == f"{head.seq}:{head.hash}"
    assert note.path.name == "bedside-20261102T090000Z.db"
    assert (note.path.stat().st_mode & 0o777) == 0o600
    assert last_good(policy.folder) == note
    with Store(note.path) as copy:
        assert copy.verify() == []


def test_a_backup_changed_afterwards_is_no_longer_good(store: Store, tmp_path: Path) -> None:
    policy = BackupPolicy(tmp_path / "backups")
    first = make_backup(store, policy, T0 - timedelta(days=1), "scheduled")  # kept: its day's
    second = make_backup(store, policy, T0, "scheduled")
    with open(second.path, "r+b") as handle:  # bit rot, or an edit
        handle.seek(5000)
        handle.write(b"\x00\x01\x02")
    assert last_good(policy.folder) == first


def test_retention_keeps_the_newest_of_each_day_and_week(store: Store, tmp_path: Path) -> None:
    policy = BackupPolicy(tmp_path / "backups", keep_daily=3, keep_weekly=2, keep_recent_hours=0)
    made = []
    for day in range(21):  # three weeks, two backups a day
        for hour in (9, 15):
            now = T0 + timedelta(days=day, hours=hour - 9)
            made.append(make_backup(store, policy, now, "scheduled"))
    kept = {n.made_at for n in notes_in(policy.folder)}
    last_days = {T0 + timedelta(days=d, hours=6) for d in (18, 19, 20)}
    # ISO weeks of 2026-11-02: the newest of the last two weeks are 2026-11-15 and 11-22 15:00.
    last_weeks = {T0 + timedelta(days=13, hours=6), T0 + timedelta(days=20, hours=6)}
    assert kept == last_days | last_weeks
    assert all(n.path.exists() == (n.made_at in kept) for n in made)
    assert last_good(policy.folder) == made[-1]


def test_every_backup_of_the_last_day_is_kept(store: Store, tmp_path: Path) -> None:
    policy = BackupPolicy(tmp_path / "backups")
    made = [
        make_backup(store, policy, T0 + timedelta(hours=h), "scheduled") for h in range(0, 32, 4)
    ]
    # Newest at +28 h (3 Nov 13:00): the 24 hours before it are kept whole; of 2 Nov before
    # them, only that day's newest (21:00, itself recent) stays.
    assert [n.made_at for n in notes_in(policy.folder)] == [n.made_at for n in made[2:]]
    make_backup(store, policy, T0 + timedelta(hours=52), "scheduled")  # 4 Nov 13:00
    kept = [n.made_at for n in notes_in(policy.folder)]
    assert kept == [T0 + timedelta(hours=h) for h in (12, 28, 52)]  # the newest of each day


def test_the_schedule_is_due_and_the_board_warns_when_it_slips(
    store: Store, tmp_path: Path
) -> None:
    policy = BackupPolicy(tmp_path / "backups", every_hours=4, warn_after_hours=26)
    assert next_due(policy, None, T0) == T0
    assert overdue(policy, None, T0) == "No good backup of this database exists yet."
    note = make_backup(store, policy, T0, "scheduled")
    assert next_due(policy, note, T0) == T0 + timedelta(hours=4)
    assert overdue(policy, note, T0 + timedelta(hours=26)) is None
    words = overdue(policy, note, T0 + timedelta(hours=30))
    assert words is not None
    assert words.startswith("The last good backup is 30 hours old")


def test_the_policy_comes_from_the_clinic_settings(tmp_path: Path) -> None:
    settings = {"backup_folder": "/mnt/second-disk/bedside", "backup_every_hours": "2"}
    policy = BackupPolicy.from_settings(
        lambda key, default: settings.get(key, default), tmp_path / "clinic.db"
    )
    assert policy.folder == Path("/mnt/second-disk/bedside")
    assert policy.every_hours == 2
    assert policy.keep_daily == 7
    beside = BackupPolicy.from_settings(lambda key, default: default, tmp_path / "bedside.db")
    assert beside.folder == tmp_path / "backups"
    # Any other file beside it (the demo's) backs up into a folder of its own: the demo's
    # backups in the clinic's folder were once restorable over the clinic's database.
    demo = BackupPolicy.from_settings(lambda key, default: default, tmp_path / "demo.db")
    assert demo.folder == tmp_path / "demo-backups"
    with pytest.raises(InputRejected, match="not a number"):
        BackupPolicy.from_settings(
            lambda key, default: "often" if key == "backup_every_hours" else default,
            tmp_path / "clinic.db",
        )
