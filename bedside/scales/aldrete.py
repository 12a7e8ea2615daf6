"""Modified Aldrete score: five items (activity, respiration, circulation, consciousness, SpO2),
each 0–2, total 0–10.

Sources (CLINICAL.md §5.1): Aldrete JA, Kroulik D, *Anesth Analg* 1970;49:924–934; modified by
Aldrete JA, *J Clin Anesth* 1995;7:89–91, when SpO2 replaced colour.
https://en.wikipedia.org/wiki/Aldrete%27s_scoring_system ; https://statpearls.com/point-of-care/155763

The discharge threshold (commonly ≥ 9 to leave phase-I recovery) is clinic configuration and is
deliberately **not** applied here: the only band is ``"scored"``.

Two helpers turn measurements into item scores:

* :func:`aldrete_circulation` — systolic BP against the pre-procedure value, in mmHg
  (±20 / 20–50 / >50) or percent (±20% / 20–49% / ≥50%); the clinic picks one variant.
  A change of exactly 20 (mmHg or %) scores 2 ("within ±20"), exactly 50 mmHg scores 1 and
  exactly 50% scores 0.
* :func:`aldrete_spo2` — see its docstring for how the gaps in the published table are closed
  (always towards the lower, more cautious score).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from bedside.scales.base import (
    ScaleDefinition,
    ScaleInputError,
    ScaleName,
    ScaleScore,
    two_one_zero_item,
    validated_answers,
)

DEFINITION = ScaleDefinition(
    name=ScaleName.ALDRETE,
    title="Modified Aldrete score",
    source=(
        "Aldrete JA, Kroulik D, Anesth Analg 1970;49:924–934; modified (SpO2 replaces colour) "
        "Aldrete JA, J Clin Anesth 1995;7:89–91."
    ),
    items=(
        two_one_zero_item(
            "activity",
            "Activity (moves limbs voluntarily or on command)",
            "Moves 4 limbs",
            "Moves 2 limbs",
            "Moves 0 limbs",
        ),
        two_one_zero_item(
            "respiration",
            "Respiration",
            "Breathes deeply and coughs freely",
            "Dyspnoea, shallow or limited breathing",
            "Apnoeic",
        ),
        two_one_zero_item(
            "circulation",
            "Circulation (BP compared with pre-procedure value)",
            "Within ±20 mmHg (or ±20%) of pre-procedure",
            "±20–50 mmHg (or 20–49%) from pre-procedure",
            "Beyond ±50 mmHg (or ≥50%) from pre-procedure",
        ),
        two_one_zero_item(
            "consciousness",
            "Consciousness",
            "Fully awake",
            "Arousable on calling",
            "Not responding",
        ),
        two_one_zero_item(
            "spo2",
            "Oxygen saturation (SpO2)",
            "SpO2 >92% on room air",
            "Needs oxygen to keep SpO2 >90%",
            "SpO2 <90% even with oxygen",
        ),
    ),
    min_total=0,
    max_total=10,
)


def score(answers: Mapping[str, int]) -> ScaleScore:
    """Score the Modified Aldrete: the sum of five items, each 0–2 (total 0–10).

    Parameters
    ----------
    answers : Mapping[str, int]
        ``activity``, ``respiration``, ``circulation``, ``consciousness``, ``spo2``.

    Returns
    -------
    ScaleScore
        Band ``"scored"`` with label ``"Aldrete N/10"``; no discharge threshold is applied.

    Raises
    ------
    ScaleInputError
        If an item is missing, unknown or out of range.
    """
    total = sum(validated_answers(DEFINITION, answers).values())
    return ScaleScore(
        scale=ScaleName.ALDRETE, total=total, band="scored", band_label=f"Aldrete {total}/10"
    )


def _require_int(name: str, value: object, item_key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ScaleInputError(
            f"Modified Aldrete item {item_key}: {name} {value!r} is not a whole number",
            scale=ScaleName.ALDRETE,
            item_key=item_key,
        )
    return value


def aldrete_circulation(
    current_systolic: int, baseline_systolic: int, *, variant: Literal["mmhg", "percent"]
) -> int:
    """Aldrete circulation item from systolic BP against the pre-procedure (baseline) value.

    Parameters
    ----------
    current_systolic : int
        Systolic BP now, mmHg (> 0).
    baseline_systolic : int
        Pre-procedure systolic BP, mmHg (> 0).
    variant : {"mmhg", "percent"}
        ``"mmhg"``: change ≤ 20 mmHg → 2, ≤ 50 mmHg → 1, > 50 mmHg → 0.
        ``"percent"``: change ≤ 20% → 2, < 50% → 1, ≥ 50% → 0.
        The change is absolute: a fall counts the same as a rise.

    Returns
    -------
    int
        The item score, 2, 1 or 0.

    Raises
    ------
    ScaleInputError
        If a pressure is not a positive whole number or the variant is unknown.
    """
    current = _require_int("current systolic", current_systolic, "circulation")
    baseline = _require_int("baseline systolic", baseline_systolic, "circulation")
    if current <= 0 or baseline <= 0:
        raise ScaleInputError(
            "Modified Aldrete item circulation: systolic pressures must be above 0 mmHg "
            f"(got current {current}, baseline {baseline})",
            scale=ScaleName.ALDRETE,
            item_key="circulation",
        )
    change = abs(current - baseline)
    if variant == "mmhg":
        return 2 if change <= 20 else 1 if change <= 50 else 0
    if variant == "percent":
        # Integer arithmetic: change/baseline ≤ 20%  <=>  100·change ≤ 20·baseline.
        if 100 * change <= 20 * baseline:
            return 2
        return 1 if 100 * change < 50 * baseline else 0
    raise ScaleInputError(
        f"Modified Aldrete item circulation: unknown variant {variant!r} "
        "(allowed 'mmhg', 'percent')",
        scale=ScaleName.ALDRETE,
        item_key="circulation",
    )


def aldrete_spo2(spo2: int, on_oxygen: bool) -> int:
    """Aldrete SpO2 item from a saturation reading and whether oxygen is being given.

    The published levels are: 2 = >92% on room air; 1 = needs oxygen to keep >90%;
    0 = <90% even with oxygen. The table leaves gaps, closed here towards the lower score:

    * room air, SpO2 > 92 → 2;
    * SpO2 91–92 on room air, or > 90 on oxygen → 1 (does not meet the level-2 criterion);
    * SpO2 ≤ 90, with or without oxygen → 0 (exactly 90 does not meet "keep >90%").

    Parameters
    ----------
    spo2 : int
        Oxygen saturation, percent (0–100).
    on_oxygen : bool
        True if supplemental oxygen is being given.

    Returns
    -------
    int
        The item score, 2, 1 or 0.

    Raises
    ------
    ScaleInputError
        If ``spo2`` is not a whole number from 0 to 100.
    """
    value = _require_int("SpO2", spo2, "spo2")
    if not 0 <= value <= 100:
        raise ScaleInputError(
            f"Modified Aldrete item spo2: SpO2 {value} is not allowed (allowed 0–100)",
            scale=ScaleName.ALDRETE,
            item_key="spo2",
        )
    if value > 92 and not on_oxygen:
        return 2
    return 1 if value > 90 else 0
