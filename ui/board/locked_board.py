"""What the locked board shows a nurse walking past: each chair's number, phase, next check
(overdue in colour) and open alerts — and no patient's name or record."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from bedside.protocol import AlertLevel
from charting.board import ChairSummary, Urgency
from ui.common.theme import PALETTES

_ALERT_WORDS = {
    AlertLevel.NOTIFY: "notify alert",
    AlertLevel.PAUSE: "PAUSE alert",
    AlertLevel.DO_NOT_START: "do-not-start alert",
}


def chair_lines(summary: ChairSummary) -> list[str]:
    """A chair in words without the patient: "Chair 2", "Infusing 22:00", "Vitals overdue"."""
    lines = [f"Chair {summary.chair}"]
    if not summary.occupied:
        return [*lines, "free"]
    if summary.phase is not None:
        lines.append(summary.elapsed_label or summary.phase.label)
    if summary.check_text:
        lines.append(summary.check_text)
    for level, _ in summary.open_alerts:
        lines.append(f"⚠ open {_ALERT_WORDS[level]}")
    if summary.drug_open:
        lines.append("drug to waste")
    return lines


class LockedBoard(QWidget):
    """One plain card per chair in a row across the top of the screen (the unlock prompt opens
    in the middle and must not hide a chair), urgent ones in the warning or danger colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockedBoard")
        self.grid = QGridLayout(self)
        self.cards: dict[int, QLabel] = {}

    def show_summaries(self, summaries: Sequence[ChairSummary], theme: str) -> None:
        """Redraw every chair (called each second while locked; nothing is read)."""
        palette = PALETTES[theme]
        for index, summary in enumerate(summaries):
            card = self.cards.get(summary.chair)
            if card is None:
                card = QLabel()
                card.setObjectName(f"lockedChair{summary.chair}")
                card.setAlignment(Qt.AlignmentFlag.AlignCenter)
                card.setMinimumSize(220, 150)
                card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
                card.setWordWrap(True)
                self.grid.addWidget(card, index // 4, index % 4)
                self.cards[summary.chair] = card
            lines = chair_lines(summary)
            colour = _colour(summary, palette)
            body = "<br>".join(escape(line) for line in lines[1:])
            card.setText(
                f"<div style='color:{colour}; font-size:14pt'>"
                f"<b style='font-size:20pt'>{escape(lines[0])}</b><br>{body}</div>"
            )
            card.setStyleSheet(
                f"QLabel {{ border: 2px solid {colour}; border-radius: 8px; padding: 8px; }}"
            )


def _colour(summary: ChairSummary, palette: dict[str, str]) -> str:
    if summary.urgency in (Urgency.PAUSE_ALERT, Urgency.OVERDUE):
        return palette["danger"]
    if summary.urgency in (Urgency.NOTIFY_ALERT, Urgency.DUE_NOW):
        return palette["warning"]
    return palette["muted"] if not summary.occupied else palette["text"]
