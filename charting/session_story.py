"""A session's story in about ten lines: what a referring psychiatrist, an auditor or the next
nurse reads before the detail (the summary PDF prints it on page 1).

Dose planned and infused, pump time, pauses and why, peak blood pressure and heart rate with
the level the protocol gave them, the deepest sedation and the peak dissociation, rescue
medicines, side effects at their worst, when the patient was first ready to leave, who
discharged and when, the PHQ-9 and its change over the course, what is still open, and what was
added after the signature. Then the monitoring points a REMS-style audit looks for: the pre-dose
BP, the BP at the end of the infusion and at discharge, the time ready to leave and who assessed.

Nothing here judges anew: each fact comes from the rule that owns it (the flowsheet's levels,
the controlled-substance reconciliation, the discharge criteria, the missed-check schedule).
Qt-free; times are given, never read from a clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import cast

from bedside.events import (
    AddendumAdded,
    DosePlanned,
    PrnGiven,
    ScaleScored,
    SessionEndedEarly,
    SessionSigned,
)
from bedside.ids import UserId
from bedside.protocol import Protocol
from bedside.rules import controlled, discharge
from bedside.rules.side_effects import SEVERITY_WORDS
from bedside.scales import ScaleName
from bedside.state import SessionState
from bedside.timeutil import local_text, minutes_between
from charting.checks_missed import slipped_checks
from charting.course import scores_before_start, side_effects_at_worst
from charting.course_summary import Phq9Point
from charting.flowsheet import FlowsheetRow, build_flowsheet
from charting.marks import prn_label
from charting.monitoring_points import StoryLine, monitoring_points
from charting.overrides import clinician_overrides
from charting.story_peaks import peak_lines


@dataclass(frozen=True)
class SessionStory:
    """The story's lines, then the monitoring points, in reading order."""

    lines: tuple[StoryLine, ...]
    monitoring: tuple[StoryLine, ...]

    def line(self, label: str) -> StoryLine:
        """The line labelled ``label`` (story or monitoring)."""
        return next(x for x in (*self.lines, *self.monitoring) if x.label == label)


@dataclass(frozen=True)
class _Reader:
    """The session, its protocol, names and clinic time, for the line builders."""

    state: SessionState
    protocol: Protocol
    names: Mapping[UserId, str]
    tz: str
    at: datetime
    rows: tuple[FlowsheetRow, ...]

    def hm(self, when: datetime) -> str:
        """``09:45 (+25′)``: clinic time and minutes from the infusion start."""
        start = self.state.infusion.started_at
        text = local_text(when, self.tz, "%H:%M")
        if start is not None and when >= start:
            text += f" (+{minutes_between(start, when):.0f}′)"
        return text

    def name(self, user: UserId) -> str:
        """A person's display name (the id when unknown here)."""
        return self.names.get(user, str(user))

    @cached_property
    def drug(self) -> controlled.SubstanceRecord:
        """The controlled-substance reconciliation (read by several lines: made once)."""
        return controlled.reconcile(self.state, self.protocol)


READY = "First ready to leave"
"""The label of the line that is also a monitoring point."""


def session_story(
    state: SessionState,
    protocol: Protocol,
    *,
    names: Mapping[UserId, str],
    timezone: str,
    at: datetime,
    course_first_phq9: Phq9Point | None = None,
) -> SessionStory:
    """The session's story as it stands at ``at``.

    Parameters
    ----------
    state : SessionState
        The folded record.
    protocol : Protocol
        The protocol the session ran under.
    names : Mapping[UserId, str]
        Display names of the people in the record.
    timezone : str
        The clinic time zone the times are told in.
    at : datetime
        The moment the record is judged at (its sign-off or early end, else now).
    course_first_phq9 : Phq9Point or None
        The course's first PHQ-9 (None when unknown), for the change over the course.

    Returns
    -------
    SessionStory
        The lines; a line that needs attention (an open balance, a missed mandatory check, an
        open alert, an addendum after the signature) says so in its words too.
    """
    rows = tuple(r for r in build_flowsheet(state, protocol) if not r.struck)
    r = _Reader(state, protocol, names, timezone, at, rows)
    lines = (
        _dose(r),
        _pump(r),
        _pauses(r),
        *peak_lines(rows, r.hm),
        _sedation(r),
        _prns(r),
        _effects(r),
        _ready(r),
        _discharged(r),
        _phq9(r, course_first_phq9),
        _open_items(r),
        *_after_signing(r),
    )
    points = monitoring_points(state, rows, names=names, timezone=timezone, at=at)
    # The time first ready to leave is a monitoring point too: shown again among them, before
    # who assessed, so the audit's five points stand together.
    ready = next(x for x in lines if x.label == READY)
    return SessionStory(lines=lines, monitoring=(*points[:-1], ready, points[-1]))


