"""What is signed, in words: the summary the clinician reads before signing the discharge and
the charting nurse before signing the charting (Qt-free; the dialogs draw these sections).

Sections, each with its lines: the discharge criteria as the sign-off guard judges them, alerts
and the action taken, PRN medicines, side effects with their worst severity, checks missed or
deferred, every clinician override, the drug record, the last vitals and the pump. A line that
must not be passed over (an open alert, a missed or mandatory check, an override, an open drug
remainder, no vitals since the stop, a pump past its plan) is marked ``attention``, and its
words say so too ("MISSED", "NOT ACKNOWLEDGED"): the mark is never only a colour.

Nothing here judges anew: every finding comes from the rule that owns it in ``bedside/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from bedside.events import AlertAcknowledged, ChartEvent, CheckDeferred, PrnGiven, VitalsRecorded
from bedside.ids import UserId
from bedside.protocol import Protocol
from bedside.report import Severity
from bedside.rules import controlled, phases
from bedside.rules.pump import pump_overrun
from bedside.rules.side_effects import SEVERITY_WORDS, label, needs_follow_up
from bedside.state import SessionState, SideEffectState
from bedside.timeutil import local_text, minutes_between, require_aware
from charting.alert_source import corrected_source, corrected_source_words
from charting.checks_missed import SlippedCheck, allowed_words, slipped_checks
from charting.marks import prn_label
from charting.overrides import clinician_overrides
from charting.record_text import vitals_words


@dataclass(frozen=True)
class SummaryLine:
    """One line of a section; ``attention`` when the signer must not pass over it."""

    text: str
    attention: bool = False


@dataclass(frozen=True)
class SummarySection:
    """A heading and its lines (``empty`` says what "no lines" means)."""

    key: str
    title: str
    lines: tuple[SummaryLine, ...]
    empty: str = "None."

    @property
    def attention(self) -> bool:
        """Some line of it needs attention."""
        return any(line.attention for line in self.lines)


@dataclass(frozen=True)
class SignoffSummary:
    """The sections, in reading order."""

    sections: tuple[SummarySection, ...]

    def section(self, key: str) -> SummarySection:
        """The section named ``key`` ("alerts", "checks", …)."""
        return next(s for s in self.sections if s.key == key)

    def text(self) -> str:
        """The whole summary as plain text (headings, then their lines)."""
        parts = []
        for s in self.sections:
            lines = [f"  {'⚠ ' if x.attention else ''}{x.text}" for x in s.lines] or [
                f"  {s.empty}"
            ]
            parts.append("\n".join([s.title, *lines]))
        return "\n".join(parts)


@dataclass(frozen=True)
class _Words:
    """Names and clock times in the clinic's words."""

    names: Mapping[UserId, str]
    tz: str

    def name(self, user: UserId) -> str:
        return self.names.get(user, str(user))

    def hm(self, when: datetime) -> str:
        return local_text(when, self.tz, "%H:%M")


def _criteria(state: SessionState, protocol: Protocol, at: datetime) -> SummarySection:
    report = phases.sign_report(state, protocol, at)
    lines = [
        SummaryLine(f"NOT MET: {f.message}", attention=True)
        if f.severity is Severity.ERROR
        else SummaryLine(f"Warning: {f.message}")
        for f in report.findings
        if f.severity in (Severity.ERROR, Severity.WARNING)
    ]
    return SummarySection(
        "criteria", "Discharge criteria", tuple(lines), "All discharge criteria are met."
    )


def _alerts(state: SessionState, w: _Words) -> SummarySection:
    lines = []
    for alert in sorted(state.alerts.values(), key=lambda a: a.raised.clinical_time):
        level = alert.payload.level.value.replace("_", " ").upper()
        text = f"{w.hm(alert.raised.clinical_time)} {level} — {alert.payload.message}"
        source = corrected_source(state, alert)
        if source is not None:
            text += f" · {corrected_source_words(source, w.names, w.tz)}"
        ack = alert.acknowledged
        if ack is None:
            lines.append(SummaryLine(f"{text} · NOT ACKNOWLEDGED (still open)", attention=True))
            continue
        p = cast(AlertAcknowledged, ack.payload)
        text += f" · acknowledged {w.hm(ack.clinical_time)} by {w.name(ack.author)}: "
        text += p.action_taken
        text += " · clinician notified" if p.clinician_notified else " · clinician NOT notified"
        lines.append(SummaryLine(text))
    return SummarySection("alerts", "Alerts and actions", tuple(lines), "No alerts raised.")


