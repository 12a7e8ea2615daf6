"""A patient's allergies as a fact: unknown, no known drug allergies (confirmed by whom, when),
or a list of substances (a class such as "penicillins" allowed), each with its reaction.

A blank is not "no known drug allergies" (CLINICAL.md §13, "Allergy status"): nothing here
defaults to NKDA. Registration and every intake record who stated the allergies and when; the
words shown on screen and on paper come from :func:`allergy_words`, so all say the same.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, Field, model_validator

from bedside.ids import UserId
from bedside.model_config import FROZEN
from bedside.timeutil import UtcDatetime, local_text


class AllergyState(StrEnum):
    """The three things a patient's allergy record can say."""

    UNKNOWN = "unknown"
    NKDA = "nkda"
    LISTED = "listed"


class Allergy(BaseModel):
    """One recorded allergy: a substance or a class (``penicillins``) and, if known, the
    reaction. Text such as ``"penicillin (rash)"`` is read as substance and reaction."""

    model_config = FROZEN

    substance: str = Field(min_length=2, max_length=80)
    reaction: str = Field(default="", max_length=200)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        if isinstance(value, str):
            return allergy_from_text(value)
        return value

    @property
    def text(self) -> str:
        """``penicillin (rash)``, or the substance alone when no reaction was recorded."""
        return f"{self.substance} ({self.reaction})" if self.reaction else self.substance


def allergy_from_text(text: str) -> dict[str, str]:
    """``"penicillin (rash)"`` → substance ``penicillin``, reaction ``rash``; the text is kept
    as typed apart from surrounding spaces."""
    text = " ".join(text.split())
    match = re.fullmatch(r"(.*?)\s*\((.*)\)", text)
    if match and match.group(1):
        return {"substance": match.group(1), "reaction": match.group(2).strip()}
    return {"substance": text}


def split_allergy_text(text: str) -> list[str]:
    """A typed list split at commas and semicolons that are not inside brackets:
    ``"penicillin (rash, hives), latex"`` is two allergies."""
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if char in ",;" and depth <= 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


class AllergyAnswer(BaseModel):
    """What the nurse answered: the state and, for a list, the allergies."""

    model_config = FROZEN

    state: AllergyState
    allergies: tuple[Allergy, ...] = ()

    @model_validator(mode="after")
    def _list_matches_state(self) -> Self:
        if self.state is AllergyState.LISTED and not self.allergies:
            raise ValueError(
                "allergies: list at least one allergy, or choose no known drug allergies or unknown"
            )
        if self.state is not AllergyState.LISTED and self.allergies:
            raise ValueError(
                f"allergies: a list was given with '{self.state.value}'; choose the list instead"
            )
        return self


class AllergyStatus(AllergyAnswer):
    """The allergy record as stated: what, who confirmed it (name as printed then) and when.

    *No known drug allergies* is only ever a confirmed fact, so it needs who and when.
    ``from_legacy_list`` marks a status read from a record written before allergies had a
    state (a plain list: empty → unknown, otherwise the list, unconfirmed); such a status is
    written back in that same form, so older session logs export unchanged.
    """

    confirmed_by: UserId | None = None
    confirmed_by_name: str = Field(default="", max_length=160)
    confirmed_at: UtcDatetime | None = None
    from_legacy_list: bool = Field(default=False, exclude=True)

    @model_validator(mode="after")
    def _confirmed_when_known(self) -> Self:
        confirmed = self.confirmed_by is not None and self.confirmed_at is not None
        if self.state is AllergyState.NKDA and not confirmed:
            raise ValueError("no known drug allergies must say who confirmed it and when")
        if self.state is AllergyState.UNKNOWN and (self.confirmed_by or self.confirmed_at):
            raise ValueError("unknown allergies cannot be confirmed")
        return self

    @classmethod
    def unknown(cls) -> AllergyStatus:
        """Nobody has asked yet."""
        return cls(state=AllergyState.UNKNOWN)

    @classmethod
    def stated(cls, answer: AllergyAnswer, *, by: UserId, name: str, at: datetime) -> AllergyStatus:
        """``answer`` as stated by ``by`` (printed ``name``) at ``at``; unknown stays
        unconfirmed (nobody confirms not knowing)."""
        if answer.state is AllergyState.UNKNOWN:
            return cls.unknown()
        return cls(
            state=answer.state,
            allergies=answer.allergies,
            confirmed_by=by,
            confirmed_by_name=name,
            confirmed_at=at,
        )

    @classmethod
    def from_legacy(cls, items: list[str] | tuple[str, ...]) -> AllergyStatus:
        """A record from before allergies had a state: an empty list is *unknown* (a blank
        was never an answer), a non-empty one a list nobody has confirmed yet."""
        cleaned = [str(item).strip() for item in items if str(item).strip()]
        if not cleaned:
            return cls(state=AllergyState.UNKNOWN, from_legacy_list=True)
        return cls.model_validate(
            {
                "state": AllergyState.LISTED,
                "allergies": [{"substance": item} for item in cleaned],
                "from_legacy_list": True,
            }
        )

    def legacy_list(self) -> list[str] | None:
        """The plain list this status was read from, or None for a status with a state."""
        if not self.from_legacy_list:
            return None
        return [a.substance for a in self.allergies]

    def same_answer(self, other: AllergyAnswer) -> bool:
        """Whether ``other`` says the same (state and list), whoever confirmed it."""
        return (self.state, self.allergies) == (other.state, other.allergies)

    @property
    def listed_text(self) -> str:
        """The allergies as one line: ``penicillin (rash), latex``."""
        return ", ".join(a.text for a in self.allergies)


def confirmation_words(status: AllergyStatus, tz: str) -> str:
    """``confirmed by Dana Reyes, RN, 24 Nov 2026 09:12``, or ``not yet confirmed``."""
    if status.confirmed_at is None:
        return "not yet confirmed"
    who = status.confirmed_by_name or "unnamed user"
    return f"confirmed by {who}, {local_text(status.confirmed_at, tz, '%d %b %Y %H:%M')}"


def allergy_value(status: AllergyStatus, tz: str) -> str:
    """The status as the value of a row labelled "Allergies" (PDF, order dialog)."""
    if status.state is AllergyState.UNKNOWN:
        return "Unknown — not yet asked or confirmed"
    if status.state is AllergyState.NKDA:
        return f"No known drug allergies — {confirmation_words(status, tz)}"
    return f"{status.listed_text} — {confirmation_words(status, tz)}"


def allergy_words(status: AllergyStatus, tz: str) -> str:
    """The status in plain words, standing alone (the session window's heading)."""
    if status.state is AllergyState.UNKNOWN:
        return "Allergies unknown — not yet asked or confirmed"
    if status.state is AllergyState.NKDA:
        return allergy_value(status, tz)
    return f"Allergies: {allergy_value(status, tz)}"
