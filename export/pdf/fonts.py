"""Embedded TrueType fonts for the PDF: the DejaVu faces shipped in ``resources/fonts``.

Embedding makes every character (≤ ≥ × ÷ ▲ ▼ ₂ ′ ✓ and accented names) render the same in any
viewer and printer. The files ship with the app (licence in ``resources/fonts/LICENSE``), so
nothing is looked up in system folders and there is no fallback to a non-embedded base font: a
missing or unreadable file is an installation error (:class:`FontsMissingError`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from reportlab.graphics import shapes
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import tables

FACES: dict[str, str] = {
    "BedsideSans": "DejaVuSans.ttf",
    "BedsideSans-Bold": "DejaVuSans-Bold.ttf",
    "BedsideMono": "DejaVuSansMono.ttf",
    "BedsideMono-Bold": "DejaVuSansMono-Bold.ttf",
}
"""Each registered PDF font name and its shipped file (``resources/fonts``)."""


class FontsMissingError(RuntimeError):
    """A shipped font file is missing or unreadable: the installation is incomplete."""


@dataclass(frozen=True)
class FontSet:
    """Registered font names to use in styles (all embedded TrueType)."""

    regular: str
    bold: str
    mono: str
    mono_bold: str


def font_dir() -> Path:
    """The folder of the shipped font files, inside the installed ``resources`` package."""
    return Path(str(resources.files("resources").joinpath("fonts")))


def font_path(file_name: str) -> Path:
    """The shipped file ``file_name``; :class:`FontsMissingError` naming it when it is not there."""
    path = font_dir() / file_name
    if not path.is_file():
        raise FontsMissingError(
            f"The font file {file_name} is missing from {path.parent}: the Bedside installation "
            "is incomplete (reinstall it)."
        )
    return path


@cache
def pdf_fonts() -> FontSet:
    """Register the shipped DejaVu faces once per process and say which fonts to use.

    Raises
    ------
    FontsMissingError
        When a shipped file is missing or cannot be read.
    """
    for name, file_name in FACES.items():
        path = font_path(file_name)
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except Exception as exc:
            raise FontsMissingError(
                f"The font file {path} could not be read ({exc}): the Bedside installation is "
                "damaged (reinstall it)."
            ) from exc
    for family in ("BedsideSans", "BedsideMono"):
        pdfmetrics.registerFontFamily(
            family,
            normal=family,
            bold=f"{family}-Bold",
            italic=family,
            boldItalic=f"{family}-Bold",
        )
    _default_to("BedsideSans")
    return FontSet("BedsideSans", "BedsideSans-Bold", "BedsideMono", "BedsideMono-Bold")


def _default_to(name: str) -> None:
    """Make the shipped face reportlab's default where it would name Helvetica.

    A table cell's font and a drawing's starting font default to Helvetica even when nothing is
    drawn in it (every cell here is a paragraph, every chart label names its font); the PDF
    would still list Helvetica, not embedded, among its fonts.
    """
    tables.CellStyle.fontname = name
    shapes.STATE_DEFAULTS["fontName"] = name
