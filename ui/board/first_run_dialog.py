"""First run on an empty database: set up the clinic (its name, address, time zone and paper
size) with its first administrator. The demo clinic is never offered here: it has its own
database (``bedside --demo``), so its public accounts never enter the clinic's."""

from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bedside.errors import InputRejected
from bedside.paper import PAPER_SIZES, paper_territory, usual_paper
from bedside.passwords import password_problem
from bedside.service.clinic import clinic_values
from bedside.timeutil import workstation_timezone
from ui.common.timezone_box import TimezoneBox


@dataclass(frozen=True)
class NewClinic:
    """The clinic's settings and its first administrator, as typed (checked before return)."""

    clinic_name: str
    clinic_address: str
    timezone: str
    paper_size: str
    username: str
    full_name: str
    password: str


DEMO_POINTER = (
    "To try Bedside with made-up patients instead, close this window and run "
    "<b>bedside --demo</b>: the demo clinic opens in a database of its own, never this one."
)


class FirstRunDialog(QDialog):
    """The clinic's settings and first administrator, each field checked before accepting."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice: NewClinic | None = None
        self.setWindowTitle("Welcome to Bedside")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<h2>Welcome to Bedside</h2><p>This database is empty. Set up your clinic: its "
            "name, its time zone (every time on screen and on paper is in it) and its first "
            f"administrator.</p><p>{DEMO_POINTER}</p>"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self._clinic_box())
        self.setMinimumWidth(480)

    def _clinic_box(self) -> QGroupBox:
        """The clinic's settings and its first administrator."""
        admin_box = QGroupBox("Set up your clinic")
        admin = QVBoxLayout(admin_box)
        form = QFormLayout()
        self.clinic_name = QLineEdit()
        self.clinic_name.setObjectName("clinicName")
        self.clinic_address = QPlainTextEdit()
        self.clinic_address.setTabChangesFocus(True)  # Tab moves on, as in every other box
        self.clinic_address.setObjectName("clinicAddress")
        self.clinic_address.setFixedHeight(56)
        self.timezone = TimezoneBox(workstation_timezone())
        self.timezone.setObjectName("clinicTimezone")
        self.paper = QComboBox()
        self.paper.setObjectName("paperSize")
        self.paper.addItems(list(PAPER_SIZES))
        # Offered as this workstation's country prints (Letter in the US): shown, not hidden.
        self.paper.setCurrentText(usual_paper(paper_territory(os.environ)))
        form.addRow("Clinic name", self.clinic_name)
        form.addRow("Address", self.clinic_address)
        form.addRow("Time zone", self.timezone)
        form.addRow("Paper size", self.paper)
        self.username = QLineEdit()
        self.username.setObjectName("adminUsername")
        self.full_name = QLineEdit()
        self.full_name.setObjectName("adminFullName")
        self.password = QLineEdit()
        self.password.setObjectName("adminPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("adminConfirm")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Administrator's user name", self.username)
        form.addRow("Full name", self.full_name)
        form.addRow("Password", self.password)
        form.addRow("Repeat password", self.confirm)
        admin.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("firstRunMessage")
        self.message.setProperty("role", "danger")  # red and bold: grey text was missed
        self.message.setWordWrap(True)
        admin.addWidget(self.message)
        self.admin_button = QPushButton("Set up the clinic")
        self.admin_button.setObjectName("createAdmin")
        self.admin_button.clicked.connect(self._admin)
        self.admin_button.setDefault(True)
        admin.addWidget(self.admin_button)
        return admin_box

    def _admin(self) -> None:
        """Check every field (the clinic's through the domain's own check) before accepting;
        the first problem is shown under the form and nothing is returned."""
        values = {
            "clinic_name": self.clinic_name.text(),
            "clinic_address": self.clinic_address.toPlainText(),
            "timezone": self.timezone.zone(),
            "paper_size": self.paper.currentText(),
        }
        try:
            clean = clinic_values(values)
        except InputRejected as exc:
            self.message.setText(str(exc))
            return
        username = self.username.text().strip().lower()
        name = self.full_name.text().strip()
        password = self.password.text()
        problem = None
        if len(username) < 2:
            problem = "Administrator's user name needs at least 2 characters"
        elif not name:
            problem = "Full name is needed (it is printed on signatures)"
        else:
            problem = password_problem(password, username)
        if problem is None and password != self.confirm.text():
            problem = "The two passwords differ"
        if problem:
            self.message.setText(problem)
            return
        self.choice = NewClinic(
            clinic_name=clean["clinic_name"],
            clinic_address=clean["clinic_address"],
            timezone=clean["timezone"],
            paper_size=clean["paper_size"],
            username=username,
            full_name=name,
            password=password,
        )
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> NewClinic | None:
        """The newcomer's choice, or ``None`` if the window was closed."""
        dialog = cls(parent)
        dialog.exec()
        return dialog.choice
