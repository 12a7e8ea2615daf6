"""What the locked board shows a nurse walking past: each chair's number, phase, next check
with its level (amber due, red late, urgent inverted and flashing: the board's colours and
words), missed checks, a pump past its end and open alerts — and no patient's name or record."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from bedside.protocol import AlertLevel
from charting.board import ChairSummary, by_urgency
from charting.escalation import headline
from ui.board.chair_board import FIRST_WORDS, tile_tone
from ui.common.flash import Flasher, restyle
from ui.common.theme import TYPE_SCALE, points

_ALERT_WORDS = {
    AlertLevel.NOTIFY: "notify alert",
    AlertLevel.PAUSE: "PAUSE alert",
    AlertLevel.DO_NOT_START: "do-not-start alert",
}


def chair_lines(summary: ChairSummary) -> list[str]:
    """A chair in words without the patient: "Chair 2", "Infusing 22:00",
    "⚠ LATE · Vitals overdue 6:00", "1 check missed"."""
    lines = [f"Chair {summary.chair}"]
    if not summary.occupied:
        return [*lines, "free"]
    if summary.phase is not None:
        lines.append(summary.elapsed_label or summary.phase.label)
    if summary.check_text:
        lines.append(headline(summary.escalation, summary.check_text))
    if summary.missed:
        lines.append(f"✗ {summary.missed_text}")
    if summary.overrun is not None:
        lines.append("⚠ pump past its planned end")
    for level, _ in summary.open_alerts:
        lines.append(f"⚠ open {_ALERT_WORDS[level]}")
    if summary.drug_open:
        lines.append("drug to waste")
    return lines


class LockedBoard(QWidget):
    """One plain card per chair in a row across the top of the screen (the unlock prompt opens
    in the middle and must not hide a chair), each in its chair's tone (the board's colours)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockedBoard")
        self.grid = QGridLayout(self)
        self.cards: dict[int, QLabel] = {}
        self.flasher = Flasher(self)
        """Flashes the urgent cards, as the board flashes its tiles."""

    def show_summaries(self, summaries: Sequence[ChairSummary], theme: str) -> None:
        """Redraw every chair (called each second while locked; nothing is read). The colours
        come from the style sheet of ``theme`` (the card's ``tone`` property)."""
        del theme  # the application's style sheet is the theme's
        first = _first_chair(summaries)
        shown = {summary.chair for summary in summaries}
        for chair in [c for c in self.cards if c not in shown]:  # the chairs were made fewer
            gone = self.cards.pop(chair)
            self.grid.removeWidget(gone)
            gone.deleteLater()
        for index, summary in enumerate(summaries):
            card = self.cards.get(summary.chair)
            if card is None:
                card = QLabel()
                card.setObjectName(f"lockedChair{summary.chair}")
                card.setProperty("lockedCard", "true")
                card.setAlignment(Qt.AlignmentFlag.AlignCenter)
                card.setMinimumSize(220, 150)
                card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
                card.setWordWrap(True)
                self.grid.addWidget(card, index // 4, index % 4)
                self.cards[summary.chair] = card
            lines = chair_lines(summary)
            if summary.chair == first:
                lines.insert(1, FIRST_WORDS)
            # "overdue 6:00" kept on one line: a card narrower than its words wraps elsewhere.
            body = "<br>".join(
                escape(line).replace("overdue ", "overdue&nbsp;") for line in lines[1:]
            )
            card.setText(
                f"<div style='font-size:{points(TYPE_SCALE['font_large'])}pt'>"
                f"<b style='font-size:{points(1.82)}pt'>{escape(lines[0])}</b>"
                f"<br>{body}</div>"
            )
            restyle(card, "first", "true" if summary.chair == first else "false")
            restyle(card, "tone", tile_tone(summary))
            restyle(card, "escalation", summary.escalation.key)
            self.flasher.watch(card, summary.escalation.flashing)


def _first_chair(summaries: Sequence[ChairSummary]) -> int | None:
    """The chair the board marks "go here first" (the board's order), if one needs the nurse."""
    ranked = by_urgency(s for s in summaries if s.occupied)
    return ranked[0].chair if ranked and ranked[0].needs_action else None
