"""The first block of the record: clinic, title, signed/draft status, patient and session."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from bedside.allergies import AllergyState, allergy_value
from bedside.events import SessionSigned
from bedside.rules.medication import session_allergies
from export.pdf.blocks import (
    RECORD_HASH,
    facts,
    hash_code,
    hash_markup,
    header_rule,
    hex_colour,
    status_box,
    title_block,
)
from export.pdf.context import PrintContext
from export.pdf.page import SESSION_TITLE
from export.pdf.styles import DANGER, DRAFT, OK, RULE, esc, para


def _status(ctx: PrintContext) -> Table:
    """A boxed status: signed by whom and when, or DRAFT — not signed."""
    state = ctx.state
    if state.signed is not None:
        sig = state.typed(state.signed, SessionSigned)
        assert sig is not None
        text = (
            f'<font color="{hex_colour(OK)}"><b>SIGNED — locked</b></font><br/>'
            f"{esc(sig.signature.signer_name)}<br/>{esc(ctx.when(sig.signature.signed_at))}"
        )
        addenda = len(state.addenda)
        if addenda:
            # A signed record that grew afterwards must not read as closed at the signature.
            text += f"<br/><b>+ {addenda} {'addendum' if addenda == 1 else 'addenda'} after it</b>"
        colour = OK
    else:
        why = "session ended early" if state.ended_early is not None else state.phase.label.lower()
        text = (
            f'<font color="{hex_colour(DRAFT)}"><b>DRAFT — not signed</b></font><br/>'
            f"Phase: {esc(why)}<br/>Not a final record"
        )
        colour = DRAFT
    return status_box(ctx, text, colour)


def _allergies(ctx: PrintContext) -> Table:
    """The allergies the session ran under (as confirmed at its intake), on a band of their own
    across the page: a list, or no answer at all, is framed and marked ▶ in bold (it must catch
    the eye on a greyscale copy too); "no known drug allergies" is said plainly."""
    status = session_allergies(ctx.inputs.context.patient, ctx.state)
    words = esc(allergy_value(status, ctx.tz))
    plain = status.state is AllergyState.NKDA
    text = words if plain else f'<font color="{hex_colour(DANGER)}"><b>▶ {words}</b></font>'
    label_w = 28 * mm
    band = Table(
        [[para("<b>ALLERGIES</b>", ctx.styles.cell), para(text, ctx.styles.cell)]],
        colWidths=[label_w, ctx.width - label_w],
        hAlign="LEFT",
    )
    band.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6 if plain else 1.4, RULE if plain else DANGER),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return band


def header(ctx: PrintContext) -> list[Flowable]:
    """Clinic, title and status, then the patient, the session and the course order."""
    inputs = ctx.inputs
    c = inputs.context
    patient, order, protocol, head = c.patient, c.order, c.protocol, c.header
    top = title_block(
        ctx,
        clinic_name=inputs.clinic_name,
        clinic_address=inputs.clinic_address,
        title=SESSION_TITLE,
        status=_status(ctx),
    )
    age = patient.age_on(head.local_date)
    opened = ctx.state.opened
    pairs = [
        ("Patient", f"<b>{esc(patient.display_name)}</b>"),
        ("MRN", f"<b>{esc(patient.mrn)}</b>"),
        ("Date of birth", f"{patient.date_of_birth.isoformat()} ({age} y, {esc(patient.sex)})"),
        (
            "Session date",
            f"<b>{head.local_date.isoformat()}</b> (opened {esc(ctx.hm(head.opened_at))})",
        ),
        ("Chair", f"<b>{head.chair}</b>"),
        ("Session", f"<b>{head.number_in_course} of {order.planned_infusions}</b> in the course"),
        ("Medicines", esc(", ".join(patient.current_medicines)) or "none recorded"),
        ("Protocol", f"{esc(protocol.name)}, <b>version {opened.protocol_version}</b>"),
        ("Times", f"clinic time, {esc(ctx.tz)}"),
    ]
    order_text = (
        f"{order.mg_per_kg:g} mg/kg ({esc(order.weight_basis.value)} weight) over "
        f"{order.duration_min} min, max {order.max_dose_mg:g} mg, {esc(order.frequency)}; "
        f"{esc(order.indication)}. Signed by {esc(order.signature.signer_name)}, "
        f"{esc(ctx.when(order.signature.signed_at))}"
    )
    order_row = facts(ctx, [("Course order", order_text)], columns=1)
    return [
        top,
        Spacer(1, 4),
        facts(ctx, pairs, columns=2),
        Spacer(1, 2),
        _allergies(ctx),
        Spacer(1, 2),
        order_row,
        _ids_and_code(ctx),
        header_rule(ctx),
    ]


QR_SIZE = 20 * mm


def _ids_and_code(ctx: PrintContext) -> Table:
    """The session id, the protocol's hash, the record hash in full with its QR code (scan
    it into ``bedside verify --hash``), and the ledger head printed from."""
    state = ctx.state
    digest = state.head_hash
    lines = [
        f"Session id {esc(ctx.inputs.context.header.id)}",
        f"Protocol hash {hash_markup(ctx, state.opened.protocol_hash)}",
        f"<b>{RECORD_HASH}</b> {hash_markup(ctx, digest)} (as printed; the code beside it "
        "holds the same: <b>bedside verify --hash</b> checks it)",
        *record_state(ctx),
    ]
    text = para("<br/>".join(lines), ctx.styles.small)
    table = Table(
        [[text, hash_code(digest, QR_SIZE)]],
        colWidths=[ctx.width - QR_SIZE - 4, QR_SIZE + 4],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def verification_failure(ctx: PrintContext) -> list[Flowable]:
    """Before anything else, when the record fails verification: what is wrong, in a red box
    (every page also carries the band and the stamp)."""
    problems = ctx.inputs.problems
    if not problems:
        return []
    shown = "".join(f"<br/>• {esc(p)}" for p in problems[:6])
    more = f"<br/>… and {len(problems) - 6} more" if len(problems) > 6 else ""
    text = (
        f'<font color="{hex_colour(DRAFT)}"><b>FAILED VERIFICATION</b></font> — this record '
        "does not match the hashes it was saved with: it may have been altered outside Bedside. "
        "Do not rely on it; report it to the clinic's IT (run <b>bedside verify</b>)."
        f"{shown}{more}"
    )
    box = Table([[para(text, ctx.styles.cell)]], colWidths=[ctx.width])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2, DRAFT),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return [box, Spacer(1, 4)]


def record_state(ctx: PrintContext) -> list[str]:
    """The state of the whole clinic record this was printed from (its ledger head), so an
    auditor holding the paper can prove a database still holds everything on it."""
    head = ctx.inputs.ledger_head
    if not head:
        return []
    seq, _, digest = head.partition(":")
    return [
        f"Printed from the clinic record at ledger entry {esc(seq)}; that a database still "
        "holds all of it is checked with <b>bedside verify --against</b> "
        f"<font name='{ctx.styles.fonts.mono}'>{esc(seq)}:{esc(digest)}</font>"
    ]
