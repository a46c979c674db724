"""The session log: one JSON line per session, appended safely, read back merged.

Each machine appends only to its own ``sessions-<host>.jsonl``; reading merges every
``*.jsonl`` in the folder. An append is one ``write`` of one whole line to an ``O_APPEND``
descriptor under an exclusive ``flock``, then ``fsync``. Lines that do not parse are
skipped with a warning and never deleted. A failed write keeps the record elsewhere.

:func:`read_records` gives every record whole; :func:`read_index` gives what history and
stats need of them, through a private cache, in a fraction of the time.

A leaf module: standard library only, no UI, no network.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import re
import socket
import sys
import tempfile
import uuid
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from emoflat import paths
from emoflat.errors import DataError

if sys.platform != "win32":
    import fcntl

__all__ = [
    "INDEX_FORMAT",
    "RECORD_VERSION",
    "InvalidRecordError",
    "LogIndex",
    "LogRead",
    "LogReadError",
    "LogWriteError",
    "append_record",
    "delete_log_file",
    "index_cache_file",
    "log_file_for_host",
    "new_session_id",
    "read_index",
    "read_records",
    "record_text",
]

#: The record format version written in every record's ``v`` field.
RECORD_VERSION = 1

_LOG_SUFFIX = ".jsonl"
_UNSAFE_HOST_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_OPEN_FLAGS = (
    os.O_RDWR  # read access too: the last byte is checked for a torn line
    | os.O_APPEND
    | os.O_CREAT
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
# How often an appender reopens the log when it was replaced while waiting for the lock.
_MAX_REOPENS = 50


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_optional_str(value: object) -> bool:
    return value is None or isinstance(value, str)


def _is_optional_object(value: object) -> bool:
    return value is None or isinstance(value, dict)


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple)


#: The spec's fields, each with a check of its type and the type's name for messages.
_REQUIRED_FIELDS: dict[str, tuple[Callable[[object], bool], str]] = {
    "v": (_is_int, "an integer"),
    "id": (_is_str, "a string"),
    "practice": (_is_str, "a string"),
    "title": (_is_str, "a string"),
    "started": (_is_str, "a string"),
    "ended": (_is_str, "a string"),
    "planned_seconds": (_is_int, "an integer"),
    "practiced_seconds": (_is_int, "an integer"),
    "completed": (_is_bool, "true or false"),
    "before": (_is_optional_object, "an object or null"),
    "after": (_is_optional_object, "an object or null"),
    "answers": (_is_list, "a list"),
    "note": (_is_optional_str, "a string or null"),
}
#: Every field of a v1 record, in the spec's order, then the optional ``tags``.
RECORD_FIELDS: tuple[str, ...] = (*_REQUIRED_FIELDS, "tags")


class InvalidRecordError(ValueError):
    """A record handed to :func:`append_record` does not follow the session log format.

    This is a bug in the caller, not something the user did, so it is a ``ValueError``.
    """


class LogWriteError(DataError):
    """A session record could not be appended to the log; it was kept elsewhere.

    Attributes:
        record_json: The record as the one line of JSON that would have been appended.
        fallback: The file the record was kept in instead, or ``None`` when no place
            worked (the caller then prints ``record_json`` for the user).
        log_path: The log file that could not be written.
    """

    def __init__(
        self, message: str, *, record_json: str, fallback: Path | None, log_path: Path
    ) -> None:
        super().__init__(message)
        self.record_json = record_json
        self.fallback = fallback
        self.log_path = log_path


class LogReadError(DataError):
    """The session log folder exists but could not be listed."""


@dataclass
class LogRead:
    """What :func:`read_records` found.

    Attributes:
        records: Every valid record from every log file, duplicates dropped, newest first.
        warnings: One line per skipped line or unreadable file, naming the file and line.
    """

    records: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def new_session_id() -> str:
    """A fresh session id: a random UUID as a string."""
    return str(uuid.uuid4())


def _sanitize_host(host: str) -> str:
    return _UNSAFE_HOST_CHARS.sub("-", host).strip("-") or "localhost"


def log_file_for_host(directory: Path, host: str | None = None) -> Path:
    """The log file this machine appends to: ``directory / "sessions-<host>.jsonl"``.

    Args:
        directory: The session log folder.
        host: The machine's name; defaults to ``socket.gethostname()``. Characters
            outside ``[A-Za-z0-9._-]`` become ``-``; an empty name becomes ``localhost``.
    """
    if host is None:
        try:
            host = socket.gethostname()
        except OSError:
            host = ""
    return directory / f"sessions-{_sanitize_host(host)}{_LOG_SUFFIX}"


def _validate(record: Mapping[str, Any]) -> None:
    if not isinstance(record, Mapping):
        raise InvalidRecordError(f"a session record must be a mapping, not {type(record).__name__}")
    for name, (check, expected) in _REQUIRED_FIELDS.items():
        if name not in record:
            raise InvalidRecordError(f"session record has no {name!r} field")
        if not check(record[name]):
            raise InvalidRecordError(
                f"session record field {name!r} must be {expected}, not {record[name]!r}"
            )
    try:
        uuid.UUID(record["id"])
    except ValueError:
        raise InvalidRecordError(f"session record id {record['id']!r} is not a UUID") from None
    for name in ("started", "ended"):
        _validate_timestamp(name, record[name])
    for name in ("planned_seconds", "practiced_seconds"):
        if record[name] < 0:
            raise InvalidRecordError(f"session record field {name!r} must not be negative")


def _validate_timestamp(name: str, text: str) -> None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidRecordError(
            f"session record field {name!r} is not an ISO 8601 date and time: {text!r}"
        ) from None
    if moment.utcoffset() is None:
        raise InvalidRecordError(f"session record field {name!r} has no UTC offset: {text!r}")
    if moment.microsecond:
        raise InvalidRecordError(
            f"session record field {name!r} must have seconds precision: {text!r}"
        )


def record_text(record: Mapping[str, Any]) -> str:
    """The record as one line of compact JSON, without the newline.

    Non-ASCII text is kept as is (the file is UTF-8). Line breaks inside strings are
    escaped by JSON, so the result never contains a newline.

    Raises:
        InvalidRecordError: The record holds something JSON cannot represent (NaN,
            infinity, a non-string key, an object of another type).
    """
    try:
        return json.dumps(dict(record), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise InvalidRecordError(f"session record cannot be written as JSON: {exc}") from None


def append_record(
    record: Mapping[str, Any], directory: Path | None = None, *, host: str | None = None
) -> Path:
    """Append one session record to this machine's log file, safely.

    The folder is created 0700 and the file 0600, whatever the umask. The line is written
    with one ``write`` under an exclusive lock and flushed to disk before returning. A
    torn last line left by a crash is kept; the new record starts on its own line.

    Args:
        record: The session record, with every field the log format requires.
        directory: The session log folder; defaults to ``paths.sessions_dir()``.
        host: The machine name for the file name; defaults to ``socket.gethostname()``.

    Returns:
        The log file written.

    Raises:
        InvalidRecordError: The record does not follow the format (a bug in the caller).
        LogWriteError: The log could not be written; the record was kept elsewhere.
    """
    _validate(record)
    line = record_text(record)
    if directory is None:
        directory = paths.sessions_dir()
    log_path = log_file_for_host(directory, host)
    try:
        _append_line(log_path, line.encode("utf-8"))
    except OSError as exc:
        raise _write_failure(log_path, exc, str(record["id"]), line) from exc
    return log_path


def _append_line(log_path: Path, line: bytes) -> None:
    paths.ensure_private_dir(log_path.parent)
    created = not os.path.lexists(log_path)
    for _ in range(_MAX_REOPENS):
        fd = os.open(log_path, _OPEN_FLAGS, paths.PRIVATE_FILE_MODE)
        try:
            _lock(fd)
            status = os.fstat(fd)
            if not _is_file_at(fd, log_path):
                # Replaced or removed while we waited for the lock: append to the new file.
                continue
            if hasattr(os, "fchmod") and (status.st_mode & 0o777) != paths.PRIVATE_FILE_MODE:
                os.fchmod(fd, paths.PRIVATE_FILE_MODE)
            data = line + b"\n"
            if status.st_size > 0 and _last_byte(fd, status.st_size) != b"\n":
                data = b"\n" + data  # keep the torn line; start ours on a fresh one
            _write_all(fd, data)
            _flush_to_disk(fd)
            _unlock(fd)
            break
        finally:
            os.close(fd)
    else:
        raise OSError(f"the log file kept being replaced: {log_path}")
    if created:
        _sync_directory(log_path.parent)


def _is_file_at(fd: int, path: Path) -> bool:
    try:
        at_path = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (at_path.st_dev, at_path.st_ino)


def _last_byte(fd: int, size: int) -> bytes:
    os.lseek(fd, size - 1, os.SEEK_SET)
    return os.read(fd, 1)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


if sys.platform != "win32":

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _flush_to_disk(fd: int) -> None:
        # On macOS fsync does not reach the platter; F_FULLFSYNC does.
        full_fsync = getattr(fcntl, "F_FULLFSYNC", None)
        if full_fsync is not None:
            try:
                fcntl.fcntl(fd, full_fsync)
                return
            except OSError:
                pass  # not supported by this file system: plain fsync below
        os.fsync(fd)

else:
    # Windows has no flock. Each machine writes only its own file, so the lock only guards
    # two emoflat sessions ending at once on one machine; it is skipped here.

    def _lock(fd: int) -> None:
        pass

    def _unlock(fd: int) -> None:
        pass

    def _flush_to_disk(fd: int) -> None:
        os.fsync(fd)


def _sync_directory(directory: Path) -> None:
    # Makes a newly created log file's name durable; best effort, as some systems refuse.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_failure(log_path: Path, exc: OSError, record_id: str, line: str) -> LogWriteError:
    reason = exc.strerror or str(exc)
    fallback = _keep_elsewhere(record_id, line)
    if fallback is not None:
        message = (
            f"This session could not be saved to the log at {log_path} ({reason}). "
            f"It is kept safe in {fallback} instead."
        )
    else:
        message = (
            f"This session could not be saved to the log at {log_path} ({reason}), "
            "nor to a file anywhere else. Its record is printed below so you can keep it."
        )
    return LogWriteError(message, record_json=line, fallback=fallback, log_path=log_path)


def delete_log_file(path: Path) -> None:
    """Delete one log file, under the appenders' lock, so no append is lost half-way.

    An appender waiting for the lock then finds the file gone and starts a new one.

    Raises:
        OSError: The file could not be deleted (a missing file is no error).
    """
    for _ in range(_MAX_REOPENS):
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            return
        try:
            _lock(fd)
            if not _is_file_at(fd, path):
                continue  # replaced while we waited: delete the new one
            if sys.platform == "win32":
                os.close(fd)  # Windows cannot delete an open file
                fd = -1
            os.unlink(path)
            _sync_directory(path.parent)
            return
        finally:
            if fd >= 0:
                os.close(fd)
    raise OSError(f"the log file kept being replaced: {path}")


def _unsaved_dir() -> Path:
    return paths.ensure_private_dir(paths.config_dir() / "unsaved")


def _temporary_dir() -> Path:
    return Path(tempfile.gettempdir())


#: Where a record that could not be logged is kept, in order of preference.
_FALLBACK_DIRS: tuple[Callable[[], Path], ...] = (_unsaved_dir, Path.home, _temporary_dir)


def _keep_elsewhere(record_id: str, line: str) -> Path | None:
    """Write the record to the first fallback folder that works; its path, or None."""
    stem = f"emoflat-unsaved-{_sanitize_host(record_id)}"
    data = (line + "\n").encode("utf-8")
    for locate in _FALLBACK_DIRS:
        try:
            folder = locate()
        except (OSError, RuntimeError, KeyError):
            continue
        for attempt in range(10):
            target = folder / (f"{stem}.json" if attempt == 0 else f"{stem}-{attempt}.json")
            try:
                _write_new_private_file(target, data)
            except FileExistsError:
                continue
            except OSError:
                break
            return target
    return None


# O_EXCL and O_NOFOLLOW: the folder may be a shared temporary folder.
_NEW_FILE_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _write_new_private_file(target: Path, data: bytes) -> None:
    fd = os.open(target, _NEW_FILE_FLAGS, paths.PRIVATE_FILE_MODE)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, paths.PRIVATE_FILE_MODE)
        _write_all(fd, data)
        os.fsync(fd)
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise
    os.close(fd)


def read_records(directory: Path | None = None) -> LogRead:
    """Read every session record in the log folder, merged and newest first.

    Every ``*.jsonl`` file is read in name order. A record whose id was already seen is
    dropped. A line that is not a valid record is skipped with a warning naming the file
    and line; nothing is ever changed on disk. Fields this version does not know are kept.

    Args:
        directory: The session log folder; defaults to ``paths.sessions_dir()``.

    Raises:
        LogReadError: The folder exists but cannot be listed.
    """
    if directory is None:
        directory = paths.sessions_dir()
    result = LogRead()
    try:
        names = sorted(
            entry.name for entry in os.scandir(directory) if entry.name.endswith(_LOG_SUFFIX)
        )
    except FileNotFoundError:
        return result
    except OSError as exc:
        raise LogReadError(
            f"Could not read the session log folder {directory} ({exc.strerror or exc})."
        ) from exc
    seen: set[str] = set()
    timed: list[tuple[float, dict[str, Any]]] = []
    # Parsing builds hundreds of thousands of containers and none of them is garbage:
    # the cycle collector would only rescan them, which tripled the read time here.
    with _cycle_collector_paused():
        for name in names:
            _read_file(directory / name, seen, timed, result.warnings)
        timed.sort(key=_first, reverse=True)
        result.records = [record for _, record in timed]
    return result


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _first(item: tuple[float, dict[str, Any]]) -> float:
    return item[0]


def _read_file(
    path: Path,
    seen: set[str],
    timed: list[tuple[float, dict[str, Any]]],
    warnings: list[str],
) -> None:
    """Add the file's new records to ``timed``, each with its start as a POSIX timestamp."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except IsADirectoryError:
        return
    except OSError as exc:
        warnings.append(f"{path}: skipped a file that could not be read ({exc.strerror or exc})")
        return
    for number, raw in enumerate(data.split(b"\n"), start=1):
        parsed = _parse_line(raw)
        if parsed is None:
            continue
        if isinstance(parsed, str):
            warnings.append(_skipped(path, number, parsed))
            continue
        record, started_at, _ = parsed
        record_id = record["id"]
        if record_id not in seen:
            seen.add(record_id)
            timed.append((started_at, record))


