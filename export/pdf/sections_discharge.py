"""The end of the record: discharge assessment and readiness, the signature blocks, a manifest
of every signature in the record, and the addenda written after the sign-off."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import cast

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from bedside.events import (
    AddendumAdded,
    ChartAttested,
    ConsentRecorded,
    DischargeAssessed,
    DrugPrepared,
    Kind,
    SessionEndedEarly,
    SessionSigned,
    WasteRecorded,
)
from bedside.people import Role
from bedside.rules import discharge
from bedside.rules.discharge import DischargeReadiness
from bedside.scales import definition
from bedside.signatures import Signature
from bedside.timeutil import minutes_between
from charting.overrides import carried_override
from charting.record import history
from export.pdf.blocks import (
    RECORD_HASH,
    Cell,
    data_table,
    facts,
    hash_markup,
    heading,
    hex_colour,
    none_recorded,
)
from export.pdf.context import PrintContext, strike, superseded_mark, with_remarks, yes_no
from export.pdf.flow import BoxRow, KeepSection
from export.pdf.styles import DANGER, MUTED, OK, RULE, esc, para


def _items(p: DischargeAssessed) -> str:
    defn = definition(p.scale)
    parts = []
    for item in defn.items:
        if item.key not in p.answers:
            continue
        value = p.answers[item.key]
        name = item.text.split(" (")[0]
        parts.append(
            f'{esc(name)} <b>{value}</b> <font color="{hex_colour(MUTED)}">'
            f"{esc(item.option_label(value))}</font>"
        )
    return "<br/>".join(parts)


def discharge_section(ctx: PrintContext) -> list[Flowable]:
    """Discharge assessments with item scores, the criteria at the close of the record, the
    first time all were met and the total monitored time."""
    out: list[Flowable] = [heading(ctx, "Discharge"), _assessments(ctx)]
    state, protocol = ctx.state, ctx.inputs.context.protocol
    # Never the wall clock: an unsigned record is judged at its last entry, so a reprint
    # says the same.
    at = discharge.judged_at(state, state.last_entry_at)
    readiness = discharge.evaluate(state, protocol, at)
    out.append(_criteria(ctx, readiness, at))
    out.append(facts(ctx, _readiness_times(ctx, at), columns=1, label_width=0.2))
    return out


def _assessments(ctx: PrintContext) -> Flowable:
    """The discharge assessments, one row each (struck through when voided or corrected)."""
    events = history(ctx.state, {Kind.DISCHARGE_ASSESSED})
    if not events:
        return none_recorded(ctx, "No discharge assessment charted.")
    rows: list[list[Cell]] = []
    for e in events:
        p = cast(DischargeAssessed, e.payload)
        struck = ctx.gone(e) is not None
        scale = definition(p.scale).title
        checks = (
            f"Escort present: {yes_no(p.escort_present)}"
            + (f" ({esc(p.escort_name)})" if p.escort_name else "")
            + f"<br/>Instructions given: {yes_no(p.instructions_given)}"
            + f"<br/>IV removed, site OK: {yes_no(p.iv_removed_site_ok)}"
        )
        rows.append(
            [
                strike(
                    f"<b>{esc(ctx.hm(e.clinical_time))}</b> {esc(ctx.offset(e.clinical_time))}",
                    struck,
                )
                + superseded_mark(struck),
                strike(f"{esc(scale)}: <b>{p.total}/10</b>", struck),
                strike(_items(p), struck),
                with_remarks(strike(checks, struck), ctx.remarks(e)),
                strike(esc(ctx.short(e.author)), struck),
            ]
        )
    return data_table(
        ctx,
        ["Time", "Score", "Items", "Checks", "By"],
        rows,
        [0.12, 0.17, 0.33, 0.29, 0.09],
    )


def _criteria(ctx: PrintContext, readiness: DischargeReadiness, at: datetime) -> Flowable:
    """Each discharge criterion, met or not, as judged at ``at``, under its caption."""
    crit_rows: list[list[Cell]] = []
    for c in readiness.criteria:
        mark = (
            f'<font color="{hex_colour(OK)}"><b>✓ met</b></font>'
            if c.met
            else f'<font color="{hex_colour(DANGER)}"><b>✗ not met</b></font>'
        )
        crit_rows.append([esc(c.label), mark, esc(c.detail)])
    moment = _judged_moment(ctx)
    when = f"at {moment}" if moment == "sign-off" else f"at the {moment}"
    return KeepSection(
        [
            para(f"<b>Discharge criteria {when}</b> ({esc(ctx.hm(at))})", ctx.styles.label),
            data_table(ctx, ["Criterion", "", "Detail"], crit_rows, [0.38, 0.12, 0.5]),
        ]
    )


def _judged_moment(ctx: PrintContext) -> str:
    """What the moment the record is judged at is (``discharge.judged_at``): the sign-off, the
    early end, or, for a record still open, its last entry."""
    if ctx.state.signed is not None:
        return "sign-off"
    if ctx.state.ended_early is not None:
        return "early end"
    return "last entry"


def _readiness_times(ctx: PrintContext, at: datetime) -> list[tuple[str, str]]:
    """When all criteria were first met, the total monitored time, and any early end."""
    state, protocol = ctx.state, ctx.inputs.context.protocol
    ready = discharge.first_ready_time(state, protocol, until=at)
    infusion = state.infusion
    pairs: list[tuple[str, str]] = []
    if ready is not None:
        after_stop = (
            f", {minutes_between(infusion.stopped_at, ready):.0f} min after the infusion stopped"
            if infusion.stopped_at is not None
            else ""
        )
        pairs.append(("All criteria first met", f"<b>{esc(ctx.when(ready))}</b>{after_stop}"))
    else:
        pairs.append(("All criteria first met", "<b>not met</b> in the record"))
    if infusion.started_at is not None:
        total = minutes_between(infusion.started_at, at)
        pairs.append(
            (
                "Total monitored",
                f"<b>{total:.0f} min</b> (infusion start {esc(ctx.hm(infusion.started_at))} → "
                f"{_judged_moment(ctx)} {esc(ctx.hm(at))})",
            )
        )
    if state.ended_early is not None:
        reason = cast(SessionEndedEarly, state.ended_early.payload).reason
        pairs.append(
            (
                "Ended early",
                f'<font color="{hex_colour(DANGER)}">{esc(ctx.when(state.ended_early.clinical_time))} '
                f"by {esc(ctx.person(state.ended_early.author))}: {esc(reason)}</font>",
            )
        )
    return pairs


_BOX_GAP = 6.0
"""Points between two signature boxes."""

_Box = tuple[str, Table, Color, float]
"""A signature box for :class:`export.pdf.flow.BoxRow`: title, content, frame colour, line."""


def _block(ctx: PrintContext, title: str, lines: list[tuple[str, str]], signed: bool) -> _Box:
    """A signature block: its title over label/value lines, framed green when signed."""
    s = ctx.styles
    body: list[list[Cell]] = [[para(f"<b>{esc(title)}</b>", s.cell), ""]]
    for label, value in lines:
        body.append([para(esc(label), s.label), para(value, s.cell)])
    width = (ctx.width - 2 * _BOX_GAP) / 3
    table = Table(body, colWidths=[width * 0.31, width * 0.69])
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (1, 0)),
                ("LINEBELOW", (0, 0), (-1, 0), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return (title, table, OK if signed else RULE, 0.9 if signed else 0.6)


def _sig_lines(ctx: PrintContext, sig: Signature) -> list[tuple[str, str]]:
    return [
        ("Name", f"<b>{esc(sig.signer_name)}</b>"),
        ("Role", esc(sig.signer_role.value)),
        ("Meaning", esc(sig.meaning.value)),
        ("Date, time", f"<b>{esc(ctx.when(sig.signed_at))}</b>"),
        (RECORD_HASH, hash_markup(ctx, sig.content_hash)),
    ]


def _unsigned(what: str) -> list[tuple[str, str]]:
    blank = f'<font color="{hex_colour(DANGER)}"><b>{esc(what)}</b></font>'
    return [("Name", blank), ("Role", ""), ("Meaning", ""), ("Date, time", "")]


def _charting_nurse(ctx: PrintContext) -> tuple[str, list[tuple[str, str]]]:
    """The nurse who charted the session: the author of most entries among the nurses (the
    opener when no nurse charted). Entries are authenticated by the signed-in account; the
    record has no separate signature of the charting nurse, and this block does not claim one."""
    state = ctx.state
    counts = Counter(
        e.author
        for e in state.events
        if e.kind not in (Kind.SESSION_SIGNED, Kind.ADDENDUM)
        and ctx.role(e.author) == Role.NURSE.value
    )
    author = counts.most_common(1)[0][0] if counts else state.opened_event.author
    own = [e for e in state.events if e.author == author and e.kind != Kind.ADDENDUM]
    first, last = own[0].recorded_time, own[-1].recorded_time
    others = sorted({ctx.person(a) for a in counts if a != author})
    lines = [
        ("Name", f"<b>{esc(ctx.person(author))}</b>"),
        ("Role", esc(ctx.role(author))),
        (
            "Meaning",
            f"Author of {len(own)} chart entries, each saved under their own sign-in",
        ),
        ("Date, time", f"<b>{esc(ctx.hm_on_day(first))}–{esc(ctx.hm_on_day(last))}</b>"),
    ]
    if others:
        lines.append(("Also charted", esc(", ".join(others))))
    return "Charting nurse", lines


def signatures_section(ctx: PrintContext) -> list[Flowable]:
    """The three signature blocks in boxes of one height, then every signature in the record
    (the story keeps the heading with them: :func:`export.pdf.blocks.story_of`)."""
    boxes = [_nurse_block(ctx), _clinician_block(ctx), _witness_block(ctx)]
    return [heading(ctx, "Signatures"), BoxRow(boxes, gap=_BOX_GAP), *_manifest(ctx)]


def _nurse_block(ctx: PrintContext) -> _Box:
    """The charting nurse's block: their attestation, or who charted when there is none."""
    state = ctx.state
    if state.attestations:
        # The charting nurse signed the record as complete and accurate.
        attested = cast(ChartAttested, state.attestations[0].payload).signature
        lines = _sig_lines(ctx, attested)
        others = [cast(ChartAttested, e.payload).signature for e in state.attestations[1:]]
        if others:
            lines.append(("Also signed", esc(", ".join(s.signer_name for s in others))))
        return _block(ctx, "Charting nurse", lines, True)
    title, nurse_lines = _charting_nurse(ctx)
    # Not drawn as signed: without the nurse's own signature of the charting, the block
    # names who charted (each entry authenticated by its sign-in) and claims no more.
    return _block(ctx, title, nurse_lines, False)


