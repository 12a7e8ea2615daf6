"""A choice list that shows whether it is answered: its prompt ("choose…") muted and slanted,
a chosen answer in bold (the style sheet selects on the ``answered`` property), so in the dim
room an answer never reads like the prompt it replaced."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def show_answered(combo: QComboBox) -> None:
    """Mark ``combo`` answered or not, now and whenever its choice changes."""
    combo.currentIndexChanged.connect(lambda _=0, c=combo: _mark(c))
    _mark(combo)


def _mark(combo: QComboBox) -> None:
    value = "true" if combo.currentIndex() >= 0 else "false"
    if combo.property("answered") == value:
        return
    combo.setProperty("answered", value)
    combo.style().unpolish(combo)
    combo.style().polish(combo)
