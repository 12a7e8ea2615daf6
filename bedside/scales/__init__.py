"""Scales scored at the infusion chair: MOAA/S, RASS, CADSS-6, Modified Aldrete, PADSS, PHQ-9
and the C-SSRS screener.

Nurses pick answers; :func:`score` validates them all and computes the total (never typed),
the band and factual flags. Thresholds that drive alerts or discharge are clinic configuration
and are not applied here. Sources are cited in each scale's module (from CLINICAL.md §3, §5.1,
§5.2 and §8.1). Pure Python: no Qt, no I/O, no clock.
"""

from bedside.scales.aldrete import aldrete_circulation, aldrete_spo2
from bedside.scales.base import (
    ScaleDefinition,
    ScaleFlag,
    ScaleInputError,
    ScaleItem,
    ScaleName,
    ScaleOption,
    ScaleScore,
)
from bedside.scales.padss import padss_vital_signs
from bedside.scales.registry import all_definitions, definition, score

__all__ = [
    "ScaleDefinition",
    "ScaleFlag",
    "ScaleInputError",
    "ScaleItem",
    "ScaleName",
    "ScaleOption",
    "ScaleScore",
    "aldrete_circulation",
    "aldrete_spo2",
    "all_definitions",
    "definition",
    "padss_vital_signs",
    "score",
]
