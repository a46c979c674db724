"""Small, pure figures over the session log: minutes, days practised, check-in ranges.

A leaf: no I/O and no UI. The first functions take the record dicts
:func:`emoflat.sessionlog.read_records` returns; :func:`log_stats`, :func:`by_month` and
the counts take a :class:`~emoflat.sessionlog.LogIndex`, which is much quicker to read.

Nothing here is a score or a streak: days practised are counted, never a run of days
that resets to zero, and check-ins are summed up as they were entered (how many, the
range, the median), before and after apart, never as a difference or an improvement.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import compress, filterfalse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from array import array

    from emoflat.logindex import LogIndex

__all__ = [
    "FeelSummary",
    "LogStats",
    "MonthFigures",
    "by_month",
    "days_practised",
    "days_practised_this_week",
    "feel_summary",
    "label_counts",
    "log_stats",
    "month_of",
    "plain_number",
    "practices_used",
    "session_date",
    "session_minutes",
    "text_counts",
    "week_of",
]

#: "The last 30 days": today and the 29 days before it.
RECENT_DAYS = 30


def session_minutes(record: Mapping[str, Any]) -> float:
    """Minutes practised in one session: its ``practiced_seconds`` (pauses excluded) / 60.

    Args:
        record: A session log record.

    Returns:
        The minutes, 0.0 when the field is missing or not a number.
    """
    seconds = record.get("practiced_seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        return 0.0
    return float(seconds) / 60


def session_date(record: Mapping[str, Any]) -> date | None:
    """The local calendar date a session started on, as the record wrote it.

    ``started`` carries the UTC offset of where and when the session happened, so its
    date part is that day's local date; it is not moved into today's time zone.

    Args:
        record: A session log record.

    Returns:
        The date, or ``None`` when ``started`` is missing or not a date and time.
    """
    started = record.get("started")
    if not isinstance(started, str):
        return None
    try:
        return datetime.fromisoformat(started).date()
    except ValueError:
        return None


def week_of(day: date) -> tuple[date, date]:
    """The Monday-based week holding ``day``.

    Args:
        day: Any date.

    Returns:
        The week's Monday and the Monday after it (the end, excluded).
    """
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=7)


def days_practised(records: Iterable[Mapping[str, Any]], start: date, end: date) -> int:
    """How many distinct dates from ``start`` up to (not including) ``end`` have a session.

    Args:
        records: Session log records; ones without a readable ``started`` are ignored.
        start: The first date counted.
        end: The first date not counted.
    """
    days = {d for d in map(session_date, records) if d is not None and start <= d < end}
    return len(days)


def days_practised_this_week(records: Iterable[Mapping[str, Any]], today: date) -> int:
    """How many days of ``today``'s Monday-based week have at least one session.

    Args:
        records: Session log records, any order, any dates.
        today: The user's local date now.
    """
    monday, next_monday = week_of(today)
    return days_practised(records, monday, next_monday)


def month_of(day: date) -> tuple[date, date]:
    """The calendar month holding ``day``.

    Args:
        day: Any date.

    Returns:
        The month's first day and the first day of the next month (the end, excluded).
    """
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following


def plain_number(value: float) -> int | float:
    """A figure as people write it: ``2`` rather than ``2.0``, else rounded to 0.1."""
    if value == int(value):
        return int(value)
    return round(value, 1)


@dataclass(frozen=True)
class FeelSummary:
    """The "how much can you feel" check-ins (0-10) of some sessions, as plain figures.

    Attributes:
        checkins: How many check-ins gave a number.
        lowest: The smallest number given, or None without check-ins.
        highest: The largest number given, or None.
        median: The middle number (the mean of the two middle ones for an even count).
    """

    checkins: int
    lowest: float | None
    highest: float | None
    median: float | None

    def to_json(self) -> dict[str, Any]:
        """As a JSON object: ``checkins``, ``min``, ``max``, ``median`` (null when none)."""

        def figure(value: float | None) -> int | float | None:
            return None if value is None else plain_number(value)

        return {
            "checkins": self.checkins,
            "min": figure(self.lowest),
            "max": figure(self.highest),
            "median": figure(self.median),
        }


def feel_summary(values: Iterable[float]) -> FeelSummary:
    """Sum up check-in numbers; NaN (no number given) is left out.

    Args:
        values: "How much can you feel" numbers, NaN where a check-in gave none.
    """
    given = sorted(filterfalse(math.isnan, values))
    if not given:
        return FeelSummary(0, None, None, None)
    middle = len(given) // 2
    median = given[middle] if len(given) % 2 else (given[middle - 1] + given[middle]) / 2
    return FeelSummary(len(given), given[0], given[-1], median)


def _column(index: LogIndex, column: array[Any], rows: Sequence[int] | None) -> Sequence[Any]:
    if rows is None:
        rows = index.kept
    if isinstance(rows, range) and rows == range(len(column)):
        return column  # every row, in order: no need to copy
    return [column[row] for row in rows]


def label_counts(
    index: LogIndex, column: array[int], rows: Sequence[int] | None = None
) -> list[tuple[str, int]]:
    """How often each tone or "felt" answer was chosen, most often first.

    Args:
        index: The log's index.
        column: A code column of single texts: ``index.before_tone``, ``index.after_tone``
            or ``index.felt``.
        rows: The rows to count (default: every kept row).
    """
    counts: Counter[str] = Counter()
    for code, count in Counter(_column(index, column, rows)).items():
        label = index.label(code)
        if label is not None:
            counts[label] += count
    return _most_often_first(counts)


def text_counts(
    index: LogIndex, column: array[int], rows: Sequence[int] | None = None
) -> list[tuple[str, int]]:
    """How many sessions each word or tag was chosen in, most often first.

    Args:
        index: The log's index.
        column: A code column of texts: ``index.before_words``, ``index.after_words`` or
            ``index.tags``.
        rows: The rows to count (default: every kept row).
    """
    counts: Counter[str] = Counter()
    for code, count in Counter(_column(index, column, rows)).items():
        for text in set(index.texts(code)):
            counts[text] += count
    return _most_often_first(counts)


def _most_often_first(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _seconds(index: LogIndex, rows: Sequence[int]) -> float:
    return math.fsum(filterfalse(math.isnan, _column(index, index.practiced, rows)))


def _days_between(days: set[int], start: date, end: date) -> int:
    first, last = start.toordinal(), end.toordinal()
    return sum(1 for day in days if first <= day < last)


@dataclass(frozen=True)
class LogStats:
    """The figures of ``emoflat stats``.

    Attributes:
        today: The local date the figures were made on.
        sessions: Sessions in the log.
        seconds_practised: Time spent in steps, pauses excluded, over every session.
        finished: Sessions whose last step finished.
        ended_early: Sessions ended before the last step finished.
        days_this_week: Days of this Monday-based week with at least one session.
        days_this_month: Days of this calendar month with at least one session.
        feel_before: Check-ins before a practice, over all time.
        feel_before_recent: The same over the last 30 days (today included).
        feel_after: Check-ins after a practice, over all time.
        feel_after_recent: The same over the last 30 days.
        tones_before: Tones chosen before, with how often, most often first.
        tones_after: Tones chosen after.
        words_before: Words chosen before, with in how many sessions.
        words_after: Words chosen after.
        felt: The answers to "How was that for you?", with how often.
        tags: Context tags (like "tired day"), with in how many sessions.
        first_day: The date of the first session, or None.
        last_day: The date of the last session, or None.
    """

    today: date
    sessions: int
    seconds_practised: float
    finished: int
    ended_early: int
    days_this_week: int
    days_this_month: int
    feel_before: FeelSummary
    feel_before_recent: FeelSummary
    feel_after: FeelSummary
    feel_after_recent: FeelSummary
    tones_before: list[tuple[str, int]]
    tones_after: list[tuple[str, int]]
    words_before: list[tuple[str, int]]
    words_after: list[tuple[str, int]]
    felt: list[tuple[str, int]]
    tags: list[tuple[str, int]]
    first_day: date | None
    last_day: date | None

    @property
    def minutes_practised(self) -> float:
        """``seconds_practised`` in minutes."""
        return self.seconds_practised / 60

    def to_json(self) -> dict[str, Any]:
        """The figures as a JSON object (the output of ``emoflat stats --json``)."""
        return {
            "today": self.today.isoformat(),
            "sessions": self.sessions,
            "minutes_practised": round(self.minutes_practised, 1),
            "seconds_practised": round(self.seconds_practised),
            "finished": self.finished,
            "ended_early": self.ended_early,
            "days_practised": {
                "this_week": self.days_this_week,
                "this_month": self.days_this_month,
            },
            "first_session": None if self.first_day is None else self.first_day.isoformat(),
            "last_session": None if self.last_day is None else self.last_day.isoformat(),
            "feel": {
                "scale": "0 = nothing, completely flat; 10 = as vividly as I ever do",
                "before": {
                    "all_time": self.feel_before.to_json(),
                    "last_30_days": self.feel_before_recent.to_json(),
                },
                "after": {
                    "all_time": self.feel_after.to_json(),
                    "last_30_days": self.feel_after_recent.to_json(),
                },
            },
            "tones": {"before": dict(self.tones_before), "after": dict(self.tones_after)},
            "words": {"before": dict(self.words_before), "after": dict(self.words_after)},
            "felt": dict(self.felt),
            "tags": dict(self.tags),
        }


def log_stats(index: LogIndex, today: date) -> LogStats:
    """Every figure of ``emoflat stats`` over the log.

    Dates are the local dates the records wrote (see :func:`session_date`).

    Args:
        index: The log's index.
        today: The user's local date now.
    """
    rows = index.kept
    completed = Counter(_column(index, index.completed, rows))
    recent_days = range(today.toordinal() - (RECENT_DAYS - 1), today.toordinal() + 1)
    days_of_rows = _column(index, index.day, rows)
    recent = list(compress(rows, map(recent_days.__contains__, days_of_rows)))
    days = set(days_of_rows)
    return LogStats(
        today=today,
        sessions=len(rows),
        seconds_practised=_seconds(index, rows),
        finished=completed[1],
        ended_early=completed[0],
        days_this_week=_days_between(days, *week_of(today)),
        days_this_month=_days_between(days, *month_of(today)),
        feel_before=feel_summary(_column(index, index.before_feel, rows)),
        feel_before_recent=feel_summary(_column(index, index.before_feel, recent)),
        feel_after=feel_summary(_column(index, index.after_feel, rows)),
        feel_after_recent=feel_summary(_column(index, index.after_feel, recent)),
        tones_before=label_counts(index, index.before_tone, rows),
        tones_after=label_counts(index, index.after_tone, rows),
        words_before=text_counts(index, index.before_words, rows),
        words_after=text_counts(index, index.after_words, rows),
        felt=label_counts(index, index.felt, rows),
        tags=text_counts(index, index.tags, rows),
        first_day=date.fromordinal(min(days)) if days else None,
        last_day=date.fromordinal(max(days)) if days else None,
    )


@dataclass(frozen=True)
class MonthFigures:
    """One calendar month of the log.

    Attributes:
        month: The month's first day.
        sessions: Sessions started in the month.
        seconds_practised: Time spent in steps, pauses excluded.
        days_practised: Days of the month with at least one session.
        feel_before: Check-ins before a practice.
        feel_after: Check-ins after a practice.
    """

    month: date
    sessions: int
    seconds_practised: float
    days_practised: int
    feel_before: FeelSummary
    feel_after: FeelSummary


def by_month(index: LogIndex, rows: Sequence[int] | None = None) -> list[MonthFigures]:
    """The figures of each calendar month with a session, oldest first.

    Args:
        index: The log's index.
        rows: The rows to count (default: every kept row).
    """
    months: dict[date, list[int]] = {}
    month_of_day: dict[int, date] = {}
    day = index.day
    for row in index.kept if rows is None else rows:
        first = month_of_day.get(day[row])
        if first is None:
            first = month_of_day[day[row]] = date.fromordinal(day[row]).replace(day=1)
        months.setdefault(first, []).append(row)
    figures = []
    for first in sorted(months):
        in_month = months[first]
        figures.append(
            MonthFigures(
                month=first,
                sessions=len(in_month),
                seconds_practised=_seconds(index, in_month),
                days_practised=len({day[row] for row in in_month}),
                feel_before=feel_summary(_column(index, index.before_feel, in_month)),
                feel_after=feel_summary(_column(index, index.after_feel, in_month)),
            )
        )
    return figures


def practices_used(
    index: LogIndex, rows: Sequence[int] | None = None
) -> list[tuple[str, int, float]]:
    """Which practices were used: each title with its sessions and seconds practised.

    Sessions are grouped by practice id, under the title of the newest one; most used first.

    Args:
        index: The log's index.
        rows: The rows to count (default: every kept row, newest first).
    """
    sessions: Counter[str] = Counter()
    seconds: dict[str, float] = {}
    titles: dict[str, str] = {}
    practiced = index.practiced
    for row in index.rows if rows is None else rows:
        practice_id, title = index.practice_of(row)
        key = practice_id or title or "?"
        titles.setdefault(key, title or practice_id or "(no title)")
        sessions[key] += 1
        spent = practiced[row]
        seconds[key] = seconds.get(key, 0.0) + (0.0 if math.isnan(spent) else spent)
    ranked = sorted(sessions, key=lambda key: (-sessions[key], titles[key]))
    return [(titles[key], sessions[key], seconds[key]) for key in ranked]
