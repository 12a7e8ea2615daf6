"""The session record on the session window: every entry in time order, filterable by kind,
with the selected entry's full words beneath (a long note or a correction's reason is never
cut off), and the newest entry kept in view as entries are charted."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bedside.timeutil import local_text
from charting.record import EntryGroup, RecordRow
from ui.session.record_model import ENTRY, SessionRecordModel, fate_text

ALL_ENTRIES = "All entries"


class RecordPanel(QWidget):
    """The record table, its filter and the selected entry in full."""

    def __init__(self, tz: str, theme: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        title = QLabel("<b>Session record</b>")
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(QLabel("Show:"))
        self.filter = QComboBox()
        self.filter.setObjectName("recordFilter")
        self.filter.setToolTip("Show every entry, or one kind of entry")
        self.filter.addItem(ALL_ENTRIES, None)
        for group in EntryGroup:
            self.filter.addItem(group.value, group)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        top.addWidget(self.filter)
        layout.addLayout(top)
        self.model = SessionRecordModel(tz, theme)
        self.table = QTableView()
        self.table.setObjectName("sessionRecord")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ENTRY, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.installEventFilter(self)
        layout.addWidget(self.table, 1)
        self.detail = QLabel()
        self.detail.setObjectName("recordDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setProperty("role", "muted")
        layout.addWidget(self.detail)
        self._selection_changed()

    def show_rows(self, rows: list[RecordRow]) -> None:
        """Show the record as it now is; a new entry at the end is scrolled into view."""
        before = self.model.rowCount()
        if self.model.set_rows(rows) and self.model.rowCount() > before:
            self.table.scrollToBottom()
        self._selection_changed()

    def showEvent(self, event: QShowEvent) -> None:
        """Open on the newest entries (the table has its height only once shown)."""
        super().showEvent(event)
        if not self.table.currentIndex().isValid():
            self.table.scrollToBottom()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arriving on the record (Tab) selects the newest entry, not the session's opening."""
        if (
            watched is self.table
            and event.type() == QEvent.Type.FocusIn
            and not self.table.currentIndex().isValid()
            and self.model.rowCount()
        ):
            self.table.selectRow(self.model.rowCount() - 1)
        return super().eventFilter(watched, event)

    def selected(self) -> RecordRow | None:
        """The entry the nurse selected, if any."""
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _filter_changed(self) -> None:
        group = self.filter.currentData()
        self.model.set_groups([] if group is None else [group])
        self.table.scrollToBottom()

    def _selection_changed(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        row = self.selected()
        if row is None:
            self.detail.setText(
                "Select an entry to read it in full; C corrects it, Delete voids it."
            )
            return
        tz = self.model.tz
        late = " — LATE entry" if row.late else ""
        text = (
            f"<b>{local_text(row.clinical_time, tz, '%H:%M')} {escape(row.what)}</b>: "
            f"{escape(row.words)} <i>(charted {local_text(row.recorded_time, tz, '%H:%M')} by "
            f"{escape(row.author)}{late})</i>"
        )
        if row.struck:
            text += f"<br>Struck through: {escape(fate_text(row, tz))}"
        elif row.correction_of is not None:
            text += f"<br>Correction of an earlier version: {escape(row.correction_of)}"
        if not row.correctable and not row.struck:
            text += "  (this kind of entry is not corrected: chart a note, or an addendum)"
        self.detail.setText(text)
