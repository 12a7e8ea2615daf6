"""When something goes wrong that nothing else caught (issue 13 item 3): Qt's own messages go
to the log, and an unhandled exception is logged with its traceback and then told to the nurse
in plain words: what is kept, what may not be, where the log is, and that she can carry on.

The record is saved entry by entry ("Saved means durable"), so an error never takes back what
was saved; at most the entry being typed is lost. The dialog shows no traceback: that is in the
log, for IT.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from bedside import app_log

log = logging.getLogger(__name__)
qt_log = logging.getLogger("ui.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's message handler: one log line per message, at the matching level."""
    category = getattr(context, "category", None) or "qt"
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "[%s] %s", category, message)


def crash_text(log_path: Path | None) -> str:
    """What the dialog says, in plain words (no traceback)."""
    where = (
        f"The details are in the log, for IT:\n{log_path}"
        if log_path is not None
        else "The log could not be written on this computer; tell IT what you were doing."
    )
    return (
        "Bedside met an error it did not expect.\n\n"
        "Everything saved before this moment is kept: the record is saved entry by entry, "
        "and an entry once saved is on disk.\n\n"
        "The entry you were typing when this happened may not have been saved. Check the "
        "session record before you chart it again.\n\n"
        f"{where}\n\n"
        "You can carry on. If it happens again, close Bedside, start it again and tell IT."
    )


def cannot_open_text() -> str:
    """What the app says when its board could not be opened at the start (no traceback)."""
    log_path = _log_path()
    where = (
        f"The details are in the log, for IT:\n{log_path}"
        if log_path is not None
        else "The log could not be written on this computer; tell IT."
    )
    return (
        "Bedside met an error it did not expect while opening, and closes.\n\n"
        "Nothing in the record was changed: everything saved before is kept.\n\n"
        f"{where}"
    )


class CrashDialog(QDialog):
    """The plain-words dialog after an unhandled error: Carry on, or copy the log's path."""

    def __init__(self, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Bedside: unexpected error")
        self.log_path = log_path
        layout = QVBoxLayout(self)
        self.message = QLabel(crash_text(log_path))
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton(
            "Copy log path", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setEnabled(log_path is not None)
        self.copy_button.clicked.connect(self.copy_path)
        carry_on = buttons.addButton("Carry on", QDialogButtonBox.ButtonRole.AcceptRole)
        carry_on.setDefault(True)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def copy_path(self) -> None:
        """Put the log's path on the clipboard (for an e-mail to IT)."""
        if self.log_path is not None:
            QApplication.clipboard().setText(str(self.log_path))

    @staticmethod
    def show_crash(log_path: Path | None) -> None:
        """Show the dialog modally (tests replace this function)."""
        CrashDialog(log_path, QApplication.activeWindow()).exec()


def _log_path() -> Path | None:
    setup = app_log.current()
    return setup.path if setup is not None else None


_showing = False


def _tell(log_path: Path | None) -> None:
    """Show the dialog once at a time (an error while it is up is logged, not stacked)."""
    global _showing
    if _showing or QApplication.instance() is None:
        return
    _showing = True
    try:
        CrashDialog.show_crash(log_path)
    except Exception:
        log.exception("the error dialog could not be shown")
    finally:
        _showing = False


def excepthook(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """``sys.excepthook``: log with the traceback, then tell the nurse."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    log.critical("unhandled error", exc_info=(kind, error, trace))
    _tell(_log_path())


def thread_excepthook(args: threading.ExceptHookArgs) -> None:
    """``threading.excepthook``: log, and tell the nurse from the GUI thread."""
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return
    name = args.thread.name if args.thread is not None else "?"
    log.critical(
        "unhandled error in thread %s",
        name,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )
    app = QApplication.instance()
    if app is not None:
        path = _log_path()
        QTimer.singleShot(0, app, lambda: _tell(path))


Restore = Callable[[], None]


def install() -> Restore:
    """Route Qt's messages to the log and catch unhandled errors; returns what undoes it."""
    previous_qt = qInstallMessageHandler(qt_message)
    previous_hook, previous_thread_hook = sys.excepthook, threading.excepthook
    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook

    def restore() -> None:
        qInstallMessageHandler(previous_qt)
        sys.excepthook = previous_hook
        threading.excepthook = previous_thread_hook

    return restore
