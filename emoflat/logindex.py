"""The session log's index: what history and stats need of each record, kept in a cache.

Parsing 100,000 lines of JSON into dictionaries takes seconds; history and stats must
answer in well under one. The index keeps, per log file, a compact summary of every valid
line (numbers in typed arrays, repeated texts as codes into one table of values) and where
the line is, and a cache of it lives in ``paths.cache_dir()``. A cached file is trusted
without reading it only while its (device, inode, size, mtime, ctime) is unchanged.
Otherwise the file is read and the bytes the cache covers are checked against their CRC:
when they are the same (an append, or a sync tool's new copy with more lines) only the new
lines are parsed; when not (shrunk, edited) the whole file is parsed again. A last line
without a newline may be an append being written, so it is parsed each time and never
cached. The log files are only ever read. The cache holds log data, so it is private
(0600 in a 0700 folder) and ``emoflat forget`` deletes it with the log.

A line is read by msgspec into a :class:`_Brief` of only the fields the index needs, with
strict types; the rest of the line is checked as JSON and skipped. A line msgspec does not
take (a mistyped field, NaN, a lone surrogate, not an object) is read again by
:func:`emoflat.sessionlog.parse_line`, exactly as :func:`~emoflat.sessionlog.read_records`
reads it, and cleaned field by field. So the index says what the records say, whichever
way a line was read; ``tests/test_logindex.py`` checks the two ways agree line by line.

A first read of a big log (8 MB of lines or more: after an upgrade, or on a new machine)
is shared with a forked second process on Linux, when the machine has a core to spare
and the process has no other thread; its rows come back through a pipe as the cache
stores them.

A leaf module: standard library and msgspec only, no UI, no network.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import signal
import sys
import threading
import zlib
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from emoflat import paths
from emoflat.sessionlog import (
    check_record,
    gc_paused,
    loads_line,
    log_file_names,
    parse_line,
    record_text,
    skipped_line,
)

__all__ = ["INDEX_FORMAT", "LogIndex", "index_cache_file", "read_index"]

#: Bump when the index's columns or the cache's layout change: older caches are rebuilt.
INDEX_FORMAT = 4
_INDEX_MAGIC = b"emoflat session log index\n"

#: The index's number columns and their array type codes.
_NUMBER_COLUMNS: dict[str, str] = {
    "ts": "d",  # started, as a POSIX timestamp: the sort key
    "day": "i",  # the calendar date written in started, as a proleptic ordinal
    "planned": "d",  # planned_seconds; NaN when missing or not a number
    "practiced": "d",  # practiced_seconds; NaN when missing or not a number
    "completed": "b",  # 1 finished, 0 ended early, -1 not recorded
    "before_feel": "d",  # the check-in's 0-10 "how much can you feel"; NaN when not given
    "after_feel": "d",
    "practice": "I",  # code of (practice, title)
    "before_tone": "I",  # code of a text or None
    "after_tone": "I",
    "felt": "I",
    "before_words": "I",  # code of a tuple of texts
    "after_words": "I",
    "tags": "I",
    "answers": "I",  # how many answers to prompts
    "note": "b",  # 1 when there is a note that is not blank
    "offset": "q",  # where the line starts in its file; -1 for records not from a file
    "length": "q",  # the line's length in bytes, without its newline
}
#: Columns whose numbers are codes into :attr:`LogIndex.values`.
_CODE_COLUMNS = (
    "practice",
    "before_tone",
    "after_tone",
    "felt",
    "before_words",
    "after_words",
    "tags",
)
_NAN = float("nan")


# --- One line, in brief -------------------------------------------------------------------


class _CheckIn(msgspec.Struct, gc=False):
    """What the index keeps of a check-in (``before`` or ``after``)."""

    feel: float | None = None  # from 0 to 10 in the index; out of range is left out
    tone: str | None = None
    words: tuple[str, ...] = ()
    felt: str | None = None


_NO_CHECKIN = _CheckIn()


class _Brief(msgspec.Struct, gc=False):
    """What the index keeps of a record, each field as the index wants it.

    The types are strict, so a line that reads as a brief says exactly what the record
    says; a missing field takes its default. Fields the index does not need are skipped.
    """

    id: str
    started: str
    practice: str | None = None
    title: str | None = None
    planned_seconds: float = _NAN  # negative is left out in the index
    practiced_seconds: float = _NAN
    completed: bool | None = None
    before: _CheckIn | None = None
    after: _CheckIn | None = None
    answers: tuple[msgspec.Raw, ...] = ()  # counted, never read
    note: str | None = None
    tags: tuple[str, ...] = ()


_decode_brief = msgspec.json.Decoder(_Brief).decode


def _number(value: object) -> float | None:
    """``value`` as a float when it is a number (not true or false, and not too large for
    a float), else None."""
    if type(value) is not int and type(value) is not float:
        return None
    try:
        return float(value)
    except OverflowError:
        return None


def _text(value: object) -> str | None:
    return value if type(value) is str else None


def _texts(value: object) -> tuple[str, ...]:
    if type(value) is not list and type(value) is not tuple:
        return ()
    return tuple(item for item in value if type(item) is str)


def _check_in(value: object) -> _CheckIn | None:
    if type(value) is not dict:
        return None
    return _CheckIn(
        feel=_number(value.get("feel")),
        tone=_text(value.get("tone")),
        words=_texts(value.get("words")),
        felt=_text(value.get("felt")),
    )


def _seconds(value: object) -> float:
    seconds = _number(value)
    return _NAN if seconds is None else seconds


def _brief_of_record(record: Mapping[str, Any]) -> _Brief:
    """The brief of a record checked by :func:`~emoflat.sessionlog.check_record`.

    A mistyped field counts as missing; a list of words keeps only its texts. This is
    what a line that is not strictly typed means to the index.
    """
    get = record.get
    answers = get("answers")
    completed = get("completed")
    return _Brief(
        id=record["id"],
        started=record["started"],
        practice=_text(get("practice")),
        title=_text(get("title")),
        planned_seconds=_seconds(get("planned_seconds")),
        practiced_seconds=_seconds(get("practiced_seconds")),
        completed=completed if type(completed) is bool else None,
        before=_check_in(get("before")),
        after=_check_in(get("after")),
        # Only counted: the answers themselves are read from the record when shown.
        answers=(msgspec.Raw(b"null"),) * len(answers) if type(answers) is list else (),
        note=_text(get("note")),
        tags=_texts(get("tags")),
    )


def _read_line(raw: bytes) -> tuple[_Brief, float, int] | str | None:
    """One log line in brief with its start (timestamp, ordinal day), why it is skipped,
    or None when it is blank. The line must be valid UTF-8 (the caller checks)."""
    try:
        brief = _decode_brief(raw)
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError):
        return _read_line_slowly(raw)
    if not brief.id:
        return "no id"
    try:
        moment = datetime.fromisoformat(brief.started)
        return brief, moment.timestamp(), moment.toordinal()
    except (ValueError, OverflowError, OSError):
        return "started is not a date and time"


def _read_line_slowly(raw: bytes) -> tuple[_Brief, float, int] | str | None:
    """:func:`_read_line` through the standard library, as ``read_records`` reads."""
    parsed = parse_line(raw)
    if parsed is None or isinstance(parsed, str):
        return parsed
    record, started_at, day = parsed
    return _brief_of_record(record), started_at, day


# --- Rows and columns ---------------------------------------------------------------------

#: Lines read in one go: a block with a line that needs a closer look is read line by line.
_BLOCK = 1024
_COMPLETED_CODES = {True: 1, False: 0, None: -1}
_PLUS_ONE = (1).__add__  # a line's length and its newline


class _Columns:
    """The index columns of some rows: ids and start texts in lists, the rest in arrays."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.started: list[str] = []
        self.numbers: dict[str, array[Any]] = {
            name: array(code) for name, code in _NUMBER_COLUMNS.items()
        }

    def __len__(self) -> int:
        return len(self.ids)

    def extend(self, other: _Columns) -> None:
        self.ids += other.ids
        self.started += other.started
        for name, column in self.numbers.items():
            column += other.numbers[name]


