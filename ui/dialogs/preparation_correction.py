"""Correcting the dose plan or the drug preparation from the session record.

Each form starts from the entry as charted and asks why it is corrected. The dose plan is
computed again by the core as the vial strength and the bag are changed (shown as it would be
saved, with the core's findings; nothing is typed but the inputs). A corrected preparation is
double-checked again: a second person types their user name and password now (never the
original signature), and the expiry typed is read back in words before anything is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from html import escape

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from bedside.errors import BedsideError
from bedside.expiry import FORMS, ExpiryRejected, expired, parse_expiry
from bedside.rules import controlled, dosing
from bedside.signatures import Meaning
from ui.common.guard_view import report_html
from ui.common.lock_gate import SurvivesLock
from ui.dialogs.entry_dialog import MIN_REASON
from ui.dialogs.text import named_line, ok_cancel


def _number(text: str) -> float | None:
    """A number as typed (a decimal comma taken as a point), or None."""
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


class _CorrectionForm(SurvivesLock):
    """What is corrected (in words), a form, the reason, a message line, Save and Cancel."""

    def __init__(self, title: str, words: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Correct: {title}")
        self.layout_ = QVBoxLayout(self)
        original = QLabel(
            f"Correcting: <i>{escape(words, quote=False)}</i><br>The original stays, struck."
        )
        original.setObjectName("correcting")
        original.setWordWrap(True)
        original.setProperty("role", "muted")
        self.layout_.addWidget(original)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.reason = named_line("reason", hint="why the entry is corrected (kept with it)")
        self.message = QLabel("")
        self.message.setObjectName("entryMessage")
        self.message.setWordWrap(True)
        self.setMinimumWidth(620)

    def finish(self, ok_text: str) -> None:
        """The reason, the message line and the buttons, below the form."""
        self.form.addRow("Reason for correction", self.reason)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(ok_cancel(self, ok_text))

    def refuse(self, text: str) -> None:
        """Say, in the dialog, why it did not close (what was typed stays)."""
        self.message.setText(f"Not saved: {escape(text, quote=False)}")
        self.message.setProperty("role", "danger")
        self.message.style().polish(self.message)

    def reason_missing(self) -> bool:
        """Refuse without a reason (said in the dialog)."""
        if len(self.reason.text().strip()) >= MIN_REASON:
            return False
        self.refuse("Reason for correction: say why the entry is corrected")
        self.reason.setFocus()
        return True


# --- the dose plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DosePlanCorrection:
    """The inputs of a dose plan corrected (the core computes the rest) and why."""

    vial_concentration_mg_ml: float
    bag_volume_ml: float
    reason: str = ""


Preview = Callable[[float, float], dosing.DoseResult]
"""The core's plan for a vial strength and a bag, without saving."""


