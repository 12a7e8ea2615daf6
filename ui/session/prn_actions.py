"""Charting a rescue (PRN) medicine from the session window.

The dialog shows the clinic's list, what was already given and the core's findings as the
nurse types. A dose refused for an allergy goes to a clinician's override (the clinician types
their own user name, password and a reason; the core checks the role and signs); any other
refusal is shown in words. Whatever was not saved reopens the dialog as it was typed.

A PRN corrected from the record opens the same dialog filled with the dose as charted; the
core judges the corrected dose as a new one (the allergy, the list's maximum and interval), so
an allergy match needs a clinician's override again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from bedside.context import SessionChange, SessionContext
from bedside.errors import BedsideError, OperationRefused
from bedside.events import ChartEvent, PrnGiven
from bedside.people import Permission, User
from bedside.report import RuleReport
from bedside.timeutil import local_text
from charting.marks import prn_label
from ui.common import guard_view, operations
from ui.dialogs.prn import PrnDialog, PrnEntry, PrnSetup

if TYPE_CHECKING:
    from ui.session.window import SessionView


def given_lines(
    ctx: SessionContext, names: Mapping[str, str], excluding: str | None = None
) -> list[str]:
    """The PRNs already given this session, in words: ``10:12 ondansetron 4 mg IV — nausea,
    by Dana Reyes, RN`` (less ``excluding``, the entry being corrected)."""
    tz = ctx.state.opened.clinic_timezone
    lines = []
    for event in ctx.state.prns:
        if event.id == excluding:
            continue
        prn = cast(PrnGiven, event.payload)
        lines.append(
            f"{local_text(event.clinical_time, tz, '%H:%M')} {prn_label(prn)} — "
            f"{prn.indication}, by {names.get(event.author, 'unknown user')}"
        )
    return lines


def dialog_setup(
    view: SessionView, ctx: SessionContext, correcting: ChartEvent | None = None
) -> PrnSetup:
    """What the PRN dialog shows beside its form, for the session as the window shows it:
    the protocol's PRN list, the doses given so far, and the core's check of a dose (of the
    corrected dose in place of ``correcting``)."""
    names: dict[str, str] = {u.id: u.display_name for u in view.service.store.users()}

    def check(entry: PrnEntry) -> RuleReport:
        if correcting is not None:
            return view.service.preview_prn_correction(
                ctx,
                correcting.id,
                drug=entry.drug,
                dose=entry.dose,
                unit=entry.unit,
                route=entry.route,
                clinical_time=entry.taken_at,
            )
        return view.service.preview_prn(
            ctx,
            drug=entry.drug,
            dose=entry.dose,
            unit=entry.unit,
            route=entry.route,
            clinical_time=entry.taken_at,
        )

    return PrnSetup(
        prn_list=ctx.protocol.prn_list,
        given=given_lines(ctx, names, correcting.id if correcting is not None else None),
        check=check,
        clock=view.service.clock,
        tz=view.service.timezone,
        check_drug=lambda drug: view.service.preview_allergy(ctx, drug),
    )


def give_prn(view: SessionView) -> None:
    """A rescue medicine, ordered by a clinician; a refusal (a dose of 0, a nurse as the
    orderer, an allergy no clinician overrode) reopens the dialog as it was typed."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    clinicians = [u for u in view.service.store.users() if u.can(Permission.ORDER_COURSE)]
    setup = dialog_setup(view, ctx)
    entry = PrnDialog.ask(clinicians, view, previous=None, setup=setup)
    while entry is not None:
        if _give(view, user, ctx, entry) is not None:
            return
        entry = PrnDialog.ask(clinicians, view, previous=entry, setup=setup)


def correct_prn(view: SessionView, original: ChartEvent, words: str) -> None:
    """The PRN dialog filled with the dose as charted (``words``: the entry in words) and a
    reason; the core judges the corrected dose again, and a refusal reopens it as typed."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    p = cast(PrnGiven, original.payload)
    clinicians = [u for u in view.service.store.users() if u.can(Permission.ORDER_COURSE)]
    setup = dialog_setup(view, ctx, original)
    entry: PrnEntry | None = PrnEntry(
        p.drug, p.dose, p.unit, p.route, p.indication, p.ordered_by, original.clinical_time
    )
    while entry is not None:
        entry = PrnDialog.ask(clinicians, view, previous=entry, setup=setup, correcting=words)
        if entry is not None and _give(view, user, ctx, entry, original) is not None:
            return


def _call(
    view: SessionView,
    user: User,
    ctx: SessionContext,
    e: PrnEntry,
    override: guard_view.OverrideEntry | None = None,
    correcting: ChartEvent | None = None,
) -> SessionChange:
    clinician = (
        view.service.accounts.authenticate(override.username, override.password)
        if override is not None
        else None
    )
    fields: dict[str, Any] = {
        "drug": e.drug,
        "dose": e.dose,
        "unit": e.unit,
        "route": e.route,
        "indication": e.indication,
        "ordered_by": e.ordered_by,
    }
    signed: dict[str, Any] = {
        "acknowledged": e.acknowledged,
        "override_by": clinician,
        "override_password": override.password if override else None,
        "override_reason": override.reason if override else None,
    }
    if correcting is not None:
        return view.service.correct_prn(
            user, ctx, correcting.id, e.reason, e.taken_at, **signed, **fields
        )
    return view.service.give_prn(user, ctx, e.taken_at, **signed, **fields)


def _give(
    view: SessionView,
    user: User,
    ctx: SessionContext,
    entry: PrnEntry,
    correcting: ChartEvent | None = None,
) -> SessionChange | None:
    """Give (or correct) the dose; an allergy refusal a clinician may override goes to the
    override."""
    try:
        change = _call(view, user, ctx, entry, None, correcting)
    except OperationRefused as refused:
        if not refused.report.overridable:
            operations.show_error(view, refused)
            return None
        return _overridden(view, user, ctx, entry, refused, correcting)
    except BedsideError as exc:
        operations.show_error(view, exc)
        return None
    view.apply(change)
    return change


def _overridden(
    view: SessionView,
    user: User,
    ctx: SessionContext,
    entry: PrnEntry,
    refused: OperationRefused,
    correcting: ChartEvent | None = None,
) -> SessionChange | None:
    """The clinician names themselves, signs with their password and gives the reason."""
    what = f"give {entry.drug} {entry.dose:g} {entry.unit} {entry.route}"
    answer = guard_view.ask_override(refused.report, what, view)
    if answer is None:
        return None
    return view.run(lambda: _call(view, user, ctx, entry, answer, correcting))
