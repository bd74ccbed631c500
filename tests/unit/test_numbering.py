"""Ticket labels and the centre's local business day (DESIGN §2 "Time", §4)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.queue.numbering import business_day, ticket_label

LONDON = "Europe/London"


@pytest.mark.parametrize(
    ("prefix", "number", "label"),
    [
        ("C", 1, "C001"),
        ("C", 42, "C042"),
        ("C", 999, "C999"),
        ("C", 1000, "C1000"),
        ("C", 12345, "C12345"),
        ("HO", 7, "HO007"),
    ],
)
def test_ticket_label(prefix: str, number: int, label: str) -> None:
    assert ticket_label(prefix, number) == label


@pytest.mark.parametrize("number", [0, -1])
def test_ticket_numbers_start_at_one(number: int) -> None:
    with pytest.raises(ValueError, match="start at 1"):
        ticket_label("C", number)


@given(st.integers(min_value=1, max_value=10**6))
def test_label_round_trips_to_the_number(number: int) -> None:
    label = ticket_label("W", number)
    assert label.startswith("W")
    assert int(label[1:]) == number
    assert len(label) == 1 + max(3, len(str(number)))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Summer (BST, UTC+1): local midnight is 23:00 UTC the evening before.
@pytest.mark.parametrize(
    ("instant", "day"),
    [
        (utc(2026, 7, 1, 22, 59, 59), date(2026, 7, 1)),
        (utc(2026, 7, 1, 23, 0, 0), date(2026, 7, 2)),
        (utc(2026, 7, 2, 0, 0, 0), date(2026, 7, 2)),
    ],
)
def test_summer_day_starts_at_23_utc(instant: datetime, day: date) -> None:
    assert business_day(instant, LONDON) == day


# Winter (GMT, UTC+0): local midnight is 00:00 UTC.
@pytest.mark.parametrize(
    ("instant", "day"),
    [
        (utc(2026, 1, 14, 23, 0, 0), date(2026, 1, 14)),
        (utc(2026, 1, 14, 23, 59, 59), date(2026, 1, 14)),
        (utc(2026, 1, 15, 0, 0, 0), date(2026, 1, 15)),
    ],
)
def test_winter_day_starts_at_midnight_utc(instant: datetime, day: date) -> None:
    assert business_day(instant, LONDON) == day


def test_spring_forward_2026_03_29() -> None:
    # 28 March is still GMT: the 29th starts at 00:00 UTC.
    assert business_day(utc(2026, 3, 28, 23, 59, 59), LONDON) == date(2026, 3, 28)
    assert business_day(utc(2026, 3, 29, 0, 0, 0), LONDON) == date(2026, 3, 29)
    # Clocks go forward at 01:00 UTC; the 29th is BST from then and ends at 23:00 UTC.
    assert business_day(utc(2026, 3, 29, 1, 30), LONDON) == date(2026, 3, 29)
    assert business_day(utc(2026, 3, 29, 22, 59, 59), LONDON) == date(2026, 3, 29)
    assert business_day(utc(2026, 3, 29, 23, 0, 0), LONDON) == date(2026, 3, 30)


def test_fall_back_2026_10_25() -> None:
    # 24 October is BST: the 25th starts at 23:00 UTC on the 24th.
    assert business_day(utc(2026, 10, 24, 22, 59, 59), LONDON) == date(2026, 10, 24)
    assert business_day(utc(2026, 10, 24, 23, 0, 0), LONDON) == date(2026, 10, 25)
    # The repeated local hour 01:00-02:00 (00:00-02:00 UTC) is all the 25th.
    assert business_day(utc(2026, 10, 25, 0, 30), LONDON) == date(2026, 10, 25)
    assert business_day(utc(2026, 10, 25, 1, 30), LONDON) == date(2026, 10, 25)
    # The 25th is GMT from then and ends at 00:00 UTC on the 26th (a 25-hour day).
    assert business_day(utc(2026, 10, 25, 23, 59, 59), LONDON) == date(2026, 10, 25)
    assert business_day(utc(2026, 10, 26, 0, 0, 0), LONDON) == date(2026, 10, 26)


def test_offset_of_the_input_does_not_matter() -> None:
    plus_two = timezone(timedelta(hours=2))
    # 00:30 on 2 July at UTC+2 is 23:30 UTC on 1 July: 00:30 BST on 2 July.
    assert business_day(datetime(2026, 7, 2, 1, 30, tzinfo=plus_two), LONDON) == date(2026, 7, 2)
    assert business_day(datetime(2026, 7, 2, 0, 30, tzinfo=plus_two), LONDON) == date(2026, 7, 1)


def test_other_centre_timezones() -> None:
    instant = utc(2026, 3, 2, 14, 0)
    assert business_day(instant, "Pacific/Auckland") == date(2026, 3, 3)
    assert business_day(instant, "America/New_York") == date(2026, 3, 2)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        business_day(datetime(2026, 3, 29, 12, 0), LONDON)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_business_day_is_the_local_calendar_date(naive: datetime) -> None:
    instant = naive.replace(tzinfo=UTC)
    day = business_day(instant, LONDON)
    # London is always UTC+0 or UTC+1, never more.
    assert day in {instant.date(), (instant + timedelta(hours=1)).date()}
