"""The infusion: its timeline (start, rate changes, pauses, stop), the vitals flowsheet, the
checks missed or deferred and the trend chart, all from ``charting`` (the same rows, series and
checks the app shows)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from bedside.events import (
    ChartEvent,
    InfusionPaused,
    InfusionResumed,
    InfusionStarted,
    InfusionStopped,
    Kind,
    Override,
    RateChanged,
)
from bedside.protocol import AlertLevel
from bedside.rules.check_times import CheckKind
from bedside.rules.controlled import reconcile
from bedside.timeutil import minutes_between
from charting.checks_missed import SlippedCheck, allowed_words, check_name, slipped_checks
from charting.flowsheet import FLOWSHEET_COLUMNS, FlowsheetCell, FlowsheetRow
from charting.flowsheet_scores import SAME_CHECK_MIN
from charting.series import SessionSeries
from export.pdf.blocks import (
    Cell,
    data_table,
    heading,
    hex_colour,
    none_recorded,
    table_section,
)
from export.pdf.context import PrintContext, level_mark, strike, superseded_mark
from export.pdf.styles import DANGER, WARNING, esc, para
from export.pdf.trend_chart import trend_chart

_INFUSION_KINDS = frozenset(
    {
        Kind.INFUSION_STARTED,
        Kind.INFUSION_PAUSED,
        Kind.INFUSION_RESUMED,
        Kind.RATE_CHANGED,
        Kind.INFUSION_STOPPED,
    }
)


_WIDTH = {
    # Room for a flagged three-digit value with its mark and level letter ("184▲P") on one line.
    "systolic": 0.066,
    "diastolic": 0.066,
    "heart_rate": 0.062,
    "spo2": 0.058,
    "resp_rate": 0.05,
    "temperature_c": 0.062,
    "oxygen": 0.05,
    "sedation": 0.095,
    "cadss6": 0.085,
}
"""Column widths (share of the page) that differ from a vital sign's."""


def timeline_section(ctx: PrintContext) -> list[Flowable]:
    """Start, rate changes, pauses and stop, with the running time (deferred checks are listed
    with the missed ones, under the flowsheet)."""
    out: list[Flowable] = [heading(ctx, "Infusion")]
    events = [
        e for e in ctx.state.events if e.kind in _INFUSION_KINDS and e.id in ctx.state.effective
    ]
    events.sort(key=lambda e: (e.clinical_time, e.seq))
    if not events:
        return [*out, none_recorded(ctx, "The infusion was not started.")]
    rows: list[list[Cell]] = []
    for e in events:
        p = e.payload
        if isinstance(p, InfusionStarted):
            what, detail = "<b>Started</b>", _started_detail(ctx, p)
        elif isinstance(p, RateChanged):
            what, detail = "Rate changed", f"{p.rate_ml_h:g} mL/h — {esc(p.reason)}"
        elif isinstance(p, InfusionPaused):
            what, detail = "<b>Paused</b>", esc(p.reason)
        elif isinstance(p, InfusionResumed):
            what = "<b>Resumed</b>" if p.override is not None else "Resumed"
            detail = f"{p.rate_ml_h:g} mL/h" + _confirmation(ctx, "Resumed", p.override)
        elif isinstance(p, InfusionStopped):
            state = "completed" if p.completed else f"stopped early: {esc(p.reason)}"
            what, detail = "<b>Stopped</b>", f"{p.volume_infused_ml:g} mL infused (pump); {state}"
        else:  # pragma: no cover - filtered above
            continue
        rows.append(
            [
                f"{esc(ctx.hm(e.clinical_time))} {esc(ctx.offset(e.clinical_time))}",
                what,
                detail,
                esc(ctx.short(e.author)),
            ]
        )
    out.append(data_table(ctx, ["Time", "Event", "Detail", "By"], rows, [0.13, 0.14, 0.6, 0.13]))
    timeline = ctx.state.infusion
    if timeline.started_at is not None and timeline.stopped_at is not None:
        running = timeline.running_minutes(timeline.stopped_at)
        paused = sum(
            ((end or timeline.stopped_at) - start).total_seconds() / 60
            for start, end, _ in timeline.pauses
        )
        expected = timeline.expected_volume_ml()
        summary = (
            f"Pump running {running:.0f} min, paused {paused:.0f} min "
            f"({esc(ctx.hm(timeline.started_at))}–{esc(ctx.hm(timeline.stopped_at))})"
        )
        if expected is not None:
            summary += f"; volume implied by the charted rates {expected:.1f} mL"
        differs = reconcile(ctx.state, ctx.inputs.context.protocol).volume_differs
        if differs is not None:
            # Beside the figures it is about, not only under the drug record.
            summary += f'<br/><font color="{hex_colour(DANGER)}"><b>▶ {esc(differs)}</b></font>'
        out.append(para(summary, ctx.styles.small))
    return out


