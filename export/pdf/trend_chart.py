"""The trend chart drawn with reportlab graphics from ``charting.build_series``: the same
series, marks and fixed value axes the app's trend plot draws (``ui/trend_plot.py``).

Upper band: systolic ▼ and diastolic ▲ blood pressure and heart rate ● (40–220); lower band:
SpO₂ (80–100 %). Pauses are shaded, the infusion start and stop are dashed lines, alerts are
triangles above the plot (filled: pause level; hollow: notify), rescue medicines are diamonds
at the foot of the upper band. Late entries and off-scale values are drawn hollow.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from bedside.protocol import AlertLevel
from charting.marks import TimelineMarks
from charting.series import AxisRange, SessionSeries, VitalPoint
from export.pdf.chart_parts import axis_caption, chart_text, grid_line, plot_frame, value_label
from export.pdf.fonts import FontSet
from export.pdf.styles import DANGER, INK, MUTED, OK, WARNING

BP_COLOUR = colors.HexColor("#b3261e")
HR_COLOUR = colors.HexColor("#1f4e9c")
SPO2_COLOUR = colors.HexColor("#1e6b35")
PRN_COLOUR = colors.HexColor("#6a3d9a")
PAUSE_SHADE = colors.HexColor("#fbe9c6")

LEFT, RIGHT, TOP, BOTTOM = 36.0, 10.0, 40.0, 24.0
MARKER = 2.8


class _Frame:
    """Maps minutes and values to drawing coordinates for one band."""

    def __init__(
        self, x0: float, x1: float, y0: float, y1: float, time: AxisRange, values: AxisRange
    ) -> None:
        self.x0, self.x1, self.y0, self.y1 = x0, x1, y0, y1
        self.time, self.values = time, values

    def x(self, minutes: float) -> float:
        span = max(self.time.high - self.time.low, 1.0)
        return self.x0 + (minutes - self.time.low) / span * (self.x1 - self.x0)

    def y(self, value: float) -> tuple[float, bool]:
        clamped = self.values.clamp(value)
        span = self.values.high - self.values.low
        return self.y0 + (clamped - self.values.low) / span * (self.y1 - self.y0), clamped != value


def _marker(kind: str, x: float, y: float, colour: Color, filled: bool, size: float) -> Group:
    fill = colour if filled else colors.white
    if kind == "o":
        shape: Circle | Polygon = Circle(x, y, size * 0.85)
    elif kind == "v":
        shape = Polygon([x, y - size, x - size, y + size * 0.8, x + size, y + size * 0.8])
    elif kind == "^":
        shape = Polygon([x, y + size, x - size, y - size * 0.8, x + size, y - size * 0.8])
    else:  # diamond
        shape = Polygon([x, y + size, x + size, y, x, y - size, x - size, y])
    shape.fillColor = fill
    shape.strokeColor = colour
    shape.strokeWidth = 0.8
    return Group(shape)


def _trace(
    points: Sequence[VitalPoint], frame: _Frame, colour: Color, kind: str, group: Group
) -> None:
    previous: tuple[float, float] | None = None
    markers: list[Group] = []
    for point in points:
        x = frame.x(point.minutes)
        y, off_scale = frame.y(point.value)
        if previous is not None:
            group.add(Line(*previous, x, y, strokeColor=colour, strokeWidth=0.9))
        previous = (x, y)
        markers.append(_marker(kind, x, y, colour, not (off_scale or point.late), MARKER))
    for marker in markers:  # markers over the lines
        group.add(marker)


def _legend(drawing: Drawing, fonts: FontSet, y: float, right: float) -> None:
    """One row of legend entries, measured so they never overlap (two rows if needed)."""
    entries: list[tuple[str, Color, bool, str]] = [
        ("v", BP_COLOUR, True, "Systolic BP"),
        ("^", BP_COLOUR, True, "Diastolic BP"),
        ("o", HR_COLOUR, True, "Heart rate"),
        ("o", SPO2_COLOUR, True, "SpO₂ (lower band)"),
        ("^", DANGER, True, "Alert: pause"),
        ("^", WARNING, False, "Alert: notify"),
        ("d", PRN_COLOUR, True, "PRN medicine"),
        ("o", INK, False, "Late entry or off scale"),
        ("box", PAUSE_SHADE, True, "Infusion paused"),
    ]
    size = 6.6
    x = LEFT
    for kind, colour, filled, label in entries:
        needed = 10 + stringWidth(label, fonts.regular, size)
        if x + needed > right:
            x, y = LEFT, y - 9
        if kind == "box":
            drawing.add(Rect(x, y - 0.5, 7, 6, fillColor=colour, strokeColor=None))
        else:
            drawing.add(_marker(kind, x + 3, y + 2.5, colour, filled, 2.8))
        drawing.add(chart_text(x + 10, y, label, fonts.regular, size, MUTED))
        x += needed + 9


def _vertical(x: float, y: float, text: str, font: str, size: float) -> Group:
    """A label written bottom-to-top, centred on (x, y)."""
    label = String(0, 0, text, fontName=font, fontSize=size, fillColor=MUTED, textAnchor="middle")
    group = Group(label)
    group.translate(x, y)
    group.rotate(90)
    return group


def trend_chart(series: SessionSeries, fonts: FontSet, width: float, height: float) -> Drawing:
    """The trend chart of one session.

    Parameters
    ----------
    series : SessionSeries
        From ``charting.build_series`` (effective readings; marks on the time axis).
    fonts : FontSet
        The registered fonts.
    width, height : float
        Size of the drawing in points.

    Returns
    -------
    Drawing
        A reportlab drawing (a flowable) of the chart.
    """
    drawing = Drawing(width, height)
    main, low = _bands(series, width, height)
    marks = series.marks
    _legend(drawing, fonts, height - 9, main.x1)
    _pause_shading(drawing, marks, main, low)
    _value_grid(drawing, main, low, fonts)
    _time_axis(drawing, series, main, low, fonts)
    _infusion_marks(drawing, marks, main, low, fonts)
    for frame in (main, low):
        drawing.add(plot_frame(frame.x0, frame.y0, frame.x1, frame.y1))
    drawing.add(_vital_traces(series, main, low))
    _alerts(drawing, marks, main)
    _rescue_medicines(drawing, marks, main, fonts)
    return drawing


def _bands(series: SessionSeries, width: float, height: float) -> tuple[_Frame, _Frame]:
    """The upper band (blood pressure and heart rate) and the lower band (SpO₂)."""
    x0, x1 = LEFT, width - RIGHT
    plot_top, plot_bottom = height - TOP, BOTTOM
    gap = 7.0
    usable = plot_top - plot_bottom - gap
    low_top = plot_bottom + usable * 0.3
    time = series.time_axis
    main = _Frame(x0, x1, low_top + gap, plot_top, time, series.value_axis("systolic").range)
    low = _Frame(x0, x1, plot_bottom, low_top, time, series.value_axis("spo2").range)
    return main, low


def _pause_shading(drawing: Drawing, marks: TimelineMarks, main: _Frame, low: _Frame) -> None:
    """The infusion pauses, shaded across both bands (an open pause to the end of the axis)."""
    for pause in marks.pauses:
        end = pause.end_minutes if pause.end_minutes is not None else main.time.high
        xa, xb = main.x(pause.start_minutes), main.x(end)
        drawing.add(
            Rect(xa, low.y0, xb - xa, main.y1 - low.y0, fillColor=PAUSE_SHADE, strokeColor=None)
        )


def _value_grid(drawing: Drawing, main: _Frame, low: _Frame, fonts: FontSet) -> None:
    """The value grid lines and labels of both bands, and each band's vertical caption."""
    for band, values in ((main, (60, 100, 140, 180, 220)), (low, (90, 100))):
        for value in values:
            y, _ = band.y(value)
            drawing.add(grid_line(main.x0, main.x1, y))
            drawing.add(value_label(main.x0, y, value, fonts))
    drawing.add(_vertical(7, (main.y0 + main.y1) / 2, "BP mmHg · HR /min", fonts.regular, 6.0))
    drawing.add(_vertical(7, (low.y0 + low.y1) / 2, "SpO₂ %", fonts.regular, 6.0))


