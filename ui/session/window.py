"""A session's window: header, flowsheet, the side panel, and the infusion's quick actions.

Before the pump starts the body is the guided step for the phase (intake, baseline, consent,
dose and preparation), each a focused form that completes only when the core's guard allows.
From then on every action is one key (shown on its button); the actions live in
``pump_actions``, ``entry_actions`` and ``closing_actions``, and which of them show is the
core's rule (:func:`charting.actions.available_actions`).

The window draws one :class:`~bedside.context.SessionContext`. An action hands the core that
context and redraws from the :class:`~bedside.context.SessionChange` it returns, so a charted
entry costs no further read; the window reads the record again only when it opens and when
another workstation has charted.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QMargins, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bedside.clock import Clock
from bedside.context import SessionChange, SessionContext
from bedside.events import Phase
from bedside.ids import SessionId
from bedside.people import User
from bedside.protocol import AlertLevel
from bedside.service import ChartService
from charting.actions import Action, available_actions
from charting.record import session_record
from charting.series import SessionSeries, build_series
from ui.board.menus import SWITCH_USER
from ui.common import operations, pdf_actions, screen_fit
from ui.common.letter_keys import ACTION_TABLE, LetterKeys
from ui.common.theme import PALETTES
from ui.session import correction_actions as corrections
from ui.session import course_link, fork_banner, hold_banner
from ui.session import header as session_header
from ui.session import panel as session_panel
from ui.session.button_rows import ButtonRows
from ui.session.buttons import BUTTONS
from ui.session.charting_area import ChartingArea
from ui.session.check_banner import CheckBanner
from ui.session.fork_banner import ForkBanner
from ui.session.hold_banner import HoldBanner
from ui.session.verification_banner import verification_banner
from ui.steps.bar import StepBar
from ui.steps.baseline import BaselineStep
from ui.steps.consent import ConsentStep
from ui.steps.intake import IntakeStep
from ui.steps.page import StepPage
from ui.steps.preparation import PreparationStep

_STEP_PAGES: dict[Phase, type[StepPage]] = {
    Phase.INTAKE: IntakeStep,
    Phase.BASELINE: BaselineStep,
    Phase.CONSENT: ConsentStep,
    Phase.PREPARED: PreparationStep,
}
"""The guided form of each phase before the pump starts."""


class SessionView(QDialog):
    """One session, as recorded, with the actions its phase allows.

    Non-modal: a nurse covering several chairs keeps one window per chair open. ``charted``
    carries each :class:`~bedside.context.SessionChange` made here, so the board redraws that
    chair from it; ``tick`` moves the clocks between entries without reading anything.
    """

    charted = Signal(object)
    """A :class:`~bedside.context.SessionChange` made in this window."""
    session_requested = Signal(str)
    """Another session of the patient's course was chosen (the board opens its window)."""

    def __init__(
        self,
        service: ChartService,
        session_id: SessionId,
        clock: Clock,
        theme: str,
        parent: QWidget | None = None,
        user: User | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.session_id = session_id
        self.clock = clock
        self.user = user
        self.theme = theme
        self.ctx = service.context(session_id)
        """The session as shown: every action judges against it and hands it to the core."""
        self.names = {uid: u.display_name for uid, u in service.staff().items()}
        """Staff names for the record (read when the window opens and when it re-reads)."""
        self.series: SessionSeries | None = None
        self.step_pages: dict[Phase, StepPage] = {}
        """The guided forms built so far (a form is built when its phase is first shown)."""
        self.letters = LetterKeys(self)
        """One-key actions, off while the focus is where letters are typed."""
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_top())
        # A record altered outside Bedside says so before anything else (checked at opening).
        self.verification_banner = verification_banner(service.session_problems(session_id))
        layout.addWidget(self.verification_banner)
        self.steps = StepBar()
        layout.addWidget(self.steps)
        self._build_banners(layout)
        self.pages = QStackedWidget()
        self.charting = self._build_charting()
        self.pages.addWidget(self.charting)
        layout.addWidget(self.pages, 1)
        legend_row = QHBoxLayout()
        self.legend = QLabel(session_panel.LEGEND_HTML)
        self.legend.setProperty("role", "muted")
        self.legend.setWordWrap(True)
        legend_row.addWidget(self.legend, 1)
        self.footer = QLabel()
        self.footer.setProperty("role", "muted")
        legend_row.addWidget(self.footer)
        layout.addLayout(legend_row)
        self.buttons: dict[str, QPushButton] = {}
        self._build_buttons(layout)
        # The screen it opens on, all of it the taskbar leaves (a big screen is used, a small
        # one never overflowed).
        screen_fit.fill_screen(self)
        self.show_context(self.ctx)
        # Start on the record, not on a header button (Enter must not open the course).
        current = self.pages.currentWidget()
        (self.table if current is self.charting or current is None else current).setFocus()

    # --- building ---------------------------------------------------------------------------------

    def _build_top(self) -> QHBoxLayout:
        top = QHBoxLayout()
        self.header = QLabel()
        self.header.setObjectName("sessionHeader")
        top.addWidget(self.header, 1)
        course = QPushButton("Course (K)")
        course.setObjectName("course")
        course.setToolTip("The patient's course: doses, PHQ-9 trend, response — key K")
        course.setMinimumHeight(44)
        course.setAutoDefault(False)  # Enter must never open the course by accident
        course.clicked.connect(self.show_course)
        top.addWidget(course, 0, Qt.AlignmentFlag.AlignTop)
        pdf = pdf_actions.pdf_menu_button(self, self._document)
        self.pdf_actions = {
            a.objectName().removeprefix("pdf_"): a
            for a in self.actions()
            if a.objectName().startswith("pdf_")
        }
        top.addWidget(pdf, 0, Qt.AlignmentFlag.AlignTop)
        self.letters.add("K", self.show_course)
        return top

    def _build_banners(self, layout: QVBoxLayout) -> None:
        """Open alerts across the whole window (never clipped, never below the fold), then the
        checks' level, missed checks and pump overrun."""
        self.alert_banner = QLabel()
        self.alert_banner.setObjectName("alertBanner")
        self.alert_banner.setWordWrap(True)
        self.alert_banner.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.alert_banner)
        self.check_banner = CheckBanner()
        layout.addWidget(self.check_banner)
        self.hold_banner = HoldBanner(partial(hold_banner.take_over, self))
        layout.addWidget(self.hold_banner)
        self.letters.add("H", partial(self._press, self.hold_banner.button))
        self.fork_banner = ForkBanner(partial(fork_banner.resolve, self))
        layout.addWidget(self.fork_banner)
        self.letters.add("J", partial(self._press, self.fork_banner.button))

    def _build_charting(self) -> ChartingArea:
        """The flowsheet and the session record beside the trend plot and the side panel."""
        area = ChartingArea(self.service.timezone, self.theme)
        # The parts tests and actions reach for, named as before.
        self.table, self.model, self.record = area.table, area.model, area.record
        self.trend, self.panel, self.side = area.trend, area.panel, area.side
        for table in (self.table, self.record.table):
            for text, handler in (
                ("Correct selected entry… (C)", corrections.correct_selected),
                ("Void selected entry (entered in error)… (Del)", corrections.void_selected),
            ):
                action = QAction(text, table)
                action.triggered.connect(lambda _=False, h=handler: h(self))
                table.addAction(action)
        for table in (self.table, self.record.table):
            table.setProperty(ACTION_TABLE, True)
        for key, handler in (
            ("C", corrections.correct_selected),
            ("Delete", corrections.void_selected),
        ):
            self.letters.add(key, partial(handler, self))
        return area

    def _build_buttons(self, layout: QVBoxLayout) -> None:
        """Two rows: what is charted at each check, then the steps that move the session on
        (one row when they fit)."""
        self.button_rows = ButtonRows(layout)
        for row_name, action, label, key, handler in BUTTONS:
            button = QPushButton(f"{label} ({key})")
            button.setObjectName(action.value)
            button.setToolTip(f"{label} — key {key}")
            button.setMinimumHeight(44)
            button.setAutoDefault(False)  # Enter is not "press whatever has focus" here
            button.clicked.connect(lambda _=False, h=handler: h(self))
            self.button_rows.add(button, row_name)
            self.letters.add(key, partial(self._press, button))
            self.buttons[action.value] = button
        for key in ("Ctrl+Return", "Ctrl+Enter"):  # main and keypad Enter
            QShortcut(QKeySequence(key), self).activated.connect(self._complete_step)
        QShortcut(QKeySequence("Ctrl+U"), self).activated.connect(self._switch_user)

    def _switch_user(self) -> None:
        """Ctrl+U here is the board's "Switch user…": the main window's action does it (and is
        off while the workstation is locked)."""
        board = self.parentWidget()
        action = board.findChild(QAction, SWITCH_USER) if board is not None else None
        if action is not None and action.isEnabled():
            action.trigger()

    @staticmethod
    def _press(button: QPushButton) -> None:
        """A button's key: only while the button is offered."""
        if button.isVisible() and button.isEnabled():
            button.click()

    # --- drawing ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the record again and redraw (another workstation charted, or the user, the
        theme or the clock's day changed): the one read this window makes after opening."""
        self.names = {uid: u.display_name for uid, u in self.service.staff().items()}
        self.show_context(self.service.context(self.session_id))

    def apply(self, change: SessionChange) -> None:
        """Redraw from what an action changed, and tell the board."""
        self.show_context(change.context)
        self.charted.emit(change)

    def run(self, operation: Callable[[], SessionChange]) -> SessionChange | None:
        """Run an action's call to the core (a refusal is shown in words); redraw from what it
        changed."""
        change = operations.run(self, operation)
        if change is not None:
            self.apply(change)
        return change

    def show_context(self, ctx: SessionContext) -> None:
        """Draw the session as ``ctx`` holds it."""
        self.ctx = ctx
        state = ctx.state
        here = self.user is not None and ctx.held_elsewhere is None  # else read only here
        charting_as = self.user.display_name if self.user and here else ""
        self.setWindowTitle(
            f"{ctx.patient.display_name} — chair {ctx.header.chair} — {charting_as or 'read only'}"
        )
        self.header.setText(session_header.header_html(ctx, PALETTES[self.theme], charting_as))
        self.steps.show_record(state, self.names)
        self._draw_alerts(ctx)
        hold_banner.show_hold(self, ctx)
        fork_banner.show_fork(self)
        page = self._step_page(ctx)
        if page is not None:
            page.refresh(ctx)
            page.setEnabled(ctx.held_elsewhere is None)  # read-only: charted elsewhere
            self.pages.setCurrentWidget(page)
        else:
            self.pages.setCurrentWidget(self.charting)
        self.legend.setVisible(page is None)  # the flowsheet's legend, not the forms'
        discharging = state.infusion.stopped_at is not None or state.closed
        self.series = build_series(state, ctx.protocol)
        rows = session_record(state, ctx.protocol, self.names, self.service.timezone)
        self.charting.show_record(self.series, rows, discharging)
        self.tick()
        self.legend.setToolTip(session_panel.legend_tooltip(ctx))
        self.footer.setText(session_panel.footer_text(ctx))
        self._draw_buttons(ctx)

    def _draw_alerts(self, ctx: SessionContext) -> None:
        open_alerts = ctx.state.open_alerts()
        self.alert_banner.setVisible(bool(open_alerts))
        urgent = any(a.payload.level is not AlertLevel.NOTIFY for a in open_alerts)
        self.alert_banner.setProperty("level", "pause" if urgent else "notify")
        self.alert_banner.style().polish(self.alert_banner)
        self.alert_banner.setText(session_panel.alerts_html(open_alerts))

    def _draw_buttons(self, ctx: SessionContext) -> None:
        offered = available_actions(
            ctx.state,
            ctx.protocol,
            self.user,
            self.clock.now(),
            held_elsewhere=bool(ctx.held_elsewhere),
        )
        for name, button in self.buttons.items():
            button.setVisible(Action(name) in offered)
        paused = ctx.state.phase is Phase.PAUSED
        self.buttons[Action.PAUSE].setText("Resume (P)" if paused else "Pause (P)")
        # The one thing left to do when the patient is ready: make it the obvious button.
        self.buttons[Action.SIGN].setDefault(ctx.state.phase is Phase.READY_FOR_DISCHARGE)
        self._arrange_buttons()

    def _arrange_buttons(self) -> None:
        body = self.layout()
        margins = body.contentsMargins() if body is not None else QMargins()
        self.button_rows.arrange(
            self.width() - margins.left() - margins.right(), self.minimumSizeHint().width()
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The buttons on one row or two, as the new width allows; a window the layout grew
        past the screen (new buttons once the pump starts) is brought back onto it."""
        super().resizeEvent(event)
        self._arrange_buttons()
        if self.isVisible() and self.width() > screen_fit.available(self).width():
            QTimer.singleShot(0, self, lambda: screen_fit.keep_on_screen(self))

    @property
    def head(self) -> str:
        """The record hash of the session as shown (compared with the store's to know whether
        another workstation has charted)."""
        return self.ctx.state.head_hash

    def tick(self) -> None:
        """Move the clocks and the countdown on (nothing read: the record has not changed)."""
        self.check_banner.show_status(self.ctx, self.clock.now())
        if self.series is not None and self.pages.currentWidget() is self.charting:
            self.panel.setText(
                session_panel.panel_html(
                    self.ctx, self.series.flowsheet, self.clock.now(), self.service.timezone
                )
            )

    def set_theme(self, name: str) -> None:
        """Repaint in another theme (the style sheet is the application's; these parts paint
        their own colours)."""
        self.theme = name
        self.charting.set_theme(name)
        for page in self.step_pages.values():
            page.theme = name
        self.show_context(self.ctx)

    def set_user(self, user: User | None) -> None:
        """Whoever unlocked the workstation charts from here on, under their own name."""
        self.user = user
        for page in self.step_pages.values():
            page.user = user
        self.show_context(self.ctx)

    # --- the guided steps -------------------------------------------------------------------------

    def _step_page(self, ctx: SessionContext) -> StepPage | None:
        """The guided form for the phase, until the drug is drawn up and the pump can start."""
        state = ctx.state
        if state.closed:
            return None
        if state.phase is Phase.PREPARED and state.preparation is not None:
            return None  # everything before the pump is done: the window shows Start
        page = self.step_pages.get(state.phase)
        page_type = _STEP_PAGES.get(state.phase)
        if page is None and page_type is not None:
            # Built on first need: most windows open on an infusing or observed session.
            page = page_type(self.service, ctx, self.user, self.theme)
            page.saved.connect(self.apply)
            self.pages.addWidget(page)
            self.step_pages[state.phase] = page
        return page

    def _complete_step(self) -> None:
        page = self.pages.currentWidget()
        if isinstance(page, StepPage) and page.complete.isVisible() and page.complete.isEnabled():
            page.complete.click()

    # --- the summary and the course ---------------------------------------------------------------

    def _document(self) -> pdf_actions.Document | None:
        """This session's summary, signed or not (an unsigned one is stamped DRAFT)."""
        if self.user is None:
            return None
        return pdf_actions.session_document(self.service, self.session_id, self.user)

    def show_course(self) -> None:
        """The patient's course; a row opens that session's own window."""
        course_link.show_course(self)
