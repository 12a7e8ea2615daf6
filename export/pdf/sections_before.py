"""Before the infusion: the intake screen (with overrides), consent with the patient's
signature, the dose calculation with its formula, and the drug preparation with the
controlled-substance record."""

from __future__ import annotations

from typing import cast

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from bedside.consent import default_consent_template
from bedside.events import (
    ConsentRecorded,
    DosePlanned,
    DrugPrepared,
    InfusionStarted,
    IntakeScreened,
    PhaseAdvanced,
    SessionSigned,
    WasteRecorded,
)
from bedside.report import RuleReport
from bedside.rules import controlled, intake
from bedside.rules.controlled import SOURCE_WORDS, SubstanceRecord
from charting.overrides import ClinicianOverride, clinician_overrides
from export.pdf.blocks import data_table, facts, findings_markup, heading, hex_colour, none_recorded
from export.pdf.context import PrintContext, yes_no
from export.pdf.signature_pad import signature_drawing
from export.pdf.styles import DANGER, OK, SHADE, esc, para

_IDENTIFIERS = {
    "full_name": "full name",
    "date_of_birth": "date of birth",
    "mrn": "MRN",
    "photo_id": "photo ID",
    "address": "address",
}


def _override_what(found: ClinicianOverride) -> str:
    """Where in the session an override was given, in the printout's words."""
    payload = found.event.payload
    if isinstance(payload, PhaseAdvanced):
        return f"to {payload.to_phase.label}"
    if isinstance(payload, SessionSigned):
        return "at sign-off"
    if isinstance(payload, InfusionStarted):
        return "at the infusion start"
    return f"— {found.what}"


def _overrides(ctx: PrintContext) -> list[str]:
    """Every clinician override in the record (:func:`charting.overrides.clinician_overrides`:
    steps, the start, PRNs, mandatory checks deferred, the sign-off), as markup lines."""
    lines = []
    for found in clinician_overrides(ctx.state):
        override = found.override
        lines.append(
            f"<b>Override {esc(_override_what(found))}</b> "
            f"({esc(', '.join(override.finding_codes))}): "
            f"{esc(override.reason)} — {ctx.signature_line(override.signature)}"
        )
    return lines


def intake_section(ctx: PrintContext) -> list[Flowable]:
    """The intake screen, its result and any overrides."""
    out: list[Flowable] = [heading(ctx, "Intake screen")]
    event = ctx.state.intake
    if event is None:
        return [*out, none_recorded(ctx, "No intake screen recorded.")]
    i = cast(IntakeScreened, event.payload)
    positives = [
        intake.CONTRAINDICATIONS.get(k, (k, False))[0] for k, v in i.contraindications.items() if v
    ]
    screen = (
        f'<font color="{hex_colour(DANGER)}"><b>YES:</b> {esc("; ".join(positives))}</font>'
        if positives
        else f"none present ({len(i.contraindications)} items answered no)"
    )
    escort = ", ".join(x for x in (i.escort_name, i.escort_phone) if x) or "not recorded"
    pairs = [
        ("Recorded", f"{esc(ctx.when(event.clinical_time))} by {esc(ctx.person(event.author))}"),
        ("Identity checked", esc(", ".join(_IDENTIFIERS.get(x, x) for x in i.identifiers_checked))),
        ("Contraindications", screen),
        ("Pregnancy test", esc(i.pregnancy_test.replace("_", " "))),
        (
            "Medicines reviewed",
            yes_no(i.medicines_reviewed)
            + (f"; new: {esc(', '.join(i.new_medicines))}" if i.new_medicines else ""),
        ),
        ("Fasted", yes_no(i.fasting_as_instructed)),
        ("Alcohol/drugs 48 h", yes_no(i.substance_use_48h)),
        ("Escort", esc(escort)),
    ]
    if i.notes:
        pairs.append(("Notes", esc(i.notes)))
    out.append(facts(ctx, pairs, columns=2))
    report = intake.screen(ctx.state)
    result = (
        findings_markup(report)
        if report.findings
        else (f'<font color="{hex_colour(OK)}">No findings: clear to proceed</font>')
    )
    overrides = _overrides(ctx)
    rows = [("Screen result", result)]
    if overrides:
        rows.append(("Overrides", "<br/>".join(overrides)))
    else:
        rows.append(("Overrides", "none"))
    out.append(facts(ctx, rows, columns=1))
    return out


