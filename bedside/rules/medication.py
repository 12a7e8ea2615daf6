"""A PRN dose judged before it is given: against the patient's allergies (the drug, or its
class) and against the clinic's PRN list (on the list, the usual unit and route, the most per
session, the least time between doses).

A match with a recorded allergy is a blocking finding a clinician may override with a reason
(CLINICAL.md §13, "Allergy check"); allergies unknown, a dose above the session maximum, a
repeat inside the minimum interval and a drug not on the list are warnings the nurse reads and
confirms. The class table is ``resources/drug_classes.toml`` (WHO ATC, cited there).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import cast

from bedside.allergies import AllergyState, AllergyStatus
from bedside.events import ChartEvent, IntakeScreened, PrnGiven
from bedside.people import Patient
from bedside.protocol import PrnDrug, PrnList
from bedside.report import Finding, RuleReport, error, warning
from bedside.state import SessionState
from bedside.timeutil import local_text, minutes_between

_FILLER = frozenset({"allergy", "allergies", "allergic", "to", "intolerance"})


def words(name: str) -> tuple[str, ...]:
    """A drug or allergy name as comparable words: case, punctuation and filler ("allergy
    to") ignored, so ``"Penicillin-V"`` and ``"penicillin v"`` are the same."""
    return tuple(w for w in re.split(r"[^0-9a-z]+", name.casefold()) if w and w not in _FILLER)


def _begins_with(name: tuple[str, ...], start: tuple[str, ...]) -> bool:
    return bool(start) and name[: len(start)] == start


@dataclass(frozen=True)
class DrugClass:
    """One class of the table: what one member is called, the names an allergy may give the
    class by, and its members."""

    key: str
    one: str
    names: frozenset[tuple[str, ...]]
    members: tuple[tuple[str, ...], ...]

    def has(self, drug: tuple[str, ...]) -> bool:
        """Whether ``drug`` is a member (or a longer name beginning with one)."""
        return any(_begins_with(drug, member) for member in self.members)


@cache
def drug_classes() -> tuple[DrugClass, ...]:
    """The class table shipped in ``resources/drug_classes.toml``."""
    text = resources.files("resources").joinpath("drug_classes.toml").read_text("utf-8")
    table = tomllib.loads(text)["classes"]
    return tuple(
        DrugClass(
            key=key,
            one=str(row["one"]),
            names=frozenset(words(n) for n in row["names"]),
            members=tuple(words(m) for m in row["members"]),
        )
        for key, row in table.items()
    )


SAME_DRUG = "is the recorded allergy"
"""The reason when the drug is the allergy itself (a name beginning with the other)."""


def allergy_reason(drug: str, allergy: str) -> str | None:
    """Why giving ``drug`` matches the recorded ``allergy`` (in words), or None.

    The same drug (either name beginning with the other); the allergy names the drug's class;
    or the allergy is another member of the drug's class (cross-sensitivity assumed).
    """
    given, recorded = words(drug), words(allergy)
    if not given or not recorded:
        return None
    if _begins_with(given, recorded) or _begins_with(recorded, given):
        return SAME_DRUG
    for cls in drug_classes():
        if not cls.has(given):
            continue
        if recorded in cls.names:
            return f"is {cls.one}"
        if cls.has(recorded):
            return f"is {cls.one}, like {allergy}"
    return None


def allergy_findings(drug: str, status: AllergyStatus) -> list[Finding]:
    """A blocking (overridable) finding per recorded allergy ``drug`` matches; a warning when
    the allergies are unknown."""
    if status.state is AllergyState.UNKNOWN:
        return [
            warning(
                "prn.allergies_unknown",
                f"Allergies are unknown for this patient: ask about allergies before giving "
                f"{drug}. Giving it now is recorded with this warning.",
            )
        ]
    findings = []
    for allergy in status.allergies:
        reason = allergy_reason(drug, allergy.substance)
        if reason is not None:
            # "ibuprofen — the patient is allergic to ibuprofen (hives)", never "ibuprofen is
            # the recorded allergy; the recorded allergy is ibuprofen".
            what = drug if reason == SAME_DRUG else f"{drug} {reason}"
            findings.append(
                error(
                    "prn.allergy",
                    f"Allergy: {what} — the patient is allergic to {allergy.text}. Not given "
                    "unless a clinician overrides with a reason.",
                    overridable=True,
                )
            )
    return findings


def session_allergies(patient: Patient, state: SessionState) -> AllergyStatus:
    """The allergies this session runs under: as confirmed at its intake, or (before the
    intake, or when the intake could not confirm them) as the patient's record says."""
    intake = state.typed(state.intake, IntakeScreened) if state.intake else None
    confirmed = intake.allergies if intake is not None else None
    if confirmed is not None and confirmed.state is not AllergyState.UNKNOWN:
        return confirmed
    return patient.allergies


@dataclass(frozen=True)
class PrnDose:
    """A PRN dose about to be given: what, how much, how, and when."""

    drug: str
    dose: float
    unit: str
    route: str
    at: datetime


@dataclass(frozen=True)
class Given:
    """The record the dose is judged with: the PRNs already given, names of who gave them,
    the clinic time zone, and now (a dose charted for now reads "18 min ago")."""

    prns: Sequence[ChartEvent]
    names: Mapping[str, str]
    tz: str
    now: datetime

    def same_drug(self, drug: str) -> list[tuple[ChartEvent, PrnGiven]]:
        """Earlier entries of ``drug`` (same words), in clinical order."""
        wanted = words(drug)
        out = []
        for event in self.prns:
            prn = cast(PrnGiven, event.payload)
            if words(prn.drug) == wanted:
                out.append((event, prn))
        return out

    def line(self, event: ChartEvent, prn: PrnGiven, at: datetime) -> str:
        """``ondansetron 4 mg IV at 10:12 by Dana Reyes, RN, 18 min ago``."""
        gap = round(abs(minutes_between(event.clinical_time, at)))
        charted_now = abs(minutes_between(at, self.now)) < 1
        if event.clinical_time <= at:
            when = f"{gap} min ago" if charted_now else f"{gap} min before this dose"
        else:
            when = f"{gap} min after this dose"
        who = self.names.get(event.author, "unknown user")
        return (
            f"{prn.drug} {prn.dose:g} {prn.unit} {prn.route} at "
            f"{local_text(event.clinical_time, self.tz, '%H:%M')} by {who}, {when}"
        )


def _max_findings(row: PrnDrug, dose: PrnDose, given: Given) -> list[Finding]:
    if row.max_per_session is None:
        return []
    earlier = [(e, p) for e, p in given.same_drug(dose.drug) if p.unit == row.unit]
    total = sum(p.dose for _, p in earlier) + dose.dose
    if total <= row.max_per_session + 1e-9:
        return []
    before = "; ".join(given.line(e, p, dose.at) for e, p in earlier) or "nothing earlier"
    return [
        warning(
            "prn.above_max",
            f"{row.drug}: this {dose.dose:g} {dose.unit} takes the session total to "
            f"{total:g} {row.unit}, above the clinic's maximum of {row.max_per_session:g} "
            f"{row.unit} per session. Already given: {before}.",
        )
    ]


def _interval_findings(row: PrnDrug, dose: PrnDose, given: Given) -> list[Finding]:
    if row.min_interval_min is None:
        return []
    close = [
        (e, p)
        for e, p in given.same_drug(dose.drug)
        if abs(minutes_between(e.clinical_time, dose.at)) < row.min_interval_min
    ]
    return [
        warning(
            "prn.interval",
            f"{given.line(e, p, dose.at)}; the minimum interval is {row.min_interval_min} min.",
        )
        for e, p in close
    ]


def list_findings(dose: PrnDose, prn_list: PrnList, given: Given) -> list[Finding]:
    """Warnings from the clinic's PRN list: not on it, another unit or route, above the
    session maximum, inside the minimum interval."""
    row = prn_list.find(dose.drug)
    if row is None:
        return [
            warning(
                "prn.not_on_list",
                f"{dose.drug} is not on the clinic's PRN list: check the drug, dose and route "
                "against the order.",
            )
        ]
    findings = []
    if dose.route != row.route:
        findings.append(
            warning(
                "prn.route_differs",
                f"The clinic's list gives {row.drug} {row.route}; this dose is {dose.route}.",
            )
        )
    if dose.unit != row.unit:
        findings.append(
            warning(
                "prn.unit_differs",
                f"The clinic's list gives {row.drug} in {row.unit}; this dose is in "
                f"{dose.unit}, so the session maximum cannot be checked.",
            )
        )
    else:
        findings += _max_findings(row, dose, given)
    return findings + _interval_findings(row, dose, given)


def prn_report(
    dose: PrnDose, *, allergies: AllergyStatus, prn_list: PrnList, given: Given
) -> RuleReport:
    """Everything to know before ``dose`` is given: allergy matches block (a clinician may
    override); the rest warn and need the nurse's confirmation."""
    return RuleReport.of(
        [*allergy_findings(dose.drug, allergies), *list_findings(dose, prn_list, given)]
    )
