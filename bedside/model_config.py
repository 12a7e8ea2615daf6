"""The one configuration of the domain's pydantic models, and building them all at once before a
second thread uses them."""

from __future__ import annotations

import importlib

from pydantic import ConfigDict

FROZEN = ConfigDict(frozen=True, extra="forbid", defer_build=True)
"""Immutable, and no field the model does not declare. ``defer_build``: each model's validator
is built at its first use, not when its module is imported; the app's start reads a handful of
the ~60 models (~50 ms of every start: bench ``app_cold_start_board``)."""

MODEL_MODULES = (
    "bedside.allergies",
    "bedside.consent",
    "bedside.course",
    "bedside.eventlog",
    "bedside.events",
    "bedside.people",
    "bedside.protocol",
    "bedside.protocol_approval",
    "bedside.protocol_settings",
    "bedside.report",
    "bedside.scales",
    "bedside.sessions",
    "bedside.signature_checks",
    "bedside.signatures",
    "bedside.stored_json",
    "bedside.validation",
)
"""The modules that define the domain's models, imported by :func:`build_all` (a model left out
of them and of their imports fails ``tests/bedside/test_model_config.py``)."""


def build_all() -> int:
    """Build, on this thread and now, every domain model's validator still deferred; how many.

    Called before a second thread starts validating (the background sync): pydantic builds a
    deferred model at its first use, and a pydantic without the rebuild lock (pull request
    13438, 2026; the locked 2.14.3 has it, the declared floor 2.7 does not) lets two threads
    meeting the same unbuilt model see it half-built and validate with its parent's validator
    (pydantic issues 11849 and 13419). Built here once, neither thread ever builds one."""
    for name in MODEL_MODULES:
        importlib.import_module(name)
    # Imported here, with the models': pydantic's lazy parts loaded before Qt's import hook
    # meets them half-loaded (PySide6's feature check fails on a half-loaded pydantic).
    from pydantic import BaseModel

    built = 0
    todo: list[type[BaseModel]] = list(BaseModel.__subclasses__())
    seen: set[type[BaseModel]] = set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        todo.extend(model.__subclasses__())
        if model.__module__.startswith("bedside.") and not model.__pydantic_complete__:
            model.model_rebuild()
            built += 1
    return built
