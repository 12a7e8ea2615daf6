"""Record a vitals set from the keyboard: empty fields, the last set shown beside them, Tab or
Space between values.

The fields start empty: a new set is what was measured now, never the last set again by
accident. The last values are shown beside each field; Ctrl+D copies them into the empty fields,
and the set records which values were copied and from which set (the core checks it). No field
moves on by itself: a key always lands in the field it was typed in, so a digit too many can
never start the next value and shift the rest of the set (see ``keypad_fields``); a full set is
"136 90 83 96 16" and Enter. Impossible values are refused by the core with the field and the
allowed range; abnormal ones are coloured as they are typed, using the core's alert rules.
"Taken at" says when the set was measured (empty: now). Escape, Cancel or closing a form with
anything typed asks before it is thrown away.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bedside.context import SessionChange
from bedside.errors import BedsideError, InputRejected
from bedside.events import ChartEvent, VitalsRecorded
from bedside.events.observations import VitalsBase
from bedside.people import User
from bedside.protocol import AlertLevel
from bedside.service import ChartService, SessionRef
from bedside.timeutil import local_text
from ui.common.lock_gate import SurvivesLock
from ui.common.theme import PALETTES
from ui.dialogs.entry_dialog import form_state, may_discard
from ui.dialogs.keypad_fields import BASELINE_EXTRA, FIELDS, DecimalField, DigitField
from ui.dialogs.taken_at import TakenAtField

Keypad = DigitField | DecimalField


class VitalsDialog(SurvivesLock):
    """One vitals set for one session (or the correction of one)."""

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
        self.last = self._last_set()
        """The set whose values are shown beside the fields (and copied with Ctrl+D)."""
        self.copied: set[str] = set()
        self.copied_from = None if correcting is None else self._payload(correcting).copied_from
        action = (
            "Correct vitals" if correcting else "Baseline vitals" if baseline else "Record vitals"
        )
        self.setWindowTitle(f"{action} — {ctx.patient.display_name}")
        layout = QVBoxLayout(self)
        hint = QLabel(self._hint())
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        layout.addWidget(hint)
        layout.addLayout(self._build_form())
        self.message = QLabel("")
        self.message.setObjectName("vitalsMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(self._build_buttons())
        if correcting is not None:
            self._show(self._payload(correcting), copied=set(self._payload(correcting).copied))
        self.fields["systolic"].setFocus()
        self._judge()
        self.setMinimumWidth(460)
        self._opened = form_state(self)
        """The form as it opened: empty, or the entry being corrected."""

    @staticmethod
    def _payload(event: ChartEvent) -> VitalsBase:
        assert isinstance(event.payload, VitalsBase)
        return event.payload

    def _last_set(self) -> ChartEvent | None:
        """The set a nurse compares with: the last timed set, else the last baseline."""
        if self.correcting is not None:
            return None  # a correction starts from the entry itself
        state = self.ctx.state
        if self.baseline:
            return state.baseline_vitals[-1] if state.baseline_vitals else None
        if state.vitals:
            return state.vitals[-1]
        return state.baseline_vitals[-1] if state.baseline_vitals else None

    def _hint(self) -> str:
        if self.correcting is not None:
            return "Change what was wrong; the original stays in the record, struck. Enter saves."
        if self.last is None:
            return "Type each value, Tab or Space to the next. Enter saves."
        when = local_text(self.last.clinical_time, self.service.timezone, "%H:%M")
        return (
            f"Type each value, Tab or Space to the next; the {when} set is shown beside each "
            "field. Ctrl+D copies it into the empty fields (saved as copied). Enter saves."
        )

    def _build_form(self) -> QFormLayout:
        """The values, each with the last one beside it, oxygen, the time, a correction's
        reason."""
        form = QFormLayout()
        self.fields: dict[str, DigitField] = {}
        self.decimals: dict[str, DecimalField] = {}
        self.hints: dict[str, QLabel] = {}
        specs = FIELDS + (BASELINE_EXTRA if self.baseline else ())
        for key, spec in specs:
            field: Keypad = DecimalField(spec) if key in dict(BASELINE_EXTRA) else DigitField(spec)
            field.setObjectName(key)
            field.textEdited.connect(lambda _text, k=key: self._typed(k))
            field.textChanged.connect(self._judge)
            field.returnPressed.connect(self._save)
            hint = QLabel(self._last_text(key))
            hint.setObjectName(f"last_{key}")
            hint.setProperty("role", "muted")
            row = QHBoxLayout()
            row.addWidget(field, 1)
            row.addWidget(hint, 1)
            form.addRow(f"{spec.label} ({spec.unit})", row)
            self.hints[key] = hint
            if isinstance(field, DecimalField):
                self.decimals[key] = field
            else:
                self.fields[key] = field
        self.on_oxygen = QCheckBox("On oxygen")
        last_o2 = self.last is not None and self._payload(self.last).on_oxygen
        form.addRow("", self.on_oxygen)
        if last_o2:
            self.on_oxygen.setText("On oxygen (the last set was)")
        self.taken_at = TakenAtField(self.service.clock, self.service.timezone)
        self.taken_at.edit.returnPressed.connect(self._save)
        form.addRow("Taken at", self.taken_at)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("why the entry is corrected (kept with the original)")
        self.reason.returnPressed.connect(self._save)
        if self.correcting is not None:
            self.taken_at.set_value(self.correcting.clinical_time)
            form.addRow("Reason", self.reason)
        return form

    def _last_text(self, key: str) -> str:
        if self.last is None:
            return ""
        value = getattr(self._payload(self.last), key, None)
        return "" if value is None else f"last {value:g}"

    def _build_buttons(self) -> QDialogButtonBox:
        """Copy last set (Ctrl+D), Cancel and "Save (Enter)"."""
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.copy_button = QPushButton("Copy last set (Ctrl+D)")
        self.copy_button.setObjectName("copyLast")
        self.copy_button.setAutoDefault(False)
        self.copy_button.setToolTip("Fill the empty fields with the last set; saved as copied")
        self.copy_button.clicked.connect(self.copy_last)
        self.copy_button.setVisible(self.last is not None)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        QShortcut(QKeySequence("Ctrl+D"), self).activated.connect(self.copy_last)
        self.save_button = buttons.addButton("Save (Enter)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAutoDefault(False)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        return buttons

    # --- copying forward --------------------------------------------------------------------------

    def copy_last(self) -> None:
        """Fill every empty field with the last set's value, marked copied."""
        if self.last is None:
            return
        last = self._payload(self.last)
        for key, box in self._boxes().items():
            value = getattr(last, key, None)
            if value is not None and not box.text().strip():
                box.setText(f"{value:g}")
                self.copied.add(key)
                self._mark(key)
        if self.copied:
            self.copied_from = self.last.id

    def _typed(self, key: str) -> None:
        """A value typed over a copied one is measured, no longer copied."""
        if key in self.copied:
            self.copied.discard(key)
            self._mark(key)

    def _mark(self, key: str) -> None:
        copied = key in self.copied
        self._boxes()[key].setProperty("copied", copied)
        self.hints[key].setText("copied from the last set" if copied else self._last_text(key))
        self._judge()

    def _boxes(self) -> dict[str, Keypad]:
        return {**self.fields, **self.decimals}

    def _show(self, payload: VitalsBase, copied: set[str]) -> None:
        """Fill the fields from a set (the entry being corrected)."""
        for key, box in self._boxes().items():
            value = getattr(payload, key, None)
            box.setText("" if value is None else f"{value:g}")
        self.on_oxygen.setChecked(payload.on_oxygen)
        self.copied = copied
        for key in copied:
            self._mark(key)

    # --- values, judging, saving ------------------------------------------------------------------

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
        copied = sorted(k for k in self.copied if k in out)
        if copied:
            out["copied"] = copied
            out["copied_from"] = self.copied_from
        return out

    def _judge(self) -> None:
        """Colour abnormal values by the protocol's levels (the core decides, not this dialog);
        copied values read in italics."""
        palette = PALETTES[self.theme]
        levels: dict[str, AlertLevel] = {}
        # Judge what can be judged: an impossible value elsewhere must not hide an abnormal one.
        values = {k: v for k, v in self.values().items() if k not in self.decimals}
        values.pop("copied", None)
        values.pop("copied_from", None)
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
        for key, field in self._boxes().items():
            level = levels.get(key)
            colour = (
                palette["danger"]
                if level in (AlertLevel.PAUSE, AlertLevel.DO_NOT_START)
                else palette["warning"]
                if level is AlertLevel.NOTIFY
                else ""
            )
            style = f"color: {colour}; font-weight: bold;" if colour else ""
            if key in self.copied:
                style += " font-style: italic;"
            field.setStyleSheet(style)
            field.setProperty("level", level.value if level else "")

    def _one_decimal(self) -> None:
        """A decimal value has one decimal at most: more is two values run together (36.872
        for 36.8 and 72) or a slip, refused in words; never rounded or cut for the nurse."""
        specs = dict(BASELINE_EXTRA)
        for key, box in self.decimals.items():
            text = box.text().strip()
            if len(text.replace(",", ".").partition(".")[2]) > 1:
                spec = specs[key]
                raise InputRejected(
                    f"{spec.label} {text} {spec.unit}: one decimal at most "
                    "(Tab or Space between two values)"
                )

    def _save(self) -> None:
        try:
            self._one_decimal()
            when = self.taken_at.value()
            if self.correcting is not None:
                change = self.service.correct(
                    self.user,
                    self.ctx,
                    self.correcting.id,
                    self.reason.text(),
                    clinical_time=when,
                    **self._correction_values(),
                )
            elif self.baseline:
                change = self.service.record_baseline(
                    self.user, self.ctx, clinical_time=when, **self.values()
                )
            else:
                change = self.service.record_vitals(
                    self.user, self.ctx, clinical_time=when, **self.values()
                )
        except BedsideError as exc:
            self.message.setText(f"Not saved: {exc}")
            self.message.setStyleSheet(f"color: {PALETTES[self.theme]['danger']};")
            return
        self.change = change
        self.saved = list(change.events)
        self.accept()

    def reject(self) -> None:
        """Escape, Cancel or closing: values typed (or changed, correcting) are thrown away
        only after asking; an untouched form closes at once."""
        if may_discard(self, form_state(self) != self._opened, "Discard the vitals you typed?"):
            super().reject()

    def _correction_values(self) -> dict[str, Any]:
        """The corrected set in full: a value cleared is gone, not kept from the original."""
        values = self.values()
        for key in self._boxes():
            values.setdefault(key, None)
        values.setdefault("copied", [])
        values.setdefault("copied_from", None)
        if not values["copied"]:
            values["copied_from"] = None
        return values

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
