"""The session's steps in a row: done ✓, current highlighted, the rest muted."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from bedside.events import Phase

STEPS: tuple[tuple[str, frozenset[Phase]], ...] = (
    ("Intake", frozenset({Phase.INTAKE})),
    ("Baseline", frozenset({Phase.BASELINE})),
    ("Consent", frozenset({Phase.CONSENT})),
    ("Dose & preparation", frozenset({Phase.PREPARED})),
    ("Infusion", frozenset({Phase.INFUSING, Phase.PAUSED})),
    ("Observation", frozenset({Phase.OBSERVING})),
    ("Discharge", frozenset({Phase.READY_FOR_DISCHARGE})),
    ("Signed", frozenset({Phase.SIGNED})),
)


def step_index(phase: Phase) -> int | None:
    """Which step a phase belongs to (None for a session ended early)."""
    for index, (_, phases) in enumerate(STEPS):
        if phase in phases:
            return index
    return None


class StepBar(QWidget):
    """One label per step; the style sheet colours them by their ``state`` property."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        self.labels: list[QLabel] = []
        for name, _ in STEPS:
            label = QLabel(name)
            label.setObjectName("step")
            row.addWidget(label)
            self.labels.append(label)
        row.addStretch(1)

    def set_phase(self, phase: Phase) -> None:
        """Mark the steps before ``phase`` done and ``phase``'s step current."""
        current = step_index(phase)
        for index, label in enumerate(self.labels):
            name = STEPS[index][0]
            if current is None:
                state = "muted"
            elif index < current or phase is Phase.SIGNED:
                state = "done"
            elif index == current:
                state = "current"
            else:
                state = "todo"
            label.setText(f"✓ {name}" if state == "done" else name)
            label.setProperty("state", state)
            label.style().unpolish(label)
            label.style().polish(label)
        if current is None:
            self.labels[-1].setText("Ended early")
            self.labels[-1].setProperty("state", "current")
            self.labels[-1].style().polish(self.labels[-1])
