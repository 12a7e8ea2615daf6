"""First run on an empty database: open the demo clinic, or create the first administrator."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bedside.passwords import password_problem


@dataclass(frozen=True)
class FirstAdmin:
    """The first administrator's details."""

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
        self.choice: FirstAdmin | OpenDemo | None = None
        self.setWindowTitle("Welcome to Bedside")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<h2>Welcome to Bedside</h2><p>This database is empty. Explore the demo clinic "
            "(made-up patients and sessions, password <b>bedside-demo</b> for every account), or "
            "set up your clinic by creating its first administrator.</p>"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        demo_box = QGroupBox("Try it")
        demo = QVBoxLayout(demo_box)
        self.demo_button = QPushButton("Open the demo clinic")
        self.demo_button.setObjectName("openDemo")
        self.demo_button.clicked.connect(self._demo)
        explain = QLabel(
            "Four made-up patients, a course with signed sessions and a chair "
            "infusing now. For trying Bedside out or for training."
        )
        explain.setWordWrap(True)
        demo.addWidget(explain)
        demo.addStretch(1)
        demo.addWidget(self.demo_button)
        row.addWidget(demo_box, 1)
        admin_box = QGroupBox("Set up your clinic")
        admin = QVBoxLayout(admin_box)
        form = QFormLayout()
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
        form.addRow("User name", self.username)
        form.addRow("Full name", self.full_name)
        form.addRow("Password", self.password)
        form.addRow("Repeat password", self.confirm)
        admin.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("firstRunMessage")
        self.message.setWordWrap(True)
        admin.addWidget(self.message)
        self.admin_button = QPushButton("Create administrator")
        self.admin_button.setObjectName("createAdmin")
        self.admin_button.clicked.connect(self._admin)
        admin.addWidget(self.admin_button)
        row.addWidget(admin_box, 2)
        layout.addLayout(row)
        self.setMinimumWidth(640)

    def _demo(self) -> None:
        self.choice = OpenDemo()
        self.accept()

    def _admin(self) -> None:
        username = self.username.text().strip().lower()
        name = self.full_name.text().strip()
        password = self.password.text()
        problem = None
        if len(username) < 2:
            problem = "User name needs at least 2 characters"
        elif not name:
            problem = "Full name is needed (it is printed on signatures)"
        else:
            problem = password_problem(password)
        if problem is None and password != self.confirm.text():
            problem = "The two passwords differ"
        if problem:
            self.message.setText(problem)
            return
        self.choice = FirstAdmin(username, name, password)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> FirstAdmin | OpenDemo | None:
        """The newcomer's choice, or ``None`` if the window was closed."""
        dialog = cls(parent)
        dialog.exec()
        return dialog.choice
