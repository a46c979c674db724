"""Plain figures over the log: sessions, minutes, days practised (never a streak), and
check-ins as entered (how many, the range, the median; never a difference or a score)."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from records import make_record, record_fields

from emoflat.log.figures import (
    RECENT_DAYS,
    FeelSummary,
    Figures,
    days_between,
    feel_summary,
    month_of,
    most_often_first,
    plain_number,
    week_of,
)
from emoflat.log.record import Record, decode
from emoflat.log.store import Session

# 2026-03-04 is a Wednesday.
WEDNESDAY = date(2026, 3, 4)


def session_of(record: Record) -> Session:
    """The session the log reads for ``record``."""
    moment = datetime.fromisoformat(record.started)
    return Session(moment.timestamp(), moment.toordinal(), record, b"")


def session(started: str, **fields: Any) -> Session:
    """A session starting at ``started``; keyword arguments replace the record's fields
    as they would be stored (a mistyped value is left out, as reading the log does)."""
    left_out: list[str] = []
    record = decode(json.dumps(record_fields(started, **fields)).encode(), left_out)
    assert isinstance(record, Record)
    return session_of(record)


def checked_in(started: str, before: Any = None, after: Any = None, **fields: Any) -> Session:
    """A session with only the "how much can you feel" figures given (None: not given)."""
    return session(
        started,
        before={"feel": before, "tone": None, "words": []},
        after={"feel": after, "tone": None, "words": [], "felt": None},
        **fields,
    )


def figures_of(sessions: Iterable[Session], today: date = WEDNESDAY) -> Figures:
    return Figures(today).add(list(sessions), by_month=True)


def months_of(figures: Figures) -> list[tuple[date, int, int, float, FeelSummary, FeelSummary]]:
    """Each month oldest first: first day, sessions, days practised, seconds, check-ins."""
    return [
        (
            month.first,
            month.sessions,
            month.days,
            month.seconds,
            feel_summary(month.feel_before),
            feel_summary(month.feel_after),
        )
        for month in figures.months()
    ]


# --- days, weeks and months -----------------------------------------------------------------


def test_the_week_starts_on_monday() -> None:
    assert week_of(WEDNESDAY) == (date(2026, 3, 2), date(2026, 3, 9))
    assert week_of(date(2026, 3, 2)) == (date(2026, 3, 2), date(2026, 3, 9))
    assert week_of(date(2026, 3, 8)) == (date(2026, 3, 2), date(2026, 3, 9))


def test_the_week_may_start_on_another_day() -> None:
    assert week_of(WEDNESDAY, first_weekday=6) == (date(2026, 3, 1), date(2026, 3, 8))


def test_months_run_from_the_first_to_the_first_of_the_next() -> None:
    assert month_of(WEDNESDAY) == (date(2026, 3, 1), date(2026, 4, 1))
    assert month_of(date(2026, 12, 31)) == (date(2026, 12, 1), date(2027, 1, 1))


def test_days_between_counts_from_start_up_to_end() -> None:
    days = [date(2026, 3, day).toordinal() for day in (1, 2, 15, 31)]
    assert days_between(days, date(2026, 3, 1), date(2026, 4, 1)) == 4
    assert days_between(days, date(2026, 3, 2), date(2026, 3, 31)) == 2


def test_days_practised_this_week_counts_distinct_dates() -> None:
    figures = figures_of(
        [
            session("2026-03-02T09:00:00+01:00"),  # Monday
            session("2026-03-02T17:00:00+01:00"),  # Monday again: still one day
            session("2026-03-04T12:00:00+01:00"),  # Wednesday
        ]
    )
    assert figures.days_this_week() == 2


def test_days_before_monday_and_after_sunday_do_not_count() -> None:
    figures = figures_of(
        [
            session("2026-03-01T23:59:59+01:00"),  # the Sunday before
            session("2026-03-09T00:00:00+01:00"),  # the next Monday
            session("2026-03-08T08:00:00+01:00"),  # this Sunday
        ]
    )
    assert figures.days_this_week() == 1


def test_a_gap_never_resets_the_count_to_zero() -> None:
    # Monday and Friday, nothing between: two days practised, not a broken streak.
    sessions = [session("2026-03-02T09:00:00+01:00"), session("2026-03-06T09:00:00+01:00")]
    assert figures_of(sessions, date(2026, 3, 6)).days_this_week() == 2


def test_a_day_is_the_local_date_the_record_wrote() -> None:
    # Late evening at +10:00 is still that evening's date, whatever the zone now.
    figures = figures_of(
        [session("2026-03-04T23:30:00+10:00"), session("2026-03-04T00:10:00-08:00")]
    )
    assert figures.days == {WEDNESDAY.toordinal()}
    assert (figures.first_day, figures.last_day) == (WEDNESDAY, WEDNESDAY)


def test_days_this_week_and_this_month_count_each_day_once() -> None:
    figures = figures_of(
        [
            session("2026-02-28T10:00:00+01:00"),  # last month
            session("2026-03-01T10:00:00+01:00"),  # this month, last week (a Sunday)
            session("2026-03-02T09:00:00+01:00"),  # Monday
            session("2026-03-02T18:00:00+01:00"),  # Monday again: one day
            session("2026-03-04T07:00:00+01:00"),  # today
        ]
    )
    assert (figures.days_this_week(), figures.days_this_month) == (2, 3)


# --- totals ----------------------------------------------------------------------------------


def test_totals_count_sessions_seconds_finished_and_ended_early() -> None:
    figures = figures_of(
        [
            session("2026-03-04T10:00:00+01:00", practiced_seconds=120),
            session("2026-03-03T10:00:00+01:00", practiced_seconds=90.5, completed=False),
            session("2026-03-02T10:00:00+01:00", practiced_seconds="bad"),  # left out: 0
            session("2026-03-01T10:00:00+01:00", practiced_seconds=True, completed="yes"),
        ]
    )
    assert figures.sessions == 4
    assert (figures.finished, figures.ended_early) == (2, 1)  # one did not say
    assert figures.seconds == 210.5
    assert (figures.first_day, figures.last_day) == (date(2026, 3, 1), WEDNESDAY)
    totals = figures.to_json()
    assert (totals["minutes_practised"], totals["seconds_practised"]) == (3.5, 210)


def test_an_empty_log_has_zero_figures() -> None:
    figures = figures_of([])
    assert (figures.sessions, figures.seconds, figures.days_this_week()) == (0, 0, 0)
    assert (figures.first_day, figures.last_day) == (None, None)
    assert figures.practices_used() == []
    totals = figures.to_json()
    assert totals["first_session"] is None and totals["last_session"] is None
    assert totals["feel"]["after"]["all_time"] == {
        "checkins": 0,
        "min": None,
        "max": None,
        "median": None,
    }


def test_the_figures_are_the_same_in_any_order_and_block_by_block() -> None:
    rng = random.Random(4)
    sessions = [
        checked_in(
            f"2026-0{rng.randint(1, 3)}-{rng.randint(1, 28):02}T10:00:00+01:00",
            before=rng.choice([None, 0, 3, 7.5]),
            after=rng.choice([None, 2, 10]),
            practice=rng.choice(["hands", "sounds"]),
            tags=rng.sample(["tired day", "relapse", "poor sleep"], rng.randint(0, 2)),
        )
        for _ in range(40)
    ]
    shuffled = list(sessions)
    rng.shuffle(shuffled)
    in_blocks = Figures(WEDNESDAY)
    for start in range(0, len(shuffled), 7):  # as the log is read, a block at a time
        in_blocks.add(shuffled[start : start + 7], by_month=True)
    once = figures_of(sessions)
    for again in (figures_of(shuffled), in_blocks):
        assert once.to_json() == again.to_json()
        assert months_of(once) == months_of(again)
        assert once.practices_used() == again.practices_used()


# --- check-ins, as entered ---------------------------------------------------------------------


def test_feel_summary_is_count_range_and_median() -> None:
    assert feel_summary([3, 1, 2]) == FeelSummary(3, 1, 3, 2)
    assert feel_summary([1, 2, 3, 5]) == FeelSummary(4, 1, 5, 2.5)
    assert feel_summary(iter([4])) == FeelSummary(1, 4, 4, 4)
    assert feel_summary([]) == FeelSummary(0, None, None, None)
    assert FeelSummary(4, 1, 5, 2.5).to_json() == {"checkins": 4, "min": 1, "max": 5, "median": 2.5}
    assert FeelSummary(2, 0.0, 10.0, 5.0).to_json() == {
        "checkins": 2,
        "min": 0,
        "max": 10,
        "median": 5,
    }


def test_plain_numbers_drop_a_needless_point_zero() -> None:
    assert plain_number(2.0) == 2 and isinstance(plain_number(2.0), int)
    assert plain_number(2.5) == 2.5
    assert plain_number(1 / 3) == 0.3


def test_checkins_over_all_time_and_the_last_30_days() -> None:
    assert RECENT_DAYS == 30
    figures = figures_of(
        [
            checked_in("2026-02-02T10:00:00+01:00", before=0, after=7),  # 30 days ago: out
            checked_in("2026-02-03T10:00:00+01:00", before=4, after=5),  # 29 days ago: in
            checked_in("2026-03-04T10:00:00+01:00", before=2, after=None),
            checked_in("2026-03-04T11:00:00+01:00", before=None, after=None),
            checked_in("2026-03-05T10:00:00+01:00", before=9, after=9),  # tomorrow: not recent
        ]
    )
    assert feel_summary(figures.feel["before"]) == FeelSummary(4, 0, 9, 3)
    assert feel_summary(figures.feel_recent["before"]) == FeelSummary(2, 2, 4, 3)
    assert feel_summary(figures.feel["after"]) == FeelSummary(3, 5, 9, 7)
    assert feel_summary(figures.feel_recent["after"]) == FeelSummary(1, 5, 5, 5)
    feel = figures.to_json()["feel"]
    assert feel["before"]["last_30_days"] == {"checkins": 2, "min": 2, "max": 4, "median": 3}
    assert feel["scale"] == "0 = nothing, completely flat; 10 = as vividly as I ever do"


def test_a_checkin_outside_0_to_10_or_not_a_number_is_not_counted() -> None:
    figures = figures_of(
        [
            checked_in("2026-03-04T10:00:00+01:00", before=value)
            for value in (11, -1, True, "3", [2], 10.000001, 10, 0)
        ]
    )
    assert feel_summary(figures.feel["before"]) == FeelSummary(2, 0, 10, 5)


def test_tones_words_felt_and_tags_are_counted_most_often_first() -> None:
    def chosen(tone: str | None, words: list[str], felt: str | None, tags: list[str]) -> Session:
        return session(
            "2026-03-04T10:00:00+01:00",
            before={"feel": None, "tone": tone, "words": words},
            after={"feel": None, "tone": None, "words": words, "felt": felt},
            tags=tags,
        )

    figures = figures_of(
        [
            chosen("mixed", ["numb", "flat"], "helpful", ["tired day"]),
            chosen("can't tell", ["numb"], "not sure", ["tired day", "poor sleep"]),
            chosen(None, ["numb", "numb"], "helpful", ["relapse", "relapse"]),
            chosen(None, [], None, []),
        ]
    )
    assert most_often_first(figures.tones["before"]) == [("can't tell", 1), ("mixed", 1)]
    assert most_often_first(figures.words["before"]) == [("numb", 3), ("flat", 1)]  # sessions
    assert most_often_first(figures.felt) == [("helpful", 2), ("not sure", 1)]
    assert most_often_first(figures.tags) == [("tired day", 2), ("poor sleep", 1), ("relapse", 1)]
    assert figures.tones["after"] == Counter()
    assert figures.words["after"] == figures.words["before"]
    totals = figures.to_json()
    assert list(totals["tags"].items()) == [("tired day", 2), ("poor sleep", 1), ("relapse", 1)]
    assert totals["felt"] == {"helpful": 2, "not sure": 1}


def test_the_figures_hold_no_difference_score_or_streak() -> None:
    figures = figures_of([checked_in("2026-03-04T10:00:00+01:00", before=1, after=4)])
    text = json.dumps(figures.to_json()).lower()
    for word in ("improve", "delta", "change", "score", "streak", "better", "progress", "trend"):
        assert word not in text
    assert '"median": 1' in text and '"median": 4' in text


# --- months and practices ------------------------------------------------------------------


def test_each_month_oldest_first_with_its_days_seconds_and_checkins() -> None:
    figures = figures_of(
        [
            checked_in("2026-03-04T10:00:00+01:00", before=1, after=3, practiced_seconds=60),
            checked_in("2026-01-31T23:30:00-05:00", before=2, after=2, practiced_seconds=120),
            checked_in("2026-01-05T10:00:00+01:00", before=0, practiced_seconds=60),
            checked_in("2026-01-05T18:00:00+01:00", before=4, practiced_seconds=60),
        ]
    )
    assert months_of(figures) == [
        (date(2026, 1, 1), 3, 2, 240, FeelSummary(3, 0, 4, 2), FeelSummary(1, 2, 2, 2)),
        (date(2026, 3, 1), 1, 1, 60, FeelSummary(1, 1, 1, 1), FeelSummary(1, 3, 3, 3)),
    ]


def test_practices_used_group_by_id_under_the_newest_title() -> None:
    figures = figures_of(
        [
            session("2026-03-02T10:00:00+01:00", practiced_seconds=120),
            session("2026-03-01T10:00:00+01:00", title="Hands (old title)", practiced_seconds=60),
            session(
                "2026-03-03T10:00:00+01:00", practice="sounds", title="Sounds", practiced_seconds=60
            ),
            session("2026-03-03T11:00:00+01:00", practice=None, title="Only a title"),
            session("2026-03-03T12:00:00+01:00", practice=None, title=None),
        ]
    )
    assert figures.practices_used() == [
        ("Noticing your hands", 2, 180.0),
        ("(no title)", 1, 172.0),
        ("Only a title", 1, 172.0),
        ("Sounds", 1, 60.0),
    ]


def test_the_stats_json_has_every_figure() -> None:
    figures = figures_of([session("2026-03-04T10:00:00+01:00", tags=["tired day"])])
    assert list(figures.to_json()) == [
        "today", "sessions", "minutes_practised", "seconds_practised", "finished",
        "ended_early", "days_practised", "first_session", "last_session", "feel", "tones",
        "words", "felt", "tags",
    ]  # fmt: skip
    totals = figures.to_json()
    assert totals["today"] == "2026-03-04"
    assert totals["days_practised"] == {"this_week": 1, "this_month": 1}
    assert (totals["first_session"], totals["last_session"]) == ("2026-03-04", "2026-03-04")
    assert totals["words"] == {"before": {"flat": 1, "foggy": 1}, "after": {"warm": 1}}
    assert totals["tones"] == {"before": {"can't tell": 1}, "after": {"mixed": 1}}


def test_a_record_without_check_ins_adds_nothing_to_them() -> None:
    figures = figures_of([session_of(make_record(before=None, after=None))])
    assert figures.feel == {"before": [], "after": []}
    assert figures.felt == Counter() and figures.tones["before"] == Counter()
