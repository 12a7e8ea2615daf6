"""The text of the session window's side panel, from the record at a moment (no Qt).

Before the pump: the plan and the preparation. While it runs: the elapsed clock, the next
check, what the pump should show and the latest scores. After it: discharge readiness, judged
at sign-off for a signed record (not re-judged at today's time).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape

from bedside.context import SessionContext
from bedside.events import DosePlanned, DrugPrepared, Phase
from bedside.rules import controlled, discharge
from bedside.scales import ScaleName
from bedside.state import AlertState
from bedside.timeutil import local_text
from charting.actions import Action
from charting.board import summarize
from charting.flowsheet import FlowsheetRow
from charting.flowsheet_scores import SAME_CHECK_MIN
from charting.marks import side_effect_label
from ui.common.theme import points
from ui.session.buttons import BUTTONS


def alerts_html(open_alerts: list[AlertState]) -> str:
    """The banner's text: every open alert, and the key that acknowledges one."""
    return (
        "<br>".join(f"⚠ {escape(a.payload.message)}" for a in open_alerts)
        + " — <b>acknowledge with A</b>"
    )


LEGEND_HTML = (
    "<b>▲ ▼</b> outside the limits (amber notify, red pause) · <b>△</b> caution · <b>LATE</b> · "
    "<s>struck</s> corrected or voided · NEWS2<b>*</b> incomplete · <i>=142</i> copied"
    " — hover here for more"
)
"""What the flowsheet's marks mean, on one line (the screen's height is the record's);
:func:`legend_tooltip` says it in full, with the session's protocol numbers."""


def legend_tooltip(ctx: SessionContext) -> str:
    """The legend in full."""
    return (
        "<b>▲ ▼</b> outside the protocol limits (amber: notify the clinician; red: pause).<br>"
        "<b>△ ▽</b> a baseline value in the caution band before the start (a clinician "
        "acknowledges it with a reason; not an alert).<br>"
        f"<b>LATE</b>: recorded more than {ctx.protocol.monitoring.late_entry_after_min} min "
        "after the reading.<br><s>struck</s>: corrected or voided (hover the row for the "
        "reason).<br>NEWS2<b>*</b>: a parameter is missing (hover the score).<br><i>=142</i>: "
        "copied from the previous set, not measured again.<br>Sedation and CADSS-6: the scores "
        f"of that check (within {SAME_CHECK_MIN} min); a check scored alone has a row of its own."
    )


def footer_text(ctx: SessionContext) -> str:
    """The record hash (what a printed summary carries) and how many entries it holds."""
    count = len(ctx.state.events)
    return f"Record {ctx.state.head_hash[:12]}… · {count} entr{'y' if count == 1 else 'ies'}"


def panel_html(
    ctx: SessionContext, flowsheet: tuple[FlowsheetRow, ...], now: datetime, tz: str
) -> str:
    """The panel for the session's phase at ``now`` (times shown in the clinic zone ``tz``)."""
    state = ctx.state
    if state.infusion.started_at is None and not state.closed:
        return before_start_html(ctx)
    if state.infusion.stopped_at is None and not state.closed:
        tile = summarize(
            ctx.header.chair, state, ctx.protocol, ctx.patient, now, flowsheet=flowsheet
        )
        check = (
            f"Next: {'BP check' if tile.next_check.mandatory_bp else 'vitals'} {tile.countdown}"
            if tile.next_check is not None
            else ""
        )
        return (
            f"<p style='font-size:{points(2.0)}pt'><b>{tile.elapsed_label}</b></p>"
            f"<p>{check}</p>{pump_html(ctx, now, tz)}{scores_html(ctx, tz)}"
            + drug_open_html(ctx)
            + ("" if tile.open_alerts else "<p>No open alerts.</p>")
            + "<p>Discharge readiness is listed once the infusion has stopped.</p>"
        )
    return drug_open_html(ctx) + readiness_html(ctx, now, tz)


def drug_open_html(ctx: SessionContext) -> str:
    """The drug drawn and neither in the bag, infused nor wasted (an open item until it is
    wasted with a witness), with the key that records the waste; "" when none is open."""
    record = controlled.reconcile(ctx.state, ctx.protocol)
    if not record.open_parts:
        return ""
    key = next(k for _, action, _, k, _ in BUTTONS if action is Action.WASTE)
    return (
        f"<p><b>⚠ Drug to waste: {escape(record.open_words())}</b><br>"
        f"drawn but neither infused nor wasted — record the waste with a witness "
        f"(<b>{escape(key)}</b>).</p>"
    )


