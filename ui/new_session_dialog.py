"""Start a session on a free chair: find the patient (MRN or name) with an active course."""

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
from bedside.service import ChartService


class NewSessionDialog(QDialog):
    """Search as you type; patients without a course order are listed but cannot be chosen."""

    def __init__(self, service: ChartService, chair: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.patient_id: PatientId | None = None
        self.setWindowTitle(f"New session on chair {chair}")
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
        self.start = buttons.addButton("Start session", QDialogButtonBox.ButtonRole.AcceptRole)
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
            item = QListWidgetItem(
                f"{patient.display_name}   {patient.mrn}   born {patient.date_of_birth:%d %b %Y}"
                f"   — {course}"
            )
            item.setData(Qt.ItemDataRole.UserRole, patient.id)
            if order is None or done >= order.planned_infusions or patient.id in seated:
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
            self.hint.setText("Choose a patient with an active course order.")
            return
        self.patient_id = PatientId(item.data(Qt.ItemDataRole.UserRole))
        self.accept()

    @classmethod
    def ask(
        cls, service: ChartService, chair: int, parent: QWidget | None = None
    ) -> PatientId | None:
        """The chosen patient, or ``None``."""
        dialog = cls(service, chair, parent)
        return dialog.patient_id if dialog.exec() == QDialog.DialogCode.Accepted else None