class _Values(dict[Any, int]):
    """The table of repeated values (texts, tuples of texts, None) that codes point into,
    and the code of each value. One table serves every code column: a column says
    whether its value is a text, a tuple of words or a (practice, title) pair."""

    def __init__(self, table: list[Any] | None = None) -> None:
        super().__init__()
        self.table: list[Any] = table if table is not None else []
        for code, value in enumerate(self.table):
            self.setdefault(value, code)

    def __missing__(self, value: Any) -> int:
        code = self[value] = len(self.table)
        self.table.append(value)
        return code


class _Indexer:
    """Turns log lines (or records) into index columns, sharing one table of values.

    Over 100,000 lines every step per line counts, so lines are read a block at a time
    with ``map`` (the loop stays in C) and columns are made a column at a time.
    """

    def __init__(self, values: _Values) -> None:
        self.values = values
        self.briefs: list[_Brief] = []
        self.numbers: dict[str, array[Any]] = {
            name: array(_NUMBER_COLUMNS[name]) for name in ("ts", "day", "offset", "length")
        }

    def add(self, brief: _Brief, started_at: float, day: int, offset: int, length: int) -> None:
        """Add one record in brief found at ``offset`` (-1 when not from a file)."""
        self.briefs.append(brief)
        numbers = self.numbers
        numbers["ts"].append(started_at)
        numbers["day"].append(day)
        numbers["offset"].append(offset)
        numbers["length"].append(length)

    def add_lines(
        self,
        path: Path,
        data: bytes,
        start: int,
        end: int,
        first_line: int,
        warnings: list[str],
        *,
        base: int = 0,
    ) -> None:
        """Index the lines of ``data[start:end]``, the first being line ``first_line``.

        Bad lines become warnings. ``data`` starts at byte ``base`` of the file.
        """
        if start >= end:
            return
        chunk = data[start:end]
        lines = chunk.split(b"\n")
        if len(lines) > 1 and not lines[-1]:
            lines.pop()  # the chunk ends with a newline; nothing follows it
        try:
            chunk.decode("utf-8")  # once for the whole chunk: each line is then UTF-8
            utf8 = True
        except UnicodeDecodeError:
            utf8 = False  # read line by line, which says which lines are not
        lengths = list(map(len, lines))
        offsets = list(accumulate(map(_PLUS_ONE, lengths), initial=base + start))
        for first in range(0, len(lines), _BLOCK):
            last = min(first + _BLOCK, len(lines))
            if not (utf8 and self._add_block(lines[first:last], offsets[first:last])):
                for row in range(first, last):
                    parsed = _read_line(lines[row]) if utf8 else _read_line_slowly(lines[row])
                    if isinstance(parsed, tuple):
                        self.add(*parsed, offsets[row], lengths[row])
                    elif parsed is not None:
                        warnings.append(skipped_line(path, first_line + row, parsed))

    def _add_block(self, block: list[bytes], offsets: list[int]) -> bool:
        """Add a block of lines if each is a record that reads at once; else add nothing."""
        try:
            briefs = list(map(_decode_brief, block))
            moments = list(map(datetime.fromisoformat, map(_STARTED, briefs)))
            timestamps = array("d", map(datetime.timestamp, moments))
        except (msgspec.DecodeError, RecursionError, ValueError, OverflowError, OSError):
            return False  # (UnicodeDecodeError is a ValueError)
        if not all(map(_ID, briefs)):
            return False  # an empty id
        self.briefs += briefs
        numbers = self.numbers
        numbers["ts"] += timestamps
        numbers["day"] += array("i", map(datetime.toordinal, moments))
        numbers["offset"] += array("q", offsets)
        numbers["length"] += array("q", map(len, block))
        return True

    def columns(self) -> _Columns:
        """The rows added, as columns."""
        columns = _Columns()
        briefs = self.briefs
        if not briefs:
            return columns
        code = self.values.__getitem__
        nan = _NAN
        columns.ids = list(map(_ID, briefs))
        columns.started = list(map(_STARTED, briefs))
        numbers = columns.numbers
        numbers.update(self.numbers)
        numbers["planned"] = array(
            "d", [seconds if seconds >= 0 else nan for seconds in map(_PLANNED, briefs)]
        )
        numbers["practiced"] = array(
            "d", [seconds if seconds >= 0 else nan for seconds in map(_PRACTICED, briefs)]
        )
        numbers["completed"] = array(
            "b", map(_COMPLETED_CODES.__getitem__, map(_COMPLETED, briefs))
        )
        after: list[_CheckIn] = []
        for name in ("before", "after"):
            check_ins = [check_in or _NO_CHECKIN for check_in in map(_CHECK_INS[name], briefs)]
            numbers[f"{name}_feel"] = array(
                "d",
                [
                    feel if feel is not None and 0 <= feel <= 10 else nan
                    for feel in map(_FEEL, check_ins)
                ],
            )
            numbers[f"{name}_tone"] = array("I", map(code, map(_TONE, check_ins)))
            numbers[f"{name}_words"] = array("I", map(code, map(_WORDS, check_ins)))
            after = check_ins
        numbers["felt"] = array("I", map(code, map(_FELT, after)))
        numbers["practice"] = array("I", map(code, map(_PRACTICE, briefs)))
        numbers["tags"] = array("I", map(code, map(_TAGS, briefs)))
        numbers["answers"] = array("I", map(len, map(_ANSWERS, briefs)))
        numbers["note"] = array(
            "b", [1 if note and not note.isspace() else 0 for note in map(_NOTE, briefs)]
        )
        return columns


