"""Intake: identity on two identifiers, the contraindication screen (CLINICAL.md §6.2),
medicines, pregnancy test, fasting, recent substance use, and the escort.

Every screen question starts unanswered and must be answered No or Yes: a default "No" would
let a skipped question pass as a negative screen.
"""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bedside.allergies import AllergyAnswer
from bedside.context import SessionContext
from bedside.events import IntakeScreened, Phase
from bedside.rules.intake import CONTRAINDICATIONS
from bedside.service import ChartService
from ui.common.answered import show_answered
from ui.dialogs.allergy_choice import AllergyChoice
from ui.steps.page import StepPage

IDENTIFIERS: tuple[tuple[str, str], ...] = (
    ("full_name", "Full name"),
    ("date_of_birth", "Date of birth"),
    ("mrn", "MRN / wristband"),
    ("photo_id", "Photo ID"),
    ("address", "Address"),
)

PREGNANCY: tuple[tuple[str, str], ...] = (
    ("not_applicable", "Not applicable"),
    ("negative", "Negative"),
    ("positive", "Positive"),
    ("declined", "Declined"),
)


class YesNo(QWidget):
    """Two touch-sized toggle buttons, neither chosen at first."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.no = QPushButton("No")
        self.yes = QPushButton("Yes")
        for value, button in ((0, self.no), (1, self.yes)):
            button.setCheckable(True)
            button.setMinimumSize(64, 40)
            button.setObjectName(f"{name}_{'yes' if value else 'no'}")
            button.setProperty("answer", "yes" if value else "no")
            self.group.addButton(button, value)
            row.addWidget(button)

    def answer(self) -> bool | None:
        """True, False, or None when not answered."""
        checked = self.group.checkedId()
        return None if checked < 0 else bool(checked)

    def set_answer(self, value: bool | None) -> None:
        """Show a stored answer (None clears)."""
        if value is None:
            self.group.setExclusive(False)
            for button in self.group.buttons():
                button.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.group.button(int(value)).setChecked(True)


class IntakeStep(StepPage):
    """The intake screen."""

    phase = Phase.INTAKE
    next_phase = Phase.BASELINE
    title = "Intake"
    all_clear = "Screen clear"

    def __init__(self, service: ChartService, *args: Any, **kwargs: Any) -> None:
        super().__init__(service, *args, **kwargs)
        self.patient_line = QLabel()
        self.patient_line.setWordWrap(True)
        self.form.addWidget(self.patient_line)
        self.form.addWidget(self._build_identity())
        self.allergy_box = QGroupBox("Allergies — ask the patient, for this session")
        self.allergy_layout = QVBoxLayout(self.allergy_box)
        self.allergies = self._allergy_choice(self.ctx)
        self.form.addWidget(self.allergy_box)
        self.form.addWidget(self._build_screen())
        self.form.addWidget(self._build_today())
        self.save = self.save_button("Save intake screen", "saveIntake", self.save_intake)
        self.form.addWidget(self.save)
        self.form.addStretch(1)

    def _build_identity(self) -> QGroupBox:
        """The identifiers the patient was checked on, one tick box each."""
        identity = QGroupBox("Identity checked on (at least two)")
        ids = QHBoxLayout(identity)
        self.identifiers: dict[str, QCheckBox] = {}
        for key, label in IDENTIFIERS:
            box = QCheckBox(label)
            box.setObjectName(f"id_{key}")
            ids.addWidget(box)
            self.identifiers[key] = box
        return identity

    def _allergy_choice(self, ctx: SessionContext) -> AllergyChoice:
        """The allergy answers, offering the patient's record to confirm as it stands."""
        choice = AllergyChoice(
            unknown_text="Unknown (the patient cannot say)",
            on_record=ctx.patient.allergies,
            tz=ctx.state.opened.clinic_timezone,
        )
        self.allergy_layout.addWidget(choice)
        return choice

    def _build_screen(self) -> QGroupBox:
        """The contraindication screen: each question with its No/Yes, absolute ones marked."""
        screen = QGroupBox("Contraindication screen — answer every question")
        grid = QGridLayout(screen)
        self.questions: dict[str, YesNo] = {}
        for row, (key, (text, absolute)) in enumerate(CONTRAINDICATIONS.items()):
            question = QLabel(text + (" <b>(absolute)</b>" if absolute else ""))
            question.setWordWrap(True)
            grid.addWidget(question, row, 0)
            choice = YesNo(key)
            grid.addWidget(choice, row, 1)
            self.questions[key] = choice
        grid.setColumnStretch(0, 1)
        return screen

    def _build_today(self) -> QGroupBox:
        """Today's checks: pregnancy test, medicines, fasting, substance use, escort, notes."""
        checks = QGroupBox("Today")
        form = QFormLayout(checks)
        self.pregnancy = QComboBox()
        self.pregnancy.setObjectName("pregnancy")
        self.pregnancy.setPlaceholderText("choose…")
        for value, label in PREGNANCY:
            self.pregnancy.addItem(label, value)
        self.pregnancy.setCurrentIndex(-1)
        show_answered(self.pregnancy)
        form.addRow("Pregnancy test", self.pregnancy)
        self.medicines = QCheckBox("Current medicines reviewed")
        self.medicines.setObjectName("medicinesReviewed")
        form.addRow("", self.medicines)
        # What is reviewed, beside the tick: the medicines on the patient's record.
        self.medicines_on_record = QLabel()
        self.medicines_on_record.setObjectName("medicinesOnRecord")
        self.medicines_on_record.setWordWrap(True)
        form.addRow("On record", self.medicines_on_record)
        self.new_medicines = QLineEdit()
        self.new_medicines.setObjectName("newMedicines")
        self.new_medicines.setPlaceholderText(
            "new or changed since last visit, comma-separated (benzodiazepines, lamotrigine …)"
        )
        form.addRow("Medicine changes", self.new_medicines)
        self.fasting = QCheckBox("Fasted as instructed")
        self.fasting.setObjectName("fasting")
        form.addRow("", self.fasting)
        self.substance = YesNo("substance")
        form.addRow("Alcohol or recreational drugs in the last 48 h", self.substance)
        self.escort_name = QLineEdit()
        self.escort_name.setObjectName("escortName")
        self.escort_phone = QLineEdit()
        self.escort_phone.setObjectName("escortPhone")
        form.addRow("Escort name", self.escort_name)
        form.addRow("Escort phone", self.escort_phone)
        self.notes = QLineEdit()
        self.notes.setObjectName("intakeNotes")
        form.addRow("Notes", self.notes)
        return checks

    def values(self) -> dict[str, Any] | None:
        """The screen as the core takes it, or None (with a message) while incomplete."""
        unanswered = [
            CONTRAINDICATIONS[k][0]
            for k, choice in self.questions.items()
            if choice.answer() is None
        ]
        if self.substance.answer() is None:
            unanswered.append("Alcohol or recreational drugs in the last 48 h")
        if self.pregnancy.currentIndex() < 0:
            unanswered.append("Pregnancy test")
        if self.allergies.answer() is None:
            unanswered.insert(0, "Allergies (as on record, none known, the list, or unknown)")
        if unanswered:
            self.guard.setText(
                "<p><b>Not saved — still to answer:</b></p><ul>"
                + "".join(f"<li>{q}</li>" for q in unanswered)
                + "</ul>"
            )
            return None
        return {
            "identifiers_checked": [k for k, box in self.identifiers.items() if box.isChecked()],
            "contraindications": {k: bool(c.answer()) for k, c in self.questions.items()},
            "pregnancy_test": self.pregnancy.currentData(),
            "medicines_reviewed": self.medicines.isChecked(),
            "new_medicines": [m.strip() for m in self.new_medicines.text().split(",") if m.strip()],
            "fasting_as_instructed": self.fasting.isChecked(),
            "substance_use_48h": bool(self.substance.answer()),
            "escort_name": self.escort_name.text().strip(),
            "escort_phone": self.escort_phone.text().strip(),
            "notes": self.notes.text().strip(),
            "allergies": self.allergies.answer(),
        }

    def save_intake(self) -> bool:
        """Record the screen (a repeat replaces the earlier one in the record's latest view).
        Returns True when saved."""
        if self.user is None:
            return False
        user = self.user
        values = self.values()
        if values is None:
            return False
        ctx = self.ctx
        return self.save_change(lambda: self.service.record_intake(user, ctx, **values)) is not None

    def complete_step(self) -> None:
        """Save what is on the screen first when it differs from the record, then move on: the
        nurse should not have to press two buttons for one screen."""
        if self._unsaved() and not self.save_intake():
            return
        super().complete_step()

    def _unsaved(self) -> bool:
        """Whether the form differs from the recorded screen (or nothing is recorded)."""
        state = self.ctx.state
        if state.intake is None:
            return True
        values = self.values()
        if values is None:
            return True  # incomplete: saving names what is missing
        recorded = cast(IntakeScreened, state.intake.payload)
        try:
            answer = AllergyAnswer.model_validate(values.pop("allergies"))
            if recorded.allergies is None or not recorded.allergies.same_answer(answer):
                return True
            return IntakeScreened.model_validate({**values, "allergies": recorded.allergies}) != (
                recorded
            )
        except ValueError:
            return True  # not valid as typed: saving says why

    def load(self, ctx: SessionContext) -> None:
        p = ctx.patient
        self.medicines_on_record.setText(
            ", ".join(p.current_medicines) or "no medicines on the patient's record"
        )
        self.patient_line.setText(
            f"Ask the patient, and compare: <b>{p.display_name}</b> · born "
            f"<b>{p.date_of_birth:%d %b %Y}</b> · MRN <b>{p.mrn}</b>"
        )
        editable = self.can_chart and ctx.state.phase is Phase.INTAKE
        self.save.setEnabled(editable)
        if ctx.state.intake is None:
            return
        intake = cast(IntakeScreened, ctx.state.intake.payload)
        self.allergies.set_answer(intake.allergies)
        for key, box in self.identifiers.items():
            box.setChecked(key in intake.identifiers_checked)
        for key, choice in self.questions.items():
            choice.set_answer(intake.contraindications.get(key))
        self.pregnancy.setCurrentIndex(self.pregnancy.findData(intake.pregnancy_test))
        self.medicines.setChecked(intake.medicines_reviewed)
        self.new_medicines.setText(", ".join(intake.new_medicines))
        self.fasting.setChecked(intake.fasting_as_instructed)
        self.substance.set_answer(intake.substance_use_48h)
        self.escort_name.setText(intake.escort_name)
        self.escort_phone.setText(intake.escort_phone)
        self.notes.setText(intake.notes)
        self.save.setText("Save changes to the intake screen")
