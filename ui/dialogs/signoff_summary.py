"""What is signed, drawn above the password of the clinician's sign-off and of the charting
nurse's signature: the sections of :func:`charting.signoff.signoff_summary`, each under its
heading, in a box that scrolls when the session was eventful.

A line that needs attention (an open alert, a missed or mandatory check, an override, an open
drug remainder) starts with ⚠, is bold, and says so in its own words; the danger colour is
added on top, never instead. Its section's heading carries the ⚠ too, so it is found without
scrolling through every line.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDialog, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from charting.signoff import SignoffSummary, SummaryLine, SummarySection
from ui.common import screen_fit

ATTENTION = "⚠"
"""The mark of a line (and its section) that needs attention."""

_SHARE_OF_SCREEN = 0.5
"""The box is at most this share of the screen's height: the password stays in view below."""

_DIALOG_SHARE = 0.9
"""A dialog with a summary may take this share of the screen's height (Qt would stop at two
thirds, and squeeze the summary to a few lines)."""


def _line_label(text: str, attention: bool = False, muted: bool = False) -> QLabel:
    label = QLabel(text)
    label.setObjectName("summaryLine")
    label.setTextFormat(Qt.TextFormat.PlainText)  # the record's own words, never markup
    label.setWordWrap(True)
    label.setIndent(14)  # under its heading, so sections read apart
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setProperty("attention", "yes" if attention else "no")
    if muted:
        label.setProperty("role", "muted")
    return label


def line_text(line: SummaryLine) -> str:
    """A line as shown: marked with ⚠ when it needs attention."""
    return f"{ATTENTION} {line.text}" if line.attention else line.text


def _section_widget(section: SummarySection) -> QWidget:
    box = QWidget()
    box.setObjectName(f"summary_{section.key}")
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 6)
    column.setSpacing(2)
    title = f"{ATTENTION} {section.title}" if section.attention else section.title
    heading = QLabel(f"<b>{escape(title)}</b>")
    heading.setObjectName("summaryHeading")
    heading.setTextFormat(Qt.TextFormat.RichText)
    heading.setProperty("attention", "yes" if section.attention else "no")
    column.addWidget(heading)
    for line in section.lines:
        column.addWidget(_line_label(line_text(line), attention=line.attention))
    if not section.lines:
        column.addWidget(_line_label(section.empty, muted=True))
    return box


def fit_dialog(dialog: QDialog, width: int) -> None:
    """Open ``dialog`` ``width`` wide and as tall as it needs, up to most of the screen (then
    its summary scrolls)."""
    cap = int(screen_fit.available(dialog).height() * _DIALOG_SHARE)
    dialog.resize(max(width, dialog.sizeHint().width()), min(dialog.sizeHint().height(), cap))


class SummaryView(QScrollArea):
    """The summary's sections, scrolling inside a box at most half the screen high."""

    def __init__(self, summary: SignoffSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signoffSummary")
        self.summary = summary
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        inner.setObjectName("signoffSummaryPage")
        column = QVBoxLayout(inner)
        column.setContentsMargins(10, 8, 10, 8)
        for section in summary.sections:
            column.addWidget(_section_widget(section))
        column.addStretch(1)
        self.setWidget(inner)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # scrolled with the keyboard too
        self.setMinimumHeight(160)

    def sizeHint(self) -> QSize:
        """As tall as the sections, up to half the screen (then it scrolls)."""
        hint = super().sizeHint()
        inner = self.widget()
        wanted = inner.sizeHint().height() + 2 * self.frameWidth() if inner else hint.height()
        cap = int(screen_fit.available(self).height() * _SHARE_OF_SCREEN)
        return QSize(hint.width(), min(wanted, cap))

    def section_text(self, key: str) -> str:
        """A section as shown (heading and lines, one a line): what tests and readers see."""
        box = self.findChild(QWidget, f"summary_{key}")
        if box is None:
            return ""
        labels = box.findChildren(QLabel)
        heading = [lbl for lbl in labels if lbl.objectName() == "summaryHeading"]
        lines = [lbl.text() for lbl in labels if lbl.objectName() == "summaryLine"]
        title = heading[0].text().removeprefix("<b>").removesuffix("</b>") if heading else ""
        return "\n".join([title, *lines])
