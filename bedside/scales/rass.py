"""RASS: Richmond Agitation-Sedation Scale (+4 combative ... 0 alert and calm ... −5 unarousable).

Source: Sessler CN et al., *Am J Respir Crit Care Med* 2002;166:1338–1344; terms and descriptions
as tabulated at
https://palliative.stanford.edu/palliative-sedation/appendices/richmond-agitation-sedation-scale/
(CLINICAL.md §3.3). RASS captures agitation as well as sedation, which suits ketamine emergence
reactions.

Flags are facts about the level chosen: ``rass_deep_sedation`` at −3 or below (no eye contact to
voice; CLINICAL.md §2.2 lists RASS ≤ −3 among triggers clinics chart) and ``rass_agitation`` at +2
or above. What the clinic does about them is configured elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping

from bedside.scales.base import (
    ScaleDefinition,
    ScaleFlag,
    ScaleItem,
    ScaleName,
    ScaleOption,
    ScaleScore,
    validated_answers,
)

_LEVELS: tuple[tuple[int, str, str, str], ...] = (
    (4, "combative", "Combative", "Overtly combative or violent; immediate danger to staff"),
    (
        3,
        "very_agitated",
        "Very agitated",
        "Pulls on or removes tubes or catheters, or aggressive towards staff",
    ),
    (2, "agitated", "Agitated", "Frequent non-purposeful movement"),
    (1, "restless", "Restless", "Anxious but movements not aggressive or vigorous"),
    (0, "alert_calm", "Alert and calm", ""),
    (-1, "drowsy", "Drowsy", "Sustained (>10 s) awakening with eye contact to voice"),
    (-2, "light_sedation", "Light sedation", "Brief (<10 s) awakening with eye contact to voice"),
    (-3, "moderate_sedation", "Moderate sedation", "Movement (but no eye contact) to voice"),
    (
        -4,
        "deep_sedation",
        "Deep sedation",
        "No response to voice; movement to physical stimulation",
    ),
    (-5, "unarousable", "Unarousable", "No response to voice or physical stimulation"),
)


def _words(term: str, description: str) -> str:
    return f"{term}: {description}" if description else term


DEFINITION = ScaleDefinition(
    name=ScaleName.RASS,
    title="RASS (Richmond Agitation-Sedation Scale)",
    source="Sessler CN et al., Am J Respir Crit Care Med 2002;166:1338–1344.",
    items=(
        ScaleItem(
            key="score",
            text="Observed level of agitation or sedation",
            options=tuple(ScaleOption(v, f"{v:+d} {_words(t, d)}") for v, _, t, d in _LEVELS),
        ),
    ),
    min_total=-5,
    max_total=4,
)

_BANDS: dict[int, tuple[str, str]] = {
    v: (code, f"RASS {v:+d} {_words(t, d)}") for v, code, t, d in _LEVELS
}


def score(answers: Mapping[str, int]) -> ScaleScore:
    """Score RASS from ``{"score": -5..4}``; the total is the level chosen (may be negative).

    Parameters
    ----------
    answers : Mapping[str, int]
        Exactly one item, ``"score"``.

    Returns
    -------
    ScaleScore
        Band named after the RASS term; flag ``rass_deep_sedation`` when ≤ −3 and
        ``rass_agitation`` when ≥ +2.

    Raises
    ------
    ScaleInputError
        If the answer is missing, unknown or out of range.
    """
    total = validated_answers(DEFINITION, answers)["score"]
    band, band_label = _BANDS[total]
    flags: tuple[str, ...] = ()
    if total <= -3:
        flags = (ScaleFlag.RASS_DEEP_SEDATION.value,)
    elif total >= 2:
        flags = (ScaleFlag.RASS_AGITATION.value,)
    return ScaleScore(
        scale=ScaleName.RASS, total=total, band=band, band_label=band_label, flags=flags
    )
