"""C-SSRS screener: Columbia-Suicide Severity Rating Scale, screening version (yes/no items).

Sources (CLINICAL.md §8.1): Posner K et al., *Am J Psychiatry* 2011;168:1266–1277 (C-SSRS);
question content per https://docest.com/doc/610945/suicide-ideation-definitions-and-prompts .
Structure: Q1 wish to be dead; Q2 non-specific active suicidal thoughts; only if Q2 is yes,
Q3 (thoughts with a method), Q4 (some intent, no plan) and Q5 (intent with a plan); Q6 any
suicidal behaviour (lifetime), and only if Q6 is yes, whether it was in the past 3 months.

Risk band follows the common Columbia screener triage (CLINICAL.md §8.1, tagged [K]: check
against the Columbia material before release):

* ``none`` — every answer no;
* ``low`` — only Q1 and/or Q2 yes;
* ``moderate`` — Q3 yes, or suicidal behaviour in the lifetime but not in the past 3 months;
* ``high`` — Q4 or Q5 yes, or suicidal behaviour in the past 3 months (the source pairs this
  with urgent evaluation and a safety plan; the action itself is clinic protocol).

The total is the number of "yes" answers (0–7) and is informative only: the band is what counts.

Time frame: this module follows the layout of the screener's "Recent" version: Q1–Q5 ask
about the past month, Q6 about suicidal behaviour ever (lifetime), then whether it was within
the past 3 months. Each item's text states its period, so the nurse asks the question the
answer will be read as. (CLINICAL.md §8.1 names the "since last visit" version, which asks
every question since the last visit and has no 3-month follow-up: a clinic choosing it needs
other item texts and a scoring review, not only new words.)

Copyright: the C-SSRS wording belongs to The Research Foundation for Mental Hygiene / Columbia
University. The item texts below are **our own neutral paraphrases**, not the scale's wording.
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

YES_NO: tuple[ScaleOption, ...] = (ScaleOption(0, "No"), ScaleOption(1, "Yes"))

_IF_Q2 = ("q2_active_thoughts", 1)
_IF_Q6 = ("q6_behaviour", 1)

DEFINITION = ScaleDefinition(
    name=ScaleName.CSSRS,
    title="C-SSRS screener (Columbia-Suicide Severity Rating Scale, screening version)",
    source=(
        "Posner K et al., Am J Psychiatry 2011;168:1266–1277; triage as in the Columbia "
        "screener (CLINICAL.md §8.1)."
    ),
    items=(
        ScaleItem(
            "q1_wish_dead",
            "In the past month: has wished to be dead (passive wish, no active thoughts)",
            YES_NO,
        ),
        ScaleItem(
            "q2_active_thoughts",
            "In the past month: has had any actual thoughts of ending own life",
            YES_NO,
        ),
        ScaleItem(
            "q3_method",
            "In the past month: has thought about a method or how it could be done",
            YES_NO,
            _IF_Q2,
        ),
        ScaleItem(
            "q4_intent",
            "In the past month: has had some intention of acting on the thoughts (no plan)",
            YES_NO,
            _IF_Q2,
        ),
        ScaleItem(
            "q5_plan",
            "In the past month: has worked out, or begun to work out, a detailed plan and "
            "intends to carry it out",
            YES_NO,
            _IF_Q2,
        ),
        ScaleItem(
            "q6_behaviour",
            "Ever (lifetime): has done, started or prepared anything towards ending own life",
            YES_NO,
        ),
        ScaleItem(
            "q6_recent",
            "In the past 3 months: any of that behaviour (the item above) took place",
            YES_NO,
            _IF_Q6,
        ),
    ),
    min_total=0,
    max_total=7,
    licence_note=(
        "Item texts are neutral paraphrases written for this app, not the C-SSRS wording, which "
        "is copyrighted (The Research Foundation for Mental Hygiene / Columbia University): "
        "use the official screener text only under its terms of use."
    ),
)

_BANDS: dict[str, str] = {
    "none": "No risk identified on screen (all answers no)",
    "low": "Low risk on screen (wish to be dead or non-specific thoughts only)",
    "moderate": "Moderate risk on screen (method considered, or past suicidal behaviour)",
    "high": "High risk on screen (intent or plan, or suicidal behaviour in past 3 months)",
}


def score(answers: Mapping[str, int]) -> ScaleScore:
    """Score the C-SSRS screener: risk band from the yes/no pattern; total = number of yes.

    Parameters
    ----------
    answers : Mapping[str, int]
        ``q1_wish_dead``, ``q2_active_thoughts``, ``q6_behaviour`` always (0 = no, 1 = yes);
        ``q3_method``, ``q4_intent``, ``q5_plan`` only when ``q2_active_thoughts`` is 1;
        ``q6_recent`` only when ``q6_behaviour`` is 1. Conditional items whose condition is not
        met must be left out.

    Returns
    -------
    ScaleScore
        Band ``none``/``low``/``moderate``/``high``; flag ``cssrs_moderate_risk`` or
        ``cssrs_high_risk`` for the two upper bands.

    Raises
    ------
    ScaleInputError
        If an item is missing, unknown or not 0/1, or a conditional item is given when its
        condition is not met (or left out when it is).
    """
    clean = validated_answers(DEFINITION, answers)

    def yes(key: str) -> bool:
        return clean.get(key) == 1

    flags: tuple[str, ...] = ()
    if yes("q4_intent") or yes("q5_plan") or yes("q6_recent"):
        band = "high"
        flags = (ScaleFlag.CSSRS_HIGH_RISK.value,)
    elif yes("q3_method") or yes("q6_behaviour"):
        band = "moderate"
        flags = (ScaleFlag.CSSRS_MODERATE_RISK.value,)
    elif yes("q1_wish_dead") or yes("q2_active_thoughts"):
        band = "low"
    else:
        band = "none"
    return ScaleScore(
        scale=ScaleName.CSSRS,
        total=sum(clean.values()),
        band=band,
        band_label=_BANDS[band],
        flags=flags,
    )
