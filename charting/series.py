"""Qt-free plot and table series of a session: what the Qt UI and the reportlab PDF both draw.

Times are given both as instants and as minutes from the infusion start (negative for the
baseline). Before the infusion starts the session opening is the zero instead
(``SessionSeries.anchored_to_infusion`` is False then).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from bedside.events import BaselineVitals, DosePlanned, Kind
from bedside.ids import EventId
from bedside.protocol import Protocol
from bedside.state import SessionState
from charting._record import minutes_from, time_anchor
from charting.flowsheet import FLOWSHEET_COLUMNS, FlowsheetColumn, FlowsheetRow, build_flowsheet
from charting.marks import TimelineMarks, build_marks

VITAL_PARAMETERS: tuple[str, ...] = ("systolic", "diastolic", "heart_rate", "spo2", "resp_rate")
"""The plotted parameters, in drawing order."""


@dataclass(frozen=True)
class AxisRange:
    """A closed range ``[low, high]`` on one axis."""

    low: float
    high: float

    def clamp(self, value: float) -> float:
        """``value`` pulled into the range (a plot marks clamped points as off-scale).

        Parameters
        ----------
        value : float
            A value to draw.

        Returns
        -------
        float
            ``value`` limited to ``[low, high]``.
        """
        return min(self.high, max(self.low, value))

    def contains(self, value: float) -> bool:
        """True when ``value`` lies inside the range."""
        return self.low <= value <= self.high


@dataclass(frozen=True)
class ValueAxis:
    """The fixed value range of one parameter, so plots compare across sessions."""

    key: str
    label: str
    unit: str
    range: AxisRange


VALUE_AXES: tuple[ValueAxis, ...] = (
    ValueAxis("systolic", "Systolic BP", "mmHg", AxisRange(40, 220)),
    ValueAxis("diastolic", "Diastolic BP", "mmHg", AxisRange(40, 220)),
    ValueAxis("heart_rate", "Heart rate", "/min", AxisRange(30, 160)),
    ValueAxis("spo2", "SpO₂", "%", AxisRange(80, 100)),
    ValueAxis("resp_rate", "Respiratory rate", "/min", AxisRange(0, 40)),
)
"""Fixed value ranges: BP 40–220, HR 30–160, SpO₂ 80–100, RR 0–40."""


@dataclass(frozen=True)
class VitalPoint:
    """One plotted value of one effective reading."""

    time: datetime
    minutes: float
    value: float
    event_id: EventId
    baseline: bool
    late: bool
    corrected: bool
    on_oxygen: bool


@dataclass(frozen=True)
class VitalsSeries:
    """Points per plotted parameter, in clinical-time order (effective readings only)."""

    systolic: tuple[VitalPoint, ...]
    diastolic: tuple[VitalPoint, ...]
    heart_rate: tuple[VitalPoint, ...]
    spo2: tuple[VitalPoint, ...]
    resp_rate: tuple[VitalPoint, ...]

    def points(self, parameter: str) -> tuple[VitalPoint, ...]:
        """The points of one parameter.

        Parameters
        ----------
        parameter : str
            One of :data:`VITAL_PARAMETERS`.

        Returns
        -------
        tuple of VitalPoint
            That parameter's points.

        Raises
        ------
        KeyError
            For an unknown parameter.
        """
        if parameter not in VITAL_PARAMETERS:
            raise KeyError(parameter)
        return cast(tuple[VitalPoint, ...], getattr(self, parameter))


@dataclass(frozen=True)
class SessionSeries:
    """Everything a session's plots and flowsheet draw, computed once."""

    anchor: datetime
    anchored_to_infusion: bool
    vitals: VitalsSeries
    marks: TimelineMarks
    columns: tuple[FlowsheetColumn, ...]
    flowsheet: tuple[FlowsheetRow, ...]
    time_axis: AxisRange
    value_axes: tuple[ValueAxis, ...]

    def value_axis(self, parameter: str) -> ValueAxis:
        """The fixed value axis of one parameter.

        Parameters
        ----------
        parameter : str
            One of :data:`VITAL_PARAMETERS`.

        Returns
        -------
        ValueAxis
            Its label, unit and range.

        Raises
        ------
        KeyError
            For an unknown parameter.
        """
        for axis in self.value_axes:
            if axis.key == parameter:
                return axis
        raise KeyError(parameter)


def build_vitals(state: SessionState, protocol: Protocol, anchor: datetime) -> VitalsSeries:
    """Plot points of every effective baseline and timed reading.

    Parameters
    ----------
    state : SessionState
        The folded session record.
    protocol : Protocol
        The session's protocol (``late_entry_after_min``).
    anchor : datetime
        The zero of the time axis.

    Returns
    -------
    VitalsSeries
        Points per parameter; a reading missing a parameter adds no point to it.
    """
    late_after = protocol.monitoring.late_entry_after_min
    series: dict[str, list[VitalPoint]] = {p: [] for p in VITAL_PARAMETERS}
    for event in state.all_vitals():
        vitals = cast(BaselineVitals, event.payload)
        late = state.is_late(event, late_after)
        for parameter in VITAL_PARAMETERS:
            value = cast(float | None, getattr(vitals, parameter))
            if value is None:
                continue
            series[parameter].append(
                VitalPoint(
                    time=event.clinical_time,
                    minutes=minutes_from(anchor, event.clinical_time),
                    value=value,
                    event_id=event.id,
                    baseline=event.kind == Kind.BASELINE_VITALS,
                    late=late,
                    corrected=event.supersedes is not None,
                    on_oxygen=vitals.on_oxygen,
                )
            )
    return VitalsSeries(**{p: tuple(points) for p, points in series.items()})


def _time_axis(
    state: SessionState,
    protocol: Protocol,
    anchor: datetime,
    vitals: VitalsSeries,
    marks: TimelineMarks,
) -> AxisRange:
    """From the earliest data (never after 0) to the latest data or the planned end, in whole
    tens of minutes. The planned end is the dose plan's duration plus the minimum observation
    (60 minutes without a dose plan)."""
    plan = state.typed(state.dose_plan, DosePlanned)
    planned_end = (
        float(plan.duration_min + protocol.discharge.min_observation_min) if plan else 60.0
    )
    points = [p.minutes for parameter in VITAL_PARAMETERS for p in vitals.points(parameter)]
    points += marks.all_minutes()
    closed = state.closed_at
    if closed is not None:
        points.append(minutes_from(anchor, closed))
    low = min([0.0, *points])
    high = max([planned_end, *points])
    return AxisRange(10.0 * math.floor(low / 10.0), 10.0 * math.ceil(high / 10.0))


def build_series(state: SessionState, protocol: Protocol) -> SessionSeries:
    """Build every series a session's plots and flowsheet draw.

    Parameters
    ----------
    state : SessionState
        The folded session record.
    protocol : Protocol
        The protocol the session ran under.

    Returns
    -------
    SessionSeries
        Vitals points, time-axis marks, flowsheet columns and rows, and axis suggestions
        (a time range in minutes and fixed value ranges per parameter).
    """
    anchor, anchored = time_anchor(state)
    vitals = build_vitals(state, protocol, anchor)
    marks = build_marks(state, anchor)
    return SessionSeries(
        anchor=anchor,
        anchored_to_infusion=anchored,
        vitals=vitals,
        marks=marks,
        columns=FLOWSHEET_COLUMNS,
        flowsheet=build_flowsheet(state, protocol),
        time_axis=_time_axis(state, protocol, anchor, vitals, marks),
        value_axes=VALUE_AXES,
    )
