"""The summary's account of a session charted at two workstations while they were cut off
(issue 14): where the other entries came from, each clinician's resolution with its reason,
the steps that stand and the steps set aside (printed, struck through: never dropped), and —
on a draft — what still waits for a clinician. Nothing for a session charted on one line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from reportlab.platypus import Flowable

from bedside.events import ChartEvent, ForkResolved, Kind
from charting.record import WHAT
from charting.record_text import Wording, entry_words
from export.pdf.blocks import heading
from export.pdf.context import PrintContext, strike
from export.pdf.styles import esc, para


def two_workstations_section(ctx: PrintContext) -> list[Flowable]:
    """See the module."""
    fork = ctx.state.fork
    if fork is None:
        return []
    s = ctx.styles
    names = " and ".join(fork.workstations) or "two workstations"
    out: list[Flowable] = [
        heading(ctx, "Charted at two workstations"),
        para(
            f"This session was charted at workstations {esc(names)} while they were cut off "
            "from each other. Entries that do not depend on others are merged in "
            "clinical-time order; judged steps are decided by a clinician.",
            s.body,
        ),
    ]
    for event in ctx.state.events:
        if event.kind == Kind.FORK_RESOLVED:
            out.extend(_resolution(ctx, event))
    if fork.pending:
        waiting = ", ".join(_step(ctx, e, struck=False) for e in fork.waiting_steps) or "none"
        out.append(
            para(
                "<b>WAITING FOR A CLINICIAN</b>: the session cannot be closed until the branches "
                f"are resolved. Steps from there held out of this summary: {waiting}.",
                s.body,
            )
        )
    return out


def _resolution(ctx: PrintContext, event: ChartEvent) -> list[Flowable]:
    p = cast(ForkResolved, event.payload)
    by_id = {e.id: e for e in (*ctx.state.events, *_fork_entries(ctx))}
    kept = _steps(ctx, [by_id[i] for i in p.kept if i in by_id], struck=False)
    aside = _steps(ctx, [by_id[i] for i in p.set_aside if i in by_id], struck=True)
    return [
        para(
            f"<b>Resolved</b> {esc(ctx.when(event.clinical_time))} by "
            f"{esc(ctx.person(event.author))} — reason: {esc(p.reason)}<br/>"
            f"Steps that stand: {kept}<br/>Steps set aside (kept in the record): {aside}",
            ctx.styles.cell,
        )
    ]


def _fork_entries(ctx: PrintContext) -> Sequence[ChartEvent]:
    fork = ctx.state.fork
    return fork.received if fork is not None else ()


def _steps(ctx: PrintContext, events: Sequence[ChartEvent], *, struck: bool) -> str:
    return "; ".join(_step(ctx, e, struck=struck) for e in events) or "none"


def _step(ctx: PrintContext, event: ChartEvent, *, struck: bool) -> str:
    wording = Wording(ctx.state, ctx.names, ctx.tz)
    text = (
        f"{WHAT[event.kind]} {ctx.hm(event.clinical_time)} ({ctx.short(event.author)}): "
        f"{entry_words(event, wording)}"
    )
    return strike(esc(text), struck)
