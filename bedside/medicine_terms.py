"""The words a medicine entry is written in: routes and dose units.

Kept below both the protocol (the clinic's PRN list) and the chart events (a PRN given), so
the list and the record accept exactly the same words.
"""

from __future__ import annotations

from typing import Literal

Route = Literal["IV", "IM", "PO", "SL", "SC", "IN", "inhaled"]
"""Routes of administration a PRN may be given by."""

DoseUnit = Literal["mg", "mcg", "g", "mL", "units", "L/min"]
"""Units a PRN dose may be charted in."""
