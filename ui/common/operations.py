"""One way for widgets to call the core: run it, and show a clear message if it refuses.

Every write from the UI goes through :func:`run`, so a refusal (a guard report, a role check,
an impossible value) is shown in words the same way everywhere and nothing else has to catch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from bedside.app_log import refusal
from bedside.errors import (
    AuthenticationFailed,
    BedsideError,
    InputRejected,
    OperationRefused,
    PermissionDenied,
    SessionLocked,
    StoreError,
)
from bedside.report import RuleReport, Severity

T = TypeVar("T")

_TITLES: list[tuple[type[BedsideError], str]] = [
    (InputRejected, "Not saved: check the value"),
    (PermissionDenied, "Not allowed for your role"),
    (AuthenticationFailed, "Password not accepted"),
    (SessionLocked, "Session is signed"),
    (OperationRefused, "Not yet possible"),
    (StoreError, "Could not save"),
]


def title_for(error: BedsideError) -> str:
    """The dialog title for an error kind."""
    for kind, title in _TITLES:
        if isinstance(error, kind):
            return title
    return "Bedside"


def run(parent: QWidget | None, operation: Callable[[], T]) -> T | None:
    """Run ``operation``; on a core refusal show its message and return ``None``."""
    try:
        return operation()
    except BedsideError as exc:
        logging.getLogger(__name__).info("refused: %s", refusal(exc))
        show_error(parent, exc)
        return None


def show_error(parent: QWidget | None, error: BedsideError) -> None:
    """A message box with the core's words (tests replace this function)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title_for(error))
    box.setText(str(error).split("\n", 1)[0])
    detail = str(error).split("\n", 1)[1] if "\n" in str(error) else ""
    if isinstance(error, OperationRefused) and error.report.findings:
        detail = findings_text(error.report)
    if detail:
        box.setInformativeText(detail)
    box.exec()


def marked_findings(report: RuleReport) -> list[tuple[str, str, str]]:
    """(mark, message, note) per finding, blocking first: ✗ blocks (note: whether a clinician
    may override), ⚠ warns, ℹ informs. Dialogs and step panels lay these out their own way."""
    out = []
    for finding in sorted(report.findings, key=lambda f: f.severity is not Severity.ERROR):
        if finding.severity is Severity.ERROR:
            mark, note = "✗", "a clinician may override" if finding.overridable else ""
        else:
            mark, note = ("⚠" if finding.severity is Severity.WARNING else "ℹ"), ""
        out.append((mark, finding.message, note))
    return out


def findings_text(report: RuleReport) -> str:
    """The findings as a nurse reads them: blocking first, marked ✗ or ⚠, no codes."""
    return "\n".join(
        f"{mark} {message}" + (f" ({note})" if note else "")
        for mark, message, note in marked_findings(report)
    )


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question (tests replace this function)."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
