"""The trend plot draws the charting series and cannot be misread: series in their own colours
and shapes, a coloured legend of everything drawn, events in a lane of their own, and a
tooltip naming whatever is under the pointer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF
from PySide6.QtGui import QColor, QHelpEvent, QImage
from PySide6.QtWidgets import QToolTip
from pytestqt.qtbot import QtBot

from bedside.service import ChartService
from charting.plot_key import SERIES_STYLES, MarkKind
from charting.series import SessionSeries, build_series
from ui.common.theme import PALETTES
from ui.session.trend_glyphs import hue_colour
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


def reference_series(service: ChartService) -> SessionSeries:
    """The demo's signed reference session: a pause alert, a PRN, a side effect, a pause."""
    patient = service.store.patient_by_mrn("MRN-1002")
    assert patient is not None
    (header,) = service.store.sessions_for_patient(patient.id)
    ctx = service.context(header.id)
    return build_series(ctx.state, ctx.protocol)


def shown_plot(qtbot: QtBot, service: ChartService, theme: str = "dim") -> TrendPlot:
    plot = TrendPlot(theme, service.timezone)
    qtbot.addWidget(plot)
    plot.resize(620, 260)
    plot.show()
    plot.set_series(reference_series(service))
    return plot


def test_plot_draws_the_reference_session(qtbot: QtBot, ui_service: ChartService) -> None:
    plot = TrendPlot("dim")
    qtbot.addWidget(plot)
    plot.resize(520, 240)
    plot.show()
    assert count_colour(plot, "danger") == 0  # nothing drawn before a series is set
    plot.set_series(reference_series(ui_service))
    assert count_colour(plot, "plot_vermillion") > 50  # the systolic trace
    assert count_colour(plot, "danger") > 10  # the pause alert's octagon
    assert count_colour(plot, "warning_bg") > 50  # the 5-minute pause, shaded


def colours_in(image: QImage, box: QPointF, reach: int) -> set[int]:
    return {
        image.pixel(int(box.x()) + dx, int(box.y()) + dy)
        for dx in range(-reach, reach + 1)
        for dy in range(-reach, reach + 1)
    }


@pytest.mark.parametrize("theme", ["dim", "light"])
def test_the_legend_shows_every_series_in_its_colour(
    qtbot: QtBot, ui_service: ChartService, theme: str
) -> None:
    plot = shown_plot(qtbot, ui_service, theme)
    scene = plot.scene()
    assert scene is not None
    keys = [placed.entry.key for placed in scene.legend]
    assert keys[:4] == [s.key for s in SERIES_STYLES]
    for kind in (MarkKind.ALERT_PAUSE, MarkKind.PRN, MarkKind.SIDE_EFFECT):
        assert kind in keys
    image = plot.grab().toImage()
    for placed in scene.legend[:4]:
        colour = hue_colour(theme, placed.entry.glyph.hue).rgb()
        assert colour in colours_in(image, placed.swatch.center(), 3), placed.entry.key
    # Every legend swatch and its words lie inside the widget, none over another.
    for a, b in zip(scene.legend, scene.legend[1:], strict=False):
        assert not a.text.intersects(b.swatch)
    for placed in scene.legend:
        assert plot.rect().toRectF().contains(placed.text.adjusted(0, 0, -2, 0))


def test_event_marks_sit_in_their_own_lane(qtbot: QtBot, ui_service: ChartService) -> None:
    plot = shown_plot(qtbot, ui_service)
    scene = plot.scene()
    assert scene is not None
    assert {m.mark.kind for m in scene.marks} == {
        MarkKind.ALERT_PAUSE,
        MarkKind.PRN,
        MarkKind.SIDE_EFFECT,
    }
    pressure = scene.bands["pressure"]
    for placed in scene.marks:
        assert scene.lane.contains(placed.centre)
        assert placed.centre.y() < pressure.top()  # never among the values
    image = plot.grab().toImage()
    (alert,) = [m for m in scene.marks if m.mark.kind is MarkKind.ALERT_PAUSE]
    assert QColor(PALETTES["dim"]["danger"]).rgb() in colours_in(image, alert.centre, 4)


