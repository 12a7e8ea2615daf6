"""The app's second step, with its first window already on the screen (``ui.app``): the
record's models and the board imported, the database opened with the start's quick check, the
first run or the sign-in, then the board."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from bedside.clock import Clock, SystemClock
from bedside.errors import BedsideError, IntegrityError, StoreError
from bedside.people import Role, User
from bedside.service import ChartService
from bedside.store import Store, default_db_path
from bedside.store.anchor import AnchorFile
from ui.board import backup_watch, sync_watch
from ui.board.integrity_watch import watch_integrity
from ui.board.login_dialog import LoginDialog
from ui.board.main_window import MainWindow
from ui.common import settings

log = logging.getLogger(__name__)
EXIT_TAMPERED = 3
"""A database refused for damage or tampering: the command line's code (``ui.cli.common``,
not imported here: it loads the command line), so IT's scripts read both alike."""


def first_run(service: ChartService, clock: Clock, parent: QWidget | None = None) -> User | None:
    """On an empty database: a new clinic with its first administrator; returns who to sign in
    as (``None``: the window was closed). The demo is never made here: it has its own database
    (``bedside --demo``), so nothing on this path writes demo accounts."""
    # Imported here: only an empty database shows it (~30 ms of imports off every start).
    from ui.board.first_run_dialog import FirstRunDialog, NewClinic

    choice = FirstRunDialog.ask(parent)
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
            QMessageBox.warning(parent, "Set up your clinic", str(exc))
            choice = FirstRunDialog.ask(parent)
    return None


def open_board(
    qsettings: QSettings,
    db_path: Path | None,
    *,
    smoke: bool,
    clock: Clock | None,
    parent: QWidget | None = None,
    demo: bool = False,
) -> MainWindow | int:
    """The board, shown, for whoever signed in (``smoke``: the clinic's first account, no
    sign-in); or the exit code when there is none (the database cannot be opened: said in
    words; the sign-in or the first run was closed: 0). ``parent``: the first window, which the
    sign-in, the first run and their messages open over. ``demo`` (``bedside --demo``): the
    demo clinic is made first if the file holds none; a clinic that is not the demo is refused.
    Whatever goes wrong after the database opened, the database is closed and no half-made
    board stays on the screen."""
    clock = clock or SystemClock()
    try:
        # The quick check only: the full one runs once the board shows (integrity_watch).
        store = Store(db_path or default_db_path(), quick_check=True, anchors=AnchorFile())
        if demo:
            _demo_in(store, clock)
    except BedsideError as exc:
        log.warning("the database %s was not opened: %s", db_path, exc)
        if smoke:
            sys.stderr.write(f"bedside: {exc}\n")
        else:
            QMessageBox.critical(parent, "Bedside cannot open its database", str(exc))
        return EXIT_TAMPERED if isinstance(exc, IntegrityError) else 1
    window: MainWindow | None = None
    try:
        service = ChartService(store, clock)
        user = _smoke_user(store) if smoke else _signed_in(service, clock, qsettings, parent)
        if user is None:
            store.close()
            return 0
        window = MainWindow(service, user, clock, qsettings)
        _show(window, service, clock, smoke=smoke)
    except BaseException:  # the caller says it in words; nothing stays open behind it
        if window is not None:
            window.close()  # its timers stop
            window.deleteLater()
        store.close()
        raise
    return window


def _demo_in(store: Store, clock: Clock) -> None:
    """The demo clinic in ``store``, made now if the file holds none (a first ``bedside
    --demo``: a few seconds, with the first window saying so); kept as it is otherwise. On a
    refusal the store is closed and the refusal is in words."""
    from bedside.store.db import explain_database_error
    from bedside.timeutil import workstation_timezone
    from ui.demo import demo_kept_or_built  # the demo's builders: only for the demo

    try:
        if demo_kept_or_built(store, clock.now(), workstation_timezone()):
            log.info("demo clinic made in %s", store.path)
    except BaseException as exc:
        store.close()
        if isinstance(exc, OSError):
            raise StoreError(
                f"The demo's database {store.path} could not be written "
                f"({exc.strerror or exc}); nothing was changed."
            ) from exc
        explained = explain_database_error(exc)  # a full disk, a locked file: SQLite's words
        if explained is None:
            raise
        raise explained from exc


def _show(window: MainWindow, service: ChartService, clock: Clock, *, smoke: bool) -> None:
    """The board on the screen with the keyboard, and what watches over it from now on."""
    window.show()
    window.raise_()
    window.activateWindow()  # after the sign-in dialog, the board takes the keyboard
    watch_integrity(window, service.store.path)  # the full check, in the background
    if not smoke:
        backup_watch.install(window, service, clock)  # at start, when due, after a sign-off
        # The clinic server, when this one joined; at the next turn, once the board is drawn:
        # the sync first builds every model it may meet on its thread (~100 ms).
        QTimer.singleShot(0, window, lambda: sync_watch.install(window, service, clock))


def _smoke_user(store: Store) -> User:
    """Who the start-up check shows the board to: the clinic's first account (no password)."""
    return next(iter(store.users()), None) or User(
        id="smoke", username="smoke", full_name="Start-up check", role=Role.NURSE
    )


def _signed_in(
    service: ChartService, clock: Clock, qsettings: QSettings, parent: QWidget | None
) -> User | None:
    """The first run on an empty database, else the sign-in; None when either was closed."""
    store = service.store
    user = first_run(service, clock, parent) if not store.has_users() else None
    if user is None:
        if not store.has_users():
            return None  # closed the welcome window
        user = LoginDialog.ask(
            service.accounts,
            parent=parent,
            username=settings.last_user(store.path).get(qsettings),
            clinic_name=store.get_setting("clinic_name", "Bedside"),
        )
        if user is None:
            return None
    settings.last_user(store.path).set(qsettings, user.username)
    return user