def _skipped(path: Path, number: int, reason: str) -> str:
    return f"{path}:{number}: skipped a line that is not a valid session record ({reason})"


def _parse_line(raw: bytes) -> tuple[dict[str, Any], float, int] | str | None:
    """One log line as a record, the reason it is skipped, or None if it is blank.

    A record needs to be a JSON object with a non-empty string ``id`` and a ``started``
    date and time. It comes with its start as a POSIX timestamp, which sorts the same as
    the aware datetimes but compares much faster (a time without an offset is local time),
    and the calendar date written in ``started`` as an ordinal.
    """
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except ValueError:
        if raw.isspace() or not raw:
            return None  # blank lines are allowed
        return "not valid JSON"
    except RecursionError:
        return "nested too deeply"
    if type(record) is not dict:
        return "not a JSON object"
    return _check_record(record)


# --- The index: what history and stats need of each record, kept in a private cache ----
#
# Parsing 100,000 lines of JSON takes seconds; history and stats must answer in well under
# one. The index keeps, per log file, a compact summary of every valid line (numbers in
# typed arrays, repeated texts as codes into one table of values) and where the line is,
# and a cache of it lives in ``paths.cache_dir()``. A cached file is trusted without reading
# it only while its (device, inode, size, mtime, ctime) is unchanged. Otherwise the file is
# read and the bytes the cache covers are checked against their CRC: when they are the
# same (an append, or a sync tool's new copy with more lines) only the new lines are
# parsed; when not (shrunk, edited) the whole file is parsed again. A last line without a
# newline may be an append being written, so it is parsed each time and never cached.
# The log files are only ever read. The cache holds log data, so it is private (0600 in a
# 0700 folder) and ``emoflat forget`` deletes it with the log.