def _time_axis(
    drawing: Drawing, series: SessionSeries, main: _Frame, low: _Frame, fonts: FontSet
) -> None:
    """Minute ticks and labels under the lower band, and what minute 0 is."""
    time = series.time_axis
    span = time.high - time.low
    step = 10 if span <= 120 else 20 if span <= 240 else 30
    minute = int(time.low // step) * step
    while minute <= time.high:
        if minute >= time.low:
            x = main.x(minute)
            drawing.add(Line(x, low.y0, x, low.y0 - 2, strokeColor=MUTED, strokeWidth=0.5))
            label = f"{minute:+d}′" if minute else "0′"
            drawing.add(chart_text(x, low.y0 - 9, label, fonts.regular, 6.4, MUTED, "middle"))
        minute += step
    zero = "the infusion start" if series.anchored_to_infusion else "the session opening"
    drawing.add(axis_caption(main.x1, f"minutes from {zero}", fonts))


def _infusion_marks(
    drawing: Drawing, marks: TimelineMarks, main: _Frame, low: _Frame, fonts: FontSet
) -> None:
    """The infusion start and stop as dashed lines, the pauses named, and each rate change."""
    for mark, label in ((marks.infusion_start, "start"), (marks.infusion_stop, "stop")):
        if mark is None:
            continue
        x = main.x(mark.minutes)
        drawing.add(
            Line(x, low.y0, x, main.y1, strokeColor=OK, strokeWidth=0.9, strokeDashArray=[3, 2])
        )
        drawing.add(chart_text(x + 2, main.y1 - 7, label, fonts.bold, 6.4, OK))
    for pause in marks.pauses:
        drawing.add(
            chart_text(
                main.x(pause.start_minutes) + 2, main.y1 - 14, "paused", fonts.regular, 6.0, WARNING
            )
        )
    for rate in marks.rate_changes:
        x = main.x(rate.minutes)
        drawing.add(Line(x, main.y1, x, main.y1 - 4, strokeColor=INK, strokeWidth=0.6))
        drawing.add(
            chart_text(x + 2, main.y1 - 21, f"{rate.rate_ml_h:g} mL/h", fonts.regular, 6.0, INK)
        )


def _vital_traces(series: SessionSeries, main: _Frame, low: _Frame) -> Group:
    """Heart rate, systolic and diastolic pressure in the upper band; SpO₂ in the lower."""
    traces = Group()
    _trace(series.vitals.points("heart_rate"), main, HR_COLOUR, "o", traces)
    _trace(series.vitals.points("systolic"), main, BP_COLOUR, "v", traces)
    _trace(series.vitals.points("diastolic"), main, BP_COLOUR, "^", traces)
    _trace(series.vitals.points("spo2"), low, SPO2_COLOUR, "o", traces)
    return traces


def _alerts(drawing: Drawing, marks: TimelineMarks, main: _Frame) -> None:
    """Alert triangles above the plot: filled at pause level, hollow for notify."""
    for alert in marks.alerts:
        colour = WARNING if alert.level is AlertLevel.NOTIFY else DANGER
        drawing.add(
            _marker(
                "^",
                main.x(alert.minutes),
                main.y1 + 5,
                colour,
                alert.level is not AlertLevel.NOTIFY,
                3.4,
            )
        )


def _rescue_medicines(drawing: Drawing, marks: TimelineMarks, main: _Frame, fonts: FontSet) -> None:
    """Rescue (PRN) medicines as diamonds at the foot of the upper band, named by first word."""
    for index, prn in enumerate(marks.prns):
        x = main.x(prn.minutes)
        # Alternate rows, so two doses close in time do not cover each other.
        y = main.y0 + 6 + (index % 2) * 9
        drawing.add(_marker("d", x, y, PRN_COLOUR, True, 3.0))
        drawing.add(
            chart_text(x + 5, y - 2.2, prn.label.split(" ")[0], fonts.regular, 6.0, PRN_COLOUR)
        )
