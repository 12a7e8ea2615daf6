"""How a database says it holds the demo clinic, and the words that say so wherever it shows.

The demo clinic (made-up patients, public passwords) lives in its own database file, never in
the clinic's. Its ``demo`` setting is written once by the demo's builder; settings are bound
into the ledger like every record, so the mark cannot be dropped without ``verify`` noticing.
The window titles and every printout read it, so a demo screen or page cannot pass for the
clinic's.
"""

from __future__ import annotations

DEMO_SETTING = "demo"
"""The clinic setting that marks a demo database (value :data:`DEMO_VALUE`)."""
DEMO_VALUE = "1"
DEMO_MARK = "DEMO — not for patient care"
"""Printed across the top of every page of a demo database's printouts."""


def demo_title(title: str, demo: bool) -> str:
    """A window title, led by ``DEMO`` for a demo database (first, so a narrow title bar still
    shows it)."""
    return f"DEMO — {title}" if demo else title


def demo_subject(subject: str, demo: bool) -> str:
    """A printout's subject, with the demo mark after it for a demo database."""
    return f"{subject} ({DEMO_MARK})" if demo else subject
