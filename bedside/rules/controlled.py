"""Controlled-substance record: drawn = infused + wasted, reconciled (CLINICAL.md §7).

Infused mg is derived from the infusion record (pump volume infused × bag concentration), never
typed. Drug left in the syringe or vial after the bag is made up, and any volume left in the bag
when the infusion stops, must be wasted with a witness. Any difference is an open item.

The **open remainder** is what was drawn and is neither in the bag, infused nor wasted: from the
moment the bag is made up, what was drawn beyond the dose (left in the syringe or vial, at the
vial's strength); once the pump stops, also what the pump did not deliver (left in the bag, at
the bag's concentration). The board, the session window and the sign-off show it, and waste is
offered while it is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, cast

from bedside.events import DosePlanned, DrugPrepared, WasteRecorded
from bedside.protocol import DosingRules, Protocol
from bedside.report import Finding, RuleReport, error, info, warning
from bedside.state import InfusionTimeline, SessionState

TOLERANCE_MG = 0.05


def mg_in(volume_ml: float, concentration_mg_ml: float) -> float:
    """Milligrams of drug in a volume at a concentration (drawn up, wasted), to the microgram:
    the one place the charted ``drawn_mg`` is computed from the mL a nurse drew."""
    return round(volume_ml * concentration_mg_ml, 3)


WasteSource = Literal["vial", "bag"]

SOURCE_WORDS: dict[WasteSource, str] = {
    "vial": "left in the vial or syringe",
    "bag": "left in the bag",
}


@dataclass(frozen=True)
class Remainder:
    """Drug drawn and not yet accounted for, where it is: its mg, and its mL at that place's
    strength (the vial's for the syringe or vial, the bag's once diluted)."""

    source: WasteSource
    mg: float
    ml: float

    def words(self) -> str:
        """ "14 mg (1.4 mL) left in the vial or syringe"."""
        return f"{self.mg:g} mg ({self.ml:g} mL) {SOURCE_WORDS[self.source]}"


@dataclass(frozen=True)
class SubstanceRecord:
    """The numbers printed on the controlled-substance record."""

    lot: str | None
    expiry: date | None
    concentration_mg_ml: float | None
    drawn_mg: float
    added_to_bag_mg: float
    infused_mg: float | None
    wasted_mg: float
    witnesses: tuple[str, ...]
    discrepancy_mg: float | None
    report: RuleReport
    open_parts: tuple[Remainder, ...] = ()
    """The open remainder, by where it is (empty when nothing drawn is unaccounted for)."""

    @property
    def reconciled(self) -> bool:
        """True when drawn = infused + wasted within tolerance and nothing is open."""
        return (
            self.discrepancy_mg is not None
            and abs(self.discrepancy_mg) <= TOLERANCE_MG
            and not self.open_parts
        )

    @property
    def open_mg(self) -> float:
        """Milligrams drawn and neither in the bag, infused nor wasted (0 when none)."""
        return round(sum(p.mg for p in self.open_parts), 3)

    @property
    def open_ml(self) -> float:
        """The open remainder's volume, each part at its own strength."""
        return round(sum(p.ml for p in self.open_parts), 3)

    def open_words(self) -> str:
        """The open remainder in words ("14 mg (1.4 mL) left in the vial or syringe"), or ""."""
        return "; ".join(p.words() for p in self.open_parts)

    @property
    def volume_differs(self) -> str | None:
        """The warning that the pump's volume disagrees with the charted rates and times beyond
        the protocol's tolerance, in words (None when it agrees or the pump has not stopped)."""
        found = [f for f in self.report.warnings if f.code == VOLUME_DIFFERS]
        return found[0].message if found else None

    def open_from(self, source: WasteSource) -> Remainder | None:
        """The open part at ``source``, if any."""
        return next((p for p in self.open_parts if p.source == source), None)


VOLUME_DIFFERS = "cs.volume_differs_from_rates"
"""The finding code: the pump's volume disagrees with the charted rates and times."""


def _infused_mg(
    timeline: InfusionTimeline, plan: DosePlanned, tolerances: DosingRules
) -> tuple[float | None, list[Finding]]:
    """Milligrams infused from the pump's volume (None until the infusion stops), and a warning
    when that volume disagrees with the charted rates and times."""
    if timeline.volume_infused_ml is None:
        return None, []
    added = plan.dose_mg
    infused = round(min(timeline.volume_infused_ml * plan.concentration_mg_ml, added), 2)
    # A full bag delivered within the pump's rounding counts as the whole dose.
    if abs(timeline.volume_infused_ml - plan.final_volume_ml) <= tolerances.bag_overrun_ml:
        infused = added
    expected = timeline.expected_volume_ml()
    allowed = tolerances.rate_tolerance_fraction
    if expected and abs(expected - timeline.volume_infused_ml) > allowed * expected:
        return infused, [
            warning(
                VOLUME_DIFFERS,
                f"Pump volume {timeline.volume_infused_ml:g} mL differs by more than "
                f"{allowed * 100:g} % from the charted rates and times ({expected:.1f} mL): "
                "check the pump reading",
            )
        ]
    return infused, []


