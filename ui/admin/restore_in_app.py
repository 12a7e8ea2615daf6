"""Restoring a backup from Admin ▸ Backups (issue 13 item 4, issue 8's safe restore).

The app cannot replace a file it holds open, so the order is: the admin confirms with their
password (checked in the domain, with the role); the backup is verified while everything still
runs (a bad backup costs nothing); then Bedside lets go of its database — the session windows
close, the background check and the backup schedule stop, the connection closes — the restore
runs (:func:`bedside.store.restore_flow.restore_backup`: atomic, the replaced file kept aside,
an audit row, the anchor moved) and its report is shown, then Bedside closes and is started
again on the restored record. Nothing typed is lost on the way: every entry was saved when
it was made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from bedside.backups import BackupNote
from bedside.errors import BedsideError, StoreError
from bedside.people import Permission, User
from bedside.service import ChartService
from bedside.store.anchor import AnchorFile
from bedside.store.restore import backup_problems
from bedside.store.restore_flow import (
    BackupUnsound,
    RestoreOutcome,
    backup_of_another,
    restore_backup,
)
from bedside.timeutil import local_text
from ui.board.integrity_watch import IntegrityWatch
from ui.board.sync_watch import SyncWatch
from ui.common import operations
from ui.common.lock_gate import SurvivesLock
from ui.dialogs.text import ok_cancel

if TYPE_CHECKING:
    from ui.board.main_window import MainWindow


@dataclass(frozen=True)
class RestoreRequest:
    """What the admin confirmed: the backup and their password (checked by the domain)."""

    backup: Path
    password: str


class RestoreConfirmDialog(SurvivesLock):
    """What a restore does, in words, and the admin's password."""

    def __init__(
        self,
        note: BackupNote,
        db: Path,
        timezone: str,
        parent: QWidget | None,
        check: Callable[[str], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore a backup")
        self.check = check
        layout = QVBoxLayout(self)
        made = local_text(note.made_at, timezone)
        text = QLabel(
            f"<p>Restore the backup made <b>{made}</b> ({note.path.name}) in place of this "
            f"workstation's database ({db})?</p>"
            "<p>Bedside verifies the backup, closes every window, puts the backup in place and "
            f"keeps the current database beside it as <code>{db.name}.replaced-…</code>. It then "
            "lists anything charted after the backup (to print and chart again as late "
            "entries), and closes. Start it again to go on from the restored record.</p>"
            "<p>Accounts, clinic settings and the audit log go back to how they were in the "
            "backup.</p>"
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.explanation = text
        form = QFormLayout()
        self.password = QLineEdit()
        self.password.setObjectName("restorePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Your password", self.password)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("restoreMessage")
        self.message.setProperty("role", "danger")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "Restore and close Bedside"))
        self.password.setFocus()
        self.setMinimumWidth(520)

    def accept(self) -> None:
        """Stay open, saying why, while the domain refuses (a wrong password closed both this
        and the Backups screen, leaving the admin to start again from the menu)."""
        if self.check is not None:
            try:
                self.check(self.password.text())
            except BedsideError as exc:
                self.message.setText(str(exc))
                self.password.selectAll()
                self.password.setFocus()
                return
        super().accept()

    @classmethod
    def ask(
        cls,
        note: BackupNote,
        db: Path,
        timezone: str,
        parent: QWidget | None,
        check: Callable[[str], object] | None = None,
    ) -> RestoreRequest | None:
        """The confirmed request, or None when cancelled; ``check(password)`` (the domain's
        refusals) keeps the dialog open with its words."""
        dialog = cls(note, db, timezone, parent, check)
        if dialog.exec() != int(cls.DialogCode.Accepted):
            return None
        return RestoreRequest(note.path, dialog.password.text())


def preflight(service: ChartService, user: User, backup: Path) -> Callable[[str], object]:
    """What the confirmation checks before it closes: the role and password (the domain's),
    and that the backup is of this database."""

    def check(password: str) -> object:
        service.accounts.authorise(user, password, Permission.RESTORE_BACKUP, "restore a backup")
        refusal = backup_of_another(backup, service.store.path)
        if refusal:
            raise StoreError(refusal)
        return True

    return check


def restore_in_app(window: MainWindow, request: RestoreRequest) -> RestoreOutcome | None:
    """Carry out ``request`` (see the module). Returns the outcome, or None when refused or
    failed (said in a message; a refusal before the database is let go changes nothing)."""
    service, user = window.service, window.user

    def checked() -> bool:
        preflight(service, user, request.backup)(request.password)  # again, at the act
        with _busy():
            problems = backup_problems(request.backup)
        if problems:
            raise BackupUnsound(request.backup, problems)
        return True

    if operations.run(window, checked) is None:
        return None
    db, timezone = service.store.path, service.timezone  # read before the file is let go
    _let_go(window)
    try:
        outcome = restore_backup(
            request.backup,
            db,
            now=window.clock.now(),
            anchors=AnchorFile(),
            restored_by=(user.id, f"{user.display_name}, in Admin ▸ Backups"),
            already_verified=True,
        )
    except BedsideError as exc:
        tell(
            "The backup was not restored",
            f"{exc}\n\nBedside has closed its database. Start it again to go on.",
            problem=True,
        )
        _quit()
        return None
    from ui.admin.backups import bedside_command

    tell(
        "Backup restored",
        "\n".join(outcome.report(bedside_command(), timezone))
        + "\n\nBedside will now close. Start it again to go on from the restored record.",
        problem=bool(outcome.done.later or outcome.behind),
    )
    _quit()
    return outcome


def tell(title: str, text: str, *, problem: bool) -> None:
    """The outcome, in a message the admin closes (its text can be selected and copied: the
    commands in it are to be run)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning if problem else QMessageBox.Icon.Information, title, text
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


@contextmanager
def _busy() -> Iterator[None]:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def _let_go(window: MainWindow) -> None:
    """Close the windows, stop what runs in the background, close the database."""
    for watch in window.findChildren(IntegrityWatch):
        watch.stop()  # its thread reads the file about to be replaced
    for sync in window.findChildren(SyncWatch):
        sync.stop()  # its thread writes into it (and holds it open: the restore would refuse)
    for timer in window.findChildren(QTimer):
        timer.stop()  # the backup schedule, the board's ticker, the idle lock
    window.close()
    window.service.store.close()


def _quit() -> None:
    app = QCoreApplication.instance()
    if isinstance(app, QApplication):
        QTimer.singleShot(0, app.quit)
