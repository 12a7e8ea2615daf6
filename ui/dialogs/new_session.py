"""Find a patient by MRN or name: to start a session on a free chair (patients with an active
course, not already in a chair), or to open a patient's course view (anyone with an order).

A patient who is not registered yet can be registered from here; a clinician then orders the
course (Clinical ▸ Course order…) before the first session.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bedside.ids import PatientId
from bedside.people import User
from bedside.report import RuleReport
from bedside.rules.eligibility import PatientToday, eligibility
from bedside.service import ChartService
from ui.common import operations
from ui.common.lock_gate import SurvivesLock
from ui.dialogs.new_patient import NewPatient, NewPatientDialog

WHY_NOT_ROLE = Qt.ItemDataRole.UserRole + 1
"""On a patient who may not be chosen now: why not, in the core's words."""

_WHY_NOT = {
    "eligibility.no_course": "no course order: a clinician must order one",
    "eligibility.seated": "in chair {facts.seated_on_chair} now",
    "eligibility.infused_today": "already infused today",
    "eligibility.course_complete": "course complete: needs a new order",
}
"""The list's short reason for each finding of the eligibility rule (the whole finding is
the item's tooltip and the hint)."""


class NewSessionDialog(SurvivesLock):
    """Search as you type; patients without a course order are listed but cannot be chosen."""

    def __init__(
        self,
        service: ChartService,
        chair: int | None,
        parent: QWidget | None = None,
        user: User | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.user = user
        self.for_course = chair is None
        self.patient_id: PatientId | None = None
        # Who sits in which chair, read once (no record is folded to know it).
        self.seated = service.seated(service.clock.now())
        self._known: dict[PatientId, tuple[PatientToday, RuleReport]] = {}
        self.setWindowTitle(
            "Patient course" if self.for_course else f"New session on chair {chair}"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Find the patient by MRN or name:"))
        self.search = QLineEdit()
        self.search.setObjectName("patientSearch")
        self.search.setPlaceholderText("e.g. MRN-1001 or Doe")
        self.search.textChanged.connect(self._refresh)
        layout.addWidget(self.search)
        self.results = QListWidget()
        self.results.setObjectName("patientResults")
        self.results.itemActivated.connect(lambda _: self._choose())
        self.results.currentItemChanged.connect(lambda *_: self._show_why_not())
        layout.addWidget(self.results)
        self.hint = QLabel("")
        self.hint.setProperty("role", "muted")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        if not self.for_course:
            register = buttons.addButton(
                "Register a new patient…", QDialogButtonBox.ButtonRole.ActionRole
            )
            register.setObjectName("registerPatient")
            register.clicked.connect(self.register_patient)
        self.start = buttons.addButton(
            "Show course" if self.for_course else "Start session",
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        buttons.accepted.connect(self._choose)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._refresh("")
        self.resize(700, 440)

    def _facts(self, patient_id: PatientId) -> tuple[PatientToday, RuleReport]:
        """Whether the patient may start a session now, by the core's one rule; read once per
        patient while the dialog is open (typing reads nothing already read)."""
        known = self._known.get(patient_id)
        if known is None:
            facts = self.service.patient_today(patient_id, seated=self.seated)
            known = facts, eligibility(facts, self.service.timezone)
            self._known[patient_id] = known
        return known

    def _refresh(self, text: str) -> None:
        self.results.clear()
        for patient in self.service.store.find_patients(text):
            facts, report = self._facts(patient.id)
            order = facts.order
            if self.for_course:
                status = (
                    f"{facts.sessions_given} of {order.planned_infusions} sessions"
                    if order
                    else "no course order"
                )
                unavailable = order is None
            else:
                status = (
                    _WHY_NOT.get(report.errors[0].code, report.errors[0].message)
                    if report.errors
                    else f"session {facts.next_number} of {order.planned_infusions}"
                    if order
                    else ""
                ).format(facts=facts)
                unavailable = not report.is_valid
            item = QListWidgetItem(
                f"{patient.display_name}   {patient.mrn}   born {patient.date_of_birth:%d %b %Y}"
                f"   — {status}"
            )
            item.setData(Qt.ItemDataRole.UserRole, patient.id)
            if unavailable:
                # Still selectable: a click on this patient must select this patient (and say
                # why not), never leave an earlier patient chosen behind it.
                why = "\n".join(f.message for f in report.errors)
                if "eligibility.no_course" in report.codes():
                    why += " (a clinician: Clinical ▸ Course order…)"
                item.setData(WHY_NOT_ROLE, why)
                item.setForeground(
                    self.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
                )
                item.setToolTip(item.data(WHY_NOT_ROLE))
            self.results.addItem(item)
        eligible = [
            i for i in range(self.results.count()) if not self.results.item(i).data(WHY_NOT_ROLE)
        ]
        # Chosen for the nurse only when her search leaves one patient who may start: an Enter
        # on an empty search (or on several matches) must never open the first in the list.
        if text.strip() and self.results.count() == 1:
            self.results.setCurrentRow(0)  # the one patient found (said why not, if not)
        elif text.strip() and len(eligible) == 1:
            self.results.setCurrentRow(eligible[0])
        else:
            self.results.setCurrentRow(-1)
        self.hint.setText("" if self.results.count() else "No patient matches.")

    def _show_why_not(self) -> None:
        """Under the list: why the highlighted patient may not be chosen, if they may not."""
        item = self.results.currentItem()
        why = item.data(WHY_NOT_ROLE) if item is not None else None
        self.hint.setText(why or "")

    def _choose(self) -> None:
        item = self.results.currentItem()
        if item is None or item.data(WHY_NOT_ROLE):
            why = item.data(WHY_NOT_ROLE) if item is not None else ""
            self.hint.setText(
                "Choose the patient: type their name or MRN, or pick them in the list."
                if item is None
                else "Choose a patient with a course order."
                if self.for_course
                else why
                or "Choose a patient with an active course order. A newly registered patient "
                "needs a clinician's course order (Clinical ▸ Course order…) first."
            )
            return
        self.patient_id = PatientId(item.data(Qt.ItemDataRole.UserRole))
        self.accept()

    def register_patient(self) -> None:
        """Register a patient (the domain checks the role and every value) and list them; a
        refused registration opens again as it was typed."""
        if self.user is None:
            return
        user = self.user
        entry: NewPatient | None = None
        patient = None
        while patient is None:
            entry = NewPatientDialog.ask(self) if entry is None else _ask_again(self, entry)
            if entry is None:
                return
            register = partial(self.service.register_patient, user, **entry.fields())
            patient = operations.run(self, register)
        self._known.pop(patient.id, None)
        self.search.setText(patient.mrn)
        self._refresh(patient.mrn)

    def restore(self, previous: SessionChoice) -> None:
        """Show a choice again as it was made (the core refused to open the session)."""
        self.search.setText(previous.search)
        for i in range(self.results.count()):
            if self.results.item(i).data(Qt.ItemDataRole.UserRole) == previous.patient_id:
                self.results.setCurrentRow(i)
        self.results.setFocus()

    @classmethod
    def choose(
        cls,
        service: ChartService,
        chair: int | None,
        parent: QWidget | None = None,
        user: User | None = None,
        previous: SessionChoice | None = None,
    ) -> SessionChoice | None:
        """The chosen patient and the search typed, or ``None``; ``previous`` opens the dialog
        again as it was left (its session refused by the core)."""
        dialog = cls(service, chair, parent, user)
        if previous is not None:
            dialog.restore(previous)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.patient_id is None:
            return None
        return SessionChoice(dialog.patient_id, dialog.search.text())

    @classmethod
    def ask(
        cls,
        service: ChartService,
        chair: int | None,
        parent: QWidget | None = None,
        user: User | None = None,
    ) -> PatientId | None:
        """The chosen patient, or ``None`` (``chair=None``: choose a patient's course)."""
        choice = cls.choose(service, chair, parent, user)
        return None if choice is None else choice.patient_id


@dataclass(frozen=True)
class SessionChoice:
    """The patient chosen for a chair, and the search that found them."""

    patient_id: PatientId
    search: str


def _ask_again(parent: QWidget, previous: NewPatient) -> NewPatient | None:
    """The registration form again, filled with the refused entry as it was typed."""
    dialog = NewPatientDialog(parent)
    for field, text in (
        (dialog.mrn, previous.mrn),
        (dialog.family_name, previous.family_name),
        (dialog.given_name, previous.given_name),
        (dialog.date_of_birth, previous.date_of_birth),
        (dialog.medicines, ", ".join(previous.current_medicines)),
        (dialog.phone, previous.phone),
    ):
        field.setText(text)
    dialog.sex.setCurrentIndex(max(dialog.sex.findData(previous.sex), 0))
    dialog.allergies.set_answer(previous.allergies)
    return dialog.entry() if dialog.exec() == QDialog.DialogCode.Accepted else None
