"""Figures over log records: minutes in a session, days practised this week (never a streak)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from typing import Any

from emoflat.stats import (
    days_practised,
    days_practised_this_week,
    session_date,
    session_minutes,
    week_of,
)


def record(started: str, seconds: int = 180) -> dict[str, Any]:
    return {"started": started, "practiced_seconds": seconds}


# 2026-03-04 is a Wednesday.
WEDNESDAY = date(2026, 3, 4)


def test_session_minutes_are_the_practised_seconds_in_minutes() -> None:
    assert session_minutes(record("2026-03-04T10:00:00+01:00", 150)) == 2.5


def test_session_minutes_of_a_broken_record_are_zero() -> None:
    assert session_minutes({}) == 0.0
    assert session_minutes({"practiced_seconds": "ten"}) == 0.0
    assert session_minutes({"practiced_seconds": True}) == 0.0
    assert session_minutes({"practiced_seconds": -5}) == 0.0


def test_session_date_is_the_local_date_the_record_wrote() -> None:
    # Late evening at +10:00 is still that evening's date, whatever the zone now.
    assert session_date(record("2026-03-04T23:30:00+10:00")) == date(2026, 3, 4)
    assert session_date(record("2026-03-04T00:10:00-08:00")) == date(2026, 3, 4)


def test_session_date_of_a_record_without_a_readable_start_is_none() -> None:
    assert session_date({}) is None
    assert session_date(record("yesterday")) is None


def test_the_week_starts_on_monday() -> None:
    assert week_of(WEDNESDAY) == (date(2026, 3, 2), date(2026, 3, 9))
    assert week_of(date(2026, 3, 2)) == (date(2026, 3, 2), date(2026, 3, 9))
    assert week_of(date(2026, 3, 8)) == (date(2026, 3, 2), date(2026, 3, 9))


def test_days_practised_this_week_counts_distinct_dates() -> None:
    records = [
        record("2026-03-02T09:00:00+01:00"),  # Monday
        record("2026-03-02T17:00:00+01:00"),  # Monday again: still one day
        record("2026-03-04T12:00:00+01:00"),  # Wednesday
    ]
    assert days_practised_this_week(records, WEDNESDAY) == 2


def test_days_before_monday_and_after_sunday_do_not_count() -> None:
    records = [
        record("2026-03-01T23:59:59+01:00"),  # the Sunday before
        record("2026-03-09T00:00:00+01:00"),  # the next Monday
        record("2026-03-08T08:00:00+01:00"),  # this Sunday
    ]
    assert days_practised_this_week(records, WEDNESDAY) == 1


def test_a_gap_never_resets_the_count_to_zero() -> None:
    # Monday and Friday, nothing between: two days practised, not a broken streak.
    records = [record("2026-03-02T09:00:00+01:00"), record("2026-03-06T09:00:00+01:00")]
    assert days_practised_this_week(records, date(2026, 3, 6)) == 2


def test_no_records_means_no_days() -> None:
    assert days_practised_this_week([], WEDNESDAY) == 0


def test_records_without_a_start_are_skipped() -> None:
    records = [{"practiced_seconds": 60}, record("2026-03-03T09:00:00+01:00")]
    assert days_practised_this_week(records, WEDNESDAY) == 1


def test_days_practised_counts_from_start_up_to_end() -> None:
    records = [record(f"2026-03-{day:02d}T09:00:00+01:00") for day in (1, 2, 15, 31)]
    assert days_practised(records, date(2026, 3, 1), date(2026, 4, 1)) == 4
    assert days_practised(records, date(2026, 3, 2), date(2026, 3, 31)) == 2


def test_stats_imports_no_textual() -> None:
    code = "import sys, emoflat.stats; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
