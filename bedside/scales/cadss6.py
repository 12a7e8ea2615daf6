"""CADSS-6: six-item short form of the Clinician-Administered Dissociative States Scale.

Sources (CLINICAL.md §3.1):

* Full scale: Bremner JD et al., *J Trauma Stress* 1998;11:125–136; the 23-item version used in
  ketamine studies is rated 0 (not at all) to 4 (extremely) per item.
* Short form: Rodrigues NB et al., *J Affect Disord* 2021;282:160–164 — items 1, 2, 6, 7, 15 and
  22 of the full scale, built from 260 IV-ketamine TRD patients; correlated 0.91–0.95 with the
  full CADSS at infusions 1–4. **Not yet validated**; there is no validated cut-off, so the only
  bands are "none" (total 0) and "present" (total > 0). Range 0–24 with the 0–4 anchors.

Copyright: the CADSS item wording and anchors are the author's; permission may be needed
(CLINICAL.md §3.1 and §11 item 4). The item texts below are **our own neutral paraphrases** of
the phenomenon each item concerns, not the scale's wording. The item-number-to-phenomenon
pairing was not confirmed against the licensed scale and must be checked against it. Item keys
carry only the full-scale item number (``item_01`` ...), so they stay correct whatever the
display text becomes.
"""

from __future__ import annotations

from collections.abc import Mapping

from bedside.scales.base import (
    ScaleDefinition,
    ScaleItem,
    ScaleName,
    ScaleOption,
    ScaleScore,
    validated_answers,
)

ANCHORS: tuple[ScaleOption, ...] = (
    ScaleOption(0, "Not at all"),
    ScaleOption(1, "Slightly"),
    ScaleOption(2, "Moderately"),
    ScaleOption(3, "Considerably"),
    ScaleOption(4, "Extremely"),
)

# Full-scale item number -> neutral paraphrase (our wording; verify pairing with licensed text).
_ITEMS: tuple[tuple[int, str], ...] = (
    (1, "Perception of time altered (events seem slowed down)"),
    (2, "Surroundings feel unreal or dream-like (derealisation)"),
    (6, "Feels detached from own body"),
    (7, "Own body feels changed, e.g. in size"),
    (15, "Loses track of what is going on (spacing out)"),
    (22, "Gaps in memory for what has just happened"),
)

DEFINITION = ScaleDefinition(
    name=ScaleName.CADSS6,
    title="CADSS-6 (short form of the Clinician-Administered Dissociative States Scale)",
    source=(
        "Rodrigues NB et al., J Affect Disord 2021;282:160–164 (items 1, 2, 6, 7, 15, 22 of "
        "the CADSS: Bremner JD et al., J Trauma Stress 1998;11:125–136)."
    ),
    items=tuple(
        ScaleItem(key=f"item_{number:02d}", text=text, options=ANCHORS) for number, text in _ITEMS
    ),
    min_total=0,
    max_total=24,
    licence_note=(
        "Item texts are neutral paraphrases written for this app, not the CADSS wording, which "
        "is copyrighted: obtain the licensed item text and anchors from the author (J. D. "
        "Bremner) before showing them. CADSS-6 is not yet validated and has no validated "
        "cut-off."
    ),
)


def score(answers: Mapping[str, int]) -> ScaleScore:
    """Score CADSS-6: the sum of six items, each 0–4 (total 0–24).

    Parameters
    ----------
    answers : Mapping[str, int]
        ``item_01``, ``item_02``, ``item_06``, ``item_07``, ``item_15``, ``item_22``.

    Returns
    -------
    ScaleScore
        Band ``"none"`` for 0, otherwise ``"present"``; there is no validated cut-off.

    Raises
    ------
    ScaleInputError
        If an item is missing, unknown or out of range.
    """
    total = sum(validated_answers(DEFINITION, answers).values())
    if total == 0:
        band, band_label = "none", "No dissociation reported (CADSS-6 0/24)"
    else:
        band = "present"
        band_label = f"Dissociation present (CADSS-6 {total}/24; no validated cut-off)"
    return ScaleScore(scale=ScaleName.CADSS6, total=total, band=band, band_label=band_label)
