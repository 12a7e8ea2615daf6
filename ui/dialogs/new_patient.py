"""Register a patient: the form returns plain values; ``ChartService.register_patient`` checks
them (MRN unique, date of birth plausible) and refuses in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.lock_gate import SurvivesLock
from ui.dialogs.allergy_choice import AllergyChoice
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
    allergies: dict[str, Any] | None
    """The answer chosen (unknown, no known drug allergies, or a list); None if none was:
    the core then refuses, naming the field."""
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


class NewPatientDialog(SurvivesLock):
    """MRN, names, date of birth (typed, never defaulted), sex, allergies (unknown, no known
    drug allergies or a list: nothing chosen at first), medicines, phone."""

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
        self.allergies = AllergyChoice(unknown_text="Unknown (not asked yet)")
        self.allergies.setObjectName("allergies")
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
        self.missing = QLabel()
        self.missing.setObjectName("newPatientMissing")
        self.missing.setWordWrap(True)
        layout.addWidget(self.missing)
        buttons = ok_cancel(self, "Register patient")
        for button in buttons.buttons():  # Enter registers; it must never mean Cancel
            if buttons.buttonRole(button) is not QDialogButtonBox.ButtonRole.AcceptRole:
                cast(QPushButton, button).setAutoDefault(False)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def accept(self) -> None:
        """Close only when the allergies were answered (the rest the core checks): a blank
        must not be registered as if it were an answer, and nothing typed is lost."""
        if self.allergies.answer() is None:
            self.missing.setText(
                "<b>Allergies:</b> choose unknown, no known drug allergies, or list them."
            )
            return
        super().accept()

    def entry(self) -> NewPatient:
        """The values as typed."""
        return NewPatient(
            mrn=self.mrn.text().strip(),
            family_name=self.family_name.text().strip(),
            given_name=self.given_name.text().strip(),
            date_of_birth=self.date_of_birth.text().strip(),
            sex=str(self.sex.currentData()),
            allergies=self.allergies.answer(),
            current_medicines=_items(self.medicines.text()),
            phone=self.phone.text().strip(),
        )

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> NewPatient | None:
        """The new patient's details, or None if cancelled."""
        d = cls(parent)
        return d.entry() if d.exec() == QDialog.DialogCode.Accepted else None
