"""Local migrations of the several-workstations work that no longer fit beside the others in
:mod:`bedside.store.migrations` (which registers them, in order). Never edit one that has
landed: add a new one."""

from __future__ import annotations

from sqlite_utils import Database

_HOLDS_APPEND_ONLY = """
CREATE TRIGGER session_holds_no_update BEFORE UPDATE ON session_holds
BEGIN SELECT RAISE(ABORT, 'session_holds rows are append-only'); END;
CREATE TRIGGER session_holds_no_delete BEFORE DELETE ON session_holds
BEGIN SELECT RAISE(ABORT, 'session_holds rows are append-only and cannot be deleted'); END;
CREATE TRIGGER session_holds_no_replace BEFORE INSERT ON session_holds
WHEN EXISTS (SELECT 1 FROM session_holds WHERE session_id = NEW.session_id
             AND epoch = NEW.epoch)
BEGIN SELECT RAISE(ABORT, 'session_holds rows are append-only and cannot be replaced'); END;
"""


def m011_session_holds(db: Database) -> None:
    """Why: on a clinic server one workstation at a time charts a session (issue 14); the
    others show it read-only and may take it over. Each workstation keeps what it heard of the
    holds, so the rule holds offline too: the highest epoch is the holder. Epoch 0 is a
    session received from another workstation before its hold was heard (held there); no row
    at all is a session opened here (held here)."""
    db.table("session_holds").create(
        {
            "session_id": str,
            "epoch": int,
            "workstation": str,
            "taken_by": str,
            "taken_at": str,
        },
        pk=("session_id", "epoch"),
        not_null={"workstation", "taken_by", "taken_at"},
        strict=True,
    )
    db.executescript(_HOLDS_APPEND_ONLY)
