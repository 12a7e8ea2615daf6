"""A vial's expiry date, typed as it is printed on the vial.

Vials print their expiry in many ways: ``2027-06-30``, ``30/06/2027``, ``06/2027``, ``2027-06``,
``JUN 2027``, ``30 JUN 2027``, ``30-JUN-2027``, ``JUN 30 2027``. Each is read here, once, the
same way for the form that shows it back and for the core that stores it, so the date stored is
exactly the date the nurse was shown. A month and year alone mean the **last day of that month**
(USP <7> labelling convention, CLINICAL.md §13 "Vial expiry").

All-number dates are read **day first** (``30/06/2027`` is 30 June). One whose day and month
could be swapped (``06/07/2027``: 6 July or 7 June?) is refused rather than guessed, as is a
two-digit year (``06/27``: June 2027, or 6 July?), a day the month does not have, and anything
else: the message names the field ("Expiry: …") and the forms accepted.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bedside.errors import InputRejected

FORMS = (
    "2027-06-30, 30/06/2027 (day first), 30 Jun 2027, 30-JUN-2027, Jun 30 2027, "
    "or a month alone (06/2027, 2027-06, Jun 2027: the last day of that month)"
)
"""The accepted forms, as a refusal lists them."""

_MONTHS = {name.upper(): n for n, name in enumerate(calendar.month_name) if name} | {
    name.upper(): n for n, name in enumerate(calendar.month_abbr) if name
}
_MONTHS["SEPT"] = 9

_PREFIX = re.compile(r"^\s*(EXP(IRY|IRES|\.)?|USE\s+BY)\s*:?\s*", re.IGNORECASE)
_TOKEN = re.compile(r"\d+|[A-Za-z]+")
_SEPARATORS = re.compile(r"[\s/.,\-]*")


@dataclass(frozen=True)
class Expiry:
    """An expiry date as read from what was typed."""

    value: date
    month_only: bool
    """Only a month and year were printed: the date is that month's last day."""
    day_first: bool = False
    """An all-number date, read day first."""

    def words(self) -> str:
        """The date in words, as shown back before saving ("30 June 2027 — the last day of the
        month")."""
        text = f"{self.value.day} {calendar.month_name[self.value.month]} {self.value.year}"
        if self.month_only:
            return f"{text} — the last day of the month"
        if self.day_first:
            return f"{text} (read day first)"
        return text


def expired(expiry: date, today: date) -> bool:
    """A vial is expired from the day after its expiry date (``today`` in the clinic's zone)."""
    return expiry < today


def parse_expiry(text: str) -> Expiry:
    """Read an expiry typed as printed on the vial.

    Raises
    ------
    ExpiryRejected
        (an :class:`~bedside.errors.InputRejected`) Empty, ambiguous or impossible input; the message starts "Expiry:" and lists the forms.
    """
    typed = text.strip()
    if not typed:
        raise _refused("type the date printed on the vial")
    body = _PREFIX.sub("", typed)
    tokens = _TOKEN.findall(body)
    if not tokens or _SEPARATORS.fullmatch(_TOKEN.sub("", body)) is None:
        raise _refused(f"“{typed}” is not a date")
    shape = "".join(_shape(t) for t in tokens)
    reader = _READERS.get(shape)
    if reader is None:
        raise _refused(_why_not(typed, shape))
    return reader(typed, tokens)


class ExpiryRejected(InputRejected):
    """An expiry that cannot be read; ``why`` is the short reason (shown beside the field)."""

    def __init__(self, why: str) -> None:
        super().__init__(f"Expiry: {why}. Type it as printed, e.g. {FORMS}.")
        self.why = why


def _refused(why: str) -> ExpiryRejected:
    return ExpiryRejected(why)


def _shape(token: str) -> str:
    """One letter per token: Y a four-digit year, N a one- or two-digit number, M a month
    name, ? anything else."""
    if token.isdigit():
        return "Y" if len(token) == 4 else "N" if len(token) <= 2 else "?"
    return "M" if token.upper() in _MONTHS else "?"


def _why_not(typed: str, shape: str) -> str:
    if "?" in shape:
        return f"“{typed}” is not a date (a word that is not a month, or a number of 3+ digits)"
    if "Y" not in shape:
        return f"“{typed}” has no four-digit year (06/27 could be June 2027 or 6 July)"
    return f"“{typed}” is not one of the forms printed on vials"


def _month(number: int, typed: str) -> int:
    if not 1 <= number <= 12:
        raise _refused(f"“{typed}” has no month {number}")
    return number


def _day(year: int, month: int, day: int, typed: str) -> date:
    _year(year, typed)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        raise _refused(f"“{typed}”: {name} {year} has no day {day} (it has {last} days)")
    return date(year, month, day)


def _year(year: int, typed: str) -> int:
    if not 1900 <= year <= 2199:
        raise _refused(f"“{typed}”: {year} is not a year a vial expires in")
    return year


def _month_end(year: int, month: int) -> Expiry:
    return Expiry(date(year, month, calendar.monthrange(year, month)[1]), month_only=True)


def _year_month_day(typed: str, t: list[str]) -> Expiry:
    """2027-06-30."""
    year, month = int(t[0]), _month(int(t[1]), typed)
    return Expiry(_day(year, month, int(t[2]), typed), month_only=False)


def _day_month_year(typed: str, t: list[str]) -> Expiry:
    """30/06/2027, read day first; refused when the day and month could be swapped."""
    day, month, year = int(t[0]), int(t[1]), int(t[2])
    if month > 12 and 1 <= day <= 12:
        raise _refused(
            f"“{typed}”: numbers are read day first, and there is no month {month}; for "
            f"{calendar.month_name[day]} {month} type {month:02d}/{day:02d}/{year} or "
            f"{month} {calendar.month_abbr[day]} {year}"
        )
    if day <= 12 and month <= 12 and day != month:
        swapped = f"{day} {calendar.month_name[month]} or {month} {calendar.month_name[day]}"
        raise _refused(f"“{typed}” could be {swapped}: write the month in letters")
    return Expiry(_day(year, _month(month, typed), day, typed), month_only=False, day_first=True)


def _named(typed: str, t: list[str], day: int) -> Expiry:
    """A date with the month in letters (the four-digit year is the token that is one)."""
    month = _MONTHS[next(x for x in t if x.isalpha()).upper()]
    year = int(next(x for x in t if len(x) == 4 and x.isdigit()))
    return Expiry(_day(year, month, day, typed), month_only=False)


_READERS: dict[str, Callable[[str, list[str]], Expiry]] = {
    "YNN": _year_month_day,
    "NNY": _day_month_year,
    "NY": lambda typed, t: _month_end(_year(int(t[1]), typed), _month(int(t[0]), typed)),
    "YN": lambda typed, t: _month_end(_year(int(t[0]), typed), _month(int(t[1]), typed)),
    "MY": lambda typed, t: _month_end(_year(int(t[1]), typed), _MONTHS[t[0].upper()]),
    "YM": lambda typed, t: _month_end(_year(int(t[0]), typed), _MONTHS[t[1].upper()]),
    "NMY": lambda typed, t: _named(typed, t, int(t[0])),
    "MNY": lambda typed, t: _named(typed, t, int(t[1])),
    "YMN": lambda typed, t: _named(typed, t, int(t[2])),
}
"""Token shapes → how to read them: every other shape is refused."""
