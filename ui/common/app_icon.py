"""The app's own icon (resources/icons) on every window, and the desktop entry's name so a
Wayland or X11 taskbar groups the windows under the installed launcher (bedside.desktop)."""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QGuiApplication, QIcon

DESKTOP_ENTRY = "bedside"  # packaging/bedside.desktop, installed as bedside.desktop
SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The icon at every size drawn for it, so no size is scaled from another by the desktop."""
    folder = resources.files("resources").joinpath("icons")
    icon = QIcon()
    for size in SIZES:
        icon.addFile(str(folder.joinpath(f"bedside-{size}.png")))
    return icon


def apply(app: QGuiApplication) -> None:
    """Give ``app``'s windows the icon and tie them to the installed desktop entry."""
    app.setWindowIcon(app_icon())
    app.setDesktopFileName(DESKTOP_ENTRY)
