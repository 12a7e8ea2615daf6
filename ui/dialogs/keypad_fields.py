"""The vitals keypad's fields: touch-sized, their range on hover, and a value ends only where
the nurse ends it — Tab or Space moves to the next field, Enter saves the set.

Why no field moves on by itself: a move made once a field "looks complete" cannot tell an extra
digit from the first digit of the next value ("1860" meant as 186 gave 186 and put the 0 in the
diastolic, and every later value one field down; "1201" could be 120 then 1…). A keystroke
always lands in the field the nurse sees the cursor in. A digit too many makes the value
impossible ("1860"), and the core refuses it naming the field and its allowed range; nothing
is moved, shortened or dropped (no length limit or validator swallows a key).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from bedside.ranges import (
    DIASTOLIC,
    HEART_RATE,
    HEIGHT,
    RESP_RATE,
    SPO2,
    SYSTOLIC,
    TEMPERATURE,
    WEIGHT,
    PossibleRange,
)

FIELDS: tuple[tuple[str, PossibleRange], ...] = (
    ("systolic", SYSTOLIC),
    ("diastolic", DIASTOLIC),
    ("heart_rate", HEART_RATE),
    ("spo2", SPO2),
    ("resp_rate", RESP_RATE),
)

BASELINE_EXTRA: tuple[tuple[str, PossibleRange], ...] = (
    ("temperature_c", TEMPERATURE),
    ("weight_kg", WEIGHT),
    ("height_cm", HEIGHT),
)
"""Measured once before the infusion: decimals allowed (36.7 °C, 72.4 kg)."""


class _KeypadField(QLineEdit):
    """A keypad field: centred, touch-sized, its range on hover, its text selected on focus
    (typing replaces the last value); Space moves on like Tab."""

    def __init__(self, spec: PossibleRange, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(44)
        self.setToolTip(f"{spec.label}: {spec.describe()} (Tab or Space: next field)")

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Space ends the value and moves to the next field, as Tab does (one thumb on the
        space bar, the other hand on the digits)."""
        if event.key() == Qt.Key.Key_Space and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            event.accept()
            self.focusNextChild()
            return
        super().keyPressEvent(event)


class DigitField(_KeypadField):
    """A whole number (a systolic, a heart rate)."""


class DecimalField(_KeypadField):
    """A number with a decimal (36.8 °C, 72.5 kg); ``,`` is read as the decimal point."""
