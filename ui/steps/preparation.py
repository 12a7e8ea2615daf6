"""Dose and preparation: the core's dose calculator with its formula, then the vial, lot, expiry
and amount drawn, double-checked by a second person with their own password.

The plan is previewed live as the vial strength and bag change (nothing saved); "Record dose
plan" stores it. Hard stops (dose above the order's maximum, an unstocked vial ...) come back
from the core in words and nothing is saved.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
)

from bedside.context import SessionChange, SessionContext
from bedside.errors import BedsideError
from bedside.events import DosePlanned, DrugPrepared, Phase
from bedside.rules import controlled
from bedside.signatures import Meaning
from ui.common.guard_view import report_html
from ui.steps.page import StepPage

NO_DATE = QDate(2000, 1, 1)
"""The expiry field's "not entered" value (shown as a prompt, refused on save)."""


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
        """The vial in hand: volume, lot, expiry, NDC and the amount drawn, then the check."""
        prep = QGroupBox("Drawn up (the vial in your hand)")
        pform = QFormLayout(prep)
        self.vial_volume = _spin(0.5, 50, "mL")
        self.vial_volume.setObjectName("vialVolume")
        self.vial_volume.setValue(5.0)
        pform.addRow("Vial volume", self.vial_volume)
        self.lot = QLineEdit()
        self.lot.setObjectName("lot")
        self.lot.setPlaceholderText("as printed on the vial, e.g. KX2291A")
        pform.addRow("Lot", self.lot)
        self.expiry = QDateEdit()
        self.expiry.setObjectName("expiry")
        self.expiry.setCalendarPopup(True)
        self.expiry.setDisplayFormat("dd MMM yyyy")
        self.expiry.setMinimumHeight(40)
        # No default date: an untouched field reads "type the date on the vial" and cannot be
        # saved, so a date is never recorded without someone reading it off the vial.
        self.expiry.setMinimumDate(NO_DATE)
        self.expiry.setSpecialValueText("type the date printed on the vial")
        self.expiry.setDate(NO_DATE)
        pform.addRow("Expiry", self.expiry)
        self.ndc = QLineEdit()
        self.ndc.setObjectName("ndc")
        self.ndc.setPlaceholderText("optional")
        pform.addRow("NDC", self.ndc)
        self.drawn_ml = _spin(0, 50, "mL", 2)
        self.drawn_ml.setObjectName("drawnMl")
        pform.addRow("Amount drawn", self.drawn_ml)
        self.drawn_mg = QLabel()
        self.drawn_mg.setObjectName("drawnMg")
        pform.addRow("= drug drawn", self.drawn_mg)
        self.drawn_ml.valueChanged.connect(self._show_drawn)
        self._add_double_check(pform)
        return prep

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
            self.formula.setText(
                f"<p style='font-size:14pt'><b>{plan.dose_mg:g} mg</b> = {plan.drug_volume_ml:g} "
                f"mL of {plan.vial_concentration_mg_ml:g} mg/mL in {plan.final_volume_ml:g} mL at "
                f"<b>{plan.rate_ml_h:g} mL/h</b> over {plan.duration_min} min</p>"
                f"<pre>{escape(plan.formula)}</pre>"
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

    def _show_drawn(self) -> None:
        plan = self._plan  # as last shown: the amount typed is judged against it
        if plan is None:
            self.drawn_mg.setText("")
            return
        mg = controlled.mg_in(self.drawn_ml.value(), plan.vial_concentration_mg_ml)
        self.drawn_mg.setText(
            f"<b>{mg:g} mg</b> (the plan needs {plan.dose_mg:g} mg = {plan.drug_volume_ml:g} mL; "
            "anything over it is wasted with a witness after the infusion)"
        )

    def record_preparation(self) -> None:
        """Store the preparation with the second person's signature."""
        if self.user is None:
            return
        user = self.user
        ctx = self.ctx
        plan = ctx.state.typed(ctx.state.dose_plan, DosePlanned)
        if plan is None:
            return
        username, password = self.checker.text().strip(), self.checker_password.text()
        qdate = self.expiry.date()
        if qdate == NO_DATE:
            self.guard.setText("<p><b>Not saved:</b> type the expiry date printed on the vial.</p>")
            return
        # The vial strength and the bag are the plan's, and the mg drawn is computed from the
        # mL by the core: the form sends only what the nurse typed.
        fields = {
            "vial_volume_ml": self.vial_volume.value(),
            "lot": self.lot.text().strip(),
            "expiry": date(qdate.year(), qdate.month(), qdate.day()),
            "ndc": self.ndc.text().strip(),
            "drawn_ml": self.drawn_ml.value(),
        }

        def save() -> SessionChange:
            checker = self.service.accounts.authenticate(username, password)
            return self.service.record_preparation(
                user, ctx, checker=checker, checker_password=password, **fields
            )

        self.save_change(save)
        self.checker_password.clear()

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
            if self.drawn_ml.value() == 0:
                self.drawn_ml.setValue(min(plan.drug_volume_ml, self.vial_volume.maximum()))
        self._preview(ctx)
        self._show_drawn()