class DosePlanCorrectionDialog(_CorrectionForm):
    """The vial strength and the bag, the plan the core computes from them, and the reason."""

    def __init__(
        self,
        words: str,
        weight_line: str,
        strengths: Sequence[float],
        preview: Preview,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("dose plan", words, parent)
        self.preview = preview
        weight = QLabel(weight_line)
        weight.setObjectName("planWeight")
        weight.setWordWrap(True)
        self.form.addRow(weight)
        self.vial = QComboBox()
        self.vial.setObjectName("vialStrength")
        for strength in strengths:
            self.vial.addItem(f"{strength:g} mg/mL", strength)
        self.vial.setMinimumHeight(40)
        self.form.addRow("Vial strength", self.vial)
        self.bag = named_line("bagVolume", hint="mL, as on the bag")
        self.form.addRow("Bag (mL)", self.bag)
        self.formula = QLabel()
        self.formula.setObjectName("doseFormula")
        self.formula.setWordWrap(True)
        self.form.addRow(self.formula)
        self.finish("Save corrected plan")
        self.vial.currentIndexChanged.connect(lambda _: self._show())
        self.bag.textChanged.connect(lambda _: self._show())
        self.planned = False

    def fill(self, entry: DosePlanCorrection) -> None:
        """Show the plan's inputs (as charted, or as typed before a refusal)."""
        self.vial.setCurrentIndex(self.vial.findData(entry.vial_concentration_mg_ml))
        self.bag.setText(f"{entry.bag_volume_ml:g}")
        self.reason.setText(entry.reason)
        self._show()

    def _show(self) -> None:
        """The plan the core computes from what is typed now, with its findings."""
        self.planned = False
        bag = _number(self.bag.text())
        if self.vial.currentIndex() < 0 or bag is None:
            self.formula.setText("Choose the vial strength and type the bag volume.")
            return
        try:
            plan, report = self.preview(float(self.vial.currentData()), bag)
        except BedsideError as exc:
            self.formula.setText(f"<b>✗ {escape(str(exc), quote=False)}</b>")
            return
        lines = report_html(report, all_clear="Dose within limits")
        if plan is None:
            self.formula.setText(f"<b>No dose can be planned:</b>{lines}")
            return
        self.planned = True
        self.formula.setText(
            f"<b>{plan.dose_mg:g} mg</b> = {plan.drug_volume_ml:g} mL of "
            f"{plan.vial_concentration_mg_ml:g} mg/mL in {plan.final_volume_ml:g} mL at "
            f"<b>{plan.rate_ml_h:g} mL/h</b> over {plan.duration_min} min"
            f"<pre>{escape(plan.formula)}</pre>{lines}"
        )

    def accept(self) -> None:
        """Only with a bag volume, a plan the core can compute, and a reason."""
        if _number(self.bag.text()) is None:
            self.refuse("Bag: type the volume of the bag in mL")
            return
        if not self.planned:
            self.refuse("the core cannot plan this dose (see above)")
            return
        if not self.reason_missing():
            super().accept()

    def entry(self) -> DosePlanCorrection:
        """What the dialog holds."""
        return DosePlanCorrection(
            float(self.vial.currentData()),
            _number(self.bag.text()) or 0.0,
            self.reason.text().strip(),
        )

    @classmethod
    def ask(
        cls,
        words: str,
        weight_line: str,
        strengths: Sequence[float],
        preview: Preview,
        parent: QWidget | None,
        previous: DosePlanCorrection,
    ) -> DosePlanCorrection | None:
        """The corrected inputs and the reason, or None if cancelled."""
        dialog = cls(words, weight_line, strengths, preview, parent)
        dialog.fill(previous)
        if dialog.exec() != cls.DialogCode.Accepted:
            return None
        return dialog.entry()


# --- the drug preparation -------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparationCorrection:
    """The vial in hand as typed, the second person's name and password, and why.

    A form reopened after a refusal keeps everything but the password.
    """

    vial_volume_ml: str
    lot: str
    expiry: str
    ndc: str
    drawn_ml: str
    checker: str = ""
    password: str = ""
    reason: str = ""


class PreparationCorrectionDialog(_CorrectionForm):
    """Vial volume, lot, expiry (read back in words), NDC, amount drawn, a fresh double-check."""

    def __init__(
        self, words: str, concentration: float, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__("drug preparation", words, parent)
        self.concentration = concentration
        self.today = today
        self.vial_volume = named_line("vialVolume", hint="as printed on the vial")
        self.form.addRow("Vial volume (mL)", self.vial_volume)
        self.lot = named_line("lot", hint="as printed on the vial")
        self.form.addRow("Lot", self.lot)
        self.expiry = named_line("expiry", hint="as printed, e.g. 30 Jun 2027 or 06/2027")
        self.expiry.setToolTip(f"Type the expiry as printed on the vial: {FORMS}")
        self.expiry_shown = QLabel()
        self.expiry_shown.setObjectName("expiryShown")
        self.expiry_shown.setWordWrap(True)
        self.form.addRow("Expiry", self.expiry)
        self.form.addRow("", self.expiry_shown)
        self.ndc = named_line("ndc", hint="optional")
        self.form.addRow("NDC", self.ndc)
        self.drawn_ml = named_line("drawnMl", hint="mL drawn from the vial")
        self.drawn_mg = QLabel()
        self.drawn_mg.setObjectName("drawnMg")
        self.form.addRow("Amount drawn (mL)", self.drawn_ml)
        self.form.addRow("", self.drawn_mg)
        self.checker = named_line("checker", hint="a second nurse or clinician — not you")
        self.password = named_line("checkerPassword", secret=True)
        self.form.addRow("Double-checked again by", self.checker)
        self.form.addRow("Their password", self.password)
        meaning = QLabel(f"They sign now: “{Meaning.DOUBLE_CHECKED_DOSE.value}”.")
        meaning.setProperty("role", "muted")
        meaning.setWordWrap(True)
        self.form.addRow(meaning)
        self.finish("Save corrected preparation (double-checked)")
        self.expiry.textChanged.connect(lambda _: self._show_expiry())
        self.drawn_ml.textChanged.connect(lambda _: self._show_drawn())

    def fill(self, entry: PreparationCorrection) -> None:
        """Show the preparation (as charted, or as typed before a refusal)."""
        for field, text in (
            (self.vial_volume, entry.vial_volume_ml),
            (self.lot, entry.lot),
            (self.expiry, entry.expiry),
            (self.ndc, entry.ndc),
            (self.drawn_ml, entry.drawn_ml),
            (self.checker, entry.checker),
            (self.password, entry.password),
            (self.reason, entry.reason),
        ):
            field.setText(text)
        self._show_expiry()
        self._show_drawn()

    def _show_expiry(self) -> None:
        """What the typed expiry reads as, in words, or why it cannot be read."""
        try:
            read = parse_expiry(self.expiry.text())
        except ExpiryRejected as exc:
            self.expiry_shown.setText(f"<b>✗ {escape(exc.why)}</b>")
            return
        flag = " — <b>✗ expired</b>" if expired(read.value, self.today) else ""
        self.expiry_shown.setText(f"reads as <b>{escape(read.words())}</b>{flag}")

    def _show_drawn(self) -> None:
        drawn = _number(self.drawn_ml.text())
        mg = "" if drawn is None else f"= {controlled.mg_in(drawn, self.concentration):g} mg"
        self.drawn_mg.setText(mg)

    def _problem(self) -> str | None:
        """What cannot be read as typed (the core judges every value that can)."""
        if _number(self.vial_volume.text()) is None:
            return "Vial volume: type the mL printed on the vial"
        try:
            parse_expiry(self.expiry.text())
        except ExpiryRejected as exc:
            return str(exc)
        if _number(self.drawn_ml.text()) is None:
            return "Amount drawn: type the mL drawn from the vial"
        if not self.checker.text().strip() or not self.password.text():
            return "Double-check: the second person types their user name and password"
        return None

    def accept(self) -> None:
        """Only with what the core can read, a second person's name and password, a reason."""
        problem = self._problem()
        if problem is not None:
            self.refuse(problem)
            return
        if not self.reason_missing():
            super().accept()

    def entry(self) -> PreparationCorrection:
        """What the dialog holds."""
        return PreparationCorrection(
            self.vial_volume.text().strip(),
            self.lot.text().strip(),
            self.expiry.text().strip(),
            self.ndc.text().strip(),
            self.drawn_ml.text().strip(),
            self.checker.text().strip(),
            self.password.text(),
            self.reason.text().strip(),
        )

    @classmethod
    def ask(
        cls,
        words: str,
        concentration: float,
        today: date,
        parent: QWidget | None,
        previous: PreparationCorrection,
    ) -> PreparationCorrection | None:
        """The corrected preparation with the double-check, or None if cancelled; the form
        starts from ``previous`` without its password (a password is typed each time)."""
        dialog = cls(words, concentration, today, parent)
        dialog.fill(replace(previous, password=""))
        if dialog.exec() != cls.DialogCode.Accepted:
            return None
        return dialog.entry()


def expiry_as_printed(value: date) -> str:
    """A charted expiry as text the form reads back to the same date (``30 Jun 2027``)."""
    return f"{value.day} {value:%b %Y}"


def volume_text(value: float) -> str:
    """A charted volume as typed (``5``, ``3.6``)."""
    return f"{value:g}"
