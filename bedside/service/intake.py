"""The intake screen with the allergies confirmed for the session.

The nurse confirms the allergies with the patient at every intake: no known drug allergies,
or the list (as on record, or what the patient says now), or unknown (which keeps the session
from moving on). The confirmation is part of the intake entry, with who and when; an NKDA or a
list is also appended to the patient's allergy history in the same transaction, so the next
session starts from it. Nothing is overwritten: the history keeps every confirmation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bedside.allergies import AllergyAnswer, AllergyState, AllergyStatus
from bedside.context import SessionChange, SessionContext
from bedside.errors import InputRejected
from bedside.events import ChartEvent, EventDraft, IntakeScreened
from bedside.people import User
from bedside.service.base import ServiceBase, SessionRef
from bedside.store.people import AllergySource
from bedside.validation import parse


def confirmed_allergies(answer: Any, actor: User, when: datetime) -> AllergyStatus:
    """The nurse's answer at intake, stamped with who confirmed it and when.

    Raises
    ------
    InputRejected
        No answer was given, or it is not one of the three (the message names the field).
    """
    if not isinstance(answer, dict | AllergyAnswer):
        raise InputRejected(
            "Allergies: confirm them with the patient (no known drug allergies, their "
            "allergies, or unknown)"
        )
    return AllergyStatus.stated(
        parse(AllergyAnswer, answer), by=actor.id, name=actor.display_name, at=when
    )


def record_intake(
    service: ServiceBase,
    actor: User,
    session: SessionRef,
    fields: dict[str, Any],
    clinical_time: datetime | None,
) -> SessionChange:
    """Chart the intake screen with the allergies confirmed (``fields["allergies"]``: the
    answer, as :func:`confirmed_allergies` takes it); an NKDA or a list joins the patient's
    allergy history in the same transaction."""
    values = dict(fields)
    ctx = service.context(session)
    when = service._clinical_time(ctx, clinical_time)
    status = confirmed_allergies(values.pop("allergies", None), actor, when)
    payload = parse(IntakeScreened, {**values, "allergies": status})

    draft = EventDraft(payload=payload, clinical_time=when)
    follow_up = into_history(service, actor, ctx, status, when)
    return service._append(actor, ctx, [draft], follow_up=follow_up)


def into_history(
    service: ServiceBase,
    actor: User,
    ctx: SessionContext,
    status: AllergyStatus,
    when: datetime,
) -> Callable[[list[ChartEvent]], list[EventDraft]]:
    """The follow-up that adds a confirmed answer (NKDA or a list) to the patient's allergy
    history in the same transaction as the intake entry that confirmed it."""

    def add(saved: list[ChartEvent]) -> list[EventDraft]:
        if status.state is not AllergyState.UNKNOWN:
            source = AllergySource(actor.id, when, ctx.header.id, saved[0].id)
            service.store.add_allergy_record(ctx.patient.id, status, source)
        return []

    return add
