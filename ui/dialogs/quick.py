"""Small dialogs for the infusion's quick actions. Each ``ask`` returns plain values or None;
the session window passes them to the core, which decides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bedside.people import User
from bedside.rules.side_effects import CHECKLIST, QUICK_EFFECTS, SEVERITY_WORDS


def ok_cancel(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """Cancel and a default OK button labelled ``ok_text``, wired to the dialog."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setDefault(True)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class TextDialog(QDialog):
    """One line or paragraph of text with a prompt (notes, pause reasons, alert actions)."""

    def __init__(
        self,
        title: str,
        prompt: str,
        ok_text: str,
        *,
        multiline: bool = False,
        text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.editor: QPlainTextEdit | QLineEdit = QPlainTextEdit() if multiline else QLineEdit()
        self.editor.setObjectName("text")
        if text:  # a suggested answer, selected so typing replaces it
            if isinstance(self.editor, QLineEdit):
                self.editor.setText(text)
                self.editor.selectAll()
            else:
                self.editor.setPlainText(text)
        layout.addWidget(self.editor)
        layout.addWidget(ok_cancel(self, ok_text))
        self.setMinimumWidth(480)

    def text(self) -> str:
        """What was typed."""
        e = self.editor
        return e.toPlainText() if isinstance(e, QPlainTextEdit) else e.text()

    @classmethod
    def ask(
        cls,
        title: str,
        prompt: str,
        ok_text: str = "Save",
        *,
        multiline: bool = False,
        text: str = "",
        parent: QWidget | None = None,
    ) -> str | None:
        """The text, or None if cancelled."""
        dialog = cls(title, prompt, ok_text, multiline=multiline, text=text, parent=parent)
        return dialog.text().strip() if dialog.exec() == QDialog.DialogCode.Accepted else None


@dataclass(frozen=True)
class AlertAction:
    """What was done about an alert."""

    action_taken: str
    clinician_notified: bool
    pause_pump: bool = False


class AlertDialog(QDialog):
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
        cls, message: str, parent: QWidget | None = None, *, offer_pause: bool = False
    ) -> AlertAction | None:
        """The action, or None if cancelled."""
        dialog = cls(message, parent, offer_pause=offer_pause)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return AlertAction(
            dialog.action.text().strip(),
            dialog.notified.isChecked(),
            offer_pause and dialog.pause.isChecked(),
        )


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


@dataclass(frozen=True)
class PrnEntry:
    """A rescue medicine given."""

    drug: str
    dose: float
    unit: str
    route: str
    indication: str
    ordered_by: str


class PrnDialog(QDialog):
    """Drug, dose, route, indication and the ordering clinician."""

    def __init__(self, clinicians: list[User], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("PRN medicine given")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.drug = QComboBox()
        self.drug.setEditable(True)
        self.drug.setObjectName("drug")
        self.drug.addItems(["ondansetron", "midazolam", "labetalol", "clonidine"])
        form.addRow("Drug", self.drug)
        dose_row = QHBoxLayout()
        self.dose = QDoubleSpinBox()
        self.dose.setObjectName("dose")
        self.dose.setRange(0, 10000)
        self.dose.setDecimals(2)
        self.unit = QComboBox()
        self.unit.addItems(["mg", "mcg", "g", "mL", "units", "L/min"])
        dose_row.addWidget(self.dose)
        dose_row.addWidget(self.unit)
        form.addRow("Dose", dose_row)
        self.route = QComboBox()
        self.route.addItems(["IV", "PO", "IM", "SL", "SC", "IN", "inhaled"])
        form.addRow("Route", self.route)
        self.indication = QLineEdit()
        self.indication.setObjectName("indication")
        form.addRow("Indication", self.indication)
        self.ordered_by = QComboBox()
        for user in clinicians:
            self.ordered_by.addItem(user.display_name, user.id)
        form.addRow("Ordered by", self.ordered_by)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "Save"))
        self.setMinimumWidth(480)

    def fill(self, entry: PrnEntry) -> None:
        """Show an entry again (after the core refused it: nothing typed is lost)."""
        self.drug.setEditText(entry.drug)
        self.dose.setValue(entry.dose)
        self.unit.setCurrentText(entry.unit)
        self.route.setCurrentText(entry.route)
        self.indication.setText(entry.indication)
        self.ordered_by.setCurrentIndex(max(self.ordered_by.findData(entry.ordered_by), 0))

    @classmethod
    def ask(
        cls,
        clinicians: list[User],
        parent: QWidget | None = None,
        previous: PrnEntry | None = None,
    ) -> PrnEntry | None:
        """The entry, or None if cancelled; ``previous`` pre-fills a refused entry."""
        dialog = cls(clinicians, parent)
        if previous is not None:
            dialog.fill(previous)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return PrnEntry(
            dialog.drug.currentText().strip(),
            dialog.dose.value(),
            dialog.unit.currentText(),
            dialog.route.currentText(),
            dialog.indication.text().strip(),
            str(dialog.ordered_by.currentData()),
        )


