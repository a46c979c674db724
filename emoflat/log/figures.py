"""Plain figures over the log: sessions, minutes, days practised, check-ins as entered.

Pure: no I/O. Each figure is one pass over the sessions (a comprehension, not a loop of
Python statements per session: stats over 20,000 sessions take a few milliseconds).
Nothing here is a score or a streak: days are counted, never a run that resets to zero;
check-ins are summed up as entered (how many, the range, the median), before and after
apart, never as a difference.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from itertools import compress
from typing import Any, NamedTuple

from emoflat.log.record import CheckIn
from emoflat.log.store import Session

#: "The last 30 days": today and the 29 days before it.
RECENT_DAYS = 30
PHASES = ("before", "after")


def week_of(day: date, first_weekday: int = 0) -> tuple[date, date]:
    """The week holding ``day`` (starting on ``first_weekday``, 0 = Monday): its first day,
    and the first day after it."""
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


class FeelSummary(NamedTuple):
    """ "How much can you feel" figures: how many, lowest, highest, median."""

    checkins: int
    lowest: float | None
    highest: float | None
    median: float | None

    def to_json(self) -> dict[str, Any]:
        """``checkins``, ``min``, ``max``, ``median`` (null when none)."""
        low, high, middle = (None if v is None else plain_number(v) for v in self[1:])
        return {"checkins": self.checkins, "min": low, "max": high, "median": middle}


def feel_summary(values: Iterable[float]) -> FeelSummary:
    """Sum up "how much can you feel" numbers."""
    given = sorted(values)
    if not given:
        return FeelSummary(0, None, None, None)
    middle = len(given) // 2
    median = given[middle] if len(given) % 2 else (given[middle - 1] + given[middle]) / 2
    return FeelSummary(len(given), given[0], given[-1], median)


def most_often_first(counts: Counter[str]) -> list[tuple[str, int]]:
    """Counts, most often first, then by name."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _count_each(groups: Iterable[tuple[str, ...]]) -> Counter[str]:
    """In how many of ``groups`` each text is (twice in one group counts once). Sessions
    repeat the same few groups, so the groups are counted first: far quicker."""
    counts: Counter[str] = Counter()
    for group, times in Counter(groups).items():
        for text in set(group):
            counts[text] += times
    return counts


def _feels(checkins: Iterable[CheckIn | None]) -> list[float]:
    return [c.feel for c in checkins if c is not None and c.feel is not None]


class Month(NamedTuple):
    """One calendar month of the log (a row of the markdown summary)."""

    first: date
    sessions: int
    seconds: float
    days: int
    feel_before: list[float]
    feel_after: list[float]


class Figures:
    """The figures of ``emoflat stats`` and the markdown summary, added up a block of
    sessions at a time (:meth:`add`), so a long log is never held whole. Dates are the
    local dates the records wrote."""

    def __init__(self, today: date, first_weekday: int = 0) -> None:
        self.today = today
        self.first_weekday = first_weekday
        """The day weeks start on, 0 = Monday (the settings' ``week_starts``)."""
        self.sessions = 0
        self.seconds = 0.0
        self.finished = self.ended_early = 0
        self.days: set[int] = set()
        self.feel: dict[str, list[float]] = {p: [] for p in PHASES}
        self.feel_recent: dict[str, list[float]] = {p: [] for p in PHASES}
        self.tones: dict[str, Counter[str]] = {p: Counter() for p in PHASES}
        self.words: dict[str, Counter[str]] = {p: Counter() for p in PHASES}
        self.felt: Counter[str] = Counter()
        self.tags: Counter[str] = Counter()
        self._months: defaultdict[date, list[Session]] = defaultdict(list)
        self._recent = range(today.toordinal() - (RECENT_DAYS - 1), today.toordinal() + 1)

    def add(self, sessions: Sequence[Session], *, by_month: bool = False) -> Figures:
        """Count ``sessions`` in; return self. ``by_month`` keeps what :meth:`months` and
        :meth:`practices_used` need (the markdown summary)."""
        records = [s.record for s in sessions]
        self.sessions += len(records)
        self.seconds += math.fsum(r.practiced_seconds or 0.0 for r in records)
        ended = Counter(r.completed for r in records)
        self.finished += ended[True]
        self.ended_early += ended[False]
        self.days.update(s.day for s in sessions)
        recent = [s.day in self._recent for s in sessions]
        for phase in PHASES:
            checkins = [getattr(r, phase) for r in records]
            self.feel[phase] += _feels(checkins)
            self.feel_recent[phase] += _feels(compress(checkins, recent))
            self.tones[phase].update(c.tone for c in checkins if c is not None and c.tone)
            self.words[phase].update(_count_each(c.words for c in checkins if c is not None))
        self.felt.update(r.after.felt for r in records if r.after is not None and r.after.felt)
        self.tags.update(_count_each(r.tags for r in records))
        if by_month:
            for session in sessions:
                self._months[date.fromordinal(session.day).replace(day=1)].append(session)
        return self

    @property
    def first_day(self) -> date | None:
        """The date of the first session, if any."""
        return date.fromordinal(min(self.days)) if self.days else None

    @property
    def last_day(self) -> date | None:
        """The date of the last session, if any."""
        return date.fromordinal(max(self.days)) if self.days else None

    def days_this_week(self, first_weekday: int | None = None) -> int:
        """Days of this week with a session."""
        first = self.first_weekday if first_weekday is None else first_weekday
        return days_between(self.days, *week_of(self.today, first))

    @property
    def days_this_month(self) -> int:
        """Days of this calendar month with a session."""
        return days_between(self.days, *month_of(self.today))

    def months(self) -> list[Month]:
        """Each calendar month with a session, oldest first (needs ``add(by_month=True)``)."""
        return [
            Month(
                first,
                len(group),
                math.fsum(s.record.practiced_seconds or 0.0 for s in group),
                len({s.day for s in group}),
                _feels(s.record.before for s in group),
                _feels(s.record.after for s in group),
            )
            for first, group in sorted(self._months.items())
        ]

    def practices_used(self) -> list[tuple[str, int, float]]:
        """Each practice (by id, under its newest title) with its sessions and seconds,
        most used first (needs ``add(by_month=True)``)."""
        used: dict[str, list[Any]] = {}  # key: [title, sessions, seconds, newest start]
        for session in (s for group in self._months.values() for s in group):
            record = session.record
            key = record.practice or record.title or "?"
            title = record.title or record.practice or "(no title)"
            row = used.setdefault(key, [title, 0, 0.0, session.at])
            row[1] += 1
            row[2] += record.practiced_seconds or 0.0
            if session.at > row[3]:
                row[0], row[3] = title, session.at
        ranked = sorted(used.values(), key=lambda row: (-row[1], row[0]))
        return [(title, count, seconds) for title, count, seconds, _ in ranked]

    def to_json(self) -> dict[str, Any]:
        """The figures as ``emoflat stats --json`` prints them."""
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
                **{
                    p: {
                        "all_time": feel_summary(self.feel[p]).to_json(),
                        "last_30_days": feel_summary(self.feel_recent[p]).to_json(),
                    }
                    for p in PHASES
                },
            },
            "tones": {p: dict(most_often_first(self.tones[p])) for p in PHASES},
            "words": {p: dict(most_often_first(self.words[p])) for p in PHASES},
            "felt": dict(most_often_first(self.felt)),
            "tags": dict(most_often_first(self.tags)),
        }
