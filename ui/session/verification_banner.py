"""The banner over a session whose record fails verification: it may have been altered
outside Bedside, and nobody should chart on it or rely on it without knowing."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def verification_banner(problems: list[str]) -> QLabel:
    """A red banner over a session whose record fails verification (hidden when sound)."""
    banner = QLabel(verification_words(problems))
    banner.setObjectName("verificationBanner")
    banner.setWordWrap(True)
    banner.setVisible(bool(problems))
    return banner


def verification_words(problems: list[str]) -> str:
    """The banner over a session whose record fails verification ("" when it is sound)."""
    if not problems:
        return ""
    return (
        "FAILED VERIFICATION: this record does not match the hashes it was saved with and may "
        f"have been altered outside Bedside ({problems[0]}). Do not rely on it; tell the "
        "clinic's IT (bedside verify)."
    )
