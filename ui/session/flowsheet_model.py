"""The flowsheet table: time rows × parameter columns, drawn from ``charting.build_flowsheet``.

Abnormal values are coloured by their alert level (and marked ▲/▼ so colour is not the only
cue); a baseline value in the caution band before the start is marked △/▽ (no colour: it is
not an alert) with its reason in the tooltip; corrected or voided entries are struck through
with the reason in the tooltip; late entries are marked in the time column.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from bedside.protocol import AlertLevel
from bedside.timeutil import local_text
from charting.flowsheet import FLOWSHEET_COLUMNS, FlowsheetCell, FlowsheetRow
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
        self._theme = theme
        self._rows: tuple[FlowsheetRow, ...] = ()
        self._shown: dict[tuple[int, int], _Shown] = {}
        """Each cell as drawn, worked out once (a repaint asks for every role of every cell)."""
        self._widest: dict[int, int] = {}
        """The longest text (characters) shown in each column so far."""

    @property
    def theme(self) -> str:
        """The colour theme the cells are drawn in."""
        return self._theme

    @theme.setter
    def theme(self, name: str) -> None:
        self._theme = name
        self._shown.clear()

    # --- row object interface -----------------------------------------------------------------

    def set_rows(self, rows: tuple[FlowsheetRow, ...]) -> bool:
        """Show ``rows`` (the flowsheet is rebuilt from the record after each change): new rows
        at the end are inserted, anything else resets the table.

        Returns whether a column may need to widen: the table was reset, or a new row has a
        cell longer than any before it in its column (the view fits the columns only then).
        """
        if rows == self._rows:
            return False
        old, new = len(self._rows), len(rows)
        if new > old and rows[:old] == self._rows:
            self.beginInsertRows(QModelIndex(), old, new - 1)
            self._rows = rows
            self.endInsertRows()
            return self._widens(range(old, new))
        self.beginResetModel()
        self._rows = rows
        self._shown.clear()
        self._widest.clear()
        self.endResetModel()
        self._widens(range(new))
        return True

    def _widens(self, rows: range) -> bool:
        """Whether any cell of ``rows`` is longer than its column's longest so far (and
        remember the new longest)."""
        wider = False
        for row in rows:
            for col in range(self.columnCount()):
                length = len(self._cell_at(row, col).text)
                if length > self._widest.get(col, 0):
                    self._widest[col] = length
                    wider = True
        return wider

    def row_at(self, row: int) -> FlowsheetRow:
        """The flowsheet row behind a table row."""
        return self._rows[row]

    def _time_text(self, r: FlowsheetRow) -> str:
        base = local_text(r.time, self.tz, "%H:%M")
        minutes = f"{r.minutes:+.0f}′" if not r.baseline else "base"
        mark = "  LATE" if r.late else ""
        if r.scores_only:
            mark = "  scores" + mark
        return f"{base}  {minutes}{mark}"

    # --- Qt interface ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FLOWSHEET_COLUMNS) + 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        inner = 0 < section <= len(FLOWSHEET_COLUMNS)
        column = FLOWSHEET_COLUMNS[section - 1] if inner else None
        if role == Qt.ItemDataRole.ToolTipRole and column is not None:
            return f"{column.header} ({column.unit})"
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column is None:
            return "Time" if section == 0 else "NEWS2"
        # Short headers, as paper flowsheets have them: every column fits beside the plot.
        return f"{column.short}\n{column.unit}"

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        shown = self._cell_at(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return shown.text
        if role == Qt.ItemDataRole.FontRole:
            return _font(shown.font)
        if role == Qt.ItemDataRole.ForegroundRole:
            return None if shown.colour is None else QBrush(colour(self._theme, shown.colour))
        if role == Qt.ItemDataRole.ToolTipRole:
            return shown.tooltip
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == EventIdRole:
            return self._rows[index.row()].event_id
        if role == LevelRole:
            return shown.level
        return None

    def _cell_at(self, row: int, col: int) -> _Shown:
        key = (row, col)
        shown = self._shown.get(key)
        if shown is None:
            shown = self._shown[key] = self._cell(self._rows[row], col)
        return shown

    def _cell(self, r: FlowsheetRow, col: int) -> _Shown:
        """Everything one cell shows, worked out once."""
        news_col = len(FLOWSHEET_COLUMNS) + 1
        cell = r.cell(FLOWSHEET_COLUMNS[col - 1].key) if 0 < col < news_col else None
        if col == 0:
            text = self._time_text(r)
        elif col == news_col:
            news = r.news2
            text = "" if news is None else f"{news.total}" + ("*" if not news.complete else "")
        else:
            assert cell is not None
            text = f"={cell.text}" if cell.copied else cell.text
            if cell.mark:
                text = f"{text} {cell.mark}"
        flagged = cell is not None and cell.level is not None
        font = (r.struck, flagged and not r.struck, cell is not None and cell.copied)
        tint: str | None = None
        if r.struck:
            tint = "muted"
        elif cell is not None and cell.level is not None:
            tint = "warning" if cell.level is AlertLevel.NOTIFY else "danger"
        elif col == 0 and r.late:
            tint = "warning"
        notes = self._notes(r, cell, col == news_col)
        level = cell.level.value if cell is not None and cell.level else None
        return _Shown(text, font, tint, "\n".join(notes) or None, level)

    def _notes(self, r: FlowsheetRow, cell: FlowsheetCell | None, news: bool) -> list[str]:
        """A cell's tooltip lines: what became of the row, lateness, why it is flagged."""
        notes = []
        if r.struck:
            what = "Voided" if r.voided else "Corrected"
            notes.append(f"{what}: {r.struck_reason}")
        if r.correction_reason:
            notes.append(f"Correction of an earlier entry: {r.correction_reason}")
        if r.late:
            notes.append(f"Late entry: recorded at {local_text(r.recorded_time, self.tz, '%H:%M')}")
        if cell is not None:
            notes.extend(cell.reasons)
            if cell.copied:
                notes.append("Copied from the previous set (not measured again)")
        if news and r.news2 is not None:
            notes.extend(f.message for f in r.news2.report.findings)
        return notes


@dataclass(frozen=True)
class _Shown:
    """One cell as drawn: text, (struck, bold, italic), colour name, tooltip, alert level."""

    text: str
    font: tuple[bool, bool, bool]
    colour: str | None
    tooltip: str | None
    level: str | None


@functools.cache
def _font(style: tuple[bool, bool, bool]) -> QFont:
    """One of the fonts a cell can have (struck, bold, italic when copied), made once (after
    the application exists: a font needs it)."""
    struck, bold, italic = style
    font = QFont()
    font.setStrikeOut(struck)
    font.setBold(bold)
    font.setItalic(italic)
    return font
