"""Score any instrument item by item (MOAA/S, RASS, CADSS-6, PHQ-9, C-SSRS ...).

The form is built from the scale's definition in ``bedside.scales``; the total and band are the
core's (``score``), shown live and never typed. Follow-up items (C-SSRS Q3–Q5 only after a "yes"
to Q2) are enabled only when asked. Answers are checked by the core before the dialog closes, so
a missing item is named in the dialog and nothing is lost by a refusal.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from bedside.scales import ScaleDefinition, ScaleInputError, ScaleName, definition, score
from ui.dialogs.text import ok_cancel


class ScaleForm(QWidget):
    """One combo box per item; typing the value's digit picks it."""

    def __init__(self, spec: ScaleDefinition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        # A grid, not a form layout: long item texts wrap in their own column and never clip.
        form = QGridLayout(self)
        form.setColumnStretch(0, 3)
        form.setColumnStretch(1, 2)
        form.setVerticalSpacing(12)
        self.combos: dict[str, QComboBox] = {}
        for row, item in enumerate(spec.items):
            combo = QComboBox()
            combo.setObjectName(item.key)
            combo.setMinimumHeight(40)
            combo.setPlaceholderText("choose…")
            signed = min(item.values) < 0  # RASS reads -5 … +4
            for option in sorted(item.options, key=lambda o: o.value):
                value = f"{option.value:+d}" if signed else str(option.value)
                combo.addItem(f"{value} — {option.label}", option.value)
            combo.setCurrentIndex(-1)
            combo.currentIndexChanged.connect(self._update)
            label = QLabel(item.text)
            label.setWordWrap(True)
            label.setBuddy(combo)
            combo.setMinimumWidth(260)
            form.addWidget(label, row, 0)
            form.addWidget(combo, row, 1)
            self.combos[item.key] = combo
        self.total = QLabel()
        self.total.setObjectName("scaleTotal")
        form.addWidget(QLabel("<b>Total</b> (computed)"), len(spec.items), 0)
        form.addWidget(self.total, len(spec.items), 1)
        self._update()

    def asked(self, key: str) -> bool:
        """Whether an item is asked given the answers so far."""
        condition = self.spec.item(key).required_if
        if condition is None:
            return True
        other, value = condition
        return self.asked(other) and self.combos[other].currentData() == value

    def answers(self) -> dict[str, int]:
        """The answered items that are asked."""
        return {
            key: int(combo.currentData())
            for key, combo in self.combos.items()
            if self.asked(key) and combo.currentIndex() >= 0
        }

    def set_answers(self, answers: dict[str, int]) -> None:
        """Pre-fill (for a repeat score or a correction)."""
        for key, value in answers.items():
            combo = self.combos.get(key)
            if combo is not None:
                combo.setCurrentIndex(combo.findData(value))

    def _update(self) -> None:
        for key, combo in self.combos.items():
            asked = self.asked(key)
            combo.setEnabled(asked)
            if not asked:  # a follow-up question that does not apply: visibly not asked
                combo.blockSignals(True)
                combo.setCurrentIndex(-1)
                combo.blockSignals(False)
            combo.setPlaceholderText("choose…" if asked else "not asked")
        try:
            result = score(self.spec.name, self.answers())
        except ScaleInputError:
            missing = sum(
                1 for k, c in self.combos.items() if self.asked(k) and c.currentIndex() < 0
            )
            self.total.setText(f"— ({missing} item{'s' if missing != 1 else ''} to answer)")
            return
        self.total.setText(f"<b>{result.total}</b> · {result.band_label}")


class ScaleDialog(QDialog):
    """A scale in a dialog; returns the answers once the core accepts them."""

    def __init__(self, scale: ScaleName, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        spec = definition(scale)
        self.scale = scale
        self.setWindowTitle(spec.title)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{spec.title}</b>")
        title.setWordWrap(True)
        layout.addWidget(title)
        # No scroll area: the longest scale (PHQ-9, 9 items) fits a 768-pixel screen whole, and
        # a nurse should see every item and the total at once.
        self.form = ScaleForm(spec)
        layout.addWidget(self.form, 1)
        source = QLabel(spec.source + (f" {spec.licence_note}" if spec.licence_note else ""))
        source.setWordWrap(True)
        source.setProperty("role", "muted")
        layout.addWidget(source)
        self.message = QLabel("")
        self.message.setObjectName("scaleMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "Save score"))
        self.setMinimumWidth(820)
        first = next(iter(self.form.combos.values()))
        first.setFocus()

    def accept(self) -> None:
        """Close only when every asked item is answered within its range."""
        try:
            score(self.scale, self.form.answers())
        except ScaleInputError as exc:
            self.message.setText(f"Not saved: {exc}")
            return
        super().accept()

    @classmethod
    def ask(cls, scale: ScaleName, parent: QWidget | None = None) -> dict[str, int] | None:
        """The answers, or None if cancelled."""
        d = cls(scale, parent)
        if d.exec() != QDialog.DialogCode.Accepted:
            return None
        return d.form.answers()


def ask_scale(scale: ScaleName, parent: QWidget | None) -> dict[str, int] | None:
    """Module-level hook so tests can answer the scale dialog."""
    return ScaleDialog.ask(scale, parent)
