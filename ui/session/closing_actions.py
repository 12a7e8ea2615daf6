"""The session window's closing actions: the discharge score, witnessed waste, the charting
nurse's signature, ready for discharge, the clinician's sign-off, addenda after it, and ending a
session early.

Each action reads the session as the window shows it (``view.ctx``), asks its dialog for plain
values, and hands them to the core with that context; the window redraws from what the core
returns. Passwords are checked by the core, never here.
"""

from __future__ import annotations

from functools import partial
from html import escape
from typing import TYPE_CHECKING, cast

from bedside.context import SessionChange, SessionContext
from bedside.events import ChartAttested, DosePlanned, IntakeScreened, Phase
from bedside.people import Permission, User
from bedside.rules import controlled
from bedside.rules.controlled import WasteSource
from bedside.scales import ScaleName
from bedside.signatures import Meaning
from charting.signoff import signoff_summary
from ui.common import operations
from ui.dialogs.discharge import (
    AddendumDialog,
    AttestDialog,
    DischargeDialog,
    OpenDrug,
    SignOffDialog,
    SignOffEntry,
    SignOffPage,
    WasteDialog,
    WasteEntry,
)
from ui.dialogs.entry_dialog import until_saved
from ui.dialogs.text import TextDialog

if TYPE_CHECKING:
    from ui.session.window import SessionView


def assess_discharge(view: SessionView) -> None:
    """The protocol's discharge score with escort and instructions."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    intake = ctx.state.typed(ctx.state.intake, IntakeScreened)
    escort = intake.escort_name if intake is not None else ""
    entry = DischargeDialog.ask(ScaleName(ctx.protocol.monitoring.discharge_scale), escort, view)
    if entry is not None:
        view.run(
            lambda: view.service.assess_discharge(
                user,
                ctx,
                answers=entry.answers,
                escort_present=entry.escort_present,
                escort_name=entry.escort_name,
                instructions_given=entry.instructions_given,
                iv_removed_site_ok=entry.iv_removed_site_ok,
            )
        )


def record_waste(view: SessionView) -> None:
    """Waste, signed by a witness with their own password. The dialog says how much is open and
    where, and suggests it; a refused waste reopens the dialog as it was typed."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    entry = WasteDialog.ask(open_drug(ctx), view.clock, view.service.timezone, view)
    while entry is not None:
        given = entry
        if view.run(partial(_waste, view, ctx, user, given)) is not None:
            return
        entry = WasteDialog.ask(
            open_drug(ctx), view.clock, view.service.timezone, view, previous=given
        )


def open_drug(ctx: SessionContext) -> OpenDrug:
    """The open remainder by place, and each place's strength (the vial's; the bag's once a
    bag was made up)."""
    record = controlled.reconcile(ctx.state, ctx.protocol)
    plan = ctx.state.typed(ctx.state.dose_plan, DosePlanned)
    strengths: dict[WasteSource, float] = {}
    if record.concentration_mg_ml is not None:
        strengths["vial"] = record.concentration_mg_ml
    if plan is not None:
        strengths["bag"] = plan.concentration_mg_ml
    return OpenDrug(record.open_parts, strengths)


def _waste(view: SessionView, ctx: SessionContext, user: User, entry: WasteEntry) -> SessionChange:
    witness = view.service.accounts.authenticate(entry.witness_username, entry.witness_password)
    return view.service.record_waste(
        user,
        ctx,
        wasted_mg=entry.wasted_mg,
        witness=witness,
        witness_password=entry.witness_password,
        source="bag" if entry.source == "bag" else "vial",
        clinical_time=entry.clinical_time,
    )


