"""Small, pure figures over session log records: minutes practised, days practised.

A leaf: no I/O and no UI. Records are the dicts :func:`emoflat.sessionlog.read_records`
returns. Nothing here is a score or a streak: days practised are counted, never a run
of days that resets to zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

__all__ = [
    "days_practised",
    "days_practised_this_week",
    "session_date",
    "session_minutes",
    "week_of",
]


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