def _dose(r: _Reader) -> StoryLine:
    plan = r.state.typed(r.state.dose_plan, DosePlanned)
    if plan is None:
        return StoryLine("Dose", "not planned")
    text = (
        f"planned {plan.dose_mg:g} mg ({plan.mg_per_kg:g} mg/kg × {plan.dosing_weight_kg:g} kg); "
    )
    if r.state.infusion.started_at is None:
        return StoryLine("Dose", text + "not infused")
    infused = r.drug.infused_mg
    if infused is None:
        return StoryLine("Dose", text + "infused amount known when the pump stops")
    per_kg = infused / plan.dosing_weight_kg
    return StoryLine("Dose", text + f"infused {infused:g} mg ({per_kg:.2f} mg/kg)")


def _pump(r: _Reader) -> StoryLine:
    plan = r.state.typed(r.state.dose_plan, DosePlanned)
    planned = f"planned {plan.duration_min} min; " if plan is not None else ""
    t = r.state.infusion
    if t.started_at is None:
        return StoryLine("Pump time", planned + "not started")
    if t.stopped_at is None:
        return StoryLine("Pump time", planned + _running(r), attention=True)
    span = f"{local_text(t.started_at, r.tz, '%H:%M')}–{local_text(t.stopped_at, r.tz, '%H:%M')}"
    ran = f"ran {t.running_minutes(t.stopped_at):.0f} min ({span})"
    how = "completed" if t.completed else "STOPPED EARLY"
    return StoryLine("Pump time", f"{planned}{ran}, {how}", attention=not t.completed)


def _running(r: _Reader) -> str:
    """An infusion still running when printed: how long and how much so far, by the charted
    rates (capped at the volume to be infused: a pump stops there by itself)."""
    t = r.state.infusion
    assert t.started_at is not None
    started = local_text(t.started_at, r.tz, "%H:%M")
    so_far = t.expected_volume_ml(r.at)
    if so_far is not None and t.vtbi_ml is not None and so_far >= t.vtbi_ml:
        # The pump has stopped by itself by now: counting minutes past the bag would mislead.
        return (
            f"STOP NOT CHARTED: by the charted rates all {t.vtbi_ml:g} mL ran before print time "
            f"(started {started})"
        )
    status = "running" if t.running else "paused"
    text = f"{status.upper()} at print time: {t.running_minutes(r.at):.0f} min"
    if so_far is not None:
        text += f", {so_far:.0f} mL so far by the charted rates"
    return text + f" (started {started})"


def _pauses(r: _Reader) -> StoryLine:
    pauses = r.state.infusion.pauses
    if not pauses:
        return StoryLine("Pauses", "none")
    end_of_record = r.state.infusion.stopped_at or r.at
    parts, total = [], 0.0
    for start, end, reason in pauses:
        minutes = minutes_between(start, end or end_of_record)
        total += minutes
        parts.append(f"{r.hm(start)} for {minutes:.0f} min — {reason}")
    head = f"{plural(len(pauses), 'pause')}, {total:.0f} min in all: "
    return StoryLine("Pauses", head + "; ".join(parts))


