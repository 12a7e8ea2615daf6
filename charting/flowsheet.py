"""The flowsheet table: one row per vitals entry (time rows × parameter columns).

Rows are in clinical-time order. Entries replaced by a correction, or voided, stay in the table
struck through (``struck=True`` with the reason and the replacing event), directly before the
entry that replaced them. Abnormal values carry the protocol level that fired, computed by the
same rules that raise alerts (``bedside.rules.alerts``), so no clinical rule is computed twice:
baseline rows use ``evaluate_before_start`` (a value in its caution band is marked ``caution``),
timed rows ``evaluate_in_session`` against the session's latest baseline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from bedside.events import BaselineVitals, ChartEvent, Kind, ScaleScored
from bedside.ids import EventId, UserId
from bedside.protocol import AlertLevel, Protocol
from bedside.rules import alerts
from bedside.rules.news2 import News2, news2
from bedside.rules.phases import baseline_observed, observed_from
from bedside.scales import ScaleName
from bedside.state import SessionState
from charting._record import events_by_id, minutes_from, time_anchor
from charting.flowsheet_scores import (
    DISSOCIATION,
    SEDATION,
    ScoreCell,
    first_time,
    place_scores,
)

VITALS_KINDS = frozenset({Kind.BASELINE_VITALS, Kind.VITALS_RECORDED})

_RANK = {AlertLevel.NOTIFY: 1, AlertLevel.PAUSE: 2, AlertLevel.DO_NOT_START: 3}

CAUTION_WORDS = "Caution before the start (a clinician acknowledges it)"
"""How a baseline value in the caution band is named where it is shown (CLINICAL.md §13,
"Caution band before start")."""

SCORE_COLUMNS = frozenset({SEDATION, DISSOCIATION})
"""The columns showing a score of the check rather than a vital sign."""


@dataclass(frozen=True)
class FlowsheetColumn:
    """One parameter column: payload key, header text, unit, and the short header narrow
    columns use (as paper flowsheets abbreviate them)."""

    key: str
    header: str
    unit: str
    short: str


FLOWSHEET_COLUMNS: tuple[FlowsheetColumn, ...] = (
    FlowsheetColumn("systolic", "Systolic", "mmHg", "SBP"),
    FlowsheetColumn("diastolic", "Diastolic", "mmHg", "DBP"),
    FlowsheetColumn("heart_rate", "Heart rate", "/min", "HR"),
    FlowsheetColumn("spo2", "SpO₂", "%", "SpO₂"),
    FlowsheetColumn("resp_rate", "Resp. rate", "/min", "RR"),
    FlowsheetColumn("temperature_c", "Temperature", "°C", "Temp"),
    FlowsheetColumn("oxygen", "Oxygen", "L/min", "O₂"),
    FlowsheetColumn(SEDATION, "Sedation", "score", "Sedation"),
    FlowsheetColumn(DISSOCIATION, "CADSS-6", "0–24", "CADSS-6"),
)
"""The flowsheet's parameter columns, left to right."""


@dataclass(frozen=True)
class FlowsheetCell:
    """One value of a row; ``level`` is the most urgent alert level it crossed, if any."""

    key: str
    value: float | bool | None
    text: str
    level: AlertLevel | None = None
    caution: bool = False
    reasons: tuple[str, ...] = ()
    copied: bool = False
    """Copied forward from the previous set (an explicit act, recorded with the set)."""
    source: EventId | None = None
    """The entry the value comes from when it is not the row's own (a score of the check)."""

    @property
    def mark(self) -> str:
        """The glyph after a flagged value, so colour is never the only cue (the app and the
        printout show the same): ▲/▼ above/below an alert limit; △/▽ in the caution band
        before the start (CLINICAL.md §13: a clinician acknowledges it); "" otherwise."""
        if self.value is None or (self.level is None and not self.caution):
            return ""
        up = any("above" in r or "rose" in r for r in self.reasons)
        if self.level is not None:
            return "▲" if up else "▼"
        return "△" if up else "▽"


@dataclass(frozen=True)
class FlowsheetRow:
    """One vitals entry (baseline or timed), effective or struck through."""

    event_id: EventId
    time: datetime
    recorded_time: datetime
    minutes: float
    author: UserId
    baseline: bool
    late: bool
    struck: bool
    voided: bool
    struck_reason: str | None
    replaced_by: EventId | None
    corrects: EventId | None
    correction_reason: str | None
    news2: News2 | None
    cells: tuple[FlowsheetCell, ...]
    scores_only: bool = False
    """A check charted with scores only: the row's entry is its first score."""

    @property
    def level(self) -> AlertLevel | None:
        """The most urgent level among the row's cells."""
        levels = [c.level for c in self.cells if c.level is not None]
        return max(levels, key=_RANK.__getitem__) if levels else None

    def cell(self, key: str) -> FlowsheetCell:
        """The cell of one column.

        Parameters
        ----------
        key : str
            A column key from :data:`FLOWSHEET_COLUMNS`.

        Returns
        -------
        FlowsheetCell
            The row's cell in that column.

        Raises
        ------
        KeyError
            When no column has that key.
        """
        for c in self.cells:
            if c.key == key:
                return c
        raise KeyError(key)


