"""The vitals keypad's fields: touch-sized, their range on hover, and each moves on by itself
once no further digit could make a possible value (142 for a systolic, 88 for a diastolic).

A nurse used to other forms presses Tab after each value as well. The Tab that follows a move
made by the field itself is taken as that same move, so it never skips the next field and puts
the next value one field down (84 typed for the diastolic landing in the heart rate)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRegularExpression, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

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
    (typing replaces the last value), and it moves on by itself once complete."""

    def __init__(self, spec: PossibleRange, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(44)
        self.setToolTip(f"{spec.label}: {spec.describe()}")
        self.arrived_by_itself = False
        """The previous field moved here by itself; nothing typed here since."""
        self.textEdited.connect(self._maybe_advance)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.selectAll()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.arrived_by_itself = False

    def event(self, event: QEvent) -> bool:
        """Tab straight after the field moved here by itself is that move: stay here."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self.arrived_by_itself
        ):
            self.arrived_by_itself = False
            event.accept()
            return True
        return super().event(event)

    def _maybe_advance(self, text: str) -> None:
        self.arrived_by_itself = False
        if self._complete(text):
            self.focusNextChild()
            landed = QApplication.focusWidget()
            if isinstance(landed, _KeypadField):
                landed.arrived_by_itself = True

    def _complete(self, text: str) -> bool:
        raise NotImplementedError


class DigitField(_KeypadField):
    """A whole number: complete as soon as no further digit could make a possible value (142
    for a systolic, 88 for a diastolic)."""

    def __init__(self, spec: PossibleRange, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.setMaxLength(len(str(int(spec.high))))
        self.setInputMask("")

    def _complete(self, text: str) -> bool:
        return text.isdigit() and int(text) * 10 > self.spec.high


class DecimalField(_KeypadField):
    """A number with at most one decimal (36.8 °C, 72.5 kg): complete once the decimal digit
    is typed, so two values can never run together."""

    def __init__(self, spec: PossibleRange, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        digits = len(str(int(spec.high)))
        self.setValidator(
            QRegularExpressionValidator(QRegularExpression(rf"^\d{{0,{digits}}}([.,]\d?)?$"))
        )

    def _complete(self, text: str) -> bool:
        return len(text) >= 3 and text[-2] in ".," and text[-1].isdigit()