#: Bump when the index's columns or the cache's layout change: older caches are rebuilt.
INDEX_FORMAT = 2
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


def _text(value: object) -> str | None:
    return value if type(value) is str else None


def _texts(value: object) -> tuple[str, ...]:
    if type(value) is not list and type(value) is not tuple:
        return ()
    return tuple(item for item in value if type(item) is str)


def _pair(value: object) -> tuple[str | None, str | None]:
    if type(value) is not tuple or len(value) != 2:
        return (None, None)
    return (_text(value[0]), _text(value[1]))


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


class _Codes(dict[Any, int]):
    """The codes of one kind of value, by the value as found in a record.

    A value met for the first time is cleaned (``clean``) and added to the shared table;
    looking up one met before stays in C, which matters over 100,000 records.
    """

    def __init__(self, table: list[Any], clean: Callable[[Any], Any]) -> None:
        super().__init__()
        self.table = table
        self.clean = clean
        for code, value in enumerate(table):
            with contextlib.suppress(TypeError):
                if clean(value) == value and value not in self:
                    self[value] = code

    def __missing__(self, key: Any) -> int:
        code = self[key] = len(self.table)
        self.table.append(self.clean(key))
        return code


class _Values:
    """The table of repeated values (texts, tuples of texts, None) that codes point into."""

    def __init__(self, table: list[Any] | None = None) -> None:
        self.table: list[Any] = table if table is not None else []
        self._codes: tuple[_Codes, _Codes, _Codes] | None = None

    def codes(self) -> tuple[_Codes, _Codes, _Codes]:
        """The codes of texts, of tuples of texts and of (practice, title) pairs.

        Made on first use: a read that finds no new line never needs them.
        """
        if self._codes is None:
            self._codes = (
                _Codes(self.table, _text),
                _Codes(self.table, _texts),
                _Codes(self.table, _pair),
            )
        return self._codes


