"""How the trend plot tells its series and marks apart, decided once for the screen and the PDF.

Each plotted series has its own colour *and* marker shape (and the heart rate its own dashed
line), so the plot reads in greyscale and for colour-blind viewers; the hues are from the
Okabe–Ito / Tol colour-blind-safe sets. Event marks (alerts, PRN medicines, side effects) are
drawn in a lane of their own above the values, in shapes no series uses; an alert's level is
also a letter and a fill (N hollow: notify; P or D filled: pause, do not start), never colour
alone. The renderers (``ui/session/trend_plot.py`` with Qt, ``export/pdf/trend_chart.py`` with
reportlab) only map a :class:`Hue` to a tint that reads on their background and a
:class:`Shape` to their toolkit's path.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bedside.protocol import AlertLevel
from charting.series import VALUE_AXES, AxisRange, SessionSeries, VitalPoint


class Shape(StrEnum):
    """A marker shape (the first four for series, the rest for marks only)."""

    TRIANGLE_DOWN = "triangle_down"
    TRIANGLE_UP = "triangle_up"
    CIRCLE = "circle"
    SQUARE = "square"
    OCTAGON = "octagon"  # alerts: a stop-sign shape, with a letter inside
    DIAMOND = "diamond"  # PRN medicines (the ◆ of paper records)
    CROSS = "cross"  # side effects (✕), at the time noted
    VLINE = "vline"  # the infusion start and stop: a dashed line across the plot
    SHADE = "shade"  # an infusion pause: a shaded stretch across the plot
    TICK = "tick"  # a pump rate change: a short tick with the new rate


class Hue(StrEnum):
    """A colour by name; each renderer picks the tint that reads on its background."""

    VERMILLION = "vermillion"
    PURPLE = "purple"
    BLUE = "blue"
    GREEN = "green"
    ALERT_RED = "alert_red"
    ALERT_AMBER = "alert_amber"
    PAUSE_SHADE = "pause_shade"
    INK = "ink"


SERIES_HUES: frozenset[Hue] = frozenset({Hue.VERMILLION, Hue.PURPLE, Hue.BLUE, Hue.GREEN})
"""The hues kept for series (never used by a mark)."""


class LineStyle(StrEnum):
    """How a series' points are joined (or a guide line drawn)."""

    SOLID = "solid"
    DASHED = "dashed"
    NONE = "none"


@dataclass(frozen=True)
class Glyph:
    """What one series or mark looks like: shape, hue, fill, letter and line."""

    shape: Shape
    hue: Hue
    filled: bool = True
    letter: str = ""
    line: LineStyle = LineStyle.NONE


@dataclass(frozen=True)
class SeriesStyle:
    """One plotted vital sign: its words and its glyph."""

    key: str
    label: str
    short: str
    unit: str
    band: str
    glyph: Glyph


class MarkKind(StrEnum):
    """A kind of event mark."""

    ALERT_NOTIFY = "alert_notify"
    ALERT_PAUSE = "alert_pause"
    ALERT_DO_NOT_START = "alert_do_not_start"
    PRN = "prn"
    SIDE_EFFECT = "side_effect"
    INFUSION_START_STOP = "infusion_start_stop"
    INFUSION_PAUSED = "infusion_paused"
    RATE_CHANGE = "rate_change"


@dataclass(frozen=True)
class MarkStyle:
    """One kind of event mark: its words and its glyph."""

    kind: MarkKind
    label: str
    short: str
    glyph: Glyph


@dataclass(frozen=True)
class PlotBand:
    """A horizontal band of the plot: its value range, grid values and series."""

    key: str
    caption: str
    range: AxisRange
    grid: tuple[int, ...]
    unit_suffix: str
    series: tuple[str, ...]


def _axis(key: str) -> AxisRange:
    return next(a.range for a in VALUE_AXES if a.key == key)


PLOT_BANDS: tuple[PlotBand, ...] = (
    # Heart rate shares the blood-pressure scale, as on paper anaesthesia records.
    PlotBand(
        "pressure",
        "BP mmHg · HR /min",
        _axis("systolic"),
        (60, 100, 140, 180, 220),
        "",
        ("systolic", "diastolic", "heart_rate"),
    ),
    PlotBand("spo2", "SpO₂ %", _axis("spo2"), (90, 100), "%", ("spo2",)),
)
"""The upper band (BP and heart rate, 40–220) and the lower band (SpO₂, 80–100 %)."""

SERIES_STYLES: tuple[SeriesStyle, ...] = (
    # ▼ systolic and ▲ diastolic as on paper sedation records.
    SeriesStyle(
        "systolic",
        "Systolic BP",
        "SBP",
        "mmHg",
        "pressure",
        Glyph(Shape.TRIANGLE_DOWN, Hue.VERMILLION, line=LineStyle.SOLID),
    ),
    SeriesStyle(
        "diastolic",
        "Diastolic BP",
        "DBP",
        "mmHg",
        "pressure",
        Glyph(Shape.TRIANGLE_UP, Hue.PURPLE, line=LineStyle.SOLID),
    ),
    # Dashed: heart rate often runs beside the diastolic pressure on the same scale.
    SeriesStyle(
        "heart_rate",
        "Heart rate",
        "HR",
        "/min",
        "pressure",
        Glyph(Shape.CIRCLE, Hue.BLUE, line=LineStyle.DASHED),
    ),
    SeriesStyle(
        "spo2", "SpO₂", "SpO₂", "%", "spo2", Glyph(Shape.SQUARE, Hue.GREEN, line=LineStyle.SOLID)
    ),
)
"""The plotted series, in drawing order (respiratory rate and scores are in the flowsheet)."""