def _started_detail(ctx: PrintContext, p: InfusionStarted) -> str:
    """The rate and volume, and a clinician's confirmation of the start (a stale baseline, a
    caution found again) with the findings, the reason and the signature."""
    detail = f"{p.rate_ml_h:g} mL/h, volume to be infused {p.vtbi_ml:g} mL"
    return detail + _confirmation(ctx, "Started", p.override)


def _confirmation(ctx: PrintContext, verb: str, override: Override | None) -> str:
    """A clinician's confirmation past blocking findings (a stale baseline at the start, no
    fresh BP below the pause limit at a resume): the findings, the reason and the signature."""
    if override is None:
        return ""
    return (
        f"<br/><b>{verb} on a clinician's confirmation</b> "
        f"({esc(', '.join(override.finding_codes))}): {esc(override.reason)} — "
        f"{ctx.signature_line(override.signature)}"
    )


def _level_colour(level: AlertLevel) -> str:
    return hex_colour(WARNING if level is AlertLevel.NOTIFY else DANGER)


def _cell_markup(cell: FlowsheetCell, struck: bool) -> str:
    """A value as the app shows it: abnormal values bold, coloured and marked ▲/▼; a baseline
    value in the caution band marked △/▽ (not coloured: it is not an alert); a value copied
    from the previous set in italics after "="."""
    if not cell.text:
        return ""
    text = f"<i>={esc(cell.text)}</i>" if cell.copied else esc(cell.text)
    if cell.level is not None and cell.mark and not struck:
        mark = f"{cell.mark}{level_mark(cell.level)}"
        text = f'<font color="{_level_colour(cell.level)}"><b>{text}{mark}</b></font>'
    elif cell.mark and not struck:
        text = f"{text}{cell.mark}"
    return strike(text, struck)


def _time_markup(ctx: PrintContext, row: FlowsheetRow) -> str:
    when = esc(ctx.hm(row.time))
    where = "base" if row.baseline else f"{row.minutes:+.0f}′"
    if row.scores_only:
        where += " scores"
    text = strike(f"<b>{when}</b> {where}", row.struck) + superseded_mark(row.struck)
    if row.late:
        text += f' <font color="{hex_colour(WARNING)}"><b>LATE</b></font>'
    return text


def _remarks(ctx: PrintContext, row: FlowsheetRow, event: ChartEvent) -> str:
    notes = []
    if row.struck:
        notes.append(ctx.struck_note(event))
    if row.corrects is not None:
        notes.append(f"<b>Correction</b> of the entry above: {esc(row.correction_reason or '')}")
    late = ctx.late_note(event)
    if late:
        notes.append(late)
    return "<br/>".join(notes)


