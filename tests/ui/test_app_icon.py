"""The app's icon: drawn for it (SVG), rendered at the desktop's sizes, shipped in the package."""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QGuiApplication
from PySide6.QtSvg import QSvgRenderer
from pytestqt.qtbot import QtBot

from ui.common import app_icon


def test_every_size_is_shipped_at_its_size(qtbot: QtBot) -> None:
    icon = app_icon.app_icon()
    sizes = sorted(size.width() for size in icon.availableSizes())
    assert sizes == list(app_icon.SIZES)
    for size in icon.availableSizes():
        assert size.width() == size.height()


def test_the_svg_is_valid() -> None:
    svg = resources.files("resources").joinpath("icons", "bedside.svg")
    assert QSvgRenderer(str(svg)).isValid()


def test_the_app_carries_the_icon_and_its_desktop_entry(qtbot: QtBot) -> None:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    app_icon.apply(app)
    assert not app.windowIcon().isNull()
    assert app.desktopFileName() == "bedside"
