"""Limits in the words the protocol's authors used: "at or above 160", not "above 159".

The protocol stores each integer limit one way (``systolic_max = 159`` fires above 159), but a
clinician states it the other way round when that gives the round number (CTCAE grade 3 is
"SBP ≥ 160"; the pause limit is "BP > 180/100"). For whole-number readings the two forms mean
the same, so the words pick the form whose number is rounder; on a tie the stored number stays.
A scale whose points have names (RASS: "+3 very agitated") is always stated by the point that
fires (``inclusive=True``), and ``shown`` writes a number as the scale is read.
"""

from __future__ import annotations

from collections.abc import Callable


def _roundness(n: int) -> int:
    """How round ``n`` is: two points per trailing zero, one for a final 5 (25 is rounder than
    24, 160 than 159); 0 counts as round as can be."""
    if n == 0:
        return 99
    count, n = 0, abs(n)
    while n % 10 == 0:
        count, n = count + 2, n // 10
    return count + (1 if n % 5 == 0 else 0)


Shown = Callable[[int], str]


def _inclusive(limit: int, step: int, inclusive: bool | None) -> bool:
    """State the limit by the first value that fires (``limit + step``)?"""
    if inclusive is not None:
        return inclusive
    return _roundness(limit + step) > _roundness(limit)


def exceeds(limit: int, *, shown: Shown = str, inclusive: bool | None = None) -> str:
    """A reading over ``limit`` (``value > limit``): "above 180", or "at or above 160" for 159."""
    if _inclusive(limit, 1, inclusive):
        return f"at or above {shown(limit + 1)}"
    return f"above {shown(limit)}"


def falls_below(limit: int, *, shown: Shown = str, inclusive: bool | None = None) -> str:
    """A reading under ``limit`` (``value < limit``): "below 92", or "at or below 90" for 91."""
    if _inclusive(limit, -1, inclusive):
        return f"at or below {shown(limit - 1)}"
    return f"below {shown(limit)}"


def rise_beyond(limit: int) -> str:
    """A rise over ``limit`` (``rise > limit``): "more than 25", or "40 or more" for 39."""
    if _inclusive(limit, 1, None):
        return f"{limit + 1} or more"
    return f"more than {limit}"


def at_most(limit: int) -> str:
    """What a ceiling allows (``value <= limit``): "≤ 180", or "< 160" for 159."""
    if _inclusive(limit, 1, None):
        return f"< {limit + 1}"
    return f"≤ {limit}"


def bp_at_most(systolic: int, diastolic: int) -> str:
    """A BP ceiling as one pair when both limits read the same way ("< 160/100"), else each
    by itself ("systolic ≤ 180, diastolic < 100")."""
    s_op, s_num = at_most(systolic).split()
    d_op, d_num = at_most(diastolic).split()
    if s_op == d_op:
        return f"{s_op} {s_num}/{d_num}"
    return f"systolic {s_op} {s_num}, diastolic {d_op} {d_num}"
