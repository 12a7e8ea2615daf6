"""The flowsheet table: time rows × parameter columns, drawn from ``charting.build_flowsheet``.

Abnormal values are coloured by their alert level (and marked ▲/▼ so colour is not the only
cue); corrected or voided entries are struck through with the reason in the tooltip; late
entries are marked in the time column.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from bedside.protocol import AlertLevel
from bedside.timeutil import local_text
from charting.flowsheet import FLOWSHEET_COLUMNS, FlowsheetRow
from ui.common.theme import colour

EventIdRole = Qt.ItemDataRole.UserRole + 1
LevelRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class FlowsheetTableModel(QAbstractTableModel):
    """Rows from ``build_flowsheet``; column 0 is the time, then one column per parameter,
    then NEWS2."""

    def __init__(self, tz: str, theme: str = "dim") -> None:
        super().__init__()
        self.tz = tz
        self.theme = theme
        self._rows: tuple[FlowsheetRow, ...] = ()

    # --- row object interface -----------------------------------------------------------------

    def set_rows(self, rows: tuple[FlowsheetRow, ...]) -> None:
        """Replace all rows (the flowsheet is rebuilt from the record after each change)."""
        if rows == self._rows:
            return
        old, new = len(self._rows), len(rows)
        same_prefix = new >= old and rows[:old] == self._rows
        if same_prefix and new > old:
            self.beginInsertRows(QModelIndex(), old, new - 1)
            self._rows = rows
            self.endInsertRows()
        else:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()

    def row_at(self, row: int) -> FlowsheetRow:
        """The flowsheet row behind a table row."""
        return self._rows[row]

    def _time_text(self, r: FlowsheetRow) -> str:
        base = local_text(r.time, self.tz, "%H:%M")
        minutes = f"{r.minutes:+.0f}′" if not r.baseline else "base"
        mark = "  LATE" if r.late else ""
        return f"{base}  {minutes}{mark}"

    # --- Qt interface ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FLOWSHEET_COLUMNS) + 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return "Time"
        if section == len(FLOWSHEET_COLUMNS) + 1:
            return "NEWS2"
        column = FLOWSHEET_COLUMNS[section - 1]
        return f"{column.header}\n{column.unit}"

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        news_col = len(FLOWSHEET_COLUMNS) + 1
        cell = r.cell(FLOWSHEET_COLUMNS[col - 1].key) if 0 < col < news_col else None
        if role == EventIdRole:
            return r.event_id
        if role == LevelRole:
            return cell.level.value if cell is not None and cell.level else None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self._time_text(r)
            if col == news_col:
                if r.news2 is None:
                    return ""
                return f"{r.news2.total}" + ("*" if not r.news2.complete else "")
            assert cell is not None
            if cell.level is not None and cell.value is not None:
                up = any("above" in x or "rose" in x for x in cell.reasons)
                return f"{cell.text} {'▲' if up else '▼'}"
            return cell.text
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setStrikeOut(r.struck)
            font.setBold(cell is not None and cell.level is not None and not r.struck)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if r.struck:
                return QBrush(colour(self.theme, "muted"))
            if cell is not None and cell.level is not None:
                name = "warning" if cell.level is AlertLevel.NOTIFY else "danger"
                return QBrush(colour(self.theme, name))
            if col == 0 and r.late:
                return QBrush(colour(self.theme, "warning"))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            notes = []
            if r.struck:
                what = "Voided" if r.voided else "Corrected"
                notes.append(f"{what}: {r.struck_reason}")
            if r.correction_reason:
                notes.append(f"Correction of an earlier entry: {r.correction_reason}")
            if r.late:
                notes.append(
                    f"Late entry: recorded at {local_text(r.recorded_time, self.tz, '%H:%M')}"
                )
            if cell is not None:
                notes.extend(cell.reasons)
            if col == news_col and r.news2 is not None:
                notes.extend(f.message for f in r.news2.report.findings)
            return "\n".join(notes) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