def attest_chart(view: SessionView) -> None:
    """The charting nurse signs the record as complete and accurate, before sign-off, having
    read the session's summary above her password."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    summary = signoff_summary(ctx.state, ctx.protocol, view.clock.now(), view.names)
    entry = AttestDialog.ask_signature(
        f"<p>You sign, as <b>{user.display_name}</b>: <b>“{Meaning.CHARTED_BY.value}”</b>."
        "</p><p>Your name, the date and time and this meaning are bound to the record as "
        "it stands now (summarised above) and printed on the summary.</p>",
        view.clock,
        view.service.timezone,
        view,
        summary,
    )
    if entry is not None and entry.password:
        view.run(
            lambda: view.service.attest_chart(
                user, ctx, entry.password, clinical_time=entry.clinical_time
            )
        )


def mark_ready(view: SessionView) -> None:
    """Complete observation, once the nurse confirms it (a step of the session is never taken
    by a stray key); refused in words while criteria are missing."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    question = (
        f"Mark {ctx.patient.display_name} (chair {ctx.header.chair}) ready for discharge?\n\n"
        "Observation ends and the clinician is asked to sign the discharge."
    )
    if operations.confirm(view, "Ready for discharge", question):
        view.run(lambda: view.service.advance(user, ctx, Phase.READY_FOR_DISCHARGE))


def sign_off(view: SessionView) -> None:
    """The clinician signs the discharge with their own password; the record locks. The dialog
    shows what is being signed, before the password: the session's summary (what is not yet
    met, alerts, PRNs, side effects, missed and deferred checks, overrides, the drug record,
    the last vitals) and whether the charting is signed."""
    ctx, user = view.ctx, view.user
    page = sign_off_page(view)
    default = user.username if user and user.can(Permission.SIGN_DISCHARGE) else ""

    def ask(previous: SignOffEntry | None) -> SignOffEntry | None:
        return SignOffDialog.ask(page, default, view, previous)

    def sign(entry: SignOffEntry) -> SessionChange | None:
        def signed() -> SessionChange:
            clinician = view.service.accounts.authenticate(entry.username, entry.password)
            return view.service.sign_off(
                clinician, ctx, entry.password, override_reason=entry.override_reason or None
            )

        return view.run(signed)

    # A refused signature (a wrong password, a reason missing) reopens with what was typed.
    until_saved(ask, sign)


def sign_off_page(view: SessionView) -> SignOffPage:
    """What the sign-off dialog shows above the password: the patient and session, whether the
    charting is signed, and the session's summary at this moment."""
    ctx = view.ctx
    summary = signoff_summary(ctx.state, ctx.protocol, view.clock.now(), view.names)
    nurses = [cast(ChartAttested, e.payload).signature for e in ctx.state.attestations]
    heading = f"<h3>{escape(ctx.patient.display_name)} — session {ctx.header.number_in_course}</h3>"
    heading += (
        "<p>Charting signed by " + escape(", ".join(s.signer_name for s in nurses)) + ".</p>"
        if nurses
        else "<p><b>The charting nurse has not signed the charting yet (G).</b></p>"
    )
    return SignOffPage(heading, summary)


def add_addendum(view: SessionView) -> None:
    """A signed addendum after the lock; a refused one reopens the dialog as it was typed."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    entry = AddendumDialog.ask(view.clock, view.service.timezone, view)
    while entry is not None:
        given = entry
        saved = view.run(
            partial(
                view.service.add_addendum,
                user,
                ctx,
                text=given.text,
                reason=given.reason,
                password=given.password,
                clinical_time=given.clinical_time,
            )
        )
        if saved is not None:
            return
        entry = AddendumDialog.ask(view.clock, view.service.timezone, view, previous=given)


def end_early(view: SessionView) -> None:
    """End the session before completion with a reason; refused in words while the pump runs
    or drawn-up drug is unaccounted for."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    reason = TextDialog.ask(
        "End session early",
        "Why does this session end here? (e.g. consent withdrawn, opened for the wrong "
        "patient, contraindication found). The record is then closed; only addenda follow.",
        "End session",
        parent=view,
    )
    if reason:
        view.run(lambda: view.service.end_early(user, ctx, reason))
