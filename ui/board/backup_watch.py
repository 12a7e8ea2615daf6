"""The backup schedule while the app runs (issue 13 item 4): a backup at start, then whenever the
policy says one is due (every few hours) and after each sign-off; the status bar shows the last
good backup and the next, and turns to a warning when the last good one is older than the policy
allows or a backup failed. The backups themselves are made and judged in :mod:`bedside.backups`.

A backup runs on the GUI thread between ticks: SQLite's online backup of a clinic database takes
well under a second, and the connection must not be shared with a worker thread.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow

from bedside.backups import BackupNote, BackupPolicy, last_good, make_backup, next_due, overdue
from bedside.clock import Clock
from bedside.errors import BedsideError
from bedside.service import ChartService
from bedside.timeutil import local_text
from ui.common import status_label

log = logging.getLogger(__name__)

TICK_MS = 60_000
"""How often the schedule is looked at (a sign-off is backed up within a minute)."""


class BackupWatch(QObject):
    """Makes the scheduled backups and says how they stand in ``label``."""

    def __init__(self, service: ChartService, clock: Clock, label: QLabel) -> None:
        super().__init__(label)
        self.service, self.clock, self.label = service, clock, label
        self.sign_offs = -1  # unknown: the start's backup sets it
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)

    def policy(self) -> BackupPolicy:
        """The clinic's backup settings, read afresh (an admin may change them)."""
        return BackupPolicy.for_store(self.service.store)

    def start(self) -> None:
        """The backup at start, then the ticks."""
        self.run("start of the app")
        self.timer.start()

    def tick(self) -> None:
        """A backup when one is due, or after a sign-off since the last one."""
        try:
            policy = self.policy()
        except BedsideError as exc:
            self._say(f"Backups: {exc}", problem=True)
            return
        now = self.clock.now()
        if self.service.store.sign_off_count() != self.sign_offs:
            self.run("after a sign-off")
        elif next_due(policy, last_good(policy.folder, policy.database_id), now) <= now:
            self.run("scheduled")
        else:
            self.show(policy)

    def run(self, reason: str) -> BackupNote | None:
        """Make one backup now; a failure is said on the board and logged, never raised."""
        try:
            policy = self.policy()
            self.sign_offs = self.service.store.sign_off_count()
            note = make_backup(self.service.store, policy, self.clock.now(), reason)
        except (BedsideError, OSError) as exc:
            log.error("backup failed (%s): %s", reason, exc)
            self._say(f"Backup FAILED: {exc}", problem=True)
            return None
        if not note.good:
            self._say(f"Backup FAILED verification ({note.path.name}): call IT", problem=True)
            return note
        self.show(policy)
        return note

    def show(self, policy: BackupPolicy) -> None:
        """The last good backup and the next, or the warning."""
        now = self.clock.now()
        last = last_good(policy.folder, policy.database_id)
        warning = overdue(policy, last, now)
        if warning is not None:
            self._say(f"⚠ {warning}", problem=True)
            return
        assert last is not None
        tz = self.service.timezone
        due = next_due(policy, last, now)
        self._say(
            f"Last good backup {local_text(last.made_at, tz, '%H:%M')} · next "
            f"{local_text(due, tz, '%H:%M')}",
            problem=False,
        )
        self.label.setToolTip(f"{last.path} — ledger head {last.ledger_head}")

    def _say(self, text: str, *, problem: bool) -> None:
        status_label.say(self.label, text, problem=problem)


def install(window: QMainWindow, service: ChartService, clock: Clock) -> BackupWatch:
    """Put the backup status in ``window``'s status bar and start the schedule (after the board
    shows: the first backup does not hold up the start)."""
    label = QLabel()
    label.setObjectName("backupStatus")
    window.statusBar().addPermanentWidget(label)
    watch = BackupWatch(service, clock, label)
    QTimer.singleShot(0, watch.start)
    return watch
