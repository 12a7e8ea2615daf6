"""The session window's action buttons: which row each sits in, its label, its key, and the
action it runs (the actions live in ``pump_actions``, ``entry_actions`` and ``closing_actions``;
whether a button shows is :func:`charting.actions.available_actions`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from charting.actions import Action
from ui.session import closing_actions as closing
from ui.session import entry_actions as entries
from ui.session import prn_actions
from ui.session import pump_actions as pump

if TYPE_CHECKING:
    from ui.session.window import SessionView

Handler = Callable[["SessionView"], None]

BUTTONS: tuple[tuple[str, Action, str, str, Handler], ...] = (
    # What is charted at each check ...
    ("chart", Action.VITALS, "Vitals", "V", entries.record_vitals),
    ("chart", Action.SEDATION, "Sedation score", "Z", entries.score_sedation),
    ("chart", Action.CADSS, "CADSS-6", "X", entries.score_dissociation),
    ("chart", Action.EFFECT, "Side effect", "E", entries.side_effect),
    ("chart", Action.RESOLVE, "Resolved", "Y", entries.resolve_side_effect),
    ("chart", Action.PRN, "PRN medicine", "M", prn_actions.give_prn),
    ("chart", Action.NOTE, "Note", "N", entries.add_note),
    ("chart", Action.DEFER, "Defer check", "F", entries.defer_check),
    # ... then the steps that move the session on.
    ("step", Action.ALERT, "Acknowledge alert", "A", pump.acknowledge_alert),
    ("step", Action.START, "Start infusion", "I", pump.start_infusion),
    ("step", Action.PAUSE, "Pause", "P", pump.pause_or_resume),
    ("step", Action.RATE, "Rate change", "T", pump.change_rate),
    ("step", Action.STOP, "Stop infusion", "S", pump.stop_infusion),
    ("step", Action.DISCHARGE, "Discharge score", "D", closing.assess_discharge),
    ("step", Action.WASTE, "Waste", "W", closing.record_waste),
    ("step", Action.ATTEST, "Sign my charting", "G", closing.attest_chart),
    ("step", Action.READY, "Ready for discharge", "R", closing.mark_ready),
    ("step", Action.SIGN, "Sign off", "O", closing.sign_off),
    ("step", Action.ADDENDUM, "Addendum", "U", closing.add_addendum),
    ("step", Action.END, "End session early…", "Ctrl+Shift+E", closing.end_early),
)
"""Every action button: its row, the action, its label, its key and what it does."""
