"""The session window's link to the patient's course: the course view over the window, and a
session chosen there opened in its own window by the board."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

if TYPE_CHECKING:
    from ui.session.window import SessionView


def show_course(window: SessionView) -> None:
    """The patient's course over ``window``; a row opens that session's own window."""
    from ui.course.view import CourseView

    view = CourseView(
        window.service,
        window.ctx.patient.id,
        window.clock.now(),
        window,
        theme=window.theme,
        user=window.user,
    )
    view.session_chosen.connect(lambda sid: _open_other(window, view, sid))
    view.exec()


def _open_other(window: SessionView, course: QDialog, session_id: str) -> None:
    """Close the course view and ask the board for that session's window."""
    course.accept()
    if session_id != window.session_id:
        window.session_requested.emit(session_id)
