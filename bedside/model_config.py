"""The one configuration of the domain's pydantic models."""

from __future__ import annotations

from pydantic import ConfigDict

FROZEN = ConfigDict(frozen=True, extra="forbid", defer_build=True)
"""Immutable, and no field the model does not declare. ``defer_build``: each model's validator
is built at its first use, not when its module is imported; the app's start reads a handful of
the ~60 models (~50 ms of every start: bench ``app_cold_start_board``)."""