def consent_section(ctx: PrintContext) -> list[Flowable]:
    """Consent: template version, elements, who and when, and the patient's signature."""
    out: list[Flowable] = [heading(ctx, "Informed consent")]
    event = ctx.state.consent
    if event is None:
        return [*out, none_recorded(ctx, "No consent recorded.")]
    c = cast(ConsentRecorded, event.payload)
    template = default_consent_template()
    if (template.id, template.version) == (c.template_id, c.template_version):
        missing = [k for k in template.keys if k not in c.elements_acknowledged]
        elements = (
            f"all {len(template.keys)} elements acknowledged"
            if not missing
            else f'<font color="{hex_colour(DANGER)}">not acknowledged: {esc(", ".join(missing))}</font>'
        )
    else:
        elements = f"{len(c.elements_acknowledged)} elements acknowledged"
    pairs = [
        ("Template", f"{esc(c.template_id)}, <b>version {c.template_version}</b>"),
        ("Elements", elements),
        ("Capacity confirmed", yes_no(c.capacity_confirmed)),
        ("Recorded", f"{esc(ctx.when(event.clinical_time))} by {esc(ctx.person(event.author))}"),
        ("Clinician", ctx.signature_line(c.clinician_signature)),
        ("Witness", esc(c.witness_name) or "none named"),
        ("Valid until", c.valid_until.isoformat() if c.valid_until else "this course"),
    ]
    text_width = ctx.width - 64 * mm
    left = facts(ctx, pairs, columns=1, label_width=0.14 * ctx.width / text_width, width=text_width)
    pad = signature_drawing(c.patient_signature, ctx.styles.fonts, 60 * mm, 24 * mm)
    table = Table([[left, pad]], colWidths=[text_width, 64 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ]
        )
    )
    return [*out, table]


