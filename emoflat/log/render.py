"""Everything emoflat shows about sessions, as plain text: dates in words (durations in
words are :mod:`.durations`), a history line, a whole record, a month's calendar, the
check-ins chart, CSV, JSON and the markdown summary. The command line and the TUI both
draw from here.

Pure: no I/O, no Rich, no Textual. The user's own entries are shown as given: before and
after side by side, never a difference, a trend or a score; days counted, never a streak.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import NamedTuple

from emoflat.log.durations import about_minutes, duration_text, short_minutes
from emoflat.log.figures import Figures, feel_summary, most_often_first, plain_number, week_of
from emoflat.log.record import FEEL_MAX, AfterCheckIn, CheckIn, Record, whole_number
from emoflat.log.store import Session
from emoflat.text import cell_width, fit, one_line, printable

NOT_GIVEN = "–"
PRACTISED = "•"
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
EMPTY = "No sessions yet. When you finish or end a practice, it is listed here."
#: From this width a session takes one line of the TUI's list; below it, two.
WIDE = 64
#: Counts listed in ``emoflat stats``' text (``--json`` lists them all).
MAX_COUNTS = 8

# --- text ----------------------------------------------------------------------------------


def figure(value: float | None) -> str:
    """A check-in figure as given (``4``, ``2.5``), or "–" when not given."""
    return NOT_GIVEN if value is None else str(plain_number(value))


def when_text(started: str) -> str:
    """``2026-03-04 10:00``: the local date and time the record wrote."""
    if len(started) >= 16 and started[10] in "T " and started[4] == "-" and started[13] == ":":
        return f"{started[:10]} {started[11:16]}"
    try:
        return datetime.fromisoformat(started).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return fit(one_line(started), 16)


def title_of(record: Record) -> str:
    """The practice's title as the record wrote it (its id, if there is no title)."""
    return one_line(record.title or record.practice or "(no title)")


# --- the history ---------------------------------------------------------------------------


def history_text(sessions: Sequence[Session], arrow: str = "→") -> str:
    """``emoflat history``: a line a session, titles lined up, e.g.
    ``2026-03-04 10:00  Noticing your hands  3 min  finished  feel 2 → 4  note``."""
    width = max(cell_width(title_of(s.record)) for s in sessions)
    lines = []
    for session in sessions:
        record = session.record
        title = title_of(record)
        parts = [
            title + " " * (width - cell_width(title)),
            short_minutes(record.practiced_seconds).rjust(7),
        ]
        if record.completed is not None:
            parts.append("finished   " if record.completed else "ended early")
        before, after = _feel(record.before), _feel(record.after)
        if before is not None and after is not None:
            parts.append(f"feel {figure(before)} {arrow} {figure(after)}")
        elif before is not None or after is not None:
            parts.append(
                f"feel {figure(before if after is None else after)} "
                + ("before" if after is None else "after")
            )
        if _has_note(record):
            parts.append("note")
        lines.append(f"{when_text(record.started)}  {'  '.join(parts).rstrip()}\n")
    return "".join(lines)


def session_lines(session: Session, width: int) -> list[str]:
    """One session of the TUI's list: one line when ``width`` >= :data:`WIDE`, else two."""
    record = session.record
    before, after = _feel(record.before), _feel(record.after)
    feel = "" if before is None and after is None else f"feel {figure(before)} → {figure(after)}"
    status = {True: "finished", False: "ended early", None: ""}[record.completed]
    minutes, note = short_minutes(record.practiced_seconds), "note" if _has_note(record) else ""
    when, title = when_text(record.started), title_of(record)
    if width >= WIDE:
        room = max(width - 59, 8)
        title = fit(title, room) + " " * (room - cell_width(fit(title, room)))
        line = f"{when}  {title}  {minutes:>6}  {status:<11}  {feel:<12}  {note}"
        return [fit(line.rstrip(), width)]
    first = "  ".join(p for p in (when, minutes, status) if p)
    rest = "  ".join(p for p in (feel, note) if p)
    room = width - 2 - (cell_width(rest) + 2 if rest else 0)
    return [
        fit(first, width),
        fit("  " + "  ".join(p for p in (fit(title, max(room, 8)), rest) if p), width),
    ]


