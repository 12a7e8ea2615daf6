"""During and after the infusion: scores, side effects, rescue medicines, alerts and notes.
Corrected and voided entries stay in each table, struck through, with the reason."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from reportlab.platypus import Flowable

from bedside.events import (
    AlertAcknowledged,
    ChartEvent,
    Kind,
    NoteAdded,
    PrnGiven,
    ScaleScored,
    SideEffectNoted,
)
from bedside.protocol import AlertLevel
from bedside.rules.side_effects import SEVERITY_WORDS, label, needs_follow_up
from bedside.scales import score
from bedside.state import Supersession
from bedside.state_parts import AlertState
from charting.alert_source import corrected_source, corrected_source_words
from charting.record import history, wrong_patient_void
from export.pdf.blocks import Cell, hex_colour, table_section
from export.pdf.context import (
    PrintContext,
    strike,
    superseded_mark,
    with_remarks,
    yes_no,
)
from export.pdf.styles import DANGER, WARNING, esc


def _time(ctx: PrintContext, when: datetime, struck: bool) -> str:
    text = f"<b>{esc(ctx.hm(when))}</b> {esc(ctx.offset(when))}"
    return strike(text, struck) + superseded_mark(struck)


def scales_section(ctx: PrintContext) -> list[Flowable]:
    """Every score (MOAA/S, RASS, CADSS-6, PHQ-9, C-SSRS) with its meaning and flags."""
    rows: list[list[Cell]] = []
    for e in history(ctx.state, {Kind.SCALE_SCORED}):
        p = cast(ScaleScored, e.payload)
        struck = ctx.gone(e) is not None
        meaning = score(p.scale, p.answers).band_label
        flags = ", ".join(f.replace("_", " ") for f in p.flags)
        rows.append(
            [
                _time(ctx, e.clinical_time, struck),
                strike(esc(p.scale.label), struck),
                strike(f"<b>{p.total}</b>", struck),
                strike(esc(meaning) + (f"; <b>{esc(flags)}</b>" if flags else ""), struck),
                strike(esc(ctx.short(e.author)), struck),
                ctx.remarks(e),
            ]
        )
    return table_section(
        ctx,
        "Scales",
        ["Time", "Scale", "Score", "Meaning", "By", "Remarks"],
        rows,
        [0.12, 0.12, 0.06, 0.35, 0.09, 0.26],
        empty="No scales scored.",
    )


def side_effects_section(ctx: PrintContext) -> list[Flowable]:
    """Side effects with severity, action and resolution."""
    resolved = {s.noted.id: s.resolved for s in ctx.state.side_effects.values()}
    rows: list[list[Cell]] = []
    for e in history(ctx.state, {Kind.SIDE_EFFECT_NOTED}):
        p = cast(SideEffectNoted, e.payload)
        struck = ctx.gone(e) is not None
        severity = f"{SEVERITY_WORDS.get(p.severity, p.severity)} (grade {p.severity})"
        if needs_follow_up(p.severity) and not struck:
            severity = f'<font color="{hex_colour(WARNING)}"><b>{severity}</b></font>'
        if p.serious:
            severity += f' <font color="{hex_colour(DANGER)}"><b>SERIOUS</b></font>'
        action = esc(p.action) + (f" — {esc(p.note)}" if p.note else "")
        res_event = resolved.get(e.id)
        if struck:
            resolution = ""
        elif res_event is None:
            resolution = "<b>not resolved</b>"
        else:
            note = getattr(res_event.payload, "note", "")
            resolution = f"{esc(ctx.hm(res_event.clinical_time))}" + (
                f": {esc(note)}" if note else ""
            )
        rows.append(
            [
                _time(ctx, e.clinical_time, struck),
                strike(f"<b>{esc(label(p.effect))}</b>", struck),
                strike(severity, struck),
                with_remarks(strike(action, struck), ctx.remarks(e)),
                resolution,
                strike(esc(ctx.short(e.author)), struck),
            ]
        )
    return table_section(
        ctx,
        "Side effects",
        ["Onset", "Effect", "Severity", "Action", "Resolved", "By"],
        rows,
        [0.12, 0.17, 0.15, 0.30, 0.17, 0.09],
        empty="No side effects charted.",
    )


def _prn_checks(p: PrnGiven) -> str:
    """A PRN's allergy override (who, why) and the warnings the nurse confirmed."""
    notes = [f"⚠ confirmed: {esc(w)}" for w in p.warnings_acknowledged]
    if p.override is not None:
        notes.insert(
            0,
            f"<b>Allergy override</b> by {esc(p.override.signature.signer_name)}: "
            f"{esc(p.override.reason)}",
        )
    return "<br/>".join(notes)


