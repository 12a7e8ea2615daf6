"""A vial's expiry typed as printed (issue 9 C7): ``bedside.expiry.parse_expiry`` reads every
form printed on vials to one date, shown back in words, and refuses what is ambiguous or
impossible with a message naming the field and the forms accepted."""

from __future__ import annotations

from datetime import date

import pytest

from bedside.errors import InputRejected
from bedside.expiry import FORMS, expired, parse_expiry

JUNE_30 = date(2027, 6, 30)


@pytest.mark.parametrize(
    "typed",
    [
        "2027-06-30",
        "2027/06/30",
        "30/06/2027",
        "30.06.2027",
        "30 Jun 2027",
        "30 june 2027",
        "30-JUN-2027",
        "30JUN2027",
        "JUN 30 2027",
        "Jun 30, 2027",
        "2027 JUN 30",
        "EXP 30 Jun 2027",
        "  30 Jun 2027  ",
    ],
)
def test_a_day_month_and_year_read_as_that_date(typed: str) -> None:
    read = parse_expiry(typed)
    assert read.value == JUNE_30
    assert not read.month_only
    assert read.words().startswith("30 June 2027")


@pytest.mark.parametrize(
    "typed", ["06/2027", "6/2027", "2027-06", "Jun 2027", "JUNE 2027", "jun-2027", "EXP: 06/2027"]
)
def test_a_month_alone_means_its_last_day_and_says_so(typed: str) -> None:
    read = parse_expiry(typed)
    assert read.value == JUNE_30
    assert read.month_only
    assert read.words() == "30 June 2027 — the last day of the month"


def test_the_last_day_of_february_follows_the_leap_year() -> None:
    assert parse_expiry("02/2028").value == date(2028, 2, 29)
    assert parse_expiry("Feb 2027").value == date(2027, 2, 28)


def test_all_number_dates_are_read_day_first_and_say_so() -> None:
    read = parse_expiry("30/06/2027")
    assert read.day_first
    assert read.words() == "30 June 2027 (read day first)"
    assert parse_expiry("07/07/2027").value == date(2027, 7, 7)  # the same either way


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("06/07/2027", "could be 6 July or 7 June: write the month in letters"),
        ("06/30/2027", "numbers are read day first, and there is no month 30"),
        ("31/06/2027", "June 2027 has no day 31 (it has 30 days)"),
        ("29 Feb 2027", "February 2027 has no day 29"),
        ("13/2027", "has no month 13"),
        ("2027-13-01", "has no month 13"),
        ("06/27", "has no four-digit year"),
        ("Jun 27", "has no four-digit year"),
        ("30 Jnu 2027", "is not a date"),
        ("20270630", "is not a date"),
        ("30 Jun 2027 Jul", "is not one of the forms"),
        ("", "type the date printed on the vial"),
    ],
)
def test_ambiguous_or_impossible_input_is_refused_naming_the_field_and_the_forms(
    typed: str, why: str
) -> None:
    with pytest.raises(InputRejected) as refusal:
        parse_expiry(typed)
    message = str(refusal.value)
    assert message.startswith("Expiry: ")
    assert why in message
    assert FORMS in message
    assert why in refusal.value.why  # type: ignore[attr-defined]


def test_a_vial_is_usable_on_its_expiry_day_and_expired_the_day_after() -> None:
    assert not expired(JUNE_30, date(2027, 6, 30))
    assert expired(JUNE_30, date(2027, 7, 1))
