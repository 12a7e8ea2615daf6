"""A status bar label that says a problem the same way everywhere (backups, the clinic server):
red and bold, legible in both themes, with the ``problem`` property tests and style sheets read."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

PROBLEM_STYLE = "color: #b3261e; font-weight: bold;"


def say(label: QLabel, text: str, *, problem: bool) -> None:
    """Put ``text`` in ``label``, marked as a problem or not."""
    label.setText(text)
    label.setProperty("problem", problem)
    label.setStyleSheet(PROBLEM_STYLE if problem else "")