_ID = attrgetter("id")
_STARTED = attrgetter("started")
_PRACTICE = attrgetter("practice", "title")
_PLANNED = attrgetter("planned_seconds")
_PRACTICED = attrgetter("practiced_seconds")
_COMPLETED = attrgetter("completed")
_CHECK_INS = {"before": attrgetter("before"), "after": attrgetter("after")}
_FEEL = attrgetter("feel")
_TONE = attrgetter("tone")
_WORDS = attrgetter("words")
_FELT = attrgetter("felt")
_ANSWERS = attrgetter("answers")
_NOTE = attrgetter("note")
_TAGS = attrgetter("tags")


# --- Runs of lines, and a second process for a first read of a big log --------------------


@dataclass
class _Run:
    """Lines of a log file to index: ``data[start:end]``, the first being line
    ``first_line``; ``data`` starts at byte ``base`` of the file. :meth:`index` fills
    ``columns`` and ``warnings``."""

    path: Path
    data: bytes
    start: int
    end: int
    first_line: int
    base: int = 0
    columns: _Columns = dataclasses.field(default_factory=_Columns)
    warnings: list[str] = dataclasses.field(default_factory=list)

    def index(self, values: _Values) -> None:
        """Index the lines, their texts coded in ``values``."""
        indexer = _Indexer(values)
        indexer.add_lines(
            self.path,
            self.data,
            self.start,
            self.end,
            self.first_line,
            self.warnings,
            base=self.base,
        )
        self.columns = indexer.columns()

    def split(self, near: int) -> tuple[_Run, _Run] | None:
        """The run as two, cut at the first line that starts at or after ``near``."""
        cut = self.data.find(b"\n", near - 1, self.end) + 1
        if not self.start < cut < self.end:
            return None
        later = self.first_line + self.data.count(b"\n", self.start, cut)
        return (
            _Run(self.path, self.data, self.start, cut, self.first_line, self.base),
            _Run(self.path, self.data, cut, self.end, later, self.base),
        )


