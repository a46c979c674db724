"""The session log on the command line: ``emoflat history``, ``stats``, ``export``, ``forget``.

Each ``run_*`` function is one command: it writes the output to stdout, the log's warnings
(lines skipped, naming file and line) to stderr, returns the exit code, and raises an
:class:`~emoflat.errors.EmoflatError` for the CLI to print as one line. The log is read
through :func:`emoflat.sessionlog.read_index`, so a large log answers quickly.

The user's entries are shown as they were entered: before and after check-ins side by
side, never as a difference, an improvement or a score; days practised are counted,
never as a streak. No Textual or Rich here, and nothing touches the network.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from emoflat import paths, stats
from emoflat.errors import DataError, EmoflatError, UsageError
from emoflat.logindex import LogIndex, index_cache_file, read_index
from emoflat.sessionlog import delete_log_file

__all__ = [
    "CSV_COLUMNS",
    "EXPORT_FORMATS",
    "FORGET_WORD",
    "HISTORY_OUTPUTS",
    "OutputExistsError",
    "csv_cell",
    "csv_row",
    "history_line",
    "markdown_summary",
    "parse_since",
    "run_export",
    "run_forget",
    "run_history",
    "run_stats",
    "stats_lines",
    "write_private_file",
]

PROG = "emoflat"

#: The columns of ``history --csv`` and ``export --format csv``, in order. A stable contract.
CSV_COLUMNS = (
    "id",
    "started",
    "ended",
    "practice",
    "title",
    "planned_seconds",
    "practiced_seconds",
    "completed",
    "before_feel",
    "before_tone",
    "before_words",
    "after_feel",
    "after_tone",
    "after_words",
    "felt",
    "tags",
    "answers_count",
    "note",
)

#: The outputs of ``emoflat history`` and the formats of ``emoflat export``.
HISTORY_OUTPUTS = ("text", "json", "csv")
EXPORT_FORMATS = ("csv", "json", "markdown")

#: What ``emoflat forget`` asks the user to type to confirm.
FORGET_WORD = "forget"

#: Records joined into one part of ``history --json`` and ``export --format json``.
_JSON_CHUNK = 4096

#: Warnings printed before "... and N more".
MAX_WARNINGS = 10
#: Tones, words and tags listed in ``emoflat stats``' text (``--json`` lists them all).
MAX_COUNTS = 8

# A cell starting with one of these may run as a formula in a spreadsheet (OWASP, "CSV
# Injection"); a line feed is added as it can hide the same.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_FOOTER = (
    "emoflat is a practice companion for short guided practices. This summary lists "
    "what was entered in it, as entered; it is not a medical record or an assessment, "
    "and nothing in it is a score."
)


class OutputExistsError(EmoflatError):
    """The file to export to already exists and ``--force`` was not given."""

    exit_code = 1


# --- history ---------------------------------------------------------------------------


def parse_since(text: str) -> date:
    """``--since``'s value: a date written YYYY-MM-DD.

    Raises:
        argparse.ArgumentTypeError: Not such a date (argparse makes it a usage error).
    """
    if not _DATE.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"expected a date written YYYY-MM-DD, like 2026-03-01, not {text!r}"
        )
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"there is no date {text} in the calendar") from None


def run_history(output: str = "text", since: date | None = None) -> int:
    """``emoflat history``: past sessions, newest first.

    Args:
        output: ``text`` (one line per session), ``json`` (an array of the records as
            stored) or ``csv`` (one row per session, :data:`CSV_COLUMNS`).
        since: Only sessions on or after this date (the local date the record wrote).

    Returns:
        The exit code, 0.

    Raises:
        UsageError: ``output`` is none of the three.
        LogReadError: The log folder cannot be listed.
    """
    _check_choice("output", output, HISTORY_OUTPUTS)
    index = read_index(text=output != "text")
    _print_warnings(index.warnings)
    rows = index.rows
    if since is not None:
        first = since.toordinal()
        day = index.day
        rows = [row for row in rows if day[row] >= first]
    if output == "json":
        _write_parts(_json_parts(index, rows, b"[", b"]\n"))
    elif output == "csv":
        _write_bytes(csv_bytes(index, rows))
    elif not rows:
        print(
            "No sessions yet." if since is None or not index.rows else f"No sessions since {since}."
        )
    else:
        _write_text(_history_text(index, rows))
    return 0


def _json_parts(
    index: LogIndex, rows: Sequence[int], opening: bytes, closing: bytes
) -> Iterator[bytes]:
    """The rows' records exactly as stored, as a JSON array between the two ends, in parts.

    Each line was parsed when it was indexed, so it is passed on as it is: no parsing and
    serialising again, which would take seconds for a large log. Parts of a few thousand
    records keep the memory used small.
    """
    yield opening
    for start in range(0, len(rows), _JSON_CHUNK):
        yield b"\n" if start == 0 else b",\n"
        yield b",\n".join(index.lines(rows[start : start + _JSON_CHUNK]))
    yield b"\n" + closing if rows else closing


def _history_text(index: LogIndex, rows: Sequence[int]) -> str:
    arrow = "→" if _can_print("→") else "->"
    titles = {code: _title(index.values[code]) for code in {index.practice[row] for row in rows}}
    width = max(len(title) for title in titles.values())
    started, practice, practiced = index.started, index.practice, index.practiced
    completed, before, after, note = (
        index.completed,
        index.before_feel,
        index.after_feel,
        index.note,
    )
    # Many sessions share everything but their start, so the rest of the line is made once
    # per kind of session. NaN (not given) becomes None: NaN never equals itself as a key.
    details: dict[tuple[Any, ...], str] = {}
    lines = []
    for row in rows:
        seconds, feel_before, feel_after = practiced[row], before[row], after[row]
        key = (
            practice[row],
            seconds if seconds == seconds else None,
            completed[row],
            feel_before if feel_before == feel_before else None,
            feel_after if feel_after == feel_after else None,
            note[row],
        )
        rest = details.get(key)
        if rest is None:
            title = titles[practice[row]].ljust(width)
            rest = details[key] = _details(title, seconds, *key[2:], arrow=arrow)
        lines.append(f"{_when(started[row])}  {rest}\n")
    return "".join(lines)


def _title(pair: tuple[str | None, str | None]) -> str:
    practice_id, title = pair
    return _one_line(title or practice_id or "(no title)")


def history_line(index: LogIndex, row: int, *, width: int = 0, arrow: str = "→") -> str:
    """One session as a line of ``emoflat history``.

    For example ``2026-03-04 10:00  Noticing your hands  3 min  finished  feel 2 → 4  note``:
    the local date and time the record wrote, the title, the minutes practised, whether it
    finished or ended early, the check-ins' "how much can you feel" as entered (never a
    difference), and whether there is a note.

    Args:
        index: The log's index.
        row: The session's row.
        width: Pad the title to this width, to line sessions up.
        arrow: What stands between the before and after check-ins.
    """
    before, after = index.before_feel[row], index.after_feel[row]
    rest = _details(
        _title(index.practice_of(row)).ljust(width),
        index.practiced[row],
        index.completed[row],
        before if before == before else None,
        after if after == after else None,
        index.note[row],
        arrow=arrow,
    )
    return f"{_when(index.started[row])}  {rest}"


def _details(
    title: str,
    seconds: float,
    completed: int,
    before: float | None,
    after: float | None,
    note: int,
    *,
    arrow: str,
) -> str:
    parts = [title, _minutes(seconds)]
    if completed >= 0:
        parts.append("finished   " if completed else "ended early")
    if before is not None and after is not None:
        parts.append(f"feel {_figure(before)} {arrow} {_figure(after)}")
    elif before is not None:
        parts.append(f"feel {_figure(before)} before")
    elif after is not None:
        parts.append(f"feel {_figure(after)} after")
    if note:
        parts.append("note")
    return "  ".join(parts).rstrip()


def _when(started: str) -> str:
    # "2026-03-04T10:00:00+01:00" -> "2026-03-04 10:00", the time the record wrote.
    if len(started) >= 16 and started[10] in "T " and started[4] == "-" and started[13] == ":":
        return f"{started[:10]} {started[11:16]}"
    try:
        return datetime.fromisoformat(started).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return _one_line(started)


def _minutes(seconds: float) -> str:
    if seconds != seconds:  # NaN: not recorded
        return "  ? min"
    if seconds < 60:
        return " <1 min"
    return f"{int(seconds / 60 + 0.5):>3} min"


def _figure(value: float) -> str:
    return str(stats.plain_number(value))


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- CSV -------------------------------------------------------------------------------


def csv_cell(value: Any) -> str:
    """A value as a CSV cell that a spreadsheet shows as text, never runs as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line
    feed gets a single quote in front (OWASP's advice on CSV injection). Lists of texts
    become ``a; b``; true and false become ``true`` and ``false``; None an empty cell.
    """
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = value
    elif isinstance(value, int | float):
        text = str(value)
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        text = "; ".join(value)
    else:
        text = json.dumps(value, ensure_ascii=False)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_row(record: dict[str, Any]) -> list[str]:
    """One record as a row of :data:`CSV_COLUMNS`; missing or odd fields are tolerated."""
    before = record.get("before")
    after = record.get("after")
    if not isinstance(before, dict):
        before = {}
    if not isinstance(after, dict):
        after = {}
    answers = record.get("answers")
    values = (
        record.get("id"),
        record.get("started"),
        record.get("ended"),
        record.get("practice"),
        record.get("title"),
        record.get("planned_seconds"),
        record.get("practiced_seconds"),
        record.get("completed"),
        before.get("feel"),
        before.get("tone"),
        before.get("words"),
        after.get("feel"),
        after.get("tone"),
        after.get("words"),
        after.get("felt"),
        record.get("tags"),
        len(answers) if isinstance(answers, list) else 0,
        record.get("note"),
    )
    return [csv_cell(value) for value in values]


def csv_bytes(index: LogIndex, rows: Sequence[int]) -> bytes:
    """The rows as CSV (UTF-8, a header row of :data:`CSV_COLUMNS`, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(_record_or_brief(index, row)) for row in rows)
    return buffer.getvalue().encode("utf-8")


def _record_or_brief(index: LogIndex, row: int) -> dict[str, Any]:
    """The row's record; when its line cannot be read whole (nested far too deeply by a
    hand edit), what the index knows of it, with a warning."""
    try:
        return index.record(row)
    except ValueError as exc:
        print(
            f"{PROG}: {index.ids[row]}: {exc}; only its date and id are exported", file=sys.stderr
        )
        return {"id": index.ids[row], "started": index.started[row]}


# --- stats -----------------------------------------------------------------------------


def run_stats(as_json: bool = False, today: date | None = None) -> int:
    """``emoflat stats``: totals, days practised, check-in ranges, what was chosen.

    Args:
        as_json: Print the figures as one JSON object (see :meth:`stats.LogStats.to_json`).
        today: The local date to count this week and month from (default: today).

    Returns:
        The exit code, 0.
    """
    index = read_index()
    _print_warnings(index.warnings)
    figures = stats.log_stats(index, today or _today())
    if as_json:
        _write_bytes(json.dumps(figures.to_json(), ensure_ascii=False, indent=2).encode() + b"\n")
    elif not figures.sessions:
        print("No sessions yet.")
    else:
        _write_text("\n".join(stats_lines(figures)) + "\n")
    return 0


def stats_lines(figures: stats.LogStats) -> list[str]:
    """``emoflat stats``' text: plain figures, before and after check-ins side by side."""
    dash = "–" if _can_print("–") else "-"
    lines = [
        f"Sessions: {figures.sessions:,} ({figures.finished:,} finished, "
        f"{figures.ended_early:,} ended early)",
        f"Minutes practised: {round(figures.minutes_practised):,}",
        f"Days practised: {figures.days_this_week} this week, {figures.days_this_month} this month",
        "",
        "How much you could feel, from 0 (nothing) to 10 (as vividly as you ever do):",
    ]
    checkins = (
        ("before a practice, all time", figures.feel_before),
        ("before a practice, last 30 days", figures.feel_before_recent),
        ("after a practice, all time", figures.feel_after),
        ("after a practice, last 30 days", figures.feel_after_recent),
    )
    width = max(len(label) for label, _ in checkins) + 1
    for label, summary in checkins:
        lines.append(f"  {(label + ':').ljust(width)} {_feel_text(summary, dash)}")
    counted = (
        ("Tones chosen before", figures.tones_before),
        ("Tones chosen after", figures.tones_after),
        ("Words chosen before", figures.words_before),
        ("Words chosen after", figures.words_after),
        ("How it was for you", figures.felt),
        ("Context tags", figures.tags),
    )
    shown = [(label, counts) for label, counts in counted if counts]
    if shown:
        lines.append("")
    for label, counts in shown:
        lines.append(f"{label}: {_counts_text(counts)}")
    return lines


def _feel_text(summary: stats.FeelSummary, dash: str) -> str:
    if not summary.checkins:
        return "no check-ins"
    assert summary.lowest is not None and summary.highest is not None
    assert summary.median is not None
    noun = "check-in" if summary.checkins == 1 else "check-ins"
    low, high = _figure(summary.lowest), _figure(summary.highest)
    span = low if low == high else f"{low}{dash}{high}"
    return f"{summary.checkins:,} {noun}, range {span}, median {_figure(summary.median)}"


def _counts_text(counts: Sequence[tuple[str, int]]) -> str:
    text = ", ".join(f"{_one_line(name)} {count:,}" for name, count in counts[:MAX_COUNTS])
    if len(counts) > MAX_COUNTS:
        text += f", and {len(counts) - MAX_COUNTS} more"
    return text


# --- export ----------------------------------------------------------------------------


def run_export(
    output_format: str,
    output: Path | None = None,
    *,
    force: bool = False,
    include_notes: bool = False,
    now: datetime | None = None,
) -> int:
    """``emoflat export``: everything in the log, as CSV, JSON or a markdown summary.

    Args:
        output_format: ``csv`` (as ``history --csv``), ``json`` (``{"exported": time,
            "sessions": [records as stored]}``) or ``markdown`` (a summary to bring to an
            MS nurse or neurologist).
        output: Write to this file (created 0600) instead of stdout.
        force: Replace ``output`` if it exists.
        include_notes: Put the answers to prompts and the notes into the markdown
            summary (JSON and CSV always hold everything).
        now: The export's time (default: now, local).

    Returns:
        The exit code, 0.

    Raises:
        UsageError: ``output_format`` is none of the three.
        OutputExistsError: ``output`` exists and ``force`` is false.
        EmoflatError: ``output`` could not be written, or is a file of the session log.
    """
    _check_choice("format", output_format, EXPORT_FORMATS)
    if output is not None and _is_log_file(output):
        raise EmoflatError(f"{output} is part of your session log; export to another file")
    now = now or datetime.now().astimezone().replace(microsecond=0)
    index = read_index(text=output_format != "markdown" or include_notes)
    _print_warnings(index.warnings)
    if output_format == "json":
        opening = b'{"exported": ' + json.dumps(now.isoformat()).encode() + b', "sessions": ['
        parts = _json_parts(index, index.rows, opening, b"]}\n")
    elif output_format == "csv":
        parts = iter([csv_bytes(index, index.rows)])
    else:
        parts = iter([markdown_summary(index, now, include_notes=include_notes).encode("utf-8")])
    if output is None:
        _write_parts(parts)
    else:
        write_private_file(output, parts, force=force)
        sessions = len(index)
        noun = "session" if sessions == 1 else "sessions"
        print(f"Exported {sessions:,} {noun} to {output}", file=sys.stderr)
    return 0


def markdown_summary(index: LogIndex, now: datetime, *, include_notes: bool = False) -> str:
    """A readable summary of the log in markdown, for the user to bring to their MS team.

    The period covered, sessions and minutes, days practised per month, the check-ins'
    ranges per month (before and after side by side, as entered), the practices used and
    the context tags. The answers to prompts and the notes only with ``include_notes``.
    Text the user or a practice file wrote is escaped, so it shows as written.

    Args:
        index: The log's index (read with ``text=True`` when ``include_notes``).
        now: When the summary is made.
        include_notes: Add every answer and note, oldest first.
    """
    oldest_first = index.rows[::-1]
    figures = stats.log_stats(index, now.date())
    out = ["# Practice summary from emoflat", ""]
    if figures.first_day is None or figures.last_day is None:
        out += ["No sessions in the log yet.", ""]
    else:
        out += [
            f"- Period: {figures.first_day.isoformat()} to {figures.last_day.isoformat()}",
            f"- Made on: {now.date().isoformat()}",
            f"- Sessions: {figures.sessions:,} ({figures.finished:,} finished, "
            f"{figures.ended_early:,} ended early)",
            f"- Minutes practised: {round(figures.minutes_practised):,}",
            "",
        ]
        out += _markdown_months(index, oldest_first)
        out += _markdown_practices(index, index.rows)
        out += _markdown_tags(figures.tags)
        if include_notes:
            out += _markdown_notes(index, oldest_first)
    out += ["---", "", _FOOTER, ""]
    return "\n".join(out)


def _month_name(first: date) -> str:
    return f"{_MONTHS[first.month - 1]} {first.year}"


def _range_text(summary: stats.FeelSummary) -> tuple[str, str, str]:
    if not summary.checkins:
        return "0", "–", "–"
    assert summary.lowest is not None and summary.highest is not None
    assert summary.median is not None
    low, high = _figure(summary.lowest), _figure(summary.highest)
    return str(summary.checkins), low if low == high else f"{low}–{high}", _figure(summary.median)


def _markdown_months(index: LogIndex, rows: Sequence[int]) -> list[str]:
    months = stats.by_month(index, rows)
    out = [
        "## Practice days per month",
        "",
        "| Month | Days practised | Sessions | Minutes |",
        "|---|---:|---:|---:|",
    ]
    for month in months:
        out.append(
            f"| {_month_name(month.month)} | {month.days_practised} | {month.sessions:,} "
            f"| {round(month.seconds_practised / 60):,} |"
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
        cells = (*_range_text(month.feel_before), *_range_text(month.feel_after))
        out.append(f"| {_month_name(month.month)} | " + " | ".join(cells) + " |")
    out.append("")
    return out


def _markdown_practices(index: LogIndex, rows: Sequence[int]) -> list[str]:
    # Newest first, so each practice shows under its newest title.
    out = ["## Practices used", "", "| Practice | Sessions | Minutes |", "|---|---:|---:|"]
    for title, sessions, seconds in stats.practices_used(index, rows):
        out.append(f"| {_md_inline(title)} | {sessions:,} | {round(seconds / 60):,} |")
    out.append("")
    return out


def _markdown_tags(tags: Sequence[tuple[str, int]]) -> list[str]:
    if not tags:
        return []
    out = ["## Context tags", "", "| Tag | Sessions |", "|---|---:|"]
    out += [f"| {_md_inline(tag)} | {count:,} |" for tag, count in tags]
    out.append("")
    return out


def _markdown_notes(index: LogIndex, rows: Sequence[int]) -> list[str]:
    out = ["## Answers and notes", ""]
    written = False
    for row in rows:
        if not (index.answers[row] or index.note[row]):
            continue
        record = _record_or_brief(index, row)
        title = _title(index.practice_of(row))
        out += [f"### {_when(index.started[row])}, {_md_inline(title)}", ""]
        answers = record.get("answers")
        for answer in answers if isinstance(answers, list) else []:
            if not isinstance(answer, dict):
                continue
            prompt, text = answer.get("prompt"), answer.get("text")
            if isinstance(prompt, str) and prompt.strip():
                out += [f"*{_md_inline(prompt)}*", ""]
            if isinstance(text, str) and text.strip():
                out += [*_md_quote(text), ""]
        note = record.get("note")
        if isinstance(note, str) and note.strip():
            out += ["Note:", "", *_md_quote(note), ""]
        written = True
    if not written:
        out += ["No answers or notes were written.", ""]
    return out


# Characters markdown may act on anywhere in a line; "\\1" puts a backslash before them.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&#])")
# What starts a heading, a list, a quote, a rule or a setext underline at a line's start.
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+(?=[.)]))")


