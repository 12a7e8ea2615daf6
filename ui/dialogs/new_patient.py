"""Register a patient: the form returns plain values; ``ChartService.register_patient`` checks
them (MRN unique, date of birth plausible) and refuses in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from ui.dialogs.text import ok_cancel


def _items(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@dataclass(frozen=True)
class NewPatient:
    """What the form collected, as ``register_patient`` takes it."""

    mrn: str
    family_name: str
    given_name: str
    date_of_birth: str
    sex: str
    allergies: list[str] = field(default_factory=list)
    current_medicines: list[str] = field(default_factory=list)
    phone: str = ""

    def fields(self) -> dict[str, Any]:
        """Keyword arguments for ``ChartService.register_patient``."""
        return {
            "mrn": self.mrn,
            "family_name": self.family_name,
            "given_name": self.given_name,
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
            "allergies": self.allergies,
            "current_medicines": self.current_medicines,
            "phone": self.phone,
        }


class NewPatientDialog(QDialog):
    """MRN, names, date of birth (typed, never defaulted), sex, allergies, medicines, phone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Register a patient")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.mrn = QLineEdit()
        self.mrn.setObjectName("mrn")
        self.mrn.setPlaceholderText("e.g. MRN-1006")
        self.family_name = QLineEdit()
        self.family_name.setObjectName("familyName")
        self.given_name = QLineEdit()
        self.given_name.setObjectName("givenName")
        self.date_of_birth = QLineEdit()
        self.date_of_birth.setObjectName("dateOfBirth")
        self.date_of_birth.setPlaceholderText("YYYY-MM-DD")
        self.sex = QComboBox()
        self.sex.setObjectName("sex")
        self.sex.addItem("— choose —", "")
        for value in ("female", "male", "other", "unknown"):
            self.sex.addItem(value, value)
        self.allergies = QLineEdit()
        self.allergies.setObjectName("allergies")
        self.allergies.setPlaceholderText("comma-separated; empty = none recorded")
        self.medicines = QLineEdit()
        self.medicines.setObjectName("medicines")
        self.medicines.setPlaceholderText("comma-separated, e.g. sertraline 100 mg")
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        for label, widget in (
            ("MRN", self.mrn),
            ("Family name", self.family_name),
            ("Given name", self.given_name),
            ("Date of birth", self.date_of_birth),
            ("Sex", self.sex),
            ("Allergies", self.allergies),
            ("Current medicines", self.medicines),
            ("Phone", self.phone),
        ):
            form.addRow(label, widget)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "Register patient"))
        self.setMinimumWidth(560)

    def entry(self) -> NewPatient:
        """The values as typed."""
        return NewPatient(
            mrn=self.mrn.text().strip(),
            family_name=self.family_name.text().strip(),
            given_name=self.given_name.text().strip(),
            date_of_birth=self.date_of_birth.text().strip(),
            sex=str(self.sex.currentData()),
            allergies=_items(self.allergies.text()),
            current_medicines=_items(self.medicines.text()),
            phone=self.phone.text().strip(),
        )

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> NewPatient | None:
        """The new patient's details, or None if cancelled."""
        d = cls(parent)
        return d.entry() if d.exec() == QDialog.DialogCode.Accepted else None
