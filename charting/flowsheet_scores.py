"""Sedation and dissociation scores on the flowsheet, beside the vitals of the same check.

A nurse charts a sedation score (MOAA/S or RASS) and CADSS-6 at a check, usually within a few
minutes of its vitals. Each score in force is shown on the row of the vitals set nearest in time
within :data:`SAME_CHECK_MIN` minutes; a score with no such set (charted on its own) gets a row
of its own, so no score is hidden. The cell of a sedation score past a protocol limit carries
the level of the alert it raised (the same rule: :func:`bedside.rules.alerts.evaluate_sedation`:
MOAA/S, and RASS when it is the protocol's sedation scale).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from bedside.events import ChartEvent, ScaleScored
from bedside.protocol import AlertLevel, Protocol
from bedside.rules import alerts
from bedside.scales import ScaleName
from bedside.state import SessionState

SAME_CHECK_MIN = 5
"""A score and a vitals set this close in time belong to one check (a check is charted within a
few minutes; the closest in-session interval is 5 min, CLINICAL.md §9.2, so scores never reach
across to the next check)."""

SEDATION = "sedation"
DISSOCIATION = "cadss6"

SEDATION_SCALES = (ScaleName.MOAAS, ScaleName.RASS)


@dataclass(frozen=True)
class ScoreCell:
    """One score as its flowsheet cell shows it."""

    column: str
    event: ChartEvent
    text: str
    level: AlertLevel | None
    reasons: tuple[str, ...]


def _column(score: ScaleScored) -> str | None:
    if score.scale in SEDATION_SCALES:
        return SEDATION
    return DISSOCIATION if score.scale is ScaleName.CADSS6 else None


def score_cell(event: ChartEvent, state: SessionState, protocol: Protocol) -> ScoreCell | None:
    """The flowsheet cell of a score (None for scales the flowsheet does not show)."""
    score = cast(ScaleScored, event.payload)
    column = _column(score)
    if column is None:
        return None
    started = state.infusion.started_at
    result = alerts.evaluate_sedation(
        score.scale,
        score.total,
        infusing_or_after=started is not None and event.clinical_time >= started,
        protocol=protocol,
    )
    level = result.level  # one score, one parameter: MOAA/S, or RASS when it is the scale
    value = (
        f"{score.total:+d}" if score.scale is ScaleName.RASS and score.total else str(score.total)
    )
    text = f"{score.scale.label} {value}" if column == SEDATION else value
    return ScoreCell(column, event, text, level, tuple(b.text for b in result.breaches))


def place_scores(
    state: SessionState, protocol: Protocol, vitals: list[ChartEvent]
) -> tuple[dict[int, dict[str, ScoreCell]], list[dict[str, ScoreCell]]]:
    """Which scores go on which vitals row, and which need a row of their own.

    Parameters
    ----------
    state : SessionState
        The folded record (scores in force are ``state.scales``).
    protocol : Protocol
        The session's protocol (sedation limits).
    vitals : list of ChartEvent
        The vitals sets in force, in the flowsheet's order.

    Returns
    -------
    tuple
        By index into ``vitals``, the score cells of that row; and the rows of scores charted
        without vitals near them, each one check (scores within :data:`SAME_CHECK_MIN` of each
        other share a row), in time order.
    """
    window = timedelta(minutes=SAME_CHECK_MIN)
    on_rows: dict[int, dict[str, ScoreCell]] = {}
    alone: list[dict[str, ScoreCell]] = []
    for event in state.scales:
        cell = score_cell(event, state, protocol)
        if cell is None:
            continue
        row = _nearest_free(vitals, on_rows, cell, window)
        if row is not None:
            on_rows.setdefault(row, {})[cell.column] = cell
            continue
        own = next((r for r in alone if _joins(r, cell, window)), None)
        if own is None:
            alone.append({cell.column: cell})
        else:
            own[cell.column] = cell
    alone.sort(key=lambda r: first_time(r))
    return on_rows, alone


def first_time(cells: dict[str, ScoreCell]) -> datetime:
    """The time of a score-only row: its earliest score."""
    return min(c.event.clinical_time for c in cells.values())


def _nearest_free(
    vitals: list[ChartEvent],
    taken: dict[int, dict[str, ScoreCell]],
    cell: ScoreCell,
    window: timedelta,
) -> int | None:
    at = cell.event.clinical_time
    near = [
        (abs(v.clinical_time - at), i)
        for i, v in enumerate(vitals)
        if abs(v.clinical_time - at) <= window and cell.column not in taken.get(i, {})
    ]
    return min(near)[1] if near else None


def _joins(row: dict[str, ScoreCell], cell: ScoreCell, window: timedelta) -> bool:
    return cell.column not in row and abs(first_time(row) - cell.event.clinical_time) <= window