def _clinician_block(ctx: PrintContext) -> _Box:
    """The discharging clinician's sign-off (with any override), or "Not signed"."""
    if ctx.state.signed is None:
        return _block(ctx, "Discharging clinician", _unsigned("Not signed"), False)
    signed = cast(SessionSigned, ctx.state.signed.payload)
    lines = _sig_lines(ctx, signed.signature)
    if signed.override is not None:
        lines.append(("Override", esc(signed.override.reason)))
    return _block(ctx, "Discharging clinician", lines, True)


def _witness_block(ctx: PrintContext) -> _Box:
    """The witness of the last controlled-substance waste, or "No witnessed waste"."""
    wastes = [cast(WasteRecorded, e.payload).witness for e in ctx.state.waste]
    if wastes:
        return _block(
            ctx, "Witness (controlled-substance waste)", _sig_lines(ctx, wastes[-1]), True
        )
    return _block(
        ctx, "Witness (controlled-substance waste)", _unsigned("No witnessed waste"), False
    )


def _manifest(ctx: PrintContext) -> list[Flowable]:
    """Every signature in the record, in record order, each with the hash it signed."""
    manifest: list[list[Cell]] = []
    for event in ctx.state.events:
        for sig in _signatures_of(event.payload):
            manifest.append(
                [
                    esc(sig.meaning.value),
                    f"{esc(sig.signer_name)} ({esc(sig.signer_role.value)})",
                    esc(ctx.hm_on_day(sig.signed_at)),
                    hash_markup(ctx, sig.content_hash),
                ]
            )
    if not manifest:
        return []
    # Kept with its caption: moved whole when short, never a page of two stray rows.
    caption = para(
        "<b>Every signature in this record</b> (each binds the record as it stood when "
        "signed: its record hash at that moment)",
        ctx.styles.label,
    )
    table = data_table(
        ctx, ["Meaning", "Signed by", "Time", RECORD_HASH], manifest, [0.32, 0.24, 0.1, 0.34]
    )
    return [KeepSection([caption, table])]


