"""Find a patient by MRN or name: to start a session on a free chair (patients with an active
course, not already in a chair), or to open a patient's course view (anyone with an order).

A patient who is not registered yet can be registered from here; a clinician then orders the
course (Clinical ▸ Course order…) before the first session.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
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
from bedside.service import ChartService
from ui.common import operations
from ui.dialogs.new_patient import NewPatientDialog


class NewSessionDialog(QDialog):
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

    def _refresh(self, text: str) -> None:
        self.results.clear()
        store = self.service.store
        seated = {
            store.session(sid).patient_id: chair
            for chair, sid in self.service.busy_chairs(self.service.clock.now()).items()
        }
        for patient in store.find_patients(text):
            order = self.service.active_course(patient.id)
            done = self.service.sessions_given(order) if order else 0
            course = (
                f"session {done + 1} of {order.planned_infusions}"
                if order
                else "no course order: a clinician must order one"
            )
            if patient.id in seated:
                course = f"in chair {seated[patient.id]} now"
            if self.for_course:
                course = (
                    f"{done} of {order.planned_infusions} sessions" if order else "no course order"
                )
            item = QListWidgetItem(
                f"{patient.display_name}   {patient.mrn}   born {patient.date_of_birth:%d %b %Y}"
                f"   — {course}"
            )
            item.setData(Qt.ItemDataRole.UserRole, patient.id)
            unavailable = (
                order is None
                if self.for_course
                else order is None or done >= order.planned_infusions or patient.id in seated
            )
            if unavailable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.results.addItem(item)
        first = next(
            (
                i
                for i in range(self.results.count())
                if self.results.item(i).flags() & Qt.ItemFlag.ItemIsEnabled
            ),
            None,
        )
        if first is not None:
            self.results.setCurrentRow(first)
        self.hint.setText("" if self.results.count() else "No patient matches.")

    def _choose(self) -> None:
        item = self.results.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.hint.setText(
                "Choose a patient with a course order."
                if self.for_course
                else "Choose a patient with an active course order. A newly registered patient "
                "needs a clinician's course order (Clinical ▸ Course order…) first."
            )
            return
        self.patient_id = PatientId(item.data(Qt.ItemDataRole.UserRole))
        self.accept()

    def register_patient(self) -> None:
        """Register a patient (the domain checks the role and every value) and list them."""
        if self.user is None:
            return
        user = self.user
        entry = NewPatientDialog.ask(self)
        if entry is None:
            return
        patient = operations.run(
            self, lambda: self.service.register_patient(user, **entry.fields())
        )
        if patient is not None:
            self.search.setText(patient.mrn)
            self._refresh(patient.mrn)

    @classmethod
    def ask(
        cls,
        service: ChartService,
        chair: int | None,
        parent: QWidget | None = None,
        user: User | None = None,
    ) -> PatientId | None:
        """The chosen patient, or ``None`` (``chair=None``: choose a patient's course)."""
        dialog = cls(service, chair, parent, user)
        return dialog.patient_id if dialog.exec() == QDialog.DialogCode.Accepted else None
