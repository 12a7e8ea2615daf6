"""The sections of the course summary: header with the order(s), the outcome so far with its
definitions, the PHQ-9 trend, one table row per session, and each session's record hash."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer, Table

from bedside.allergies import allergy_value
from bedside.course import CourseOrder
from bedside.protocol import AlertLevel
from bedside.rules.side_effects import is_severe
from charting.course_summary import CourseSessionRow, SessionStatus
from export.pdf.blocks import (
    RECORD_HASH,
    Cell,
    data_table,
    facts,
    header_rule,
    heading,
    hex_colour,
    none_recorded,
    status_box,
    title_block,
)
from export.pdf.course_chart import phq9_chart
from export.pdf.course_context import CourseContext
from export.pdf.styles import DANGER, DRAFT, MUTED, OK, WARNING, esc, para

COURSE_TITLE = "IV ketamine infusion — course summary"

CHART_HEIGHT = 160.0
"""Height of the PHQ-9 trend in points."""


def _number(value: float) -> str:
    """``36``, ``43.2``, ``0.25``: at most two decimals, no trailing zeros."""
    return f"{round(value, 2):g}"


def _status_box(ctx: CourseContext) -> Table:
    """Boxed: as of when, and whether every session is closed (signed or ended early); the
    figures of a session still open may change."""
    s = ctx.summary
    rows = s.sessions
    still_open = [r for r in rows if r.status is SessionStatus.OPEN]
    signed = sum(r.status is SessionStatus.SIGNED for r in rows)
    ended = len(rows) - signed - len(still_open)
    if not rows:
        text, colour = "<b>No sessions yet</b>", MUTED
    elif still_open:
        numbers = ", ".join(str(r.number) for r in still_open)
        plural = len(still_open) > 1
        text = (
            f'<font color="{hex_colour(DRAFT)}"><b>NOT FINAL</b></font><br/>'
            f"Still open: session{'s' if plural else ''} {esc(numbers)}<br/>"
            f"{'Their' if plural else 'Its'} figures may change"
        )
        colour = DRAFT
    else:
        counts = f"{signed} signed" + (f", {ended} ended early" if ended else "")
        word = "SIGNED" if not ended else "CLOSED"
        text = f'<font color="{hex_colour(OK)}"><b>ALL SESSIONS {word}</b></font><br/>{counts}'
        colour = OK
    text = f"{text}<br/>As of {esc(ctx.when(s.as_of))}"
    return status_box(ctx, text, colour)


def _order_text(ctx: CourseContext, order: CourseOrder) -> str:
    """One order: dose rule, course length, frequency, signer and date."""
    return (
        f"<b>{order.mg_per_kg:g} mg/kg</b> ({esc(order.weight_basis.value)} weight) over "
        f"{order.duration_min} min, max {order.max_dose_mg:g} mg; "
        f"<b>{order.planned_infusions} infusions</b>, {esc(order.frequency)}. "
        f"Signed by {esc(order.signature.signer_name)}, {esc(ctx.when(order.signature.signed_at))}"
    )


def course_header(ctx: CourseContext) -> list[Flowable]:
    """Clinic, title and signing status; the patient, the indication and the order(s)."""
    s = ctx.summary
    patient = s.patient
    top = title_block(
        ctx,
        clinic_name=ctx.clinic_name,
        clinic_address=ctx.clinic_address,
        title=COURSE_TITLE,
        status=_status_box(ctx),
    )
    age = patient.age_on(ctx.day(s.as_of))
    pairs = [
        ("Patient", f"<b>{esc(patient.display_name)}</b>"),
        ("MRN", f"<b>{esc(patient.mrn)}</b>"),
        ("Date of birth", f"{patient.date_of_birth.isoformat()} ({age} y, {esc(patient.sex)})"),
        ("Indication", esc(s.order.indication) if s.order else "no course order"),
        ("Allergies", esc(allergy_value(patient.allergies, ctx.tz))),
        ("Times", f"clinic time, {esc(ctx.tz)}"),
    ]
    out: list[Flowable] = [top, Spacer(1, 4), facts(ctx, pairs, columns=2)]
    if s.orders:
        live = s.orders[-1]
        order_rows = [
            (
                "Course order" if len(s.orders) == 1 else f"Order {k} of {len(s.orders)}",
                ("<b>In force:</b> " if len(s.orders) > 1 and order is live else "")
                + ("Superseded: " if order is not live else "")
                + _order_text(ctx, order),
            )
            for k, order in enumerate(s.orders, start=1)
        ]
        out.append(facts(ctx, order_rows, columns=1))
    return [*out, header_rule(ctx)]


def _flag(value: bool | None, why_not_yet: str) -> str:
    """A response or remission flag: YES in green, No, or Not yet with the reason."""
    if value is None:
        return f"Not yet <font size='6.8' color='{hex_colour(MUTED)}'>({esc(why_not_yet)})</font>"
    if value:
        return f'<font color="{hex_colour(OK)}"><b>✓ YES</b></font>'
    return "<b>No</b>"


def outcome_section(ctx: CourseContext) -> list[Flowable]:
    """Infusions given of planned, cumulative dose, PHQ-9 change, response and remission, with
    the definitions and their sources in small print."""
    s = ctx.summary
    o = s.outcomes
    not_yet = "needs a PHQ-9 after the first" if s.first_phq9 else "no PHQ-9 yet"
    last = [r for r in s.sessions if r.infusion_started]
    last_text = "none"
    if last and s.days_since_last_infusion is not None:
        days = s.days_since_last_infusion
        ago = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
        last_text = f"{last[-1].date.isoformat()} (session {last[-1].number}, {ago})"
    pairs = [
        ("Infusions given", f"<b>{esc(s.infusions_text)}</b>"),
        ("PHQ-9 change", f"<b>{esc(s.change_text)}</b>"),
        ("Total infused", f"<b>{esc(s.cumulative_text)}</b>"),
        ("Response", _flag(s.response, not_yet)),
        ("Last infusion", esc(last_text)),
        ("Remission", _flag(s.remission, not_yet)),
    ]
    threshold = s.response_threshold
    here = (
        f" (here ≤ {threshold:g}: the first score was {s.first_phq9.total})"
        if threshold is not None and s.first_phq9 is not None
        else ""
    )
    drop = o.response_drop_fraction * 100
    small = ctx.styles.small
    notes = [
        para(
            f"<b>Response</b>: the latest PHQ-9 is at least {drop:.0f} % below the course's "
            f"first{esc(here)}. Source: {esc(o.response_source)}.",
            small,
        ),
        para(
            f"<b>Remission</b>: the latest PHQ-9 is below {o.remission_below}. "
            f"Source: {esc(o.remission_source)}.",
            small,
        ),
        para(
            "PHQ-9: the score charted before each infusion started; the change runs from the "
            "course's first score to its latest. Total infused: the infused amounts from each "
            "session's controlled-substance record (pump volume × bag concentration).",
            small,
        ),
    ]
    return [heading(ctx, "Outcome so far"), facts(ctx, pairs, columns=2), Spacer(1, 2), *notes]


def trend_section(ctx: CourseContext) -> list[Flowable]:
    """The PHQ-9 before each session, with the response and remission thresholds."""
    out: list[Flowable] = [heading(ctx, "PHQ-9 trend")]
    if not ctx.summary.phq9:
        return [*out, none_recorded(ctx, "No PHQ-9 scored before a session of this course yet.")]
    return [*out, phq9_chart(ctx.summary, ctx.styles.fonts, ctx.width, CHART_HEIGHT)]


def _coloured(markup: str, colour_hex: str) -> str:
    return f'<font color="{colour_hex}">{markup}</font>'


def _status_cell(row: CourseSessionRow) -> str:
    if row.status is SessionStatus.SIGNED:
        return esc(row.status_text)
    # "Open · Observation" on two lines: the phase is one word that must not be split.
    text = "<br/>".join(f"<b>{esc(part)}</b>" for part in row.status_text.split(" · "))
    if row.ended_early_reason:
        text += f"<br/><font size='6.8'>{esc(row.ended_early_reason)}</font>"
    return _coloured(text, hex_colour(DRAFT)) if row.status is SessionStatus.OPEN else text


def _planned_cell(row: CourseSessionRow) -> str:
    if row.planned_mg is None or row.planned_mg_per_kg is None:
        return "—"
    return f"{_number(row.planned_mg)} mg<br/>{_number(row.planned_mg_per_kg)} mg/kg"


def _infused_cell(row: CourseSessionRow) -> str:
    if not row.infusion_started:
        return "not started"
    if row.infused_mg is None:
        return "running"
    per_kg = row.infused_mg_per_kg
    text = f"{_number(row.infused_mg)} mg" + (
        f"<br/>{_number(per_kg)} mg/kg" if per_kg is not None else ""
    )
    if row.dose_differs:
        return _coloured(f"<b>{text}</b><br/>≠ planned", hex_colour(WARNING))
    return text


def _peak_cell(row: CourseSessionRow) -> str:
    level = row.peak_bp_level
    text = esc(row.peak_bp_text)
    if level is None:
        return text
    colour = WARNING if level is AlertLevel.NOTIFY else DANGER
    words = {AlertLevel.NOTIFY: "notify", AlertLevel.PAUSE: "pause"}.get(level, "do not start")
    return _coloured(
        f"<b>{text} ▲</b><br/><font size='6.8'>{words} level</font>", hex_colour(colour)
    )


def _phq9_cell(row: CourseSessionRow) -> str:
    if row.phq9_before is None:
        return "—"
    text = f"<b>{row.phq9_before}</b>"
    if row.phq9_item9_positive:
        text += _coloured("<br/><b>item 9<br/>&gt; 0</b>", hex_colour(DANGER))
    return text


def _cssrs_cell(row: CourseSessionRow) -> str:
    if row.cssrs_band is None:
        return "—"
    if row.cssrs_flagged:
        return _coloured(f"<b>{esc(row.cssrs_band)} ⚑</b><br/><b>FLAG</b>", hex_colour(DANGER))
    return esc(row.cssrs_band)


def _side_effects_cell(row: CourseSessionRow) -> str:
    if not row.side_effects:
        return "none"
    parts = []
    for effect in row.side_effects:
        text = esc(effect.short_text)
        parts.append(f"<b>{text}</b>" if effect.serious or is_severe(effect.max_severity) else text)
    # Run on with commas: one effect per line made a session's row four lines deep.
    return ", ".join(parts)


SESSION_COLUMNS = [
    "Session",
    "Date",
    "Status",
    "Planned\nmg · mg/kg",
    "Infused\nmg · mg/kg",
    "Peak BP\nmmHg",
    "CADSS-6\nat end",
    "PHQ-9\nbefore",
    "C-SSRS\nscreen",
    "Side effects\nworst severity",
]
SESSION_WIDTHS = [0.075, 0.105, 0.12, 0.1, 0.1, 0.1, 0.085, 0.07, 0.08, 0.165]


def sessions_section(ctx: CourseContext) -> list[Flowable]:
    """One row per session of the course, in order, with a key to the marks below."""
    out: list[Flowable] = [heading(ctx, "Sessions")]
    rows = ctx.summary.sessions
    if not rows:
        return [*out, none_recorded(ctx, "No sessions in this course yet.")]
    body: list[list[Cell]] = [
        [
            f"<b>{esc(r.number_text)}</b>",
            r.date.isoformat(),
            _status_cell(r),
            _planned_cell(r),
            _infused_cell(r),
            _peak_cell(r),
            "—" if r.cadss6_end is None else str(r.cadss6_end),
            _phq9_cell(r),
            _cssrs_cell(r),
            _side_effects_cell(r),
        ]
        for r in rows
    ]
    out.append(data_table(ctx, SESSION_COLUMNS, body, SESSION_WIDTHS))
    out.append(Spacer(1, 2))
    out.append(
        para(
            "Peak BP: the highest systolic and diastolic of the timed readings (baseline left "
            "out; they may come from different readings); ▲ crossed a protocol limit (amber: "
            "notify; red: pause or do-not-start). Dose infused: pump volume × bag concentration; "
            "≠ planned when it differs from the plan. CADSS-6: the score nearest the end of the "
            "infusion. C-SSRS: the session's worst screen; ⚑ FLAG: moderate or high risk. "
            "PHQ-9 item 9 &gt; 0: thoughts of self-harm, same-day follow-up. — : not charted.",
            ctx.styles.small,
        )
    )
    return out


def records_section(ctx: CourseContext) -> list[Flowable]:
    """Each session's record hash, so every row can be checked against the database."""
    if not ctx.record_hashes:
        return []
    rows: list[list[Cell]] = []
    for r in ctx.summary.sessions:
        record = ctx.record_hashes.get(r.session_id, "")
        state = "" if r.status is SessionStatus.SIGNED else f"<br/>{esc(r.status.label.lower())}"
        rows.append(
            [
                esc(r.number_text) + state,
                r.date.isoformat(),
                # The full hash on one line: it names the session too (verify --hash says
                # which), so the session id is left to each session's own summary.
                f"<font name='{ctx.styles.fonts.mono}'>{esc(record)}</font>",
            ]
        )
    if not rows:
        return []
    return [
        heading(ctx, "Session records"),
        para(
            "Each session's own summary PDF is the full record. Check a session here against "
            "the database with <b>bedside verify --hash HASH</b>; the hash of a session still "
            "open changes with every entry charted.",
            ctx.styles.small,
        ),
        Spacer(1, 2),
        data_table(ctx, ["Session", "Date", RECORD_HASH], rows, [0.1, 0.14, 0.76]),
    ]
