"""Rescue (PRN) medicines given during a session: who ordered them, and the checks against the
patient's allergies and the clinic's PRN list (:mod:`bedside.rules.medication`).

A drug matching a recorded allergy (or its class) is refused unless a clinician overrides with
their password and a reason; the signed override is stored in the PRN entry. Every warning
(allergies unknown, above the session maximum, inside the minimum interval, not on the list)
must be confirmed by the nurse and is stored, in the words shown, with the entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bedside.canonical import sha256_of
from bedside.context import SessionChange, SessionContext
from bedside.errors import InputRejected, OperationRefused, StoreError
from bedside.events import PrnGiven
from bedside.ids import EventId
from bedside.people import Permission, User
from bedside.report import RuleReport
from bedside.rules import medication
from bedside.service.base import SessionRef
from bedside.service.infusion import InfusionOperations
from bedside.validation import parse

_DECIDED_BY_THE_SERVICE = ("override", "warnings_acknowledged")


@dataclass(frozen=True)
class PrnOverride:
    """A clinician's override of an allergy refusal, as offered: who, their password, why
    (all None when none was offered)."""

    by: User | None = None
    password: str | None = None
    reason: str | None = None


class MedicineOperations(InfusionOperations):
    """Rescue (PRN) medicines."""

    def preview_prn(
        self,
        session: SessionRef,
        *,
        drug: str,
        dose: float,
        unit: str,
        route: str,
        clinical_time: datetime | None = None,
    ) -> RuleReport:
        """What giving this dose would be judged to be, without saving: allergy matches
        (blocking, a clinician may override) and the PRN list's warnings. The PRN dialog
        shows it as the nurse types."""
        ctx = self.context(session)
        when = self._clinical_time(ctx, clinical_time)
        return self._judge(ctx, medication.PrnDose(drug.strip(), dose, unit, route, when))

    def preview_allergy(self, session: SessionRef, drug: str) -> RuleReport:
        """Whether ``drug`` matches the patient's allergies (or they are unknown), before any
        dose is typed: the PRN dialog says it as soon as the drug is chosen."""
        ctx = self.context(session)
        status = medication.session_allergies(ctx.patient, ctx.state)
        return RuleReport.of(medication.allergy_findings(drug.strip(), status))

    def _judge(
        self, ctx: SessionContext, dose: medication.PrnDose, excluding: EventId | None = None
    ) -> RuleReport:
        """``dose`` judged against the doses given this session (less ``excluding``, the entry
        a correction replaces: a dose is not its own previous dose)."""
        given = medication.Given(
            prns=[e for e in ctx.state.prns if e.id != excluding],
            names={u.id: u.display_name for u in self.store.users()},
            tz=ctx.state.opened.clinic_timezone,
            now=self.clock.now(),
        )
        return medication.prn_report(
            dose,
            allergies=medication.session_allergies(ctx.patient, ctx.state),
            prn_list=ctx.protocol.prn_list,
            given=given,
        )

    def give_prn(
        self,
        actor: User,
        session: SessionRef,
        clinical_time: datetime | None = None,
        *,
        acknowledged: Iterable[str] = (),
        override_by: User | None = None,
        override_password: str | None = None,
        override_reason: str | None = None,
        **fields: Any,
    ) -> SessionChange:
        """A rescue (PRN) medicine given, with drug, dose, route, indication and who ordered it.

        ``acknowledged`` holds the codes of the warnings the nurse read and confirmed; an
        allergy match needs ``override_by`` (a clinician), their password and a reason.
        Refused with the findings otherwise, and nothing is saved.
        """
        decided = [k for k in _DECIDED_BY_THE_SERVICE if k in fields]
        if decided:
            raise InputRejected(f"{', '.join(decided)} cannot be given with the entry")
        payload = parse(PrnGiven, fields)
        ctx = self.context(session)
        when = self._clinical_time(ctx, clinical_time)
        sign = PrnOverride(override_by, override_password, override_reason)
        payload = self._judged_prn(ctx, payload, when, acknowledged, sign)
        return self._chart(actor, ctx, payload, clinical_time=when)

    def _judged_prn(
        self,
        ctx: SessionContext,
        payload: PrnGiven,
        when: datetime,
        acknowledged: Iterable[str],
        sign: PrnOverride,
        excluding: EventId | None = None,
    ) -> PrnGiven:
        """``payload`` judged as a dose given at ``when`` (a new one, or a correction replacing
        ``excluding``): refused without an orderer, for an allergy no clinician overrode, or
        with a warning unconfirmed; else with the override and the warnings read."""
        self._check_orderer(payload)
        dose = medication.PrnDose(payload.drug, payload.dose, payload.unit, payload.route, when)
        report = self._judge(ctx, dose, excluding)
        if report.errors and sign.by is None:
            raise OperationRefused(
                f"{payload.drug} was NOT given: it matches the patient's recorded allergies. "
                "A clinician may override with their password and a reason.",
                report,
            )
        unconfirmed = [w for w in report.warnings if w.code not in set(acknowledged)]
        if unconfirmed:
            raise OperationRefused(
                "Not saved: read the warnings and confirm them first.", RuleReport.of(unconfirmed)
            )
        content = sha256_of({"head": ctx.state.head_hash, "prn": payload.model_dump(mode="json")})
        override = self._override(report, sign.by, sign.password, sign.reason, content)
        return parse(
            PrnGiven,
            {
                **payload.model_dump(),
                "override": override,
                "warnings_acknowledged": [w.message for w in report.warnings],
            },
        )

    def _check_orderer(self, payload: PrnGiven) -> None:
        """A PRN needs an active clinician's order."""
        try:
            orderer = self.store.user(payload.ordered_by)
        except StoreError as exc:
            raise InputRejected("The PRN order must name a clinician of this clinic") from exc
        if not orderer.can(Permission.ORDER_COURSE):
            raise InputRejected(
                f"{orderer.display_name} cannot order medicines: a PRN needs an active "
                "clinician's order (standing order or verbal order)"
            )