_NO_CHECKIN: dict[str, Any] = {}
_ROW_FIELDS = 2 + len(_NUMBER_COLUMNS)  # id and started, then the number columns


class _Indexer:
    """Turns records into index rows, sharing one table of values."""

    def __init__(self, values: _Values) -> None:
        self.values = values
        self.rows: list[tuple[Any, ...]] = []
        self._codes: tuple[_Codes, _Codes, _Codes] | None = None

    def add(
        self, record: dict[str, Any], started_at: float, day: int, offset: int, length: int
    ) -> None:
        """Add one record (checked by :func:`_check_record`) found at ``offset``."""
        try:
            self.rows.append(self._row(record, started_at, day, offset, length, clean=False))
        except TypeError:  # a value that cannot be a dict key: a list where a text belongs
            self.rows.append(self._row(record, started_at, day, offset, length, clean=True))

    def _row(
        self,
        record: dict[str, Any],
        started_at: float,
        day: int,
        offset: int,
        length: int,
        *,
        clean: bool,
    ) -> tuple[Any, ...]:
        # Checks are written out rather than called: this runs once per line of the log.
        # type() rather than isinstance(): true and false are not numbers here.
        get = record.get
        before = get("before")
        if type(before) is not dict:
            before = _NO_CHECKIN
        after = get("after")
        if type(after) is not dict:
            after = _NO_CHECKIN
        planned = get("planned_seconds")
        practiced = get("practiced_seconds")
        completed = get("completed")
        feel_before = before.get("feel")
        feel_after = after.get("feel")
        answers = get("answers")
        note = get("note")
        words: list[Any] = [before.get("words"), after.get("words"), get("tags")]
        pair: Any = (get("practice"), get("title"))
        tones: list[Any] = [before.get("tone"), after.get("tone"), after.get("felt")]
        if clean:
            pair = _pair(pair)
            tones = [_text(tone) for tone in tones]
            words = [_texts(texts) for texts in words]
        else:
            words = [tuple(texts) if type(texts) is list else () for texts in words]
        if self._codes is None:
            self._codes = self.values.codes()
        text, texts, pairs = self._codes
        return (
            record["id"],
            record["started"],
            started_at,
            day,
            float(planned)
            if (type(planned) is int or type(planned) is float) and planned >= 0
            else _NAN,
            float(practiced)
            if (type(practiced) is int or type(practiced) is float) and practiced >= 0
            else _NAN,
            1 if completed is True else 0 if completed is False else -1,
            float(feel_before)
            if (type(feel_before) is int or type(feel_before) is float) and 0 <= feel_before <= 10
            else _NAN,
            float(feel_after)
            if (type(feel_after) is int or type(feel_after) is float) and 0 <= feel_after <= 10
            else _NAN,
            pairs[pair],
            text[tones[0]],
            text[tones[1]],
            text[tones[2]],
            texts[words[0]],
            texts[words[1]],
            texts[words[2]],
            len(answers) if type(answers) is list else 0,
            1 if type(note) is str and note and not note.isspace() else 0,
            offset,
            length,
        )

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
        offset = base + start
        add = self.add
        for number, raw in enumerate(data[start:end].split(b"\n"), start=first_line):
            parsed = _parse_line(raw)
            if isinstance(parsed, tuple):
                record, started_at, day = parsed
                add(record, started_at, day, offset, len(raw))
            elif parsed is not None:
                warnings.append(_skipped(path, number, parsed))
            offset += len(raw) + 1

    def columns(self) -> _Columns:
        """The rows added, as columns."""
        columns = _Columns()
        if self.rows:
            fields = list(zip(*self.rows, strict=True))
            columns.ids = list(fields[0])
            columns.started = list(fields[1])
            for (name, code), values in zip(_NUMBER_COLUMNS.items(), fields[2:], strict=True):
                columns.numbers[name] = array(code, values)
        return columns


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
        self.kept = _kept(self.ids)
        self._rows: list[int] | None = None

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
            parsed = _check_record(dict(record))
            if isinstance(parsed, str):
                warnings.append(f"record {number}: skipped ({parsed})")
                continue
            indexer.add(parsed[0], parsed[1], parsed[2], -1, -1)
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
        """The row's whole record, parsed from its line (or as given to from_records)."""
        if self._records is not None:
            return dict(self._records[row])
        record: dict[str, Any] = json.loads(self.line(row))
        return record