def readiness_html(ctx: SessionContext, now: datetime, tz: str) -> str:
    """Each discharge criterion met or not, and when all were first met."""
    state = ctx.state
    # A closed record is shown as it stood when it closed, not re-judged at today's time.
    at = discharge.judged_at(state, now)
    readiness = discharge.evaluate(state, ctx.protocol, at)
    first = discharge.first_ready_time(state, ctx.protocol, at)
    first_text = (
        f"<p>All criteria first met at <b>{local_text(first, tz, '%H:%M')}</b></p>" if first else ""
    )
    items = "".join(
        f"<li>{'✓' if c.met else '✗'} {c.label} <span style='opacity:.7'>({c.detail})</span></li>"
        for c in readiness.criteria
    )
    when = (
        "at sign-off"
        if state.signed is not None
        else "when the session ended"
        if state.ended_early is not None
        else "now"
    )
    return f"<h3>Discharge readiness ({when})</h3>{first_text}<ul>{items}</ul>"


def pump_html(ctx: SessionContext, now: datetime, tz: str) -> str:
    """What the pump should show now: rate, volume so far, when the bag should end."""
    state = ctx.state
    plan = state.typed(state.dose_plan, DosePlanned)
    segments = state.infusion.segments
    if plan is None or not segments:
        return ""
    rate = segments[-1].rate_ml_h
    so_far = state.infusion.expected_volume_ml(now) or 0.0
    left = max(plan.final_volume_ml - so_far, 0.0)
    if state.phase is Phase.PAUSED and state.infusion.pauses:
        since = state.infusion.pauses[-1][0]
        minutes = int((now - since).total_seconds() // 60)
        status = f"<b>Paused {minutes} min</b> (was {rate:g} mL/h)"
        end = ""
    else:
        status = f"Rate <b>{rate:g} mL/h</b>"
        ends = now + timedelta(hours=left / rate) if rate > 0 else None
        end = f" · bag ends about {local_text(ends, tz, '%H:%M')}" if ends else ""
    mg = so_far * plan.concentration_mg_ml
    return (
        f"<p>{status}<br>About {so_far:.0f} of {plan.final_volume_ml:g} mL "
        f"({mg:.1f} of {plan.dose_mg:g} mg) by the charted rates{end}</p>"
    )


def scores_html(ctx: SessionContext, tz: str) -> str:
    """The latest sedation and dissociation scores and any side effect still open."""
    state = ctx.state
    parts = []
    for scale in (ScaleName(ctx.protocol.monitoring.sedation_scale), ScaleName.CADSS6):
        latest = state.latest_scale(scale)
        if latest is not None:
            total = getattr(latest.payload, "total", "")
            at = local_text(latest.clinical_time, tz, "%H:%M")
            parts.append(f"{scale.label} <b>{total}</b> at {at}")
    open_effects = [
        side_effect_label(se.payload.effect, se.payload.severity)
        for se in state.side_effects.values()
        if se.resolved is None
    ]
    if open_effects:
        parts.append("open side effects: " + ", ".join(open_effects) + " (Y when settled)")
    return f"<p>{' · '.join(parts)}</p>" if parts else ""


def _of_vial(prep: DrugPrepared) -> str:
    """How much of the vial was drawn: ", the whole vial" or " of a 10 mL vial"."""
    if abs(prep.drawn_ml - prep.vial_volume_ml) < 1e-9:
        return ", the whole vial"
    return f" of a {prep.vial_volume_ml:g} mL vial"


def before_start_html(ctx: SessionContext) -> str:
    """The plan with its formula and the preparation, before the pump starts."""
    state = ctx.state
    plan = state.typed(state.dose_plan, DosePlanned)
    prep = state.typed(state.preparation, DrugPrepared)
    parts = [f"<h3>{state.phase.label}</h3>"]
    if plan is not None:
        formula = "<br>".join(plan.formula.splitlines())
        parts.append(
            f"<p><b>{plan.dose_mg:g} mg</b> ({plan.mg_per_kg:g} mg/kg × "
            f"{plan.dosing_weight_kg:g} kg) in {plan.final_volume_ml:g} mL at "
            f"<b>{plan.rate_ml_h:g} mL/h</b> over {plan.duration_min} min</p>"
            f"<p style='font-family:monospace'>{formula}</p>"
        )
    if prep is not None:
        parts.append(
            f"<p>Vial {prep.vial_concentration_mg_ml:g} mg/mL, lot <b>{prep.lot}</b>, "
            f"expires {prep.expiry:%d %b %Y}; drawn {prep.drawn_mg:g} mg "
            f"({prep.drawn_ml:g} mL{_of_vial(prep)}).<br>Double-checked by "
            f"{prep.double_check.signer_name}.</p>"
        )
    parts.append(drug_open_html(ctx))
    if plan is not None and prep is not None:
        parts.append(
            "<p>Everything before the infusion is recorded. Check the pump against the plan, "
            "then press <b>Start infusion (I)</b>; the core checks consent, the order, the "
            "baseline and the preparation once more.</p>"
        )
    return "".join(parts)
