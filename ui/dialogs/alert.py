"""Acknowledging an alert: the action taken, whether the clinician was told, and pausing the pump."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.common.lock_gate import SurvivesLock
from ui.dialogs.text import ok_cancel


@dataclass(frozen=True)
class AlertAction:
    """What was done about an alert."""

    action_taken: str
    clinician_notified: bool
    pause_pump: bool = False


class AlertDialog(SurvivesLock):
    """Acknowledge an alert: the action taken, and whether the clinician was told."""

    def __init__(
        self, message: str, parent: QWidget | None = None, *, offer_pause: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Acknowledge alert")
        layout = QVBoxLayout(self)
        alert = QLabel(f"<b>⚠ {message}</b>")
        alert.setWordWrap(True)
        layout.addWidget(alert)
        layout.addWidget(QLabel("Action taken:"))
        self.action = QLineEdit()
        self.action.setObjectName("action")
        self.action.setPlaceholderText("e.g. infusion paused, BP re-checked in 5 min")
        layout.addWidget(self.action)
        self.notified = QCheckBox("Clinician notified")
        layout.addWidget(self.notified)
        # A pause-level alert on a running pump: pausing is the expected action, so it is the
        # default; unticking it (the clinician decided to continue) is a deliberate choice.
        self.pause = QCheckBox("Pause the pump now (this alert's level is “pause”)")
        self.pause.setObjectName("pausePump")
        self.pause.setChecked(offer_pause)
        self.pause.setVisible(offer_pause)
        layout.addWidget(self.pause)
        layout.addWidget(ok_cancel(self, "Acknowledge"))
        self.setMinimumWidth(520)

    @classmethod
    def ask(
        cls,
        message: str,
        parent: QWidget | None = None,
        *,
        offer_pause: bool = False,
        previous: AlertAction | None = None,
    ) -> AlertAction | None:
        """The action, or None if cancelled; ``previous`` shows a refused one as typed."""
        dialog = cls(message, parent, offer_pause=offer_pause)
        if previous is not None:
            dialog.action.setText(previous.action_taken)
            dialog.notified.setChecked(previous.clinician_notified)
            dialog.pause.setChecked(previous.pause_pump)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return AlertAction(
            dialog.action.text().strip(),
            dialog.notified.isChecked(),
            offer_pause and dialog.pause.isChecked(),
        )
