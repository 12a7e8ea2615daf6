"""The monitoring points of a session a REMS-style audit looks for: the BP before the dose, at
the end of the infusion and at discharge, and who assessed the patient as ready to leave (the
time first ready is a line of the session's story). Qt-free; times are given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from bedside.events import DischargeAssessed
from bedside.ids import UserId
from bedside.scales import ScaleName
from bedside.state import SessionState
from bedside.timeutil import local_text, minutes_between
from charting.flowsheet import FlowsheetRow

END_OF_INFUSION_WINDOW_MIN = 10.0
"""A BP counts as 'at the end of the infusion' within this many minutes of the stop (the
mandatory end-of-infusion BP is due at the stop; CLINICAL.md §5)."""


@dataclass(frozen=True)
class StoryLine:
    """One line: a label, its words, and whether a reader must not pass over it."""

    label: str
    text: str
    attention: bool = False


@dataclass(frozen=True)
class _Points:
    state: SessionState
    rows: Sequence[FlowsheetRow]
    names: Mapping[UserId, str]
    tz: str
    at: datetime

    def name(self, user: UserId) -> str:
        return self.names.get(user, str(user))


def monitoring_points(
    state: SessionState,
    rows: Sequence[FlowsheetRow],
    *,
    names: Mapping[UserId, str],
    timezone: str,
    at: datetime,
) -> tuple[StoryLine, ...]:
    """The monitoring points an audit looks for, each findable at a glance.

    Parameters
    ----------
    state : SessionState
        The folded record.
    rows : Sequence[FlowsheetRow]
        Its flowsheet rows, struck ones left out.
    names : Mapping[UserId, str]
        Display names of the people in the record.
    timezone : str
        The clinic time zone.
    at : datetime
        The moment the record is judged at.

    Returns
    -------
    tuple[StoryLine, ...]
        Pre-dose BP, BP at the end of the infusion, BP at discharge, who assessed the discharge.
    """
    r = _Points(state, rows, names, timezone, at)
    start, stop = r.state.infusion.started_at, r.state.infusion.stopped_at
    bp_rows = [row for row in r.rows if row.cell("systolic").text]
    before = [row for row in bp_rows if start is None or row.time <= start]
    pre = before[-1] if before else None
    end = None
    if stop is not None:
        near = [
            row
            for row in bp_rows
            if abs(minutes_between(stop, row.time)) <= END_OF_INFUSION_WINDOW_MIN
        ]
        end = min(near, key=lambda row: abs((row.time - stop).total_seconds()), default=None)
    last = [row for row in bp_rows if stop is not None and row.time >= stop and row.time <= r.at]
    return (
        StoryLine("Pre-dose BP", _bp(r, pre, "none before the start")),
        StoryLine(
            "BP at the end of the infusion",
            _bp(r, end, "not stopped yet" if stop is None else "NONE within 10 min of the stop"),
            attention=stop is not None and end is None,
        ),
        StoryLine("BP at discharge", _bp(r, last[-1] if last else None, "none after the stop")),
        _assessed(r),
    )


def _bp(r: _Points, row: FlowsheetRow | None, missing: str) -> str:
    if row is None:
        return missing
    return (
        f"{row.cell('systolic').text}/{row.cell('diastolic').text or '–'} at "
        f"{local_text(row.time, r.tz, '%H:%M')}"
    )


def _assessed(r: _Points) -> StoryLine:
    assessments = [
        (e, cast(DischargeAssessed, e.payload))
        for e in r.state.discharge_assessments
        if e.id in r.state.effective
    ]
    if not assessments:
        return StoryLine("Discharge assessed by", "no discharge assessment charted")
    event, p = assessments[-1]
    scale = ScaleName(p.scale).label
    return StoryLine(
        "Discharge assessed by",
        f"{r.name(event.author)}, {local_text(event.clinical_time, r.tz, '%H:%M')} "
        f"({scale} {p.total}/10)",
    )
