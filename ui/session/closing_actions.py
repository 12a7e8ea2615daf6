"""The session window's closing actions: the discharge score, witnessed waste, the charting
nurse's signature, ready for discharge, the clinician's sign-off, addenda after it, and ending a
session early.

Each action reads the session as the window shows it (``view.ctx``), asks its dialog for plain
values, and hands them to the core with that context; the window redraws from what the core
returns. Passwords are checked by the core, never here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from bedside.context import SessionChange
from bedside.events import ChartAttested, IntakeScreened, Phase
from bedside.people import Permission
from bedside.rules import controlled, phases
from bedside.scales import ScaleName
from bedside.signatures import Meaning
from ui.dialogs.discharge import AddendumDialog, DischargeDialog, SignOffDialog, WasteDialog
from ui.dialogs.text import PasswordDialog, TextDialog

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
    """Waste, signed by a witness with their own password; suggests what is unaccounted."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    record = controlled.reconcile(ctx.state, ctx.protocol)
    entry = WasteDialog.ask(record.discrepancy_mg or 0.0, view)
    if entry is None:
        return

    def waste() -> SessionChange:
        witness = view.service.accounts.authenticate(entry.witness_username, entry.witness_password)
        return view.service.record_waste(
            user,
            ctx,
            wasted_mg=entry.wasted_mg,
            witness=witness,
            witness_password=entry.witness_password,
            source="bag" if entry.source == "bag" else "vial",
        )

    view.run(waste)


def attest_chart(view: SessionView) -> None:
    """The charting nurse signs the record as complete and accurate, before sign-off."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    password = PasswordDialog.ask(
        "Sign my charting",
        f"<p>You sign, as <b>{user.display_name}</b>: <b>“{Meaning.CHARTED_BY.value}”</b>."
        "</p><p>Your name, the date and time and this meaning are bound to the record as "
        "it stands now and printed on the summary.</p>",
        "Sign",
        view,
    )
    if password:
        view.run(lambda: view.service.attest_chart(user, ctx, password))


def mark_ready(view: SessionView) -> None:
    """Complete observation: refused in words while criteria are missing."""
    ctx, user = view.ctx, view.user
    if user is not None:
        view.run(lambda: view.service.advance(user, ctx, Phase.READY_FOR_DISCHARGE))


def sign_off(view: SessionView) -> None:
    """The clinician signs the discharge with their own password; the record locks. The dialog
    shows what is being signed: what is not yet met, and whether the charting is signed."""
    ctx, user = view.ctx, view.user
    report = phases.sign_report(ctx.state, ctx.protocol, view.clock.now())
    missing = "".join(f"<li>{f.message}</li>" for f in report.errors)
    summary = f"<h3>{ctx.patient.display_name} — session {ctx.header.number_in_course}</h3>" + (
        f"<p><b>Not yet met:</b></p><ul>{missing}</ul>"
        if missing
        else "<p>All discharge criteria are met and the drug record is reconciled.</p>"
    )
    nurses = [cast(ChartAttested, e.payload).signature for e in ctx.state.attestations]
    summary += (
        "<p>Charting signed by " + ", ".join(s.signer_name for s in nurses) + ".</p>"
        if nurses
        else "<p>The charting nurse has not signed the charting yet (G).</p>"
    )
    default = user.username if user and user.can(Permission.SIGN_DISCHARGE) else ""
    entry = SignOffDialog.ask(summary, default, view)
    if entry is None:
        return

    def sign() -> SessionChange:
        clinician = view.service.accounts.authenticate(entry.username, entry.password)
        return view.service.sign_off(
            clinician, ctx, entry.password, override_reason=entry.override_reason or None
        )

    view.run(sign)


def add_addendum(view: SessionView) -> None:
    """A signed addendum after the lock."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    entry = AddendumDialog.ask(view)
    if entry is not None:
        view.run(
            lambda: view.service.add_addendum(
                user, ctx, text=entry.text, reason=entry.reason, password=entry.password
            )
        )


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