def _text(key: str, vitals: BaselineVitals) -> tuple[float | bool | None, str]:
    if key == "oxygen":
        if not vitals.on_oxygen:
            # Said, not left blank: a blank O₂ cell reads as "not recorded".
            return False, "air"
        flow = vitals.o2_flow_l_min
        return True, f"{flow:g}" if flow is not None else "on"
    value = cast(float | None, getattr(vitals, key))
    if value is None:
        return None, ""
    return value, f"{value:.1f}" if key == "temperature_c" else f"{value:g}"


def _cells(
    vitals: BaselineVitals | None,
    baseline_row: bool,
    baseline: alerts.Observed | None,
    protocol: Protocol,
    scores: Mapping[str, ScoreCell],
) -> tuple[FlowsheetCell, ...]:
    if vitals is None:  # a check charted with scores only
        return tuple(_score_cell(c.key, scores.get(c.key)) for c in FLOWSHEET_COLUMNS)
    observed = observed_from(vitals)
    if baseline_row:
        result = alerts.evaluate_before_start(observed, protocol=protocol)
    else:
        result = alerts.evaluate_in_session(observed, baseline=baseline, protocol=protocol)
    levels = result.abnormal_parameters()
    cautioned = {b.parameter for b in result.cautions}
    cells: list[FlowsheetCell] = []
    for column in FLOWSHEET_COLUMNS:
        if column.key in SCORE_COLUMNS:
            cells.append(_score_cell(column.key, scores.get(column.key)))
            continue
        value, text = _text(column.key, vitals)
        reasons = tuple(b.text for b in result.breaches if b.parameter == column.key)
        if not reasons:  # a value past a limit is named by the limit, not the caution too
            reasons = tuple(
                f"{CAUTION_WORDS}: {b.text}" for b in result.cautions if b.parameter == column.key
            )
        cells.append(
            FlowsheetCell(
                key=column.key,
                value=value,
                text=text,
                level=levels.get(column.key),
                caution=column.key in cautioned,
                reasons=reasons,
                copied=column.key in vitals.copied,
            )
        )
    return tuple(cells)


def _score_cell(key: str, score: ScoreCell | None) -> FlowsheetCell:
    if score is None:
        return FlowsheetCell(key=key, value=None, text="")
    total = cast(ScaleScored, score.event.payload).total
    return FlowsheetCell(
        key=key,
        value=total,
        text=score.text,
        level=score.level,
        reasons=score.reasons,
        source=score.event.id,
    )


def _ordered(state: SessionState, by_id: Mapping[EventId, ChartEvent]) -> list[ChartEvent]:
    """Vitals entries in clinical-time order, each replaced entry just before its replacement."""
    vitals = [e for e in state.events if e.kind in VITALS_KINDS]
    replaced_by: dict[EventId, ChartEvent] = {}
    for event in vitals:
        if event.supersedes is not None and event.supersedes in by_id:
            replaced_by[event.supersedes] = event
    heads = sorted(
        (e for e in vitals if e.id not in replaced_by), key=lambda e: (e.clinical_time, e.seq)
    )
    ordered: list[ChartEvent] = []
    for head in heads:
        chain = [head]
        seen = {head.id}
        while chain[-1].supersedes is not None and chain[-1].supersedes in by_id:
            previous = by_id[chain[-1].supersedes]
            if previous.kind not in VITALS_KINDS or previous.id in seen:
                break
            seen.add(previous.id)
            chain.append(previous)
        ordered += reversed(chain)
    return ordered


