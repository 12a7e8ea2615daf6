"""Voiding an entry: why it was made in error, and whether it was charted on the wrong
patient's record. ``ask`` returns a plain value or None; the core judges the reason.

The wrong-patient box starts unticked and is never ticked for the nurse: it decides what leaves
the clinic on paper, so only her explicit act sets it (an unticked box is the ordinary void,
and asking again after a refusal keeps what she chose, not a default).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.common.lock_gate import SurvivesLock
from ui.dialogs.text import named_line, ok_cancel

WRONG_PATIENT_LABEL = "Charted on the wrong patient's record — its text is withheld from printouts"


@dataclass(frozen=True)
class VoidEntry:
    """Why an entry is voided, and whether it belongs to another patient."""

    reason: str
    wrong_patient: bool = False


class VoidDialog(SurvivesLock):
    """The entry in words, a reason, and the wrong-patient box (unticked)."""

    def __init__(
        self, prompt: str, previous: VoidEntry | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Void entry")
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.reason: QLineEdit = named_line("reason", previous.reason if previous else "")
        layout.addWidget(self.reason)
        self.wrong_patient = QCheckBox(WRONG_PATIENT_LABEL)
        self.wrong_patient.setObjectName("wrong_patient")
        self.wrong_patient.setChecked(previous is not None and previous.wrong_patient)
        layout.addWidget(self.wrong_patient)
        layout.addWidget(ok_cancel(self, "Void"))
        self.setMinimumWidth(520)

    def entry(self) -> VoidEntry:
        """What the nurse said, as typed and ticked."""
        return VoidEntry(self.reason.text().strip(), self.wrong_patient.isChecked())

    @classmethod
    def ask(
        cls, prompt: str, previous: VoidEntry | None = None, parent: QWidget | None = None
    ) -> VoidEntry | None:
        """The reason and the box, or None if cancelled; ``previous`` refills the dialog when
        the core refused the last answer."""
        dialog = cls(prompt, previous, parent)
        return dialog.entry() if dialog.exec() == QDialog.DialogCode.Accepted else None
