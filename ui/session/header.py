"""The session window's heading: who the patient is, the session, the phase and the allergies."""

from __future__ import annotations

from html import escape

from bedside.context import SessionContext


def header_html(ctx: SessionContext, danger_colour: str) -> str:
    """The window's heading: who, which session of the course, the phase, and the allergies
    (in the danger colour)."""
    p, h = ctx.patient, ctx.header
    allergies = (
        f"<span style='color:{danger_colour}'><b>Allergies: "
        f"{escape(', '.join(p.allergies))}</b></span>"
        if p.allergies
        else "no known allergies"
    )
    return (
        f"<h2>{p.display_name}</h2>"
        f"<p>{p.mrn} · born {p.date_of_birth:%d %b %Y} · session {h.number_in_course} of "
        f"{ctx.order.planned_infusions} · protocol v{ctx.protocol.version} · "
        f"<b>{ctx.state.phase.label}</b> · {allergies}</p>"
    )
