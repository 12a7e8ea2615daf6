"""Counting the reads that matter: event-log reads (``Store.events``), folds (``fold``) and
flowsheets built (``build_flowsheet``), wherever they are called from.

Counts, unlike times, do not depend on the machine: the bench reports them as rows with goals,
and a test pins them (``tests/ui/test_reads_per_entry.py``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bedside.state import fold
from bedside.store.chart import ChartStore
from charting.flowsheet import build_flowsheet


@dataclass
class Counts:
    """Calls counted since the last :meth:`reset`."""

    reads: int = 0
    folds: int = 0
    flowsheets: int = 0
    _fields: tuple[str, ...] = field(default=("reads", "folds", "flowsheets"), repr=False)

    def reset(self) -> None:
        """Start counting again from zero."""
        for name in self._fields:
            setattr(self, name, 0)


def _counted(original: Callable[..., Any], counts: Counts, name: str) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        setattr(counts, name, getattr(counts, name) + 1)
        return original(*args, **kwargs)

    return wrapper


@contextmanager
def counting() -> Iterator[Counts]:
    """Count reads, folds and flowsheets inside the block (every module that imported the
    function by name is patched too, and everything is put back after)."""
    counts = Counts()
    patched: list[tuple[object, str, object]] = []
    for original, name in ((fold, "folds"), (build_flowsheet, "flowsheets")):
        wrapper = _counted(original, counts, name)
        for module in list(sys.modules.values()):
            for attr, value in list(vars(module).items()) if module is not None else ():
                if value is original:
                    patched.append((module, attr, value))
                    setattr(module, attr, wrapper)
    events = ChartStore.events
    patched.append((ChartStore, "events", events))
    ChartStore.events = _counted(events, counts, "reads")  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        for owner, attr, value in reversed(patched):
            setattr(owner, attr, value)
