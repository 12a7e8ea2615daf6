"""The full integrity check, after the board shows (issue 13 item 5).

The app opens its database after SQLite's quick check only; the full check
(:func:`bedside.store.integrity.full_check`) runs here on a worker thread with a read-only
connection of its own, and reports through a signal to the main window. A failure puts a red
banner above the board, saying to stop charting and call IT, and is logged. Quitting while it
runs interrupts it (``sqlite3_interrupt``), so a start-up check never holds the app open.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from bedside.backups import BackupPolicy, last_good
from bedside.errors import BedsideError
from bedside.store.integrity import FullCheck, newest_backup

log = logging.getLogger("bedside.integrity")


class _CheckThread(QThread):
    """Runs the full check; ``checked`` carries its problems (``None``: did not finish)."""

    checked = Signal(object)

    def __init__(self, db: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job = FullCheck(db, retry_pause=self._pause)
        self.seconds = 0.0

    def _pause(self) -> None:
        """Between two interrupts of a stop (the app quitting): until this thread has ended, at
        most 10 ms. A blind 10 ms sleep was paid in full by every quit that came while the check
        ran, a quit right after the board shows (bench app_cold_start_smoke) among them."""
        self.wait(10)

    def run(self) -> None:
        started = time.perf_counter()
        problems = self.job.run()
        self.seconds = time.perf_counter() - started
        self.checked.emit(problems)


def banner_text(
    db: Path, problems: list[str], backups: Path | None = None, database_id: str = ""
) -> str:
    """What the banner says: what failed, to stop charting and call IT, and which backup: the
    last good one of the schedule's folder ``backups`` (verified when made, unchanged since),
    else the newest ``bedside backup`` file beside the database."""
    found = "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)" if problems[3:] else "")
    good = last_good(backups, database_id) if backups is not None else None
    if good is not None:
        return (
            f"The database failed its full integrity check: {found}. Stop charting on this "
            f"workstation and call IT; the last good backup is {good.path} (made "
            f"{good.made_at:%Y-%m-%d %H:%M} UTC, verified, ledger head {good.ledger_head}): "
            f"an admin restores it from Admin ▸ Backups. Database: {db}."
        )
    backup = newest_backup(db)
    where = (
        f"the last backup beside the database is {backup.words()}; IT checks it with "
        f"'bedside verify --db {backup.path}' before restoring it"
        if backup is not None
        else f"no backup was found beside the database in {db.parent}: IT knows where "
        "the clinic's backups are kept"
    )
    return (
        f"The database failed its full integrity check: {found}. Stop charting on this "
        f"workstation and call IT; {where}. Database: {db}."
    )


class IntegrityWatch(QObject):
    """Starts the full check for ``window``'s database and shows a banner if it fails."""

    finished = Signal(object)
    """The problems found (empty: sound), or ``None`` if the check did not finish."""

    def __init__(self, window: QMainWindow, db: Path) -> None:
        super().__init__(window)
        self.window = window
        self.db = db
        self.banner: QLabel | None = None
        self.check = _CheckThread(db, self)
        self.check.checked.connect(self._checked)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    def start(self) -> None:
        """Begin the check (the board is already shown)."""
        log.info("full integrity check of %s started", self.db)
        self.check.start(QThread.Priority.LowPriority)

    def stop(self) -> None:
        """Stop a check still running and wait for its thread (quitting)."""
        if self.check.isRunning():
            log.info("full integrity check of %s stopped: the app is quitting", self.db)
        self.check.job.stop()
        self.check.wait()

    def _checked(self, problems: list[str] | None) -> None:
        if problems is None:
            log.warning("full integrity check of %s did not finish", self.db)
        elif problems:
            log.error("full integrity check of %s FAILED: %s", self.db, "; ".join(problems))
            policy = self._backup_policy()
            folder, database_id = (policy.folder, policy.database_id) if policy else (None, "")
            self._show_banner(banner_text(self.db, problems, folder, database_id))
        else:
            log.info("full integrity check of %s passed in %.1f s", self.db, self.check.seconds)
        self.finished.emit(problems)

    def _backup_policy(self) -> BackupPolicy | None:
        """The scheduled backups' folder and whose they are (None when unknown)."""
        service = getattr(self.window, "service", None)
        if service is None:
            return None
        try:
            return BackupPolicy.for_store(service.store)
        except BedsideError:
            return None

    def _show_banner(self, text: str) -> None:
        """A red banner above everything the window shows (the board and the lock screen)."""
        if self.banner is None:
            self.banner = QLabel()
            self.banner.setObjectName("verificationBanner")  # the red banner of the theme
            self.banner.setWordWrap(True)
            inner = self.window.takeCentralWidget()
            holder = QWidget()
            layout = QVBoxLayout(holder)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(self.banner)
            if inner is not None:
                layout.addWidget(inner, 1)
                inner.show()  # taken out of the window, it was hidden
            self.window.setCentralWidget(holder)
            holder.show()
        self.banner.setText(text)
        self.banner.show()


def watch_integrity(window: QMainWindow, db: Path) -> IntegrityWatch:
    """Run the full integrity check of ``db`` in the background for ``window`` (its child)."""
    watch = IntegrityWatch(window, db)
    watch.start()
    return watch
