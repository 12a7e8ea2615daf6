"""The main window's menus and their keys: chairs, view and theme, the user and the lock,
clinical screens and administration."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from ui.board.own_password import change_own_password

if TYPE_CHECKING:
    from ui.board.main_window import MainWindow

SWITCH_USER = "switchUser"
"""The object name of the main window's "Switch user…" action."""


def build(window: MainWindow) -> QAction:
    """Put the menus on ``window``; returns its lock action (which, like moving between
    chairs, works from a session window too)."""
    session = _session_menu(window)
    view = _view_menu(window)
    lock = _user_menu(window)
    view.addSeparator()
    view.addAction(_action(window, "Patient course…", "Ctrl+K", window.show_course))
    clinical = window.menuBar().addMenu("&Clinical")
    clinical.addAction(_action(window, "Course order…", "Ctrl+Shift+O", window.order_course))
    admin = window.menuBar().addMenu("&Admin")
    admin.addAction(_action(window, "Users…", "", window.manage_users))
    admin.addAction(_action(window, "Protocol…", "", window.show_protocol))
    admin.addAction(_action(window, "Clinic settings…", "", window.edit_clinic))
    admin.addAction(_action(window, "Backups…", "", partial(_show_backups, window)))
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            if action.shortcut().toString():
                action.setToolTip(f"{action.text()} ({action.shortcut().toString()})")
    # A nurse at chair 2 presses Ctrl+3 without going back to the board first.
    for action in (*session.actions(), lock):
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    return lock


def _action(window: MainWindow, text: str, keys: str, slot: Callable[[], object]) -> QAction:
    action = QAction(text, window)
    if keys:
        action.setShortcut(QKeySequence(keys))
    action.triggered.connect(slot)
    return action


def _session_menu(window: MainWindow) -> QMenu:
    """Open a chair (Ctrl+1…9), or the most urgent one (Ctrl+G); Quit (Ctrl+Q). One action per
    chair on the board, made again when an admin changes the chairs while it is open (a sixth
    chair gets its Ctrl+6 at once)."""
    session = window.menuBar().addMenu("&Session")
    chairs: list[QAction] = []
    before = QAction(window)
    before.setSeparator(True)
    session.addAction(before)

    def show_chairs(count: int) -> None:
        while len(chairs) > count:
            session.removeAction(gone := chairs.pop())
            gone.deleteLater()
        while len(chairs) < count:
            chair = len(chairs) + 1
            action = QAction(f"Open chair {chair}", window)
            if chair <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{chair}"))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.triggered.connect(lambda _=False, c=chair: window.open_chair(c))
            session.insertAction(before, action)
            chairs.append(action)

    show_chairs(len(window.board.tiles))
    window.board.chairs_changed.connect(show_chairs)
    session.addAction(
        _action(window, "Go to the most urgent chair", "Ctrl+G", window.open_most_urgent)
    )
    session.addSeparator()
    # Nothing to save first: every entry was saved when it was made (the close asks nothing).
    session.addAction(_action(window, "Quit Bedside", "Ctrl+Q", window.close))
    return session


def _view_menu(window: MainWindow) -> QMenu:
    """The dim and light themes (one checked)."""
    view = window.menuBar().addMenu("&View")
    group = QActionGroup(window)
    for name, label, keys in (
        ("dim", "Dim theme (dark room)", "Ctrl+Shift+D"),
        ("light", "Light theme", "Ctrl+Shift+L"),
    ):
        action = QAction(label, window, checkable=True)
        action.setShortcut(QKeySequence(keys))
        action.setChecked(name == window.theme)
        action.triggered.connect(lambda _=False, n=name: window.set_theme(n))
        group.addAction(action)
        view.addAction(action)
    return view


def _user_menu(window: MainWindow) -> QAction:
    """Lock the workstation (Ctrl+L) and switch user (Ctrl+U); returns the lock action."""
    user = window.menuBar().addMenu("&User")
    lock = _action(window, "Lock workstation", "Ctrl+L", window.lock)
    user.addAction(lock)
    switch = _action(window, "Switch user…", "Ctrl+U", window.switch_user)
    # A session window forwards its Ctrl+U to this action (ui.session.window finds it by name),
    # so it is off behind the lock like every other action here.
    switch.setObjectName(SWITCH_USER)
    user.addAction(switch)
    user.addAction(_action(window, "Change my password…", "", partial(change_own_password, window)))
    return lock


def _show_backups(window: MainWindow) -> None:
    """Admin ▸ Backups (not behind the lock)."""
    if window.locked:
        return
    from ui.admin.backups import BackupsDialog
    from ui.admin.restore_in_app import restore_in_app

    dialog = BackupsDialog(window.service, window.user, window.clock, window)
    dialog.exec()
    if dialog.restore_request is not None:
        restore_in_app(window, dialog.restore_request)
