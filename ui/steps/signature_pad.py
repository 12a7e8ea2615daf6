"""The patient's handwritten signature, by mouse, pen or finger.

Strokes are kept as points in a unit box (0..1 on both axes), the form the core stores
(``SignaturePad``), so the PDF and any screen redraw the same signature at any size. Points
closer together than a small step are dropped: a signature stays a few kilobytes. The pad is
drawn in the theme's field and text colours (dark with light ink in the dim theme).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

Stroke = list[tuple[float, float]]

MIN_STEP = 0.004
"""Smallest movement kept, in unit-box units (about 2 px on a 500 px pad)."""

MAX_STROKES = 200
"""The core's limit on strokes per signature."""


class SignaturePad(QWidget):
    """Draw with the left button, pen or finger (touch arrives as synthesised mouse events)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[Stroke] = []
        self.setObjectName("signaturePad")
        self.setMinimumSize(360, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName("Patient signature pad")

    # --- the stored form -------------------------------------------------------------------------

    def strokes(self) -> list[Stroke]:
        """The strokes with at least two points, as the core stores them."""
        return [list(s) for s in self._strokes if len(s) >= 2]

    def set_strokes(self, strokes: list[Stroke]) -> None:
        """Show a stored signature."""
        self._strokes = [list(s) for s in strokes]
        self.update()
        self.changed.emit()

    def is_empty(self) -> bool:
        """No usable stroke yet."""
        return not self.strokes()

    def clear(self) -> None:
        """Start again."""
        self.set_strokes([])

    # --- input -----------------------------------------------------------------------------------

    def _unit(self, pos: QPointF) -> tuple[float, float]:
        w, h = max(self.width(), 1), max(self.height(), 1)
        return (min(max(pos.x() / w, 0.0), 1.0), min(max(pos.y() / h, 0.0), 1.0))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and len(self._strokes) < MAX_STROKES:
            self._strokes.append([self._unit(event.position())])
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not event.buttons() & Qt.MouseButton.LeftButton or not self._strokes:
            return
        x, y = self._unit(event.position())
        last_x, last_y = self._strokes[-1][-1]
        if abs(x - last_x) + abs(y - last_y) >= MIN_STEP:
            self._strokes[-1].append((x, y))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._strokes:
            stroke = self._strokes[-1]
            if len(stroke) == 1:  # a dot: keep it visible and storable
                x, y = stroke[0]
                stroke.append((min(x + MIN_STEP, 1.0), y))
            self.update()
            self.changed.emit()

    # --- drawing ---------------------------------------------------------------------------------

    def pad_colours(self) -> tuple[QColor, QColor, QColor]:
        """The pad's paper, ink and guide colours, from the theme's palette.

        The field colour and the text colour of the theme (``ui.common.theme.apply``): white
        paper and near-black ink by day; at night a dark field with light ink, so the pad never
        flashes white in a dim room and the ink still reads clearly. Only the drawing follows
        the theme: the strokes are stored as points, and the PDF prints them dark on white.
        """
        palette = self.palette()
        paper = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Base)
        ink = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
        guide = QColor(
            (paper.red() + ink.red()) // 2,
            (paper.green() + ink.green()) // 2,
            (paper.blue() + ink.blue()) // 2,
        )
        return paper, ink, guide

    def paintEvent(self, event: QPaintEvent) -> None:
        paper, ink, guide = self.pad_colours()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.fillRect(box, paper)
        painter.setPen(QPen(guide, 1, Qt.PenStyle.DashLine))
        baseline = box.top() + box.height() * 0.78
        painter.drawLine(QPointF(box.left() + 16, baseline), QPointF(box.right() - 16, baseline))
        painter.drawRect(box)
        if self.is_empty():
            painter.setPen(QPen(guide))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "Patient signs here")
        painter.setPen(
            QPen(
                ink, 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
            )
        )
        w, h = self.width(), self.height()
        for stroke in self._strokes:
            path = QPainterPath(QPointF(stroke[0][0] * w, stroke[0][1] * h))
            for x, y in stroke[1:]:
                path.lineTo(QPointF(x * w, y * h))
            painter.drawPath(path)
        painter.end()
