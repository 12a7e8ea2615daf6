"""Themes: a dim, low-disturbance theme for dark rooms and a light one for daytime.

Stylesheets are plain ``.qss`` files in ``resources/qss`` concatenated in name order, with
``{{name}}`` placeholders filled from one palette, so colours are chosen in one place.
"""

from __future__ import annotations

import re
from importlib import resources

from PySide6.QtGui import QColor, QFontInfo, QPalette
from PySide6.QtWidgets import QApplication

PALETTES: dict[str, dict[str, str]] = {
    # Dim: low luminance, warm-neutral greys, no pure white; red/amber kept desaturated so an
    # alert is visible without lighting the room.
    "dim": {
        "window": "#15171a",
        "panel": "#1e2125",
        "field": "#24282d",
        "button": "#2a2f35",
        "border": "#3a4048",
        "text": "#c9ccd1",
        "muted": "#8a9099",
        "accent": "#6f9fd8",
        "accent_bg": "#27384d",
        "ok": "#6fae7a",
        "warning": "#d9a441",
        "warning_bg": "#2e2717",
        "danger": "#e0645c",
        "danger_bg": "#351c1b",
        # Check escalation (charting.escalation), one set for the board, the locked board and
        # the session window: amber when due, red when late, and urgent inverted (the red as
        # the background) alternating with a deeper red that the normal text still reads on.
        "due": "#d9a441",
        "due_bg": "#2e2717",
        "late": "#e0645c",
        "late_bg": "#351c1b",
        "urgent_bg": "#e0645c",
        "urgent_text": "#15171a",
        "urgent_flash_bg": "#6b2420",
        # "Go here first": the text colour as a band, whatever the chair's level.
        "first_bg": "#c9ccd1",
        "first_text": "#15171a",
        # Trend plot series (charting.plot_key hues, colour-blind safe), lightened for a dark
        # panel: each at least 4.5:1 against it without glowing.
        "plot_vermillion": "#e58a5c",
        "plot_purple": "#d08cc0",
        "plot_blue": "#6fa8dc",
        "plot_green": "#5db894",
    },
    "light": {
        "window": "#f4f5f7",
        "panel": "#ffffff",
        "field": "#ffffff",
        "button": "#eceef1",
        "border": "#c3c8cf",
        "text": "#1d2024",
        "muted": "#5c636d",
        "accent": "#1f5fae",
        "accent_bg": "#d7e5f7",
        "ok": "#2f7a3c",
        "warning": "#9a5b00",
        "warning_bg": "#fff3dc",
        "danger": "#b3261e",
        "danger_bg": "#fde7e5",
        "due": "#9a5b00",
        "due_bg": "#fff3dc",
        "late": "#b3261e",
        "late_bg": "#fde7e5",
        "urgent_bg": "#b3261e",
        "urgent_text": "#ffffff",
        "urgent_flash_bg": "#f5b8b1",
        "first_bg": "#1d2024",
        "first_text": "#ffffff",
        # Trend plot series: Okabe–Ito blue, Tol purple, a darkened vermillion and bluish
        # green, each at least 4.5:1 on white.
        "plot_vermillion": "#b85000",
        "plot_purple": "#aa3377",
        "plot_blue": "#0072b2",
        "plot_green": "#007f5f",
    },
}
ESCALATION_KEYS = {
    "due": ("due", "due_bg"),
    "late": ("late", "late_bg"),
    "urgent": ("urgent_text", "urgent_bg"),
}
"""Each escalation level's (text, background) palette keys (``Escalation.key``; "none" has
none): the style sheets use the same keys as placeholders."""

TYPE_SCALE = {"font_size": 1.0, "font_small": 0.9, "font_large": 1.27, "font_huge": 2.18}
"""Each type size placeholder as a multiple of the user's own font size (the platform's, as
``QApplication.font()`` has it): nothing is a fixed point size, so a larger system font makes
the whole app larger. At the common 11 pt these are 11, 10, 14 and 24 pt."""


def base_point_size() -> float:
    """The user's font size in points: the application font the platform chose (a font set in
    pixels is converted at the screen's resolution)."""
    return QFontInfo(QApplication.font()).pointSizeF()


def points(scale: float, base: float | None = None) -> int:
    """``scale`` times the user's font size (``base``, else :func:`base_point_size`), in whole
    points, for a style sheet or rich text that must be larger or smaller than the rest."""
    return max(1, round((base_point_size() if base is None else base) * scale))


def font_sizes(base: float | None = None) -> dict[str, str]:
    """The type size placeholders (``TYPE_SCALE``) in points for a user font of ``base`` pt."""
    base = base_point_size() if base is None else base
    return {name: str(points(scale, base)) for name, scale in TYPE_SCALE.items()}


def stylesheet(theme: str, base: float | None = None) -> str:
    """The full stylesheet of ``theme`` with every placeholder filled; type sizes follow the
    user's font size (``base`` points, else the application font's)."""
    folder = resources.files("resources").joinpath("qss")
    # Images in the sheet (the check box tick) are named by the folder's real path.
    values = {**PALETTES[theme], **font_sizes(base), "qss_dir": str(folder).replace("\\", "/")}
    parts = sorted((f for f in folder.iterdir() if f.name.endswith(".qss")), key=lambda f: f.name)
    text = "\n".join(f.read_text("utf-8") for f in parts)
    missing = set(re.findall(r"\{\{(\w+)\}\}", text)) - set(values)
    if missing:
        raise KeyError(f"stylesheet placeholders without a value: {sorted(missing)}")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], text)


def escalation_colours(theme: str, level: str) -> tuple[str, str] | None:
    """The (text, background) colours of an escalation level (``Escalation.key``) in
    ``theme``, or None for "none"."""
    keys = ESCALATION_KEYS.get(level)
    if keys is None:
        return None
    return PALETTES[theme][keys[0]], PALETTES[theme][keys[1]]


def colour(theme: str, name: str) -> QColor:
    """One palette colour as a QColor (for painting plots)."""
    return QColor(PALETTES[theme][name])


def apply(app: QApplication, theme: str) -> None:
    """Apply ``theme`` to the whole application: its palette and its stylesheet."""
    apply_palette(app, theme)
    app.setStyleSheet(stylesheet(theme))


def apply_palette(app: QApplication, theme: str) -> None:
    """Only the palette of ``theme``: enough for the app's first window (its colours and type
    are the palette's), which is drawn before the stylesheet is read and parsed (~12 ms)."""
    p = PALETTES[theme]
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(p["window"]))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(p["text"]))
    palette.setColor(QPalette.ColorRole.Base, QColor(p["field"]))
    palette.setColor(QPalette.ColorRole.Text, QColor(p["text"]))
    palette.setColor(QPalette.ColorRole.Button, QColor(p["button"]))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(p["text"]))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(p["accent_bg"]))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(p["text"]))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor(p["panel"]))
    palette.setColor(QPalette.ColorRole.ToolTipText, QColor(p["text"]))
    app.setPalette(palette)
