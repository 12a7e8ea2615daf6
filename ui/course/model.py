"""The course table: one row per session of a patient's course, from ``charting.course``.

Numbers come from the course summary as computed once in ``charting``; this model only words
and colours them. Abnormal values are coloured *and* worded (a ▲ on a peak BP that crossed a
protocol limit, "item 9 > 0" beside a PHQ-9), so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont

from bedside.protocol import AlertLevel
from bedside.rules.side_effects import is_severe
from charting.course import CourseSessionRow, CourseSummary, SessionStatus
from ui.common.table_model import Index, RowTableModel
from ui.common.theme import colour

SessionIdRole = Qt.ItemDataRole.UserRole + 1

# (key, header) left to right; side effects last so it takes the spare width.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", "Session"),
    ("date", "Date"),
    ("status", "Status"),
    ("dose", "Dose"),
    ("peak_bp", "Peak BP\nmmHg"),
    ("cadss6", "CADSS-6\nend"),
    ("phq9", "PHQ-9\nbefore"),
    ("cssrs", "C-SSRS\nscreen"),
    ("side_effects", "Side effects"),
)
_KEYS = tuple(key for key, _ in COLUMNS)
_CENTRED = frozenset({"number", "peak_bp", "cadss6", "phq9", "cssrs"})


def column_of(key: str) -> int:
    """The column number of a column key (e.g. ``"phq9"``)."""
    return _KEYS.index(key)


def _dose(row: CourseSessionRow) -> str:
    """Planned dose, and on a second line what was given when it differs."""
    if row.planned_mg is None or row.planned_mg_per_kg is None:
        return "—"
    planned = f"{row.planned_mg:g} mg · {row.planned_mg_per_kg:g} mg/kg"
    given = row.infused_mg_per_kg
    if row.dose_differs and row.infused_mg is not None and given is not None:
        return f"{planned} planned\n{row.infused_mg:g} mg · {given:.2f} mg/kg given"
    return planned


def _peak_bp(row: CourseSessionRow) -> str:
    return row.peak_bp_text + (" ▲" if row.peak_bp_level is not None else "")


def _phq9(row: CourseSessionRow) -> str:
    if row.phq9_before is None:
        return "—"
    return f"{row.phq9_before} · item 9 > 0" if row.phq9_item9_positive else str(row.phq9_before)


def _cadss6(row: CourseSessionRow) -> str:
    return "—" if row.cadss6_end is None else str(row.cadss6_end)


def _cssrs(row: CourseSessionRow) -> str:
    return "—" if row.cssrs_band is None else row.cssrs_band


_TEXT: dict[str, Callable[[CourseSessionRow], str]] = {
    "number": lambda r: r.number_text,
    "date": lambda r: r.date.strftime("%a %d %b %Y"),
    "status": lambda r: r.status_text,
    "dose": _dose,
    "peak_bp": _peak_bp,
    "cadss6": _cadss6,
    "phq9": _phq9,
    "cssrs": _cssrs,
    "side_effects": lambda r: r.side_effects_text if r.side_effects or r.infusion_started else "—",
}


class CourseTableModel(RowTableModel[CourseSessionRow]):
    """The sessions of a :class:`CourseSummary`, oldest first."""

    headers = tuple(header for _, header in COLUMNS)

    def __init__(self, theme: str = "dim") -> None:
        super().__init__()
        self.theme = theme

    # --- row object interface -----------------------------------------------------------------

    def set_summary(self, summary: CourseSummary) -> None:
        """Show the sessions of ``summary`` (a full reload: the course is re-read as a whole)."""
        self._set_rows(summary.sessions)

    def row_at(self, row: int) -> CourseSessionRow:
        """The course row behind a table row."""
        return self._rows[row]

    def _colour(self, row: CourseSessionRow, key: str) -> str | None:
        """The palette colour name of a cell, None for the normal text colour."""
        if key == "peak_bp" and row.peak_bp_level is not None:
            return "warning" if row.peak_bp_level is AlertLevel.NOTIFY else "danger"
        if key == "cssrs" and row.cssrs_flagged:
            return "danger"
        if key == "phq9" and row.phq9_item9_positive:
            return "warning"
        if key == "status":
            if row.status is SessionStatus.ENDED_EARLY:
                return "warning"
            if row.status is SessionStatus.OPEN:
                return "accent"
        if key == "side_effects" and is_severe(row.max_side_effect_severity or 0):
            return "danger"
        if key in ("dose", "peak_bp", "cadss6", "side_effects") and not row.infusion_started:
            return "muted"
        return None

    def _tooltip(self, row: CourseSessionRow, key: str) -> str | None:
        if key == "status" and row.ended_early_reason:
            return f"Ended early: {row.ended_early_reason}"
        if key == "dose" and row.dosing_weight_kg is not None:
            lines = [f"Dosing weight {row.dosing_weight_kg:g} kg"]
            if row.infused_mg is not None:
                lines.append(f"Infused {row.infused_mg:g} mg (pump volume × bag concentration)")
            elif row.infusion_started:
                lines.append("Infused amount is known when the infusion stops")
            return "\n".join(lines)
        if key == "peak_bp" and row.peak_bp_level is not None:
            return f"Peak crossed the protocol's {row.peak_bp_level.value.replace('_', ' ')} limit"
        if key == "cadss6":
            return "CADSS-6 total (0–24) scored nearest the end of the infusion"
        if key == "phq9":
            note = "PHQ-9 total (0–27) scored before the infusion started"
            if row.phq9_item9_positive:
                note += "\nItem 9 (thoughts of death or self-harm) above 0: same-day follow-up"
            return note
        if key == "cssrs" and row.cssrs_band is not None:
            return f"Worst C-SSRS screen of the session: {row.cssrs_band} risk"
        if key == "side_effects" and row.side_effects:
            return "\n".join(s.text for s in row.side_effects)
        return None

    # --- Qt interface ---------------------------------------------------------------------------

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            centred = COLUMNS[section][0] in _CENTRED
            horizontal = Qt.AlignmentFlag.AlignHCenter if centred else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._row_of(index)
        if row is None or not 0 <= index.column() < len(COLUMNS):
            return None
        key = _KEYS[index.column()]
        if role == SessionIdRole:
            return str(row.session_id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _TEXT[key](row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            name = self._colour(row, key)
            return QBrush(colour(self.theme, name)) if name else None
        if role == Qt.ItemDataRole.FontRole:
            name = self._colour(row, key)
            if name in ("warning", "danger") or key == "number":
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignHCenter if key in _CENTRED else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None