MARK_STYLES: dict[MarkKind, MarkStyle] = {
    style.kind: style
    for style in (
        MarkStyle(
            MarkKind.ALERT_NOTIFY,
            "Alert: notify clinician",
            "notify alert",
            Glyph(Shape.OCTAGON, Hue.ALERT_AMBER, filled=False, letter="N"),
        ),
        MarkStyle(
            MarkKind.ALERT_PAUSE,
            "Alert: pause infusion",
            "pause alert",
            Glyph(Shape.OCTAGON, Hue.ALERT_RED, letter="P"),
        ),
        MarkStyle(
            MarkKind.ALERT_DO_NOT_START,
            "Alert: do not start",
            "do-not-start alert",
            Glyph(Shape.OCTAGON, Hue.ALERT_RED, letter="D"),
        ),
        MarkStyle(MarkKind.PRN, "PRN medicine", "PRN", Glyph(Shape.DIAMOND, Hue.INK)),
        MarkStyle(MarkKind.SIDE_EFFECT, "Side effect", "side effect", Glyph(Shape.CROSS, Hue.INK)),
        MarkStyle(
            MarkKind.INFUSION_START_STOP,
            "Infusion start / stop",
            "start/stop",
            Glyph(Shape.VLINE, Hue.INK, line=LineStyle.DASHED),
        ),
        MarkStyle(
            MarkKind.INFUSION_PAUSED,
            "Infusion paused",
            "paused",
            Glyph(Shape.SHADE, Hue.PAUSE_SHADE),
        ),
        MarkStyle(MarkKind.RATE_CHANGE, "Pump rate changed", "rate", Glyph(Shape.TICK, Hue.INK)),
    )
}
"""Every kind of event mark, by kind."""

HOLLOW_KEY = "hollow"
HOLLOW_GLYPH = Glyph(Shape.CIRCLE, Hue.INK, filled=False)
"""A hollow marker: a late entry, or a value beyond the band drawn at its edge."""


def series_style(key: str) -> SeriesStyle:
    """The style of one plotted series.

    Parameters
    ----------
    key : str
        A series key (``systolic``, ``diastolic``, ``heart_rate``, ``spo2``).

    Returns
    -------
    SeriesStyle
        Its words and glyph.

    Raises
    ------
    KeyError
        For a parameter that is not plotted.
    """
    for style in SERIES_STYLES:
        if style.key == key:
            return style
    raise KeyError(key)


def band_of(style: SeriesStyle) -> PlotBand:
    """The band a series is drawn in."""
    return next(b for b in PLOT_BANDS if b.key == style.band)


def alert_kind(level: AlertLevel) -> MarkKind:
    """The mark kind of an alert of ``level``."""
    return {
        AlertLevel.NOTIFY: MarkKind.ALERT_NOTIFY,
        AlertLevel.PAUSE: MarkKind.ALERT_PAUSE,
        AlertLevel.DO_NOT_START: MarkKind.ALERT_DO_NOT_START,
    }[level]


def level_letter(level: AlertLevel) -> str:
    """The letter that names an alert level wherever colour cannot (N, P, D): the chart's
    alert marks carry it, and so does a value beyond a limit in a printed table."""
    return MARK_STYLES[alert_kind(level)].glyph.letter


def is_hollow(point: VitalPoint, band: PlotBand) -> bool:
    """True when a point is drawn hollow: charted late, or beyond its band (drawn at the edge)."""
    return point.late or not band.range.contains(point.value)


def minute_label(minutes: float) -> str:
    """Minutes from the zero as on the axis, e.g. ``+25′``, ``0′``, ``-15′``."""
    whole = round(minutes)
    return f"{whole:+d}′" if whole else "0′"


@dataclass(frozen=True)
class LegendEntry:
    """One entry of the legend: the glyph exactly as drawn and its words."""

    key: str
    label: str
    short: str
    glyph: Glyph


def _marks_present(series: SessionSeries) -> list[MarkKind]:
    marks = series.marks
    present = [
        alert_kind(level) for level in AlertLevel if any(a.level is level for a in marks.alerts)
    ]
    checks = (
        (MarkKind.PRN, bool(marks.prns)),
        (MarkKind.SIDE_EFFECT, bool(marks.side_effects)),
        (MarkKind.INFUSION_START_STOP, marks.infusion_start is not None),
        (MarkKind.INFUSION_PAUSED, bool(marks.pauses)),
        (MarkKind.RATE_CHANGE, bool(marks.rate_changes)),
    )
    return present + [kind for kind, shown in checks if shown]


def legend_entries(series: SessionSeries) -> tuple[LegendEntry, ...]:
    """The legend of a session's trend: every series, then every kind of mark it shows.

    Parameters
    ----------
    series : SessionSeries
        From ``charting.build_series``.

    Returns
    -------
    tuple of LegendEntry
        Every plotted series (always, so the key never changes shape), the hollow marker when
        a point is late or off scale, and each kind of event mark present, in that order.
    """
    entries = [LegendEntry(s.key, s.label, s.short, s.glyph) for s in SERIES_STYLES]
    hollow = any(
        is_hollow(point, band_of(style))
        for style in SERIES_STYLES
        for point in series.vitals.points(style.key)
    )
    if hollow:
        entries.append(
            LegendEntry(
                HOLLOW_KEY, "Hollow: late entry or off scale", "late/off scale", HOLLOW_GLYPH
            )
        )
    for kind in _marks_present(series):
        style = MARK_STYLES[kind]
        entries.append(LegendEntry(kind.value, style.label, style.short, style.glyph))
    return tuple(entries)
