"""Time rules: aware datetimes, stored in UTC, shown in the clinic's time zone."""

from __future__ import annotations

import contextlib
import functools
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, available_timezones

from pydantic import AfterValidator, AwareDatetime


def to_utc(value: datetime) -> datetime:
    """Normalise an aware datetime to UTC (naive datetimes are refused by ``AwareDatetime``)."""
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(to_utc)]
"""A timezone-aware instant, normalised to UTC for storage and hashing."""


def require_aware(now: datetime) -> None:
    """Refuse a naive ``now``: every moment a rule is judged at is timezone-aware.

    Raises
    ------
    ValueError
        When ``now`` has no time zone.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("a rule needs a timezone-aware 'now' (UTC)")


def iso_utc(value: datetime) -> str:
    """Canonical text form for storage: ``2026-11-24T09:30:00.000000Z``."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    """Inverse of :func:`iso_utc` (accepts any ISO form with an offset)."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"time {text!r} has no time zone")
    return parsed.astimezone(UTC)


def workstation_timezone(default: str = "UTC") -> str:
    """The IANA name of this computer's time zone (TZ, /etc/timezone, /etc/localtime), used
    as the default clinic zone; ``default`` when it cannot be told."""

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if not name:
            continue
        try:
            ZoneInfo(name)
        except (ValueError, KeyError, OSError):
            continue
        return name
    return default


def timezone_problem(name: str) -> str | None:
    """Why ``name`` cannot be the clinic's time zone, or ``None`` when it is a known IANA zone
    (``Europe/London``, ``America/New_York``; abbreviations like ``EST`` are ambiguous)."""
    name = name.strip()
    if not name:
        return "Time zone is needed, e.g. Europe/London or America/New_York"
    if len(name) > 64 or name not in known_timezones():
        shown = name if len(name) <= 64 else name[:60] + "…"
        return (
            f"Time zone {shown!r} is not a known zone name: use one such as Europe/London or "
            "America/New_York"
        )
    return None


@functools.cache
def known_timezones() -> frozenset[str]:
    """Every IANA zone name this computer knows, without the legacy aliases such as ``EST``
    (offered in the clinic's time zone list). Read once: scanning the zone files is slow."""
    return frozenset(z for z in available_timezones() if "/" in z or z == "UTC")


def local_date(value: datetime, tz: str) -> date:
    """The clinic-local calendar date of an instant (sessions are listed by it)."""
    return value.astimezone(ZoneInfo(tz)).date()


def local_text(value: datetime, tz: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An instant as the clinic reads it, e.g. ``2026-11-24 09:30``."""
    return value.astimezone(ZoneInfo(tz)).strftime(fmt)


def minutes_between(start: datetime, end: datetime) -> float:
    """Minutes from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return (end - start).total_seconds() / 60.0


def latest_clock_time(text: str, now: datetime, tz: str) -> datetime:
    """The moment a nurse means by a clock time typed as ``HH:MM`` (or ``HHMM``): the latest
    moment at or before ``now`` whose clinic-local clock read it (so ``23:50`` typed at 00:10
    is yesterday evening).

    Raises
    ------
    ValueError
        When ``text`` is not a time of day; the message says what is accepted.
    """
    cleaned = text.strip().replace(".", ":").replace("h", ":")
    if cleaned.isdigit() and len(cleaned) in (3, 4):
        cleaned = f"{cleaned[:-2]}:{cleaned[-2:]}"
    try:
        hours, minutes = (int(part) for part in cleaned.split(":"))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a time of day: type it as HH:MM, e.g. 09:40") from exc
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise ValueError(f"{text!r} is not a time of day: hours 00–23, minutes 00–59")
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone)
    moment = local_now.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    if moment > local_now:
        # Same-zone arithmetic is wall-clock arithmetic: yesterday at the same clock time.
        moment -= timedelta(days=1)
    return moment.astimezone(UTC)
