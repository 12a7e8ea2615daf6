"""First run on an empty database: open the demo clinic, or set up the clinic (its name, time
zone and paper size) with its first administrator."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bedside.errors import InputRejected
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


@dataclass(frozen=True)
class OpenDemo:
    """Fill the empty database with the demo clinic."""


class FirstRunDialog(QDialog):
    """Two paths, side by side; the admin form checks its fields before accepting."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice: NewClinic | OpenDemo | None = None
        self.setWindowTitle("Welcome to Bedside")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<h2>Welcome to Bedside</h2><p>This database is empty. Explore the demo clinic "
            "(made-up patients and sessions, password <b>bedside-demo</b> for every account), or "
            "set up your clinic: its name, its time zone (every time on screen and on paper is "
            "in it) and its first administrator.</p>"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(self._demo_box(), 1)
        row.addWidget(self._clinic_box(), 2)
        layout.addLayout(row)
        self.setMinimumWidth(640)

    def _demo_box(self) -> QGroupBox:
        """The demo clinic: one button."""
        demo_box = QGroupBox("Try it")
        demo = QVBoxLayout(demo_box)
        self.demo_button = QPushButton("Open the demo clinic")
        self.demo_button.setObjectName("openDemo")
        self.demo_button.clicked.connect(self._demo)
        # Enter in the clinic's form must never fill a real database with the demo's public
        # accounts: the demo is opened only by its own button.
        self.demo_button.setAutoDefault(False)
        explain = QLabel(
            "Four made-up patients, a course with signed sessions and a chair "
            "infusing now. For trying Bedside out or for training."
        )
        explain.setWordWrap(True)
        demo.addWidget(explain)
        demo.addStretch(1)
        demo.addWidget(self.demo_button)
        return demo_box

    def _clinic_box(self) -> QGroupBox:
        """The clinic's settings and its first administrator."""
        admin_box = QGroupBox("Set up your clinic")
        admin = QVBoxLayout(admin_box)
        form = QFormLayout()
        self.clinic_name = QLineEdit()
        self.clinic_name.setObjectName("clinicName")
        self.clinic_address = QPlainTextEdit()
        self.clinic_address.setObjectName("clinicAddress")
        self.clinic_address.setFixedHeight(56)
        self.timezone = TimezoneBox(workstation_timezone())
        self.timezone.setObjectName("clinicTimezone")
        self.paper = QComboBox()
        self.paper.setObjectName("paperSize")
        self.paper.addItems(["A4", "Letter"])
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
        self.message.setWordWrap(True)
        admin.addWidget(self.message)
        self.admin_button = QPushButton("Set up the clinic")
        self.admin_button.setObjectName("createAdmin")
        self.admin_button.clicked.connect(self._admin)
        self.admin_button.setDefault(True)
        admin.addWidget(self.admin_button)
        return admin_box

    def _demo(self) -> None:
        self.choice = OpenDemo()
        self.accept()

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
    def ask(cls, parent: QWidget | None = None) -> NewClinic | OpenDemo | None:
        """The newcomer's choice, or ``None`` if the window was closed."""
        dialog = cls(parent)
        dialog.exec()
        return dialog.choice
