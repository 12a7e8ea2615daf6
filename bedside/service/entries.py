"""Entries at any moment of an open session: side effects, notes,
deferred checks, and the corrections and voids that supersede an entry with a reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bedside.context import SessionChange
from bedside.errors import InputRejected
from bedside.events import (
    CheckDeferred,
    EntryVoided,
    EventDraft,
    Kind,
    NoteAdded,
    ScaleScored,
    SideEffectNoted,
    SideEffectResolved,
    VitalsRecorded,
    rule_for,
)
from bedside.ids import EventId
from bedside.people import User
from bedside.rules import deferral, schedule
from bedside.rules.side_effects import CHECKLIST
from bedside.scales import score
from bedside.service.base import SessionRef
from bedside.service.medicines import MedicineOperations
from bedside.timeutil import local_text
from bedside.validation import parse


class EntryOperations(MedicineOperations):
    """Side effects, notes, deferrals, corrections and voids (and, from the base, PRN)."""

    def note_side_effect(
        self,
        actor: User,
        session: SessionRef,
        *,
        effect: str,
        severity: int,
        action: str = "",
        serious: bool = False,
        note: str = "",
        clinical_time: datetime | None = None,
    ) -> SessionChange:
        """A side effect from the checklist with severity (0–3) and action."""
        if effect not in CHECKLIST and effect != "other":
            raise InputRejected(f"Unknown side effect {effect!r}: choose one from the checklist")
        if effect == "other" and not note.strip():
            raise InputRejected("Describe the side effect in the note when choosing 'other'")
        data = {
            "effect": effect,
            "severity": severity,
            "action": action,
            "serious": serious,
            "note": note,
        }
        return self._record(SideEffectNoted, actor, session, data, clinical_time)

    def resolve_side_effect(
        self,
        actor: User,
        session: SessionRef,
        side_effect_event_id: EventId,
        note: str = "",
        clinical_time: datetime | None = None,
    ) -> SessionChange:
        """Mark a side effect resolved."""
        ctx = self.context(session)
        if side_effect_event_id not in ctx.state.side_effects:
            raise InputRejected("No such side effect in this session")
        data = {"side_effect_event_id": side_effect_event_id, "note": note}
        return self._record(SideEffectResolved, actor, ctx, data, clinical_time)

    def add_note(
        self, actor: User, session: SessionRef, text: str, clinical_time: datetime | None = None
    ) -> SessionChange:
        """A free-text nursing note."""
        return self._record(NoteAdded, actor, session, {"text": text}, clinical_time)

    def defer_check(
        self,
        actor: User,
        session: SessionRef,
        *,
        due_at: datetime,
        reason: str,
        clinical_time: datetime | None = None,
        override_by: User | None = None,
        override_password: str | None = None,
        override_reason: str | None = None,
    ) -> SessionChange:
        """ "Patient resting - check deferred" for the check due at ``due_at``; ``clinical_time``
        is when the nurse found the patient resting (now unless said).

        Only an open check is deferred (:mod:`bedside.rules.deferral`); a mandatory one needs a
        clinician (``override_by`` with their password and their own reason) or is refused, as
        the protocol says."""
        ctx = self.context(session)
        when = self._clinical_time(ctx, clinical_time)
        check = schedule.check_at(ctx.state, ctx.protocol, due_at, when)
        if check is None:
            due = local_text(due_at, self.timezone, "%H:%M")
            raise InputRejected(f"No vitals check is due at {due} in this session")
        report = deferral.deferral_report(ctx.state, ctx.protocol, check, when)
        allowed = self._override(
            report, override_by, override_password, override_reason, ctx.state.head_hash
        )
        payload = parse(
            CheckDeferred,
            {"due_at": due_at, "reason": reason, "mandatory": check.mandatory, "allowed": allowed},
        )
        return self._append(actor, ctx, [EventDraft(payload=payload, clinical_time=when)])

    # --- corrections ------------------------------------------------------------------------------

    def correct(
        self,
        actor: User,
        session: SessionRef,
        event_id: EventId,
        reason: str,
        *,
        clinical_time: datetime | None = None,
        **fields: Any,
    ) -> SessionChange:
        """A corrected version of an entry; the original stays, struck through, with the reason."""
        ctx = self.context(session)
        original = ctx.state.effective.get(event_id)
        if original is None:
            raise InputRejected("That entry does not exist or was already corrected or voided")
        if any(getattr(original.payload, f, None) for f in ("allowed", "override")):
            # A clinician allowed this entry for the reason they gave, and signed it: a copy
            # would carry their signature onto what they never saw.
            raise InputRejected(
                "An entry a clinician allowed is not corrected: void it and chart it again"
            )
        if rule_for(original.kind).own_correction:
            # Copying the original would keep its override, signature or totals unjudged.
            raise InputRejected(
                f"A {original.kind.replace('_', ' ')} entry is corrected in its own form, "
                "which judges it again (bedside.service.corrections)"
            )
        if len(reason.strip()) < 3:
            raise InputRejected("A correction needs a reason")
        data = {**original.payload.model_dump(), **fields}
        if original.kind in (Kind.SCALE_SCORED, Kind.DISCHARGE_ASSESSED):
            # Totals are computed from the answers, never typed: rescore before validating.
            try:
                result = score(data["scale"], data["answers"])
            except ValueError as exc:
                raise InputRejected(str(exc)) from exc
            data["total"] = result.total
            if original.kind is Kind.SCALE_SCORED:
                data.update(band=result.band, flags=result.flags)
        payload = parse(type(original.payload), data)
        when = self._clinical_time(ctx, clinical_time or original.clinical_time)
        draft = EventDraft(payload=payload, clinical_time=when, supersedes=event_id, reason=reason)
        follow_up = None
        # A corrected reading is judged like a new one: 134 corrected to 186 must alert.
        if isinstance(payload, VitalsRecorded):
            follow_up = self._alerts_following(self.alerts_for(ctx, payload), when)
        elif isinstance(payload, ScaleScored):
            follow_up = self._alerts_following(self.sedation_alerts(ctx, payload), when)
        return self._append(actor, ctx, [draft], supersedes=original, follow_up=follow_up)

    def void(
        self,
        actor: User,
        session: SessionRef,
        event_id: EventId,
        reason: str,
        *,
        wrong_patient: bool = False,
    ) -> SessionChange:
        """Mark an entry as entered in error (kept in the record, struck through).

        ``wrong_patient``: the nurse said the entry was charted on the wrong patient's record;
        it stays visible to staff, and printouts of this record withhold its words."""
        ctx = self.context(session)
        original = ctx.state.effective.get(event_id)
        if original is None:
            raise InputRejected("That entry does not exist or was already corrected or voided")
        if len(reason.strip()) < 3:
            raise InputRejected("A void needs a reason")
        draft = EventDraft(
            payload=EntryVoided(wrong_patient=wrong_patient),
            clinical_time=self.clock.now(),
            supersedes=event_id,
            reason=reason,
        )
        return self._append(actor, ctx, [draft], supersedes=original)