#: Lines to index of at least this many bytes are shared with a second process (when one
#: helps): a first read of a big log, after an upgrade or on a new machine.
_SHARED_BYTES = 8 << 20
#: The part read here: a little under half, as the rows the helper sends must be unpacked.
_MY_SHARE = 0.4


def _index_runs(runs: list[_Run], values: _Values) -> None:
    """Index every run: half of the bytes in a second process when there are many."""
    total = sum(run.end - run.start for run in runs)
    if total < _SHARED_BYTES or not _can_share():
        for run in runs:
            run.index(values)
        return
    # The first half of the bytes is read here, the second half by the helper meanwhile.
    mine: list[_Run] = []
    theirs: list[_Run] = []
    halves: tuple[_Run, _Run, _Run] | None = None
    middle = int(total * _MY_SHARE)
    for run in runs:
        size = run.end - run.start
        if 0 < middle < size and halves is None and (cut := run.split(run.start + middle)):
            halves = (run, *cut)
            mine.append(cut[0])
            theirs.append(cut[1])
        else:
            (mine if middle > 0 else theirs).append(run)
        middle -= size
    helper = _Helper.start(theirs) if theirs else None
    try:
        for run in mine:
            run.index(values)
    except BaseException:  # Ctrl+C, say: the helper's work is not wanted
        if helper is not None:
            helper.stop()
        raise
    if helper is None or not helper.collect(theirs, values):
        for run in theirs:  # no second process, or it failed: read those here
            run.index(values)
    if halves is not None:
        whole, first, second = halves
        whole.columns.extend(first.columns)
        whole.columns.extend(second.columns)
        whole.warnings += first.warnings + second.warnings


def _can_share() -> bool:
    """Whether a second process would help and is safe: another core for it, and fork
    from a process with no other thread (a thread's lock could be copied held). Linux
    only: on macOS a forked process that does not exec may crash in system libraries."""
    if not sys.platform.startswith("linux") or threading.active_count() != 1:
        return False
    return len(os.sched_getaffinity(0)) > 1


class _Helper:
    """A forked process indexing some runs; their rows come back through a pipe, laid out
    as the cache lays them out."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid = pid
        self.pipe = pipe

    @classmethod
    def start(cls, runs: list[_Run]) -> _Helper | None:
        """Fork a helper to index ``runs``; None when it cannot start."""
        try:
            reading, writing = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(reading)
            os.close(writing)
            return None
        if pid == 0:  # the helper: index, send, and leave without running anything else
            status = 1
            try:
                os.close(reading)
                _help(writing, runs)
                status = 0
            finally:
                os._exit(status)
        os.close(writing)
        return cls(pid, reading)

    def stop(self) -> None:
        """End the helper at once."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(self.pipe)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)

    def collect(self, runs: list[_Run], values: _Values) -> bool:
        """Fill ``runs`` with the helper's rows, their codes made codes of ``values``, once
        it is done. False (nothing filled) when it failed."""
        try:
            with open(self.pipe, "rb") as pipe:
                data = pipe.read()
        finally:
            _, status = os.waitpid(self.pid, 0)
        if status != 0:
            return False
        try:
            header_end = data.index(b"\n")
            header = _decode_helper_header(data[:header_end])
            table = header.values
            position = header_end + 1
            results = []
            for item in header.runs:
                unpacked = _unpacked(data, position, item.rows, item.texts)
                if unpacked is None:
                    return False
                columns, position = unpacked
                results.append((columns, item.warnings))
        except (ValueError, msgspec.DecodeError):
            return False
        if position != len(data) or len(results) != len(runs):
            return False
        recode = list(map(values.__getitem__, table))
        for run, (columns, warnings) in zip(runs, results, strict=True):
            for name in _CODE_COLUMNS:
                column = columns.numbers[name]
                columns.numbers[name] = array("I", map(recode.__getitem__, column))
            run.columns = columns
            run.warnings = warnings
        return True


def _help(pipe: int, runs: list[_Run]) -> None:
    """In the helper: index the runs and write them to ``pipe``."""
    values = _Values()
    parts: list[bytes] = []
    items = []
    for run in runs:
        run.index(values)
        packed = _packed(run.columns)
        if packed is None:
            raise ValueError("a line break in an id")
        sizes, more = packed
        parts += more
        items.append({"rows": len(run.columns), "texts": sizes, "warnings": run.warnings})
    header = {"runs": items, "values": values.table}
    with open(pipe, "wb") as out:
        out.write(json.dumps(header, separators=(",", ":")).encode() + b"\n")
        for part in parts:
            out.write(part)


# --- The index of the log folder, and its cache ---------------------------------------


@dataclass
class _FileIndex:
    """The indexed part of one log file: every line up to and including its last newline.

    A last line without a newline may be an append still being written, so it is parsed
    on every read and never cached.
    """

    name: str
    stat: tuple[int, int, int, int, int]  # device, inode, size, mtime_ns, ctime_ns
    covered: int  # bytes indexed
    lines: int  # lines in them
    crc: int  # CRC-32 of them
    warnings: list[str]  # the warnings of its bad lines, as printed
    columns: _Columns


def _stat_key(status: os.stat_result) -> tuple[int, int, int, int, int]:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


