"""The pump: a start the core refused (and the ways forward), the volume it reports at the
stop, and a slower rate with its reason."""

from __future__ import annotations

from enum import StrEnum
from html import escape

from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bedside.report import RuleReport
from ui.common import operations
from ui.common.lock_gate import SurvivesLock
from ui.dialogs.text import ok_cancel

_FRESH_WORDS = (
    "Chart a fresh baseline set (blood pressure, heart rate, SpO₂, respiratory rate): the start "
    "is judged again on it."
)
_CLINICIAN_WORDS = (
    "A clinician may confirm the start instead, with their password and a reason; the "
    "confirmation is recorded with the start."
)


class StartChoice(StrEnum):
    """The ways forward from a refused start."""

    FRESH_BASELINE = "fresh_baseline"
    CLINICIAN = "clinician"


class StartRefusedDialog(SurvivesLock):
    """The pump was not started: the core's findings in words (a stale baseline names its age
    and the protocol's limit), the latest baseline blood pressure with its time, and the ways
    forward the findings allow: chart a fresh baseline set (the default: the safer way), or a
    clinician confirms the start with their password and a reason."""

    def __init__(
        self, report: RuleReport, latest: str, *, fresh: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Infusion not started")
        self.choice: StartChoice | None = None
        layout = QVBoxLayout(self)
        # The ways forward are said below, so the "(a clinician may override)" notes are not.
        findings = "".join(
            f"<li><b>{mark}</b> {escape(message)}</li>"
            for mark, message, _ in operations.marked_findings(report)
        )
        ways = [
            w
            for w, offered in ((_FRESH_WORDS, fresh), (_CLINICIAN_WORDS, report.overridable))
            if offered
        ]
        text = QLabel(
            f"<p><b>The pump was not started.</b></p><ul>{findings}</ul>"
            + (f"<p>{escape(latest)}</p>" if latest else "")
            + "".join(f"<p>{escape(w)}</p>" for w in ways)
        )
        text.setObjectName("startRefused")
        text.setWordWrap(True)
        layout.addWidget(text)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        if fresh:
            self._offer(
                box, "Chart a fresh baseline set", "freshBaseline", StartChoice.FRESH_BASELINE
            )
        if report.overridable:
            self._offer(box, "Clinician confirms…", "clinicianConfirms", StartChoice.CLINICIAN)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.setMinimumWidth(560)

    def _offer(self, box: QDialogButtonBox, text: str, name: str, choice: StartChoice) -> None:
        button = box.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(name)
        button.setMinimumHeight(40)
        # The first way offered is the default: a fresh set when it is offered.
        if not any(isinstance(b, QPushButton) and b.isDefault() for b in box.buttons()):
            button.setDefault(True)
        button.clicked.connect(lambda: self._choose(choice))

    def _choose(self, choice: StartChoice) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(
        cls, report: RuleReport, latest: str, *, fresh: bool, parent: QWidget | None = None
    ) -> StartChoice | None:
        """The way forward chosen, or None if cancelled (nothing is started either way)."""
        dialog = cls(report, latest, fresh=fresh, parent=parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice


NOT_READ = -1.0
"""The stop dialog's "pump not read yet" value (shown as a prompt, refused on OK)."""


class _PumpReading(QDoubleSpinBox):
    """A volume read off the pump: while it shows its prompt (nothing read yet), the first
    digit typed replaces the prompt instead of being ignored until the prompt is selected."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.value() == self.minimum() and event.text()[:1].isdigit():
            self.lineEdit().selectAll()
        super().keyPressEvent(event)


class StopDialog(SurvivesLock):
    """Stop the pump: the volume the pump reports as infused, typed from the pump (never
    pre-filled: a pre-filled full bag would record a dose that was not given), and a reason when
    stopping before the bag is finished. The volume the charted rates imply is shown as a
    cross-check."""

    def __init__(
        self,
        bag_ml: float,
        expected_ml: float | None = None,
        parent: QWidget | None = None,
        missed: str = "",
    ) -> None:
        super().__init__(parent)
        self.bag_ml = bag_ml
        self.setWindowTitle("Stop infusion")
        layout = QVBoxLayout(self)
        self.missed = QLabel(missed)
        self.missed.setObjectName("stopMissed")
        self.missed.setProperty("role", "warning")
        self.missed.setWordWrap(True)
        self.missed.setVisible(bool(missed))
        layout.addWidget(self.missed)
        form = QFormLayout()
        self.volume = _PumpReading()
        self.volume.setObjectName("volume")
        self.volume.setRange(NOT_READ, 1000)
        self.volume.setDecimals(1)
        self.volume.setSuffix(" mL")
        self.volume.setSpecialValueText("read the pump's volume infused")
        self.volume.setValue(NOT_READ)
        self.volume.setMinimumHeight(40)
        self.volume.valueChanged.connect(self._judge)
        form.addRow("Volume infused (pump)", self.volume)
        hint = f"Bag {bag_ml:g} mL"
        if expected_ml is not None:
            hint += f"; the charted rates and times imply about {expected_ml:.1f} mL so far"
        expected = QLabel(hint)
        expected.setProperty("role", "muted")
        expected.setWordWrap(True)
        form.addRow("", expected)
        self.early = QCheckBox("Stopped before the bag was finished")
        self.early.setObjectName("early")
        form.addRow("", self.early)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        form.addRow("Reason (if early)", self.reason)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("stopMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "Stop infusion"))
        self.setMinimumWidth(520)

    def _judge(self) -> None:
        """Less than the bag (allowing the pump's rounding) means stopped early."""
        value = self.volume.value()
        if value >= 0:
            self.early.setChecked(value < self.bag_ml - 1.0)

    def accept(self) -> None:
        """Only with a volume read from the pump."""
        if self.volume.value() < 0:
            self.message.setText("Type the volume infused shown on the pump.")
            return
        super().accept()

    @classmethod
    def ask(
        cls,
        bag_ml: float,
        expected_ml: float | None = None,
        parent: QWidget | None = None,
        previous: tuple[float, bool, str] | None = None,
        missed: str = "",
    ) -> tuple[float, bool, str] | None:
        """(volume infused, completed, reason), or None if cancelled; ``previous`` shows a
        refused stop as it was typed; ``missed`` names the checks missed during the infusion."""
        dialog = cls(bag_ml, expected_ml, parent, missed)
        if previous is not None:
            volume, completed, reason = previous
            dialog.volume.setValue(volume)
            dialog.early.setChecked(not completed)
            dialog.reason.setText(reason)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.volume.value(), not dialog.early.isChecked(), dialog.reason.text().strip()


class RateDialog(SurvivesLock):
    """A new pump rate (not above the planned rate: the core refuses that) and its reason."""

    def __init__(self, current: float, planned: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change pump rate")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.rate = QDoubleSpinBox()
        self.rate.setObjectName("rate")
        self.rate.setRange(0.1, 999)
        self.rate.setDecimals(1)
        self.rate.setSuffix(" mL/h")
        self.rate.setValue(current)
        self.rate.setMinimumHeight(40)
        form.addRow("New rate", self.rate)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("e.g. slowed for dissociation, BP rising")
        form.addRow("Reason", self.reason)
        layout.addLayout(form)
        note = QLabel(f"Now {current:g} mL/h; planned {planned:g} mL/h (the order's dose rate).")
        note.setProperty("role", "muted")
        layout.addWidget(note)
        layout.addWidget(ok_cancel(self, "Change rate"))
        self.setMinimumWidth(460)

    @classmethod
    def ask(
        cls,
        current: float,
        planned: float,
        parent: QWidget | None = None,
        previous: tuple[float, str] | None = None,
    ) -> tuple[float, str] | None:
        """(new rate, reason), or None if cancelled; ``previous`` pre-fills a refused entry."""
        dialog = cls(current, planned, parent)
        if previous is not None:
            dialog.rate.setValue(previous[0])
            dialog.reason.setText(previous[1])
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.rate.value(), dialog.reason.text().strip()
