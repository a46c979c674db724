"""Figures over log records: minutes in a session, days practised this week (never a streak)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import uuid
from datetime import date
from typing import Any

from emoflat.logindex import LogIndex
from emoflat.stats import (
    FeelSummary,
    by_month,
    days_practised,
    days_practised_this_week,
    feel_summary,
    label_counts,
    log_stats,
    month_of,
    plain_number,
    practices_used,
    session_date,
    session_minutes,
    text_counts,
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


# --- figures over the log's index ---------------------------------------------------------


def session(
    started: str,
    *,
    before: Any = None,
    after: Any = None,
    seconds: int = 180,
    completed: bool = True,
    **fields: Any,
) -> dict[str, Any]:
    """A session record with the check-ins' "feel" numbers (None: not given)."""
    record: dict[str, Any] = {
        "v": 1,
        "id": str(uuid.uuid4()),
        "practice": "hands",
        "title": "Noticing your hands",
        "started": started,
        "ended": started,
        "planned_seconds": 180,
        "practiced_seconds": seconds,
        "completed": completed,
        "before": {"feel": before, "tone": None, "words": []},
        "after": {"feel": after, "tone": None, "words": [], "felt": None},
        "answers": [],
        "note": None,
    }
    record.update(fields)
    return record


def test_feel_summary_is_count_range_and_median() -> None:
    assert feel_summary([3, 1, 2]) == FeelSummary(3, 1, 3, 2)
    assert feel_summary([1, 2, 3, 5]) == FeelSummary(4, 1, 5, 2.5)
    assert feel_summary([4, math.nan]) == FeelSummary(1, 4, 4, 4)
    assert feel_summary([]) == FeelSummary(0, None, None, None)
    assert FeelSummary(4, 1, 5, 2.5).to_json() == {"checkins": 4, "min": 1, "max": 5, "median": 2.5}


def test_plain_numbers_drop_a_needless_point_zero() -> None:
    assert plain_number(2.0) == 2 and isinstance(plain_number(2.0), int)
    assert plain_number(2.5) == 2.5
    assert plain_number(1 / 3) == 0.3


def test_months_run_from_the_first_to_the_first_of_the_next() -> None:
    assert month_of(WEDNESDAY) == (date(2026, 3, 1), date(2026, 4, 1))
    assert month_of(date(2026, 12, 31)) == (date(2026, 12, 1), date(2027, 1, 1))


def test_log_stats_totals() -> None:
    index = LogIndex.from_records(
        [
            session("2026-03-04T10:00:00+01:00", seconds=120),
            session("2026-03-03T10:00:00+01:00", seconds=90, completed=False),
            session("2026-03-02T10:00:00+01:00", seconds=30, practiced_seconds="bad"),
        ]
    )
    figures = log_stats(index, WEDNESDAY)
    assert (figures.sessions, figures.finished, figures.ended_early) == (3, 2, 1)
    assert figures.seconds_practised == 210
    assert figures.minutes_practised == 3.5
    assert (figures.first_day, figures.last_day) == (date(2026, 3, 2), date(2026, 3, 4))


def test_days_this_week_and_this_month_count_each_day_once() -> None:
    index = LogIndex.from_records(
        [
            session("2026-02-28T10:00:00+01:00"),  # last month
            session("2026-03-01T10:00:00+01:00"),  # this month, last week (a Sunday)
            session("2026-03-02T09:00:00+01:00"),  # Monday
            session("2026-03-02T18:00:00+01:00"),  # Monday again: one day
            session("2026-03-04T07:00:00+01:00"),  # today
        ]
    )
    figures = log_stats(index, WEDNESDAY)
    assert (figures.days_this_week, figures.days_this_month) == (2, 3)


def test_checkins_over_all_time_and_the_last_30_days() -> None:
    index = LogIndex.from_records(
        [
            session("2026-02-02T10:00:00+01:00", before=0, after=7),  # 30 days ago: out
            session("2026-02-03T10:00:00+01:00", before=4, after=5),  # 29 days ago: in
            session("2026-03-04T10:00:00+01:00", before=2, after=None),
            session("2026-03-04T11:00:00+01:00", before=None, after=None),
        ]
    )
    figures = log_stats(index, WEDNESDAY)
    assert figures.feel_before == FeelSummary(3, 0, 4, 2)
    assert figures.feel_before_recent == FeelSummary(2, 2, 4, 3)
    assert figures.feel_after == FeelSummary(2, 5, 7, 6)
    assert figures.feel_after_recent == FeelSummary(1, 5, 5, 5)


