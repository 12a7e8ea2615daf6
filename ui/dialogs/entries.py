"""Side effects, their resolution, and rescue (PRN) medicines. Each ``ask`` returns plain values or None; the session window passes them to the core, which decides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bedside.rules.side_effects import CHECKLIST, QUICK_EFFECTS, SEVERITY_WORDS
from ui.dialogs.text import ok_cancel


@dataclass(frozen=True)
class SideEffectEntry:
    """A side effect from the checklist."""

    effect: str
    severity: int
    action: str
    note: str


class SideEffectDialog(QDialog):
    """The checklist (frequent effects first) and a severity chosen with one key (1-3)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Side effect")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.effect = QComboBox()
        self.effect.setObjectName("effect")
        ordered = list(QUICK_EFFECTS) + [k for k in CHECKLIST if k not in QUICK_EFFECTS]
        for key in ordered:
            group, label = CHECKLIST[key]
            self.effect.addItem(f"{label}  ({group})", key)
        self.effect.addItem("Other (describe in the note)", "other")
        form.addRow("Effect", self.effect)
        row = QHBoxLayout()
        self.severity = QButtonGroup(self)
        for grade in (1, 2, 3):
            button = QPushButton(f"{grade} {SEVERITY_WORDS[grade]}")
            button.setCheckable(True)
            button.setShortcut(str(grade))
            button.setObjectName(f"severity{grade}")
            self.severity.addButton(button, grade)
            row.addWidget(button)
        self.severity.button(1).setChecked(True)
        form.addRow("Severity", row)
        self.action = QLineEdit()
        self.action.setObjectName("action")
        form.addRow("Action", self.action)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        form.addRow("Note", self.note)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "Save"))
        self.setMinimumWidth(560)

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> SideEffectEntry | None:
        """The entry, or None if cancelled."""
        dialog = cls(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return SideEffectEntry(
            str(dialog.effect.currentData()),
            dialog.severity.checkedId(),
            dialog.action.text().strip(),
            dialog.note.text().strip(),
        )


class ResolveDialog(QDialog):
    """Which side effect has settled, and a short note (e.g. "settled after ondansetron")."""

    def __init__(
        self, open_effects: Sequence[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Side effect resolved")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.effect = QComboBox()
        self.effect.setObjectName("effect")
        self.effect.setMinimumHeight(40)
        for event_id, label in open_effects:
            self.effect.addItem(label, event_id)
        form.addRow("Side effect", self.effect)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText("e.g. settled after ondansetron")
        form.addRow("Note", self.note)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "Mark resolved"))
        self.setMinimumWidth(480)

    @classmethod
    def ask(
        cls, open_effects: Sequence[tuple[str, str]], parent: QWidget | None = None
    ) -> tuple[str, str] | None:
        """(side-effect event id, note), or None if cancelled."""
        dialog = cls(open_effects, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return str(dialog.effect.currentData()), dialog.note.text().strip()