class LogIndex:
    """Every valid record of the session log in brief, merged and newest first.

    Built by :func:`read_index` (from the log files, through the cache) or
    :meth:`from_records`. Rows are numbered in file order; :attr:`rows` lists the rows kept
    (duplicate ids dropped, as :func:`read_records` does) newest first, :attr:`kept` the
    same rows in file order (quicker, for figures where order does not matter); every column is
    indexed by row number. Missing or mistyped fields are NaN (numbers), -1 (``completed``),
    None or an empty tuple (codes into :attr:`values`).

    Attributes:
        directory: The session log folder read, or None for :meth:`from_records`.
        files: The log files read, in name order.
        kept: The rows kept (duplicate ids dropped), in file order.
        warnings: One line per skipped line or unreadable file, naming the file and line.
        values: The texts and tuples of texts that code columns point into.
        ids: Each row's session id.
        started: Each row's ``started`` text, as written.
    """

    ts: array[float]
    day: array[int]
    planned: array[float]
    practiced: array[float]
    completed: array[int]
    before_feel: array[float]
    after_feel: array[float]
    practice: array[int]
    before_tone: array[int]
    after_tone: array[int]
    felt: array[int]
    before_words: array[int]
    after_words: array[int]
    tags: array[int]
    answers: array[int]
    note: array[int]
    offset: array[int]
    length: array[int]

    def __init__(
        self,
        columns: _Columns,
        values: list[Any],
        *,
        directory: Path | None = None,
        files: Sequence[Path] = (),
        file_of_row: array[int] | None = None,
        texts: Sequence[bytes] | None = None,
        records: Sequence[Mapping[str, Any]] | None = None,
        warnings: Sequence[str] = (),
        rows: list[int] | None = None,
    ) -> None:
        self.directory = directory
        self.files = list(files)
        self.values = values
        self.ids = columns.ids
        self.started = columns.started
        for name, column in columns.numbers.items():
            setattr(self, name, column)
        self.warnings = list(warnings)
        self._file_of_row = file_of_row
        self._texts = texts
        self._records = records
        self._rows = rows
        self.kept: Sequence[int]
        if rows is None:
            self.kept = _kept(self.ids)
        elif len(rows) == len(self.ids):
            self.kept = range(len(rows))
        else:
            self.kept = sorted(rows)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> LogIndex:
        """An index of records in memory, for figures over records that are not in the log.

        Records without an ``id`` or a readable ``started`` are skipped with a warning.
        """
        values = _Values()
        indexer = _Indexer(values)
        kept: list[Mapping[str, Any]] = []
        warnings: list[str] = []
        for number, record in enumerate(records, start=1):
            parsed = check_record(dict(record))
            if isinstance(parsed, str):
                warnings.append(f"record {number}: skipped ({parsed})")
                continue
            indexer.add(_brief_of_record(parsed[0]), parsed[1], parsed[2], -1, -1)
            kept.append(record)
        return cls(indexer.columns(), values.table, records=kept, warnings=warnings)

    def __len__(self) -> int:
        """How many records were kept."""
        return len(self.kept)

    @property
    def rows(self) -> list[int]:
        """The kept rows, newest first (sorted when first asked for)."""
        if self._rows is None:
            # A stable sort: records that started at the same moment keep file order.
            self._rows = sorted(self.kept, key=self.ts.__getitem__, reverse=True)
        return self._rows

    def practice_of(self, row: int) -> tuple[str | None, str | None]:
        """The row's practice id and title."""
        pair: tuple[str | None, str | None] = self.values[self.practice[row]]
        return pair

    def label(self, code: int) -> str | None:
        """The text a tone or ``felt`` code stands for."""
        text: str | None = self.values[code]
        return text

    def texts(self, code: int) -> tuple[str, ...]:
        """The words or tags a words or tags code stands for."""
        texts: tuple[str, ...] = self.values[code]
        return texts

    @property
    def has_text(self) -> bool:
        """Whether :meth:`line` and :meth:`record` work (``read_index(text=True)``)."""
        return self._texts is not None or self._records is not None

    def line(self, row: int) -> bytes:
        """The row's record exactly as stored: its line in the log, without the newline.

        Raises:
            RuntimeError: The index was read without ``text=True``.
        """
        if self._records is not None:
            return record_text(self._records[row]).encode("utf-8")
        if self._texts is None or self._file_of_row is None:
            raise RuntimeError("the index was read without text=True")
        start = self.offset[row]
        return self._texts[self._file_of_row[row]][start : start + self.length[row]]

    def lines(self, rows: Iterable[int]) -> list[bytes]:
        """The rows' records exactly as stored (see :meth:`line`), quickly.

        Raises:
            RuntimeError: The index was read without ``text=True``.
        """
        if self._records is not None:
            return [self.line(row) for row in rows]
        if self._texts is None or self._file_of_row is None:
            raise RuntimeError("the index was read without text=True")
        texts, file_of_row, offset, length = (
            self._texts,
            self._file_of_row,
            self.offset,
            self.length,
        )
        if len(texts) == 1:
            data = texts[0]
            return [data[offset[row] : offset[row] + length[row]] for row in rows]
        return [texts[file_of_row[row]][offset[row] : offset[row] + length[row]] for row in rows]

    def record(self, row: int) -> dict[str, Any]:
        """The row's whole record, parsed from its line (or as given to from_records).

        Raises:
            ValueError: The line nests too deeply to be read here (a hand-edited line
                nested hundreds of levels deep, in a field emoflat does not use).
        """
        if self._records is not None:
            return dict(self._records[row])
        text = self.line(row).decode("utf-8")
        try:
            record: dict[str, Any] = loads_line(text)
        except RecursionError:
            record = _with_a_fresh_stack(loads_line, text)
        return record