def warnings_text(warnings: Sequence[str]) -> str:
    """One calm line about lines of the log that could not be read; "" when none."""
    if not warnings:
        return ""
    noun = "line of the log was" if len(warnings) == 1 else "lines of the log were"
    return (
        f"{len(warnings):,} {noun} not readable and left out; the files are unchanged "
        "(emoflat history names them)."
    )


def _feel(checkin: CheckIn | None) -> float | None:
    return None if checkin is None else checkin.feel


def _has_note(record: Record) -> bool:
    return bool(record.note and record.note.strip())


# --- a whole record ------------------------------------------------------------------------


def _checkin_line(label: str, checkin: CheckIn | None) -> str:
    if checkin is None:
        return f"{label}: no check-in"
    parts = [
        "feel not given" if checkin.feel is None else f"feel {figure(checkin.feel)} of {FEEL_MAX}"
    ]
    if checkin.tone:
        parts.append(one_line(checkin.tone))
    if checkin.words:
        parts.append(", ".join(one_line(w) for w in checkin.words))
    return f"{label}: " + " · ".join(parts)


def record_text(session: Session) -> str:
    """A session's whole record in plain words: every field, the answers, note and tags,
    and any fields this version does not know, as stored."""
    record = session.record
    when = when_text(record.started)
    if record.ended is not None:
        end = when_text(record.ended)
        when += f" to {end[11:] if end[:10] == when[:10] else end}"
    name = title_of(record) + (f" ({one_line(record.practice)})" if record.practice else "")
    timing = [
        {True: "Finished", False: "Ended early", None: "Not recorded how it ended"}[
            record.completed
        ]
    ]
    if record.practiced_seconds is not None:
        timing.append(f"practised for {duration_text(record.practiced_seconds)}")
    if record.planned_seconds is not None:
        timing.append(f"planned {about_minutes(record.planned_seconds)}")
    felt = record.after.felt if record.after is not None else None
    lines = [
        when,
        name,
        " · ".join(timing),
        "",
        _checkin_line("Before", record.before),
        _checkin_line("After", record.after),
        f"How was that for you? {one_line(felt) if felt else 'not answered'}",
        "Context: " + (", ".join(one_line(t) for t in record.tags) or "none marked"),
    ]
    if record.answers:
        lines += ["", "Answers"]
        for answer in record.answers:
            lines.append(f"  {answer.step}. {one_line(answer.prompt)}")
            lines += ["     " + line for line in printable(answer.text).split("\n")]
    if _has_note(record):
        lines += ["", "Note", *("  " + line for line in printable(record.note or "").split("\n"))]
    else:
        lines += ["", "Note: none"]
    others = _other_fields(session.line)
    if others:
        lines += ["", "Other fields, as stored", *others]
    lines += ["", f"Session id {one_line(record.id)}"]
    return "\n".join(lines)


def _other_fields(line: bytes, fresh_stack: bool = False) -> list[str]:
    """The stored fields this version does not know, a line each. How deep JSON may nest
    depends on how deep the caller is (a TUI handler is), so a line too deep for this stack
    is read again on a fresh one."""
    import json

    try:
        stored = json.loads(line, parse_int=whole_number)
        return [
            f"  {one_line(key)}: {one_line(json.dumps(value, ensure_ascii=False))}"
            for key, value in stored.items()
            if key not in Record.__struct_fields__
        ]
    except RecursionError:
        if fresh_stack:
            return ["  (nested too deeply to show)"]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            return pool.submit(_other_fields, line, True).result()


# --- the calendar and the chart ------------------------------------------------------------