def plural(count: int, word: str, many: str = "") -> str:
    """``1 pause``, ``2 pauses`` (``many`` when the plural is not ``word + "s"``)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def _sedation(r: _Reader) -> StoryLine:
    scale = ScaleName(r.protocol.monitoring.sedation_scale)
    parts = []
    scores = [(e, cast(ScaleScored, e.payload).total) for e in r.state.scale_events(scale)]
    if scores:
        # Lower is deeper on both MOAA/S (5 alert, 0 unresponsive) and RASS (0 alert, -5
        # unarousable); the first time it was reached is the one told.
        event, total = min(scores, key=lambda s: (s[1], s[0].clinical_time))
        value = f"{total:+d}" if scale is ScaleName.RASS and total else str(total)
        parts.append(f"deepest {scale.label} {value} at {r.hm(event.clinical_time)}")
    else:
        parts.append(f"no {scale.label} scored")
    cadss = [
        (e, cast(ScaleScored, e.payload).total) for e in r.state.scale_events(ScaleName.CADSS6)
    ]
    if cadss:
        top = max(total for _, total in cadss)
        event = next(e for e, total in cadss if total == top)
        parts.append(f"peak CADSS-6 {top}/24 at {r.hm(event.clinical_time)}")
    else:
        parts.append("no CADSS-6 scored")
    return StoryLine("Sedation / dissociation", "; ".join(parts))


def _prns(r: _Reader) -> StoryLine:
    given = [
        f"{r.hm(e.clinical_time)} {prn_label(p)} ({p.indication})"
        for e in r.state.prns
        for p in [cast(PrnGiven, e.payload)]
    ]
    return StoryLine("PRN medicines", "; ".join(given) if given else "none given")


def _effects(r: _Reader) -> StoryLine:
    effects = side_effects_at_worst(r.state)
    if not effects:
        return StoryLine("Side effects", "none charted")
    words = [
        f"{e.label} ({SEVERITY_WORDS.get(e.max_severity, e.max_severity)}"
        + (", SERIOUS)" if e.serious else ")")
        for e in effects
    ]
    return StoryLine("Side effects", ", ".join(words), attention=any(e.serious for e in effects))


def _ready(r: _Reader) -> StoryLine:
    t = r.state.infusion
    if t.stopped_at is None:
        return StoryLine(READY, "not yet: the infusion has not stopped")
    ready = discharge.first_ready_time(r.state, r.protocol, until=r.at)
    if ready is None:
        return StoryLine(READY, "NOT MET in the record", attention=True)
    after = minutes_between(t.stopped_at, ready)
    return StoryLine(
        READY,
        f"{local_text(ready, r.tz, '%H:%M')}, {after:.0f} min after the infusion stopped",
    )


def _discharged(r: _Reader) -> StoryLine:
    signed = r.state.typed(r.state.signed, SessionSigned)
    if signed is not None:
        sig = signed.signature
        when = local_text(sig.signed_at, r.tz, "%H:%M")
        return StoryLine("Discharged", f"{when}, signed off by {sig.signer_name}")
    ended = r.state.typed(r.state.ended_early, SessionEndedEarly)
    if ended is not None and r.state.ended_early is not None:
        e = r.state.ended_early
        return StoryLine(
            "Discharged",
            f"session ENDED EARLY {local_text(e.clinical_time, r.tz, '%H:%M')} by "
            f"{r.name(e.author)}: {ended.reason}; not signed off",
            attention=True,
        )
    return StoryLine("Discharged", "not yet signed off (a draft)", attention=True)


def _phq9(r: _Reader, first: Phq9Point | None) -> StoryLine:
    today = scores_before_start(r.state, ScaleName.PHQ9)
    if not today:
        return StoryLine("PHQ-9", "not scored before this infusion")
    total = today[-1].total
    if first is None:
        return StoryLine("PHQ-9", f"{total} before this infusion")
    if first.session_id == r.state.session_id:
        return StoryLine("PHQ-9", f"{total} before this infusion (the course's first score)")
    change = total - first.total
    percent = f", {change / first.total * 100:+.0f} %" if first.total else ""
    return StoryLine(
        "PHQ-9",
        f"{total} before this infusion; {change:+d}{percent} since the course's first score "
        f"({first.total}, session {first.number}, {first.date.isoformat()})",
    )


def _open_items(r: _Reader) -> StoryLine:
    items = []
    record = r.drug
    if record.open_parts:
        items.append(f"{record.open_mg:g} mg ketamine not accounted for")
    elif record.discrepancy_mg is not None and not record.reconciled:
        items.append("controlled-substance record NOT reconciled")
    if record.volume_differs is not None:
        items.append("pump volume differs from the charted rates (see Infusion)")
    open_alerts = [a for a in r.state.alerts.values() if a.acknowledged is None]
    if open_alerts:
        items.append(f"{plural(len(open_alerts), 'alert')} not acknowledged")
    slipped = slipped_checks(r.state, r.protocol, r.at)
    for mandatory in (True, False):
        missed = sum(1 for c in slipped if c.missed and c.mandatory is mandatory)
        deferred = sum(1 for c in slipped if not c.missed and c.mandatory is mandatory)
        kind = "MANDATORY BP check" if mandatory else "vitals check"
        if missed:
            items.append(f"{plural(missed, kind)} missed")
        if deferred:
            items.append(f"{plural(deferred, kind)} deferred")
    overrides = clinician_overrides(r.state)
    if overrides:
        what = ", ".join(sorted({o.what for o in overrides}))
        items.append(f"{plural(len(overrides), 'clinician override')}: {what}")
    if not items:
        return StoryLine("Open items", "none")
    return StoryLine("Open items", "; ".join(items), attention=True)


def _after_signing(r: _Reader) -> tuple[StoryLine, ...]:
    if not r.state.addenda:
        return ()
    latest = r.state.addenda[-1]
    p = cast(AddendumAdded, latest.payload)
    first_line = p.text.strip().splitlines()[0] if p.text.strip() else ""
    count = len(r.state.addenda)
    return (
        StoryLine(
            "After signing",
            f"{plural(count, 'addendum', 'addenda')} after the signature; the latest, "
            f"{local_text(latest.recorded_time, r.tz, '%Y-%m-%d %H:%M')} by "
            f"{p.signature.signer_name}: \u201c{first_line}\u201d",
            attention=True,
        ),
    )
