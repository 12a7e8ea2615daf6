"""Render resources/icons/bedside.svg to the PNG sizes a Linux desktop asks for (hicolor theme).

Run after changing the SVG: ``./run tool python scripts/render_icons.py``. The PNGs are committed,
so the package build needs no SVG renderer."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256)
FOLDER = Path(__file__).resolve().parent.parent / "resources" / "icons"


def main() -> int:
    """Write bedside-<size>.png next to the SVG for every size."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(FOLDER / "bedside.svg"))
    if not renderer.isValid():
        sys.stderr.write("render_icons: the SVG does not parse\n")
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(FOLDER / f"bedside-{size}.png"))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