def dose_section(ctx: PrintContext) -> list[Flowable]:
    """The dose plan: inputs and results, and the formula exactly as the nurse saw it."""
    out: list[Flowable] = [heading(ctx, "Dose calculation")]
    event = ctx.state.dose_plan
    if event is None:
        return [*out, none_recorded(ctx, "No dose planned.")]
    d = cast(DosePlanned, event.payload)
    pairs = [
        (
            "Weight",
            f"{d.weight_kg:g} kg (measured {d.weight_measured_on.isoformat()})"
            + (f", height {d.height_cm:g} cm" if d.height_cm else ""),
        ),
        ("Dosing weight", f"{d.dosing_weight_kg:g} kg ({esc(d.weight_basis.value)})"),
        ("Dose", f"<b>{d.mg_per_kg:g} mg/kg = {d.dose_mg:g} mg</b> over {d.duration_min} min"),
        ("Pump rate", f"<b>{d.rate_ml_h:g} mL/h</b> (pump step {d.rate_step_ml_h:g} mL/h)"),
        ("Vial", f"{d.vial_concentration_mg_ml:g} mg/mL → {d.drug_volume_ml:g} mL of drug"),
        (
            "Bag",
            f"{d.bag_volume_ml:g} mL + drug = {d.final_volume_ml:g} mL at "
            f"{d.concentration_mg_ml:.3f} mg/mL",
        ),
        ("Planned", f"{esc(ctx.when(event.clinical_time))} by {esc(ctx.person(event.author))}"),
    ]
    out.append(facts(ctx, pairs, columns=2))
    formula = "<br/>".join(esc(line) for line in d.formula.splitlines())
    box = Table([[para(formula, ctx.styles.mono)]], colWidths=[ctx.width], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    out += [para("<b>Formula</b>", ctx.styles.label), box]
    return out


def preparation_section(ctx: PrintContext) -> list[Flowable]:
    """Drug preparation and the controlled-substance record with its reconciliation."""
    out: list[Flowable] = [heading(ctx, "Drug preparation and controlled-substance record")]
    event = ctx.state.preparation
    if event is None:
        return [*out, none_recorded(ctx, "No drug preparation recorded.")]
    p = cast(DrugPrepared, event.payload)
    record = controlled.reconcile(ctx.state, ctx.inputs.context.protocol)
    pairs = [
        (
            "Drug",
            f"{esc(p.drug)} {p.vial_concentration_mg_ml:g} mg/mL, {p.vial_volume_ml:g} mL vial"
            + (f" (NDC {esc(p.ndc)})" if p.ndc else ""),
        ),
        ("Lot / expiry", f"<b>{esc(p.lot)}</b> / <b>{p.expiry.isoformat()}</b>"),
        ("Drawn", f"<b>{p.drawn_mg:g} mg</b> ({p.drawn_ml:g} mL){_of_vial(p)}"),
        ("Diluent", f"{esc(p.diluent)}, {p.bag_volume_ml:g} mL bag"),
        ("Prepared", f"{esc(ctx.when(event.clinical_time))} by {esc(ctx.person(event.author))}"),
        ("Double-check", ctx.signature_line(p.double_check)),
    ]
    out.append(facts(ctx, pairs, columns=2))
    rows = _controlled_substance_rows(ctx, record)
    out.append(
        data_table(ctx, ["Controlled substance", "Amount", "Detail"], rows, [0.25, 0.17, 0.58])
    )
    # Errors and warnings only: the open items the balance line does not already say.
    problems = RuleReport.of((*record.report.errors, *record.report.warnings))
    if problems.findings:
        out.append(para(findings_markup(problems), ctx.styles.cell))
    return out


def _controlled_substance_rows(ctx: PrintContext, record: SubstanceRecord) -> list[list[str]]:
    """The controlled-substance rows: drawn, added, infused, each waste, and the balance."""
    infused = f"{record.infused_mg:g} mg" if record.infused_mg is not None else "not yet known"
    timeline = ctx.state.infusion
    volume = (
        f" ({timeline.volume_infused_ml:g} mL by the pump)"
        if timeline.volume_infused_ml is not None
        else ""
    )
    rows: list[list[str]] = [
        ["Drawn from vial", f"{record.drawn_mg:g} mg", ""],
        ["Added to the bag (dose)", f"{record.added_to_bag_mg:g} mg", ""],
        ["Infused", infused + volume, "derived from the pump volume × bag concentration"],
    ]
    for w_event in ctx.state.waste:
        w = cast(WasteRecorded, w_event.payload)
        rows.append(
            [
                f"Wasted ({esc(w.source)}) {esc(ctx.hm(w_event.clinical_time))}",
                f"{w.wasted_mg:g} mg ({w.wasted_ml:g} mL)",
                f"{esc(w.method)}; by {esc(ctx.person(w_event.author))}; witness "
                + ctx.signature_line(w.witness),
            ]
        )
    if not ctx.state.waste:
        rows.append(["Wasted", "0 mg", "no waste recorded"])
    for part in record.open_parts:
        rows.append(
            [
                f'<font color="{hex_colour(DANGER)}"><b>Open remainder</b></font>',
                f"<b>{part.mg:g} mg ({part.ml:g} mL)</b>",
                f"{esc(SOURCE_WORDS[part.source])}: drawn but neither infused nor wasted",
            ]
        )
    rows.append(["<b>Balance</b>", f"<b>{_balance_amount(record)}</b>", _balance(record)])
    return rows


def _balance_amount(record: SubstanceRecord) -> str:
    """The balance in one phrase: what is not accounted for, never "0 mg wasted" beside an open
    remainder (a reader skimming the amount column must not read an open balance as closed)."""
    if record.reconciled:
        return "all accounted for"
    if record.open_parts:
        return f"{record.open_mg:g} mg not accounted for"
    if record.discrepancy_mg is None:
        return "open until the infusion stops"
    return f"{-record.discrepancy_mg:g} mg more than drawn"


def _of_vial(p: DrugPrepared) -> str:
    """How much of the vial was drawn (what stays in the vial is not on this record)."""
    if abs(p.drawn_ml - p.vial_volume_ml) < 1e-9:
        return ", the whole vial"
    left = round(p.vial_volume_ml - p.drawn_ml, 3)
    return f" of the {p.vial_volume_ml:g} mL vial; {left:g} mL not drawn (not on this record)"


def _balance(record: SubstanceRecord) -> str:
    """The balance verdict: reconciled, or the open remainder said plainly, or waste beyond
    what was drawn."""
    if record.reconciled:
        return f'<font color="{hex_colour(OK)}"><b>Reconciled</b></font>: drawn = infused + wasted'
    danger = hex_colour(DANGER)
    if record.open_parts:
        later = (
            "; the infused amount is known when the infusion stops"
            if record.discrepancy_mg is None
            else ""
        )
        return (
            f'<font color="{danger}"><b>NOT reconciled: {record.open_mg:g} mg '
            f"({record.open_ml:g} mL) open</b></font> — {esc(record.open_words())}, drawn but "
            f"neither infused nor wasted{later}"
        )
    if record.discrepancy_mg is None:
        return "Open: the infused amount is known when the infusion stops"
    return (
        f'<font color="{danger}"><b>NOT reconciled</b>: infused + wasted is '
        f"{-record.discrepancy_mg:g} mg more than was drawn</font>"
    )
