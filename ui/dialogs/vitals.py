"""Record a vitals set from the keyboard: pre-filled with the last values, auto-advancing.

A field moves on by itself as soon as no further digit could make a possible value (142 for a
systolic, 88 for a diastolic), so a full set of five new values is 11 digits and Enter. Unchanged
values cost one key (Tab). Impossible values are refused by the core with the field and the
allowed range; abnormal ones are coloured as they are typed, using the core's alert rules.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QFocusEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from bedside.context import SessionChange
from bedside.errors import BedsideError
from bedside.events import ChartEvent, VitalsRecorded
from bedside.people import User
from bedside.protocol import AlertLevel
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
from bedside.service import ChartService, SessionRef
from ui.common.theme import PALETTES

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
        self.textEdited.connect(self._maybe_advance)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.selectAll()

    def _maybe_advance(self, text: str) -> None:
        if self._complete(text):
            self.focusNextChild()

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


class VitalsDialog(QDialog):
    """One vitals set for one session."""

    def __init__(
        self,
        service: ChartService,
        session: SessionRef,
        user: User,
        theme: str = "dim",
        parent: QWidget | None = None,
        correcting: ChartEvent | None = None,
        baseline: bool = False,
    ) -> None:
        super().__init__(parent)
        self.baseline = baseline
        self.service = service
        # The session as the window shows it: values are judged against it as they are typed
        # (nothing is read again per keystroke) and the set is saved against it.
        self.ctx = ctx = service.context(session)
        self.user = user
        self.theme = theme
        self.correcting = correcting
        self.change: SessionChange | None = None
        self.saved: list[ChartEvent] = []
        action = (
            "Correct vitals" if correcting else "Baseline vitals" if baseline else "Record vitals"
        )
        self.setWindowTitle(f"{action} — {ctx.patient.display_name}")
        layout = QVBoxLayout(self)
        last = self._last_values()
        hint = QLabel(
            "Type over the last values (shown); each field moves on by itself. "
            "Tab keeps a value, Enter saves."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        layout.addWidget(hint)
        layout.addLayout(self._build_form(last))
        self.message = QLabel("")
        self.message.setObjectName("vitalsMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(self._build_buttons())
        self.fields["systolic"].setFocus()
        self._judge()
        self.setMinimumWidth(420)

    def _last_values(self) -> Any:
        """What the fields start from: the entry being corrected, else the last set charted."""
        state = self.ctx.state
        if self.correcting is not None:
            return self.correcting.payload
        if self.baseline:
            return state.latest_baseline()
        return state.vitals[-1].payload if state.vitals else state.latest_baseline()

    def _build_form(self, last: Any) -> QFormLayout:
        """The vitals, the baseline measures (baseline only), oxygen, and a correction's reason."""
        form = QFormLayout()
        self._add_vitals_fields(form, last)
        self._add_baseline_measures(form, last)
        self.on_oxygen = QCheckBox("On oxygen")
        self.on_oxygen.setChecked(bool(getattr(last, "on_oxygen", False)))
        form.addRow("", self.on_oxygen)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("why the entry is corrected (kept with the original)")
        if self.correcting is not None:
            form.addRow("Reason", self.reason)
        return form

    def _add_vitals_fields(self, form: QFormLayout, last: Any) -> None:
        """BP, heart rate, SpO₂ and respiratory rate, each pre-filled and judged as typed."""
        self.fields: dict[str, DigitField] = {}
        for key, spec in FIELDS:
            field = DigitField(spec)
            field.setObjectName(key)
            previous = getattr(last, key, None) if last is not None else None
            if previous is not None:
                field.setText(str(previous))
            field.textChanged.connect(self._judge)
            field.returnPressed.connect(self._save)
            form.addRow(f"{spec.label} ({spec.unit})", field)
            self.fields[key] = field

    def _add_baseline_measures(self, form: QFormLayout, last: Any) -> None:
        """Temperature, weight and height, asked only in the baseline set."""
        self.decimals: dict[str, DecimalField] = {}
        for key, spec in BASELINE_EXTRA if self.baseline else ():
            box = DecimalField(spec)
            box.setObjectName(key)
            previous = getattr(last, key, None) if last is not None else None
            if previous is not None:
                box.setText(f"{previous:g}")
            box.returnPressed.connect(self._save)
            form.addRow(f"{spec.label} ({spec.unit})", box)
            self.decimals[key] = box

    def _build_buttons(self) -> QDialogButtonBox:
        """Cancel and "Save (Enter)"."""
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton("Save (Enter)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAutoDefault(False)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        return buttons

    def values(self) -> dict[str, Any]:
        """The typed values (empty fields left out), as the core takes them."""
        out: dict[str, Any] = {}
        for key, field in self.fields.items():
            text = field.text().strip()
            if text:
                out[key] = int(text) if text.isdigit() else text
        for key, box in self.decimals.items():
            text = box.text().strip().replace(",", ".")
            if text:
                try:
                    out[key] = float(text)
                except ValueError:
                    out[key] = text  # the core names the field and its range
        out["on_oxygen"] = self.on_oxygen.isChecked()
        return out

    def _judge(self) -> None:
        """Colour abnormal values by the protocol's levels (the core decides, not this dialog)."""
        palette = PALETTES[self.theme]
        levels: dict[str, AlertLevel] = {}
        # Judge what can be judged: an impossible value elsewhere must not hide an abnormal one.
        values = self.values()
        for key in self.decimals:  # temperature, weight, height raise no alerts
            values.pop(key, None)
        for key, spec in FIELDS:
            value = values.get(key)
            if not isinstance(value, int) or not spec.low <= value <= spec.high:
                values.pop(key, None)
        if ("systolic" in values) != ("diastolic" in values):
            values.pop("systolic", None)
            values.pop("diastolic", None)
        try:
            payload = VitalsRecorded.model_validate(values)
            levels = self.service.alerts_for(self.ctx, payload).abnormal_parameters()
        except (ValueError, BedsideError):
            pass  # incomplete or impossible while typing: judged on save
        for key, field in self.fields.items():
            level = levels.get(key)
            colour = (
                palette["danger"]
                if level in (AlertLevel.PAUSE, AlertLevel.DO_NOT_START)
                else palette["warning"]
                if level is AlertLevel.NOTIFY
                else ""
            )
            field.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")
            field.setProperty("level", level.value if level else "")

    def _save(self) -> None:
        try:
            if self.correcting is not None:
                change = self.service.correct(
                    self.user,
                    self.ctx,
                    self.correcting.id,
                    self.reason.text(),
                    **self.values(),
                )
            elif self.baseline:
                change = self.service.record_baseline(self.user, self.ctx, **self.values())
            else:
                change = self.service.record_vitals(self.user, self.ctx, **self.values())
        except BedsideError as exc:
            self.message.setText(f"Not saved: {exc}")
            self.message.setStyleSheet(f"color: {PALETTES[self.theme]['danger']};")
            return
        self.change = change
        self.saved = list(change.events)
        self.accept()

    @classmethod
    def ask(
        cls,
        service: ChartService,
        session: SessionRef,
        user: User,
        theme: str = "dim",
        parent: QWidget | None = None,
        correcting: ChartEvent | None = None,
        baseline: bool = False,
    ) -> SessionChange | None:
        """What the saved set changed (the reading and any alert raised with it), or None if
        cancelled."""
        dialog = cls(service, session, user, theme, parent, correcting, baseline)
        dialog.exec()
        return dialog.change
