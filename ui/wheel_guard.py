"""Scrolling a form must never change a value: spin boxes, date fields and combo boxes take the
mouse wheel only when they have the keyboard focus (a nurse scrolling past an expiry date
changed it without noticing)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget


class WheelGuard(QObject):
    """Drops wheel events on value fields that do not have the focus; install it on the fields
    (``guard_wheel``) or once on the application for every window."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(watched, QAbstractSpinBox | QComboBox)
            and not watched.hasFocus()
        ):
            event.ignore()  # the scroll area behind it scrolls instead
            return True
        return False


_GUARD = WheelGuard()


def guard_wheel(root: QWidget) -> None:
    """Guard every spin box, date field and combo box under ``root`` (call after building)."""
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QAbstractSpinBox | QComboBox):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(_GUARD)