def shift_month(first: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) ``first``'s."""
    count = first.year * 12 + first.month - 1 + months
    return date(count // 12, count % 12 + 1, 1)


class MonthCalendar(NamedTuple):
    """A month's calendar of days practised."""

    first: date
    weeks: list[list[tuple[int, bool] | None]]
    """Weeks of (day of the month, practised), ``None`` outside the month."""
    days_practised: int
    first_weekday: int = 0
    """The day each week starts on, 0 = Monday."""

    @property
    def title(self) -> str:
        """``March 2026``."""
        return f"{MONTHS[self.first.month]} {self.first.year}"

    def header(self) -> str:
        """The weekday names, over the day columns."""
        names = WEEKDAYS[self.first_weekday :] + WEEKDAYS[: self.first_weekday]
        return "".join(f"{name:>3} " for name in names).rstrip()

    def cell(self, day: tuple[int, bool] | None) -> str:
        """One day: ``  4•`` when practised, ``  4 `` when not, blank outside the month."""
        return "    " if day is None else f"{day[0]:>3}{PRACTISED if day[1] else ' '}"

    def lines(self) -> list[str]:
        """The calendar as plain text: the header, then a line per week."""
        return [self.header()] + ["".join(map(self.cell, week)).rstrip() for week in self.weeks]


def month_calendar(first: date, practised: Iterable[int], first_weekday: int = 0) -> MonthCalendar:
    """The calendar of ``first``'s month with the days practised (ordinals) marked, its
    weeks starting on ``first_weekday`` (0 = Monday)."""
    first = first.replace(day=1)
    start, end = first.toordinal(), shift_month(first, 1).toordinal()
    days = {d - start + 1 for d in practised if start <= d < end}
    import calendar

    weeks = [
        [(day, day in days) if day else None for day in week]
        for week in calendar.Calendar(first_weekday).monthdayscalendar(first.year, first.month)
    ]
    return MonthCalendar(first, weeks, len(days), first_weekday)


def days_practised_text(count: int) -> str:
    """ "No days practised", "1 day practised", "3 days practised": never a bare zero."""
    if count == 0:
        return "No days practised"
    return f"{count} {'day' if count == 1 else 'days'} practised"


def calendar_days_lines(month: MonthCalendar, today: date, practised: set[int]) -> list[str]:
    """Days practised in the month shown (and this week, in the current month)."""
    count = month.days_practised
    lines = [
        f"{PRACTISED} a day you practised",
        f"{days_practised_text(count)} in {month.title}",
    ]
    if (month.first.year, month.first.month) == (today.year, today.month):
        start, end = week_of(today, month.first_weekday)
        week = sum(1 for d in practised if start.toordinal() <= d < end.toordinal())
        lines.append(f"This week: {days_practised_text(week).lower()}")
    return lines


def chart_sessions(sessions: Iterable[Session], limit: int = 30) -> list[Session]:
    """The newest ``limit`` sessions with a check-in figure before or after."""
    found = []
    for session in sessions:
        if _feel(session.record.before) is not None or _feel(session.record.after) is not None:
            found.append(session)
            if len(found) >= limit:
                break
    return found


def _bar(value: float | None) -> str:
    if value is None:
        return " " * FEEL_MAX
    filled = min(max(round(value), 0), FEEL_MAX)
    return "█" * filled + "·" * (FEEL_MAX - filled)


def chart_lines(sessions: Sequence[Session], width: int) -> list[str]:
    """The check-ins as two bars a session, each with its figure; below 50 cells wide the
    time of day is left out."""
    if not sessions:
        return ["No check-ins with a figure yet."]
    label = 16 if width >= 50 else 5
    lines = [f"{' ' * (label + 2)}{'before':<13}  after"]
    for session in sessions:
        when = when_text(session.record.started)
        when = when if width >= 50 else when[5:10]
        before, after = _feel(session.record.before), _feel(session.record.after)
        lines.append(
            f"{when:<{label}}  {_bar(before)} {figure(before):>2}  {_bar(after)} {figure(after):>2}"
        )
    return lines


# --- CSV and JSON --------------------------------------------------------------------------

#: The columns of ``history --csv`` and ``export --format csv``, in order: a stable contract.
CSV_COLUMNS = (
    "id", "started", "ended", "practice", "title", "planned_seconds", "practiced_seconds",
    "completed", "before_feel", "before_tone", "before_words", "after_feel", "after_tone",
    "after_words", "felt", "tags", "answers_count", "note",
)  # fmt: skip
# A cell starting with one of these may run as a formula in a spreadsheet (OWASP, "CSV
# Injection"); a line feed is added as it can hide the same.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: object) -> str:
    """A value as a CSV cell a spreadsheet shows as text, never runs as a formula: a quote
    goes before ``= + - @``, a tab, a carriage return or a line feed at the start."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, tuple | list):
        text = "; ".join(map(str, value))
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_row(record: Record) -> list[str]:
    """One record as a row of :data:`CSV_COLUMNS`."""
    before, after = record.before or CheckIn(), record.after or AfterCheckIn()
    values = (
        record.id, record.started, record.ended, record.practice, record.title,
        record.planned_seconds, record.practiced_seconds, record.completed,
        before.feel, before.tone, before.words, after.feel, after.tone, after.words,
        after.felt, record.tags, len(record.answers), record.note,
    )  # fmt: skip
    return [csv_cell(value) for value in values]


def csv_text(sessions: Iterable[Session]) -> str:
    """The sessions as CSV: a header row of :data:`CSV_COLUMNS`, CRLF line ends."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(session.record) for session in sessions)
    return buffer.getvalue()


def json_parts(lines: Sequence[bytes], opening: bytes, closing: bytes) -> Iterator[bytes]:
    """The records exactly as stored, as a JSON array between the two ends, in parts."""
    yield opening
    for start in range(0, len(lines), 4096):
        yield b"\n" if start == 0 else b",\n"
        yield b",\n".join(lines[start : start + 4096])
    yield b"\n" + closing if lines else closing


# --- stats and the markdown summary --------------------------------------------------------


def _feel_range(values: list[float], dash: str) -> tuple[int, str, str]:
    summary = feel_summary(values)
    if summary.lowest is None or summary.highest is None or summary.median is None:
        return 0, NOT_GIVEN, NOT_GIVEN
    low, high = figure(summary.lowest), figure(summary.highest)
    return summary.checkins, low if low == high else f"{low}{dash}{high}", figure(summary.median)


def stats_lines(figures: Figures, dash: str = "–") -> list[str]:
    """``emoflat stats``' text: plain figures, before and after check-ins side by side."""
    lines = [
        f"Sessions: {figures.sessions:,} ({figures.finished:,} finished, "
        f"{figures.ended_early:,} ended early)",
        f"Minutes practised: {round(figures.seconds / 60):,}",
        f"Days practised: {figures.days_this_week()} this week, "
        f"{figures.days_this_month} this month",
        "",
        "How much you could feel, from 0 (nothing) to 10 (as vividly as you ever do):",
    ]
    for label, values in (
        ("before a practice, all time", figures.feel["before"]),
        ("before a practice, last 30 days", figures.feel_recent["before"]),
        ("after a practice, all time", figures.feel["after"]),
        ("after a practice, last 30 days", figures.feel_recent["after"]),
    ):
        count, span, median = _feel_range(values, dash)
        text = f"{count:,} check-in{'' if count == 1 else 's'}, range {span}, median {median}"
        lines.append(f"  {(label + ':').ljust(32)} {text if count else 'no check-ins'}")
    counted = [
        (label, most_often_first(counts))
        for label, counts in (
            ("Tones chosen before", figures.tones["before"]),
            ("Tones chosen after", figures.tones["after"]),
            ("Words chosen before", figures.words["before"]),
            ("Words chosen after", figures.words["after"]),
            ("How it was for you", figures.felt),
            ("Context tags", figures.tags),
        )
        if counts
    ]
    lines += [""] if counted else []
    for label, counts in counted:
        text = ", ".join(f"{one_line(name)} {count:,}" for name, count in counts[:MAX_COUNTS])
        more = len(counts) - MAX_COUNTS
        lines.append(f"{label}: {text}" + (f", and {more} more" if more > 0 else ""))
    return lines


_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&#])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+(?=[.)]))")
FOOTER = (
    "emoflat is a practice companion for short guided practices. This summary lists "
    "what was entered in it, as entered; it is not a medical record or an assessment, "
    "and nothing in it is a score."
)


def md_inline(text: str) -> str:
    """Text on one line, escaped so markdown shows every character as written."""
    return _MD_INLINE.sub(r"\\\1", one_line(text))


def md_quote(text: str) -> list[str]:
    """Text as a block quote, escaped, its line breaks kept (two spaces end a line)."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    quoted = []
    for number, line in enumerate(lines, start=1):
        if not line:
            quoted.append(">")
            continue
        escaped = _MD_LINE_START.sub(
            lambda m: f"{m[1]}{m[2]}\\" if m[2].isdigit() else f"{m[1]}\\{m[2]}",
            _MD_INLINE.sub(r"\\\1", line),
        )
        quoted.append(f"> {escaped}" + ("  " if number < len(lines) else ""))
    return quoted


def markdown_summary(
    figures: Figures, noted: Sequence[Session], now: datetime, *, include_notes: bool = False
) -> str:
    """A summary of the log in markdown to bring to an MS team: the period, sessions and
    minutes, days practised and check-ins per month, practices and context tags; with
    ``include_notes``, the answers and notes of ``noted`` (oldest first)."""
    out = ["# Practice summary from emoflat", ""]
    if figures.first_day is None or figures.last_day is None:
        return "\n".join([*out, "No sessions in the log yet.", "", "---", "", FOOTER, ""])
    out += [
        f"- Period: {figures.first_day.isoformat()} to {figures.last_day.isoformat()}",
        f"- Made on: {now.date().isoformat()}",
        f"- Sessions: {figures.sessions:,} ({figures.finished:,} finished, "
        f"{figures.ended_early:,} ended early)",
        f"- Minutes practised: {round(figures.seconds / 60):,}",
        "",
        "## Practice days per month",
        "",
        "| Month | Days practised | Sessions | Minutes |",
        "|---|---:|---:|---:|",
    ]
    months = figures.months()
    for month in months:
        out.append(
            f"| {MONTHS[month.first.month]} {month.first.year} | {month.days} "
            f"| {month.sessions:,} | {round(month.seconds / 60):,} |"
        )
    out += [
        "",
        "## Check-ins: how much could I feel?",
        "",
        "Before and after a practice: “Right now, how much can you feel — anything at all,",
        "pleasant or unpleasant?”, from 0 (nothing, completely flat) to 10 (as vividly as I",
        "ever do). Each month shows how many check-ins gave a number, their range and their",
        "median, as entered. Check-ins are optional, so some sessions have none.",
        "",
        "| Month | Before: check-ins | Before: range | Before: median "
        "| After: check-ins | After: range | After: median |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for month in months:
        cells = (*_feel_range(month.feel_before, "–"), *_feel_range(month.feel_after, "–"))
        out.append(
            f"| {MONTHS[month.first.month]} {month.first.year} | "
            + " | ".join(map(str, cells))
            + " |"
        )
    out += ["", "## Practices used", "", "| Practice | Sessions | Minutes |", "|---|---:|---:|"]
    for title, sessions, seconds in figures.practices_used():
        out.append(f"| {md_inline(title)} | {sessions:,} | {round(seconds / 60):,} |")
    out.append("")
    if figures.tags:
        out += ["## Context tags", "", "| Tag | Sessions |", "|---|---:|"]
        out += [
            f"| {md_inline(tag)} | {count:,} |" for tag, count in most_often_first(figures.tags)
        ]
        out.append("")
    if include_notes:
        out += ["## Answers and notes", ""]
        for session in noted:
            record = session.record
            out += [f"### {when_text(record.started)}, {md_inline(title_of(record))}", ""]
            for answer in record.answers:
                if answer.prompt.strip():
                    out += [f"*{md_inline(answer.prompt)}*", ""]
                if answer.text.strip():
                    out += [*md_quote(answer.text), ""]
            if _has_note(record):
                out += ["Note:", "", *md_quote(record.note or ""), ""]
        if not noted:
            out += ["No answers or notes were written.", ""]
    return "\n".join([*out, "---", "", FOOTER, ""])


def has_words(session: Session) -> bool:
    """Whether the session holds answers or a note (the markdown summary's notes part)."""
    return bool(session.record.answers) or _has_note(session.record)
