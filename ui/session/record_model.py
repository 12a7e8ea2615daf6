"""The session record table: every entry in time order, drawn from ``charting.record``.

Struck (corrected or voided) entries keep their words, struck through, with what became of
them; a correction says what it corrected; alerts carry their level in words and colour; a late
entry is marked in the "charted" column. The nurse filters by kind of entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from bedside.protocol import AlertLevel
from bedside.timeutil import local_text
from charting.record import EntryGroup, RecordRow
from ui.common.table_model import Index, RowTableModel
from ui.common.theme import colour

EventIdRole = Qt.ItemDataRole.UserRole + 1
CorrectableRole = Qt.ItemDataRole.UserRole + 2

TIME, WHAT, ENTRY, BY, CHARTED = range(5)


def fate_text(row: RecordRow, tz: str) -> str:
    """What became of a struck entry, e.g. "voided 10:40 by Ann Lee: wrong patient"."""
    if row.replaced is None:
        return ""
    done = "voided (entered in error)" if row.replaced.voided else "corrected"
    if row.replaced.set_aside:
        done = "set aside by a clinician (charted at two workstations)"
    when = local_text(row.replaced.at, tz, "%H:%M")
    return f"{done} {when} by {row.replaced.by}: {row.replaced.why}"


class SessionRecordModel(RowTableModel[RecordRow]):
    """The record's rows, filtered by :class:`~charting.record.EntryGroup`."""

    headers = ("Time", "What", "Entry", "By", "Charted")

    def __init__(self, tz: str, theme: str = "dim") -> None:
        super().__init__()
        self.tz = tz
        self._theme = theme
        self._all: tuple[RecordRow, ...] = ()
        self._groups: frozenset[EntryGroup] = frozenset(EntryGroup)

    @property
    def theme(self) -> str:
        """The colour theme the rows are drawn in."""
        return self._theme

    @theme.setter
    def theme(self, name: str) -> None:
        self._theme = name
        if self._rows:
            last = self.index(len(self._rows) - 1, len(self.headers) - 1)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.ForegroundRole])

    # --- rows and filter ------------------------------------------------------------------------

    @property
    def groups(self) -> frozenset[EntryGroup]:
        """The kinds of entry shown."""
        return self._groups

    def set_groups(self, groups: Iterable[EntryGroup]) -> None:
        """Show only entries of ``groups`` (every group when empty)."""
        chosen = frozenset(groups) or frozenset(EntryGroup)
        if chosen != self._groups:
            self._groups = chosen
            self._set_rows(self._visible(self._all))

    def set_rows(self, rows: Iterable[RecordRow]) -> bool:
        """Show the record as it now is; entries added at the end are inserted (the common
        case: one more entry), anything else redraws the table. Returns whether a row was
        added or changed."""
        new_all = tuple(rows)
        if new_all == self._all:
            return False
        old_visible = self._rows
        visible = self._visible(new_all)
        self._all = new_all
        old, new = len(old_visible), len(visible)
        if new > old and tuple(visible[:old]) == tuple(old_visible):
            self.beginInsertRows(QModelIndex(), old, new - 1)
            self._rows = visible
            self.endInsertRows()
        elif visible != old_visible:
            self._set_rows(visible)
        return True

    def _visible(self, rows: tuple[RecordRow, ...]) -> tuple[RecordRow, ...]:
        if self._groups == frozenset(EntryGroup):
            return rows
        return tuple(r for r in rows if r.group in self._groups)

    def row_at(self, row: int) -> RecordRow | None:
        """The entry shown at ``row``."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # --- Qt interface -----------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._row_of(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.FontRole and row.struck:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row)
        if role == EventIdRole:
            return str(row.event_id)
        if role == CorrectableRole:
            return row.correctable
        return None

    def _text(self, row: RecordRow, column: int) -> str:
        if column == TIME:
            return local_text(row.clinical_time, self.tz, "%H:%M")
        if column == WHAT:
            return f"⚠ {row.what}" if row.level is not None else row.what
        if column == ENTRY:
            if row.struck:
                return f"{row.words}  [{fate_text(row, self.tz)}]"
            if row.correction_of is not None:
                return f"✎ {row.words}  [correction: {row.correction_of}]"
            return row.words
        if column == BY:
            return row.author
        # Only when typed later than taken: a column of repeated times would hide the late ones.
        charted = local_text(row.recorded_time, self.tz, "%H:%M")
        if row.late:
            return f"{charted} LATE"
        return charted if charted != local_text(row.clinical_time, self.tz, "%H:%M") else ""

    def _tooltip(self, row: RecordRow) -> str:
        lines = [
            f"{row.what}: {row.words}",
            f"Taken {local_text(row.clinical_time, self.tz, '%d %b %H:%M')}, charted "
            f"{local_text(row.recorded_time, self.tz, '%d %b %H:%M')} by {row.author}"
            + (" (late entry)" if row.late else ""),
        ]
        if row.struck:
            lines.append(f"Struck through: {fate_text(row, self.tz)}")
        elif row.correction_of is not None:
            lines.append(f"Corrects an earlier version: {row.correction_of}")
        if row.correctable:
            lines.append("C corrects it, Delete voids it (each with a reason)")
        return "\n".join(lines)

    def _foreground(self, row: RecordRow) -> QBrush | None:
        if row.struck:
            return QBrush(colour(self._theme, "muted"))
        if row.level is AlertLevel.NOTIFY:
            return QBrush(colour(self._theme, "warning"))
        if row.level is not None:
            return QBrush(colour(self._theme, "danger"))
        return None
