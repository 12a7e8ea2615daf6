"""The session's steps in a row: done ✓, completed on a clinician's override ⚠ (and the key
"⚠ = overridden" at the end of the row, the who and why in the tooltips), current highlighted,
the rest muted."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from bedside.events import Phase
from bedside.ids import UserId
from bedside.state import SessionState
from charting.overrides import overridden_steps

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


OVERRIDDEN_KEY = "⚠ = overridden"
"""Said once at the end of the row when a step was completed on an override (the word on each
step would push the row wider than a small screen)."""


def step_text(name: str, state: str) -> str:
    """A step's words: "✓ Intake" done, "⚠ Signed" completed on an override."""
    if state == "done":
        return f"✓ {name}"
    if state == "overridden":
        return f"⚠ {name}"
    return name


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
        self.key = QLabel(OVERRIDDEN_KEY)
        self.key.setObjectName("stepsOverridden")
        self.key.setVisible(False)
        row.addWidget(self.key)
        row.addStretch(1)

    def show_record(self, state: SessionState, names: Mapping[UserId, str]) -> None:
        """The steps of ``state``: each completed through a clinician's override says so, with
        who and why in its tooltip (:func:`charting.overrides.overridden_steps`)."""
        tz = state.opened.clinic_timezone
        overridden = {
            phase: f"Completed on a clinician's override: {found.words(names, tz)}"
            for phase, found in overridden_steps(state).items()
        }
        self.set_phase(state.phase, overridden)

    def set_phase(self, phase: Phase, overridden: Mapping[Phase, str] | None = None) -> None:
        """Mark the steps before ``phase`` done (or overridden, with the words of
        ``overridden`` as their tooltip) and ``phase``'s step current."""
        current = step_index(phase)
        marked = overridden or {}
        for index, label in enumerate(self.labels):
            name, phases = STEPS[index]
            why = next((marked[p] for p in phases if p in marked), "")
            if current is None:
                state = "muted"
            elif index < current or phase is Phase.SIGNED:
                state = "overridden" if why else "done"
            elif index == current:
                state = "current"
            else:
                state = "todo"
            label.setText(step_text(name, state))
            label.setToolTip(why if state == "overridden" else "")
            label.setProperty("state", state)
            label.style().unpolish(label)
            label.style().polish(label)
        why_all = sorted({lbl.toolTip() for lbl in self.labels if lbl.toolTip()})
        self.key.setVisible(bool(why_all))
        self.key.setToolTip("\n".join(why_all))
        if current is None:
            self.labels[-1].setText("Ended early")
            self.labels[-1].setProperty("state", "current")
            self.labels[-1].style().polish(self.labels[-1])
