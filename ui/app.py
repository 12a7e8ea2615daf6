"""The desktop app's start: open the database, first run (demo or first admin), sign in, board."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from bedside.clock import Clock, SystemClock
from bedside.errors import BedsideError
from bedside.people import Role, User
from bedside.service import ChartService
from bedside.store import Store, default_db_path
from bedside.store.anchor import AnchorFile
from ui.board import backup_watch, sync_watch
from ui.board.integrity_watch import watch_integrity
from ui.board.login_dialog import LoginDialog
from ui.board.main_window import MainWindow
from ui.common import app_icon, crash, settings, theme
from ui.common.fonts import register_shipped_fonts


def first_run(service: ChartService, clock: Clock) -> User | None:
    """On an empty database: a new clinic with its first administrator; returns who to sign in
    as (``None``: the window was closed). The demo is never made here: it has its own database
    (``bedside --demo``), so nothing on this path writes demo accounts."""
    # Imported here: only an empty database shows it (~30 ms of imports off every start).
    from ui.board.first_run_dialog import FirstRunDialog, NewClinic

    choice = FirstRunDialog.ask()
    while isinstance(choice, NewClinic):
        try:
            return service.set_up_clinic(
                clinic_name=choice.clinic_name,
                clinic_address=choice.clinic_address,
                timezone=choice.timezone,
                paper_size=choice.paper_size,
                admin_username=choice.username,
                admin_full_name=choice.full_name,
                admin_password=choice.password,
            )
        except BedsideError as exc:  # refused in words; the form opens again
            QMessageBox.warning(None, "Set up your clinic", str(exc))
            choice = FirstRunDialog.ask()
    return None


def run_app(db_path: Path | None = None, *, smoke: bool = False, clock: Clock | None = None) -> int:
    """Open the app on the database; ``smoke`` quits as soon as the window is shown."""
    # What is imported by now (~80k objects) lives as long as the app: out of the garbage
    # collector's reach, no full collection walks it again (30-60 ms each, a hitch of the
    # board), nor do those at exit (~200 ms of each start: bench app_cold_start_smoke).
    gc.freeze()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName(settings.ORGANISATION)
    app.setApplicationName(settings.APPLICATION)
    crash.install()  # Qt's messages and unhandled errors: to the log, then a plain dialog
    qsettings = QSettings()
    theme.apply(app, settings.THEME.get(qsettings))
    app_icon.apply(app)
    register_shipped_fonts()  # DejaVu (resources/fonts) even where it is not installed
    clock = clock or SystemClock()
    try:
        # The quick check only: the full one runs once the board shows (integrity_watch).
        store = Store(db_path or default_db_path(), quick_check=True, anchors=AnchorFile())
    except BedsideError as exc:
        if smoke:
            sys.stderr.write(f"bedside: {exc}\n")
        else:
            QMessageBox.critical(None, "Bedside cannot open its database", str(exc))
        return 1
    service = ChartService(store, clock)
    user: User | None
    if smoke:
        user = next(iter(store.users()), None) or User(
            id="smoke", username="smoke", full_name="Start-up check", role=Role.NURSE
        )
    else:
        user = first_run(service, clock) if not store.has_users() else None
        if user is None:
            if not store.has_users():
                return 0  # closed the welcome window
            user = LoginDialog.ask(
                service.accounts,
                username=settings.last_user(store.path).get(qsettings),
                clinic_name=store.get_setting("clinic_name", "Bedside"),
            )
            if user is None:
                store.close()
                return 0
        settings.last_user(store.path).set(qsettings, user.username)
    assert user is not None
    window = MainWindow(service, user, clock, qsettings)
    window.show()
    window.raise_()
    window.activateWindow()  # after the sign-in dialog, the board takes the keyboard
    watch_integrity(window, store.path)  # the full check, in the background; stopped on quit
    if smoke:
        QTimer.singleShot(0, app.quit)
    else:
        backup_watch.install(window, service, clock)  # at start, when due, after a sign-off
        sync_watch.install(window, service, clock)  # the clinic server, when this one joined
    code = app.exec()
    store.close()
    return int(code)
