"""Consent: the template's elements acknowledged one by one, capacity, the patient's signature on
the pad, and the clinician's confirmation with their own password.

The template (``resources/consent_*.toml``) is versioned; the version is stored with the consent.
"""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from bedside.context import SessionChange, SessionContext
from bedside.events import ConsentRecorded, Phase
from bedside.people import Permission
from bedside.signatures import Meaning
from bedside.timeutil import local_text
from ui.common.wrapped_check import ToggleLabel
from ui.steps.page import StepPage
from ui.steps.signature_pad import SignaturePad


class ConsentStep(StepPage):
    """Informed consent for this session."""

    phase = Phase.CONSENT
    next_phase = Phase.PREPARED
    title = "Consent"
    all_clear = "Consent valid"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        template = self.service.consent_template
        elements = QGroupBox(f"{template.title} (template v{template.version})")
        grid = QGridLayout(elements)
        self.elements: dict[str, QCheckBox] = {}
        for row, element in enumerate(template.elements):
            box = QCheckBox()
            box.setObjectName(f"consent_{element.key}")
            box.setMinimumSize(32, 32)
            grid.addWidget(box, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(ToggleLabel(element.text, box), row, 1)
            self.elements[element.key] = box
        grid.setColumnStretch(1, 1)
        self.form.addWidget(elements)
        self.capacity = QCheckBox(
            "The patient has capacity to consent (understands, retains, weighs)"
        )
        self.capacity.setObjectName("capacity")
        self.form.addWidget(self.capacity)
        self.form.addWidget(self._build_pad())
        self.form.addWidget(self._build_confirmation())
        self.save = self.save_button("Record consent", "saveConsent", self.record_consent)
        self.form.addWidget(self.save)
        self.form.addStretch(1)
        if self.user is not None and self.user.can(Permission.CONFIRM_CONSENT):
            self.clinician.setText(self.user.username)

    def _build_pad(self) -> QGroupBox:
        """The patient's signature pad, with a way to clear it."""
        pad_box = QGroupBox("Patient signature")
        pad_layout = QVBoxLayout(pad_box)
        self.pad = SignaturePad()
        self.pad.setMinimumHeight(150)
        pad_layout.addWidget(self.pad)
        pad_row = QHBoxLayout()
        self.signed_note = QLabel()
        self.signed_note.setProperty("role", "muted")
        pad_row.addWidget(self.signed_note, 1)
        clear = QPushButton("Clear signature")
        clear.setObjectName("clearSignature")
        clear.clicked.connect(self.pad.clear)
        pad_row.addWidget(clear)
        pad_layout.addLayout(pad_row)
        return pad_box

    def _build_confirmation(self) -> QGroupBox:
        """The witness, and the clinician who confirms with their own password."""
        confirm = QGroupBox(f"Clinician confirms: “{Meaning.CONSENT_OBTAINED.value}”")
        form = QFormLayout(confirm)
        self.witness = QLineEdit()
        self.witness.setObjectName("consentWitness")
        self.witness.setPlaceholderText("optional")
        self.clinician = QLineEdit()
        self.clinician.setObjectName("consentClinician")
        self.clinician.setPlaceholderText("the clinician's user name")
        self.password = QLineEdit()
        self.password.setObjectName("consentPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.record_consent)
        form.addRow("Witness name", self.witness)
        form.addRow("Clinician", self.clinician)
        form.addRow("Clinician password", self.password)
        return confirm

    def record_consent(self) -> None:
        """Save the consent; the core checks that every element and the patient's capacity are
        confirmed (naming what is not, before anything is signed), and the clinician's role
        and password. A refusal leaves the ticks, the signature and the names as they were."""
        if self.user is None:
            return
        user = self.user
        problems = []
        if self.pad.is_empty():
            problems.append("the patient has not signed on the pad")
        if not self.clinician.text().strip() or not self.password.text():
            problems.append("the clinician's user name and password are needed")
        if problems:
            self.guard.setText(
                "<p><b>Not saved:</b></p><ul>"
                + "".join(f"<li>{p}</li>" for p in problems)
                + "</ul>"
            )
            return
        username, password = self.clinician.text().strip(), self.password.text()

        ctx = self.ctx

        def save() -> SessionChange:
            clinician = self.service.accounts.authenticate(username, password)
            return self.service.record_consent(
                user,
                ctx,
                elements_acknowledged=[k for k, box in self.elements.items() if box.isChecked()],
                capacity_confirmed=self.capacity.isChecked(),
                patient_signature=self.pad.strokes(),
                clinician=clinician,
                clinician_password=password,
                witness_name=self.witness.text().strip(),
            )

        self.save_change(save)
        self.password.clear()

    def load(self, ctx: SessionContext) -> None:
        editable = self.can_chart and ctx.state.phase is Phase.CONSENT
        for widget in (*self.elements.values(), self.capacity, self.pad, self.save):
            widget.setEnabled(editable)
        if ctx.state.consent is None:
            return
        consent = cast(ConsentRecorded, ctx.state.consent.payload)
        for key, box in self.elements.items():
            box.setChecked(key in consent.elements_acknowledged)
        self.capacity.setChecked(consent.capacity_confirmed)
        self.pad.set_strokes([list(s) for s in consent.patient_signature.strokes])
        self.witness.setText(consent.witness_name)
        signature = consent.clinician_signature
        self.signed_note.setText(
            f"Recorded; confirmed by {signature.signer_name} at "
            f"{local_text(signature.signed_at, self.service.timezone, '%H:%M')}"
        )
        self.save.setText("Record consent again (replaces the one above)")
