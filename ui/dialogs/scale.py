"""Score any instrument item by item (MOAA/S, RASS, CADSS-6, PHQ-9, C-SSRS ...).

The form is built from the scale's definition in ``bedside.scales``; the total and band are the
core's (``score``), shown live and never typed. Follow-up items (C-SSRS Q3–Q5 only after a "yes"
to Q2) are enabled only when asked. Answers are checked by the core before the dialog closes, so
a missing item is named in the dialog and nothing is lost by a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QLabel,
    QWidget,
)

from bedside.clock import Clock
from bedside.scales import ScaleDefinition, ScaleInputError, ScaleName, definition, score
from ui.common.answered import show_answered
from ui.dialogs.entry_dialog import EntryDialog


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
            show_answered(combo)
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


@dataclass(frozen=True)
class ScaleEntry:
    """A scale's answers, when they were taken, and (correcting) why."""

    answers: dict[str, int]
    taken_at: datetime | None = None
    reason: str = ""


class ScaleDialog(EntryDialog):
    """A scale in a dialog; returns the answers once every asked item is answered."""

    def __init__(
        self,
        scale: ScaleName,
        clock: Clock,
        tz: str,
        parent: QWidget | None = None,
        *,
        correcting: str | None = None,
    ) -> None:
        spec = definition(scale)
        super().__init__(spec.title, clock, tz, parent, correcting=correcting)
        self.scale = scale
        title = QLabel(f"<b>{spec.title}</b>")
        title.setWordWrap(True)
        self.form.addRow(title)
        # No scroll area: the longest scale (PHQ-9, 9 items) fits a 768-pixel screen whole, and
        # a nurse should see every item and the total at once.
        self.items = ScaleForm(spec)
        self.form.addRow(self.items)
        source = QLabel(spec.source + (f" {spec.licence_note}" if spec.licence_note else ""))
        source.setWordWrap(True)
        source.setProperty("role", "muted")
        self.form.addRow(source)
        self.finish("Save score")
        self.setMinimumWidth(820)
        first = next(iter(self.items.combos.values()))
        first.setFocus()

    def problem(self) -> str | None:
        """Every asked item answered within its range (the message names the item)."""
        try:
            score(self.scale, self.items.answers())
        except ScaleInputError as exc:
            return str(exc)
        return None

    def fill(self, entry: ScaleEntry) -> None:
        """Show an entry again (a correction, or a refusal)."""
        self.items.set_answers(entry.answers)
        self.taken_at.set_value(entry.taken_at)
        self.reason.setText(entry.reason)

    @classmethod
    def ask(
        cls,
        scale: ScaleName,
        clock: Clock,
        tz: str,
        parent: QWidget | None = None,
        previous: ScaleEntry | None = None,
        *,
        correcting: str | None = None,
    ) -> ScaleEntry | None:
        """The answers and their time, or None if cancelled."""
        d = cls(scale, clock, tz, parent, correcting=correcting)
        if previous is not None:
            d.fill(previous)
        if d.exec() != QDialog.DialogCode.Accepted:
            return None
        return ScaleEntry(d.items.answers(), d.taken, d.reason.text().strip())


def ask_scale(
    scale: ScaleName,
    clock: Clock,
    tz: str,
    parent: QWidget | None,
    previous: ScaleEntry | None = None,
    *,
    correcting: str | None = None,
) -> ScaleEntry | None:
    """Module-level hook so tests can answer the scale dialog."""
    return ScaleDialog.ask(scale, clock, tz, parent, previous, correcting=correcting)
