"""The session window's heading: who the patient is, the session, the phase and the allergies."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from bedside.allergies import AllergyState, allergy_words
from bedside.context import SessionContext
from bedside.rules.medication import session_allergies
from bedside.timeutil import local_date


def allergies_html(ctx: SessionContext, palette: Mapping[str, str]) -> str:
    """The allergies this session runs under, in words: a list in the danger colour, unknown
    in the warning colour (a blank is never shown as "no known allergies"), and no known drug
    allergies with who confirmed it and when."""
    status = session_allergies(ctx.patient, ctx.state)
    words = escape(allergy_words(status, ctx.state.opened.clinic_timezone), quote=False)
    if status.state is AllergyState.LISTED:
        return f"<span style='color:{palette['danger']}'><b>{words}</b></span>"
    if status.state is AllergyState.UNKNOWN:
        return f"<span style='color:{palette['warning']}'><b>⚠ {words}</b></span>"
    return words


def header_html(ctx: SessionContext, palette: Mapping[str, str], charting_as: str = "") -> str:
    """The window's heading: who (with age and sex: the pregnancy test is asked from them),
    which session of the course, the phase, the allergies, and who is charting here now
    (``palette``: the theme's colours)."""
    p, h = ctx.patient, ctx.header
    opened = local_date(h.opened_at, ctx.state.opened.clinic_timezone)
    who = (
        f" · <span style='color:{palette['muted']}'>charting as <b>{escape(charting_as)}</b></span>"
        if charting_as
        else ""
    )
    return (
        f"<h2>{escape(p.display_name)}</h2>"
        f"<p>{p.mrn} · born {p.date_of_birth:%d %b %Y} ({p.age_on(opened)}, {p.sex}) · session "
        f"{h.number_in_course} of {ctx.order.planned_infusions} · protocol "
        f"v{ctx.protocol.version} · <b>{ctx.state.phase.label}</b>{who}<br>"
        f"{allergies_html(ctx, palette)}</p>"
    )
