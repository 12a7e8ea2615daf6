"""A session's record on screen: header, flowsheet and discharge readiness.

Read-only. Charting steps (the guided workspace) build on this window in the next slice.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bedside.clock import Clock
from bedside.ids import SessionId
from bedside.rules import discharge
from bedside.service import ChartService
from bedside.timeutil import local_text
from charting.flowsheet import build_flowsheet
from ui.flowsheet_model import FlowsheetTableModel


class SessionView(QDialog):
    """One session, as recorded."""

    def __init__(
        self,
        service: ChartService,
        session_id: SessionId,
        clock: Clock,
        theme: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.session_id = session_id
        self.clock = clock
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
        footer = QLabel(
            f"Record hash {ctx.state.head_hash[:16]}… · {len(ctx.state.events)} entries"
        )
        footer.setProperty("role", "muted")
        layout.addWidget(footer)
        self.resize(1180, 620)