def flowsheet_section(ctx: PrintContext, series: SessionSeries) -> list[Flowable]:
    """The vitals flowsheet: time rows × parameter columns, NEWS2, who, and remarks."""
    out: list[Flowable] = [heading(ctx, "Vital signs flowsheet")]
    rows_in = series.flowsheet
    if not rows_in:
        return [*out, none_recorded(ctx, "No vital signs charted.")]
    header = ["Time"]
    header += [f"{c.short}\n{c.unit}" for c in FLOWSHEET_COLUMNS]
    header += ["NEWS2", "By", "Remarks"]
    by_id = {e.id: e for e in ctx.state.events}
    rows: list[list[Cell]] = []
    for row in rows_in:
        cells: list[Cell] = [_time_markup(ctx, row)]
        cells += [_cell_markup(c, row.struck) for c in row.cells]
        news = ""
        if row.news2 is not None:
            news = strike(f"{row.news2.total}{'' if row.news2.complete else '*'}", row.struck)
        cells += [
            news,
            strike(esc(ctx.short(row.author)), row.struck),
            _remarks(ctx, row, by_id[row.event_id]),
        ]
        rows.append(cells)
    # Values share the middle; the sedation column is wider: it names its scale ("MOAA/S 4").
    # A value keeps its ▲/▼ on its line and a header its unit ("mmHg") unbroken.
    widths = [0.12] + [_WIDTH.get(c.key, 0.056) for c in FLOWSHEET_COLUMNS] + [0.072, 0.078]
    widths.append(1 - sum(widths))
    late_after = ctx.inputs.context.protocol.monitoring.late_entry_after_min
    # The key goes above the table, where a reader meets it before the marks it explains.
    out.append(
        para(
            "▲/▼ above/below a protocol limit, with its level: N notify (amber), P pause or "
            "D do not start (red). "
            "△/▽ a baseline value in the caution band before the start, acknowledged by a "
            "clinician (see Overrides). "
            "Struck through: corrected or voided, with the reason in Remarks; the entry that "
            f"replaced it follows. LATE: first charted more than {late_after} min after the time "
            "shown. NEWS2 * = incomplete set. <i>=142</i>: copied from the previous set, not "
            "measured again. Sedation and CADSS-6 are the scores of the same check (within "
            f"{SAME_CHECK_MIN} min); a check scored without vitals has a row of its own. "
            "Minutes are counted from the infusion start.",
            ctx.styles.small,
        )
    )
    out.append(data_table(ctx, header, rows, widths))
    return out


def _slipped_row(ctx: PrintContext, check: SlippedCheck) -> list[Cell]:
    """A missed check (its window) or a deferral (who, when, why, and who allowed a mandatory
    one, with their signature)."""
    due = f"<b>{esc(ctx.hm(check.due_at))}</b> {esc(ctx.offset(check.due_at))}"
    what = esc(check_name(check.mandatory))
    if check.mandatory:
        what = f"<b>{what.replace('mandatory', 'MANDATORY')}</b>"
    if check.kind is not None and check.kind is not CheckKind.MANDATORY_BP:
        what += f"<br/>{esc(check.kind.label)}"
    p = check.deferred
    if p is None or check.deferral is None:
        happened = f'<font color="{hex_colour(DANGER)}"><b>MISSED</b></font>'
        detail = esc(check.missed_words(ctx.hm))
        return [due, what, happened, detail]
    event = check.deferral
    detail = (
        f"by {esc(ctx.short(event.author))} at {esc(ctx.hm(event.clinical_time))}: {esc(p.reason)}"
    )
    if p.mandatory:
        names = ctx.names
        allowed = allowed_words(p, names)
        detail += f"<br/><b>{esc(allowed[:1].upper() + allowed[1:])}</b>"
        if p.allowed is not None:
            detail += f" — {ctx.signature_line(p.allowed.signature)}"
    return [due, what, "<b>Deferred</b>", detail]


def checks_section(ctx: PrintContext) -> list[Flowable]:
    """The scheduled vitals checks that were missed (no reading in their window) or deferred
    (with the reason, and the clinician who allowed a mandatory one)."""
    rows = [
        _slipped_row(ctx, c)
        for c in slipped_checks(ctx.state, ctx.inputs.context.protocol, ctx.judged_at)
    ]
    return table_section(
        ctx,
        "Checks missed or deferred",
        ["Due", "Check", "What happened", "Detail"],
        rows,
        [0.12, 0.2, 0.14, 0.54],
        empty="No scheduled check was missed or deferred.",
    )


def trend_section(ctx: PrintContext, series: SessionSeries) -> list[Flowable]:
    """The trend chart, kept on one page with its heading."""
    if not series.flowsheet:
        return []
    now = None
    if ctx.state.closed_at is None and ctx.printed_at is not None:
        now = minutes_between(series.anchor, ctx.printed_at)
    chart = trend_chart(series, ctx.styles.fonts, ctx.width, 78 * mm, now_minutes=now)
    return [KeepTogether([heading(ctx, "Trend: blood pressure, heart rate, SpO₂"), chart])]
