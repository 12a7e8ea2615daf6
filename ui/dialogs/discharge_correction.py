"""Correcting a discharge assessment from the session record: the discharge dialog filled with
the answers as charted, and the reason (the core scores the corrected answers again)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import cast

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from bedside.scales import ScaleName
from ui.dialogs.discharge import DischargeDialog, DischargeEntry
from ui.dialogs.entry_dialog import MIN_REASON
from ui.dialogs.text import named_line


@dataclass(frozen=True)
class DischargeCorrection:
    """The assessment as corrected, and why."""

    entry: DischargeEntry
    reason: str


class DischargeCorrectionDialog(DischargeDialog):
    """The discharge score item by item, filled with the assessment as charted, and a reason."""

    def __init__(self, scale: ScaleName, words: str, parent: QWidget | None = None) -> None:
        super().__init__(scale, "", parent)
        self.setWindowTitle(f"Correct: discharge assessment — {self.spec.title}")
        layout = cast(QVBoxLayout, self.layout())
        original = QLabel(
            f"Correcting: <i>{escape(words, quote=False)}</i><br>The original stays, struck."
        )
        original.setObjectName("correcting")
        original.setWordWrap(True)
        original.setProperty("role", "muted")
        layout.insertWidget(0, original)
        self.reason = named_line("reason", hint="why the entry is corrected (kept with it)")
        row = QFormLayout()
        row.addRow("Reason for correction", self.reason)
        layout.insertLayout(layout.indexOf(self.message), row)

    def fill(self, entry: DischargeEntry, reason: str = "") -> None:
        """Show an assessment (as charted, or as typed before a refusal)."""
        for key, combo in self.items.items():
            combo.setCurrentIndex(combo.findData(entry.answers.get(key)))
        self.escort.setChecked(entry.escort_present)
        self.escort_name.setText(entry.escort_name)
        self.instructions.setChecked(entry.instructions_given)
        self.iv_removed.setChecked(entry.iv_removed_site_ok)
        self.reason.setText(reason)

    def accept(self) -> None:
        """Only with a reason (and, as any assessment, every item assessed)."""
        if len(self.reason.text().strip()) < MIN_REASON:
            self.message.setText("Not saved: Reason for correction: say why it is corrected")
            self.reason.setFocus()
            return
        super().accept()

    @classmethod
    def ask_correction(
        cls,
        scale: ScaleName,
        words: str,
        parent: QWidget | None,
        previous: DischargeCorrection,
    ) -> DischargeCorrection | None:
        """The corrected assessment and the reason, or None if cancelled."""
        dialog = cls(scale, words, parent)
        dialog.fill(previous.entry, previous.reason)
        if dialog.exec() != cls.DialogCode.Accepted:
            return None
        entry = DischargeEntry(
            {k: int(c.currentData()) for k, c in dialog.items.items()},
            dialog.escort.isChecked(),
            dialog.escort_name.text().strip(),
            dialog.instructions.isChecked(),
            dialog.iv_removed.isChecked(),
        )
        return DischargeCorrection(entry, dialog.reason.text().strip())
