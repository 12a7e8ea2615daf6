"""Who printed what (issue 12, item 7): every summary or log that leaves Bedside is written to
the clinic's audit log (bound into the ledger), saying who printed it, what (the session or
patient, the kind, the record hashes printed), how (saved to a path, opened, sent to a printer)
and when (the ``printed_at`` on the page; the row's own time is the real one).

The row comes first. A file appears at its destination only after its row is committed (it is
written beside it and renamed into place after); the app hands a copy to the viewer or the
printer only after. When the row cannot be written nothing is handed out and
:class:`ExportNotAudited` says why, so no PDF leaves silently without its row.
"""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from bedside.clock import Clock
from bedside.errors import BedsideError
from bedside.ids import UserId
from bedside.people import User
from bedside.private_files import sync_folder, write_private
from bedside.state import SessionState
from bedside.store import Store

log = logging.getLogger(__name__)


class ExportKind(StrEnum):
    """What was handed out."""

    SESSION_SUMMARY = "session summary"
    COURSE_SUMMARY = "course summary"
    SESSION_LOG = "session event log"


class ExportNotAudited(BedsideError):
    """The audit row of an export could not be written: nothing was handed out."""


@dataclass(frozen=True)
class PrintedBy:
    """Who prints: a Bedside account (signed in, or named with ``--as`` and its password), or
    the command line without one, named by the operating-system user running it."""

    user: User | None = None
    os_user: str = ""

    @property
    def text(self) -> str:
        """What the footer says after "by": the account's printed name, or "command line (OS
        user NAME)", which no Bedside account's name can be mistaken for."""
        if self.user is not None:
            return self.user.display_name
        return f"command line (OS user {self.os_user})"

    @property
    def actor(self) -> UserId | None:
        """The audit row's actor: the account's id (None for the command line)."""
        return self.user.id if self.user is not None else None


@dataclass(frozen=True)
class Export:
    """One summary or log about to be handed out: its kind, the session or patient it is
    about, who prints it and when, and the record hashes it carries (session id → hash)."""

    kind: ExportKind
    subject: str
    by: PrintedBy
    printed_at: datetime
    record_hashes: Mapping[str, str] = field(default_factory=dict)
    draft: bool = False

    @classmethod
    def of_session(
        cls, kind: ExportKind, state: SessionState, by: PrintedBy, printed_at: datetime
    ) -> Export:
        """A session's summary or event log; a draft while it is not signed (as stamped)."""
        session_id = state.session_id
        return cls(
            kind=kind,
            subject=session_id,
            by=by,
            printed_at=printed_at,
            record_hashes={session_id: state.head_hash},
            draft=state.signed is None,
        )

    def detail(self, how: str) -> dict[str, Any]:
        """The audit row's detail: who, what, how and when."""
        about = "patient_id" if self.kind is ExportKind.COURSE_SUMMARY else "session_id"
        detail: dict[str, Any] = {
            "printed_by": self.by.text,
            "kind": self.kind.value,
            about: self.subject,
            "how": how,
            "printed_at": self.printed_at.isoformat(),
            "record_hashes": dict(self.record_hashes),
        }
        if self.kind is not ExportKind.COURSE_SUMMARY:
            detail["draft"] = self.draft
        return detail


class ExportLog:
    """Writes exports to the clinic's audit log (see the module's notes on the order)."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def record(self, export: Export, how: str) -> None:
        """Write the row of ``export`` handed out ``how`` ("saved to PATH", "opened …").

        Raises
        ------
        ExportNotAudited
            When the database refuses the row (read-only, full, busy): hand nothing out.
        """
        self._write(export, export.detail(how), failed=False)

    def failed(self, export: Export, how: str, reason: str) -> bool:
        """A hand-out that failed after its row was written (a print service refusing the
        job): a second row says so, so the log does not claim a printout that never was.
        Returns False when that row could not be written either (the caller is already
        reporting the failure, and nothing was handed out)."""
        try:
            self._write(export, {**export.detail(how), "reason": reason}, failed=True)
        except ExportNotAudited:
            return False
        return True

    def save(self, export: Export, path: Path, data: bytes) -> Path:
        """Write ``data`` to ``path`` (owner-only) only once its audit row is written: staged
        beside ``path`` first (a write that fails leaves nothing and writes no row), then the
        row, then renamed into place.

        Raises
        ------
        ExportNotAudited
            The row could not be written: the staged file is removed, ``path`` is untouched.
        OSError
            The file could not be written (nothing was recorded).
        """
        path = Path(path)
        if path.is_dir():
            raise IsADirectoryError(21, "Is a folder", str(path))
        staged = path.with_name(f".{path.name}.{secrets.token_hex(4)}.staged")
        write_private(staged, data)
        how = f"saved to {path.resolve()}"
        try:
            self.record(export, how)
            os.replace(staged, path)
        except BaseException as exc:
            staged.unlink(missing_ok=True)
            if isinstance(exc, OSError):  # the row is written: say the file never arrived
                self.failed(export, how, exc.strerror or str(exc))
            raise
        sync_folder(path.parent)
        return path

    def _write(self, export: Export, detail: dict[str, Any], *, failed: bool) -> None:
        try:
            self.store.add_export_entry(export.by.actor, detail, at=self.clock.now(), failed=failed)
        except sqlite3.Error as exc:
            log.exception("export not audited: %s of %s", export.kind.value, export.subject)
            raise ExportNotAudited(
                f"the audit log could not be written ({exc}), so the {export.kind.value} was "
                "not handed out"
            ) from exc
        # The way it left in one word (a saved file's name may carry the patient's name).
        log.info(
            "export %s%s of %s by user=%s (%s)",
            export.kind.value,
            " FAILED" if failed else "",
            export.subject,
            export.by.actor or "-",
            str(detail.get("how", "")).split(" ", 1)[0] or "-",
        )
