"""Registry of the bedside scales: look up a definition, list them all, score by name.

Each scale lives in its own module exposing ``DEFINITION`` and ``score(answers)``; this module
maps :class:`~bedside.scales.base.ScaleName` to them. Sources are cited in each scale's module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from bedside.scales import aldrete, cadss6, cssrs, moaas, padss, phq9, rass
from bedside.scales.base import ScaleDefinition, ScaleInputError, ScaleName, ScaleScore

Scorer = Callable[[Mapping[str, int]], ScaleScore]

_REGISTRY: Mapping[ScaleName, tuple[ScaleDefinition, Scorer]] = MappingProxyType(
    {
        module.DEFINITION.name: (module.DEFINITION, module.score)
        for module in (moaas, rass, cadss6, aldrete, padss, phq9, cssrs)
    }
)


def _entry(name: ScaleName | str) -> tuple[ScaleDefinition, Scorer]:
    try:
        return _REGISTRY[ScaleName(name)]
    except (ValueError, KeyError):
        known = ", ".join(n.value for n in ScaleName)
        raise ScaleInputError(f"unknown scale {name!r} (known: {known})") from None


def definition(name: ScaleName | str) -> ScaleDefinition:
    """The definition of one scale.

    Parameters
    ----------
    name : ScaleName | str
        The scale, as the enum or its stored value (e.g. ``"phq9"``).

    Returns
    -------
    ScaleDefinition
        Items, options, source and total range of the scale.

    Raises
    ------
    ScaleInputError
        If ``name`` is not a known scale.
    """
    return _entry(name)[0]


def all_definitions() -> tuple[ScaleDefinition, ...]:
    """Every scale's definition, in :class:`ScaleName` order.

    Returns
    -------
    tuple[ScaleDefinition, ...]
        One definition per :class:`ScaleName` member.
    """
    return tuple(_REGISTRY[name][0] for name in ScaleName)


def score(name: ScaleName | str, answers: Mapping[str, int]) -> ScaleScore:
    """Validate every answer and score one scale; a scale is scored whole or not at all.

    Parameters
    ----------
    name : ScaleName | str
        The scale, as the enum or its stored value.
    answers : Mapping[str, int]
        Item key -> chosen option value (see the scale's :class:`ScaleDefinition`).

    Returns
    -------
    ScaleScore
        Computed total, band code and label, and factual flags.

    Raises
    ------
    ScaleInputError
        If the scale is unknown, or any answer is unknown, missing, not an integer, out of the
        item's range, or a conditional item given when not asked; the message names the scale,
        the item key and the allowed values.
    """
    return _entry(name)[1](answers)
