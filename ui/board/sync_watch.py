"""The clinic server in the status bar (issue 14): the background sync on a thread of its own,
and what it says — online, or offline since when with how many entries wait (charting goes on
into this workstation's file meanwhile), and the entries from other workstations waiting for a
clinician. When entries arrive the board redraws at once, not at its next tick."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QLabel

from bedside.clock import Clock
from bedside.ids import SessionId, UserId
from bedside.service import ChartService
from bedside.store.server import SERVER_URL_SETTING
from bedside.timeutil import local_text
from ui.common import status_label

if TYPE_CHECKING:
    from bedside.store.server.background import SyncStatus
    from bedside.store.server.holds import Hold
    from ui.board.main_window import MainWindow

IDLE_S = 0.5
"""How often an idle workstation looks for its own new entries to send (news from the others
wakes it at once): an entry reaches the other boards in about this long."""


def status_words(status: SyncStatus, timezone: str) -> str:
    """The status bar's words for ``status``."""
    if status.online:
        text = "Clinic server: online"
        if status.waiting:
            text += f" · sending {status.waiting}"
    else:
        since = local_text(status.offline_since, timezone, "%H:%M") if status.offline_since else ""
        text = (
            f"Clinic server: OFFLINE since {since} · {status.waiting} entries wait to be sent "
            "(charting goes on here)"
        )
    if status.forks_waiting:
        text += (
            f" · {status.forks_waiting} session(s) charted at two workstations wait for a clinician"
        )
    return text


def taken_words(service: ChartService, session_id: str, hold: Hold) -> str:
    """What the nurse at the workstation a session was taken from is told."""
    header = service.store.session(SessionId(session_id))
    names = {uid: u.display_name for uid, u in service.staff().items()}
    at = local_text(hold.taken_at, service.timezone, "%H:%M")
    return (
        f"Chair {header.chair} was taken over at {at} by {names.get(UserId(hold.taken_by), hold.taken_by)} "
        f"at workstation {hold.workstation}: it is read-only here now."
    )


class SyncWatch(QObject):
    """Runs the background sync and shows its status in ``label``."""

    status = Signal(object)
    """A :class:`SyncStatus`, from the sync's thread (delivered on the GUI thread)."""

    def __init__(
        self, window: MainWindow, service: ChartService, url: str, clock: Clock, label: QLabel
    ) -> None:
        from bedside.store.server.background import BackgroundSync  # psycopg: only when joined

        super().__init__(label)
        self.window, self.service, self.label = window, service, label
        self.worker = BackgroundSync(
            service.store.path, url, clock, self.status.emit, idle_s=IDLE_S
        )
        self.runner = threading.Thread(target=self.worker.run, name="clinic-sync", daemon=True)
        self.status.connect(self.show)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    def start(self) -> None:
        """Begin syncing."""
        self.label.setText("Clinic server: connecting…")
        self.runner.start()

    def stop(self) -> None:
        """End the loop and wait for it (quitting)."""
        self.worker.stop()
        if self.runner.is_alive():
            self.runner.join(timeout=10)

    def show(self, status: SyncStatus) -> None:
        """Say how the sync stands; redraw the board when entries arrived."""
        problem = not status.online or bool(status.forks_waiting)
        status_label.say(self.label, status_words(status, self.service.timezone), problem=problem)
        # Why it is offline, for whoever looks closer (a refused login is not a network cut).
        self.label.setToolTip(status.problem)
        last = status.last
        if last is None:
            return
        if last.holds_received or last.forks:
            # A hold moved, or entries from another branch arrived: neither moves a session's
            # own line, so the board and the open windows read again (read-only or chartable,
            # the branches merged) at once.
            self.window.source.invalidate()
            for view in list(self.window.session_windows.values()):
                view.refresh()
        if last.received_entries or last.received_clinic_rows or last.holds_received or last.forks:
            self.window.refresh()
        for session_id, hold in last.taken_from_here:
            self.window.statusBar().showMessage(taken_words(self.service, session_id, hold))


def install(window: MainWindow, service: ChartService, clock: Clock) -> SyncWatch | None:
    """Start the sync when this workstation has joined a clinic server (its ``server_url``
    setting: ``bedside server join``); None for a workstation on its own."""
    url = service.store.get_setting(SERVER_URL_SETTING, "")
    if not url:
        return None
    label = QLabel()
    label.setObjectName("syncStatus")
    window.statusBar().addPermanentWidget(label)
    watch = SyncWatch(window, service, url, clock, label)
    watch.start()
    return watch
