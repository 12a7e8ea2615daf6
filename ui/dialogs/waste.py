"""Controlled-substance waste, witnessed: how much is open and where, the amount wasted (typed,
or the whole open remainder taken with one key: never filled in for the nurse), when, and the
witness signing with their own password. The core computes the mL and judges the record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bedside.clock import Clock
from bedside.errors import InputRejected
from bedside.rules.controlled import SOURCE_WORDS, Remainder, WasteSource
from bedside.signatures import Meaning
from ui.common.lock_gate import SurvivesLock
from ui.dialogs.taken_at import TakenAtField
from ui.dialogs.text import named_line, ok_cancel


@dataclass(frozen=True)
class WasteEntry:
    """Waste with its witness's credentials, and when it was wasted (None: now)."""

    wasted_mg: float
    source: str
    witness_username: str
    witness_password: str
    clinical_time: datetime | None = None


@dataclass(frozen=True)
class OpenDrug:
    """What the dialog shows as open: the remainder by place, and each place's strength (mg/mL)
    so the mL of what is typed can be shown back."""

    parts: tuple[Remainder, ...]
    strengths: dict[WasteSource, float]


class WasteDialog(SurvivesLock):
    """Amount wasted, where from, when, and the witness signing with their own password."""

    def __init__(
        self, drug: OpenDrug, clock: Clock, tz: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.drug = drug
        self.setWindowTitle("Controlled-substance waste (witnessed)")
        layout = QVBoxLayout(self)
        self.open_now = QLabel(self._open_text())
        self.open_now.setObjectName("wasteOpen")
        self.open_now.setWordWrap(True)
        layout.addWidget(self.open_now)
        layout.addLayout(self._form(clock, tz))
        note = QLabel(f"The witness signs: “{Meaning.WITNESSED_WASTE.value}”.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.message = QLabel("")
        self.message.setObjectName("wasteMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "Record waste"))
        self.setMinimumWidth(520)
        first = drug.parts[0].source if drug.parts else "vial"
        self.source.setCurrentIndex(max(self.source.findData(first), 0))
        self._show_amount()
        self.amount.valueChanged.connect(lambda _: self._show_amount())
        self.source.currentIndexChanged.connect(lambda _: self._show_amount())
        QShortcut(QKeySequence("Ctrl+D"), self).activated.connect(self.use_open)
        self.amount.setFocus()
        self._confirmed_mg: float | None = None
        """An amount equal to the open mL, saved a second time: meant as mg."""

    def _form(self, clock: Clock, tz: str) -> QFormLayout:
        """Where from, how much (empty: the nurse types it or takes the open amount with one
        key), when, and the witness."""
        form = QFormLayout()
        self.source = QComboBox()
        self.source.setObjectName("source")
        for source, words in SOURCE_WORDS.items():
            if source in self.drug.strengths:
                self.source.addItem(words[0].upper() + words[1:], source)
        form.addRow("From", self.source)
        self.amount = QDoubleSpinBox()
        self.amount.setObjectName("amount")
        self.amount.setRange(0, 1000)
        self.amount.setDecimals(2)
        self.amount.setSuffix(" mg")
        self.amount.setSpecialValueText(" ")  # 0 shows empty: nothing wasted is never typed
        self.amount.setMinimumHeight(40)
        self.use_open_button = QPushButton()
        self.use_open_button.setObjectName("useOpen")
        self.use_open_button.setAutoDefault(False)
        # Ctrl+D is its key: Tab goes from the amount straight on to the time and the witness.
        self.use_open_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.use_open_button.clicked.connect(self.use_open)
        row = QHBoxLayout()
        row.addWidget(self.amount, 1)
        row.addWidget(self.use_open_button)
        form.addRow("Amount wasted", row)
        self.amount_shown = QLabel()
        self.amount_shown.setObjectName("amountShown")
        self.amount_shown.setProperty("role", "muted")
        self.amount_shown.setWordWrap(True)
        form.addRow("", self.amount_shown)
        self.taken_at = TakenAtField(clock, tz)
        form.addRow("Wasted at", self.taken_at)
        self.witness = named_line("witness", hint="the witness's user name")
        form.addRow("Witness", self.witness)
        self.password = named_line("witnessPassword", secret=True)
        form.addRow("Witness password", self.password)
        return form

    def _open_text(self) -> str:
        if not self.drug.parts:
            return "Nothing drawn is open: every mg is in the bag, infused or already wasted."
        return (
            "<b>Open now:</b> "
            + "; ".join(p.words() for p in self.drug.parts)
            + ". Type the amount you waste, or Ctrl+D for all that is open there."
        )

    def _open_here(self) -> Remainder | None:
        return next((p for p in self.drug.parts if p.source == self.source_value()), None)

    def use_open(self) -> None:
        """Put the whole open remainder at the chosen place in the amount (Ctrl+D): an
        explicit act, never a value the form starts with."""
        part = self._open_here()
        if part is not None:
            self.amount.setValue(part.mg)
            self.amount.setFocus()

    def _show_amount(self) -> None:
        """The amount in mL at the chosen place's strength; what is open there, on the key."""
        part = self._open_here()
        self.use_open_button.setText(
            f"All that is open: {part.mg:g} mg (Ctrl+D)" if part else "Nothing open here"
        )
        self.use_open_button.setEnabled(part is not None)
        strength = self.drug.strengths.get(self.source_value())
        mg = self.amount.value()
        if not mg:
            self.amount_shown.setText("Type the mg wasted.")
            return
        ml = f" = {mg / strength:.2f} mL at {strength:g} mg/mL" if strength else ""
        self.amount_shown.setText(f"{mg:g} mg{ml}")

    def source_value(self) -> WasteSource:
        """The place chosen: "vial" or "bag"."""
        return "bag" if self.source.currentData() == "bag" else "vial"

    def accept(self) -> None:
        """Only with an amount typed and a time that reads as one (the core judges the rest)."""
        if not self.amount.value():
            part = self._open_here()
            hint = f" (open here: {part.mg:g} mg — Ctrl+D takes it)" if part else ""
            self.message.setText(
                f"Not saved — Amount wasted: type the mg wasted, more than 0{hint}."
            )
            self.amount.setFocus()
            return
        if self._looks_like_ml():
            return
        try:
            self.taken_at.value()
        except InputRejected as exc:
            self.message.setText(f"Not saved — {exc}")
            return
        super().accept()

    def _looks_like_ml(self) -> bool:
        """The mg typed is the open volume in mL (1.4 typed for "14 mg (1.4 mL)"): asked once,
        since a witnessed waste is not corrected; the same amount again is taken as meant."""
        part = self._open_here()
        mg = self.amount.value()
        if part is None or part.ml == part.mg or abs(mg - part.ml) > 1e-9:
            return False
        if self._confirmed_mg == mg:
            return False
        self._confirmed_mg = mg
        self.message.setText(
            f"Not saved — Amount wasted is in mg: {mg:g} is the volume open in mL "
            f"({part.mg:g} mg = {part.ml:g} mL). Type the mg, or save again to waste {mg:g} mg."
        )
        self.amount.setFocus()
        return True

    def entry(self) -> WasteEntry:
        """What was typed."""
        return WasteEntry(
            self.amount.value(),
            self.source_value(),
            self.witness.text().strip(),
            self.password.text(),
            self.taken_at.value(),
        )

    def restore(self, previous: WasteEntry) -> None:
        """Show a refused entry as it was typed; the witness types their password again (a
        signature is given afresh, never replayed)."""
        self.source.setCurrentIndex(max(self.source.findData(previous.source), 0))
        self.amount.setValue(previous.wasted_mg)
        self._show_amount()
        self.witness.setText(previous.witness_username)
        self.taken_at.set_value(previous.clinical_time)
        self.password.setFocus()

    @classmethod
    def ask(
        cls,
        drug: OpenDrug,
        clock: Clock,
        tz: str,
        parent: QWidget | None = None,
        previous: WasteEntry | None = None,
    ) -> WasteEntry | None:
        """The entry, or None if cancelled; ``previous`` shows a refused entry as typed."""
        dialog = cls(drug, clock, tz, parent)
        if previous is not None:
            dialog.restore(previous)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.entry()
