"""Shared pieces of the rule and service tests' template clinics.

Each test module builds one template database (scrypt makes building per test slow) and copies
it for every test; these helpers are the parts that were the same in every module.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from bedside.demo import DemoStaff
from bedside.store import Store


def copied_store(template: Path, folder: Path) -> Iterator[Store]:
    """A private copy of a template database, closed after the test."""
    target = folder / "bedside.db"
    shutil.copyfile(template, target)
    store = Store(target)
    yield store
    store.close()


def staff_in(store: Store) -> DemoStaff:
    """The demo staff accounts (admin, dana, sam, drlee) as stored in ``store``."""
    users = {u.username: u for u in store.users()}
    return DemoStaff(users["admin"], users["dana"], users["sam"], users["drlee"])
