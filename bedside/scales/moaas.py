"""MOAA/S: Modified Observer's Assessment of Alertness/Sedation (5 = alert ... 0 = no response).

Source: derived from the OAA/S (Chernik DA et al., *J Clin Psychopharmacol* 1990;10:244–251);
level wording from https://bmcanesthesiol.biomedcentral.com/articles/10.1186/s12871-022-01788-1/tables/2
(CLINICAL.md §3.2). Some versions word level 1 as "does not respond to mild prodding or shaking"
and level 0 as "does not respond to pain".

Bands are named after the response observed, not after sedation depth: the mapping of MOAA/S
levels to minimal/moderate/deep sedation varies between sources and is not in CLINICAL.md.
The flag ``moaas_unresponsive_to_voice`` (score ≤ 2) is a fact about the response; whether it
holds or stops an infusion is clinic configuration (CLINICAL.md §2.2), not decided here.
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

_LEVELS: tuple[tuple[int, str, str], ...] = (
    (5, "alert", "Responds readily to name spoken in a normal tone (alert)"),
    (4, "lethargic", "Lethargic response to name spoken in a normal tone"),
    (3, "loud_voice", "Responds only after name is called loudly and/or repeatedly"),
    (2, "prodding", "Responds only after mild prodding or shaking"),
    (1, "painful_stimulus", "Responds only after painful trapezius squeeze"),
    (0, "unresponsive", "Does not respond to painful trapezius squeeze"),
)

DEFINITION = ScaleDefinition(
    name=ScaleName.MOAAS,
    title="MOAA/S (Modified Observer's Assessment of Alertness/Sedation)",
    source=(
        "Derived from the OAA/S: Chernik DA et al., J Clin Psychopharmacol 1990;10:244–251. "
        "Levels: BMC Anesthesiol 2022, doi 10.1186/s12871-022-01788-1, table 2."
    ),
    items=(
        ScaleItem(
            key="response",
            text="Best response to the patient's name, then to touch, then to a painful stimulus",
            options=tuple(ScaleOption(value, label) for value, _, label in _LEVELS),
        ),
    ),
    min_total=0,
    max_total=5,
)

_BANDS: dict[int, tuple[str, str]] = {
    value: (code, f"MOAA/S {value}: {label}") for value, code, label in _LEVELS
}


def score(answers: Mapping[str, int]) -> ScaleScore:
    """Score MOAA/S from ``{"response": 0..5}``; the total is the level chosen.

    Parameters
    ----------
    answers : Mapping[str, int]
        Exactly one item, ``"response"``.

    Returns
    -------
    ScaleScore
        Band named after the response; flag ``moaas_unresponsive_to_voice`` when the total ≤ 2.

    Raises
    ------
    ScaleInputError
        If the answer is missing, unknown or out of range.
    """
    total = validated_answers(DEFINITION, answers)["response"]
    band, band_label = _BANDS[total]
    flags = (ScaleFlag.MOAAS_UNRESPONSIVE_TO_VOICE.value,) if total <= 2 else ()
    return ScaleScore(
        scale=ScaleName.MOAAS, total=total, band=band, band_label=band_label, flags=flags
    )
