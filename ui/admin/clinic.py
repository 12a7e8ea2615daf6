"""Admin ▸ Clinic: the name and address printed on every summary, the paper size and the time
zone every time is shown in.

The domain checks the role and the values (``ChartService.update_clinic_settings``); a nurse or
clinician sees the values and is refused in words if they try to save.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from bedside.backups import LIMITS
from bedside.people import User
from bedside.service import ChartService
from ui.common import operations
from ui.common.lock_gate import SurvivesLock
from ui.common.timezone_box import TimezoneBox
from ui.dialogs.text import ok_cancel

BACKUP_FIELDS = (
    ("backup_folder", "Backup folder"),
    *((key, name) for key, (name, _, _) in LIMITS.items()),
)
"""The backup schedule's settings, in the order shown (a second disk or a share for the
folder; the domain checks each value and its range)."""


class ClinicDialog(SurvivesLock):
    """Edit the clinic settings; saving is one call to the domain."""

    def __init__(self, service: ChartService, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.user = user
        self.setWindowTitle("Clinic settings")
        current = service.clinic_settings()
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(current["clinic_name"])
        self.name.setObjectName("clinicName")
        self.address = QPlainTextEdit(current["clinic_address"])
        self.address.setObjectName("clinicAddress")
        self.address.setFixedHeight(80)
        self.paper = QComboBox()
        self.paper.setObjectName("paperSize")
        self.paper.addItems(["A4", "Letter"])
        self.paper.setCurrentText(current["paper_size"])
        self.timezone = TimezoneBox(current["timezone"])
        self.timezone.setObjectName("clinicTimezone")
        form.addRow("Clinic name", self.name)
        form.addRow("Address", self.address)
        form.addRow("Paper size", self.paper)
        form.addRow("Time zone", self.timezone)
        self.backup: dict[str, QLineEdit] = {}
        for key, label in BACKUP_FIELDS:
            field = QLineEdit(current[key])
            field.setObjectName(key)
            self.backup[key] = field
            form.addRow(label, field)
        self.backup["backup_folder"].setPlaceholderText(
            f"beside the database: {service.store.path.parent / 'backups'}"
        )
        layout.addLayout(form)
        note = QLabel(
            "Name and address are printed at the top of every session and course summary. "
            "Backups are made at start, on this schedule and after each sign-off, verified, and "
            "kept by day and by week; put the folder on a second disk or a share. "
            "Every time on screen and on paper is in the clinic's time zone; a new zone applies "
            "to sessions opened from then on (each session keeps the zone it was opened under)."
        )
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        layout.addWidget(note)
        layout.addWidget(ok_cancel(self, "Save"))
        self.setMinimumWidth(520)

    def accept(self) -> None:
        """Save through the domain; a refusal is shown and the dialog stays open."""
        values = {
            "clinic_name": self.name.text(),
            "clinic_address": self.address.toPlainText(),
            "paper_size": self.paper.currentText(),
            "timezone": self.timezone.zone(),
            **{key: field.text() for key, field in self.backup.items()},
        }

        def save() -> bool:
            self.service.update_clinic_settings(self.user, **values)
            return True

        if operations.run(self, save):
            super().accept()
