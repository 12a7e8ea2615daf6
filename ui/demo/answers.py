"""Answers the demo charts: the intake screen with no contraindication, scale answers that add
up to a wanted total, full Aldrete marks, and the baseline scores of a well patient."""

from __future__ import annotations

from bedside.ids import SessionId
from bedside.people import User
from bedside.rules.intake import CONTRAINDICATIONS
from bedside.scales import ScaleName
from bedside.service import ChartService


def no_contraindications() -> dict[str, bool]:
    """The intake screen with every contraindication answered no."""
    return dict.fromkeys(CONTRAINDICATIONS, False)


PHQ9_KEYS = (
    "q1_interest",
    "q2_depressed",
    "q3_sleep",
    "q4_energy",
    "q5_appetite",
    "q6_self_worth",
    "q7_concentration",
    "q8_psychomotor",
    "q9_self_harm",
)
"""The PHQ-9 answer keys, item 1 to item 9."""


def phq9_answers(total: int, item9: int = 0) -> dict[str, int]:
    """PHQ-9 answers adding up to ``total``: item 9 (thoughts of self-harm) is ``item9``, the
    rest is filled from item 1 on, at most 3 an item.

    Raises
    ------
    ValueError
        When items 1–8 cannot make up ``total - item9`` (more than 24).
    """
    answers = dict.fromkeys(PHQ9_KEYS, 0)
    answers["q9_self_harm"] = item9
    remaining = total - item9
    for key in PHQ9_KEYS[:-1]:
        answers[key] = min(3, remaining)
        remaining -= answers[key]
    if remaining != 0:
        raise ValueError(f"PHQ-9 items 1–8 cannot add up to {total - item9}")
    return answers


def cssrs_negative() -> dict[str, int]:
    """A C-SSRS screen answered no throughout."""
    return {"q1_wish_dead": 0, "q2_active_thoughts": 0, "q6_behaviour": 0}


def cadss6_answers(total: int) -> dict[str, int]:
    """CADSS-6 answers adding up to ``total``, spread evenly over the six items."""
    keys = ["item_01", "item_02", "item_06", "item_07", "item_15", "item_22"]
    answers = dict.fromkeys(keys, 0)
    for i in range(total):
        answers[keys[i % 6]] += 1
    return answers


ALDRETE_FULL = {"activity": 2, "respiration": 2, "circulation": 2, "consciousness": 2, "spo2": 2}


def score_baseline_scales(
    service: ChartService, nurse: User, sid: SessionId, phq9_total: int
) -> None:
    """The baseline scores: MOAA/S 5 (alert), the PHQ-9 at ``phq9_total``, a negative C-SSRS
    screen and CADSS-6 0."""
    service.score_scale(nurse, sid, ScaleName.MOAAS, {"response": 5})
    service.score_scale(nurse, sid, ScaleName.PHQ9, phq9_answers(phq9_total))
    service.score_scale(nurse, sid, ScaleName.CSSRS, cssrs_negative())
    service.score_scale(nurse, sid, ScaleName.CADSS6, cadss6_answers(0))