NOT_READ = -1.0
"""The stop dialog's "pump not read yet" value (shown as a prompt, refused on OK)."""


class StopDialog(QDialog):
    """Stop the pump: the volume the pump reports as infused, typed from the pump (never
    pre-filled: a pre-filled full bag would record a dose that was not given), and a reason when
    stopping before the bag is finished. The volume the charted rates imply is shown as a
    cross-check."""

    def __init__(
        self, bag_ml: float, expected_ml: float | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.bag_ml = bag_ml
        self.setWindowTitle("Stop infusion")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.volume = QDoubleSpinBox()
        self.volume.setObjectName("volume")
        self.volume.setRange(NOT_READ, 1000)
        self.volume.setDecimals(1)
        self.volume.setSuffix(" mL")
        self.volume.setSpecialValueText("read the pump's volume infused")
        self.volume.setValue(NOT_READ)
        self.volume.setMinimumHeight(40)
        self.volume.valueChanged.connect(self._judge)
        form.addRow("Volume infused (pump)", self.volume)
        hint = f"Bag {bag_ml:g} mL"
        if expected_ml is not None:
            hint += f"; the charted rates and times imply about {expected_ml:.1f} mL so far"
        expected = QLabel(hint)
        expected.setProperty("role", "muted")
        expected.setWordWrap(True)
        form.addRow("", expected)
        self.early = QCheckBox("Stopped before the bag was finished")
        self.early.setObjectName("early")
        form.addRow("", self.early)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        form.addRow("Reason (if early)", self.reason)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("stopMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "Stop infusion"))
        self.setMinimumWidth(520)

    def _judge(self) -> None:
        """Less than the bag (allowing the pump's rounding) means stopped early."""
        value = self.volume.value()
        if value >= 0:
            self.early.setChecked(value < self.bag_ml - 1.0)

    def accept(self) -> None:
        """Only with a volume read from the pump."""
        if self.volume.value() < 0:
            self.message.setText("Type the volume infused shown on the pump.")
            return
        super().accept()

    @classmethod
    def ask(
        cls, bag_ml: float, expected_ml: float | None = None, parent: QWidget | None = None
    ) -> tuple[float, bool, str] | None:
        """(volume infused, completed, reason), or None if cancelled."""
        dialog = cls(bag_ml, expected_ml, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.volume.value(), not dialog.early.isChecked(), dialog.reason.text().strip()


class RateDialog(QDialog):
    """A new pump rate (not above the planned rate: the core refuses that) and its reason."""

    def __init__(self, current: float, planned: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change pump rate")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.rate = QDoubleSpinBox()
        self.rate.setObjectName("rate")
        self.rate.setRange(0.1, 999)
        self.rate.setDecimals(1)
        self.rate.setSuffix(" mL/h")
        self.rate.setValue(current)
        self.rate.setMinimumHeight(40)
        form.addRow("New rate", self.rate)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("e.g. slowed for dissociation, BP rising")
        form.addRow("Reason", self.reason)
        layout.addLayout(form)
        note = QLabel(f"Now {current:g} mL/h; planned {planned:g} mL/h (the order's dose rate).")
        note.setProperty("role", "muted")
        layout.addWidget(note)
        layout.addWidget(ok_cancel(self, "Change rate"))
        self.setMinimumWidth(460)

    @classmethod
    def ask(
        cls,
        current: float,
        planned: float,
        parent: QWidget | None = None,
        previous: tuple[float, str] | None = None,
    ) -> tuple[float, str] | None:
        """(new rate, reason), or None if cancelled; ``previous`` pre-fills a refused entry."""
        dialog = cls(current, planned, parent)
        if previous is not None:
            dialog.rate.setValue(previous[0])
            dialog.reason.setText(previous[1])
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.rate.value(), dialog.reason.text().strip()


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


class PasswordDialog(QDialog):
    """What is being signed, in words, and the signer's own password."""

    def __init__(self, title: str, text: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("your password")
        layout.addWidget(self.password)
        layout.addWidget(ok_cancel(self, ok_text))
        self.setMinimumWidth(520)

    @classmethod
    def ask(cls, title: str, text: str, ok_text: str, parent: QWidget | None = None) -> str | None:
        """The password typed, or None if cancelled."""
        dialog = cls(title, text, ok_text, parent)
        return dialog.password.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
