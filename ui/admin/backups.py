"""Admin ▸ Backups: the backups of this database as the schedule made them (issue 13 item 4),
the last good one with its time and ledger head, when the next is due, a backup made now, and
how to restore one.

Backups are made and judged in :mod:`bedside.backups`; this screen only lists their notes.
"Restore this backup…" asks the admin's password and hands the request back to the board
(:mod:`ui.admin.restore_in_app`: the app lets go of its database, restores, reports and
closes); the screen also gives the same restore as a command (``bedside restore``), for IT.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bedside.backups import (
    BackupNote,
    BackupPolicy,
    default_folder,
    last_good,
    make_backup,
    next_due,
    notes_in,
)
from bedside.clock import Clock
from bedside.errors import BedsideError
from bedside.people import User
from bedside.service import ChartService
from bedside.timeutil import local_text
from ui.admin.restore_in_app import RestoreConfirmDialog, RestoreRequest, preflight
from ui.common import operations
from ui.common.lock_gate import SurvivesLock
from ui.common.table_model import Index, RowTableModel


def bedside_command() -> str:
    """How to run ``bedside`` on this computer: the name when it is on PATH (an installed app),
    else the full path of the one beside this Python (a developer's ``.venv/bin/bedside``), so a
    copied command runs as it is."""
    found = shutil.which("bedside")
    if found is not None:
        return "bedside"
    beside = Path(sys.executable).parent / "bedside"
    return f"'{beside}'" if beside.exists() else "bedside"


def status_words(note: BackupNote) -> str:
    """ "verified", "FAILED verification", or "CHANGED since it was made"."""
    if note.problems:
        return "FAILED verification"
    return "verified" if note.good else "CHANGED since it was made (or missing)"


class BackupsModel(RowTableModel[BackupNote]):
    """One row per backup, newest first."""

    headers = ("Made", "Why", "Status", "Ledger entry", "File")

    def __init__(self, timezone: str) -> None:
        super().__init__()
        self.timezone = timezone

    def show(self, notes: list[BackupNote]) -> None:
        """Replace the rows (newest first)."""
        self._set_rows(list(reversed(notes)))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        note = self._row_of(index)
        if note is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        seq = note.ledger_head.partition(":")[0]
        return (
            local_text(note.made_at, self.timezone, "%Y-%m-%d %H:%M"),
            note.reason,
            status_words(note),
            seq,
            note.path.name,
        )[index.column()]

    def note_at(self, row: int) -> BackupNote | None:
        """The backup shown on ``row``."""
        return self._row_of(self.index(row, 0))


class BackupsDialog(SurvivesLock):
    """The list, the last good backup and the next, "Back up now" and how to restore."""

    def __init__(
        self, service: ChartService, user: User, clock: Clock, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service, self.user, self.clock = service, user, clock
        self.setWindowTitle("Backups")
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("backupSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.model = BackupsModel(service.timezone)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)  # the file name, whole
        layout.addWidget(self.table)
        self.restore_help = QLabel()
        self.restore_help.setObjectName("restoreHelp")
        self.restore_help.setWordWrap(True)
        self.restore_help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.restore_help)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.now_button = QPushButton("Back up now")
        self.now_button.setObjectName("backupNow")
        buttons.addButton(self.now_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button = QPushButton("Restore this backup…")
        self.restore_button.setObjectName("restoreBackup")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self.ask_restore)
        self.restore_request: RestoreRequest | None = None
        """Set when the admin confirmed a restore: the board carries it out after this closes."""
        self.copy_button = QPushButton("Copy restore command")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.now_button.clicked.connect(self.back_up_now)
        self.copy_button.clicked.connect(self.copy_restore_command)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._restore_words())
        layout.addWidget(buttons)
        self.setMinimumSize(720, 420)
        self.refresh()

    def policy(self) -> BackupPolicy:
        """The clinic's backup settings."""
        return BackupPolicy.for_store(self.service.store)

    def refresh(self) -> None:
        """Re-read the folder and say how backups stand."""
        try:
            policy = self.policy()
        except BedsideError as exc:
            self.summary.setText(str(exc))
            return
        notes = notes_in(policy.folder, policy.database_id)
        # Backups made before an admin chose another folder stay where they were (the
        # schedule never retires them there): still listed, still restorable.
        earlier_folder = default_folder(self.service.store.path)
        earlier = (
            notes_in(earlier_folder, policy.database_id) if earlier_folder != policy.folder else []
        )
        self.model.show(sorted([*notes, *earlier], key=lambda n: n.made_at))
        last = last_good(policy.folder, policy.database_id)
        tz = self.service.timezone
        if last is None:
            text = f"No good backup yet in {policy.folder}."
        else:
            due = next_due(policy, last, self.clock.now())
            text = (
                f"Last good backup: <b>{local_text(last.made_at, tz, '%Y-%m-%d %H:%M')}</b>, "
                f"ledger head {last.ledger_head} (check a database against it with "
                f"<b>bedside verify --against</b>).<br/>Next scheduled: "
                f"{local_text(due, tz, '%Y-%m-%d %H:%M')}, and after each sign-off. "
                f"Folder: {policy.folder}"
            )
        if earlier:
            text += (
                f"<br/>Also listed: {len(earlier)} earlier backup(s) in {earlier_folder}, made "
                "before the backup folder was changed (kept there; the schedule leaves them be)."
            )
        self.summary.setText(text)
        self._restore_words()

    def back_up_now(self) -> None:
        """A backup now, noted as made by hand by the signed-in person."""

        def run() -> bool:
            make_backup(
                self.service.store,
                self.policy(),
                self.clock.now(),
                f"by hand, {self.user.display_name}",
            )
            return True

        operations.run(self, run)
        self.refresh()

    def ask_restore(self) -> None:
        """Confirm the chosen backup's restore with the admin's password, then close so the
        board can let go of the database (nothing is restored while this screen is open)."""
        note = self.chosen()
        if note is None:
            return
        check = preflight(self.service, self.user, note.path)
        request = RestoreConfirmDialog.ask(
            note, self.service.store.path, self.service.timezone, self, check
        )
        if request is not None:
            self.restore_request = request
            self.accept()

    def chosen(self) -> BackupNote | None:
        """The selected backup, or the last good one."""
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return self.model.note_at(rows[0].row())
        policy = self.policy()
        return last_good(policy.folder, policy.database_id)

    def restore_command(self) -> str:
        """The command that restores the chosen backup over this database."""
        note = self.chosen()
        if note is None:
            return ""
        return f"{bedside_command()} restore '{note.path}' --db '{self.service.store.path}'"

    def _restore_words(self) -> None:
        command = self.restore_command()
        self.restore_button.setEnabled(bool(command))
        self.restore_help.setText(
            "“Restore this backup…” restores the one chosen (the last good one if none is "
            "chosen) from here: it verifies it first, keeps the replaced database aside, lists "
            "what that held beyond the backup, then closes Bedside. The same from a terminal, "
            f"with Bedside closed on this workstation:<br/><code>{command}</code>"
            if command
            else "There is no backup to restore yet."
        )

    def copy_restore_command(self) -> None:
        """The restore command to the clipboard (to paste into a terminal after closing)."""
        QGuiApplication.clipboard().setText(self.restore_command())