def help_event(plot: TrendPlot, at: QPointF) -> QHelpEvent:
    """What Qt sends when the pointer rests at ``at``, after the plot handled it."""
    local = at.toPoint()
    event = QHelpEvent(QEvent.Type.ToolTip, local, plot.mapToGlobal(local))
    assert plot.event(event)
    return event


def tooltip_after_help_event(plot: TrendPlot, at: QPointF) -> str:
    event = help_event(plot, at)
    assert event.isAccepted()
    assert QToolTip.isVisible()
    return QToolTip.text()


def test_a_tooltip_names_the_mark_under_the_pointer(qtbot: QtBot, ui_service: ChartService) -> None:
    plot = shown_plot(qtbot, ui_service)
    scene = plot.scene()
    assert scene is not None
    (prn,) = [m for m in scene.marks if m.mark.kind is MarkKind.PRN]
    # The demo session started its infusion at 07:00 New York time; the PRN was at +25.
    assert (
        tooltip_after_help_event(plot, prn.centre)
        == "07:25 (+25′) PRN ondansetron 4 mg IV for nausea"
    )
    (alert,) = [m for m in scene.marks if m.mark.kind is MarkKind.ALERT_PAUSE]
    words = plot.tooltip_at(alert.centre + QPointF(3, 2))
    assert words is not None
    assert words.startswith("07:30 (+30′) Alert — Pause infusion: Systolic BP 186")
    (effect,) = [m for m in scene.marks if m.mark.kind is MarkKind.SIDE_EFFECT]
    assert plot.tooltip_at(effect.centre) == (
        "07:22 (+22′) Side effect: Nausea (mild); resolved 07:50 (+50′)"
    )


def test_a_tooltip_names_the_value_under_the_pointer(
    qtbot: QtBot, ui_service: ChartService
) -> None:
    plot = shown_plot(qtbot, ui_service)
    scene = plot.scene()
    assert scene is not None
    systolic = scene.points[0]
    peak = max(systolic, key=lambda p: -p.centre.y())
    assert tooltip_after_help_event(plot, peak.centre) == "07:30 (+30′) Systolic BP 186 mmHg"
    spo2 = scene.points[3][0]
    assert plot.tooltip_at(spo2.centre) == "06:45 (-15′) SpO₂ 98% (baseline)"
    # Nothing under the pointer in the empty corner of the SpO₂ band: no tooltip.
    corner = scene.bands["spo2"].bottomRight() - QPointF(4, 4)
    assert plot.tooltip_at(corner) is None
    assert not help_event(plot, corner).isAccepted()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())


def test_a_tooltip_names_the_pump_line(qtbot: QtBot, ui_service: ChartService) -> None:
    plot = shown_plot(qtbot, ui_service)
    scene = plot.scene()
    assert scene is not None
    start = next(p for p in scene.pumps if p.mark.label == "start")
    on_line = QPointF(start.x, scene.bands["spo2"].bottom() - 3)
    assert plot.tooltip_at(on_line) == "07:00 (0′) Infusion started"


def test_both_themes_keep_series_distinct_and_legible() -> None:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for theme, palette in PALETTES.items():
        panel = luminance(palette["panel"])
        colours = [hue_colour(theme, s.glyph.hue).name() for s in SERIES_STYLES]
        assert len(set(colours)) == len(colours), theme
        for colour in colours:
            lighter, darker = sorted((luminance(colour), panel), reverse=True)
            assert (lighter + 0.05) / (darker + 0.05) >= 4.5, (theme, colour)


def test_the_tooltip_needs_no_time_zone(qtbot: QtBot, ui_service: ChartService) -> None:
    plot = TrendPlot("light")
    qtbot.addWidget(plot)
    plot.resize(620, 260)
    plot.set_series(reference_series(ui_service))
    scene = plot.scene()
    assert scene is not None
    (prn,) = [m for m in scene.marks if m.mark.kind is MarkKind.PRN]
    assert plot.tooltip_at(prn.centre) == "+25′ PRN ondansetron 4 mg IV for nausea"
    assert plot.tooltip_at(QPointF(QPoint(1, 1))) is None
