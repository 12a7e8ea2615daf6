"""The clinic's paper: A4 or Letter, and which one a new clinic is offered first."""

from __future__ import annotations

from collections.abc import Mapping

PAPER_SIZES = ("A4", "Letter")

LETTER_TERRITORIES = frozenset(
    {"US", "CA", "MX", "PR", "PH", "CL", "CO", "VE", "CR", "DO", "GT", "SV", "NI", "PA"}
)
"""Where US Letter, not ISO 216's A4, is the office paper (ISO 3166 codes): the United States
and Canada, most of Central America, the Philippines, Chile, Colombia, Venezuela (ISO 216's
adoption, as listed in the Wikipedia article "Paper size", 2026). Everywhere else: A4."""


def usual_paper(territory: str) -> str:
    """The paper a clinic in ``territory`` (ISO 3166 alpha-2, e.g. from the workstation's
    locale ``en_US``) most likely prints on; offered first, never chosen without being shown."""
    return "Letter" if territory.upper() in LETTER_TERRITORIES else "A4"


def paper_territory(environ: Mapping[str, str]) -> str:
    """The country of the workstation's paper setting (``en_US.UTF-8`` → ``US``), as POSIX
    chooses it: ``LC_ALL``, else ``LC_PAPER``, else ``LANG``; "" when none names one (``C``).

    Not the language's country: "English (US)" with British or German formats (a common
    desktop set-up) keeps ``LANG``/``LANGUAGE`` American and ``LC_PAPER`` local, and prints
    on A4."""
    for name in ("LC_ALL", "LC_PAPER", "LANG"):
        value = environ.get(name, "")
        if value:
            language = value.split(".")[0].split("@")[0]
            return language.partition("_")[2].upper()
    return ""
