"""The rescue (PRN) medicine dialog: drug (from the clinic's list, or typed), dose, unit, route,
indication, the ordering clinician and when it was given; what was already given this session;
and the core's findings (allergy refusals, the list's warnings) before anything is saved.

Choosing a listed drug sets its unit and route (visibly, and said so) and shows the usual dose
as a hint only: the dose field stays empty until the nurse types the dose given, so a pre-filled
number can never pass for the dose. Warnings must be confirmed with a tick; an allergy refusal
is saved only through a clinician's override (``ui.session.prn_actions``). The dialog never
judges: ``PrnSetup.check`` asks the core.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from html import escape
from typing import cast

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bedside.clock import Clock
from bedside.errors import BedsideError
from bedside.people import User
from bedside.protocol import PrnList
from bedside.report import RuleReport
from ui.common.lock_gate import SurvivesLock
from ui.dialogs.entry_dialog import MIN_REASON
from ui.dialogs.taken_at import TakenAtField
from ui.dialogs.text import ok_cancel

UNITS = ("mg", "mcg", "g", "mL", "units", "L/min")
ROUTES = ("IV", "PO", "IM", "SL", "SC", "IN", "inhaled")


@dataclass(frozen=True)
class PrnEntry:
    """A rescue medicine given, as typed; ``acknowledged``: the codes of the warnings the
    nurse confirmed."""

    drug: str
    dose: float
    unit: str
    route: str
    indication: str
    ordered_by: str
    taken_at: datetime | None = None
    acknowledged: tuple[str, ...] = ()
    reason: str = ""
    """Why the entry is corrected (only when correcting one)."""


@dataclass(frozen=True)
class PrnSetup:
    """What the dialog shows beside the form: the clinic's list, the doses already given this
    session (lines in words), the core's check of a dose, and the clock and time zone of the
    "taken at" field."""

    prn_list: PrnList
    given: Sequence[str]
    check: Callable[[PrnEntry], RuleReport]
    clock: Clock
    tz: str
    check_drug: Callable[[str], RuleReport] | None = None
    """The core's allergy check of a drug alone (before a dose is typed)."""