def prn_section(ctx: PrintContext) -> list[Flowable]:
    """Rescue (PRN) medicines: drug, dose, route, indication, who ordered, who gave, effect."""
    rows: list[list[Cell]] = []
    for e in history(ctx.state, {Kind.PRN_GIVEN}):
        p = cast(PrnGiven, e.payload)
        struck = ctx.gone(e) is not None
        rows.append(
            [
                _time(ctx, e.clinical_time, struck),
                with_remarks(
                    strike(f"<b>{esc(p.drug)} {p.dose:g} {esc(p.unit)} {esc(p.route)}</b>", struck),
                    _prn_checks(p),
                ),
                strike(esc(p.indication), struck),
                strike(esc(ctx.short(p.ordered_by)), struck),
                strike(esc(ctx.short(e.author)), struck),
                with_remarks(strike(esc(p.effect) or "–", struck), ctx.remarks(e)),
            ]
        )
    return table_section(
        ctx,
        "PRN (rescue) medicines",
        ["Time", "Medicine", "Indication", "Ordered by", "Given by", "Effect"],
        rows,
        [0.12, 0.22, 0.2, 0.11, 0.11, 0.24],
        empty="No PRN medicines given.",
    )


def alerts_section(ctx: PrintContext) -> list[Flowable]:
    """Alerts raised by the protocol's limits and the action taken on each."""
    alerts = sorted(ctx.state.alerts.values(), key=lambda a: (a.raised.clinical_time, a.raised.seq))
    rows: list[list[Cell]] = []
    for a in alerts:
        level = a.payload.level
        colour = WARNING if level is AlertLevel.NOTIFY else DANGER
        ack = a.acknowledged
        if ack is None:
            handled = f'<font color="{hex_colour(DANGER)}"><b>NOT ACKNOWLEDGED</b></font>'
            action = ""
        else:
            p = cast(AlertAcknowledged, ack.payload)
            handled = f"{esc(ctx.hm(ack.clinical_time))} by {esc(ctx.short(ack.author))}"
            action = esc(p.action_taken) + (
                f"<br/>Clinician notified: {yes_no(p.clinician_notified)}"
            )
        rows.append(
            [
                _time(ctx, a.raised.clinical_time, False),
                f'<font color="{hex_colour(colour)}"><b>{esc(level.value.replace("_", " "))}</b></font>',
                _alert_text(ctx, a),
                handled,
                action,
            ]
        )
    return table_section(
        ctx,
        "Alerts and action taken",
        ["Time", "Level", "Alert", "Acknowledged", "Action taken"],
        rows,
        [0.12, 0.08, 0.3, 0.14, 0.36],
        empty="No alerts raised.",
    )


def _alert_text(ctx: PrintContext, alert: AlertState) -> str:
    """The alert's message, and, when its reading was later corrected or voided, that (in
    bold: the value the alert names is not the one that stands)."""
    text = esc(alert.payload.message)
    source = corrected_source(ctx.state, alert)
    if source is None:
        return text
    return text + f"<br/><b>{esc(corrected_source_words(source, ctx.names, ctx.tz))}</b>"


def notes_section(ctx: PrintContext) -> list[Flowable]:
    """Free-text nursing notes. A note voided as charted on the wrong patient's record keeps
    its row (time, author, SUPERSEDED) but not its words: they are another patient's."""
    rows: list[list[Cell]] = []
    for e in history(ctx.state, {Kind.NOTE}):
        p = cast(NoteAdded, e.payload)
        struck = ctx.gone(e) is not None
        withheld = wrong_patient_void(ctx.state, e)
        rows.append(
            [
                _time(ctx, e.clinical_time, struck),
                strike(esc(ctx.short(e.author)), struck),
                with_remarks(strike(esc(p.text), struck), ctx.remarks(e))
                if withheld is None
                else _withheld_note(ctx, e, withheld),
            ]
        )
    return table_section(
        ctx, "Notes", ["Time", "By", "Note"], rows, [0.12, 0.1, 0.78], empty="No notes."
    )


def _withheld_note(ctx: PrintContext, event: ChartEvent, void: Supersession) -> str:
    """What a wrong-patient note prints in place of its words: that they are withheld, and
    who voided it when. The void's and any correction's free-text reasons are left out too:
    they were typed about the other patient's entry and may name them."""
    said = (
        "<b>Text withheld</b>: charted on the wrong patient's record (voided "
        f"{esc(ctx.hm_on_day(void.by_event.recorded_time))} by "
        f"{esc(ctx.short(void.by_event.author))})"
    )
    return with_remarks(said, ctx.late_note(event))