def _with_a_fresh_stack(read: Callable[[str], Any], text: str) -> Any:
    """``read(text)`` in a thread of its own, whose stack starts empty: how deep JSON may
    nest depends on how deep the caller already is.

    Raises:
        ValueError: It nests too deeply even so.
    """
    result: list[Any] = []

    def run() -> None:
        with contextlib.suppress(RecursionError):
            result.append(read(text))

    thread = threading.Thread(target=run, name="emoflat-read-deep-line")
    thread.start()
    thread.join()
    if not result:
        raise ValueError("the record nests too deeply to be read")
    return result[0]


def _kept(ids: list[str]) -> Sequence[int]:
    """The rows whose id was not seen in an earlier row."""
    if len(set(ids)) == len(ids):
        return range(len(ids))
    seen: set[str] = set()
    kept = []
    for row, record_id in enumerate(ids):
        if record_id not in seen:
            seen.add(record_id)
            kept.append(row)
    return kept


def read_index(
    directory: Path | None = None, *, text: bool = False, use_cache: bool = True
) -> LogIndex:
    """Read the session log as a :class:`LogIndex`, through the private cache.

    Reads what :func:`read_records` reads and skips what it skips, with the same warnings,
    but parses only lines the cache has not seen. Nothing in the log folder is changed.

    Args:
        directory: The session log folder; defaults to ``paths.sessions_dir()``.
        text: Also keep every file's bytes, so :meth:`LogIndex.line` gives each record
            exactly as stored. Every cached part is then checked against its CRC.
        use_cache: Read and update the cache (off: parse everything, save nothing).

    Raises:
        LogReadError: The folder exists but cannot be listed.
    """
    if directory is None:
        directory = paths.sessions_dir()
    names = log_file_names(directory)
    cache = _IndexCache(directory) if use_cache else None
    cached = cache.load() if cache is not None else None
    values = _Values(cached[0] if cached else None)
    cached_files = cached[1] if cached else {}
    merged = _Columns()
    files: list[Path] = []
    file_of_row: array[int] = array("I")
    texts: list[bytes] = []
    warnings: list[str] = []
    kept: list[_FileIndex] = []
    cached_rows = cached[2] if cached else None
    changed = cached is None or set(cached_files) != set(names)
    pending = False  # rows after a file's last newline
    with gc_paused():
        plans: list[_FilePlan] = []
        for name in names:
            plan = _plan_file(directory / name, cached_files.get(name), text=text)
            if isinstance(plan, str):
                warnings.append(plan)
            elif plan is not None:  # (None: a folder named *.jsonl)
                plans.append(plan)
        _index_runs([run for plan in plans for run in plan.runs()], values)
        for plan in plans:
            entry = plan.finish()
            changed = changed or entry is not cached_files.get(plan.path.name)
            kept.append(entry)
            files.append(plan.path)
            count = len(entry.columns) + len(plan.tail.columns)
            file_of_row += array("I", [len(files) - 1]) * count
            merged.extend(entry.columns)
            merged.extend(plan.tail.columns)
            warnings += entry.warnings
            warnings += plan.tail.warnings
            texts.append(plan.data if plan.data is not None else b"")
            pending = pending or bool(len(plan.tail.columns))
        # The rows newest first, as saved, while they are still the very same rows.
        same = not changed and not pending and len(kept) == len(cached_files)
        index = LogIndex(
            merged,
            values.table,
            directory=directory,
            files=files,
            file_of_row=file_of_row,
            texts=texts if text else None,
            warnings=warnings,
            rows=cached_rows if same else None,
        )
        if cache is not None and changed:
            cache.save(values.table, kept, index.rows if not pending else None)
    return index


@dataclass
class _FilePlan:
    """What to index of one log file, and how its index is then made."""

    path: Path
    entry: _FileIndex  # what the cache holds of it and still holds (maybe nothing)
    key: tuple[int, int, int, int, int]  # its stat now
    data: bytes | None  # the file's bytes, when they were read whole
    new: _Run | None  # the lines after the entry up to the last newline, when there are
    tail: _Run  # the lines after the last newline: an append being written, maybe

    def runs(self) -> list[_Run]:
        """The runs of lines to index."""
        return [self.tail] if self.new is None else [self.new, self.tail]

    def finish(self) -> _FileIndex:
        """The file's index, once the runs are indexed (the entry itself when unchanged)."""
        entry, new = self.entry, self.new
        if new is None:
            return entry if entry.stat == self.key else dataclasses.replace(entry, stat=self.key)
        columns = _Columns()
        columns.extend(entry.columns)
        columns.extend(new.columns)
        lines = self.tail.first_line - 1  # counted when the runs were planned
        crc = zlib.crc32(memoryview(new.data)[new.start : new.end], entry.crc)
        warnings = entry.warnings + new.warnings
        return _FileIndex(self.path.name, self.key, new.end, lines, crc, warnings, columns)


