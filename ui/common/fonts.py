"""The DejaVu faces shipped in ``resources/fonts`` (the ones the PDF embeds), registered with
Qt at start-up so the UI has DejaVu Sans and DejaVu Sans Mono (the board's clocks) on a machine
without them. The user's own font and font size stay the application's default."""

from __future__ import annotations

import logging
from functools import cache
from importlib import resources

from PySide6.QtGui import QFontDatabase

log = logging.getLogger(__name__)


@cache
def register_shipped_fonts() -> tuple[str, ...]:
    """Add every shipped ``.ttf`` to Qt's font database (once per process; needs the
    QGuiApplication); returns the families added.

    A file Qt cannot load is logged, not raised: the UI still works in the system's fonts.
    """
    families: list[str] = []
    folder = resources.files("resources").joinpath("fonts")
    for entry in sorted(folder.iterdir(), key=lambda f: f.name):
        if not entry.name.endswith(".ttf"):
            continue
        font_id = QFontDatabase.addApplicationFont(str(entry))
        if font_id < 0:
            log.warning("Qt could not load the shipped font %s", entry.name)
            continue
        families += [f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in families]
    return tuple(families)
