"""PADSS: Post-Anesthetic Discharge Scoring System (original five items, each 0–2, total 0–10).

Source (CLINICAL.md §5.2): Chung F et al., *J Clin Anesth* 1995;7:500–506 (PMID 8534468).
https://medicalalgorithms.com/padss-scoring-system ;
https://www.clinician.com/articles/38390-post-anesthesia-scoring-system

This is the **original** 1995 PADSS (with intake and output), not the modified PADSS of
Marshall & Chung 1999. "Surgical bleeding" is charted as **IV-site bleeding** at the infusion
chair. The discharge threshold (commonly ≥ 9 plus a competent adult escort) is clinic
configuration and is deliberately **not** applied here: the only band is ``"scored"``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from bedside.scales.base import (
    ScaleDefinition,
    ScaleInputError,
    ScaleName,
    ScaleScore,
    two_one_zero_item,
    validated_answers,
)

DEFINITION = ScaleDefinition(
    name=ScaleName.PADSS,
    title="PADSS (Post-Anesthetic Discharge Scoring System)",
    source="Chung F et al., J Clin Anesth 1995;7:500–506 (PMID 8534468).",
    items=(
        two_one_zero_item(
            "vital_signs",
            "Vital signs (BP, HR, RR, temperature) compared with pre-procedure values",
            "Within 20% of pre-procedure values",
            "20–40% from pre-procedure values",
            "More than 40% from pre-procedure values",
        ),
        two_one_zero_item(
            "activity_mental_status",
            "Activity and mental status",
            "Oriented ×3 and steady gait",
            "Oriented ×3 or steady gait",
            "Neither",
        ),
        two_one_zero_item(
            "pain_nausea_vomiting",
            "Pain, nausea and/or vomiting",
            "Minimal",
            "Moderate, needed treatment",
            "Severe, needs treatment",
        ),
        two_one_zero_item(
            "bleeding",
            "IV-site bleeding (in place of surgical bleeding)",
            "Minimal",
            "Moderate",
            "Severe",
        ),
        two_one_zero_item(
            "intake_output",
            "Intake and output",
            "Has taken oral fluids and voided",
            "Has taken oral fluids or voided",
            "Neither",
        ),
    ),
    min_total=0,
    max_total=10,
)


def score(answers: Mapping[str, int]) -> ScaleScore:
    """Score the PADSS: the sum of five items, each 0–2 (total 0–10).

    Parameters
    ----------
    answers : Mapping[str, int]
        ``vital_signs``, ``activity_mental_status``, ``pain_nausea_vomiting``, ``bleeding``,
        ``intake_output``.

    Returns
    -------
    ScaleScore
        Band ``"scored"`` with label ``"PADSS N/10"``; no discharge threshold is applied.

    Raises
    ------
    ScaleInputError
        If an item is missing, unknown or out of range.
    """
    total = sum(validated_answers(DEFINITION, answers).values())
    return ScaleScore(
        scale=ScaleName.PADSS, total=total, band="scored", band_label=f"PADSS {total}/10"
    )


def padss_vital_signs(change_fraction: float) -> int:
    """PADSS vital-signs item from the largest fractional change from pre-procedure values.

    Parameters
    ----------
    change_fraction : float
        Largest change of BP, HR, RR or temperature from its pre-procedure value, as a
        fraction (0.25 = 25%). A fall counts the same as a rise: the sign is ignored.

    Returns
    -------
    int
        2 if ≤ 0.20, 1 if ≤ 0.40, otherwise 0.

    Raises
    ------
    ScaleInputError
        If ``change_fraction`` is not a finite number.
    """
    if (
        isinstance(change_fraction, bool)
        or not isinstance(change_fraction, int | float)
        or not math.isfinite(change_fraction)
    ):
        raise ScaleInputError(
            f"PADSS item vital_signs: change {change_fraction!r} is not a finite number "
            "(give the change as a fraction, e.g. 0.25 for 25%)",
            scale=ScaleName.PADSS,
            item_key="vital_signs",
        )
    change = abs(change_fraction)
    return 2 if change <= 0.20 else 1 if change <= 0.40 else 0
