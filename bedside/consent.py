"""Versioned consent templates shipped in ``resources/``."""

from __future__ import annotations

import tomllib
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field


class ConsentElement(BaseModel):
    """One statement the patient acknowledges."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    text: str = Field(min_length=1)


class ConsentTemplate(BaseModel):
    """A consent form version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    version: int = Field(ge=1)
    title: str
    elements: tuple[ConsentElement, ...] = Field(min_length=1)

    @property
    def keys(self) -> tuple[str, ...]:
        """Element keys in order."""
        return tuple(e.key for e in self.elements)


def default_consent_template() -> ConsentTemplate:
    """The consent template shipped with Bedside."""
    text = resources.files("resources").joinpath("consent_ketamine_v1.toml").read_text("utf-8")
    return ConsentTemplate.model_validate(tomllib.loads(text))