def build_flowsheet(state: SessionState, protocol: Protocol) -> tuple[FlowsheetRow, ...]:
    """The flowsheet rows of a session.

    Parameters
    ----------
    state : SessionState
        The folded session record.
    protocol : Protocol
        The session's protocol (alert limits, ``late_entry_after_min``).

    Returns
    -------
    tuple of FlowsheetRow
        One row per vitals entry in clinical-time order, struck originals before their
        replacements, each with the sedation and CADSS-6 scores of its check; a check charted
        with scores only has a row of its own. Minutes are counted from the infusion start
        (from the session opening before the start).
    """
    by_id = events_by_id(state)
    ordered = _ordered(state, by_id)
    in_force = [e for e in ordered if e.id not in state.superseded]
    on_rows, alone = place_scores(state, protocol, in_force)
    scores = {in_force[i].id: cells for i, cells in on_rows.items()}
    build = _RowBuilder(state, protocol)
    groups: list[tuple[datetime, int, list[FlowsheetRow]]] = []
    chain: list[FlowsheetRow] = []
    for i, event in enumerate(ordered):
        chain.append(build.vitals_row(event, scores.get(event.id, {})))
        following = ordered[i + 1] if i + 1 < len(ordered) else None
        if following is None or following.supersedes != event.id:
            groups.append((event.clinical_time, 0, chain))  # a chain sorts by its latest version
            chain = []
    groups += [(first_time(cells), 1, [build.scores_row(cells)]) for cells in alone]
    groups.sort(key=lambda g: (g[0], g[1]))
    return tuple(row for _, _, rows in groups for row in rows)


class _RowBuilder:
    """Makes the rows of one session's flowsheet."""

    def __init__(self, state: SessionState, protocol: Protocol) -> None:
        self.state = state
        self.protocol = protocol
        self.anchor, _ = time_anchor(state)
        self.baseline = baseline_observed(state)
        self.late_after = protocol.monitoring.late_entry_after_min

    def vitals_row(self, event: ChartEvent, scores: Mapping[str, ScoreCell]) -> FlowsheetRow:
        """A vitals set's row (struck when corrected or voided), with its check's scores."""
        state = self.state
        gone = state.superseded.get(event.id)
        is_baseline = event.kind == Kind.BASELINE_VITALS
        vitals = cast(BaselineVitals, event.payload)
        return FlowsheetRow(
            event_id=event.id,
            time=event.clinical_time,
            recorded_time=event.recorded_time,
            minutes=minutes_from(self.anchor, event.clinical_time),
            author=event.author,
            baseline=is_baseline,
            late=state.is_late(event, self.late_after),
            struck=gone is not None,
            voided=gone is not None and gone.voided,
            struck_reason=gone.reason if gone is not None else None,
            replaced_by=gone.by_event.id if gone is not None and not gone.voided else None,
            corrects=event.supersedes,
            correction_reason=event.reason if event.supersedes is not None else None,
            cells=_cells(vitals, is_baseline, self.baseline, self.protocol, scores),
            news2=_news2(state, vitals, event.clinical_time, scores.get(SEDATION)),
        )

    def scores_row(self, scores: Mapping[str, ScoreCell]) -> FlowsheetRow:
        """A check charted with scores only (no vitals set near it)."""
        first = min((c.event for c in scores.values()), key=lambda e: (e.clinical_time, e.seq))
        return FlowsheetRow(
            event_id=first.id,
            time=first.clinical_time,
            recorded_time=first.recorded_time,
            minutes=minutes_from(self.anchor, first.clinical_time),
            author=first.author,
            baseline=False,
            late=self.state.is_late(first, self.late_after),
            struck=False,
            voided=False,
            struck_reason=None,
            replaced_by=None,
            corrects=None,
            correction_reason=None,
            cells=_cells(None, False, self.baseline, self.protocol, scores),
            news2=None,
            scores_only=True,
        )


def _news2(
    state: SessionState, vitals: BaselineVitals, at: datetime, same_check: ScoreCell | None
) -> News2 | None:
    """NEWS2 of one set (a sanity net beside the ketamine-specific limits, CLINICAL.md §9.1).

    Consciousness is taken from the sedation score of the same check (the one on this row,
    even when scored a minute after the vitals), else from the last score before the set:
    MOAA/S 5 or RASS 0 reads as "alert", anything else as not alert; no score leaves it
    missing. (A row showing MOAA/S 5 must never be scored as not alert from an older score.)
    """
    if vitals.systolic is None and vitals.heart_rate is None and vitals.spo2 is None:
        return None  # e.g. a weight-only entry
    alert: bool | None = None
    scored = [same_check.event] if same_check is not None else state.scales
    for event in scored:
        score = cast(ScaleScored, event.payload)
        if same_check is None and event.clinical_time > at:
            break
        if score.scale is ScaleName.MOAAS:
            alert = score.total == 5
        elif score.scale is ScaleName.RASS:
            alert = score.total == 0
    return news2(
        resp_rate=vitals.resp_rate,
        spo2=vitals.spo2,
        on_oxygen=vitals.on_oxygen,
        systolic=vitals.systolic,
        heart_rate=vitals.heart_rate,
        alert=alert,
        temperature_c=vitals.temperature_c,
    )
