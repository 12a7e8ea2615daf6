"""Exports in the audit log (issue 12, item 7): a row for every summary or log that leaves
Bedside, and the ledger head a printout carries, which those rows do not move."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bedside.ids import UserId
from bedside.store.anchor import LedgerHead
from bedside.store.base import StoreBase
from bedside.store.hashing import LEDGER_GENESIS

EXPORTED = "record_exported"
"""The audit action of a summary or log handed out (saved, opened, printed)."""

EXPORT_FAILED = "record_export_failed"
"""The audit action of a hand-out that failed after its row was written (a refused print)."""


class ExportStore(StoreBase):
    """Audit rows for exports, and the ledger head printed on a summary."""

    def add_export_entry(
        self, actor: UserId | None, detail: dict[str, Any], *, at: datetime, failed: bool = False
    ) -> None:
        """Write one export's audit row in its own transaction (``actor``: the Bedside account
        that printed, None for the command line without one; ``detail`` says who, what, how
        and when)."""
        with self._recording(at):
            self._audit(actor, EXPORT_FAILED if failed else EXPORTED, detail, at)

    def printout_head(self) -> LedgerHead:
        """The latest ledger entry that is not the audit row of an export.

        Every export writes such a row, which moves the ledger; a printout that carried the
        very latest head would therefore differ from the next printout of the same record.
        What a summary shows never depends on those rows, so the state it was printed from is
        the one before them (any ledger entry is a state ``verify --against`` accepts)."""
        row = self.conn.execute(
            """
            SELECT l.seq, l.hash FROM ledger AS l
            WHERE NOT (
                COALESCE(l.record, '') LIKE 'audit_log:%'
                AND EXISTS (
                    SELECT 1 FROM audit_log AS a
                    WHERE a.id = CAST(substr(l.record, 11) AS INTEGER)
                      AND a.action IN (?, ?)
                )
            )
            ORDER BY l.seq DESC LIMIT 1
            """,
            (EXPORTED, EXPORT_FAILED),
        ).fetchone()
        return LedgerHead(int(row[0]), str(row[1])) if row else LedgerHead(0, LEDGER_GENESIS)
