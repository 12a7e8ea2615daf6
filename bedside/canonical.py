"""Canonical JSON: the one text form every hash in Bedside is taken over.

Event hashes, the protocol hash a session records and the content hash a course order's
signature binds must stay byte-identical across releases, so there is exactly one way to write
them: sorted keys, no spaces, UTF-8 text kept as is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any


def canonical_json(data: Any, default: Callable[[Any], Any] | None = None) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=default
    )


def sha256_of(data: Any) -> str:
    """sha256 (hex) of ``data`` written as canonical JSON."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def stored_body_hash(body: str, *, without: str = "") -> str:
    """sha256 of a stored JSON body in canonical form, one top-level key left out if asked.

    Hashing the body exactly as stored (not as today's model would write it) means a field
    added to a model in a later release does not change the hash of an earlier record.
    """
    data = json.loads(body)
    data.pop(without, None)
    return sha256_of(data)
