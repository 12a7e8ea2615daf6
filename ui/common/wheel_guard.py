"""Scrolling a form must never change a value: spin boxes, date fields and combo boxes take the
mouse wheel only when they have the keyboard focus (a nurse scrolling past an expiry date
changed it without noticing).

One filter on the application covers every window. Dropping the wheel event alone is not
enough: for a real wheel turn Qt first gives the focus to a field whose policy includes
``WheelFocus`` (the default of these fields), before any filter runs. So each field is switched
to ``StrongFocus`` when it is polished, before it can be shown or scrolled over.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox


class WheelGuard(QObject):
    """Value fields take the wheel only once they have the focus."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QAbstractSpinBox | QComboBox):
            return False
        if event.type() == QEvent.Type.Polish:
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif event.type() == QEvent.Type.Wheel and not watched.hasFocus():
            event.ignore()  # the scroll area behind it scrolls instead
            return True
        return False


_GUARD = WheelGuard()


def install(app: QCoreApplication) -> None:
    """Guard every value field of the application (installing twice is harmless)."""
    app.removeEventFilter(_GUARD)
    app.installEventFilter(_GUARD)
