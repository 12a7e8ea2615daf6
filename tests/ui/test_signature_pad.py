"""The signature pad follows the theme: white paper by day, a dim field with light ink at night
(never a white flash in a dark room), the stored strokes the same either way."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.common.theme import PALETTES, stylesheet
from ui.steps.signature_pad import SignaturePad

STROKES = [[(0.1, 0.5), (0.3, 0.2), (0.5, 0.5), (0.7, 0.2), (0.9, 0.5)]]


def contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        channels = [c.redF(), c.greenF(), c.blueF()]
        linear = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def themed_pad(qtbot: QtBot, theme: str) -> tuple[QWidget, SignaturePad]:
    """A pad inside a window styled as the app styles itself (the sheet on a parent, so the
    application's own style is left alone)."""
    holder = QWidget()
    holder.setStyleSheet(stylesheet(theme))
    pad = SignaturePad()
    QVBoxLayout(holder).addWidget(pad)
    qtbot.addWidget(holder)
    holder.resize(500, 200)
    holder.show()
    pad.set_strokes([list(s) for s in STROKES])
    return holder, pad


@pytest.mark.parametrize("theme", ["dim", "light"])
def test_the_pad_is_drawn_in_the_theme(qtbot: QtBot, theme: str) -> None:
    _holder, pad = themed_pad(qtbot, theme)
    image = pad.grab().toImage()
    paper = QColor(image.pixel(8, 8))
    assert paper == QColor(PALETTES[theme]["field"])
    # The ink: the darkest (day) or lightest (night) pixel under the strokes, clearly visible.
    w, h = image.width(), image.height()
    along = [QColor(image.pixel(int(x * w), int(y * h))) for x, y in STROKES[0]]
    best = max(contrast(c, paper) for c in along)
    assert best >= 7.0
    assert pad.strokes() == STROKES  # what is stored does not depend on the theme


def test_the_dim_pad_never_flashes_white(qtbot: QtBot) -> None:
    _holder, pad = themed_pad(qtbot, "dim")
    image = pad.grab().toImage()
    lightest = max(
        QColor(image.pixel(x, y)).lightness()
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
    )
    assert lightest < 215  # the ink is the lightest thing on the pad, and it is not white
    paper, ink, _ = pad.pad_colours()
    assert paper.lightness() < 60
    assert contrast(ink, paper) >= 7.0
