"""The main window: the chair board, the signed-in user, lock and theme."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from bedside import app_log
from bedside.clock import Clock
from bedside.context import SessionChange
from bedside.demo_mark import demo_title
from bedside.ids import SessionId
from bedside.people import User
from bedside.service import ChartService
from bedside.timeutil import local_text
from ui.board import menus
from ui.board.board_source import BoardSource
from ui.board.chair_board import ChairBoard
from ui.board.idle_lock import IdleLock
from ui.board.lock_screen import DraftsDialog, LockScreen
from ui.board.login_dialog import LoginDialog
from ui.common import operations, screen_fit, settings, theme, wheel_guard
from ui.common.lock_gate import GATE
from ui.dialogs.new_session import NewSessionDialog, SessionChoice

if TYPE_CHECKING:
    from ui.session.window import SessionView

# The session window and the admin and clinical screens are imported when first opened: the
# chair board is what a start-up must show quickly (bench: app_cold_start).


class MainWindow(QMainWindow):
    """The chair board for the signed-in user."""

    def __init__(
        self,
        service: ChartService,
        user: User,
        clock: Clock,
        qsettings: QSettings,
        *,
        ask_login: Callable[..., User | None] = LoginDialog.ask,
        idle_lock: IdleLock | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        self.user = user
        self.clock = clock
        self.qsettings = qsettings
        self.ask_login = ask_login
        self.theme = settings.THEME.get(qsettings)
        self.clinic = service.store.get_setting("clinic_name", "Bedside")
        GATE.sign_in(user.id)
        self.source = BoardSource(service)
        self.session_windows: dict[SessionId, SessionView] = {}
        self._external_seen = 0
        self._hidden_by_lock: list[SessionView] = []
        self.setWindowTitle(demo_title(f"Bedside — {self.clinic}", service.is_demo()))
        self.stack = QStackedWidget()
        self.board = ChairBoard(self.source.chairs())
        self.board.opened.connect(self.open_chair)
        self.user_label = QLabel()
        self.user_label.setObjectName("statusUser")
        self.clock_label = QLabel()
        lock_page = self._build_lock_screen()
        self._refresh_board()  # before the stack polishes the tiles: styled once (set_look)
        self.stack.addWidget(self.board)
        self.stack.addWidget(lock_page)
        self.setCentralWidget(self.stack)
        self.statusBar().addWidget(self.user_label, 1)
        self.statusBar().addPermanentWidget(self.clock_label)
        self.lock_action = menus.build(self)
        self.idle = idle_lock or IdleLock(self.source.idle_lock_seconds, parent=self)
        self.idle.idle.connect(self.lock)  # its app-wide filter goes in once shown (showEvent)
        self.idle.start()
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.refresh)
        self.ticker.start()
        # The whole screen the taskbar leaves, never more (a 1280×760 window on a 1366×768
        # screen put the status bar under the taskbar); a remembered size is kept if it fits.
        geometry = settings.MAIN_GEOMETRY.get(qsettings)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            screen_fit.fill_screen(self)
        screen_fit.keep_on_screen(self)
        self._show_user()
        self.refresh()

    def _build_lock_screen(self) -> QWidget:
        """What the lock shows: who was signed in, the chairs without names, the way back in."""
        self.lock_screen = LockScreen()
        self.lock_label = self.lock_screen.label
        self.unlock_button = self.lock_screen.unlock_button
        self.unlock_button.clicked.connect(self.unlock)
        return self.lock_screen

    # --- behaviour ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Every second: the tiles, and the clocks of the open session windows (nothing read).
        When another workstation has written, the windows whose record moved read it again."""
        if self.locked:
            # A nurse walking past sees which chair needs her; no name, nothing to open.
            self.lock_screen.chairs.show_summaries(
                self.source.summaries(self.clock.now()), self.theme
            )
            return
        self._refresh_board()
        external = self.source.external_changes != self._external_seen
        self._external_seen = self.source.external_changes
        moved: set[SessionId] = set()
        if external and self.session_windows:
            heads = self.service.store.head_hashes(list(self.session_windows))
            moved = {sid for sid, v in self.session_windows.items() if heads.get(sid) != v.head}
        for sid, view in list(self.session_windows.items()):
            if sid in moved:
                view.refresh()
            else:
                view.tick()

    def _refresh_board(self) -> None:
        """Redraw the tiles (cheap: the sessions are re-read only after a change)."""
        if self.locked:
            return
        now = self.clock.now()
        summaries = self.source.summaries(now)
        first = self.source.most_urgent(summaries)
        self.board.show_summaries(summaries, first.chair if first else None, self.theme)
        self.clock_label.setText(local_text(now, self.service.timezone, "%H:%M"))

    def _show_user(self) -> None:
        u, ws = self.user, self.service.workstation_name(app_log.workstation_id())
        here = app_log.label_workstation(ws)  # the name an admin gave it, else the host name
        self.user_label.setText(
            f"Signed in: {u.display_name} ({u.role.value}) · {self.clinic} · {here}"
        )

    def open_chair(self, chair: int) -> None:
        """Open the chair's session, or start one on a free chair."""
        if self.locked:  # nothing behind the lock, whatever the route
            return
        summary = next(s for s in self.source.summaries(self.clock.now()) if s.chair == chair)
        if summary.session_id is None:
            opened = self._start_session(chair)
            if opened is None:
                return
            self.source.apply(opened)
            self._refresh_board()
            session_id = opened.session_id
        else:
            session_id = summary.session_id  # type: ignore[assignment]
        self.open_session(session_id)

    def _start_session(self, chair: int) -> SessionChange | None:
        """Find the patient and open their session on ``chair``; a refusal (shown in words)
        opens the search again with that patient found and chosen, until a session opens or
        the nurse cancels."""
        patient_id = NewSessionDialog.ask(self.service, chair, self, self.user)
        while patient_id is not None:
            opened = operations.run(
                self,
                partial(self.service.open_session, self.user, patient_id=patient_id, chair=chair),
            )
            if opened is not None:
                return opened
            self.source.invalidate()  # refused: the chair may have been taken meanwhile
            self.refresh()
            mrn = self.service.store.patient(patient_id).mrn
            choice = SessionChoice(patient_id, mrn)
            again = NewSessionDialog.choose(self.service, chair, self, self.user, choice)
            patient_id = again.patient_id if again is not None else None
        return None

    def open_most_urgent(self) -> None:
        """Jump to the chair at the top of the urgency order."""
        if self.locked:  # nothing behind the lock, whatever the route
            return
        first = self.source.most_urgent(self.source.summaries(self.clock.now()))
        if first is not None:
            self.open_chair(first.chair)

    def set_theme(self, name: str) -> None:
        """Switch theme now and remember it."""
        self.theme = name
        settings.THEME.set(self.qsettings, name)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, name)
        for view in self.session_windows.values():
            view.set_theme(name)  # painted parts (trend, flowsheet colours) follow too
        self.refresh()

    def lock(self) -> None:
        """Hide patient data and ask for a password; nothing is closed."""
        if self.locked:
            return
        self.lock_screen.say_locked(self.user.display_name)
        logging.getLogger(__name__).info("workstation locked user=%s", self.user.id)
        # Open forms close with what was typed kept, and come back on unlock (lock_gate).
        GATE.lock()
        self.stack.setCurrentWidget(self.lock_screen)
        self.refresh()
        # The menus and their keys would reach patient data and charting behind the lock.
        self.menuBar().setEnabled(False)
        for action in self.findChildren(QAction):
            action.setEnabled(False)
        # Session windows are hidden, not closed: they come back as they were on unlock.
        # A dialog that cannot wait for its author (none of the charting forms) closes.
        self._hidden_by_lock = [v for v in self.session_windows.values() if v.isVisible()]
        for view in self._hidden_by_lock:
            view.hide()
        for widget in QApplication.topLevelWidgets():
            if widget is not self and widget.isVisible() and isinstance(widget, QDialog):
                widget.reject()
        self.idle.stop()
        self.unlock()

    @property
    def locked(self) -> bool:
        """True while the lock screen hides the board."""
        return self.stack.currentWidget() is self.lock_screen

    def unlock(self) -> None:
        """Ask for a password (the same user, or another person taking over)."""
        user = self.ask_login(
            self.service.accounts,
            parent=self,
            username=self.user.username,
            locked_by=self.user.display_name,
            clinic_name=self.clinic,
        )
        if user is None:
            return  # stays locked; the Unlock button asks again
        self.user = user
        self._show_user()
        self.stack.setCurrentWidget(self.board)
        self.menuBar().setEnabled(True)
        for action in self.findChildren(QAction):
            action.setEnabled(True)
        for view in self.session_windows.values():
            view.set_user(user)  # another nurse taking over charts under their own name
        for view in self._hidden_by_lock:
            view.show()
        self._hidden_by_lock = []
        self.idle.start()
        self.refresh()
        GATE.unlock(user.id, self.clock.now())  # their forms open again as they were typed
        self.show_drafts()

    def show_drafts(self) -> None:
        """Typing kept for the person now signed in, if any, to read and let go."""
        drafts = GATE.drafts_of(self.user.id)
        if drafts:
            DraftsDialog(drafts, self).exec()

    def manage_users(self) -> None:
        """The accounts screen; the core refuses changes by anyone but an admin."""
        if self.locked:  # nothing behind the lock, whatever the route
            return
        from ui.admin.users import UsersDialog

        UsersDialog(self.service.accounts, self.user, self).exec()

    def show_protocol(self) -> None:
        """The protocol's values and sources; an admin may save a new version."""
        if self.locked:  # nothing behind the lock, whatever the route
            return
        from ui.admin.protocol import ProtocolDialog

        ProtocolDialog(self.service, self.user, self, theme=self.theme).exec()

    def edit_clinic(self) -> None:
        """The clinic's name, address and paper size (admins; others are refused in words)."""
        if self.locked:
            return
        from ui.admin.clinic import ClinicDialog

        if (dialog := ClinicDialog(self.service, self.user, self)).exec():
            self.statusBar().showMessage(dialog.saved_words, 15_000)  # what changed, shown back
            self.clinic = self.service.store.get_setting("clinic_name", "Bedside")
            self.setWindowTitle(demo_title(f"Bedside — {self.clinic}", self.service.is_demo()))
            self._show_user()

    def order_course(self) -> None:
        """A clinician orders and signs a patient's course (refused in words for other roles)."""
        if self.locked:  # nothing behind the lock, whatever the route
            return
        from ui.course.order import CourseOrderDialog

        CourseOrderDialog(self.service, self.user, self, theme=self.theme).exec()

    def show_course(self) -> None:
        """Find a patient and show their course."""
        if self.locked:  # nothing behind the lock, whatever the route
            return
        patient_id = NewSessionDialog.ask(self.service, None, self, self.user)
        if patient_id is not None:
            from ui.course.view import CourseView

            view = CourseView(
                self.service,
                patient_id,
                self.clock.now(),
                self,
                theme=self.theme,
                user=self.user,
            )

            # The course view is modal: close it first, so the session window takes input.
            def chosen(session_id: str) -> None:
                view.accept()
                self.open_session(session_id)

            view.session_chosen.connect(chosen)
            view.exec()

    def open_session(self, session_id: str) -> SessionView:
        """The session's window, brought to the front if it is already open (one per session;
        several chairs' windows may be open side by side)."""
        sid = SessionId(session_id)
        view = self.session_windows.get(sid)
        if view is None:
            from ui.session.window import SessionView

            view = SessionView(self.service, sid, self.clock, self.theme, self, self.user)
            view.charted.connect(lambda change, v=view: self._charted(change, v))
            view.session_requested.connect(self.open_session)
            view.finished.connect(lambda _=0, s=sid: self._session_closed(s))
            self.session_windows[sid] = view
        view.show()
        view.raise_()
        view.activateWindow()
        return view

    def _charted(self, change: SessionChange, view: SessionView | None = None) -> None:
        """A window charted: its chair is redrawn from the change (nothing read), with the
        flowsheet the window built from it."""
        series = view.series if view is not None else None
        self.source.apply(change, series.flowsheet if series is not None else None)
        self._refresh_board()

    def _session_closed(self, session_id: SessionId) -> None:
        view = self.session_windows.pop(session_id, None)
        if view is not None:
            view.deleteLater()
        self._refresh_board()

    def switch_user(self) -> None:
        """Another person takes over this workstation."""
        if self.locked:  # nothing behind the lock, whatever the route
            return
        user = self.ask_login(self.service.accounts, parent=self, clinic_name=self.clinic)
        if user is not None:
            logging.getLogger(__name__).info("user switched from=%s to=%s", self.user.id, user.id)
            self.user = user
            # Like an unlock: the forms this person left waiting behind a lock open again.
            GATE.unlock(user.id, self.clock.now())
            settings.last_user(self.service.store.path).set(self.qsettings, user.username)
            self._show_user()
            for view in self.session_windows.values():
                view.set_user(user)
            self.show_drafts()

    def showEvent(self, event: QShowEvent) -> None:
        """Once shown (the window manager's frame is known), keep the frame on the screen."""
        super().showEvent(event)
        QTimer.singleShot(0, self, partial(screen_fit.keep_on_screen, self))
        QTimer.singleShot(0, self, self._watch_input)

    def _watch_input(self) -> None:
        """The idle lock's and wheel guard's app-wide filters, once the loop turns (no input comes
        before): a filter in Python before the show made every event of the show cross into
        Python (~30 ms of a start, bench app_cold_start_smoke). Again at a later show: harmless."""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
            wheel_guard.install(app)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the geometry. Nothing needs saving: every entry is saved when made."""
        settings.MAIN_GEOMETRY.set(self.qsettings, self.saveGeometry())
        for view in list(self.session_windows.values()):
            view.close()  # nothing to save: every entry was saved when it was made
        self.ticker.stop()
        self.idle.stop()
        super().closeEvent(event)
