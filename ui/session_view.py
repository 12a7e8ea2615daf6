"""A session's record on screen: header, flowsheet and discharge readiness.

Read-only. Charting steps (the guided workspace) build on this window in the next slice.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bedside.clock import Clock
from bedside.events import Phase
from bedside.ids import SessionId
from bedside.people import User
from bedside.rules import discharge
from bedside.service import ChartService
from bedside.timeutil import local_text
from charting.board import countdown_text, summarize
from charting.flowsheet import build_flowsheet
from ui.flowsheet_model import FlowsheetTableModel
from ui.vitals_dialog import VitalsDialog

_VITALS_PHASES = {Phase.INFUSING, Phase.PAUSED, Phase.OBSERVING, Phase.READY_FOR_DISCHARGE}


class SessionView(QDialog):
    """One session, as recorded."""

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
        ctx = service.context(session_id)
        p, h = ctx.patient, ctx.header
        self.setWindowTitle(f"{p.display_name} — chair {h.chair}")
        layout = QVBoxLayout(self)
        head = QLabel(
            f"<h2>{p.display_name}</h2>"
            f"<p>{p.mrn} · born {p.date_of_birth:%d %b %Y} · session {h.number_in_course} of "
            f"{ctx.order.planned_infusions} · protocol v{ctx.protocol.version} · "
            f"<b>{ctx.state.phase.label}</b></p>"
        )
        head.setObjectName("sessionHeader")
        layout.addWidget(head)
        body = QHBoxLayout()
        self.model = FlowsheetTableModel(service.timezone, theme)
        self.model.set_rows(build_flowsheet(ctx.state, ctx.protocol))
        self.table = QTableView()
        self.table.setObjectName("flowsheet")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(False)
        body.addWidget(self.table, 3)
        # A signed record is shown as it stood when signed, not re-judged at today's time.
        signed = ctx.state.signed
        at = signed.clinical_time if signed is not None else clock.now()
        readiness = discharge.evaluate(ctx.state, ctx.protocol, at)
        first = discharge.first_ready_time(ctx.state, ctx.protocol, at)
        first_text = (
            f"<p>All criteria first met at <b>{local_text(first, service.timezone, '%H:%M')}"
            "</b></p>"
            if first
            else ""
        )
        items = "".join(
            f"<li>{'✓' if c.met else '✗'} {c.label} <span style='opacity:.7'>({c.detail})</span>"
            "</li>"
            for c in readiness.criteria
        )
        when = "at sign-off" if signed is not None else "now"
        if ctx.state.infusion.stopped_at is None and not ctx.state.closed:
            # Before the pump stops, readiness is all crosses: show the infusion instead.
            tile = summarize(h.chair, ctx.state, ctx.protocol, p, clock.now())
            alerts = "".join(f"<li>⚠ {message}</li>" for _, message in tile.open_alerts)
            check = (
                f"Next: {'BP check' if tile.next_check.mandatory_bp else 'vitals'} "
                f"{countdown_text(tile.seconds_to_next)}"
                if tile.next_check is not None
                else ""
            )
            panel = QLabel(
                f"<h3>{ctx.state.phase.label}</h3><p style='font-size:20pt'>"
                f"{tile.elapsed_label}</p><p>{check}</p>"
                + (f"<ul>{alerts}</ul>" if alerts else "<p>No open alerts.</p>")
                + "<p>Discharge readiness is listed once the infusion has stopped.</p>"
            )
        else:
            panel = QLabel(f"<h3>Discharge readiness ({when})</h3>{first_text}<ul>{items}</ul>")
        panel.setObjectName("readinessPanel")
        panel.setWordWrap(True)
        body.addWidget(panel, 2)
        layout.addLayout(body)
        legend = QLabel(
            "<b>▲ ▼</b> outside the protocol limits (amber: notify clinician, red: pause) · "
            "<b>LATE</b> recorded more than "
            f"{ctx.protocol.monitoring.late_entry_after_min} min after the reading · "
            "<s>struck</s> corrected or voided (hover for the reason) · "
            "NEWS2<b>*</b> missing a parameter (hover)"
        )
        legend.setProperty("role", "muted")
        legend.setWordWrap(True)
        layout.addWidget(legend)
        footer_row = QHBoxLayout()
        self.footer = QLabel()
        self.footer.setProperty("role", "muted")
        footer_row.addWidget(self.footer, 1)
        self.vitals_button = QPushButton("Record vitals (V)")
        self.vitals_button.setObjectName("recordVitals")
        self.vitals_button.clicked.connect(self.record_vitals)
        can_chart = ctx.state.phase in _VITALS_PHASES and user is not None
        self.vitals_button.setVisible(can_chart)
        footer_row.addWidget(self.vitals_button)
        layout.addLayout(footer_row)
        if can_chart:
            shortcut = QShortcut(QKeySequence("V"), self)
            shortcut.activated.connect(self.record_vitals)
        self._refresh_footer()
        self.resize(1180, 620)

    def _refresh_footer(self) -> None:
        state = self.service.state(self.session_id)
        self.footer.setText(f"Record hash {state.head_hash[:16]}… · {len(state.events)} entries")

    def record_vitals(self) -> None:
        """Open the keypad; after a save the flowsheet shows the new row at once."""
        if self.user is None:
            return
        saved = VitalsDialog.ask(self.service, self.session_id, self.user, self.theme, self)
        if not saved:
            return
        ctx = self.service.context(self.session_id)
        self.model.set_rows(build_flowsheet(ctx.state, ctx.protocol))
        self.table.scrollToBottom()
        self._refresh_footer()
