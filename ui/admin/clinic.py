"""Admin ▸ Clinic settings: the name and address printed on every summary, the paper size, the
time zone every time is shown in, the backups, the idle lock and the chairs on the board, and
this workstation's readable name — everything an admin sets for the clinic, in one place.

The domain checks the role and every value before anything is stored
(``ChartService.save_clinic_settings``); a nurse or clinician sees the values and is refused in
words if they try to save. The idle lock and the chairs live in the versioned protocol: a change
here is saved as a new protocol version by the same path as Admin ▸ Protocol, with its limits.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from bedside.app_log import workstation_id
from bedside.backups import default_folder
from bedside.paper import PAPER_SIZES
from bedside.people import Permission, User
from bedside.protocol_approval import VersionStatus
from bedside.protocol_settings import allowed_text, value_text
from bedside.service import ChartService
from bedside.service.clinic_settings import WORKSTATION_NAME_MAX, SettingsSaved
from ui.admin.clinic_words import (
    BACKUP_FIELDS,
    PROTOCOL_FIELDS,
    WORKSTATION_LABEL,
    change_lines,
    saved_text,
)
from ui.admin.protocol_approval import save_question
from ui.common import operations
from ui.common.lock_gate import SurvivesLock
from ui.common.timezone_box import TimezoneBox
from ui.dialogs.text import ok_cancel

NOTE = (
    "Name and address are printed at the top of every session and course summary. "
    "Backups are made at start, on this schedule and after each sign-off, verified, and "
    "kept by day and by week; put the folder on a second disk or a share. "
    "Every time on screen and on paper is in the clinic's time zone; a new zone applies "
    "to sessions opened from then on (each session keeps the zone it was opened under). "
    "The idle lock and the chairs are part of the protocol: a change is saved as a new "
    "protocol version, listed in Admin ▸ Protocol; every open board follows it within a "
    "second (a chair with an open session stays on the board)."
)


def _heading(text: str) -> QLabel:
    """A section's title, across the form (bold: the theme has no heading role)."""
    title = QLabel(text)
    font = title.font()
    font.setBold(True)
    title.setFont(font)
    return title


def _with_hint(field: QWidget, hint: str) -> QHBoxLayout:
    """A field with its allowed range beside it, in muted words."""
    row = QHBoxLayout()
    row.addWidget(field, 1)
    words = QLabel(hint)
    words.setProperty("role", "muted")
    row.addWidget(words)
    return row


class ClinicDialog(SurvivesLock):
    """Edit the clinic settings; saving is one call to the domain. After ``Save``,
    :attr:`saved` holds what changed and :attr:`saved_words` says it in one line."""

    def __init__(
        self,
        service: ChartService,
        user: User,
        parent: QWidget | None = None,
        *,
        workstation: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.user = user
        self.workstation = workstation or workstation_id()
        self.saved: SettingsSaved | None = None
        self.saved_words = ""
        self.setWindowTitle("Clinic settings")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self._build_clinic(form, service.clinic_settings())
        self._build_protocol(form)
        self._build_workstation(form)
        layout.addLayout(form)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        layout.addWidget(note)
        layout.addWidget(ok_cancel(self, "Save"))
        self.setMinimumWidth(640)

    def _build_clinic(self, form: QFormLayout, current: dict[str, str]) -> None:
        self.name = QLineEdit(current["clinic_name"])
        self.name.setObjectName("clinicName")
        self.address = QPlainTextEdit(current["clinic_address"])
        self.address.setTabChangesFocus(True)  # a Tab typed into the address was printed
        self.address.setObjectName("clinicAddress")
        self.address.setFixedHeight(80)
        self.paper = QComboBox()
        self.paper.setObjectName("paperSize")
        self.paper.addItems(list(PAPER_SIZES))
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
            f"beside the database: {default_folder(self.service.store.path)}"
        )

    def _build_protocol(self, form: QFormLayout) -> None:
        """The idle lock and the chairs, as the version in effect has them."""
        form.addRow(_heading("Every workstation (saved as a new protocol version)"))
        _, in_effect = self.service.ensure_protocol()
        self.protocol_shown: dict[str, str] = {}
        self.protocol: dict[str, QLineEdit] = {}
        for key, label in PROTOCOL_FIELDS:
            section, leaf = key.split(".")
            self.protocol_shown[key] = value_text(getattr(getattr(in_effect, section), leaf))
            field = QLineEdit(self.protocol_shown[key])
            field.setObjectName(key)
            self.protocol[key] = field
            form.addRow(label, _with_hint(field, allowed_text(key)))
        versions = self.service.store.protocol_versions()
        self.pending_note = QLabel()
        self.pending_note.setWordWrap(True)
        self.pending_note.setObjectName("protocolPending")
        if versions and versions[0].status is VersionStatus.PENDING:
            self.pending_note.setText(
                f"Protocol version {versions[0].protocol.version} waits for a clinician's "
                "approval. A change to the idle lock or the chairs is saved on top of it, so "
                "it waits with it."
            )
            form.addRow(self.pending_note)

    def _build_workstation(self, form: QFormLayout) -> None:
        """This workstation: its id (the computer's name on the network) and a readable name."""
        form.addRow(_heading("This workstation"))
        form.addRow("Computer (id)", QLabel(self.workstation))
        self.workstation_shown = self.service.workstation_name(self.workstation)
        self.workstation_name = QLineEdit(self.workstation_shown)
        self.workstation_name.setObjectName("workstationName")
        self.workstation_name.setPlaceholderText("e.g. Chair room PC 2")
        hint = f"1–{WORKSTATION_NAME_MAX} characters"
        form.addRow(WORKSTATION_LABEL, _with_hint(self.workstation_name, hint))

    def _typed(self) -> dict[str, Any]:
        """The values typed, as :meth:`ChartService.save_clinic_settings` takes them: only the
        protocol values and the name that differ from those shown are sent."""
        name = self.workstation_name.text()
        return {
            "clinic": {
                "clinic_name": self.name.text(),
                "clinic_address": self.address.toPlainText(),
                "paper_size": self.paper.currentText(),
                "timezone": self.timezone.zone(),
                **{key: field.text() for key, field in self.backup.items()},
            },
            "workstation": self.workstation,
            "workstation_name": None if " ".join(name.split()) == self.workstation_shown else name,
            "protocol": {
                key: field.text()
                for key, field in self.protocol.items()
                if field.text().strip() != self.protocol_shown[key]
            },
        }

    def _protocol_confirmed(self, changes: dict[str, str]) -> bool:
        """Like Admin ▸ Protocol: say that a new version is made and whether it takes effect
        at once or waits for a clinician, and ask. The domain judges the values first."""
        if not changes:
            return True
        may = operations.run(  # someone who may not save is refused before being asked
            self,
            lambda: self.service.accounts.require(
                self.user, Permission.MANAGE_PROTOCOL, "change the protocol"
            ),
        )
        if may is None:
            return False
        clinical = operations.run(
            self, lambda: self.service.protocol_changes_needing_approval(changes)
        )
        if clinical is None:
            return False
        shown = {k: (self.protocol_shown[k], v) for k, v in changes.items()}
        return operations.confirm(
            self, "Save a new protocol version?", save_question(change_lines({}, shown), clinical)
        )

    def accept(self) -> None:
        """Save through the domain; a refusal is shown and the dialog stays open."""
        typed = self._typed()
        if not self._protocol_confirmed(typed["protocol"]):
            return
        saved = operations.run(self, lambda: self.service.save_clinic_settings(self.user, **typed))
        if saved is not None:
            self.saved = saved
            self.saved_words = saved_text(saved)
            super().accept()
