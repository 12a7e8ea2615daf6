"""Resolving a session charted at two workstations while they were cut off (issue 14): what
came from the other workstation, the judged steps on each side, whose steps stand, and why.
Neither choice is made for the clinician (a pre-selected side could pass for a decision);
``ask`` returns plain values or None, and the core judges them."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.lock_gate import SurvivesLock
from ui.dialogs.text import named_line, ok_cancel


@dataclass(frozen=True)
class ForkChoice:
    """Whose judged steps stand ("here" or "other"), and why."""

    steps_from: str
    reason: str


class ForkDialog(SurvivesLock):
    """The two sides in words, two unticked choices and a reason."""

    def __init__(
        self,
        summary: str,
        here: str,
        other: str,
        previous: ForkChoice | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Charted at two workstations")
        layout = QVBoxLayout(self)
        words = QLabel(summary)
        words.setWordWrap(True)
        layout.addWidget(words)
        self.choices = QButtonGroup(self)
        self.here = QRadioButton(here)
        self.here.setObjectName("steps_here")
        self.other = QRadioButton(other)
        self.other.setObjectName("steps_other")
        for button in (self.here, self.other):
            button.setToolTip(button.text())  # a radio button does not wrap: all of it here
            self.choices.addButton(button)
            layout.addWidget(button)
        if previous is not None:
            (self.here if previous.steps_from == "here" else self.other).setChecked(True)
        layout.addWidget(QLabel("Reason (at least 5 characters):"))
        self.reason: QLineEdit = named_line("reason", previous.reason if previous else "")
        layout.addWidget(self.reason)
        box = ok_cancel(self, "Resolve")
        self.resolve: QPushButton = next(
            b for b in box.buttons() if b.text() == "Resolve" and isinstance(b, QPushButton)
        )
        layout.addWidget(box)
        self.choices.buttonToggled.connect(lambda *_: self._allow())
        self._allow()
        self.setMinimumWidth(780)

    def _allow(self) -> None:
        """Resolve only once a side is chosen."""
        self.resolve.setEnabled(self.choices.checkedButton() is not None)

    def choice(self) -> ForkChoice:
        """What the clinician chose and typed."""
        return ForkChoice("here" if self.here.isChecked() else "other", self.reason.text())

    @classmethod
    def ask(
        cls,
        summary: str,
        here: str,
        other: str,
        previous: ForkChoice | None = None,
        parent: QWidget | None = None,
    ) -> ForkChoice | None:
        """The choice and the reason, or None if cancelled."""
        dialog = cls(summary, here, other, previous, parent)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