def _balance_findings(
    discrepancy: float,
    drawn_mg: float,
    infused_mg: float,
    wasted_mg: float,
    open_parts: tuple[Remainder, ...],
) -> list[Finding]:
    """Drawn = infused + wasted, or the error saying which way it does not balance (and where
    the open remainder is)."""
    if abs(discrepancy) <= TOLERANCE_MG:
        return []
    if discrepancy > 0:
        where = "; ".join(p.words() for p in open_parts)
        return [
            error(
                "cs.unaccounted",
                f"{discrepancy:g} mg not accounted for: drawn {drawn_mg:g} mg = infused "
                f"{infused_mg:g} mg + wasted {wasted_mg:g} mg does not balance"
                + (f" (open: {where})" if where else "")
                + "; record the waste with a witness",
            )
        ]
    return [
        error(
            "cs.over_accounted",
            f"Infused {infused_mg:g} mg + wasted {wasted_mg:g} mg is {-discrepancy:g} mg more "
            f"than the {drawn_mg:g} mg drawn: correct the waste or pump volume",
        )
    ]


def _open_parts(
    prep: DrugPrepared, plan: DosePlanned, infused: float | None, wastes: list[WasteRecorded]
) -> tuple[Remainder, ...]:
    """The open remainder by place: drawn beyond the dose and not wasted from the vial; once
    the pump stops, the dose not infused and not wasted from the bag."""
    wasted = {
        source: sum(w.wasted_mg for w in wastes if w.source == source) for source in ("vial", "bag")
    }
    vial = prep.drawn_mg - plan.dose_mg - wasted["vial"]
    bag = 0.0 if infused is None else plan.dose_mg - infused - wasted["bag"]
    total = vial + bag
    if total <= TOLERANCE_MG:
        return ()
    # A waste booked against the other place (all of it "vial" after an early stop) still
    # counts: the parts always add up to what is open in all.
    if vial < 0:
        vial, bag = 0.0, total
    elif bag < 0:
        vial, bag = total, 0.0
    parts: list[tuple[WasteSource, float, float]] = [
        ("vial", vial, prep.vial_concentration_mg_ml),
        ("bag", bag, plan.concentration_mg_ml),
    ]
    return tuple(
        Remainder(source, round(mg, 3), round(mg / strength, 2))
        for source, mg, strength in parts
        if round(mg, 3) > 0
    )


def reconcile(state: SessionState, protocol: Protocol) -> SubstanceRecord:
    """Derive the record and list what is still open (the protocol's pump tolerances judge
    the pump's volume)."""
    prep = state.typed(state.preparation, DrugPrepared)
    plan = state.typed(state.dose_plan, DosePlanned)
    wastes = [cast(WasteRecorded, e.payload) for e in state.waste]
    wasted = round(sum(w.wasted_mg for w in wastes), 3)
    witnesses = tuple(w.witness.signer_name for w in wastes)
    if prep is None or plan is None:
        findings = [info("cs.not_prepared", "No drug has been prepared yet")]
        return SubstanceRecord(
            None, None, None, 0.0, 0.0, None, wasted, witnesses, None, RuleReport.of(findings)
        )
    added = plan.dose_mg
    infused, findings = _infused_mg(state.infusion, plan, protocol.dosing)
    if added > prep.drawn_mg + TOLERANCE_MG:
        findings.append(
            error(
                "cs.dose_more_than_drawn",
                f"The bag needs {added:g} mg but only {prep.drawn_mg:g} mg was drawn",
            )
        )
    open_parts = _open_parts(prep, plan, infused, wastes)
    discrepancy: float | None = None
    if infused is None:
        findings.append(info("cs.infusion_open", "Infused amount is known when the infusion stops"))
    else:
        discrepancy = round(prep.drawn_mg - infused - wasted, 3)
        findings += _balance_findings(discrepancy, prep.drawn_mg, infused, wasted, open_parts)
    return SubstanceRecord(
        prep.lot,
        prep.expiry,
        prep.vial_concentration_mg_ml,
        prep.drawn_mg,
        added,
        infused,
        wasted,
        witnesses,
        discrepancy,
        RuleReport.of(findings),
        open_parts,
    )
