"""PHQ-9: Patient Health Questionnaire-9 (self-report, past 2 weeks; nine items 0–3, total 0–27).

Source (CLINICAL.md §8.1): Kroenke K, Spitzer RL, Williams JBW, *J Gen Intern Med*
2001;16:606–613. Severity bands 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately
severe, 20–27 severe. Item 9 (thoughts of death or self-harm) above 0 needs same-day follow-up;
this module only raises the factual flag ``phq9_item9_positive``.

The PHQ-9 is free to use; the item texts below are brief paraphrases of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bedside.scales.base import (
    ScaleDefinition,
    ScaleFlag,
    ScaleItem,
    ScaleName,
    ScaleOption,
    ScaleScore,
    validated_answers,
)

FREQUENCY: tuple[ScaleOption, ...] = (
    ScaleOption(0, "Not at all"),
    ScaleOption(1, "Several days"),
    ScaleOption(2, "More than half the days"),
    ScaleOption(3, "Nearly every day"),
)

_ITEMS: tuple[tuple[str, str], ...] = (
    ("q1_interest", "Little interest or pleasure in doing things"),
    ("q2_depressed", "Feeling down, depressed or hopeless"),
    ("q3_sleep", "Trouble falling or staying asleep, or sleeping too much"),
    ("q4_energy", "Feeling tired or having little energy"),
    ("q5_appetite", "Poor appetite or overeating"),
    ("q6_self_worth", "Feeling bad about oneself, a failure, or letting self or family down"),
    ("q7_concentration", "Trouble concentrating, e.g. reading or watching television"),
    ("q8_psychomotor", "Moving or speaking slowly, or being restless, enough for others to notice"),
    ("q9_self_harm", "Thoughts of being better off dead or of self-harm"),
)

DEFINITION = ScaleDefinition(
    name=ScaleName.PHQ9,
    title="PHQ-9 (Patient Health Questionnaire-9), over the last 2 weeks",
    source="Kroenke K, Spitzer RL, Williams JBW, J Gen Intern Med 2001;16:606–613.",
    items=tuple(ScaleItem(key=key, text=text, options=FREQUENCY) for key, text in _ITEMS),
    min_total=0,
    max_total=27,
    licence_note="PHQ-9 is free to use; item texts here are brief paraphrases.",
)

PHQ9_MAX = 27
"""The highest PHQ-9 total (nine items, 0–3 each)."""


@dataclass(frozen=True)
class Band:
    """A PHQ-9 severity band (Kroenke 2001, CLINICAL.md §8.1): totals ``low``–``high``."""

    low: int
    high: int
    code: str
    label: str
    short: str
    """The name a chart has room for."""


BANDS: tuple[Band, ...] = (
    Band(0, 4, "minimal", "Minimal depression (0–4)", "minimal"),
    Band(5, 9, "mild", "Mild depression (5–9)", "mild"),
    Band(10, 14, "moderate", "Moderate depression (10–14)", "moderate"),
    Band(15, 19, "moderately_severe", "Moderately severe depression (15–19)", "mod. severe"),
    Band(20, 27, "severe", "Severe depression (20–27)", "severe"),
)
"""The five bands, in order; every chart and table of PHQ-9 draws these."""

CUT_POINTS: tuple[int, ...] = tuple(band.low for band in BANDS[1:])
"""Where one band ends and the next begins: 5, 10, 15, 20."""


def score(answers: Mapping[str, int]) -> ScaleScore:
    """Score the PHQ-9: the sum of nine items, each 0–3 (total 0–27), with severity band.

    Parameters
    ----------
    answers : Mapping[str, int]
        ``q1_interest`` ... ``q9_self_harm``.

    Returns
    -------
    ScaleScore
        Band ``minimal``/``mild``/``moderate``/``moderately_severe``/``severe``; flag
        ``phq9_item9_positive`` when item 9 is above 0, whatever the total.

    Raises
    ------
    ScaleInputError
        If an item is missing, unknown or out of range.
    """
    clean = validated_answers(DEFINITION, answers)
    total = sum(clean.values())
    band = next(b for b in BANDS if total <= b.high)
    flags = (ScaleFlag.PHQ9_ITEM9_POSITIVE.value,) if clean["q9_self_harm"] > 0 else ()
    return ScaleScore(
        scale=ScaleName.PHQ9, total=total, band=band.code, band_label=band.label, flags=flags
    )