def _md_inline(text: str) -> str:
    """Text on one line, escaped so markdown shows every character as written."""
    return _MD_INLINE.sub(r"\\\1", _one_line(text))


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    if marker.isdigit():  # "1." or "1)": the backslash goes before the dot or bracket
        return f"{indent}{marker}\\"
    return f"{indent}\\{marker}"


def _md_quote(text: str) -> list[str]:
    """Text as a block quote, escaped, its line breaks kept (two spaces end a line)."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    quoted = []
    for number, line in enumerate(lines, start=1):
        if not line:
            quoted.append(">")
            continue
        escaped = _MD_LINE_START.sub(_escape_line_start, _MD_INLINE.sub(r"\\\1", line))
        quoted.append(f"> {escaped}" + ("  " if number < len(lines) else ""))
    return quoted


# --- forget ----------------------------------------------------------------------------


def run_forget(yes: bool = False, *, stdin: TextIO | None = None) -> int:
    """``emoflat forget``: delete the session log, after a typed confirmation.

    Deletes every ``*.jsonl`` in the session log folder, the unsaved sessions kept in the
    config folder's ``unsaved/`` and the log's index cache. Practices and settings stay.
    Without ``yes`` it shows what will be deleted and asks the user to type
    :data:`FORGET_WORD`; anything else deletes nothing.

    Args:
        yes: Delete without asking (for scripts).
        stdin: Where the answer is read (default: ``sys.stdin``).

    Returns:
        The exit code: 0, also when the user cancels.

    Raises:
        UsageError: Not ``yes`` and stdin is not a terminal.
        DataError: Some files could not be deleted (the rest were).
    """
    stdin = sys.stdin if stdin is None else stdin
    if not yes and (stdin is None or not stdin.isatty()):
        raise UsageError(
            f"forget asks you to type '{FORGET_WORD}' to confirm, and there is no terminal "
            "to type it in; to delete without asking, run: emoflat forget --yes"
        )
    directory = paths.sessions_dir()
    log_files = _files(directory, lambda name: name.endswith(".jsonl"))  # as read_index reads
    unsaved_dir = paths.config_dir() / "unsaved"
    unsaved = _files(
        unsaved_dir, lambda name: name.startswith("emoflat-unsaved-") and name.endswith(".json")
    )
    cache = index_cache_file(directory)
    if not log_files and not unsaved:
        with contextlib.suppress(OSError):
            cache.unlink()
        print("There is no session log to delete.")
        return 0
    index = read_index()
    _print_warnings(index.warnings)
    if not yes:
        for line in _forget_plan(directory, log_files, len(index), unsaved_dir, unsaved):
            print(line, file=sys.stderr)
        print(
            f"Type {FORGET_WORD} and press Enter to delete it, or just press Enter to keep it: ",
            end="",
            file=sys.stderr,
            flush=True,
        )
        answer = stdin.readline()
        if answer.strip().lower() != FORGET_WORD:
            if not answer:
                print(file=sys.stderr)
            print("Nothing was deleted.")
            return 0
    failed = [f"{path} ({reason})" for path, reason in _delete(log_files, unsaved, cache)]
    if failed:
        raise DataError(f"Could not delete {'; '.join(failed)}. Everything else was deleted.")
    sessions = len(index)
    deleted = f"{sessions:,} session{'' if sessions == 1 else 's'}"
    if unsaved:
        deleted += f" and {len(unsaved)} unsaved session{'' if len(unsaved) == 1 else 's'}"
    print(f"Deleted the session log: {deleted}. Your practices and settings are still there.")
    return 0


def _files(folder: Path, wanted: Callable[[str], bool]) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return sorted(
                folder / entry.name
                for entry in entries
                if wanted(entry.name) and not entry.is_dir()
            )
    except OSError:
        return []


def _forget_plan(
    directory: Path,
    log_files: Sequence[Path],
    sessions: int,
    unsaved_dir: Path,
    unsaved: Sequence[Path],
) -> list[str]:
    noun = "session" if sessions == 1 else "sessions"
    lines = []
    if log_files:
        files = "file" if len(log_files) == 1 else "files"
        lines.append(
            f"This deletes your session log: {sessions:,} {noun} in {len(log_files)} {files} "
            f"in {directory}:"
        )
        lines += [f"  {path.name}" for path in log_files]
    if unsaved:
        files = "file" if len(unsaved) == 1 else "files"
        lines.append(
            f"{'It also deletes' if log_files else 'This deletes'} {len(unsaved)} unsaved "
            f"session {files} in {unsaved_dir}."
        )
    lines.append(
        "Notes and answers go with them. Your practices and settings stay. This cannot be undone."
    )
    return lines


def _delete(
    log_files: Iterable[Path], unsaved: Iterable[Path], cache: Path
) -> list[tuple[Path, str]]:
    failed = []
    for path in log_files:
        try:
            delete_log_file(path)
        except OSError as exc:
            failed.append((path, exc.strerror or str(exc)))
    for path in (*unsaved, cache):
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            failed.append((path, exc.strerror or str(exc)))
    return failed


# --- output ----------------------------------------------------------------------------


def write_private_file(path: Path, data: bytes | Iterable[bytes], *, force: bool = False) -> None:
    """Write a new file only the user can read (0600), never replacing one by surprise.

    Args:
        path: The file to write.
        data: Its content, whole or in parts.
        force: Replace an existing file (through a new file renamed over it).

    Raises:
        OutputExistsError: ``path`` exists and ``force`` is false.
        EmoflatError: The file could not be written.
    """
    try:
        paths.write_private_file(path, data, replace=force, sync=True)
    except FileExistsError:
        raise OutputExistsError(
            f"{path} already exists; nothing was written (add --force to replace it)"
        ) from None
    except OSError as exc:
        raise EmoflatError(f"Could not write {path} ({exc.strerror or exc})") from None


def _is_log_file(path: Path) -> bool:
    log_folder = os.path.realpath(paths.sessions_dir())
    return path.name.endswith(".jsonl") and os.path.realpath(path.parent) == log_folder


def _check_choice(name: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise UsageError(f"{name} must be one of {', '.join(choices)}, not {value!r}")


def _print_warnings(warnings: Sequence[str]) -> None:
    for warning in warnings[:MAX_WARNINGS]:
        print(f"{PROG}: {warning}", file=sys.stderr)
    if len(warnings) > MAX_WARNINGS:
        more = len(warnings) - MAX_WARNINGS
        print(
            f"{PROG}: ... and {more:,} more skipped (the log files are left as they are)",
            file=sys.stderr,
        )


def _today() -> date:
    return datetime.now().astimezone().date()


def _can_print(text: str) -> bool:
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _write_text(text: str) -> None:
    _write_bytes(text.encode(sys.stdout.encoding or "utf-8", errors="replace"))


def _write_bytes(data: bytes) -> None:
    _write_parts([data])


def _write_parts(parts: Iterable[bytes]) -> None:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    for part in parts:
        if buffer is None:  # a stdout replaced by text only (some test runners)
            sys.stdout.write(part.decode("utf-8", errors="replace"))
        else:
            buffer.write(part)
    if buffer is not None:
        buffer.flush()
