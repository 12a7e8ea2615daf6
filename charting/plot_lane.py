"""The event lane of the trend plot and the words behind every mark and point.

Alerts, PRN medicines and side effects are drawn in a lane of their own above the values (never
among them, where a mark could pass for a reading), each at the moment it happened with a faint
guide line down to the values it belongs with (a side effect's resolution is in its words, not
drawn: bars lasting an hour would crowd the lane); the pump's start, stop, pauses and rate
changes are lines and shading across the whole plot. Both renderers place the same :class:`LaneMark` values and share
:func:`pack_rows`, so a crowded hour reads alike on screen and on paper; the screen's tooltips
use :func:`mark_words`, :func:`pump_words` and :func:`point_words`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bedside.ids import EventId
from bedside.timeutil import local_text
from charting.marks import TimelineMarks
from charting.plot_key import MARK_STYLES, MarkKind, PlotBand, SeriesStyle, alert_kind, minute_label
from charting.series import VitalPoint

MAX_LANE_ROWS = 3
"""Rows of the event lane; marks beyond that share the least crowded row."""


@dataclass(frozen=True)
class LaneMark:
    """One event drawn in the lane: an alert, a PRN medicine or a side effect."""

    kind: MarkKind
    time: datetime
    minutes: float
    short: str
    """A word or two printed beside the mark on paper, e.g. ``ondansetron``."""
    what: str
    """What happened, e.g. ``PRN ondansetron 4 mg IV for nausea``."""
    until: datetime | None
    """When a side effect resolved (None: not resolved, or not a side effect)."""
    until_minutes: float | None
    event_id: EventId


@dataclass(frozen=True)
class PumpMark:
    """The infusion start or stop, a pause (a stretch) or a rate change."""

    kind: MarkKind
    time: datetime
    minutes: float
    end: datetime | None
    end_minutes: float | None
    label: str
    """The words on the plot, e.g. ``start``, ``paused``, ``120 mL/h``."""
    what: str


def _alert_marks(marks: TimelineMarks) -> list[LaneMark]:
    out = []
    for alert in marks.alerts:
        kind = alert_kind(alert.level)
        after = f"; acknowledged: {alert.action}" if alert.acknowledged else "; open"
        out.append(
            LaneMark(
                kind,
                alert.time,
                alert.minutes,
                MARK_STYLES[kind].glyph.letter,
                f"Alert — {alert.message}{after}",
                None,
                None,
                alert.event_id,
            )
        )
    return out


def _prn_marks(marks: TimelineMarks) -> list[LaneMark]:
    return [
        LaneMark(
            MarkKind.PRN,
            prn.time,
            prn.minutes,
            prn.label.split(" ")[0],
            f"PRN {prn.label}" + (f" for {prn.detail}" if prn.detail else ""),
            None,
            None,
            prn.event_id,
        )
        for prn in marks.prns
        if prn.event_id is not None
    ]


def _side_effect_marks(marks: TimelineMarks) -> list[LaneMark]:
    return [
        LaneMark(
            MarkKind.SIDE_EFFECT,
            effect.time,
            effect.minutes,
            effect.label.split(" (")[0],
            f"Side effect: {effect.label}",
            effect.resolved_at,
            effect.resolved_minutes,
            effect.event_id,
        )
        for effect in marks.side_effects
    ]


def lane_marks(marks: TimelineMarks) -> tuple[LaneMark, ...]:
    """Every alert, PRN medicine and side effect of the lane, by time.

    Parameters
    ----------
    marks : TimelineMarks
        The session's marks (``SessionSeries.marks``).

    Returns
    -------
    tuple of LaneMark
        In clinical-time order (alerts first at the same minute).
    """
    found = _alert_marks(marks) + _prn_marks(marks) + _side_effect_marks(marks)
    return tuple(sorted(found, key=lambda m: m.minutes))


def pump_marks(marks: TimelineMarks) -> tuple[PumpMark, ...]:
    """The infusion start and stop, each pause and each rate change, by time.

    Parameters
    ----------
    marks : TimelineMarks
        The session's marks.

    Returns
    -------
    tuple of PumpMark
        In clinical-time order.
    """
    out: list[PumpMark] = []
    start_stop = MarkKind.INFUSION_START_STOP
    for mark, label in ((marks.infusion_start, "start"), (marks.infusion_stop, "stop")):
        if mark is not None:
            out.append(PumpMark(start_stop, mark.time, mark.minutes, None, None, label, mark.label))
    for pause in marks.pauses:
        what = f"Infusion paused: {pause.reason}" if pause.reason else "Infusion paused"
        out.append(
            PumpMark(
                MarkKind.INFUSION_PAUSED,
                pause.start,
                pause.start_minutes,
                pause.end,
                pause.end_minutes,
                "paused",
                what,
            )
        )
    for rate in marks.rate_changes:
        out.append(
            PumpMark(
                MarkKind.RATE_CHANGE,
                rate.time,
                rate.minutes,
                None,
                None,
                f"{rate.rate_ml_h:g} mL/h",
                f"Pump rate changed to {rate.rate_ml_h:g} mL/h: {rate.reason}",
            )
        )
    return tuple(sorted(out, key=lambda m: m.minutes))


def _overlaps(span: tuple[float, float], taken: list[tuple[float, float]]) -> int:
    return sum(1 for start, end in taken if start < span[1] and span[0] < end)


def pack_rows(
    spans: Sequence[tuple[float, float]],
    rows: int = MAX_LANE_ROWS,
    order: Sequence[int] = (),
    wide: Sequence[tuple[float, float]] = (),
) -> tuple[int, ...]:
    """Give each mark a lane row so marks close in time do not cover each other.

    Parameters
    ----------
    spans : sequence of (float, float)
        Each mark's glyph along the time axis (minutes), as drawn.
    rows : int
        How many rows the lane has.
    order : sequence of int
        The order marks are placed in (indices into ``spans``; default: as given), so the
        more important marks get the top free rows.
    wide : sequence of (float, float)
        Optionally each mark with the words printed beside it: among the rows where its glyph
        is clear, the one where its words are clear too is preferred.

    Returns
    -------
    tuple of int
        The row of each mark, in the order of ``spans`` (0 is the top row): the first row
        where its glyph overlaps no other, or, when every row is taken, the row where it
        overlaps the fewest.
    """
    wide = wide or spans
    glyphs: list[list[tuple[float, float]]] = [[] for _ in range(max(rows, 1))]
    words: list[list[tuple[float, float]]] = [[] for _ in range(max(rows, 1))]
    placed = [0] * len(spans)
    for index in order or range(len(spans)):
        span, reach = spans[index], wide[index]
        row = min(
            range(len(glyphs)),
            key=lambda r: (_overlaps(span, glyphs[r]), _overlaps(reach, words[r]), r),
        )
        glyphs[row].append(span)
        words[row].append(reach)
        placed[index] = row
    return tuple(placed)


def placing_order(marks: Sequence[LaneMark]) -> tuple[int, ...]:
    """The order lane marks are given rows and drawn in reverse: alerts first, then PRN
    medicines, then side effects, each by time (so an alert is never hidden under another)."""
    rank = {MarkKind.PRN: 1, MarkKind.SIDE_EFFECT: 2}
    return tuple(
        sorted(range(len(marks)), key=lambda i: (rank.get(marks[i].kind, 0), marks[i].minutes))
    )


def when(time: datetime, minutes: float, tz: str | None) -> str:
    """A moment as the plot's tooltips name it, e.g. ``10:25 (+25′)``.

    Parameters
    ----------
    time : datetime
        The instant (UTC).
    minutes : float
        Its minutes from the plot's zero.
    tz : str or None
        The clinic's time zone; None gives the minutes alone.

    Returns
    -------
    str
        The clinic-local clock time and the minutes from the zero.
    """
    if tz is None:
        return minute_label(minutes)
    return f"{local_text(time, tz, '%H:%M')} ({minute_label(minutes)})"


def mark_words(mark: LaneMark, tz: str | None) -> str:
    """What a lane mark stands for, with its time (and a side effect's resolution)."""
    words = f"{when(mark.time, mark.minutes, tz)} {mark.what}"
    if mark.kind is MarkKind.SIDE_EFFECT:
        if mark.until is not None and mark.until_minutes is not None:
            words += f"; resolved {when(mark.until, mark.until_minutes, tz)}"
        else:
            words += "; not resolved"
    return words


def pump_words(mark: PumpMark, tz: str | None) -> str:
    """What a pump mark stands for, with its time (and a pause's end)."""
    words = f"{when(mark.time, mark.minutes, tz)} {mark.what}"
    if mark.kind is MarkKind.INFUSION_PAUSED:
        if mark.end is not None and mark.end_minutes is not None:
            words += f"; resumed or stopped {when(mark.end, mark.end_minutes, tz)}"
        else:
            words += "; still paused"
    return words


def point_words(style: SeriesStyle, point: VitalPoint, band: PlotBand, tz: str | None) -> str:
    """One plotted value in words, e.g. ``10:30 (+30′) Systolic BP 186 mmHg``.

    Parameters
    ----------
    style : SeriesStyle
        The point's series.
    point : VitalPoint
        The value and its flags.
    band : PlotBand
        The band it is drawn in (a value beyond it is drawn at the edge).
    tz : str or None
        The clinic's time zone (None: minutes only).

    Returns
    -------
    str
        Time, series, value and unit, and what a hollow or unusual point means.
    """
    notes = [
        note
        for note, applies in (
            ("baseline", point.baseline),
            ("charted late", point.late),
            ("corrected entry", point.corrected),
            ("on oxygen", point.on_oxygen),
            ("off the scale, drawn at its edge", not band.range.contains(point.value)),
        )
        if applies
    ]
    unit = style.unit if style.unit == "%" else f" {style.unit}"
    words = f"{when(point.time, point.minutes, tz)} {style.label} {point.value:g}{unit}"
    return f"{words} ({', '.join(notes)})" if notes else words
