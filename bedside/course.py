"""A course of treatment: the clinician's signed order that every session's dose comes from."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from bedside.canonical import sha256_of
from bedside.ids import CourseId, PatientId
from bedside.model_config import FROZEN
from bedside.protocol import Protocol, WeightBasis
from bedside.ranges import DoseMgPerKg, DurationMin
from bedside.report import RuleReport, error, warning
from bedside.signatures import Meaning, Signature
from bedside.timeutil import UtcDatetime


class CourseOrder(BaseModel):
    """The order: indication, planned infusions, mg/kg, duration, weight basis, maximum dose.

    Orders are immutable once signed. A dose change is a new order that ``supersedes`` the old one,
    so the history of dose changes across the course is kept (CLINICAL.md §1.2).
    """

    model_config = FROZEN

    id: CourseId
    patient_id: PatientId
    indication: str = Field(min_length=3, max_length=300)
    planned_infusions: int = Field(ge=1, le=60)
    frequency: str = Field(default="2 per week", max_length=80)
    mg_per_kg: DoseMgPerKg
    duration_min: DurationMin
    weight_basis: WeightBasis = WeightBasis.ACTUAL
    max_dose_mg: float = Field(gt=0, le=500)
    supersedes: CourseId | None = None
    created_at: UtcDatetime
    signature: Signature


def order_content_hash(order: CourseOrder) -> str:
    """The hash the ordering clinician's signature binds: every field except the signature."""
    return sha256_of(order.model_dump(mode="json", exclude={"signature"}))


PROBE_SIGNATURE = {
    "signer_id": "probe",
    "signer_name": "probe",
    "signer_role": "clinician",
    "meaning": Meaning.ORDER_SIGNED.value,
    "signed_at": "2000-01-01T00:00:00Z",
    "content_hash": "0" * 64,
}
"""A stand-in signature, so an order can be validated (and a typo reported as such) before
the clinician is asked for the password that signs it."""


def live_order(orders: Sequence[CourseOrder]) -> CourseOrder | None:
    """The latest of a patient's orders that no other order supersedes (None without one)."""
    replaced = {o.supersedes for o in orders if o.supersedes}
    live = [o for o in orders if o.id not in replaced]
    return live[-1] if live else None


def order_chain(orders: Sequence[CourseOrder], live: CourseOrder) -> tuple[CourseOrder, ...]:
    """The live order and every order it superseded, oldest first: one course across dose
    changes (CLINICAL.md §1.2).

    Parameters
    ----------
    orders : Sequence[CourseOrder]
        All of the patient's orders.
    live : CourseOrder
        The order in force.

    Returns
    -------
    tuple of CourseOrder
        The supersession chain ending at ``live`` (a corrupt cycle is cut, never followed).
    """
    by_id = {o.id: o for o in orders}
    chain = [live]
    seen: set[CourseId] = {live.id}
    while chain[-1].supersedes is not None and chain[-1].supersedes in by_id:
        previous = by_id[chain[-1].supersedes]
        if previous.id in seen:
            break
        seen.add(previous.id)
        chain.append(previous)
    return tuple(reversed(chain))


def check_order_against_protocol(
    *, mg_per_kg: float, duration_min: int, max_dose_mg: float, protocol: Protocol
) -> RuleReport:
    """Hard stops and warnings for a new order under ``protocol`` (never silently capped)."""
    d = protocol.dosing
    findings = []
    if not d.min_mg_per_kg <= mg_per_kg <= d.max_mg_per_kg:
        findings.append(
            error(
                "order.mg_per_kg_out_of_range",
                f"Dose {mg_per_kg:g} mg/kg is outside the protocol range "
                f"{d.min_mg_per_kg:g}–{d.max_mg_per_kg:g} mg/kg",
            )
        )
    if max_dose_mg > d.max_total_dose_mg:
        findings.append(
            error(
                "order.max_dose_above_protocol",
                f"Maximum dose {max_dose_mg:g} mg is above the protocol maximum "
                f"{d.max_total_dose_mg:g} mg",
            )
        )
    if not d.min_duration_min <= duration_min <= d.max_duration_min:
        findings.append(
            warning(
                "order.duration_unusual",
                f"Infusion duration {duration_min} min is outside the usual "
                f"{d.min_duration_min}–{d.max_duration_min} min",
            )
        )
    return RuleReport.of(findings)