def _check_record(record: dict[str, Any]) -> tuple[dict[str, Any], float, int] | str:
    """The record with its start (see :func:`_parse_line`), or why it is skipped."""
    record_id = record.get("id")
    started = record.get("started")
    if not isinstance(record_id, str) or not record_id:
        return "no id"
    if not isinstance(started, str):
        return "no started time"
    try:
        moment = datetime.fromisoformat(started)
        return record, moment.timestamp(), moment.toordinal()
    except (ValueError, OverflowError, OSError):
        return "started is not a date and time"


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
    names = _log_file_names(directory)
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
    changed = cached is None or set(cached_files) != set(names)
    with _cycle_collector_paused():
        for name in names:
            path = directory / name
            read = _index_file(path, cached_files.get(name), values, text=text)
            if isinstance(read, str):
                warnings.append(read)
                continue
            if read is None:
                continue  # a folder named *.jsonl
            entry, pending, pending_warnings, data = read
            changed = changed or entry is not cached_files.get(name)
            kept.append(entry)
            files.append(path)
            count = len(entry.columns) + len(pending)
            file_of_row += array("I", [len(files) - 1]) * count
            merged.extend(entry.columns)
            merged.extend(pending)
            warnings += entry.warnings
            warnings += pending_warnings
            texts.append(data if data is not None else b"")
        index = LogIndex(
            merged,
            values.table,
            directory=directory,
            files=files,
            file_of_row=file_of_row,
            texts=texts if text else None,
            warnings=warnings,
        )
    if cache is not None and changed:
        cache.save(values.table, kept)
    return index


