"""Dose and preparation: the core's dose calculator with its formula, then the vial, lot, expiry
and amount drawn, double-checked by a second person with their own password.

The plan is previewed live as the vial strength and bag change (nothing saved); "Record dose
plan" stores it. Hard stops (dose above the order's maximum, an unstocked vial ...) come back
from the core in words and nothing is saved.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from bedside.context import SessionChange, SessionContext
from bedside.errors import BedsideError
from bedside.events import DosePlanned, DrugPrepared, Phase
from bedside.expiry import FORMS, ExpiryRejected, expired, parse_expiry
from bedside.rules import controlled
from bedside.signatures import Meaning
from bedside.timeutil import local_date
from ui.common.guard_view import report_html
from ui.common.theme import TYPE_SCALE, points
from ui.steps.page import StepPage

_ML = QRegularExpression(r"^\s*\d{0,3}([.]\d{0,2})?\s*$")
"""A volume as typed: up to three digits and two decimals (the core judges the range)."""


def _ml_field(name: str, hint: str) -> QLineEdit:
    """A volume in mL, typed (empty until typed: no default can pass for a reading)."""
    field = QLineEdit()
    field.setObjectName(name)
    field.setPlaceholderText(hint)
    field.setValidator(QRegularExpressionValidator(_ML, field))
    field.setMinimumHeight(40)
    field.setMaximumWidth(260)
    return field


def _ml(text: str) -> float | None:
    """The volume typed, or None when nothing (or only a point) was typed."""
    try:
        return float(text.strip())
    except ValueError:
        return None


def _spin(low: float, high: float, suffix: str, decimals: int = 1) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setSuffix(f" {suffix}")
    spin.setMinimumHeight(40)
    return spin


class PreparationStep(StepPage):
    """The dose plan and the drawn-up drug."""

    phase = Phase.PREPARED
    next_phase = None
    title = "Dose and preparation"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plan: DosePlanned | None = None
        self.form.addWidget(self._build_calculator())
        self.vial.currentIndexChanged.connect(lambda _: self._preview())
        self.bag.valueChanged.connect(lambda _: self._preview())
        self.prep_box = self._build_drawn_up()
        self.form.addWidget(self.prep_box)
        self.form.addStretch(1)

    def _build_calculator(self) -> QGroupBox:
        """The order, vial strength and bag, the dose formula, and "Record dose plan"."""
        dosing = self.ctx.protocol.dosing
        calc = QGroupBox("Dose calculator (from the signed course order)")
        form = QFormLayout(calc)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.order_line = QLabel()
        self.order_line.setWordWrap(True)
        form.addRow(self.order_line)
        self.vial = QComboBox()
        self.vial.setObjectName("vialStrength")
        for strength in dosing.vial_concentrations_mg_ml:
            self.vial.addItem(f"{strength:g} mg/mL", strength)
        self.vial.setMinimumHeight(40)
        form.addRow("Vial strength", self.vial)
        self.bag = _spin(10, 1000, "mL", 0)
        self.bag.setObjectName("bagVolume")
        self.bag.setValue(dosing.default_bag_volume_ml)
        form.addRow("Bag (0.9% sodium chloride)", self.bag)
        self.formula = QLabel()
        self.formula.setObjectName("doseFormula")
        self.formula.setWordWrap(True)
        form.addRow(self.formula)
        self.plan_button = self.save_button("Record dose plan", "recordPlan", self.record_plan)
        form.addRow(self.plan_button)
        return calc

    def _build_drawn_up(self) -> QGroupBox:
        """The vial in hand: volume, lot, expiry (typed as printed, read back in words), NDC and
        the amount drawn (the whole vial unless the nurse types less), then the check."""
        prep = QGroupBox("Drawn up (the vial in your hand)")
        pform = QFormLayout(prep)
        pform.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        # No default volume: the whole vial is what "Amount drawn" starts from, so a wrong
        # default would put a wrong amount on the controlled-substance record.
        self.vial_volume = _ml_field("vialVolume", "as printed on the vial, e.g. 5")
        pform.addRow("Vial volume (mL)", self.vial_volume)
        self.lot = QLineEdit()
        self.lot.setObjectName("lot")
        self.lot.setPlaceholderText("as printed on the vial, e.g. KX2291A")
        pform.addRow("Lot", self.lot)
        pform.addRow("Expiry", self._build_expiry())
        self.ndc = QLineEdit()
        self.ndc.setObjectName("ndc")
        self.ndc.setPlaceholderText("optional")
        pform.addRow("NDC", self.ndc)
        self.drawn_ml = _ml_field("drawnMl", "the whole vial unless you drew less")
        pform.addRow("Amount drawn (mL)", self.drawn_ml)
        self.drawn_mg = QLabel()
        self.drawn_mg.setObjectName("drawnMg")
        self.drawn_mg.setWordWrap(True)
        pform.addRow("", self.drawn_mg)
        self._whole_vial = ""
        """The vial volume as last typed: "Amount drawn" follows it while it is the same."""
        self.vial_volume.textChanged.connect(self._follow_vial)
        self.drawn_ml.textChanged.connect(self._show_drawn)
        self._add_double_check(pform)
        return prep

    def _build_expiry(self) -> QWidget:
        """The expiry as printed on the vial, with what it reads as, in words, beside it."""
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.expiry = QLineEdit()
        self.expiry.setObjectName("expiry")
        self.expiry.setPlaceholderText("as printed, e.g. 30 Jun 2027 or 06/2027")
        self.expiry.setToolTip(f"Type the expiry as printed on the vial: {FORMS}")
        self.expiry.setMinimumHeight(40)
        self.expiry.setMaximumWidth(260)
        self.expiry_shown = QLabel()
        self.expiry_shown.setObjectName("expiryShown")
        self.expiry_shown.setWordWrap(True)
        line.addWidget(self.expiry)
        line.addWidget(self.expiry_shown, 1)
        self.expiry.textChanged.connect(self._show_expiry)
        self._show_expiry()
        return row

    def _add_double_check(self, pform: QFormLayout) -> None:
        """The second person's name and password, what they sign, and "Record preparation"."""
        self.checker = QLineEdit()
        self.checker.setObjectName("checker")
        self.checker.setPlaceholderText("a second nurse or clinician — not you")
        self.checker_password = QLineEdit()
        self.checker_password.setObjectName("checkerPassword")
        self.checker_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.checker_password.returnPressed.connect(self.record_preparation)
        pform.addRow("Double-checked by", self.checker)
        pform.addRow("Their password", self.checker_password)
        meaning = QLabel(f"They sign: “{Meaning.DOUBLE_CHECKED_DOSE.value}”.")
        meaning.setProperty("role", "muted")
        pform.addRow(meaning)
        self.prep_button = self.save_button(
            "Record preparation (double-checked)", "recordPreparation", self.record_preparation
        )
        pform.addRow(self.prep_button)

    # --- dose ------------------------------------------------------------------------------------

    def _preview(self, ctx: SessionContext | None = None) -> None:
        """The plan as it would be recorded now, with the core's findings (nothing saved)."""
        try:
            plan, report = self.service.preview_dose(
                ctx or self.ctx,
                vial_concentration_mg_ml=float(self.vial.currentData()),
                bag_volume_ml=self.bag.value(),
            )
        except BedsideError as exc:
            self.formula.setText(f"<b>{escape(str(exc))}</b>")
            self.guard.setText("")
            return
        if plan is None:
            self.formula.setText("<b>No dose can be planned:</b>")
        else:
            large = points(TYPE_SCALE["font_large"])
            self.formula.setText(
                f"<p style='font-size:{large}pt'><b>{plan.dose_mg:g} mg</b> = {plan.drug_volume_ml:g} "
                f"mL of {plan.vial_concentration_mg_ml:g} mg/mL in {plan.final_volume_ml:g} mL at "
                f"<b>{plan.rate_ml_h:g} mL/h</b> over {plan.duration_min} min</p>"
                # Wrapped, not <pre>: a long line must never make the form scroll sideways.
                "<p style='font-family: monospace; white-space: pre-wrap'>"
                f"{escape(plan.formula)}</p>"
            )
        self.guard.setText(
            "<h3>Dose check</h3>" + report_html(report, all_clear="Dose within limits")
        )

    def record_plan(self) -> None:
        """Store the plan (refused in words on a hard stop)."""
        if self.user is None:
            return
        user = self.user
        vial, bag = float(self.vial.currentData()), self.bag.value()
        ctx = self.ctx
        self.save_change(
            lambda: self.service.plan_dose(
                user, ctx, vial_concentration_mg_ml=vial, bag_volume_ml=bag
            )
        )

    # --- preparation -----------------------------------------------------------------------------

    def _follow_vial(self, text: str) -> None:
        """The whole vial is drawn unless the nurse typed another amount."""
        if self.drawn_ml.text() in ("", self._whole_vial):
            self.drawn_ml.setText(text)
        self._whole_vial = text
        self._show_drawn()

    def _show_expiry(self) -> None:
        """What the typed expiry reads as, in words, or why it cannot be read."""
        text = self.expiry.text()
        if not text.strip():
            self.expiry_shown.setText("type the date printed on the vial")
            return
        try:
            read = parse_expiry(text)
        except ExpiryRejected as exc:
            self.expiry_shown.setText(f"<b>✗ {escape(exc.why)}</b>")
            return
        today = local_date(self.service.clock.now(), self.ctx.state.opened.clinic_timezone)
        flag = " — <b>✗ expired: use an in-date vial</b>" if expired(read.value, today) else ""
        self.expiry_shown.setText(f"<b>{escape(read.words())}</b>{flag}")

    def _show_drawn(self) -> None:
        """The mg drawn, and what becomes of what is not in the bag."""
        plan = self._plan  # as last shown: the amount typed is judged against it
        drawn, vial = _ml(self.drawn_ml.text()), _ml(self.vial_volume.text())
        if plan is None or drawn is None:
            self.drawn_mg.setText("")
            return
        mg = controlled.mg_in(drawn, plan.vial_concentration_mg_ml)
        parts = [f"<b>= {mg:g} mg</b>"]
        if vial is not None and drawn > vial:
            parts.append(f"<b>✗ more than the {vial:g} mL vial holds</b>")
        elif vial is not None and abs(drawn - vial) < 1e-9:
            parts.append("the whole vial")
        elif vial is not None:
            left = round(vial - drawn, 3)
            parts.append(f"{left:g} mL stays in the vial (not on this record)")
        over = round(mg - plan.dose_mg, 3)
        needs = f"the dose needs {plan.dose_mg:g} mg ({plan.drug_volume_ml:g} mL)"
        if over > 0:
            over_ml = round(drawn - plan.drug_volume_ml, 3)
            needs += (
                f"; the {over:g} mg ({over_ml:g} mL) left over is wasted with a witness "
                "once the bag is made up"
            )
        elif over < 0:
            needs = f"<b>✗ less than the dose</b>: {needs}"
        self.drawn_mg.setText(" — ".join(parts) + f"<br>{needs}")

    def record_preparation(self) -> None:
        """Store the preparation with the second person's signature."""
        if self.user is None:
            return
        user = self.user
        ctx = self.ctx
        plan = ctx.state.typed(ctx.state.dose_plan, DosePlanned)
        if plan is None:
            return
        problems = self._unreadable()
        if problems:
            self.guard.setText(
                "<p><b>Not saved:</b></p><ul>"
                + "".join(f"<li>{escape(p)}</li>" for p in problems)
                + "</ul>"
            )
            return
        username, password = self.checker.text().strip(), self.checker_password.text()
        # The vial strength and the bag are the plan's, the expiry is read by the core from
        # the text typed (the reading shown beside it), and the mg drawn is computed from the
        # mL: the form sends only what the nurse typed.
        fields = {
            "vial_volume_ml": _ml(self.vial_volume.text()),
            "lot": self.lot.text().strip(),
            "expiry": self.expiry.text(),
            "ndc": self.ndc.text().strip(),
            "drawn_ml": _ml(self.drawn_ml.text()),
        }

        def save() -> SessionChange:
            checker = self.service.accounts.authenticate(username, password)
            return self.service.record_preparation(
                user, ctx, checker=checker, checker_password=password, **fields
            )

        self.save_change(save)
        self.checker_password.clear()

    def _unreadable(self) -> list[str]:
        """What cannot be read as typed (the core judges every value that can)."""
        problems = []
        if _ml(self.vial_volume.text()) is None:
            problems.append("Vial volume: type the mL printed on the vial")
        try:
            parse_expiry(self.expiry.text())
        except ExpiryRejected as exc:
            problems.append(str(exc))
        if _ml(self.drawn_ml.text()) is None:
            problems.append("Amount drawn: type the mL drawn from the vial")
        return problems

    # --- drawing ---------------------------------------------------------------------------------

    def load(self, ctx: SessionContext) -> None:
        order, state = ctx.order, ctx.state
        weight = state.baseline_value("weight_kg")
        self.order_line.setText(
            f"Order: <b>{order.mg_per_kg:g} mg/kg</b> over {order.duration_min} min, "
            f"maximum {order.max_dose_mg:g} mg · charted weight "
            f"<b>{'—' if weight is None else f'{weight:g} kg'}</b>"
        )
        plan = state.typed(state.dose_plan, DosePlanned)
        self._plan = plan
        prep = state.typed(state.preparation, DrugPrepared)
        editable = self.can_chart and state.phase is Phase.PREPARED
        self.plan_button.setEnabled(editable and prep is None)
        self.vial.setEnabled(editable and prep is None)
        self.bag.setEnabled(editable and prep is None)
        self.prep_box.setEnabled(editable and plan is not None and prep is None)
        if plan is not None:
            # Quietly: the preview below runs once, on the context already read.
            for field in (self.vial, self.bag):
                field.blockSignals(True)
            self.vial.setCurrentIndex(self.vial.findData(plan.vial_concentration_mg_ml))
            self.bag.setValue(plan.bag_volume_ml)
            for field in (self.vial, self.bag):
                field.blockSignals(False)
            self.plan_button.setText("Record dose plan again (replaces the one above)")
        self._preview(ctx)
        self._show_drawn()
