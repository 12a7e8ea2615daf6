"""Discharge: the score with escort and instructions, witnessed waste (``ui.dialogs.waste``),
the charting nurse's signature, sign-off, addendum.

Each ``ask`` returns plain values; passwords are passed straight to the core, which checks
them (the witness and the signing clinician type their own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from bedside.clock import Clock
from bedside.errors import InputRejected
from bedside.scales import ScaleName, definition
from bedside.signatures import Meaning
from charting.signoff import SignoffSummary
from ui.common.lock_gate import SurvivesLock
from ui.common.wrapped_check import wrapped_check
from ui.dialogs.signoff_summary import SummaryView, fit_dialog
from ui.dialogs.taken_at import TakenAtField
from ui.dialogs.text import PasswordDialog, named_line, ok_cancel
from ui.dialogs.waste import OpenDrug, WasteDialog, WasteEntry

__all__ = [
    "AddendumDialog",
    "AddendumEntry",
    "AttestDialog",
    "AttestEntry",
    "DischargeDialog",
    "DischargeEntry",
    "OpenDrug",
    "SignOffDialog",
    "SignOffEntry",
    "SignOffPage",
    "WasteDialog",
    "WasteEntry",
]


@dataclass(frozen=True)
class DischargeEntry:
    """A discharge assessment."""

    answers: dict[str, int]
    escort_present: bool
    escort_name: str
    instructions_given: bool
    iv_removed_site_ok: bool


class DischargeDialog(SurvivesLock):
    """The protocol's discharge score, item by item (the total is computed by the core)."""

    def __init__(
        self, scale: ScaleName, escort_name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        spec = definition(scale)
        self.spec = spec
        self.setWindowTitle(f"Discharge assessment — {spec.title}")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.items: dict[str, QComboBox] = {}
        # Nothing is pre-scored: a full score must come from looking at the patient, item by
        # item, never from pressing Save on defaults.
        for item in spec.items:
            combo = QComboBox()
            combo.setObjectName(item.key)
            combo.setPlaceholderText("assess…")
            combo.setMinimumHeight(40)
            for option in sorted(item.options, key=lambda o: -o.value):
                combo.addItem(f"{option.value} — {option.label}", option.value)
            combo.setCurrentIndex(-1)
            label = QLabel(item.text)
            label.setWordWrap(True)
            form.addRow(label, combo)
            self.items[item.key] = combo
        self.escort = QCheckBox("Escort present")
        self.escort.setObjectName("escort")
        self.escort_name = QLineEdit(escort_name)
        form.addRow(self.escort, self.escort_name)
        self.instructions = QCheckBox()
        self.instructions.setObjectName("instructions")
        form.addRow(  # wrapped: a check box's own words are cut off at the dialog's edge
            "",
            wrapped_check(
                self.instructions,
                "Discharge instructions given (no driving until tomorrow, no alcohol, "
                "emergency number)",
            ),
        )
        self.iv_removed = QCheckBox("IV removed, site OK")
        self.iv_removed.setObjectName("ivRemoved")
        form.addRow("", self.iv_removed)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("dischargeMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "Save assessment"))
        self.setMinimumWidth(720)

    def accept(self) -> None:
        """Only with every item assessed (the core computes the total)."""
        missing = [k for k, combo in self.items.items() if combo.currentIndex() < 0]
        if missing:
            self.message.setText(
                "Not saved — still to assess: "
                + ", ".join(self.spec.item(k).text.split(" (")[0] for k in missing)
            )
            return
        super().accept()

    @classmethod
    def ask(
        cls, scale: ScaleName, escort_name: str = "", parent: QWidget | None = None
    ) -> DischargeEntry | None:
        """The assessment, or None if cancelled."""
        d = cls(scale, escort_name, parent)
        if d.exec() != QDialog.DialogCode.Accepted:
            return None
        return DischargeEntry(
            {k: int(c.currentData()) for k, c in d.items.items()},
            d.escort.isChecked(),
            d.escort_name.text().strip(),
            d.instructions.isChecked(),
            d.iv_removed.isChecked(),
        )


@dataclass(frozen=True)
class SignOffEntry:
    """The signing clinician's credentials and an override reason, if one is needed."""

    username: str
    password: str
    override_reason: str


@dataclass(frozen=True)
class SignOffPage:
    """What the clinician reads before signing: who and which session (a line of markup, e.g.
    whether the charting is signed), and the summary of the session."""

    heading: str
    summary: SignoffSummary


class SignOffDialog(SurvivesLock):
    """Shows what is being signed (the session's summary) and its meaning, then the clinician
    types their password."""

    def __init__(
        self, page: SignOffPage, username: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clinician sign-off")
        layout = QVBoxLayout(self)
        heading = QLabel(page.heading)
        heading.setObjectName("signoffHeading")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.summary = SummaryView(page.summary)
        layout.addWidget(self.summary, 1)
        text = QLabel(
            f"<p>Signing means: <b>“{Meaning.DISCHARGE_APPROVED.value}”</b>. "
            "Your printed name, the date and time and this meaning are bound to the record; "
            "afterwards the session is locked and only addenda can be added.</p>"
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.username = named_line("clinician", username)
        self.password = named_line("clinicianPassword", secret=True)
        self.override = named_line(
            "override", hint="only if signing although criteria are not all met"
        )
        form.addRow("Clinician", self.username)
        form.addRow("Password", self.password)
        form.addRow("Override reason", self.override)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "Sign and lock"))
        self.setMinimumWidth(560)
        fit_dialog(self, 760)

    @classmethod
    def ask(
        cls,
        page: SignOffPage,
        username: str = "",
        parent: QWidget | None = None,
        previous: SignOffEntry | None = None,
    ) -> SignOffEntry | None:
        """The credentials, or None if cancelled; ``previous`` shows a refused signature as
        typed, but for the password (a signature is given afresh)."""
        d = cls(page, username, parent)
        if previous is not None:
            d.username.setText(previous.username)
            d.override.setText(previous.override_reason)
            d.password.setFocus()
        if d.exec() != QDialog.DialogCode.Accepted:
            return None
        return SignOffEntry(d.username.text().strip(), d.password.text(), d.override.text().strip())


@dataclass(frozen=True)
class AttestEntry:
    """The charting nurse's password, and when the charting was complete (None: now)."""

    password: str
    clinical_time: datetime | None = None


class AttestDialog(PasswordDialog):
    """The charting nurse signs her charting: what she signs, her password, and when."""

    def __init__(
        self,
        text: str,
        clock: Clock,
        tz: str,
        parent: QWidget | None = None,
        summary: SignoffSummary | None = None,
    ) -> None:
        super().__init__("Sign my charting", text, "Sign", parent)
        box = cast(QVBoxLayout, self.layout())
        self.summary: SummaryView | None = None
        if summary is not None:
            # What she signs comes first, above what signing means and her password.
            self.summary = SummaryView(summary)
            intro = QLabel("<b>Check the session as charted before you sign it:</b>")
            intro.setObjectName("attestIntro")
            box.insertWidget(0, intro)
            box.insertWidget(1, self.summary, 1)
        form = QFormLayout()
        self.taken_at = TakenAtField(clock, tz)
        form.addRow("Charting complete at", self.taken_at)
        self.message = QLabel("")
        self.message.setObjectName("attestMessage")
        self.message.setWordWrap(True)
        # Above the buttons (the last item), below the password.
        box.insertLayout(box.count() - 1, form)
        box.insertWidget(box.count() - 1, self.message)
        if self.summary is not None:
            fit_dialog(self, 760)
        self.password.setFocus()

    def accept(self) -> None:
        """Only with a time that reads as one."""
        try:
            self.taken_at.value()
        except InputRejected as exc:
            self.message.setText(f"Not saved — {exc}")
            return
        super().accept()

    @classmethod
    def ask_signature(
        cls,
        text: str,
        clock: Clock,
        tz: str,
        parent: QWidget | None = None,
        summary: SignoffSummary | None = None,
    ) -> AttestEntry | None:
        """The password and time, or None if cancelled; ``summary`` is what she signs."""
        dialog = cls(text, clock, tz, parent, summary)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return AttestEntry(dialog.password.text(), dialog.taken_at.value())


@dataclass(frozen=True)
class AddendumEntry:
    """An addendum's text, reason and the author's password, and when what it tells happened
    (None: now)."""

    text: str
    reason: str
    password: str
    clinical_time: datetime | None = None


class AddendumDialog(SurvivesLock):
    """After sign-off: a dated, signed addendum with its reason. Ctrl+Enter signs it (Enter
    starts a new line in the text)."""

    def __init__(self, clock: Clock, tz: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Addendum")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("The record is locked; this addendum is added after it, signed."))
        form = QFormLayout()
        self.text = QPlainTextEdit()
        self.text.setObjectName("addendumText")
        self.reason = named_line("addendumReason")
        self.taken_at = TakenAtField(clock, tz)
        self.password = named_line("addendumPassword", secret=True)
        form.addRow("Addendum", self.text)
        form.addRow("Reason", self.reason)
        form.addRow("Happened at", self.taken_at)
        form.addRow("Your password", self.password)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("addendumMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = ok_cancel(self, "Sign addendum")
        for button in buttons.buttons():
            if buttons.buttonRole(button) is QDialogButtonBox.ButtonRole.AcceptRole:
                button.setToolTip("Sign the addendum — Ctrl+Enter")
        layout.addWidget(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        self.setMinimumWidth(520)

    def accept(self) -> None:
        """Only with a time that reads as one (the core judges the text and reason)."""
        try:
            self.taken_at.value()
        except InputRejected as exc:
            self.message.setText(f"Not saved — {exc}")
            return
        super().accept()

    @classmethod
    def ask(
        cls,
        clock: Clock,
        tz: str,
        parent: QWidget | None = None,
        previous: AddendumEntry | None = None,
    ) -> AddendumEntry | None:
        """The addendum, or None if cancelled; ``previous`` shows a refused one as typed (the
        password is typed again: a signature is given afresh)."""
        d = cls(clock, tz, parent)
        if previous is not None:
            d.text.setPlainText(previous.text)
            d.reason.setText(previous.reason)
            d.taken_at.set_value(previous.clinical_time)
            d.password.setFocus()
        if d.exec() != QDialog.DialogCode.Accepted:
            return None
        return AddendumEntry(
            d.text.toPlainText().strip(),
            d.reason.text().strip(),
            d.password.text(),
            d.taken_at.value(),
        )
