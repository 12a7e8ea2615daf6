"""Windows sized to the screen they open on: never larger than its available area (a taskbar
must not hide a status bar or the last row of buttons), and using all of it on a big screen."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def available(widget: QWidget) -> QRect:
    """The screen area ``widget`` may use (the screen it is on, else the primary one), without
    the taskbar or panels."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fill_screen(widget: QWidget) -> None:
    """Place a top-level window over the whole available area. The window frame (title bar,
    borders) is not known before a window manager has shown it, so :func:`keep_on_screen`
    trims the window once it is shown."""
    area = available(widget)
    widget.setGeometry(area)
    keep_on_screen(widget)


def keep_on_screen(widget: QWidget) -> None:
    """Shrink and move a top-level window so that its frame lies inside the available area
    (a restored geometry from a bigger screen, or a frame added by the window manager)."""
    area = available(widget)
    frame = widget.frameGeometry()
    extra_w = frame.width() - widget.width()  # borders the window manager draws
    extra_h = frame.height() - widget.height()  # title bar and borders
    width = min(widget.width(), area.width() - extra_w)
    height = min(widget.height(), area.height() - extra_h)
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(width, height)
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        widget.move(x, y)
