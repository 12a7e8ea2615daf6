"""Versioned consent templates shipped in ``resources/``."""

from __future__ import annotations

import tomllib
from importlib import resources

from pydantic import BaseModel, Field

from bedside.model_config import FROZEN


class ConsentElement(BaseModel):
    """One statement the patient acknowledges."""

    model_config = FROZEN

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    text: str = Field(min_length=1)

    @property
    def name(self) -> str:
        """The element's short name in words ("right to withdraw"), for messages."""
        return self.key.replace("_", " ")


class ConsentTemplate(BaseModel):
    """A consent form version."""

    model_config = FROZEN

    id: str
    version: int = Field(ge=1)
    title: str
    elements: tuple[ConsentElement, ...] = Field(min_length=1)

    @property
    def keys(self) -> tuple[str, ...]:
        """Element keys in order."""
        return tuple(e.key for e in self.elements)

    def unconfirmed(self, acknowledged: list[str], capacity_confirmed: bool) -> list[str]:
        """What a consent given with ``acknowledged`` ticked still lacks, in words: each
        element not acknowledged (by name), an element this template does not have, and the
        patient's capacity (CLINICAL.md §6.1 items 1-12). Empty when the consent is whole."""
        ticked = set(acknowledged)
        missing = [f"“{e.name}” not acknowledged" for e in self.elements if e.key not in ticked]
        unknown = sorted(ticked - set(self.keys))
        if unknown:
            missing.append(f"not on this form: {', '.join(unknown)}")
        if not capacity_confirmed:
            missing.append("capacity to consent not confirmed")
        return missing


def default_consent_template() -> ConsentTemplate:
    """The consent template shipped with Bedside."""
    text = resources.files("resources").joinpath("consent_ketamine_v1.toml").read_text("utf-8")
    return ConsentTemplate.model_validate(tomllib.loads(text))
