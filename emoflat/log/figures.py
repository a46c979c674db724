"""Plain figures over the log: sessions, minutes, days practised, check-ins as entered.

Pure: no I/O. :class:`Figures` takes sessions one at a time, in any order, so a long log
is summed up without holding it whole. Nothing here is a score or a streak: days are
counted, never a run that resets to zero; check-ins are summed up as entered (how many,
the range, the median), before and after apart, never as a difference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from emoflat.log.store import Session

#: "The last 30 days": today and the 29 days before it.
RECENT_DAYS = 30


def week_of(day: date, first_weekday: int = 0) -> tuple[date, date]:
    """The week holding ``day`` (starting on ``first_weekday``, 0 = Monday): first day, and
    the first day after it."""
    start = day - timedelta(days=(day.weekday() - first_weekday) % 7)
    return start, start + timedelta(days=7)


def month_of(day: date) -> tuple[date, date]:
    """The calendar month holding ``day``: its first day, and the next month's."""
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


def days_between(days: Iterable[int], start: date, end: date) -> int:
    """How many of ``days`` (ordinals) fall from ``start`` up to, not including, ``end``."""
    first, last = start.toordinal(), end.toordinal()
    return sum(1 for day in days if first <= day < last)


def plain_number(value: float) -> int | float:
    """A figure as people write it: ``2`` rather than ``2.0``, else rounded to 0.1."""
    return int(value) if value == int(value) else round(value, 1)


@dataclass(frozen=True)
class FeelSummary:
    """ "How much can you feel" figures of some sessions: how many, lowest, highest, median."""

    checkins: int
    lowest: float | None
    highest: float | None
    median: float | None

    def to_json(self) -> dict[str, Any]:
        """``checkins``, ``min``, ``max``, ``median`` (null when none)."""

        def figure(value: float | None) -> int | float | None:
            return None if value is None else plain_number(value)

        return {
            "checkins": self.checkins,
            "min": figure(self.lowest),
            "max": figure(self.highest),
            "median": figure(self.median),
        }


def feel_summary(values: Iterable[float]) -> FeelSummary:
    """Sum up "how much can you feel" numbers."""
    given = sorted(values)
    if not given:
        return FeelSummary(0, None, None, None)
    middle = len(given) // 2
    median = given[middle] if len(given) % 2 else (given[middle - 1] + given[middle]) / 2
    return FeelSummary(len(given), given[0], given[-1], median)


@dataclass
class Month:
    """One calendar month of the log (the markdown summary's rows)."""

    first: date
    sessions: int = 0
    seconds: float = 0.0
    days: set[int] = field(default_factory=set)
    feel_before: list[float] = field(default_factory=list)
    feel_after: list[float] = field(default_factory=list)


def most_often_first(counts: Counter[str]) -> list[tuple[str, int]]:
    """Counts, most often first, then by name."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


class Figures:
    """The figures of ``emoflat stats`` and the markdown summary, added up session by session.

    Dates are the local dates the records wrote.
    """

    def __init__(self, today: date) -> None:
        self.today = today
        self.sessions = 0
        self.seconds = 0.0
        self.finished = 0
        self.ended_early = 0
        self.days: set[int] = set()
        self.feel: dict[str, list[float]] = {"before": [], "after": []}
        self.feel_recent: dict[str, list[float]] = {"before": [], "after": []}
        self.tones: dict[str, Counter[str]] = {"before": Counter(), "after": Counter()}
        self.words: dict[str, Counter[str]] = {"before": Counter(), "after": Counter()}
        self.felt: Counter[str] = Counter()
        self.tags: Counter[str] = Counter()
        self.months: dict[date, Month] = {}
        self._practices: dict[str, list[Any]] = {}  # key: [title, sessions, seconds, newest]
        self._recent_from = today.toordinal() - (RECENT_DAYS - 1)

    def add_all(self, sessions: Iterable[Session]) -> Figures:
        """Add every session; return self."""
        for session in sessions:
            self.add(session)
        return self

    def add(self, session: Session) -> None:
        """Count one session in."""
        record, day = session.record, session.day
        self.sessions += 1
        seconds = record.practiced_seconds or 0.0
        self.seconds += seconds
        if record.completed is not None:
            self.finished += record.completed
            self.ended_early += not record.completed
        self.days.add(day)
        first = date.fromordinal(day).replace(day=1)
        month = self.months.get(first) or self.months.setdefault(first, Month(first))
        month.sessions += 1
        month.seconds += seconds
        month.days.add(day)
        recent = self._recent_from <= day <= self.today.toordinal()
        for phase, checkin in (("before", record.before), ("after", record.after)):
            if checkin is None:
                continue
            if checkin.feel is not None:
                self.feel[phase].append(checkin.feel)
                (month.feel_before if phase == "before" else month.feel_after).append(checkin.feel)
                if recent:
                    self.feel_recent[phase].append(checkin.feel)
            if checkin.tone is not None:
                self.tones[phase][checkin.tone] += 1
            self.words[phase].update(set(checkin.words))
        if record.after is not None and record.after.felt is not None:
            self.felt[record.after.felt] += 1
        self.tags.update(set(record.tags))
        key = record.practice or record.title or "?"
        title = record.title or record.practice or "(no title)"
        used = self._practices.setdefault(key, [title, 0, 0.0, session.at])
        used[1] += 1
        used[2] += seconds
        if session.at > used[3]:
            used[0], used[3] = title, session.at

    @property
    def first_day(self) -> date | None:
        """The date of the first session, if any."""
        return date.fromordinal(min(self.days)) if self.days else None

    @property
    def last_day(self) -> date | None:
        """The date of the last session, if any."""
        return date.fromordinal(max(self.days)) if self.days else None

    def days_this_week(self, first_weekday: int = 0) -> int:
        """Days of this week with a session."""
        return days_between(self.days, *week_of(self.today, first_weekday))

    @property
    def days_this_month(self) -> int:
        """Days of this calendar month with a session."""
        return days_between(self.days, *month_of(self.today))

    def practices_used(self) -> list[tuple[str, int, float]]:
        """Each practice (by id, under its newest title) with sessions and seconds, most first."""
        used = sorted(self._practices.values(), key=lambda row: (-row[1], row[0]))
        return [(title, count, seconds) for title, count, seconds, _ in used]

    def to_json(self) -> dict[str, Any]:
        """The figures as ``emoflat stats --json`` prints them."""

        def feel(phase: str) -> dict[str, Any]:
            return {
                "all_time": feel_summary(self.feel[phase]).to_json(),
                "last_30_days": feel_summary(self.feel_recent[phase]).to_json(),
            }

        first, last = self.first_day, self.last_day
        return {
            "today": self.today.isoformat(),
            "sessions": self.sessions,
            "minutes_practised": round(self.seconds / 60, 1),
            "seconds_practised": round(self.seconds),
            "finished": self.finished,
            "ended_early": self.ended_early,
            "days_practised": {
                "this_week": self.days_this_week(),
                "this_month": self.days_this_month,
            },
            "first_session": None if first is None else first.isoformat(),
            "last_session": None if last is None else last.isoformat(),
            "feel": {
                "scale": "0 = nothing, completely flat; 10 = as vividly as I ever do",
                "before": feel("before"),
                "after": feel("after"),
            },
            "tones": {p: dict(most_often_first(self.tones[p])) for p in ("before", "after")},
            "words": {p: dict(most_often_first(self.words[p])) for p in ("before", "after")},
            "felt": dict(most_often_first(self.felt)),
            "tags": dict(most_often_first(self.tags)),
        }
