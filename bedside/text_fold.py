"""Names as a search compares them: accents, case and width folded away, so "garcia" finds
GARCÍA and "Muller" finds Müller (a nurse at 2 a.m. types without accents)."""

from __future__ import annotations

import unicodedata


def fold_text(text: str | None) -> str:
    """``text`` without accents, in one case (None: "")."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
