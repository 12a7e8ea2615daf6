"""Canonical JSON and the per-session hash chain.

Each event stores ``hash = sha256(canonical JSON of the event without its hash)``; the JSON
includes ``prev_hash``, the hash of the previous event of the same session (or the session's
genesis hash for the first event). Changing, removing or reordering any stored event breaks the
chain from that point on. The chain is per session so that a session's log exports and imports
with the same hashes.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from bedside.canonical import sha256_of
from bedside.events import ChartEvent
from bedside.timeutil import iso_utc, parse_iso


def genesis_hash(session_id: str) -> str:
    """The ``prev_hash`` of a session's first event."""
    return hashlib.sha256(f"bedside-session:{session_id}".encode()).hexdigest()


_TIME_FIELDS = ("clinical_time", "recorded_time")


def event_content(event_fields: dict[str, Any]) -> dict[str, Any]:
    """The hashed part of an event in JSON form: everything except ``hash`` itself, with the
    two times in one fixed text form (so the hash does not depend on how a library prints
    dates)."""
    content = {k: v for k, v in event_fields.items() if k != "hash"}
    for key in _TIME_FIELDS:
        value = content.get(key)
        if isinstance(value, str):
            content[key] = iso_utc(parse_iso(value))
        elif isinstance(value, datetime):
            content[key] = iso_utc(value)
    return content


def compute_hash(event_fields: dict[str, Any]) -> str:
    """The hash of an event given its JSON-mode fields (``hash`` is ignored if present)."""
    return sha256_of(event_content(event_fields))


def event_hash(event: ChartEvent) -> str:
    """Recompute the hash an event should carry (over its payload as stored)."""
    return compute_hash(event.model_dump(mode="json"))


def chain_problems(session_id: str, events: list[ChartEvent]) -> list[str]:
    """Every break in a session's chain, in words; empty when the chain is intact."""
    problems: list[str] = []
    prev = genesis_hash(session_id)
    for expected_seq, event in enumerate(events, start=1):
        where = f"session {session_id} event #{event.seq} ({event.kind})"
        if event.session_id != session_id:
            problems.append(f"{where} belongs to another session")
        if event.seq != expected_seq:
            problems.append(f"{where} is out of sequence (expected #{expected_seq})")
        if event.prev_hash != prev:
            problems.append(f"{where} does not follow the previous event (chain broken)")
        actual = event_hash(event)
        if actual != event.hash:
            problems.append(f"{where} was altered after it was recorded (hash mismatch)")
        prev = event.hash
    return problems


LEDGER_GENESIS = hashlib.sha256(b"bedside-ledger").hexdigest()
"""The ledger's first "previous link" (migration 002)."""


def ledger_hash(prev: str, event_id: str, event_hash: str) -> str:
    """One link of the database-wide ledger: ``sha256(previous link | event id | event hash)``."""
    return hashlib.sha256(f"{prev}|{event_id}|{event_hash}".encode()).hexdigest()
