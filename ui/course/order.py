"""Clinician: a patient's course order — find or register the patient, see the active order,
write a new one and sign it with the password re-entered.

The protocol's limits are shown beside each field and checked live by
``bedside.course.check_order_against_protocol``; signing is one call to
``ChartService.order_course``, which checks the role (a nurse is refused in words), the limits
and the password, and stores the signed order. A new order for a patient who already has one
replaces it (``supersedes``), so the history of dose changes is kept.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bedside.allergies import allergy_value
from bedside.course import CourseOrder, check_order_against_protocol
from bedside.ids import PatientId
from bedside.people import User
from bedside.protocol import WeightBasis
from bedside.ranges import DOSE_MG_PER_KG, DURATION
from bedside.service import ChartService
from bedside.signatures import Meaning
from bedside.timeutil import local_text
from ui.common import operations
from ui.common.lock_gate import SurvivesLock
from ui.common.theme import PALETTES
from ui.dialogs.new_patient import NewPatientDialog

FREQUENCIES = ("2 per week", "3 per week", "1 per week", "every 2 weeks", "as needed")


def _hint(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "muted")
    label.setWordWrap(True)
    return label


def _row(field: QWidget, hint: QLabel) -> QWidget:
    box = QWidget()
    line = QHBoxLayout(box)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(field, 1)
    line.addWidget(hint, 1)
    return box


class CourseOrderDialog(SurvivesLock):
    """Patient on the left (search, register, current order); the new order and signature on
    the right."""

    def __init__(
        self,
        service: ChartService,
        actor: User,
        parent: QWidget | None = None,
        patient_id: PatientId | None = None,
        theme: str = "dim",
    ) -> None:
        super().__init__(parent)
        self.theme = theme
        self.service = service
        self.actor = actor
        self.patient_id: PatientId | None = None
        self.active: CourseOrder | None = None
        self.order: CourseOrder | None = None
        """The order signed in this window, if any."""
        _, self.protocol = service.ensure_protocol()
        self.setWindowTitle("Course order")
        outer = QHBoxLayout(self)
        outer.addLayout(self._patient_column(), 4)
        outer.addLayout(self._order_column(), 5)
        self.resize(1240, 700)
        # Enter in the password signs once (no default button signs again, password cleared).
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        self._defaults()
        self._refresh_patients("")
        if patient_id is not None:
            self.search.setText(service.store.patient(patient_id).mrn)
            self.choose_patient(patient_id)

    # --- layout -----------------------------------------------------------------------------

    def _patient_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        box = QGroupBox("Patient")
        inner = QVBoxLayout(box)
        self.search = QLineEdit()
        self.search.setObjectName("patientSearch")
        self.search.setPlaceholderText("Find by MRN or name, e.g. MRN-1001 or Doe")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._refresh_patients)
        inner.addWidget(self.search)
        self.results = QListWidget()
        self.results.setObjectName("patientResults")
        self.results.currentItemChanged.connect(self._picked)
        inner.addWidget(self.results, 1)
        self.register_button = QPushButton("Register a new patient…")
        self.register_button.setObjectName("registerPatient")
        self.register_button.clicked.connect(self.register_patient)
        inner.addWidget(self.register_button)
        column.addWidget(box, 3)
        current = QGroupBox("Current course order")
        current_layout = QVBoxLayout(current)
        self.current = QLabel("Choose a patient.")
        self.current.setObjectName("currentOrder")
        self.current.setWordWrap(True)
        self.current.setTextFormat(Qt.TextFormat.RichText)
        self.current.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        current_layout.addWidget(self.current)
        column.addWidget(current, 2)
        return column

    def _order_column(self) -> QVBoxLayout:
        """The new order's form, its signature, then the status line and the buttons."""
        column = QVBoxLayout()
        column.addWidget(self._build_order_form())
        for spin in (self.mg_per_kg, self.max_dose):
            spin.valueChanged.connect(self._check)
        self.duration.valueChanged.connect(self._check)
        self.planned.valueChanged.connect(self._check)
        column.addWidget(self._build_signature())
        column.addStretch(1)
        self.status = QLabel("")
        self.status.setObjectName("orderStatus")
        self.status.setWordWrap(True)
        column.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        self.sign_button = QPushButton("Sign order")
        self.sign_button.setObjectName("signOrder")
        self.sign_button.clicked.connect(self.sign)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.sign_button)
        column.addLayout(buttons)
        return column

    def _build_order_form(self) -> QGroupBox:
        """The order's fields, each with the protocol's limit beside it, and the live check."""
        d = self.protocol.dosing
        self.order_box = QGroupBox("New course order")
        form = QFormLayout(self.order_box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.indication = QLineEdit()
        self.indication.setObjectName("indication")
        self.indication.setPlaceholderText("e.g. Treatment-resistant major depressive disorder")
        form.addRow("Indication", self.indication)
        self.planned = QSpinBox()
        self.planned.setObjectName("plannedInfusions")
        self.planned.setRange(1, 60)
        self.planned.setSuffix(" infusions")
        form.addRow("Planned", _row(self.planned, _hint("acute course: usually 6")))
        self.frequency = QComboBox()
        self.frequency.setObjectName("frequency")
        self.frequency.setEditable(True)
        self.frequency.addItems(FREQUENCIES)
        form.addRow("Frequency", _row(self.frequency, _hint("2–3 per week in the trials")))
        self.mg_per_kg = QDoubleSpinBox()
        self.mg_per_kg.setObjectName("mgPerKg")
        self.mg_per_kg.setRange(DOSE_MG_PER_KG.low, DOSE_MG_PER_KG.high)
        self.mg_per_kg.setDecimals(2)
        self.mg_per_kg.setSingleStep(0.05)
        self.mg_per_kg.setSuffix(" mg/kg")
        self.dose_hint = _hint(
            f"protocol {d.min_mg_per_kg:g}–{d.max_mg_per_kg:g} mg/kg "
            f"(default {d.default_mg_per_kg:g})"
        )
        form.addRow("Dose", _row(self.mg_per_kg, self.dose_hint))
        self.duration = QSpinBox()
        self.duration.setObjectName("durationMin")
        self.duration.setRange(int(DURATION.low), int(DURATION.high))
        self.duration.setSuffix(" min")
        duration_hint = (
            f"usual {d.min_duration_min}–{d.max_duration_min} min "
            f"(default {d.default_duration_min})"
        )
        form.addRow("Over", _row(self.duration, _hint(duration_hint)))
        self.weight_basis = QComboBox()
        self.weight_basis.setObjectName("weightBasis")
        for basis in WeightBasis:
            self.weight_basis.addItem(f"{basis.value} body weight", basis)
        basis_hint = f"protocol default: {d.weight_basis.value}"
        form.addRow("Weight basis", _row(self.weight_basis, _hint(basis_hint)))
        self.max_dose = QDoubleSpinBox()
        self.max_dose.setObjectName("maxDoseMg")
        self.max_dose.setRange(1, 500)
        self.max_dose.setDecimals(1)
        self.max_dose.setSuffix(" mg")
        max_hint = f"protocol maximum {d.max_total_dose_mg:g} mg per infusion"
        form.addRow("Maximum dose", _row(self.max_dose, _hint(max_hint)))
        self.check = QLabel("")
        self.check.setObjectName("orderCheck")
        self.check.setWordWrap(True)
        form.addRow("", self.check)
        return self.order_box

    def _build_signature(self) -> QGroupBox:
        """What signing means, who is signing, and the password that signs."""
        sign = QGroupBox("Sign the order")
        sign_layout = QVBoxLayout(sign)
        meaning = QLabel(
            f"Signing means: <b>“{Meaning.ORDER_SIGNED.value}”</b>. Your printed name, the date "
            "and time and this meaning are bound to the order's content; a later change is a new "
            "order that replaces this one."
        )
        meaning.setWordWrap(True)
        sign_layout.addWidget(meaning)
        creds = QFormLayout()
        creds.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        signer = QLabel(f"{self.actor.display_name} ({self.actor.role.value})")
        signer.setTextFormat(Qt.TextFormat.PlainText)
        signer.setObjectName("signer")
        creds.addRow("Signing as", signer)
        self.password = QLineEdit()
        self.password.setObjectName("orderPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("re-enter your password to sign")
        self.password.returnPressed.connect(self.sign)
        creds.addRow("Password", self.password)
        sign_layout.addLayout(creds)
        return sign

    # --- patient ----------------------------------------------------------------------------

    def _refresh_patients(self, text: str) -> None:
        chosen = self.patient_id
        self.results.blockSignals(True)
        self.results.clear()
        for patient in self.service.store.find_patients(text):
            order = self.service.active_course(patient.id)
            if order is None:
                course = "no course order"
            else:
                done = self.service.sessions_given(order)
                course = f"{done} of {order.planned_infusions} sessions opened"
            item = QListWidgetItem(
                f"{patient.display_name}   {patient.mrn}\n"
                f"born {patient.date_of_birth:%d %b %Y} — {course}"
            )
            item.setData(Qt.ItemDataRole.UserRole, patient.id)
            self.results.addItem(item)
            if patient.id == chosen:
                self.results.setCurrentItem(item)
        self.results.blockSignals(False)

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.choose_patient(PatientId(item.data(Qt.ItemDataRole.UserRole)))

    def choose_patient(self, patient_id: PatientId) -> None:
        """Show ``patient_id``'s active order and prefill the form from it."""
        self.patient_id = patient_id
        for i in range(self.results.count()):
            if self.results.item(i).data(Qt.ItemDataRole.UserRole) == patient_id:
                self.results.blockSignals(True)
                self.results.setCurrentRow(i)
                self.results.blockSignals(False)
        self.active = self.service.active_course(patient_id)
        self._show_current()
        self._defaults()
        self.status.setText("")

    def _show_current(self) -> None:
        patient = self.service.store.patient(self.patient_id) if self.patient_id else None
        if patient is None:
            self.current.setText("Choose a patient.")
            return
        who = f"<b>{escape(patient.display_name)}</b> · {escape(patient.mrn)}"
        allergies = allergy_value(patient.allergies, self.service.timezone)
        who += f"<br>Allergies: {escape(allergies, quote=False)}"
        o = self.active
        if o is None:
            self.current.setText(f"{who}<p>No active course order.</p>")
            self.order_box.setTitle("New course order")
            return
        done = self.service.sessions_given(o)
        signed = local_text(o.signature.signed_at, self.service.timezone, "%d %b %Y %H:%M")
        self.current.setText(
            f"{who}<p>{escape(o.indication)}<br>"
            f"<b>{o.mg_per_kg:g} mg/kg</b> over {o.duration_min} min, "
            f"{escape(o.weight_basis.value)} body weight, maximum {o.max_dose_mg:g} mg<br>"
            f"{o.planned_infusions} infusions, {escape(o.frequency)} — {done} sessions opened</p>"
            f"<p>Signed by {escape(o.signature.signer_name)} on {signed}: "
            f"“{escape(o.signature.meaning.value)}”</p>"
        )
        self.order_box.setTitle("New course order — replaces the current one when signed")

    def register_patient(self) -> None:
        """Register a patient (the domain checks the role and the values), then choose them."""
        entry = NewPatientDialog.ask(self)
        if entry is None:
            return
        patient = operations.run(
            self, lambda: self.service.register_patient(self.actor, **entry.fields())
        )
        if patient is None:
            return
        self.search.setText(patient.mrn)
        self.choose_patient(patient.id)

    # --- order ------------------------------------------------------------------------------

    def _defaults(self) -> None:
        """The active order's values (a dose change starts from them), else the protocol's."""
        d = self.protocol.dosing
        o = self.active
        self.indication.setText(o.indication if o else "")
        self.planned.setValue(o.planned_infusions if o else 6)
        self.frequency.setCurrentText(o.frequency if o else FREQUENCIES[0])
        self.mg_per_kg.setValue(o.mg_per_kg if o else d.default_mg_per_kg)
        self.duration.setValue(o.duration_min if o else d.default_duration_min)
        basis = o.weight_basis if o else d.weight_basis
        self.weight_basis.setCurrentIndex(self.weight_basis.findData(basis))
        self.max_dose.setValue(o.max_dose_mg if o else d.max_total_dose_mg)
        self._check()

    def _check(self) -> None:
        report = check_order_against_protocol(
            mg_per_kg=self.mg_per_kg.value(),
            duration_min=self.duration.value(),
            max_dose_mg=self.max_dose.value(),
            protocol=self.protocol,
        )
        lines = [f"✖ {f.message}" for f in report.errors]
        lines += [f"⚠ {f.message}" for f in report.warnings]
        opened = self.service.sessions_given(self.active) if self.active is not None else 0
        if opened and self.planned.value() <= opened:
            # The new order replaces the current one and carries its count: at or below it,
            # no further session can be opened.
            lines.append(
                f"⚠ {opened} sessions are already opened in this course: {self.planned.value()} "
                "planned ends the course (no further session can be opened)."
            )
        state = "error" if report.errors else "warning" if len(lines) else "ok"
        self.check.setText(
            "\n".join(lines) or f"✔ Within protocol version {self.protocol.version}'s limits."
        )
        # Colour only repeats the ✖ / ⚠ / ✔ marks.
        tone = {"error": "danger", "warning": "warning", "ok": "ok"}[state]
        self.check.setStyleSheet(f"color: {PALETTES[self.theme][tone]};")

    def sign(self) -> None:
        """One call to the domain: it checks role, limits and password, and stores the order."""
        if self.patient_id is None:
            self.status.setText("Choose or register the patient first.")
            return
        patient_id = self.patient_id
        password = self.password.text()
        self.password.clear()
        supersedes = self.active.id if self.active else None
        basis = WeightBasis(self.weight_basis.currentData())
        order = operations.run(
            self,
            lambda: self.service.order_course(
                self.actor,
                password,
                patient_id=patient_id,
                indication=self.indication.text().strip(),
                planned_infusions=self.planned.value(),
                mg_per_kg=round(self.mg_per_kg.value(), 2),
                duration_min=self.duration.value(),
                max_dose_mg=round(self.max_dose.value(), 1),
                weight_basis=basis,
                frequency=self.frequency.currentText().strip(),
                supersedes=supersedes,
            ),
        )
        if order is None:
            self.status.setText("Not signed: nothing was stored.")
            return
        self.order = order
        self.active = self.service.active_course(patient_id)
        self._show_current()
        self._refresh_patients(self.search.text())
        signed = local_text(order.signature.signed_at, self.service.timezone, "%H:%M")
        self.status.setText(
            f"Signed and stored at {signed} by {order.signature.signer_name}: "
            f"{order.mg_per_kg:g} mg/kg over {order.duration_min} min, "
            f"{order.planned_infusions} infusions."
        )
