"""After the pump stops: the discharge score, witnessed waste, the charting nurse's signature, the
clinician's sign-off that locks the record, and addenda after it."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal, cast

from bedside.context import SessionChange
from bedside.errors import InputRejected, OperationRefused, SessionLocked
from bedside.events import (
    AddendumAdded,
    ChartAttested,
    DischargeAssessed,
    DosePlanned,
    DrugPrepared,
    EventDraft,
    SessionSigned,
    WasteRecorded,
)
from bedside.people import Permission, User
from bedside.rules import phases
from bedside.rules.controlled import TOLERANCE_MG, SubstanceRecord, reconcile
from bedside.scales import ScaleName, score
from bedside.service.base import ServiceBase, SessionRef
from bedside.signatures import Meaning
from bedside.validation import parse


class DischargeOperations(ServiceBase):
    """Discharge score, waste, attestation, sign-off and addenda."""

    def assess_discharge(
        self,
        actor: User,
        session: SessionRef,
        *,
        answers: dict[str, int],
        escort_present: bool,
        instructions_given: bool,
        escort_name: str = "",
        iv_removed_site_ok: bool = True,
        clinical_time: datetime | None = None,
    ) -> SessionChange:
        """A discharge score (Aldrete or PADSS per protocol) with escort and instructions."""
        ctx = self.context(session)
        scale = ScaleName(ctx.protocol.monitoring.discharge_scale)
        try:
            result = score(scale, answers)
        except ValueError as exc:
            raise InputRejected(str(exc)) from exc
        payload = parse(
            DischargeAssessed,
            {
                "scale": scale,
                "answers": answers,
                "total": result.total,
                "escort_present": escort_present,
                "escort_name": escort_name,
                "instructions_given": instructions_given,
                "iv_removed_site_ok": iv_removed_site_ok,
            },
        )
        when = self._clinical_time(ctx, clinical_time)
        return self._append(actor, ctx, [EventDraft(payload=payload, clinical_time=when)])

    def record_waste(
        self,
        actor: User,
        session: SessionRef,
        *,
        wasted_mg: float,
        witness: User,
        witness_password: str,
        method: str = "rendered unrecoverable in waste container",
        source: Literal["vial", "bag"] = "vial",
        clinical_time: datetime | None = None,
    ) -> SessionChange:
        """Controlled-substance waste, witnessed by a second person who enters their password;
        ``clinical_time`` is when it was wasted (now unless said)."""
        if not _is_amount(wasted_mg):
            raise InputRejected("Wasted amount must be a number of mg, more than 0")
        if witness.id == actor.id:
            raise InputRejected("The waste must be witnessed by a second person")
        self.accounts.require(witness, Permission.WITNESS, "witness controlled-substance waste")
        ctx = self.context(session)
        when = self._clinical_time(ctx, clinical_time)
        prep = ctx.state.typed(ctx.state.preparation, DrugPrepared)
        if prep is None:
            raise OperationRefused("No drug preparation is recorded for this session")
        # Drug left in the vial or syringe is at vial strength; drug left in the bag after an
        # early stop is diluted to the bag's concentration.
        plan = ctx.state.typed(ctx.state.dose_plan, DosePlanned)
        if source == "bag" and plan is None:
            raise InputRejected("No bag was made up: waste from the vial instead")
        concentration = (
            plan.concentration_mg_ml if source == "bag" and plan else prep.vial_concentration_mg_ml
        )
        if not ctx.state.closed:  # a closed record is refused as such by the write path
            _check_waste_amount(wasted_mg, reconcile(ctx.state, ctx.protocol))
        signature = self.accounts.sign(
            witness,
            witness_password,
            Meaning.WITNESSED_WASTE,
            ctx.state.head_hash,
            Permission.WITNESS,
        )
        if signature.signer_id == actor.id:
            raise InputRejected("The waste must be witnessed by a second person")
        payload = parse(
            WasteRecorded,
            {
                "wasted_mg": wasted_mg,
                "wasted_ml": round(wasted_mg / concentration, 3),
                "source": source,
                "method": method,
                "witness": signature,
            },
        )
        return self._append(actor, ctx, [EventDraft(payload=payload, clinical_time=when)])

    def sign_off(
        self,
        clinician: User,
        session: SessionRef,
        password: str,
        *,
        override_reason: str | None = None,
    ) -> SessionChange:
        """Clinician discharge sign-off: binds signer, meaning and the record hash, then locks."""
        self.accounts.require(clinician, Permission.SIGN_DISCHARGE, "sign the discharge")
        ctx = self.context(session)
        if ctx.state.locked:
            raise SessionLocked("This session is already signed.")
        now = self.clock.now()
        report = phases.sign_report(ctx.state, ctx.protocol, now)
        override = None
        if not report.is_valid:
            override = self._override(
                report,
                clinician if override_reason else None,
                password,
                override_reason,
                ctx.state.head_hash,
            )
        signature = self.accounts.sign(
            clinician,
            password,
            Meaning.DISCHARGE_APPROVED,
            ctx.state.head_hash,
            Permission.SIGN_DISCHARGE,
        )
        payload = SessionSigned(signature=signature, override=override)
        return self._append(clinician, ctx, [EventDraft(payload=payload, clinical_time=now)])

    def attest_chart(
        self,
        actor: User,
        session: SessionRef,
        password: str,
        clinical_time: datetime | None = None,
    ) -> SessionChange:
        """The charting nurse signs that the record is complete and accurate (password
        re-entered), in observation or when ready, before the clinician's sign-off."""
        self.accounts.require(actor, Permission.CHART, "sign the charting")
        ctx = self.context(session)
        when = self._clinical_time(ctx, clinical_time)
        if any(
            cast(ChartAttested, e.payload).signature.signer_id == actor.id
            for e in ctx.state.attestations
        ):
            raise OperationRefused(f"{actor.display_name} has already signed this charting")
        signature = self.accounts.sign(
            actor, password, Meaning.CHARTED_BY, ctx.state.head_hash, Permission.CHART
        )
        payload = ChartAttested(signature=signature)
        return self._append(actor, ctx, [EventDraft(payload=payload, clinical_time=when)])

    def add_addendum(
        self,
        actor: User,
        session: SessionRef,
        *,
        text: str,
        reason: str,
        password: str,
        clinical_time: datetime | None = None,
    ) -> SessionChange:
        """An addendum to a signed (or ended) session: dated, signed, with a reason;
        ``clinical_time`` is when what it tells happened (now unless said)."""
        self.accounts.require(actor, Permission.CHART, "add an addendum")
        ctx = self.context(session)
        when = self._clinical_time(ctx, clinical_time)
        signature = self.accounts.sign(
            actor, password, Meaning.AUTHORED_ADDENDUM, ctx.state.head_hash
        )
        payload = parse(AddendumAdded, {"text": text, "reason": reason, "signature": signature})
        return self._append(actor, ctx, [EventDraft(payload=payload, clinical_time=when)])


def _check_waste_amount(wasted_mg: float, record: SubstanceRecord) -> None:
    """A waste is at most what is open: 140 typed for 14 would otherwise be witnessed, signed
    and impossible to take back (a waste is not corrected), and the session could never be
    reconciled. Refused before the witness signs, naming the amount open."""
    if not _is_amount(wasted_mg) or wasted_mg <= 0:
        raise InputRejected("Wasted amount must be a number of mg, more than 0")
    if record.open_mg <= TOLERANCE_MG:
        raise OperationRefused("Nothing drawn is open to waste: every mg is accounted for")
    if wasted_mg > record.open_mg + TOLERANCE_MG:
        raise InputRejected(
            f"Wasted amount {wasted_mg:g} mg is more than the {record.open_mg:g} mg still open "
            f"({record.open_words()}): check the amount typed (allowed up to "
            f"{record.open_mg:g} mg)"
        )


def _is_amount(value: object) -> bool:
    """A finite number (not a bool, not text)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