def test_a_checkin_outside_0_to_10_or_not_a_number_is_not_counted() -> None:
    index = LogIndex.from_records(
        [
            session("2026-03-04T10:00:00+01:00", before=11),
            session("2026-03-04T10:00:00+01:00", before=True),
            session("2026-03-04T10:00:00+01:00", before="3"),
            session("2026-03-04T10:00:00+01:00", before=10),
        ]
    )
    assert log_stats(index, WEDNESDAY).feel_before == FeelSummary(1, 10, 10, 10)


def test_tones_words_felt_and_tags_are_counted_most_often_first() -> None:
    def chosen(tone: str | None, words: list[str], felt: str, tags: list[str]) -> dict[str, Any]:
        record = session("2026-03-04T10:00:00+01:00", tags=tags)
        record["before"].update(tone=tone, words=words)
        record["after"].update(felt=felt, words=words)
        return record

    index = LogIndex.from_records(
        [
            chosen("mixed", ["numb", "flat"], "helpful", ["tired day"]),
            chosen("can't tell", ["numb"], "not sure", ["tired day", "poor sleep"]),
            chosen(None, ["numb", "numb"], "helpful", []),
        ]
    )
    figures = log_stats(index, WEDNESDAY)
    assert figures.tones_before == [("can't tell", 1), ("mixed", 1)]
    assert figures.words_before == [("numb", 3), ("flat", 1)]  # in how many sessions
    assert figures.felt == [("helpful", 2), ("not sure", 1)]
    assert figures.tags == [("tired day", 2), ("poor sleep", 1)]
    assert label_counts(index, index.after_tone) == []
    assert text_counts(index, index.after_words) == figures.words_before


def test_the_figures_hold_no_difference_score_or_streak() -> None:
    index = LogIndex.from_records([session("2026-03-04T10:00:00+01:00", before=1, after=4)])
    text = json.dumps(log_stats(index, WEDNESDAY).to_json()).lower()
    for word in ("improve", "delta", "change", "score", "streak", "better", "progress"):
        assert word not in text
    assert '"median": 1' in text and '"median": 4' in text


def test_duplicate_sessions_count_once() -> None:
    record = session("2026-03-04T10:00:00+01:00", seconds=60)
    figures = log_stats(LogIndex.from_records([record, dict(record)]), WEDNESDAY)
    assert (figures.sessions, figures.seconds_practised) == (1, 60)


def test_by_month_gives_each_month_oldest_first() -> None:
    index = LogIndex.from_records(
        [
            session("2026-03-04T10:00:00+01:00", before=1, after=3, seconds=60),
            session("2026-01-31T23:30:00-05:00", before=2, after=2, seconds=120),
            session("2026-01-05T10:00:00+01:00", before=0, after=None, seconds=60),
            session("2026-01-05T18:00:00+01:00", before=4, after=None, seconds=60),
        ]
    )
    months = by_month(index)
    assert [m.month for m in months] == [date(2026, 1, 1), date(2026, 3, 1)]
    january = months[0]
    assert (january.sessions, january.days_practised, january.seconds_practised) == (3, 2, 240)
    assert january.feel_before == FeelSummary(3, 0, 4, 2)
    assert january.feel_after == FeelSummary(1, 2, 2, 2)


def test_practices_used_group_by_id_under_the_newest_title() -> None:
    index = LogIndex.from_records(
        [
            session("2026-03-01T10:00:00+01:00", title="Hands (old title)", seconds=60),
            session("2026-03-02T10:00:00+01:00", seconds=120),
            session("2026-03-03T10:00:00+01:00", practice="sounds", title="Sounds", seconds=60),
        ]
    )
    assert practices_used(index) == [("Noticing your hands", 2, 180.0), ("Sounds", 1, 60.0)]


def test_an_empty_log_has_zero_figures() -> None:
    figures = log_stats(LogIndex.from_records([]), WEDNESDAY)
    assert (figures.sessions, figures.days_this_week, figures.first_day) == (0, 0, None)
    assert figures.feel_after == FeelSummary(0, None, None, None)
    assert figures.to_json()["feel"]["after"]["all_time"]["median"] is None
