"""The trend plot draws the charting series: traces, alert marks and the pause band."""

from __future__ import annotations

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from bedside.service import ChartService
from charting.series import build_series
from ui.common.theme import PALETTES
from ui.session.trend_plot import TrendPlot


def count_colour(plot: TrendPlot, name: str) -> int:
    image = plot.grab().toImage()
    target = QColor(PALETTES[plot.theme][name]).rgb()
    return sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixel(x, y) == target
    )


def test_plot_draws_the_reference_session(qtbot: QtBot, ui_service: ChartService) -> None:
    patient = ui_service.store.patient_by_mrn("MRN-1002")
    assert patient is not None
    (header,) = ui_service.store.sessions_for_patient(patient.id)
    ctx = ui_service.context(header.id)
    plot = TrendPlot("dim")
    qtbot.addWidget(plot)
    plot.resize(520, 240)
    plot.show()
    assert count_colour(plot, "danger") == 0  # nothing drawn before a series is set
    plot.set_series(build_series(ctx.state, ctx.protocol))
    assert count_colour(plot, "danger") > 50  # BP traces and the pause alert mark
    assert count_colour(plot, "warning_bg") > 50  # the 5-minute pause, shaded