def _plan_file(path: Path, cached: _FileIndex | None, *, text: bool) -> _FilePlan | str | None:
    """What to index of one log file, reusing what the cache holds of it.

    Returns:
        The plan; a warning when the file cannot be read; None when it is a folder.
    """
    try:
        with open(path, "rb") as file:
            key = _stat_key(os.fstat(file.fileno()))
            if cached is not None and cached.stat == key and not text:
                # Unchanged since it was indexed: only what follows the last newline is read.
                file.seek(cached.covered)
                rest = file.read()
                run = _Run(path, rest, 0, len(rest), cached.lines + 1, base=cached.covered)
                return _FilePlan(path, cached, key, None, None, run)
            data = file.read()
            key = _stat_key(os.fstat(file.fileno()))
    except IsADirectoryError:
        return None
    except OSError as exc:
        return f"{path}: skipped a file that could not be read ({exc.strerror or exc})"
    covered = data.rfind(b"\n") + 1
    entry = cached
    if entry is not None and (
        entry.covered > covered or zlib.crc32(memoryview(data)[: entry.covered]) != entry.crc
    ):
        entry = None  # shrunk, replaced or edited: parse it all again
    if entry is None:
        entry = _FileIndex(path.name, key, 0, 0, 0, [], _Columns())
    new = None
    lines = entry.lines
    if entry.covered < covered:
        new = _Run(path, data, entry.covered, covered, entry.lines + 1)
        lines += data.count(b"\n", entry.covered, covered)
    tail = _Run(path, data, covered, len(data), lines + 1)
    return _FilePlan(path, entry, key, data, new, tail)


_Value = str | None | tuple[str | None, ...]
_Header = TypeVar("_Header", "_CacheHeader", "_HelperHeader")


class _CachedFile(msgspec.Struct):
    """What the cache's header says of one file (see :class:`_FileIndex`)."""

    name: str
    stat: tuple[int, int, int, int, int]
    covered: int
    lines: int
    crc: int
    warnings: list[str]
    rows: int
    texts: tuple[int, int]  # the sizes of its ids and start texts


class _CacheHeader(msgspec.Struct):
    """The cache's header line."""

    layout: dict[str, Any]
    values: list[_Value]  # lists come back as tuples, as they were
    files: list[_CachedFile]
    order: int = -1  # how many rows newest first follow the columns (-1: none)


_CACHE_HEADER = msgspec.json.Decoder(_CacheHeader)


class _HelperRun(msgspec.Struct):
    """What the helper's header says of one run."""

    rows: int
    texts: tuple[int, int]
    warnings: list[str]


class _HelperHeader(msgspec.Struct):
    """The first line the helper sends."""

    runs: list[_HelperRun]
    values: list[_Value]


_HELPER_HEADER = msgspec.json.Decoder(_HelperHeader)


#: The ordinals of the first and last dates Python can hold.
_DAYS = (1, 3652059)


def _sensible(item: _CachedFile, columns: _Columns, values: int) -> bool:
    """Whether a cached file's index can be used as it is: only emoflat writes the cache
    and its CRC is checked, but a cache that would crash a reader is never used."""
    if item.covered < 0 or item.lines < 0 or min(item.stat) < 0:
        return False
    if not item.rows:
        return True
    numbers = columns.numbers
    if max(max(numbers[name]) for name in _CODE_COLUMNS) >= values:
        return False
    day = numbers["day"]
    return bool(_DAYS[0] <= min(day) and max(day) <= _DAYS[1])


def _decode_header(data: bytes) -> _CacheHeader:
    """The cache's header line (raises ``ValueError`` or ``msgspec.DecodeError``)."""
    try:
        return _CACHE_HEADER.decode(data)
    except msgspec.DecodeError:
        return _decode_slowly(data, _CacheHeader)


def _decode_helper_header(data: bytes) -> _HelperHeader:
    """The helper's header line (raises ``ValueError`` or ``msgspec.DecodeError``)."""
    try:
        return _HELPER_HEADER.decode(data)
    except msgspec.DecodeError:
        return _decode_slowly(data, _HelperHeader)


def _decode_slowly(data: bytes, kind: type[_Header]) -> _Header:
    # A lone surrogate in a text (a hand-edited line can hold one) is valid JSON to
    # Python, not to msgspec; so the header is read again by the standard library.
    return msgspec.convert(json.loads(data), kind)


