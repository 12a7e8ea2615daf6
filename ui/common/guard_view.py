"""A step's guard report in words, and completing a step with a clinician's override.

The core decides whether a step may be completed (``ChartService.guard``/``advance``); this
module only shows the findings and, when every blocking finding is overridable, collects the
clinician's user name, password and reason for the override, which the core then checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from bedside.context import SessionChange
from bedside.errors import BedsideError, OperationRefused
from bedside.events import Phase
from bedside.people import User
from bedside.report import RuleReport
from bedside.service import ChartService, SessionRef
from bedside.service.base import override_reason_problem
from bedside.signatures import Meaning
from ui.common import operations
from ui.common.lock_gate import SurvivesLock
from ui.dialogs.text import named_line, ok_cancel


def report_html(report: RuleReport, *, all_clear: str) -> str:
    """The findings as a list a nurse reads at a glance: blocking first, then warnings."""
    if not report.findings:
        return f"<p class='ok'>✓ {escape(all_clear)}</p>"
    rows = [
        f"<li><b>{mark}{f' ({note})' if note else ''}</b> {escape(message)}</li>"
        for mark, message, note in operations.marked_findings(report)
    ]
    head = (
        "<p><b>Blocking:</b> this step cannot be completed yet.</p>"
        if report.errors
        else f"<p>✓ {escape(all_clear)} — with the warnings below.</p>"
    )
    return head + "<ul>" + "".join(rows) + "</ul>"


@dataclass(frozen=True)
class OverrideEntry:
    """The overriding clinician's credentials and reason."""

    username: str
    password: str
    reason: str


class OverrideDialog(SurvivesLock):
    """Shows what is being overridden; the clinician signs with their own password."""

    def __init__(self, report: RuleReport, step: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Clinician override — {step}")
        layout = QVBoxLayout(self)
        findings = "".join(f"<li>{escape(f.message)}</li>" for f in report.errors)
        text = QLabel(
            f"<p>Moving on to <b>{escape(step)}</b> although:</p><ul>{findings}</ul>"
            f"<p>The clinician signs: <b>“{Meaning.OVERRIDE.value}”</b>, with the reason, "
            "bound to the record.</p>"
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.username = named_line("overrideClinician", hint="the clinician's user name")
        self.password = named_line("overridePassword", secret=True)
        self.reason = named_line(
            "overrideReason", hint="why it is safe to go on (at least 5 characters)"
        )
        form.addRow("Clinician", self.username)
        form.addRow("Password", self.password)
        form.addRow("Reason", self.reason)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("overrideMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "Override and continue"))
        self.setMinimumWidth(560)

    def accept(self) -> None:
        """Stay open, saying what is missing, until a clinician, a password and a reason are
        given: closing would lose what the clinician typed."""
        problem = None
        if not self.username.text().strip():
            problem = "Type the clinician's user name"
        elif not self.password.text():
            problem = "Type the clinician's password"
        else:
            problem = override_reason_problem(self.reason.text())
        if problem:
            self.message.setText(problem)
            return
        super().accept()

    @classmethod
    def ask(
        cls, report: RuleReport, step: str, parent: QWidget | None = None
    ) -> OverrideEntry | None:
        """The override, or None if cancelled."""
        d = cls(report, step, parent)
        if d.exec() != QDialog.DialogCode.Accepted:
            return None
        return OverrideEntry(d.username.text().strip(), d.password.text(), d.reason.text().strip())


def ask_override(report: RuleReport, step: str, parent: QWidget | None) -> OverrideEntry | None:
    """Module-level hook so tests can answer the override dialog."""
    return OverrideDialog.ask(report, step, parent)


def with_override(
    parent: QWidget,
    service: ChartService,
    step: str,
    attempt: Callable[[User | None, str | None, str | None], SessionChange],
    *,
    not_overridable: str = "",
) -> SessionChange | None:
    """Run ``attempt(None, None, None)``; when the core refuses it with findings a clinician may
    decide past, show them and ask the clinician's user name, password and reason, and run
    ``attempt(clinician, password, reason)``. Any other refusal is shown the usual way.

    Returns what the operation changed, or None when nothing was saved.
    """
    try:
        return attempt(None, None, None)
    except OperationRefused as refused:
        report = refused.report
        if report is None or not report.errors:  # refused for another reason (a locked record)
            operations.show_error(parent, refused)
            return None
        if not report.overridable:
            shown = OperationRefused(not_overridable, report) if not_overridable else refused
            operations.show_error(parent, shown)
            return None
    except BedsideError as exc:  # a role, a bad value ...: shown the usual way
        operations.show_error(parent, exc)
        return None
    entry = ask_override(report, step, parent)
    if entry is None:
        return None

    def override() -> SessionChange:
        clinician = service.accounts.authenticate(entry.username, entry.password)
        return attempt(clinician, entry.password, entry.reason)

    return operations.run(parent, override)


def complete_step(
    parent: QWidget, service: ChartService, user: User, session: SessionRef, to: Phase
) -> SessionChange | None:
    """Advance to ``to``; when refused with an overridable report, offer the override.

    Returns what completing the step changed, or None when it was not completed.
    """

    def attempt(by: User | None, password: str | None, reason: str | None) -> SessionChange:
        if by is None:
            return service.advance(user, session, to)
        return service.advance(
            user,
            session,
            to,
            override_by=by,
            override_password=password,
            override_reason=reason,
        )

    return with_override(
        parent,
        service,
        to.label,
        attempt,
        not_overridable=f"{to.label} cannot be started: these findings cannot be overridden.",
    )
