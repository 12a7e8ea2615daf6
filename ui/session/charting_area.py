"""The session window's body once the pump can start: the flowsheet above the whole session
record, beside the trend plot and the side panel (clock, pump, next check, readiness)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from charting.record import RecordRow
from charting.series import SessionSeries
from ui.session.flowsheet_model import FlowsheetTableModel
from ui.session.record_view import RecordPanel
from ui.session.trend_plot import TrendPlot


class ChartingArea(QWidget):
    """Flowsheet and record (left, one above the other), trend and panel (right)."""

    def __init__(self, tz: str, theme: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        body = QHBoxLayout(self)
        body.setContentsMargins(0, 0, 0, 0)
        self.model = FlowsheetTableModel(tz, theme)
        self.table = QTableView()
        self.table.setObjectName("flowsheet")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Columns are fitted to their contents when a new row could be wider than the rows
        # before it (see fit_flowsheet), not measured afresh on every entry: measuring every
        # cell of a long session was most of a redraw.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._content_widths: list[int] = []
        """Each column's width for its contents, as last fitted."""
        self.table.viewport().installEventFilter(self)
        self.record = RecordPanel(tz, theme)
        self.record.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.left = QSplitter(Qt.Orientation.Vertical)
        self.left.setObjectName("flowsheetAndRecord")
        self.left.setChildrenCollapsible(False)
        self.left.addWidget(self.table)
        self.left.addWidget(self.record)
        self.left.setStretchFactor(0, 1)
        self.left.setStretchFactor(1, 1)
        body.addWidget(self.left, 1)
        self.side = QVBoxLayout()
        self.trend = TrendPlot(theme, tz)
        self.side.addWidget(self.trend)
        self.panel = QLabel()
        self.panel.setObjectName("readinessPanel")
        self.panel.setWordWrap(True)
        self.panel.setAlignment(Qt.AlignmentFlag.AlignTop)
        panel_scroll = QScrollArea()  # the readiness list must never be cut off
        panel_scroll.setWidgetResizable(True)
        panel_scroll.setFrameShape(QFrame.Shape.NoFrame)
        panel_scroll.setWidget(self.panel)
        self.side.addWidget(panel_scroll, 1)
        body.addLayout(self.side, 1)

    def show_record(self, series: SessionSeries, rows: list[RecordRow], discharging: bool) -> None:
        """Draw the flowsheet, the record and the trend as the record now is."""
        # After the pump stops the readiness list is what the nurse works down: give it room.
        self.side.setStretch(0, 1)
        self.side.setStretch(1, 2 if discharging else 1)  # the clock and pump need room too
        before = self.model.rowCount()
        if self.model.set_rows(series.flowsheet):
            # Every column visible without scrolling sideways; the side panel takes the rest.
            self.fit_flowsheet()
        if self.model.rowCount() > before and not self.table.selectionModel().hasSelection():
            # The newest reading in view, whoever charted it (here, elsewhere, or on opening):
            # the last row is the one a nurse looks for, and it may be the abnormal one. Once
            # the rows are laid out (their heights settle after this call).
            QTimer.singleShot(0, self.table, self.table.scrollToBottom)
        self.record.show_rows(rows)
        self.trend.set_series(series)

    def showEvent(self, event: QShowEvent) -> None:
        """Open on the newest readings (the table has its height only once shown)."""
        super().showEvent(event)
        if not self.table.selectionModel().hasSelection():  # a row the nurse chose stays
            QTimer.singleShot(0, self.table, self.table.scrollToBottom)

    def fit_flowsheet(self) -> None:
        """Make the flowsheet wide enough for every column (the side panel takes the rest)."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        self._content_widths = [header.sectionSize(i) for i in range(header.count())]
        width = (
            sum(self._content_widths)
            + self.table.verticalScrollBar().sizeHint().width()
            + 2 * self.table.frameWidth()
        )
        if width != self.table.minimumWidth():
            self.table.setMinimumWidth(width)
        self._spread_columns()

    def _spread_columns(self) -> None:
        """Share the width the flowsheet has beyond its contents among its columns (on a big
        screen the columns stretch, none narrower than what it holds)."""
        widths = self._content_widths
        if not widths:
            return
        extra = max(self.table.viewport().width() - sum(widths), 0)
        share, rest = divmod(extra, len(widths))
        header = self.table.horizontalHeader()
        for i, width in enumerate(widths):
            wanted = width + share + (1 if i < rest else 0)
            if header.sectionSize(i) != wanted:
                header.resizeSection(i, wanted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The flowsheet's visible width changed: spread its columns again."""
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._spread_columns()
        return False

    def set_theme(self, name: str) -> None:
        """Repaint the parts that paint their own colours."""
        self.model.theme = name
        self.record.model.theme = name
        self.trend.theme = name
        self.trend.update()