class _IndexCache:
    """The index of one log folder, saved in ``paths.cache_dir()``.

    The file is a magic line, the CRC-32 of the rest in hex, a header line of JSON (each
    file's state, the table of values), then each file's ids and start texts (one per line)
    and its number columns' raw bytes. Anything that does not check out is ignored and the
    index is built again: the cache only ever saves time.
    """

    def __init__(self, directory: Path) -> None:
        self.path = index_cache_file(directory)
        self.directory = os.path.abspath(directory)

    def _layout(self) -> dict[str, Any]:
        return {
            "format": INDEX_FORMAT,
            "directory": self.directory,
            "byteorder": sys.byteorder,
            "columns": {
                name: [code, array(code).itemsize] for name, code in _NUMBER_COLUMNS.items()
            },
        }

    def load(self) -> tuple[list[Any], dict[str, _FileIndex], list[int] | None] | None:
        """The table of values, each file's index and the rows newest first (when saved),
        or None when there is no usable cache."""
        try:
            with open(self.path, "rb") as file:
                data = file.read()
        except OSError:
            return None
        try:
            return self._parse(data)
        except (ValueError, TypeError, KeyError, IndexError, OverflowError, msgspec.DecodeError):
            return None

    def _parse(
        self, data: bytes
    ) -> tuple[list[Any], dict[str, _FileIndex], list[int] | None] | None:
        start = len(_INDEX_MAGIC) + 9  # the magic line, then 8 hex digits and a newline
        if not data.startswith(_INDEX_MAGIC) or len(data) < start:
            return None
        body = memoryview(data)[start:]
        if int(data[start - 9 : start - 1], 16) != zlib.crc32(body):
            return None
        header_end = data.index(b"\n", start)
        header = _decode_header(data[start:header_end])
        if header.layout != self._layout():
            return None
        files: dict[str, _FileIndex] = {}
        position = header_end + 1
        total = 0
        for item in header.files:
            unpacked = _unpacked(data, position, item.rows, item.texts)
            if unpacked is None or not _sensible(item, unpacked[0], len(header.values)):
                return None
            columns, position = unpacked
            files[item.name] = _FileIndex(
                item.name, item.stat, item.covered, item.lines, item.crc, item.warnings, columns
            )
            total += item.rows
        rows = None
        if header.order >= 0:
            order: array[int] = array("I")
            order.frombytes(data[position : position + header.order * order.itemsize])
            position += header.order * order.itemsize
            if header.order > total or (header.order and max(order) >= total):
                return None
            rows = order.tolist()
        if position != len(data):
            return None
        return header.values, files, rows

    def save(self, values: list[Any], files: list[_FileIndex], rows: list[int] | None) -> None:
        """Write the cache (0600, replaced whole); a failure only costs time later.

        ``rows`` are the kept rows newest first, when they are rows of ``files`` alone.
        Without log files there is nothing to keep: the cache is deleted.
        """
        if not files:
            with contextlib.suppress(OSError):
                self.path.unlink()
            return
        parts: list[bytes] = []
        items = []
        for entry in files:
            packed = _packed(entry.columns)
            if packed is None:
                return  # a line break inside an id: not worth a format of its own
            sizes, more = packed
            parts += more
            items.append(
                {
                    "name": entry.name,
                    "stat": list(entry.stat),
                    "covered": entry.covered,
                    "lines": entry.lines,
                    "crc": entry.crc,
                    "warnings": entry.warnings,
                    "rows": len(entry.columns),
                    "texts": sizes,
                }
            )
        if rows is not None:
            parts.append(array("I", rows).tobytes())
        header = {
            "layout": self._layout(),
            "values": values,
            "files": items,
            "order": -1 if rows is None else len(rows),
        }
        # ASCII only: a lone surrogate from a hand-edited line must not stop the cache.
        body = [json.dumps(header, separators=(",", ":")).encode(), b"\n", *parts]
        crc = 0
        for part in body:
            crc = zlib.crc32(part, crc)
        try:
            paths.ensure_private_dir(self.path.parent)
            # No fsync: a cache torn by a crash fails its CRC and is built again.
            paths.write_private_file(self.path, [b"%s%08x\n" % (_INDEX_MAGIC, crc), *body])
        except OSError:
            pass  # the cache only saves time


def _packed(columns: _Columns) -> tuple[list[int], list[bytes]] | None:
    """The columns as bytes: the sizes of the ids and start texts (one per line), and the
    parts to write, those texts and then each number column's raw bytes. None when an id
    or a start holds a line break."""
    sizes: list[int] = []
    parts: list[bytes] = []
    for texts in (columns.ids, columns.started):
        joined = "\n".join(texts)
        if joined.count("\n") != max(len(texts) - 1, 0):
            return None
        parts.append(joined.encode("utf-8", "surrogatepass"))
        sizes.append(len(parts[-1]))
    parts += [column.tobytes() for column in columns.numbers.values()]
    return sizes, parts


def _unpacked(
    data: bytes, position: int, rows: int, sizes: Sequence[int]
) -> tuple[_Columns, int] | None:
    """The columns :func:`_packed` wrote at ``position`` in ``data``, and where they end;
    None when they do not add up. (What they say is checked by the CRC of the cache, or
    comes straight from the helper.)"""
    columns = _Columns()
    for name, size in zip(("ids", "started"), sizes, strict=True):
        texts = data[position : position + size].decode("utf-8", "surrogatepass")
        position += size
        setattr(columns, name, texts.split("\n") if rows else [])
    if not (len(columns.ids) == len(columns.started) == rows):
        return None
    for column in columns.numbers.values():
        size = rows * column.itemsize
        column.frombytes(data[position : position + size])
        position += size
        if len(column) != rows:
            return None
    return columns, position


def index_cache_file(directory: Path | None = None) -> Path:
    """The cache file of the index of a session log folder (it may not exist).

    Args:
        directory: The session log folder; defaults to ``paths.sessions_dir()``.
    """
    if directory is None:
        directory = paths.sessions_dir()
    digest = hashlib.sha256(os.fsencode(os.path.abspath(directory))).hexdigest()[:16]
    return paths.cache_dir() / f"log-index-{digest}.bin"
