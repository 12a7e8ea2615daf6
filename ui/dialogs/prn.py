"""The rescue (PRN) medicine dialog: drug, dose, route, indication and the ordering clinician."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from bedside.people import User
from ui.dialogs.text import ok_cancel


@dataclass(frozen=True)
class PrnEntry:
    """A rescue medicine given."""

    drug: str
    dose: float
    unit: str
    route: str
    indication: str
    ordered_by: str


class PrnDialog(QDialog):
    """Drug, dose, route, indication and the ordering clinician."""

    def __init__(self, clinicians: list[User], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("PRN medicine given")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.drug = QComboBox()
        self.drug.setEditable(True)
        self.drug.setObjectName("drug")
        self.drug.addItems(["ondansetron", "midazolam", "labetalol", "clonidine"])
        form.addRow("Drug", self.drug)
        dose_row = QHBoxLayout()
        self.dose = QDoubleSpinBox()
        self.dose.setObjectName("dose")
        self.dose.setRange(0, 10000)
        self.dose.setDecimals(2)
        self.unit = QComboBox()
        self.unit.addItems(["mg", "mcg", "g", "mL", "units", "L/min"])
        dose_row.addWidget(self.dose)
        dose_row.addWidget(self.unit)
        form.addRow("Dose", dose_row)
        self.route = QComboBox()
        self.route.addItems(["IV", "PO", "IM", "SL", "SC", "IN", "inhaled"])
        form.addRow("Route", self.route)
        self.indication = QLineEdit()
        self.indication.setObjectName("indication")
        form.addRow("Indication", self.indication)
        self.ordered_by = QComboBox()
        for user in clinicians:
            self.ordered_by.addItem(user.display_name, user.id)
        form.addRow("Ordered by", self.ordered_by)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "Save"))
        self.setMinimumWidth(480)

    def fill(self, entry: PrnEntry) -> None:
        """Show an entry again (after the core refused it: nothing typed is lost)."""
        self.drug.setEditText(entry.drug)
        self.dose.setValue(entry.dose)
        self.unit.setCurrentText(entry.unit)
        self.route.setCurrentText(entry.route)
        self.indication.setText(entry.indication)
        self.ordered_by.setCurrentIndex(max(self.ordered_by.findData(entry.ordered_by), 0))

    @classmethod
    def ask(
        cls,
        clinicians: list[User],
        parent: QWidget | None = None,
        previous: PrnEntry | None = None,
    ) -> PrnEntry | None:
        """The entry, or None if cancelled; ``previous`` pre-fills a refused entry."""
        dialog = cls(clinicians, parent)
        if previous is not None:
            dialog.fill(previous)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return PrnEntry(
            dialog.drug.currentText().strip(),
            dialog.dose.value(),
            dialog.unit.currentText(),
            dialog.route.currentText(),
            dialog.indication.text().strip(),
            str(dialog.ordered_by.currentData()),
        )
