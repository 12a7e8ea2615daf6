"""The session window's action buttons: what is charted at each check on one row, the steps that
move the session on below it; both on one row whenever the buttons offered fit the window's
width, so a small screen keeps its height for the form or the record above."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout


class ButtonRows:
    """Two rows of buttons, drawn as one when they fit."""

    def __init__(self, layout: QVBoxLayout) -> None:
        self.chart_row = QHBoxLayout()
        self.step_row = QHBoxLayout()
        for row in (self.chart_row, self.step_row):
            row.addStretch(1)
            layout.addLayout(row)
        self.chart: list[QPushButton] = []
        self.step: list[QPushButton] = []
        self.one_row = False
        """Whether the step buttons are drawn on the charting row."""

    def add(self, button: QPushButton, row: str) -> None:
        """A button on its row (``"chart"`` or ``"step"``)."""
        if row == "chart":
            self.chart.append(button)
            self.chart_row.insertWidget(self.chart_row.count() - self._steps_here(), button)
        else:
            self.step.append(button)
            (self.chart_row if self.one_row else self.step_row).addWidget(button)

    def _steps_here(self) -> int:
        return len(self.step) if self.one_row else 0

    def arrange(self, width: int, limit: int) -> None:
        """One row when the buttons offered fit ``width`` pixels and ``limit``, two otherwise.
        ``limit`` is the window's minimum width as it is: one row never makes it wider (the
        window could not be narrowed again)."""
        shown = [b for b in (*self.chart, *self.step) if not b.isHidden()]
        spacing = max(self.chart_row.spacing(), 0)
        needed = sum(b.sizeHint().width() + spacing for b in shown)
        one_row = needed <= min(width, limit)
        if one_row == self.one_row:
            return
        source, target = (
            (self.step_row, self.chart_row) if one_row else (self.chart_row, self.step_row)
        )
        for button in self.step:
            source.removeWidget(button)
            target.addWidget(button)
        self.one_row = one_row