def _prn_line(event: ChartEvent, w: _Words) -> SummaryLine:
    p = cast(PrnGiven, event.payload)
    text = (
        f"{w.hm(event.clinical_time)} {prn_label(p)} for {p.indication} · ordered by "
        f"{w.name(p.ordered_by)} · given by {w.name(event.author)}"
    )
    if p.override is not None:
        who = w.names.get(p.override.clinician_id, p.override.signature.signer_name)
        text += f" · OVERRIDE (allergy) by {who}: {p.override.reason}"
    if p.warnings_acknowledged:
        text += " · warnings confirmed: " + "; ".join(p.warnings_acknowledged)
    return SummaryLine(text, attention=p.override is not None or bool(p.warnings_acknowledged))


def _prns(state: SessionState, w: _Words) -> SummarySection:
    lines = tuple(_prn_line(e, w) for e in state.prns)
    return SummarySection("prns", "PRN (rescue) medicines", lines, "No PRN medicines given.")


def _effect_line(effects: list[SideEffectState], w: _Words) -> SummaryLine:
    worst = max(s.payload.severity for s in effects)
    serious = any(s.payload.serious for s in effects)
    noted = ", ".join(w.hm(s.noted.clinical_time) for s in effects)
    text = (
        f"{label(effects[0].payload.effect)} — worst {SEVERITY_WORDS.get(worst, worst)} "
        f"(grade {worst}), noted {noted}"
    )
    if serious:
        text += " · SERIOUS"
    open_ = [s for s in effects if s.resolved is None]
    if open_:
        text += " · NOT resolved"
    else:
        last = max(cast(ChartEvent, s.resolved).clinical_time for s in effects)
        text += f" · resolved {w.hm(last)}"
    return SummaryLine(text, attention=serious or (bool(open_) and needs_follow_up(worst)))


def _side_effects(state: SessionState, w: _Words) -> SummarySection:
    by_effect: dict[str, list[SideEffectState]] = {}
    for s in sorted(state.side_effects.values(), key=lambda s: s.noted.clinical_time):
        by_effect.setdefault(s.payload.effect, []).append(s)
    lines = tuple(_effect_line(effects, w) for effects in by_effect.values())
    return SummarySection("side_effects", "Side effects", lines, "No side effects charted.")


def _slipped_line(check: SlippedCheck, w: _Words) -> SummaryLine:
    deferral = check.deferral
    if deferral is None:
        text = f"MISSED: {check.check_words(w.tz)} — {check.missed_words(w.hm)}"
        return SummaryLine(text, attention=True)
    p = cast(CheckDeferred, deferral.payload)
    by = f"by {w.name(deferral.author)} at {w.hm(deferral.clinical_time)}: {p.reason}"
    if p.mandatory:
        text = f"DEFERRED {check.check_words(w.tz, loud=True)} — {by}"
        return SummaryLine(f"{text} · {allowed_words(p, w.names)}", attention=True)
    return SummaryLine(f"Deferred: {check.check_words(w.tz)} — {by}")


def _checks(state: SessionState, protocol: Protocol, at: datetime, w: _Words) -> SummarySection:
    lines = tuple(_slipped_line(c, w) for c in slipped_checks(state, protocol, at))
    return SummarySection(
        "checks", "Checks missed or deferred", lines, "No check missed or deferred."
    )


def _overrides(state: SessionState, w: _Words) -> SummarySection:
    lines = tuple(
        SummaryLine(o.words(w.names, w.tz), attention=True) for o in clinician_overrides(state)
    )
    return SummarySection("overrides", "Clinician overrides", lines, "No overrides.")