class PrnDialog(SurvivesLock):
    """Drug, dose, route, indication, the ordering clinician and the time given; correcting
    an entry, what is corrected and the reason too (the core judges the corrected dose as a
    new one)."""

    def __init__(
        self,
        clinicians: list[User],
        setup: PrnSetup,
        parent: QWidget | None = None,
        *,
        correcting: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setup = setup
        self.report = RuleReport()
        self.correcting = correcting
        self.setWindowTitle(
            "Correct: PRN medicine given" if correcting is not None else "PRN medicine given"
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self._build_correcting(layout, form)
        layout.addWidget(self._given_label())
        self._build_drug(form)
        self._build_rest(form, clinicians)
        if correcting is not None:
            form.addRow("Reason for correction", self.reason)
        layout.addLayout(form)
        self.refusals = QLabel()
        self.refusals.setObjectName("prnRefusals")
        self.refusals.setProperty("role", "danger")
        self.checks = QLabel()
        self.checks.setObjectName("prnChecks")
        self.checks.setProperty("role", "warning")
        for label in (self.refusals, self.checks):
            label.setWordWrap(True)
            layout.addWidget(label)
        self.confirm = QCheckBox("I have read the warnings above and give it as ordered")
        self.confirm.setObjectName("prnConfirmWarnings")
        layout.addWidget(self.confirm)
        self.missing = QLabel()
        self.missing.setObjectName("prnMissing")
        self.missing.setWordWrap(True)
        layout.addWidget(self.missing)
        self.result_entry: PrnEntry | None = None
        buttons = ok_cancel(self, "Save")
        self.save = cast(
            QPushButton,
            next(
                b
                for b in buttons.buttons()
                if buttons.buttonRole(b) is QDialogButtonBox.ButtonRole.AcceptRole
            ),
        )
        for button in buttons.buttons():
            if button is not self.save and isinstance(button, QPushButton):
                button.setAutoDefault(False)  # Enter must never mean Cancel
        layout.addWidget(buttons)
        self.setMinimumWidth(640)
        self._watch()

    def _watch(self) -> None:
        """Ask the core again whenever the drug, dose, unit, route or time changes."""
        for signal in (
            self.drug.currentTextChanged,
            self.dose.textChanged,
            self.unit.currentTextChanged,
            self.route.currentTextChanged,
            self.taken_at.edit.textChanged,
        ):
            signal.connect(self._recheck)
        # What a refused Save asked for is answered by changing any field: never left stale
        # ("choose the clinician" under a clinician chosen).
        for changed in (
            self.drug.currentTextChanged,
            self.dose.textChanged,
            self.ordered_by.currentIndexChanged,
            self.indication.textChanged,
            self.taken_at.edit.textChanged,
        ):
            changed.connect(lambda *_: self.missing.clear())
        self._recheck()

    def showEvent(self, event: QShowEvent) -> None:
        """Save as the default button; fit the lines filled in before showing (a refused
        entry shown again)."""
        super().showEvent(event)
        # Enter saves: Save is made the default once it is shown in this dialog (before, Qt
        # may have made another button the dialog's default).
        self.save.setDefault(True)
        self.adjustSize()

    def _build_correcting(self, layout: QVBoxLayout, form: QFormLayout) -> None:
        """Correcting an entry: what is corrected, in words, above the form; the reason field
        (added below the form's rows)."""
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("why the entry is corrected (kept with the original)")
        if self.correcting is None:
            return
        original = QLabel(
            f"Correcting: <i>{escape(self.correcting, quote=False)}</i><br>The original stays, "
            "struck. The corrected dose is checked again like a new one."
        )
        original.setObjectName("correcting")
        original.setWordWrap(True)
        original.setProperty("role", "muted")
        layout.addWidget(original)

    def _given_label(self) -> QLabel:
        lines = "".join(f"<li>{escape(line, quote=False)}</li>" for line in self.setup.given)
        label = QLabel(
            f"<b>Given this session:</b><ul>{lines}</ul>"
            if lines
            else "<b>Given this session:</b> no PRN medicine yet."
        )
        label.setObjectName("prnGiven")
        label.setWordWrap(True)
        return label

    def _build_drug(self, form: QFormLayout) -> None:
        self.drug = QComboBox()
        self.drug.setEditable(True)
        self.drug.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # Enter saves, not inserts
        self.drug.setObjectName("drug")
        self.drug.addItems([d.drug for d in self.setup.prn_list.drugs])
        self.drug.setCurrentIndex(-1)
        self.drug.setEditText("")
        line = self.drug.lineEdit()
        if line is not None:
            line.setPlaceholderText("choose from the clinic's list, or type")
        self.drug.currentTextChanged.connect(self._suggest)
        form.addRow("Drug", self.drug)
        self.listed = QLabel()
        self.listed.setObjectName("prnListed")
        self.listed.setProperty("role", "muted")
        self.listed.setWordWrap(True)
        form.addRow("", self.listed)
        dose_row = QHBoxLayout()
        self.dose = QLineEdit()
        self.dose.setObjectName("dose")
        self.dose.setPlaceholderText("type the dose given")
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        self.unit.addItems(UNITS)
        self.unit.setPlaceholderText("unit")
        self.unit.setCurrentIndex(-1)
        dose_row.addWidget(self.dose, 1)
        dose_row.addWidget(self.unit)
        form.addRow("Dose", dose_row)
        self.route = QComboBox()
        self.route.setObjectName("route")
        self.route.addItems(ROUTES)
        self.route.setPlaceholderText("route")
        self.route.setCurrentIndex(-1)
        form.addRow("Route", self.route)

    def _build_rest(self, form: QFormLayout, clinicians: list[User]) -> None:
        self.indication = QLineEdit()
        self.indication.setObjectName("indication")
        form.addRow("Indication", self.indication)
        self.ordered_by = QComboBox()
        self.ordered_by.setObjectName("orderedBy")
        for user in clinicians:
            self.ordered_by.addItem(user.display_name, user.id)
        self.ordered_by.setPlaceholderText("choose the ordering clinician")
        self.ordered_by.setCurrentIndex(-1)
        form.addRow("Ordered by", self.ordered_by)
        self.taken_at = TakenAtField(self.setup.clock, self.setup.tz)
        form.addRow("Given at", self.taken_at)

    def _suggest(self, text: str) -> None:
        """A listed drug: its unit and route set (said so), its usual dose as a hint only."""
        row = self.setup.prn_list.find(text)
        if row is None:
            self.listed.setText("Not on the clinic's PRN list." if text.strip() else "")
            self.dose.setPlaceholderText("type the dose given")
            return
        self.unit.setCurrentText(row.unit)
        self.route.setCurrentText(row.route)
        limits = [f"{row.usual_text}"]
        if row.max_per_session is not None:
            limits.append(f"at most {row.max_per_session:g} {row.unit} a session")
        if row.min_interval_min is not None:
            limits.append(f"{row.min_interval_min} min apart")
        self.listed.setText(
            f"Clinic list: {' · '.join(limits)}. Unit and route set from it: change them if "
            "the order differs."
        )
        self.dose.setPlaceholderText(f"usual {row.usual_text.rsplit(' ', 1)[0]}: type the dose")
        if self.isVisible():
            self.adjustSize()

    def _dose(self) -> float | None:
        try:
            value = float(self.dose.text().strip().replace(",", "."))
        except ValueError:
            return None
        return value

    def _recheck(self) -> None:
        """Ask the core how this dose would be judged, and show it (the tick is cleared: a
        confirmation covers the warnings it was given for)."""
        self.confirm.setChecked(False)
        dose = self._dose()
        drug = self.drug.currentText().strip()
        if len(drug) < 2 or dose is None or dose <= 0:
            # The allergy is said as soon as the drug is chosen, not only once a dose is typed.
            early = (
                self.setup.check_drug(drug) if len(drug) >= 2 and self.setup.check_drug else None
            )
            self._show(early or RuleReport(), "")
            return
        try:
            entry = self._entry(dose)
            report = self.setup.check(entry)
        except BedsideError as exc:
            self._show(RuleReport(), f"✗ {escape(str(exc), quote=False)}")
            return
        self._show(report, "")

    def _show(self, report: RuleReport, problem: str) -> None:
        """The core's findings: refusals (an allergy) in the danger colour, warnings in the
        warning colour, each in the core's words."""
        self.report = report
        refusals = [f"✗ {escape(f.message, quote=False)}" for f in report.errors]
        if problem:
            refusals.append(problem)
        warnings = [f"⚠ {escape(f.message, quote=False)}" for f in report.warnings]
        self.refusals.setText("<br>".join(refusals))
        self.checks.setText("<br>".join(warnings))
        self.refusals.setVisible(bool(refusals))
        self.checks.setVisible(bool(warnings))
        self.confirm.setVisible(bool(report.warnings))
        self.save.setText("Save — a clinician must override" if report.errors else "Save")
        if self.isVisible():
            self.adjustSize()  # room for what the core said: nothing is clipped

    def _entry(self, dose: float) -> PrnEntry:
        return PrnEntry(
            self.drug.currentText().strip(),
            dose,
            self.unit.currentText(),
            self.route.currentText(),
            self.indication.text().strip(),
            str(self.ordered_by.currentData() or ""),
            self.taken_at.value(),
        )

    def accept(self) -> None:
        """Close only with a dose typed, a readable time, the ordering clinician chosen, and
        the warnings confirmed (the core judges the rest and may still refuse)."""
        dose = self._dose()
        if dose is None:
            self.missing.setText("<b>Dose:</b> type the dose given, as a number.")
            return
        try:
            entry = self._entry(dose)
        except BedsideError as exc:
            self.missing.setText(f"<b>Not saved:</b> {escape(str(exc), quote=False)}")
            return
        if self.ordered_by.currentIndex() < 0:
            self.missing.setText("<b>Ordered by:</b> choose the clinician who ordered it.")
            return
        if self.correcting is not None and len(self.reason.text().strip()) < MIN_REASON:
            self.missing.setText("<b>Reason for correction:</b> say why the entry is corrected.")
            self.reason.setFocus()
            return
        if self.report.warnings and not self.confirm.isChecked():
            self.missing.setText("<b>Confirm the warnings</b> (tick the box) to save.")
            return
        codes = tuple(sorted({w.code for w in self.report.warnings}))
        self.result_entry = replace(entry, acknowledged=codes, reason=self.reason.text().strip())
        super().accept()

    def fill(self, entry: PrnEntry) -> None:
        """Show an entry again (after the core refused it: nothing typed is lost)."""
        self.drug.setEditText(entry.drug)
        self.dose.setText(f"{entry.dose:g}")
        self.unit.setCurrentText(entry.unit)
        self.route.setCurrentText(entry.route)
        self.indication.setText(entry.indication)
        self.ordered_by.setCurrentIndex(self.ordered_by.findData(entry.ordered_by))
        self.taken_at.set_value(entry.taken_at)
        self.reason.setText(entry.reason)

    @classmethod
    def ask(
        cls,
        clinicians: list[User],
        parent: QWidget | None = None,
        previous: PrnEntry | None = None,
        *,
        setup: PrnSetup,
        correcting: str | None = None,
    ) -> PrnEntry | None:
        """The entry, or None if cancelled; ``previous`` pre-fills a refused entry (or, with
        ``correcting``, the entry as charted, described in words by ``correcting``)."""
        dialog = cls(clinicians, setup, parent, correcting=correcting)
        if previous is not None:
            dialog.fill(previous)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.result_entry
