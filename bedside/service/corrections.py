"""Corrections that are judged again: a PRN given, the dose plan, the drug preparation and
the intake screen.

The generic :meth:`~bedside.service.entries.EntryOperations.correct` merges the fields typed
over the original and saves it. For these kinds that would copy what must be decided again
(:attr:`~bedside.events.KindRule.own_correction`), so each has its own operation here:

* a PRN is judged exactly as a new one (allergies, the PRN list's maximum and interval, the
  clinician's override): a correction is no way around an allergy refusal, and the original's
  override is never carried over;
* a dose plan is computed again by the core from the order, the charted weight (correct the
  baseline weight first) and the vial and bag given, exactly as a new plan; totals are never
  typed;
* a preparation needs a fresh second-person double-check (the checker's user name and
  password, now; never the original signature), its expiry read from the text typed;
* an intake screen keeps the allergies as they were confirmed when the answer is unchanged,
  and a changed answer is confirmed afresh by the nurse correcting it (who and when) and joins
  the patient's allergy history, as at a new intake.

The original stays in the record, struck, with the reason. The dose plan and the preparation
are corrected only while the session is open and are never voided: the pump, the
controlled-substance record, the flowsheet and the printout read the corrected entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, cast

from bedside.allergies import AllergyAnswer
from bedside.context import SessionChange, SessionContext
from bedside.errors import InputRejected
from bedside.events import (
    ChartEvent,
    DosePlanned,
    DrugPrepared,
    EventDraft,
    IntakeScreened,
    Kind,
    Payload,
    PrnGiven,
)
from bedside.ids import EventId
from bedside.people import User
from bedside.report import RuleReport
from bedside.rules import medication
from bedside.service.base import SessionRef
from bedside.service.before_infusion import BeforeInfusionOperations
from bedside.service.entries import EntryOperations
from bedside.service.intake import confirmed_allergies, into_history
from bedside.service.medicines import PrnOverride
from bedside.validation import parse

_MIN_REASON = 3
"""The shortest reason a correction takes (as :meth:`EntryOperations.correct`)."""

_PREPARATION_TYPED = (
    "drug",
    "vial_concentration_mg_ml",
    "vial_volume_ml",
    "lot",
    "expiry",
    "ndc",
    "drawn_ml",
    "diluent",
    "bag_volume_ml",
)
"""What the nurse gave for a preparation: a field not given again keeps the original's value.
The mg drawn is computed from the mL and the double-check is signed afresh."""


class CorrectionOperations(BeforeInfusionOperations, EntryOperations):
    """Correcting a PRN, the dose plan or the preparation, each judged again."""

    def _to_correct(
        self, ctx: SessionContext, event_id: EventId, kind: Kind, reason: str
    ) -> ChartEvent:
        """The entry to correct: effective, of ``kind``, with a reason given."""
        original = ctx.state.effective.get(event_id)
        if original is None:
            raise InputRejected("That entry does not exist or was already corrected or voided")
        if original.kind is not kind:
            raise InputRejected(
                f"That entry is a {original.kind.replace('_', ' ')}, not a {kind.replace('_', ' ')}"
            )
        if len(reason.strip()) < _MIN_REASON:
            raise InputRejected("Reason for correction: say why the entry is corrected")
        return original

    def _replace(
        self,
        actor: User,
        ctx: SessionContext,
        original: ChartEvent,
        payload: Payload,
        reason: str,
        when: datetime,
    ) -> SessionChange:
        """Append ``payload`` in place of ``original``, which stays, struck, with the reason."""
        draft = EventDraft(
            payload=payload, clinical_time=when, supersedes=original.id, reason=reason.strip()
        )
        return self._append(actor, ctx, [draft], supersedes=original)

    # --- a PRN given ------------------------------------------------------------------------------

    def preview_prn_correction(
        self,
        session: SessionRef,
        event_id: EventId,
        *,
        drug: str,
        dose: float,
        unit: str,
        route: str,
        clinical_time: datetime | None = None,
    ) -> RuleReport:
        """How the corrected dose would be judged, without saving: as a new dose, against the
        doses given this session other than the one it corrects."""
        ctx = self.context(session)
        original = ctx.state.effective.get(event_id)
        when = self._clinical_time(
            ctx, clinical_time or (original.clinical_time if original else None)
        )
        return self._judge(ctx, medication.PrnDose(drug.strip(), dose, unit, route, when), event_id)

    def correct_prn(
        self,
        actor: User,
        session: SessionRef,
        event_id: EventId,
        reason: str,
        clinical_time: datetime | None = None,
        *,
        acknowledged: Iterable[str] = (),
        override_by: User | None = None,
        override_password: str | None = None,
        override_reason: str | None = None,
        **fields: Any,
    ) -> SessionChange:
        """A PRN given, corrected: judged as a new dose at the time given (the original's unless
        said), so an allergy match needs a clinician's override now, whatever the original had.

        ``fields`` are those of :meth:`give_prn` (drug, dose, unit, route, indication,
        ordered_by); one not given keeps the original's value.
        """
        ctx = self.context(session)
        original = self._to_correct(ctx, event_id, Kind.PRN_GIVEN, reason)
        if "override" in fields or "warnings_acknowledged" in fields:
            raise InputRejected("override, warnings_acknowledged cannot be given with the entry")
        typed = original.payload.model_dump(exclude={"override", "warnings_acknowledged"})
        payload = parse(PrnGiven, {**typed, **fields})
        when = self._clinical_time(ctx, clinical_time or original.clinical_time)
        sign = PrnOverride(override_by, override_password, override_reason)
        judged = self._judged_prn(ctx, payload, when, acknowledged, sign, excluding=event_id)
        return self._replace(actor, ctx, original, judged, reason, when)

    # --- the dose plan ----------------------------------------------------------------------------

    def correct_dose_plan(
        self,
        actor: User,
        session: SessionRef,
        event_id: EventId,
        reason: str,
        *,
        vial_concentration_mg_ml: float,
        bag_volume_ml: float | None = None,
        weight_measured_on: date | None = None,
    ) -> SessionChange:
        """The dose plan computed again, as :meth:`plan_dose` computes it, from the charted
        weight (a weight typo is corrected on the baseline first), the vial strength and the
        bag (the original's bag and weighing date unless given). Hard stops refuse it.

        Only the plan in force is corrected; when a preparation is recorded, the vial strength
        must be the one drawn up (correct the preparation first).
        """
        ctx = self.context(session)
        original = self._to_correct(ctx, event_id, Kind.DOSE_PLANNED, reason)
        self._in_force(original, ctx.state.dose_plan, "dose plan")
        was = cast(DosePlanned, original.payload)
        prep = ctx.state.typed(ctx.state.preparation, DrugPrepared)
        if (
            prep is not None
            and abs(prep.vial_concentration_mg_ml - vial_concentration_mg_ml) > 1e-9
        ):
            raise InputRejected(
                f"Vial strength: the preparation records a {prep.vial_concentration_mg_ml:g} "
                f"mg/mL vial, not {vial_concentration_mg_ml:g} mg/mL: correct the preparation "
                "first"
            )
        payload = self._planned(
            ctx,
            vial_concentration_mg_ml,
            bag_volume_ml if bag_volume_ml is not None else was.bag_volume_ml,
            None,
            weight_measured_on or was.weight_measured_on,
        )
        return self._replace(actor, ctx, original, payload, reason, original.clinical_time)

    # --- the intake screen --------------------------------------------------------------------

    def correct_intake(
        self, actor: User, session: SessionRef, event_id: EventId, reason: str, **fields: Any
    ) -> SessionChange:
        """The intake screen corrected (an answer ticked wrongly): ``fields`` are those of
        :meth:`record_intake`, ``allergies`` the answer as the intake form gives it. The
        original stays, struck; the corrected screen keeps its time."""
        ctx = self.context(session)
        original = self._to_correct(ctx, event_id, Kind.INTAKE_SCREENED, reason)
        was = cast(IntakeScreened, original.payload)
        values = dict(fields)
        answer = values.pop("allergies", None)
        given = isinstance(answer, dict | AllergyAnswer)
        follow_up = None
        status = was.allergies
        if status is None or not given or not status.same_answer(parse(AllergyAnswer, answer)):
            now = self.clock.now()
            status = confirmed_allergies(answer, actor, now)
            follow_up = into_history(self, actor, ctx, status, now)  # confirmed afresh
        payload = parse(IntakeScreened, {**values, "allergies": status})
        draft = EventDraft(
            payload=payload,
            clinical_time=original.clinical_time,
            supersedes=original.id,
            reason=reason.strip(),
        )
        return self._append(actor, ctx, [draft], supersedes=original, follow_up=follow_up)

    # --- the drug preparation ---------------------------------------------------------------------

    def correct_preparation(
        self,
        actor: User,
        session: SessionRef,
        event_id: EventId,
        reason: str,
        *,
        checker: User,
        checker_password: str,
        **fields: Any,
    ) -> SessionChange:
        """The preparation corrected (a lot, expiry or volume typo) and double-checked again:
        ``checker`` (a second person, not the one correcting) signs now with their password.

        ``fields`` are those of :meth:`record_preparation`; one not given keeps the original's
        value, except the mg drawn (computed from the mL) and the signature (never copied).
        The expiry may be the text typed off the vial, read as the form showed it back.
        """
        ctx = self.context(session)
        original = self._to_correct(ctx, event_id, Kind.DRUG_PREPARED, reason)
        self._in_force(original, ctx.state.preparation, "preparation")
        typed = original.payload.model_dump(include=set(_PREPARATION_TYPED))
        given = {**typed, **fields}
        used = ctx.state.infusion.started_at is not None
        payload = self._prepared(actor, ctx, checker, checker_password, given, already_used=used)
        return self._replace(actor, ctx, original, payload, reason, original.clinical_time)

    @staticmethod
    def _in_force(original: ChartEvent, current: ChartEvent | None, what: str) -> None:
        """Only the entry in force is corrected: one recorded again since is history."""
        if current is None or current.id != original.id:
            raise InputRejected(
                f"That {what} was recorded again since: correct the one in force instead"
            )
