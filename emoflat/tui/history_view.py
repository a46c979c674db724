"""What the history screens say, as plain text: a session's line, its whole record, a
month's calendar of days practised, and the check-ins as bars with their figures.

Pure: no Textual here, so it is quick to test. Everything is the user's own entries as
they gave them: check-ins before and after side by side, never a difference, a trend or
a score; days practised counted, never a streak.
"""

from __future__ import annotations

import calendar
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len

from emoflat.checkin import FEEL_HIGH, FEEL_LOW, FEEL_MAX
from emoflat.sessionlog import RECORD_FIELDS
from emoflat.stats import plain_number, week_of
from emoflat.tui.wording import about_minutes, practised_text

if TYPE_CHECKING:
    from emoflat.logindex import LogIndex

#: From this width a session takes one line; below it, two.
WIDE = 64
#: The sessions the chart shows.
CHART_SESSIONS = 30
#: A practised day in the calendar (with bold; never colour alone).
PRACTISED = "•"
BAR_FULL = "█"
BAR_EMPTY = "·"
NOT_GIVEN = "–"
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")

EMPTY = "No sessions yet. When you finish or end a practice, it is listed here."


def one_line(text: str) -> str:
    """Text on one line, with anything unprintable shown as a space."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def printable(text: str) -> str:
    """Text as it may be shown: its lines kept, anything else unprintable a space."""
    return "\n".join(
        "".join(c if c.isprintable() or c == "\t" else " " for c in line)
        for line in text.splitlines()
    )


def fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells, ending with "…" when cut."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    cut = text
    while cut and cell_len(cut) > width - 1:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def when_text(started: str) -> str:
    """``2026-03-04 10:00``: the local date and time the record wrote."""
    if len(started) >= 16 and started[10] in "T " and started[4] == "-" and started[13] == ":":
        return f"{started[:10]} {started[11:16]}"
    try:
        return datetime.fromisoformat(started).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return fit(one_line(started), 16)


def figure(value: float) -> str:
    """A check-in figure as given (``4``, ``2.5``), or "–" when not given."""
    if value != value:  # NaN: not given
        return NOT_GIVEN
    return str(plain_number(value))


def feel_text(before: float, after: float) -> str:
    """``feel 2 → 4``: the two figures as given, "–" for one not given; "" for neither."""
    if before != before and after != after:
        return ""
    return f"feel {figure(before)} → {figure(after)}"


def minutes_text(seconds: float) -> str:
    """Minutes practised, short: ``3 min``, ``<1 min``, ``? min`` when not recorded."""
    if seconds != seconds:
        return "? min"
    if seconds < 60:
        return "<1 min"
    return f"{int(seconds / 60 + 0.5)} min"


def status_text(completed: int) -> str:
    """``finished``, ``ended early``, or "" when the record does not say."""
    return {1: "finished", 0: "ended early"}.get(completed, "")


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One session of the history list, in words."""

    when: str
    title: str
    minutes: str
    status: str
    feel: str
    note: bool

    def lines(self, width: int) -> list[str]:
        """The session as one line (``width`` >= :data:`WIDE`) or two, cut to ``width``."""
        note = "note" if self.note else ""
        if width >= WIDE:
            fixed = 16 + 2 + 2 + 6 + 2 + 11 + 2 + 12 + 2 + 4
            title = fit(self.title, max(width - fixed, 8)).ljust(max(width - fixed, 8))
            line = (
                f"{self.when}  {title}  {self.minutes:>6}  {self.status:<11}  "
                f"{self.feel:<12}  {note}"
            )
            return [fit(line.rstrip(), width)]
        first = "  ".join(p for p in (self.when, self.minutes, self.status) if p)
        rest = "  ".join(p for p in (self.feel, note) if p)
        room = width - 2 - (cell_len(rest) + 2 if rest else 0)
        second = "  " + "  ".join(p for p in (fit(self.title, max(room, 8)), rest) if p)
        return [fit(first, width), fit(second, width)]


def session_row(index: LogIndex, row: int) -> SessionRow:
    """The history list's words for one row of the log's index."""
    practice_id, title = index.practice_of(row)
    return SessionRow(
        when=when_text(index.started[row]),
        title=one_line(title or practice_id or "(no title)"),
        minutes=minutes_text(index.practiced[row]),
        status=status_text(index.completed[row]),
        feel=feel_text(index.before_feel[row], index.after_feel[row]),
        note=bool(index.note[row]),
    )


