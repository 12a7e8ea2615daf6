"""Shared types for the bedside scales: definitions, scores, flags and answer validation.

A scale is described by a frozen :class:`ScaleDefinition` (items and their allowed options) and
scored by a pure function that turns a mapping of item key -> chosen option value into a
:class:`ScaleScore`. Totals are always computed here, never typed by staff.

Every answer is validated against the definition before anything is added up
(:func:`validated_answers`): unknown keys, missing items, values outside the item's options,
non-integers and conditional items given when their condition is not met all raise
:class:`ScaleInputError`, whose message names the scale, the item key and the allowed values.
A scale is scored whole or not at all.

Clinical facts and sources: ``/work/shared/CLINICAL.md`` sections 3, 5.1-5.2 and 8.1.
This module does no I/O, reads no clock and imports no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, StrictInt

from bedside.model_config import FROZEN

__all__ = [
    "ScaleDefinition",
    "ScaleFlag",
    "ScaleInputError",
    "ScaleItem",
    "ScaleName",
    "ScaleOption",
    "ScaleScore",
    "validated_answers",
]


class ScaleName(StrEnum):
    """Stable identifiers of the scales (stored in the database; never rename a value)."""

    MOAAS = "moaas"
    RASS = "rass"
    CADSS6 = "cadss6"
    ALDRETE = "aldrete"
    PADSS = "padss"
    PHQ9 = "phq9"
    CSSRS = "cssrs_screen"

    @property
    def label(self) -> str:
        """Short name for messages, e.g. ``"PHQ-9"``."""
        return _SCALE_LABELS[self]


_SCALE_LABELS: dict[ScaleName, str] = {
    ScaleName.MOAAS: "MOAA/S",
    ScaleName.RASS: "RASS",
    ScaleName.CADSS6: "CADSS-6",
    ScaleName.ALDRETE: "Modified Aldrete",
    ScaleName.PADSS: "PADSS",
    ScaleName.PHQ9: "PHQ-9",
    ScaleName.CSSRS: "C-SSRS screener",
}


class ScaleFlag(StrEnum):
    """Stable codes of the factual flags a score can carry (values are stored; never rename).

    Flags state a fact about the answers. What the clinic does about them (alerts, holds,
    follow-up) is configured elsewhere.
    """

    MOAAS_UNRESPONSIVE_TO_VOICE = "moaas_unresponsive_to_voice"
    RASS_DEEP_SEDATION = "rass_deep_sedation"
    RASS_AGITATION = "rass_agitation"
    PHQ9_ITEM9_POSITIVE = "phq9_item9_positive"
    CSSRS_MODERATE_RISK = "cssrs_moderate_risk"
    CSSRS_HIGH_RISK = "cssrs_high_risk"

    @property
    def label(self) -> str:
        """Words for staff, e.g. "PHQ-9 item 9 (self-harm thoughts) positive"."""
        return _FLAG_LABELS[self]


_FLAG_LABELS: dict[ScaleFlag, str] = {
    ScaleFlag.MOAAS_UNRESPONSIVE_TO_VOICE: "does not respond to voice (MOAA/S ≤ 2)",
    ScaleFlag.RASS_DEEP_SEDATION: "deep sedation (RASS ≤ -3)",
    ScaleFlag.RASS_AGITATION: "agitation (RASS ≥ +2)",
    ScaleFlag.PHQ9_ITEM9_POSITIVE: "PHQ-9 item 9 (thoughts of self-harm) positive: follow up today",
    ScaleFlag.CSSRS_MODERATE_RISK: "C-SSRS moderate risk",
    ScaleFlag.CSSRS_HIGH_RISK: "C-SSRS high risk: urgent clinician review",
}


class ScaleInputError(ValueError):
    """An answer set that cannot be scored; the message is written to be shown to staff.

    Attributes
    ----------
    scale : ScaleName | None
        The scale being scored (``None`` only for an unknown scale name).
    item_key : str | None
        The offending item key, when the problem is tied to one item.
    """

    def __init__(
        self, message: str, *, scale: ScaleName | None = None, item_key: str | None = None
    ) -> None:
        super().__init__(message)
        self.scale = scale
        self.item_key = item_key

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the keyword-only attributes when pickled (e.g. across a process boundary).
        return (_rebuild_error, (str(self), self.scale, self.item_key))


def _rebuild_error(message: str, scale: ScaleName | None, item_key: str | None) -> ScaleInputError:
    return ScaleInputError(message, scale=scale, item_key=item_key)


@dataclass(frozen=True)
class ScaleOption:
    """One answer an item allows: the scored ``value`` and the words shown to staff."""

    value: int
    label: str


@dataclass(frozen=True)
class ScaleItem:
    """One question or observation of a scale.

    ``required_if`` makes the item conditional: it is asked (and then required) only when the
    item named in the pair has the given value; otherwise it must be left out.
    """

    key: str
    text: str
    options: tuple[ScaleOption, ...]
    required_if: tuple[str, int] | None = None

    def __post_init__(self) -> None:
        if not self.key.isidentifier() or self.key != self.key.lower():
            raise ValueError(f"item key {self.key!r} must be snake_case")
        values = [o.value for o in self.options]
        if not values or len(set(values)) != len(values):
            raise ValueError(f"item {self.key}: options must be non-empty with unique values")

    @property
    def values(self) -> frozenset[int]:
        """The allowed option values."""
        return frozenset(o.value for o in self.options)

    @property
    def allowed_text(self) -> str:
        """The allowed values in words for messages, e.g. ``"0–3"`` or ``"-5 to +4"``."""
        lo, hi = min(self.values), max(self.values)
        if self.values == frozenset(range(lo, hi + 1)):
            return f"{lo:+d} to {hi:+d}" if lo < 0 else f"{lo}–{hi}"
        return ", ".join(str(v) for v in sorted(self.values))

    def option_label(self, value: int) -> str:
        """The label of the option with ``value`` (``KeyError`` if there is none)."""
        for option in self.options:
            if option.value == value:
                return option.label
        raise KeyError(value)


def two_one_zero_item(key: str, text: str, two: str, one: str, zero: str) -> ScaleItem:
    """An item scored 2, 1 or 0, the wording of each (the shape of every Aldrete and PADSS
    item)."""
    return ScaleItem(
        key=key,
        text=text,
        options=(ScaleOption(2, two), ScaleOption(1, one), ScaleOption(0, zero)),
    )


@dataclass(frozen=True)
class ScaleDefinition:
    """Everything the UI needs to show a scale, and everything the scorer validates against."""

    name: ScaleName
    title: str
    source: str
    items: tuple[ScaleItem, ...]
    min_total: int
    max_total: int
    licence_note: str = ""

    def __post_init__(self) -> None:
        keys = [item.key for item in self.items]
        if not keys or len(set(keys)) != len(keys):
            raise ValueError(f"{self.name}: items must be non-empty with unique keys")
        seen: dict[str, ScaleItem] = {}
        for item in self.items:
            if item.required_if is not None:
                cond_key, cond_value = item.required_if
                cond = seen.get(cond_key)
                if cond is None or cond_value not in cond.values:
                    raise ValueError(
                        f"{self.name} item {item.key}: required_if must name an earlier item "
                        "and one of its option values"
                    )
            seen[item.key] = item
        if self.min_total > self.max_total:
            raise ValueError(f"{self.name}: min_total exceeds max_total")

    @property
    def keys(self) -> tuple[str, ...]:
        """Item keys in display order."""
        return tuple(item.key for item in self.items)

    def item(self, key: str) -> ScaleItem:
        """The item with ``key``; raises :class:`ScaleInputError` for an unknown key."""
        for item in self.items:
            if item.key == key:
                return item
        raise ScaleInputError(
            f"{self.name.label}: unknown item key {key!r} (items are: {', '.join(self.keys)})",
            scale=self.name,
            item_key=key,
        )


class ScaleScore(BaseModel):
    """The computed result of one scale.

    ``band`` is a stable machine code (snake_case); ``band_label`` is the sentence for staff.
    ``flags`` holds :class:`ScaleFlag` values as plain strings, in a fixed order.
    """

    model_config = FROZEN

    scale: ScaleName
    total: StrictInt
    band: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    band_label: str = Field(min_length=1)
    flags: tuple[str, ...] = ()


def validated_answers(defn: ScaleDefinition, answers: Mapping[str, int]) -> dict[str, int]:
    """Check a whole answer set against ``defn`` and return it as a plain dict.

    Parameters
    ----------
    defn : ScaleDefinition
        The scale the answers belong to.
    answers : Mapping[str, int]
        Item key -> chosen option value. Conditional items whose condition is not met must be
        left out.

    Returns
    -------
    dict[str, int]
        The answers, in the definition's item order, containing exactly the items that were
        asked.

    Raises
    ------
    ScaleInputError
        On the first problem found (unknown keys first, then items in display order): an
        unknown key, a missing item, a value that is not an integer or not one of the item's
        options, or a conditional item given when its condition is not met.
    """
    _reject_unknown_keys(defn, answers)
    clean: dict[str, int] = {}
    for item in defn.items:
        if _is_asked(defn, item, answers, clean):
            clean[item.key] = _checked_answer(defn, item, answers)
    return clean


def _reject_unknown_keys(defn: ScaleDefinition, answers: Mapping[str, int]) -> None:
    """Raise on the first answer (in ``repr`` order) whose key is not an item of the scale."""
    known = set(defn.keys)
    unknown: list[object] = sorted((k for k in answers if k not in known), key=repr)
    if unknown:
        first = unknown[0]
        raise ScaleInputError(
            f"{defn.name.label}: unknown item key {first!r} (items are: {', '.join(defn.keys)})",
            scale=defn.name,
            item_key=str(first),
        )


def _is_asked(
    defn: ScaleDefinition, item: ScaleItem, answers: Mapping[str, int], clean: Mapping[str, int]
) -> bool:
    """Whether ``item`` is asked given the answers so far; a conditional item answered when not
    asked, or not answered when asked, raises."""
    if item.required_if is None:
        return True
    label = defn.name.label
    cond_key, cond_value = item.required_if
    cond_item = defn.item(cond_key)
    cond_words = f"{cond_key} is {cond_value} ({cond_item.option_label(cond_value)})"
    asked = clean.get(cond_key) == cond_value
    if not asked and item.key in answers:
        raise ScaleInputError(
            f"{label} item {item.key}: only asked when {cond_words}; leave it out "
            f"otherwise (allowed {item.allowed_text} when asked)",
            scale=defn.name,
            item_key=item.key,
        )
    if asked and item.key not in answers:
        raise ScaleInputError(
            f"{label} item {item.key}: no answer given; it is required because "
            f"{cond_words} (allowed {item.allowed_text})",
            scale=defn.name,
            item_key=item.key,
        )
    return asked


def _checked_answer(defn: ScaleDefinition, item: ScaleItem, answers: Mapping[str, int]) -> int:
    """The answer to an asked item: present, a whole number, and one of its options."""
    label = defn.name.label
    if item.key not in answers:
        raise ScaleInputError(
            f"{label} item {item.key}: no answer given (allowed {item.allowed_text})",
            scale=defn.name,
            item_key=item.key,
        )
    value: object = answers[item.key]
    if not isinstance(value, int) or isinstance(value, bool):
        raise ScaleInputError(
            f"{label} item {item.key}: {value!r} is not a whole number "
            f"(allowed {item.allowed_text})",
            scale=defn.name,
            item_key=item.key,
        )
    if value not in item.values:
        raise ScaleInputError(
            f"{label} item {item.key}: {value} is not allowed (allowed {item.allowed_text})",
            scale=defn.name,
            item_key=item.key,
        )
    return value
