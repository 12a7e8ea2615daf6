"""The shipped DejaVu faces are registered for the UI, and the UI's type follows the user's own
font size (issue 13 items 6 and 9): no fixed point size anywhere in ui/ or the style sheets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from ui.common import theme
from ui.common.fonts import register_shipped_fonts

REPO = Path(__file__).resolve().parents[2]


def test_start_up_registers_the_shipped_dejavu_faces(qapp: QApplication) -> None:
    families = register_shipped_fonts()
    assert {"DejaVu Sans", "DejaVu Sans Mono"} <= set(families)
    assert {"DejaVu Sans", "DejaVu Sans Mono"} <= set(QFontDatabase.families())
    assert QFontInfo(QFont("DejaVu Sans Mono")).family() == "DejaVu Sans Mono"


@pytest.fixture
def user_font_14(qapp: QApplication) -> Iterator[QApplication]:
    """The platform's application font at 14 pt (as a user with a larger system font has it);
    the font and the style sheet are put back afterwards."""
    saved_font, saved_sheet = QFont(qapp.font()), qapp.styleSheet()
    font = QFont(qapp.font())
    font.setPointSizeF(14)
    qapp.setFont(font)
    yield qapp
    qapp.setFont(saved_font)
    qapp.setStyleSheet(saved_sheet)


def test_the_theme_keeps_the_users_font_size(qtbot: QtBot, user_font_14: QApplication) -> None:
    theme.apply(user_font_14, "dim")
    assert user_font_14.font().pointSizeF() == 14
    label = QLabel("SpO₂ 97 %")
    qtbot.addWidget(label)
    label.show()
    assert label.font().pointSizeF() == 14
    sizes = theme.font_sizes()
    assert sizes["font_size"] == "14"
    assert int(sizes["font_small"]) < 14 < int(sizes["font_large"]) < int(sizes["font_huge"])


def test_the_type_sizes_scale_with_the_user_font() -> None:
    assert theme.font_sizes(11) == {
        "font_size": "11",
        "font_small": "10",
        "font_large": "14",
        "font_huge": "24",
    }  # the look the app had at the usual 11 pt
    assert theme.font_sizes(9)["font_size"] == "9"
    assert "font-size: 16pt" in theme.stylesheet("light", 16)


LITERAL_SIZES = re.compile(
    r"font-size\s*:\s*\d"  # a style sheet or rich text size in points or pixels
    r"|setPoint(?:Size|SizeF)\(\s*\d"
    r"|setPixelSize\(\s*\d"
    r"|QFont\([^)]*,\s*\d"  # QFont(family, 11)
)


def test_no_fixed_type_size_in_the_ui_or_the_style_sheets() -> None:
    files = [*(REPO / "ui").rglob("*.py"), *(REPO / "resources" / "qss").glob("*.qss")]
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if LITERAL_SIZES.search(line)
    ]
    assert found == []