def warnings_text(warnings: Sequence[str]) -> str:
    """One calm line about lines of the log that could not be read; "" when none."""
    if not warnings:
        return ""
    count = len(warnings)
    noun = "line of the log was" if count == 1 else "lines of the log were"
    return (
        f"{count:,} {noun} not readable and left out; the files are unchanged "
        "(emoflat history names them)."
    )


# The whole record ---------------------------------------------------------------------

#: Fields :func:`record_text` says in words; any others are listed as they are stored.
KNOWN_FIELDS = frozenset(RECORD_FIELDS)


def _checkin_text(label: str, checkin: object) -> list[str]:
    if not isinstance(checkin, Mapping):
        return [f"{label}: no check-in"]
    parts = []
    feel = checkin.get("feel")
    if isinstance(feel, int | float) and not isinstance(feel, bool):
        parts.append(f"feel {figure(float(feel))} of {FEEL_MAX}")
    else:
        parts.append("feel not given")
    tone = checkin.get("tone")
    if isinstance(tone, str) and tone:
        parts.append(one_line(tone))
    words = checkin.get("words")
    if isinstance(words, list) and words:
        parts.append(", ".join(one_line(str(w)) for w in words))
    return [f"{label}: " + " · ".join(parts)]


def _seconds_text(value: object, wording: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        text: str = wording(float(value))
        return text
    return None


def record_text(record: Mapping[str, Any]) -> str:
    """A session's whole record in plain words: every field, the answers, note and tags.

    User text (answers, notes, titles) is kept as written, for showing as plain text.

    Args:
        record: A session log record, as stored.
    """
    lines: list[str] = []
    started = record.get("started")
    ended = record.get("ended")
    when = when_text(started) if isinstance(started, str) else "an unknown time"
    if isinstance(ended, str):
        end = when_text(ended)
        when += f" to {end[11:] if end[:10] == when[:10] else end}"
    lines.append(when)
    title = record.get("title")
    practice = record.get("practice")
    name = one_line(title) if isinstance(title, str) and title else "(no title)"
    if isinstance(practice, str) and practice:
        name += f" ({one_line(practice)})"
    lines.append(name)
    completed = record.get("completed")
    status = (
        "Finished"
        if completed is True
        else "Ended early"
        if completed is False
        else "Not recorded how it ended"
    )
    practised = _seconds_text(record.get("practiced_seconds"), practised_text)
    planned = _seconds_text(record.get("planned_seconds"), about_minutes)
    timing = [status]
    if practised:
        timing.append(f"practised for {practised}")
    if planned:
        timing.append(f"planned {planned}")
    lines.append(" · ".join(timing))
    lines.append("")
    lines += _checkin_text("Before", record.get("before"))
    lines += _checkin_text("After", record.get("after"))
    after = record.get("after")
    felt = after.get("felt") if isinstance(after, Mapping) else None
    lines.append(
        f"How was that for you? {one_line(felt)}"
        if isinstance(felt, str) and felt
        else "How was that for you? not answered"
    )
    tags = record.get("tags")
    if isinstance(tags, list) and tags:
        lines.append("Context: " + ", ".join(one_line(str(t)) for t in tags))
    else:
        lines.append("Context: none marked")
    answers = record.get("answers")
    if isinstance(answers, list) and answers:
        lines += ["", "Answers"]
        for answer in answers:
            if not isinstance(answer, Mapping):
                continue
            step = answer.get("step")
            prompt = one_line(str(answer.get("prompt", "")))
            lines.append(f"  {step}. {prompt}" if isinstance(step, int) else f"  {prompt}")
            lines += ["     " + line for line in printable(str(answer.get("text", ""))).split("\n")]
    note = record.get("note")
    if isinstance(note, str) and note.strip():
        lines += ["", "Note"]
        lines += ["  " + line for line in printable(note).split("\n")]
    else:
        lines += ["", "Note: none"]
    others = [key for key in record if key not in KNOWN_FIELDS]
    if others:
        lines += ["", "Other fields, as stored"]
        for key in others:
            stored = json.dumps(record[key], ensure_ascii=False)
            lines.append(f"  {one_line(str(key))}: {one_line(stored)}")
    lines.append("")
    record_id = record.get("id")
    version = record.get("v")
    lines.append(f"Session id {one_line(str(record_id))} · record format {version}")
    return "\n".join(lines)


# The calendar -------------------------------------------------------------------------


def shift_month(first: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) ``first``'s."""
    count = first.year * 12 + first.month - 1 + months
    return date(count // 12, count % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class Month:
    """A month's calendar of days practised."""

    first: date
    weeks: list[list[tuple[int, bool] | None]]
    """Monday-first weeks of (day of the month, practised), ``None`` outside the month."""
    days_practised: int

    @property
    def title(self) -> str:
        """``March 2026``."""
        return f"{calendar.month_name[self.first.month]} {self.first.year}"

    def header(self) -> str:
        """The weekday names, over the day columns."""
        return "".join(f"{name:>3} " for name in WEEKDAYS).rstrip()

    def cell(self, day: tuple[int, bool] | None) -> str:
        """One day: ``  4•`` when practised, ``  4 `` when not, blank outside the month."""
        if day is None:
            return "    "
        number, practised = day
        return f"{number:>3}{PRACTISED if practised else ' '}"

    def lines(self) -> list[str]:
        """The calendar as plain text: the header, then a line per week."""
        return [self.header()] + ["".join(map(self.cell, week)).rstrip() for week in self.weeks]


def month_calendar(first: date, practised: Iterable[int]) -> Month:
    """The calendar of ``first``'s month with the days practised marked.

    Args:
        first: Any day of the month.
        practised: The days with a session, as proleptic ordinals.
    """
    first = first.replace(day=1)
    start = first.toordinal()
    end = shift_month(first, 1).toordinal()
    days = {d - start + 1 for d in practised if start <= d < end}
    weeks = [
        [(day, day in days) if day else None for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdayscalendar(first.year, first.month)
    ]
    return Month(first=first, weeks=weeks, days_practised=len(days))


def days_text(month: Month, today: date, practised: set[int]) -> list[str]:
    """Days practised in the month shown (and this week, in the current month)."""
    count = month.days_practised
    noun = "day" if count == 1 else "days"
    lines = [f"{PRACTISED} a day you practised", f"{count} {noun} in {month.title}"]
    if (month.first.year, month.first.month) == (today.year, today.month):
        monday, next_monday = week_of(today)
        week = sum(1 for d in practised if monday.toordinal() <= d < next_monday.toordinal())
        lines.append(f"This week: {week} {'day' if week == 1 else 'days'} practised")
    return lines


# The chart ----------------------------------------------------------------------------

CHART_HEADING = "How much you could feel, before and after"
CHART_SCALE = f"{FEEL_LOW} · {FEEL_HIGH}"


def bar(value: float) -> str:
    """A bar of ten cells for a 0-10 figure: full cells up to it, dots after."""
    if value != value:
        return " " * FEEL_MAX
    filled = min(max(round(value), 0), FEEL_MAX)
    return BAR_FULL * filled + BAR_EMPTY * (FEEL_MAX - filled)


def chart_rows(index: LogIndex, limit: int = CHART_SESSIONS) -> list[int]:
    """The newest ``limit`` sessions with a check-in figure before or after, newest first."""
    rows: list[int] = []
    before, after = index.before_feel, index.after_feel
    for row in index.rows:
        if before[row] == before[row] or after[row] == after[row]:
            rows.append(row)
            if len(rows) >= limit:
                break
    return rows


def chart_lines(index: LogIndex, rows: Sequence[int], width: int) -> list[str]:
    """The check-ins as two labelled bars a session, each with its figure, newest first.

    Args:
        index: The log's index.
        rows: The sessions to show (see :func:`chart_rows`).
        width: The width to fit; below 50 the time of day is left out.
    """
    if not rows:
        return ["No check-ins with a figure yet."]
    long = width >= 50
    label = 16 if long else 5
    pad = " " * (label + 2)
    lines = [f"{pad}{'before':<13}  after"]
    for row in rows:
        when = when_text(index.started[row])
        when = when if long else when[5:10]
        before, after = index.before_feel[row], index.after_feel[row]
        lines.append(
            f"{when:<{label}}  {bar(before)} {figure(before):>2}  {bar(after)} {figure(after):>2}"
        )
    return lines
