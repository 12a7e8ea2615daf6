"""Embedded TrueType fonts for the PDF: DejaVu Sans from the OS (``fonts-dejavu-core``).

Embedding makes every character (≤ ≥ × ÷ ▲ ▼ ₂ ′ ✓ and accented names) render the same in any
viewer and printer. Without the DejaVu files the PDF falls back to the PDF base fonts
(Helvetica, Courier) with a logged warning: still a complete record, but the viewer's font
substitutes decide how it looks.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian/Ubuntu fonts-dejavu-core
    Path("/usr/share/fonts/dejavu"),  # Fedora, Arch
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
)
"""Where the DejaVu files are looked for (``BEDSIDE_FONT_DIR`` is tried first)."""

# Only the four faces fonts-dejavu-core ships: the oblique faces are in fonts-dejavu-extra.
_FACES = {
    "BedsideSans": "DejaVuSans.ttf",
    "BedsideSans-Bold": "DejaVuSans-Bold.ttf",
    "BedsideMono": "DejaVuSansMono.ttf",
    "BedsideMono-Bold": "DejaVuSansMono-Bold.ttf",
}


@dataclass(frozen=True)
class FontSet:
    """Registered font names to use in styles, and whether they are embedded TrueType."""

    regular: str
    bold: str
    mono: str
    mono_bold: str
    embedded: bool


FALLBACK = FontSet("Helvetica", "Helvetica-Bold", "Courier", "Courier-Bold", embedded=False)


def _search_dirs() -> list[Path]:
    extra = os.environ.get("BEDSIDE_FONT_DIR", "")
    return ([Path(extra)] if extra else []) + list(FONT_DIRS)


def _find(file_name: str, dirs: list[Path]) -> Path | None:
    for folder in dirs:
        candidate = folder / file_name
        if candidate.is_file():
            return candidate
    return None


@cache
def pdf_fonts() -> FontSet:
    """Register the DejaVu faces once per process and say which fonts to use.

    Returns
    -------
    FontSet
        The embedded DejaVu faces, or :data:`FALLBACK` (with a logged warning) when a file is
        missing or cannot be read.
    """
    dirs = _search_dirs()
    found = {name: _find(file, dirs) for name, file in _FACES.items()}
    missing = [_FACES[name] for name, path in found.items() if path is None]
    if missing:
        log.warning(
            "DejaVu fonts not found (%s in %s): the PDF uses Helvetica, which is not embedded. "
            "Install fonts-dejavu-core.",
            ", ".join(missing),
            ", ".join(str(d) for d in dirs),
        )
        return FALLBACK
    try:
        for name, path in found.items():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(
            "BedsideSans",
            normal="BedsideSans",
            bold="BedsideSans-Bold",
            italic="BedsideSans",
            boldItalic="BedsideSans-Bold",
        )
        pdfmetrics.registerFontFamily(
            "BedsideMono",
            normal="BedsideMono",
            bold="BedsideMono-Bold",
            italic="BedsideMono",
            boldItalic="BedsideMono-Bold",
        )
    except Exception as exc:  # a damaged font file must not stop a printout
        log.warning("DejaVu fonts could not be loaded (%s): the PDF uses Helvetica.", exc)
        return FALLBACK
    return FontSet("BedsideSans", "BedsideSans-Bold", "BedsideMono", "BedsideMono-Bold", True)