def _signatures_of(payload: object) -> list[Signature]:
    if isinstance(payload, ConsentRecorded):
        return [payload.clinician_signature]
    if isinstance(payload, DrugPrepared):
        return [payload.double_check]
    if isinstance(payload, WasteRecorded):
        return [payload.witness]
    if isinstance(payload, SessionSigned):
        return [payload.signature] + ([payload.override.signature] if payload.override else [])
    if isinstance(payload, AddendumAdded | ChartAttested):
        return [payload.signature]
    # Any other entry a clinician's override let through (a step, the start, a PRN, a
    # mandatory check deferred): the override's signature.
    override = carried_override(payload)
    return [override.signature] if override is not None else []


def addenda_section(ctx: PrintContext) -> list[Flowable]:
    """Addenda written after the sign-off (or early end), each with its reason and signature."""
    addenda = ctx.state.addenda
    if not addenda:
        return []
    out: list[Flowable] = [heading(ctx, "Addenda (after sign-off)")]
    s = ctx.styles
    for number, event in enumerate(addenda, start=1):
        p = cast(AddendumAdded, event.payload)
        body = [
            [
                para(
                    f"<b>Addendum {number}</b> — {esc(ctx.when(event.clinical_time))} — "
                    f"{esc(ctx.person(event.author))}",
                    s.cell,
                )
            ],
            [para(f"<b>Reason:</b> {esc(p.reason)}", s.cell)],
            [para(esc(p.text), s.body)],
            [para("Signed: " + ctx.signature_line(p.signature), s.cell)],
        ]
        box = Table(body, colWidths=[ctx.width], hAlign="LEFT")
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                    ("LINEABOVE", (0, 3), (-1, 3), 0.3, RULE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 5),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        out += [KeepTogether([box]), Spacer(1, 5)]
    return out
