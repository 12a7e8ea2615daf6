"""Correcting the intake screen from the session record: the intake form itself, filled with
the screen as charted, and the reason. The core keeps the allergies as confirmed when their
answer is unchanged and has a changed answer confirmed afresh (bedside.service.corrections)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from bedside.context import SessionContext
from bedside.people import User
from bedside.service import ChartService
from ui.common.lock_gate import SurvivesLock
from ui.dialogs.entry_dialog import MIN_REASON
from ui.dialogs.text import named_line, ok_cancel
from ui.steps.intake import IntakeStep


@dataclass(frozen=True)
class IntakeCorrection:
    """The screen as corrected (as :meth:`ChartService.record_intake` takes it), and why."""

    values: dict[str, Any]
    reason: str


class IntakeCorrectionDialog(SurvivesLock):
    """The intake form, filled as charted, with the reason for the correction."""

    def __init__(
        self,
        service: ChartService,
        ctx: SessionContext,
        user: User | None,
        theme: str,
        words: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Correct: intake screen")
        layout = QVBoxLayout(self)
        original = QLabel(
            f"Correcting: <i>{escape(words, quote=False)}</i><br>The original stays, struck."
        )
        original.setObjectName("correcting")
        original.setWordWrap(True)
        original.setProperty("role", "muted")
        layout.addWidget(original)
        self.step = IntakeStep(service, ctx, user, theme, self)
        self.step.refresh(ctx)
        # Only the form: this dialog saves, and the session stays in the step it is in.
        self.step.save.hide()
        self.step.complete.hide()
        self.step.guard.clear()
        layout.addWidget(self.step, 1)
        row = QFormLayout()
        self.reason = named_line("reason", hint="why the screen is corrected (kept with it)")
        row.addRow("Reason for correction", self.reason)
        layout.addLayout(row)
        self.message = QLabel("")
        self.message.setObjectName("intakeCorrectionMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "Save corrected screen"))
        self.answer: IntakeCorrection | None = None

    def accept(self) -> None:
        """Only with every question answered (the form names what is missing) and a reason."""
        values = self.step.values()
        if values is None:
            self.message.setText("Not saved: answer every question (listed beside the form).")
            return
        if len(self.reason.text().strip()) < MIN_REASON:
            self.message.setText("Not saved: Reason for correction: say why it is corrected")
            self.reason.setFocus()
            return
        self.answer = IntakeCorrection(values, self.reason.text().strip())
        super().accept()
