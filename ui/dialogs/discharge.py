"""Discharge: the score with escort and instructions, witnessed waste, sign-off, addendum.

Each ``ask`` returns plain values; passwords are passed straight to the core, which checks
them (the witness and the signing clinician type their own).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from bedside.scales import ScaleName, definition
from bedside.signatures import Meaning
from ui.dialogs.text import named_line, ok_cancel


@dataclass(frozen=True)
class DischargeEntry:
    """A discharge assessment."""

    answers: dict[str, int]
    escort_present: bool
    escort_name: str
    instructions_given: bool
    iv_removed_site_ok: bool


class DischargeDialog(QDialog):
    """The protocol's discharge score, item by item (the total is computed by the core)."""

    def __init__(
        self, scale: ScaleName, escort_name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        spec = definition(scale)
        self.spec = spec
        self.setWindowTitle(f"Discharge assessment — {spec.title}")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.items: dict[str, QComboBox] = {}
        # Nothing is pre-scored: a full score must come from looking at the patient, item by
        # item, never from pressing Save on defaults.
        for item in spec.items:
            combo = QComboBox()
            combo.setObjectName(item.key)
            combo.setPlaceholderText("assess…")
            combo.setMinimumHeight(40)
            for option in sorted(item.options, key=lambda o: -o.value):
                combo.addItem(f"{option.value} — {option.label}", option.value)
            combo.setCurrentIndex(-1)
            label = QLabel(item.text)
            label.setWordWrap(True)
            form.addRow(label, combo)
            self.items[item.key] = combo
        self.escort = QCheckBox("Escort present")
        self.escort.setObjectName("escort")
        self.escort_name = QLineEdit(escort_name)
        form.addRow(self.escort, self.escort_name)
        self.instructions = QCheckBox(
            "Discharge instructions given (no driving until tomorrow, no alcohol, emergency number)"
        )
        self.instructions.setObjectName("instructions")
        form.addRow("", self.instructions)
        self.iv_removed = QCheckBox("IV removed, site OK")
        self.iv_removed.setObjectName("ivRemoved")
        form.addRow("", self.iv_removed)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("dischargeMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "Save assessment"))
        self.setMinimumWidth(720)

    def accept(self) -> None:
        """Only with every item assessed (the core computes the total)."""
        missing = [k for k, combo in self.items.items() if combo.currentIndex() < 0]
        if missing:
            self.message.setText(
                "Not saved — still to assess: "
                + ", ".join(self.spec.item(k).text.split(" (")[0] for k in missing)
            )
            return
        super().accept()

    @classmethod
    def ask(
        cls, scale: ScaleName, escort_name: str = "", parent: QWidget | None = None
    ) -> DischargeEntry | None:
        """The assessment, or None if cancelled."""
        d = cls(scale, escort_name, parent)
        if d.exec() != QDialog.DialogCode.Accepted:
            return None
        return DischargeEntry(
            {k: int(c.currentData()) for k, c in d.items.items()},
            d.escort.isChecked(),
            d.escort_name.text().strip(),
            d.instructions.isChecked(),
            d.iv_removed.isChecked(),
        )


@dataclass(frozen=True)
class WasteEntry:
    """Waste with its witness's credentials."""

    wasted_mg: float
    source: str
    witness_username: str
    witness_password: str


class WasteDialog(QDialog):
    """Amount wasted, where from, and the witness signing with their own password."""

    def __init__(self, suggested_mg: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Controlled-substance waste (witnessed)")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.amount = QDoubleSpinBox()
        self.amount.setObjectName("amount")
        self.amount.setRange(0, 1000)
        self.amount.setDecimals(2)
        self.amount.setSuffix(" mg")
        self.amount.setValue(max(suggested_mg, 0.0))
        form.addRow("Amount wasted", self.amount)
        self.source = QComboBox()
        self.source.addItem("Left in the vial or syringe", "vial")
        self.source.addItem("Left in the bag (stopped early)", "bag")
        form.addRow("From", self.source)
        self.witness = named_line("witness", hint="the witness's user name")
        form.addRow("Witness", self.witness)
        self.password = named_line("witnessPassword", secret=True)
        form.addRow("Witness password", self.password)
        layout.addLayout(form)
        note = QLabel(f"The witness signs: “{Meaning.WITNESSED_WASTE.value}”.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(ok_cancel(self, "Record waste"))
        self.setMinimumWidth(480)

    @classmethod
    def ask(cls, suggested_mg: float, parent: QWidget | None = None) -> WasteEntry | None:
        """The entry, or None if cancelled."""
        d = cls(suggested_mg, parent)
        if d.exec() != QDialog.DialogCode.Accepted:
            return None
        return WasteEntry(
            d.amount.value(),
            str(d.source.currentData()),
            d.witness.text().strip(),
            d.password.text(),
        )


@dataclass(frozen=True)
class SignOffEntry:
    """The signing clinician's credentials and an override reason, if one is needed."""

    username: str
    password: str
    override_reason: str


class SignOffDialog(QDialog):
    """Shows what is being signed and its meaning; the clinician types their password."""

    def __init__(self, summary: str, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clinician sign-off")
        layout = QVBoxLayout(self)
        text = QLabel(
            f"{summary}<p>Signing means: <b>“{Meaning.DISCHARGE_APPROVED.value}”</b>. "
            "Your printed name, the date and time and this meaning are bound to the record; "
            "afterwards the session is locked and only addenda can be added.</p>"
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.username = named_line("clinician", username)
        self.password = named_line("clinicianPassword", secret=True)
        self.override = named_line(
            "override", hint="only if signing although criteria are not all met"
        )
        form.addRow("Clinician", self.username)
        form.addRow("Password", self.password)
        form.addRow("Override reason", self.override)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "Sign and lock"))
        self.setMinimumWidth(560)

    @classmethod
    def ask(
        cls, summary: str, username: str = "", parent: QWidget | None = None
    ) -> SignOffEntry | None:
        """The credentials, or None if cancelled."""
        d = cls(summary, username, parent)
        if d.exec() != QDialog.DialogCode.Accepted:
            return None
        return SignOffEntry(d.username.text().strip(), d.password.text(), d.override.text().strip())


@dataclass(frozen=True)
class AddendumEntry:
    """An addendum's text, reason and the author's password."""

    text: str
    reason: str
    password: str


class AddendumDialog(QDialog):
    """After sign-off: a dated, signed addendum with its reason."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Addendum")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("The record is locked; this addendum is added after it, signed."))
        form = QFormLayout()
        self.text = QPlainTextEdit()
        self.text.setObjectName("addendumText")
        self.reason = named_line("addendumReason")
        self.password = named_line("addendumPassword", secret=True)
        form.addRow("Addendum", self.text)
        form.addRow("Reason", self.reason)
        form.addRow("Your password", self.password)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "Sign addendum"))
        self.setMinimumWidth(520)

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> AddendumEntry | None:
        """The addendum, or None if cancelled."""
        d = cls(parent)
        if d.exec() != QDialog.DialogCode.Accepted:
            return None
        return AddendumEntry(
            d.text.toPlainText().strip(), d.reason.text().strip(), d.password.text()
        )