def _log_file_names(directory: Path) -> list[str]:
    try:
        return sorted(
            entry.name for entry in os.scandir(directory) if entry.name.endswith(_LOG_SUFFIX)
        )
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise LogReadError(
            f"Could not read the session log folder {directory} ({exc.strerror or exc})."
        ) from exc


def _index_file(
    path: Path, cached: _FileIndex | None, values: _Values, *, text: bool
) -> tuple[_FileIndex, _Columns, list[str], bytes | None] | str | None:
    """Index one log file, reusing what the cache holds of it.

    Returns:
        The file's index (``cached`` itself when it still holds), the rows and warnings
        of the lines after its last newline, and the file's bytes when they were read; a
        warning when the file cannot be read; None when it is a folder.
    """
    pending = _Indexer(values)
    pending_warnings: list[str] = []
    try:
        with open(path, "rb") as file:
            key = _stat_key(os.fstat(file.fileno()))
            if cached is not None and cached.stat == key and not text:
                # Unchanged since it was indexed: only what follows the last newline is read.
                file.seek(cached.covered)
                tail = file.read()
                first_line = cached.lines + 1
                pending.add_lines(
                    path, tail, 0, len(tail), first_line, pending_warnings, base=cached.covered
                )
                return cached, pending.columns(), pending_warnings, None
            data = file.read()
            key = _stat_key(os.fstat(file.fileno()))
    except IsADirectoryError:
        return None
    except OSError as exc:
        return f"{path}: skipped a file that could not be read ({exc.strerror or exc})"
    view = memoryview(data)
    covered = data.rfind(b"\n") + 1
    entry = cached
    if entry is not None and (
        entry.covered > covered or zlib.crc32(view[: entry.covered]) != entry.crc
    ):
        entry = None  # shrunk, replaced or edited: parse it all again
    if entry is None:
        entry = _FileIndex(path.name, key, 0, 0, 0, [], _Columns())
    if entry.covered < covered:
        indexer = _Indexer(values)
        warnings = list(entry.warnings)
        indexer.add_lines(path, data, entry.covered, covered, entry.lines + 1, warnings)
        columns = _Columns()
        columns.extend(entry.columns)
        columns.extend(indexer.columns())
        lines = entry.lines + data.count(b"\n", entry.covered, covered)
        crc = zlib.crc32(view[entry.covered : covered], entry.crc)
        entry = _FileIndex(path.name, key, covered, lines, crc, warnings, columns)
    elif entry.stat != key:
        entry = dataclasses.replace(entry, stat=key)
    pending.add_lines(path, data, covered, len(data), entry.lines + 1, pending_warnings)
    return entry, pending.columns(), pending_warnings, data


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

    def load(self) -> tuple[list[Any], dict[str, _FileIndex]] | None:
        """The table of values and each file's index, or None when there is no usable cache."""
        try:
            with open(self.path, "rb") as file:
                data = file.read()
        except OSError:
            return None
        try:
            return self._parse(data)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
            return None

    def _parse(self, data: bytes) -> tuple[list[Any], dict[str, _FileIndex]] | None:
        start = len(_INDEX_MAGIC) + 9  # the magic line, then 8 hex digits and a newline
        if not data.startswith(_INDEX_MAGIC) or len(data) < start:
            return None
        body = memoryview(data)[start:]
        if int(data[start - 9 : start - 1], 16) != zlib.crc32(body):
            return None
        header_end = data.index(b"\n", start)
        header = json.loads(data[start:header_end])
        if header["layout"] != self._layout():
            return None
        values = [_frozen(value) for value in header["values"]]
        files: dict[str, _FileIndex] = {}
        position = header_end + 1
        for item in header["files"]:
            columns = _Columns()
            rows = item["rows"]
            for name, size in zip(("ids", "started"), item["texts"], strict=True):
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
            for name in _CODE_COLUMNS:
                if rows and max(columns.numbers[name]) >= len(values):
                    return None
            stat = tuple(int(number) for number in item["stat"])
            if len(stat) != 5:
                return None
            files[str(item["name"])] = _FileIndex(
                name=str(item["name"]),
                stat=stat,
                covered=int(item["covered"]),
                lines=int(item["lines"]),
                crc=int(item["crc"]),
                warnings=[str(warning) for warning in item["warnings"]],
                columns=columns,
            )
        if position != len(data):
            return None
        return values, files

    def save(self, values: list[Any], files: list[_FileIndex]) -> None:
        """Write the cache (0600, replaced whole); a failure only costs time later.

        Without log files there is nothing to keep: the cache is deleted.
        """
        if not files:
            with contextlib.suppress(OSError):
                self.path.unlink()
            return
        parts: list[bytes] = []
        items = []
        for entry in files:
            sizes = []
            for texts in (entry.columns.ids, entry.columns.started):
                joined = "\n".join(texts)
                if joined.count("\n") != max(len(texts) - 1, 0):
                    return  # a line break inside an id: not worth a format of its own
                parts.append(joined.encode("utf-8", "surrogatepass"))
                sizes.append(len(parts[-1]))
            parts += [column.tobytes() for column in entry.columns.numbers.values()]
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
        header = {"layout": self._layout(), "values": values, "files": items}
        # ASCII only: a lone surrogate from a hand-edited line must not stop the cache.
        body = b"".join((json.dumps(header, separators=(",", ":")).encode(), b"\n", *parts))
        data = b"%s%08x\n%s" % (_INDEX_MAGIC, zlib.crc32(body), body)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            paths.ensure_private_dir(self.path.parent)
            # No fsync: a cache torn by a crash fails its CRC and is built again.
            fd = os.open(tmp, _NEW_FILE_FLAGS, paths.PRIVATE_FILE_MODE)
            try:
                if hasattr(os, "fchmod"):
                    os.fchmod(fd, paths.PRIVATE_FILE_MODE)
                _write_all(fd, data)
            finally:
                os.close(fd)
            os.replace(tmp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _frozen(value: Any) -> Any:
    """A value of the table as saved in JSON, with its lists made tuples again."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"unexpected value in the index cache: {value!r}")


def index_cache_file(directory: Path | None = None) -> Path:
    """The cache file of the index of a session log folder (it may not exist).

    Args:
        directory: The session log folder; defaults to ``paths.sessions_dir()``.
    """
    if directory is None:
        directory = paths.sessions_dir()
    digest = hashlib.sha256(os.fsencode(os.path.abspath(directory))).hexdigest()[:16]
    return paths.cache_dir() / f"log-index-{digest}.bin"