def _drug(state: SessionState, protocol: Protocol) -> SummarySection:
    record = controlled.reconcile(state, protocol)
    if record.lot is None:
        line = SummaryLine("No drug prepared.")
    elif record.reconciled:
        witnesses = ", ".join(dict.fromkeys(record.witnesses))
        line = SummaryLine(
            f"Reconciled: drawn {record.drawn_mg:g} mg = infused {record.infused_mg or 0:g} mg "
            f"+ wasted {record.wasted_mg:g} mg"
            + (f" (waste witnessed by {witnesses})" if witnesses else "")
        )
    elif record.open_parts:
        line = SummaryLine(
            f"NOT reconciled — open remainder: {record.open_words()} (drawn but neither "
            "infused nor wasted)",
            attention=True,
        )
    elif record.infused_mg is None:
        line = SummaryLine("Infused amount known when the pump stops.")
    else:
        errors = "; ".join(f.message for f in record.report.errors)
        line = SummaryLine(f"NOT reconciled: {errors}", attention=True)
    return SummarySection("drug", "Drug record", (line,))


def _last_vitals(state: SessionState, at: datetime, w: _Words) -> SummarySection:
    readings = [e for e in state.vitals if e.clinical_time <= at]
    stop = state.infusion.stopped_at
    if not readings:
        line = SummaryLine("No vitals charted since the infusion started.", attention=True)
        if state.infusion.started_at is None:
            line = SummaryLine("The infusion has not started.")
        return SummarySection("vitals", "Last vitals", (line,))
    last = readings[-1]
    age = minutes_between(last.clinical_time, at)
    text = f"{age:.0f} min ago at {w.hm(last.clinical_time)}: "
    text += vitals_words(cast(VitalsRecorded, last.payload))
    if stop is not None and last.clinical_time < stop:
        line = SummaryLine(
            f"NONE since the stop at {w.hm(stop)} — last vitals {text}", attention=True
        )
    else:
        line = SummaryLine(f"Last vitals {text}")
    return SummarySection("vitals", "Last vitals", (line,))


def _pump(state: SessionState, protocol: Protocol, at: datetime, w: _Words) -> SummarySection:
    infusion = state.infusion
    overrun = pump_overrun(state, protocol, at)
    if overrun is not None:
        line = SummaryLine(overrun.words(), attention=True)
    elif infusion.started_at is None:
        line = SummaryLine("Not started.")
    elif infusion.stopped_at is None:
        line = SummaryLine(f"Running since {w.hm(infusion.started_at)}: the stop is not charted.")
    else:
        how = "completed" if infusion.completed else "stopped early"
        line = SummaryLine(
            f"Stopped {w.hm(infusion.stopped_at)} after "
            f"{infusion.running_minutes(infusion.stopped_at):.0f} min running: "
            f"{infusion.volume_infused_ml or 0:g} mL infused (pump), {how}"
        )
    return SummarySection("pump", "Pump", (line,))


def signoff_summary(
    state: SessionState, protocol: Protocol, at: datetime, names: Mapping[UserId, str]
) -> SignoffSummary:
    """What is signed, section by section, at ``at``.

    Parameters
    ----------
    state : SessionState
        The folded session record.
    protocol : Protocol
        The session's protocol.
    at : datetime
        The moment of signing (timezone-aware): the sign-off guard, missed checks, the age of
        the last vitals and the pump are judged at it.
    names : Mapping
        Staff names by user id (an unknown id is printed as it is).

    Returns
    -------
    SignoffSummary
        The sections in reading order; see the module docstring.
    """
    require_aware(at)
    w = _Words(names, state.opened.clinic_timezone)
    return SignoffSummary(
        (
            _criteria(state, protocol, at),
            _alerts(state, w),
            _prns(state, w),
            _side_effects(state, w),
            _checks(state, protocol, at, w),
            _overrides(state, w),
            _drug(state, protocol),
            _last_vitals(state, at, w),
            _pump(state, protocol, at, w),
        )
    )


__all__ = ["SignoffSummary", "SummaryLine", "SummarySection", "signoff_summary"]
