"""Side effects, their resolution, and free-text entries (notes, deferrals). Each ``ask``
returns plain values or None; the session window passes them to the core, which decides.

Nothing is chosen for the nurse: the effect and its severity start unchosen, a resolution names
its effect when more than one is open, and each entry carries the time it was taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from bedside.clock import Clock
from bedside.rules.side_effects import CHECKLIST, QUICK_EFFECTS, SEVERITY_WORDS
from ui.dialogs.entry_dialog import EntryDialog


@dataclass(frozen=True)
class SideEffectEntry:
    """A side effect from the checklist, when it was seen, and (correcting) why."""

    effect: str
    severity: int
    action: str
    note: str
    taken_at: datetime | None = None
    reason: str = ""


class SideEffectDialog(EntryDialog):
    """The checklist (frequent effects first) and a severity chosen with one key (1-3)."""

    def __init__(
        self,
        clock: Clock,
        tz: str,
        parent: QWidget | None = None,
        *,
        correcting: str | None = None,
    ) -> None:
        super().__init__("Side effect", clock, tz, parent, correcting=correcting)
        self.effect = QComboBox()
        self.effect.setObjectName("effect")
        ordered = list(QUICK_EFFECTS) + [k for k in CHECKLIST if k not in QUICK_EFFECTS]
        for key in ordered:
            group, label = CHECKLIST[key]
            self.effect.addItem(f"{label}  ({group})", key)
        self.effect.addItem("Other (describe in the note)", "other")
        self.effect.setPlaceholderText("choose the effect…")
        self.effect.setCurrentIndex(-1)
        self.form.addRow("Effect", self.effect)
        row = QHBoxLayout()
        self.severity = QButtonGroup(self)
        for grade in (1, 2, 3):
            button = QPushButton(f"{grade} {SEVERITY_WORDS[grade]}")
            button.setCheckable(True)
            button.setShortcut(str(grade))
            button.setObjectName(f"severity{grade}")
            button.setAutoDefault(False)
            self.severity.addButton(button, grade)
            row.addWidget(button)
        self.form.addRow("Severity", row)
        self.action = QLineEdit()
        self.action.setObjectName("action")
        self.form.addRow("Action", self.action)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.form.addRow("Note", self.note)
        self.finish()
        self.setMinimumWidth(560)

    def fill(self, entry: SideEffectEntry) -> None:
        """Show an entry again (a correction, or a refusal: nothing typed is lost)."""
        self.effect.setCurrentIndex(self.effect.findData(entry.effect))
        button = self.severity.button(entry.severity)
        if button is not None:
            button.setChecked(True)
        self.action.setText(entry.action)
        self.note.setText(entry.note)
        self.taken_at.set_value(entry.taken_at)
        self.reason.setText(entry.reason)

    def problem(self) -> str | None:
        if self.effect.currentIndex() < 0:
            return "Effect: choose one from the list"
        if self.severity.checkedId() < 0:
            return "Severity: choose 1 mild, 2 moderate or 3 severe"
        return None

    def entry(self) -> SideEffectEntry:
        """What the dialog holds."""
        return SideEffectEntry(
            str(self.effect.currentData()),
            self.severity.checkedId(),
            self.action.text().strip(),
            self.note.text().strip(),
            self.taken,
            self.reason.text().strip(),
        )

    @classmethod
    def ask(
        cls,
        clock: Clock,
        tz: str,
        parent: QWidget | None = None,
        previous: SideEffectEntry | None = None,
        *,
        correcting: str | None = None,
    ) -> SideEffectEntry | None:
        """The entry, or None if cancelled; ``previous`` fills the form again."""
        dialog = cls(clock, tz, parent, correcting=correcting)
        if previous is not None:
            dialog.fill(previous)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.entry()


@dataclass(frozen=True)
class Resolution:
    """Which side effect settled, a note, and when."""

    side_effect_id: str
    note: str
    taken_at: datetime | None = None


class ResolveDialog(EntryDialog):
    """Which side effect has settled, and a short note (e.g. "settled after ondansetron")."""

    def __init__(
        self,
        open_effects: Sequence[tuple[str, str]],
        clock: Clock,
        tz: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Side effect resolved", clock, tz, parent)
        self.effect = QComboBox()
        self.effect.setObjectName("effect")
        self.effect.setMinimumHeight(40)
        for event_id, label in open_effects:
            self.effect.addItem(label, event_id)
        # The only open effect is the answer; among several, the nurse names it.
        self.effect.setPlaceholderText("which side effect settled…")
        self.effect.setCurrentIndex(0 if len(open_effects) == 1 else -1)
        self.form.addRow("Side effect", self.effect)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText("e.g. settled after ondansetron")
        self.form.addRow("Note", self.note)
        self.finish("Mark resolved")
        self.setMinimumWidth(480)

    def problem(self) -> str | None:
        return "Side effect: choose which one settled" if self.effect.currentIndex() < 0 else None

    @classmethod
    def ask(
        cls,
        open_effects: Sequence[tuple[str, str]],
        clock: Clock,
        tz: str,
        parent: QWidget | None = None,
    ) -> Resolution | None:
        """The resolution, or None if cancelled."""
        dialog = cls(open_effects, clock, tz, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return Resolution(
            str(dialog.effect.currentData()), dialog.note.text().strip(), dialog.taken
        )


@dataclass(frozen=True)
class TextEntry:
    """A note, a deferral's reason or a resolution's note, when, and (correcting) why."""

    text: str
    taken_at: datetime | None = None
    reason: str = ""


class TextEntryDialog(EntryDialog):
    """A nursing note (several lines) or a one-line reason, with its time."""

    def __init__(
        self,
        title: str,
        prompt: str,
        clock: Clock,
        tz: str,
        parent: QWidget | None = None,
        *,
        multiline: bool = False,
        correcting: str | None = None,
        ok_text: str = "Save",
    ) -> None:
        super().__init__(title, clock, tz, parent, correcting=correcting)
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.form.addRow(label)
        self.editor: QPlainTextEdit | QLineEdit = QPlainTextEdit() if multiline else QLineEdit()
        self.editor.setObjectName("text")
        self.form.addRow(self.editor)
        self.finish(ok_text, multiline=multiline)
        self.editor.setFocus()
        self.setMinimumWidth(520)

    def text(self) -> str:
        """What was typed."""
        e = self.editor
        return (e.toPlainText() if isinstance(e, QPlainTextEdit) else e.text()).strip()

    def fill(self, entry: TextEntry) -> None:
        """Show an entry again (a correction, or a refusal)."""
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.setPlainText(entry.text)
        else:
            self.editor.setText(entry.text)
        self.taken_at.set_value(entry.taken_at)
        self.reason.setText(entry.reason)

    def problem(self) -> str | None:
        return None if self.text() else "the text is empty: type it, or Cancel"

    @classmethod
    def ask(
        cls,
        title: str,
        prompt: str,
        clock: Clock,
        tz: str,
        parent: QWidget | None = None,
        previous: TextEntry | None = None,
        *,
        multiline: bool = False,
        correcting: str | None = None,
        ok_text: str = "Save",
    ) -> TextEntry | None:
        """The text, its time and (correcting) the reason; None if cancelled."""
        dialog = cls(
            title,
            prompt,
            clock,
            tz,
            parent,
            multiline=multiline,
            correcting=correcting,
            ok_text=ok_text,
        )
        if previous is not None:
            dialog.fill(previous)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return TextEntry(dialog.text(), dialog.taken, dialog.reason.text().strip())
