"""Choosing where to print a summary and how many copies, like any desktop app. ``ask`` returns
a plain value or None; the printers come from the system's print service (CUPS, through
QtPrintSupport), which the caller asks and tests replace."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.common.lock_gate import SurvivesLock
from ui.dialogs.text import ok_cancel

MAX_COPIES = 20
"""More copies than this of one patient's record is a typing slip, not a print run."""


@dataclass(frozen=True)
class PrintChoice:
    """The printer chosen and the number of copies."""

    printer: str
    copies: int = 1


class PrintChoiceDialog(SurvivesLock):
    """A printer list (the print service's default first chosen) and a number of copies."""

    def __init__(
        self, what: str, printers: list[str], default: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Print")
        layout = QVBoxLayout(self)
        label = QLabel(what)
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QFormLayout()
        self.printer = QComboBox()
        self.printer.setObjectName("printer")
        self.printer.addItems(printers)
        if default in printers:
            self.printer.setCurrentText(default)
        form.addRow("Printer", self.printer)
        self.copies = QSpinBox()
        self.copies.setObjectName("copies")
        self.copies.setRange(1, MAX_COPIES)
        self.copies.setValue(1)
        form.addRow("Copies", self.copies)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "Print"))
        self.setMinimumWidth(420)

    def choice(self) -> PrintChoice:
        """The printer and copies as chosen."""
        return PrintChoice(self.printer.currentText(), self.copies.value())

    @classmethod
    def ask(
        cls, what: str, printers: list[str], default: str, parent: QWidget | None = None
    ) -> PrintChoice | None:
        """The choice, or None if cancelled."""
        dialog = cls(what, printers, default, parent)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
