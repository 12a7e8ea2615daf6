"""A session's window: header, flowsheet, the side panel, and the infusion's quick actions.

Before the pump starts the body is the guided step for the phase (intake, baseline, consent,
dose and preparation), each a focused form that completes only when the core's guard allows.
From then on every action is one key (shown on its button), opens a small dialog that returns
plain values, and goes through the core; the window then redraws from the record.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from html import escape
from typing import Any, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bedside.clock import Clock
from bedside.context import SessionContext
from bedside.errors import InputRejected
from bedside.events import ChartAttested, DosePlanned, Phase
from bedside.ids import EventId, SessionId
from bedside.people import Permission, User
from bedside.protocol import AlertLevel
from bedside.rules import controlled, phases
from bedside.scales import ScaleName
from bedside.service import ChartService
from bedside.signatures import Meaning
from bedside.timeutil import local_text
from charting.flowsheet import FlowsheetRow
from charting.marks import side_effect_label
from charting.schedule import DueCheck, next_check
from charting.series import build_series
from ui.common import operations, pdf_actions
from ui.common.theme import PALETTES
from ui.course.view import CourseView
from ui.dialogs import scale as scale_dialog
from ui.dialogs.discharge import (
    AddendumDialog,
    DischargeDialog,
    SignOffDialog,
    WasteDialog,
)
from ui.dialogs.quick import (
    AlertDialog,
    PasswordDialog,
    PrnDialog,
    RateDialog,
    ResolveDialog,
    SideEffectDialog,
    StopDialog,
    TextDialog,
)
from ui.dialogs.vitals import VitalsDialog
from ui.session import panel as session_panel
from ui.session.flowsheet_model import FlowsheetTableModel
from ui.session.trend_plot import TrendPlot
from ui.steps.bar import StepBar
from ui.steps.baseline import BaselineStep
from ui.steps.consent import ConsentStep
from ui.steps.intake import IntakeStep
from ui.steps.page import StepPage
from ui.steps.preparation import PreparationStep

_RUNNING = {Phase.INFUSING, Phase.PAUSED}
_STEP_PAGES: dict[Phase, type[StepPage]] = {
    Phase.INTAKE: IntakeStep,
    Phase.BASELINE: BaselineStep,
    Phase.CONSENT: ConsentStep,
    Phase.PREPARED: PreparationStep,
}
"""The guided form of each phase before the pump starts."""
_CHARTING = {Phase.INFUSING, Phase.PAUSED, Phase.OBSERVING, Phase.READY_FOR_DISCHARGE}


class SessionView(QDialog):
    """One session, as recorded, with the actions its phase allows.

    Non-modal: a nurse covering several chairs keeps one window per chair open. ``charted`` is
    emitted after every redraw from the record, so the board can re-read; ``tick`` moves the
    clocks between entries without re-reading.
    """

    charted = Signal()
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
        self._shown: tuple[SessionContext, tuple[FlowsheetRow, ...]] | None = None
        layout = QVBoxLayout(self)
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
        QShortcut(QKeySequence("K"), self).activated.connect(self.show_course)
        layout.addLayout(top)
        self.steps = StepBar()
        layout.addWidget(self.steps)
        # Open alerts across the whole window: never clipped, never below the fold.
        self.alert_banner = QLabel()
        self.alert_banner.setObjectName("alertBanner")
        self.alert_banner.setWordWrap(True)
        self.alert_banner.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.alert_banner)
        self.pages = QStackedWidget()
        self.step_pages: dict[Phase, StepPage] = {}
        """The guided forms built so far (a form is built when its phase is first shown)."""
        charting = QWidget()
        body = QHBoxLayout(charting)
        body.setContentsMargins(0, 0, 0, 0)
        self.model = FlowsheetTableModel(service.timezone, theme)
        self.table = QTableView()
        self.table.setObjectName("flowsheet")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        correct = QAction("Correct selected entry… (C)", self.table)
        correct.triggered.connect(self.correct_selected)
        void = QAction("Void selected entry (entered in error)… (Del)", self.table)
        void.triggered.connect(self.void_selected)
        self.table.addAction(correct)
        self.table.addAction(void)
        body.addWidget(self.table, 1)
        side = self.side = QVBoxLayout()
        self.trend = TrendPlot(theme)
        side.addWidget(self.trend)
        self.panel = QLabel()
        self.panel.setObjectName("readinessPanel")
        self.panel.setWordWrap(True)
        self.panel.setAlignment(Qt.AlignmentFlag.AlignTop)
        panel_scroll = QScrollArea()  # the readiness list must never be cut off
        panel_scroll.setWidgetResizable(True)
        panel_scroll.setFrameShape(QFrame.Shape.NoFrame)
        panel_scroll.setWidget(self.panel)
        side.addWidget(panel_scroll, 1)
        body.addLayout(side, 1)
        self.charting = charting
        self.pages.addWidget(charting)
        layout.addWidget(self.pages, 1)
        legend_row = QHBoxLayout()
        self.legend = QLabel()
        self.legend.setProperty("role", "muted")
        self.legend.setWordWrap(True)
        legend_row.addWidget(self.legend, 1)
        self.footer = QLabel()
        self.footer.setProperty("role", "muted")
        legend_row.addWidget(self.footer)
        layout.addLayout(legend_row)
        # Two rows: what is charted at each check, then the steps that move the session on.
        chart_row, step_row = QHBoxLayout(), QHBoxLayout()
        chart_row.addStretch(1)
        step_row.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for row, name, label, key, handler in (
            (chart_row, "vitals", "Vitals", "V", self.record_vitals),
            (chart_row, "sedation", "Sedation score", "Z", self.score_sedation),
            (chart_row, "cadss", "CADSS-6", "X", self.score_dissociation),
            (chart_row, "effect", "Side effect", "E", self.side_effect),
            (chart_row, "resolve", "Resolved", "Y", self.resolve_side_effect),
            (chart_row, "prn", "PRN medicine", "M", self.give_prn),
            (chart_row, "note", "Note", "N", self.add_note),
            (chart_row, "defer", "Defer check", "F", self.defer_check),
            (step_row, "alert", "Acknowledge alert", "A", self.acknowledge_alert),
            (step_row, "start", "Start infusion", "I", self.start_infusion),
            (step_row, "pause", "Pause", "P", self.pause_or_resume),
            (step_row, "rate", "Rate change", "T", self.change_rate),
            (step_row, "stop", "Stop infusion", "S", self.stop_infusion),
            (step_row, "discharge", "Discharge score", "D", self.assess_discharge),
            (step_row, "waste", "Waste", "W", self.record_waste),
            (step_row, "attest", "Sign my charting", "G", self.attest_chart),
            (step_row, "ready", "Ready for discharge", "R", self.mark_ready),
            (step_row, "sign", "Sign off", "O", self.sign_off),
            (step_row, "addendum", "Addendum", "U", self.add_addendum),
            (step_row, "end", "End session early…", "Ctrl+Shift+E", self.end_early),
        ):
            button = QPushButton(f"{label} ({key})")
            button.setObjectName(name)
            button.setToolTip(f"{label} — key {key}")
            button.setMinimumHeight(44)
            button.setAutoDefault(False)  # Enter is not "press whatever has focus" here
            button.clicked.connect(handler)
            row.addWidget(button)
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(
                lambda b=button: b.isVisible() and b.isEnabled() and b.click()
            )
            self.buttons[name] = button
        layout.addLayout(chart_row)
        layout.addLayout(step_row)
        for key, handler in (("C", self.correct_selected), ("Delete", self.void_selected)):
            QShortcut(QKeySequence(key), self).activated.connect(handler)
        for key in ("Ctrl+Return", "Ctrl+Enter"):  # main and keypad Enter
            QShortcut(QKeySequence(key), self).activated.connect(self._complete_step)
        self.resize(1280, 660)
        self.refresh()
        # Start on the record, not on a header button (Enter must not open the course).
        current = self.pages.currentWidget()
        (self.table if current is self.charting or current is None else current).setFocus()

    # --- drawing --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Redraw everything from the record."""
        ctx = self.service.context(self.session_id)
        state, p, h = ctx.state, ctx.patient, ctx.header
        self.setWindowTitle(f"{p.display_name} — chair {h.chair}")
        self.header.setText(
            f"<h2>{p.display_name}</h2>"
            f"<p>{p.mrn} · born {p.date_of_birth:%d %b %Y} · session {h.number_in_course} of "
            f"{ctx.order.planned_infusions} · protocol v{ctx.protocol.version} · "
            f"<b>{state.phase.label}</b> · "
            + (
                f"<span style='color:{PALETTES[self.theme]['danger']}'><b>Allergies: "
                f"{escape(', '.join(p.allergies))}</b></span>"
                if p.allergies
                else "no known allergies"
            )
            + "</p>"
        )
        self.steps.set_phase(state.phase)
        open_alerts = state.open_alerts()
        self.alert_banner.setVisible(bool(open_alerts))
        self.alert_banner.setProperty(
            "level",
            "pause"
            if any(a.payload.level is not AlertLevel.NOTIFY for a in open_alerts)
            else "notify",
        )
        self.alert_banner.style().polish(self.alert_banner)
        self.alert_banner.setText(
            "<br>".join(f"⚠ {escape(a.payload.message)}" for a in open_alerts)
            + " — <b>acknowledge with A</b>"
        )
        page = self._step_page(ctx)
        if page is not None:
            page.refresh(ctx)
            self.pages.setCurrentWidget(page)
        else:
            self.pages.setCurrentWidget(self.charting)
        self.legend.setVisible(page is None)  # the flowsheet's legend, not the forms'
        # After the pump stops the readiness list is what the nurse works down: give it room.
        discharging = state.infusion.stopped_at is not None or state.closed
        self.side.setStretch(0, 1)
        self.side.setStretch(1, 2 if discharging else 1)  # the clock and pump need room too

        series = build_series(state, ctx.protocol)
        self._shown = (ctx, series.flowsheet)
        self.model.set_rows(series.flowsheet)
        # Every column visible without scrolling sideways; the side panel takes what is left.
        self.table.resizeColumnsToContents()
        self.table.setMinimumWidth(
            self.table.horizontalHeader().length()
            + self.table.verticalScrollBar().sizeHint().width()
            + 2 * self.table.frameWidth()
        )
        self.trend.set_series(series)
        self.panel.setText(self._panel_html(ctx, series.flowsheet))
        self.legend.setText(
            "<b>▲ ▼</b> outside the protocol limits (amber: notify clinician, red: pause) · "
            f"<b>LATE</b> recorded more than {ctx.protocol.monitoring.late_entry_after_min} min "
            "after the reading · <s>struck</s> corrected or voided (hover for the reason) · "
            "NEWS2<b>*</b> missing a parameter (hover)"
        )
        count = len(state.events)
        self.footer.setText(
            f"Record {state.head_hash[:12]}… · {count} entr{'y' if count == 1 else 'ies'}"
        )
        can = self.user is not None and self.user.can(Permission.CHART) and not state.closed
        drug = controlled.reconcile(state, ctx.protocol)
        discharging = state.phase in (Phase.OBSERVING, Phase.READY_FOR_DISCHARGE)
        visible = {
            "start": can and state.phase is Phase.PREPARED and state.preparation is not None,
            "vitals": can and state.phase in _CHARTING,
            "alert": can and bool(state.open_alerts()),
            "pause": can and state.phase in _RUNNING,
            "rate": can and state.phase is Phase.INFUSING,
            "stop": can and state.phase in _RUNNING,
            "effect": can and state.infusion.started_at is not None,
            "prn": can and state.infusion.started_at is not None,
            "resolve": can and any(se.resolved is None for se in state.side_effects.values()),
            "note": can,
            "sedation": can and state.phase in _CHARTING,
            "cadss": can and state.phase in _CHARTING,
            "defer": can and state.phase in _CHARTING and self._next_check(ctx) is not None,
            "discharge": can and discharging,
            "waste": can
            and state.preparation is not None
            and state.phase not in _RUNNING
            and not drug.reconciled,
            "ready": can and state.phase is Phase.OBSERVING,
            "attest": can and discharging and not self._attested_by_me(state.attestations),
            "sign": can and discharging,
            "addendum": self.user is not None and self.user.can(Permission.CHART) and state.closed,
            # Withdrawn consent, the wrong patient opened, a contraindication found: the core
            # says what must be done first (stop the pump, account for the drug).
            "end": can,
        }
        for name, button in self.buttons.items():
            button.setVisible(visible[name])
        self.buttons["pause"].setText("Resume (P)" if state.phase is Phase.PAUSED else "Pause (P)")
        # The one thing left to do when the patient is ready: make it the obvious button.
        self.buttons["sign"].setDefault(state.phase is Phase.READY_FOR_DISCHARGE)
        self.charted.emit()

    def tick(self) -> None:
        """Move the clocks and the countdown on (nothing re-read: the record has not changed)."""
        if self._shown is not None and self.pages.currentWidget() is self.charting:
            ctx, flowsheet = self._shown
            self.panel.setText(self._panel_html(ctx, flowsheet))

    def set_theme(self, name: str) -> None:
        """Repaint in another theme (the style sheet is the application's; these parts paint
        their own colours)."""
        self.theme = name
        self.model.theme = name
        self.trend.theme = name
        for page in self.step_pages.values():
            page.theme = name
        self.refresh()
        self.trend.update()

    def set_user(self, user: User | None) -> None:
        """Whoever unlocked the workstation charts from here on, under their own name."""
        self.user = user
        for page in self.step_pages.values():
            page.user = user
        self.refresh()

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
            page = page_type(self.service, self.session_id, self.user, self.theme)
            page.saved.connect(self.refresh)
            self.pages.addWidget(page)
            self.step_pages[state.phase] = page
        return page

    def _complete_step(self) -> None:
        page = self.pages.currentWidget()
        if isinstance(page, StepPage) and page.complete.isVisible() and page.complete.isEnabled():
            page.complete.click()

    def _panel_html(self, ctx: SessionContext, flowsheet: tuple[FlowsheetRow, ...]) -> str:
        return session_panel.panel_html(ctx, flowsheet, self.clock.now(), self.service.timezone)

    # --- actions --------------------------------------------------------------------------------

    def _do(self, operation: Callable[[], Any]) -> None:
        if operations.run(self, operation) is not None:
            self.refresh()

    def start_infusion(self) -> None:
        """Start the pump at the planned rate after a confirmation; the core runs the guard."""
        if self.user is None:
            return
        user = self.user
        state = self.service.state(self.session_id)
        plan = state.typed(state.dose_plan, DosePlanned)
        if plan is None:
            return
        question = (
            f"Start the pump at {plan.rate_ml_h:g} mL/h, volume to be infused "
            f"{plan.final_volume_ml:g} mL ({plan.dose_mg:g} mg over {plan.duration_min} min)?"
        )
        if operations.confirm(self, "Start infusion", question):
            self._do(lambda: self.service.start_infusion(user, self.session_id))

    def record_vitals(self) -> None:
        """Open the keypad; after a save the flowsheet shows the new row at once."""
        if self.user is None:
            return
        if VitalsDialog.ask(self.service, self.session_id, self.user, self.theme, self):
            self.refresh()
            self.table.scrollToBottom()

    def _selected_entry(self) -> Any:
        """The effective vitals entry of the selected row, or None (struck rows are history)."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = self.model.row_at(index.row())
        if row.struck:
            operations.show_error(self, InputRejected("That entry was already corrected or voided"))
            return None
        return self.service.state(self.session_id).effective.get(row.event_id)

    def correct_selected(self) -> None:
        """Correct the selected reading: the original stays, struck through, with the reason."""
        entry = self._selected_entry()
        if entry is None or self.user is None:
            return
        if VitalsDialog.ask(
            self.service, self.session_id, self.user, self.theme, self, correcting=entry
        ):
            self.refresh()

    def void_selected(self) -> None:
        """Mark the selected reading as entered in error, with the reason."""
        entry = self._selected_entry()
        if entry is None or self.user is None:
            return
        user = self.user
        reason = TextDialog.ask(
            "Void entry",
            "Why was this entry made in error? (It stays visible, struck through.)",
            "Void",
            parent=self,
        )
        if reason is not None:
            self._do(lambda: self.service.void(user, self.session_id, entry.id, reason))

    def acknowledge_alert(self) -> None:
        """The oldest open alert, with the action taken."""
        state = self.service.state(self.session_id)
        if self.user is None or not state.open_alerts():
            return
        alert = state.open_alerts()[0]
        payload = alert.payload
        running = state.phase is Phase.INFUSING
        offer_pause = running and payload.level in (AlertLevel.PAUSE, AlertLevel.DO_NOT_START)
        answer = AlertDialog.ask(payload.message, self, offer_pause=offer_pause)
        if answer is None:
            return
        user = self.user

        # Pausing and acknowledging are one transaction in the core: both or neither.
        self._do(
            lambda: self.service.acknowledge_alert(
                user,
                self.session_id,
                alert.raised.id,
                action_taken=answer.action_taken,
                clinician_notified=answer.clinician_notified,
                pause_pump=answer.pause_pump,
            )
        )

    def pause_or_resume(self) -> None:
        """Pause with a reason, or resume at the last rate."""
        if self.user is None:
            return
        user = self.user
        state = self.service.state(self.session_id)
        if state.phase is Phase.PAUSED:
            rate = state.infusion.segments[-1].rate_ml_h if state.infusion.segments else 0.0
            paused_for = state.infusion.pauses[-1][2] if state.infusion.pauses else ""
            question = f"Resume the pump at {rate:g} mL/h?" + (
                f"\n\nIt was paused for: {paused_for}" if paused_for else ""
            )
            if operations.confirm(self, "Resume infusion", question):
                self._do(lambda: self.service.resume_infusion(user, self.session_id))
            return
        reason = TextDialog.ask(
            "Pause infusion", "Why is the infusion paused?", "Pause", parent=self
        )
        if reason is not None:
            self._do(lambda: self.service.pause_infusion(user, self.session_id, reason))

    def change_rate(self) -> None:
        """Slow the pump (a faster rate than planned is refused by the core) with a reason."""
        if self.user is None:
            return
        user = self.user
        state = self.service.state(self.session_id)
        plan = state.typed(state.dose_plan, DosePlanned)
        segments = state.infusion.segments
        if plan is None or not segments:
            return
        answer = RateDialog.ask(segments[-1].rate_ml_h, plan.rate_ml_h, self)
        while answer is not None:  # a refused rate reopens the dialog as it was typed
            rate, reason = answer
            if operations.run(
                self,
                partial(self.service.change_rate, user, self.session_id, rate, reason),
            ):
                self.refresh()
                return
            answer = RateDialog.ask(
                segments[-1].rate_ml_h, plan.rate_ml_h, self, previous=(rate, reason)
            )

    def stop_infusion(self) -> None:
        """Stop with the pump's volume (pre-filled with the bag)."""
        if self.user is None:
            return
        user = self.user
        state = self.service.state(self.session_id)
        plan = state.typed(state.dose_plan, DosePlanned)
        answer = StopDialog.ask(
            plan.final_volume_ml if plan else 0.0,
            state.infusion.expected_volume_ml(self.clock.now()),
            self,
        )
        if answer is not None:
            volume, completed, reason = answer
            self._do(
                lambda: self.service.stop_infusion(
                    user,
                    self.session_id,
                    volume_infused_ml=volume,
                    completed=completed,
                    reason=reason,
                )
            )

    def side_effect(self) -> None:
        """A side effect from the checklist, with severity."""
        if self.user is None:
            return
        user = self.user
        entry = SideEffectDialog.ask(self)
        if entry is not None:
            self._do(
                lambda: self.service.note_side_effect(
                    user,
                    self.session_id,
                    effect=entry.effect,
                    severity=entry.severity,
                    action=entry.action,
                    note=entry.note,
                )
            )

    def resolve_side_effect(self) -> None:
        """Mark an open side effect resolved (discharge waits for it)."""
        if self.user is None:
            return
        user = self.user
        state = self.service.state(self.session_id)
        tz = self.service.timezone
        open_effects = [
            (
                event_id,
                f"{side_effect_label(se.payload.effect, se.payload.severity)} "
                f"(since {local_text(se.noted.clinical_time, tz, '%H:%M')})",
            )
            for event_id, se in state.side_effects.items()
            if se.resolved is None
        ]
        answer = ResolveDialog.ask(open_effects, self)
        if answer is not None:
            event_id, note = answer
            self._do(
                lambda: self.service.resolve_side_effect(
                    user, self.session_id, EventId(event_id), note
                )
            )

    def give_prn(self) -> None:
        """A rescue medicine, ordered by a clinician."""
        if self.user is None:
            return
        user = self.user
        clinicians = [u for u in self.service.store.users() if u.can(Permission.ORDER_COURSE)]
        entry = PrnDialog.ask(clinicians, self)
        # A refusal (a dose of 0, a nurse as the orderer) reopens the dialog as it was typed.
        while entry is not None:
            given = entry
            saved = operations.run(
                self,
                partial(
                    self.service.give_prn,
                    user,
                    self.session_id,
                    drug=given.drug,
                    dose=given.dose,
                    unit=given.unit,
                    route=given.route,
                    indication=given.indication,
                    ordered_by=given.ordered_by,
                ),
            )
            if saved is not None:
                self.refresh()
                return
            entry = PrnDialog.ask(clinicians, self, previous=given)

    def assess_discharge(self) -> None:
        """The protocol's discharge score with escort and instructions."""
        if self.user is None:
            return
        user = self.user
        ctx = self.service.context(self.session_id)
        intake = ctx.state.intake
        escort = getattr(intake.payload, "escort_name", "") if intake else ""
        entry = DischargeDialog.ask(
            ScaleName(ctx.protocol.monitoring.discharge_scale), escort, self
        )
        if entry is not None:
            self._do(
                lambda: self.service.assess_discharge(
                    user,
                    self.session_id,
                    answers=entry.answers,
                    escort_present=entry.escort_present,
                    escort_name=entry.escort_name,
                    instructions_given=entry.instructions_given,
                    iv_removed_site_ok=entry.iv_removed_site_ok,
                )
            )

    def record_waste(self) -> None:
        """Waste, signed by a witness with their own password; suggests what is unaccounted."""
        if self.user is None:
            return
        user = self.user
        ctx = self.service.context(self.session_id)
        record = controlled.reconcile(ctx.state, ctx.protocol)
        entry = WasteDialog.ask(record.discrepancy_mg or 0.0, self)
        if entry is None:
            return

        def waste() -> Any:
            witness = self.service.accounts.authenticate(
                entry.witness_username, entry.witness_password
            )
            return self.service.record_waste(
                user,
                self.session_id,
                wasted_mg=entry.wasted_mg,
                witness=witness,
                witness_password=entry.witness_password,
                source="bag" if entry.source == "bag" else "vial",
            )

        self._do(waste)

    def _attested_by_me(self, attestations: list[Any]) -> bool:
        """Whether the signed-in user has already signed this session's charting."""
        user_id = self.user.id if self.user is not None else None
        return any(
            cast(ChartAttested, e.payload).signature.signer_id == user_id for e in attestations
        )

    def attest_chart(self) -> None:
        """The charting nurse signs the record as complete and accurate, before sign-off."""
        if self.user is None:
            return
        user = self.user
        password = PasswordDialog.ask(
            "Sign my charting",
            f"<p>You sign, as <b>{user.display_name}</b>: <b>“{Meaning.CHARTED_BY.value}”</b>."
            "</p><p>Your name, the date and time and this meaning are bound to the record as "
            "it stands now and printed on the summary.</p>",
            "Sign",
            self,
        )
        if password:
            self._do(lambda: self.service.attest_chart(user, self.session_id, password))

    def mark_ready(self) -> None:
        """Complete observation: refused in words while criteria are missing."""
        if self.user is None:
            return
        user = self.user
        self._do(lambda: self.service.advance(user, self.session_id, Phase.READY_FOR_DISCHARGE))

    def sign_off(self) -> None:
        """The clinician signs the discharge with their password; the record locks."""
        ctx = self.service.context(self.session_id)
        report = phases.sign_report(ctx.state, ctx.protocol, self.clock.now())
        missing = "".join(f"<li>{f.message}</li>" for f in report.errors)
        summary = f"<h3>{ctx.patient.display_name} — session {ctx.header.number_in_course}</h3>" + (
            f"<p><b>Not yet met:</b></p><ul>{missing}</ul>"
            if missing
            else "<p>All discharge criteria are met and the drug record is reconciled.</p>"
        )
        nurses = [cast(ChartAttested, e.payload).signature for e in ctx.state.attestations]
        summary += (
            "<p>Charting signed by " + ", ".join(s.signer_name for s in nurses) + ".</p>"
            if nurses
            else "<p>The charting nurse has not signed the charting yet (G).</p>"
        )
        default = (
            self.user.username if self.user and self.user.can(Permission.SIGN_DISCHARGE) else ""
        )
        entry = SignOffDialog.ask(summary, default, self)
        if entry is None:
            return

        def sign() -> Any:
            clinician = self.service.accounts.authenticate(entry.username, entry.password)
            return self.service.sign_off(
                clinician,
                self.session_id,
                entry.password,
                override_reason=entry.override_reason or None,
            )

        self._do(sign)

    def add_addendum(self) -> None:
        """A signed addendum after the lock."""
        if self.user is None:
            return
        user = self.user
        entry = AddendumDialog.ask(self)
        if entry is not None:
            self._do(
                lambda: self.service.add_addendum(
                    user,
                    self.session_id,
                    text=entry.text,
                    reason=entry.reason,
                    password=entry.password,
                )
            )

    def _document(self) -> pdf_actions.Document | None:
        """This session's summary, signed or not (an unsigned one is stamped DRAFT)."""
        if self.user is None:
            return None
        return pdf_actions.session_document(self.service, self.session_id, self.user)

    def show_course(self) -> None:
        """The patient's course; a row opens that session's own window."""
        ctx = self.service.context(self.session_id)
        view = CourseView(
            self.service,
            ctx.patient.id,
            self.clock.now(),
            self,
            theme=self.theme,
            user=self.user,
        )
        view.session_chosen.connect(lambda sid: self._open_other(view, sid))
        view.exec()

    def _open_other(self, course: QDialog, session_id: str) -> None:
        """Close the course view and ask the board for that session's window."""
        course.accept()
        if session_id != self.session_id:
            self.session_requested.emit(session_id)

    def _next_check(self, ctx: SessionContext) -> DueCheck | None:
        return next_check(ctx.state, ctx.protocol, self.clock.now())

    def _score(self, scale: ScaleName) -> None:
        if self.user is None:
            return
        user = self.user
        answers = scale_dialog.ask_scale(scale, self)
        if answers is not None:
            self._do(lambda: self.service.score_scale(user, self.session_id, scale, answers))

    def score_sedation(self) -> None:
        """The protocol's sedation scale (a score past the pause limit raises an alert)."""
        ctx = self.service.context(self.session_id)
        self._score(ScaleName(ctx.protocol.monitoring.sedation_scale))

    def score_dissociation(self) -> None:
        """CADSS-6 (due at the end of the infusion and before discharge)."""
        self._score(ScaleName.CADSS6)

    def defer_check(self) -> None:
        """ "Patient resting — check deferred", with a reason, for the next due check."""
        if self.user is None:
            return
        user = self.user
        check = self._next_check(self.service.context(self.session_id))
        if check is None:
            return
        what = "BP check" if check.mandatory_bp else "vitals check"
        due = local_text(check.due_at, self.service.timezone, "%H:%M")
        reason = TextDialog.ask(
            "Defer check",
            f"Defer the {what} due at {due}. Reason:",
            "Defer check",
            text="Patient resting",
            parent=self,
        )
        if reason:
            self._do(
                lambda: self.service.defer_check(
                    user, self.session_id, due_at=check.due_at, reason=reason
                )
            )

    def end_early(self) -> None:
        """End the session before completion with a reason; refused in words while the pump
        runs or drawn-up drug is unaccounted for."""
        if self.user is None:
            return
        user = self.user
        reason = TextDialog.ask(
            "End session early",
            "Why does this session end here? (e.g. consent withdrawn, opened for the wrong "
            "patient, contraindication found). The record is then closed; only addenda follow.",
            "End session",
            parent=self,
        )
        if reason:
            self._do(lambda: self.service.end_early(user, self.session_id, reason))

    def add_note(self) -> None:
        """A free-text nursing note."""
        if self.user is None:
            return
        user = self.user
        text = TextDialog.ask("Note", "Nursing note:", "Save", multiline=True, parent=self)
        if text:
            self._do(lambda: self.service.add_note(user, self.session_id, text))
