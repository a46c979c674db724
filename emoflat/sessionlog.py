"""The session log: one JSON line per session, appended safely, read back merged.

Each machine appends only to its own ``sessions-<host>.jsonl``; reading merges every
``*.jsonl`` in the folder. An append is one ``write`` of one whole line to an ``O_APPEND``
descriptor under an exclusive ``flock``, then ``fsync``. Lines that do not parse are
skipped with a warning and never deleted. A failed write keeps the record elsewhere.

:func:`read_records` gives every record whole; :func:`emoflat.logindex.read_index` gives
what history and stats need of them, through a private cache, in a fraction of the time,
with the line readers here (:func:`parse_line`, :func:`check_record`).

A leaf module: standard library only, no UI, no network.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import socket
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from emoflat import paths
from emoflat.errors import DataError

if sys.platform != "win32":
    import fcntl

__all__ = [
    "RECORD_FIELDS",
    "RECORD_VERSION",
    "InvalidRecordError",
    "LogRead",
    "LogReadError",
    "LogWriteError",
    "append_record",
    "check_record",
    "delete_log_file",
    "gc_paused",
    "loads_line",
    "log_file_for_host",
    "log_file_names",
    "new_session_id",
    "parse_line",
    "read_records",
    "record_text",
    "skipped_line",
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
                paths.write_private_file(target, data, replace=False, sync=True)
            except FileExistsError:
                continue
            except OSError:
                break
            return target
    return None


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
    names = log_file_names(directory)
    seen: set[str] = set()
    timed: list[tuple[float, dict[str, Any]]] = []
    # Parsing builds hundreds of thousands of containers and none of them is garbage:
    # the cycle collector would only rescan them, which tripled the read time here.
    with gc_paused():
        for name in names:
            _read_file(directory / name, seen, timed, result.warnings)
        timed.sort(key=_first, reverse=True)
        result.records = [record for _, record in timed]
    return result


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
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
        parsed = parse_line(raw)
        if parsed is None:
            continue
        if isinstance(parsed, str):
            warnings.append(skipped_line(path, number, parsed))
            continue
        record, started_at, _ = parsed
        record_id = record["id"]
        if record_id not in seen:
            seen.add(record_id)
            timed.append((started_at, record))


def skipped_line(path: Path, number: int, reason: str) -> str:
    return f"{path}:{number}: skipped a line that is not a valid session record ({reason})"


def loads_line(text: str) -> Any:
    """A log line's JSON, read as :func:`json.loads` reads it, except that a whole number
    too long for Python to convert (over 4,300 digits) reads as infinity instead of
    failing: it is valid JSON, and the log's other readers take it.

    Raises:
        ValueError: The text is not JSON.
        RecursionError: It is nested too deeply.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError:  # the limit on converting long digit strings to int
        return json.loads(text, parse_int=_long_int)


def _long_int(digits: str) -> int | float:
    try:
        return int(digits)
    except ValueError:
        return float(digits)  # over 4,300 digits: infinity


def parse_line(raw: bytes) -> tuple[dict[str, Any], float, int] | str | None:
    """One log line as a record, the reason it is skipped, or None if it is blank.

    A record needs to be a JSON object with a non-empty string ``id`` and a ``started``
    date and time. It comes with its start as a POSIX timestamp, which sorts the same as
    the aware datetimes but compares much faster (a time without an offset is local time),
    and the calendar date written in ``started`` as an ordinal.
    """
    try:
        record = loads_line(raw.decode("utf-8"))
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
    return check_record(record)


def check_record(record: dict[str, Any]) -> tuple[dict[str, Any], float, int] | str:
    """The record with its start (see :func:`parse_line`), or why it is skipped."""
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


def log_file_names(directory: Path) -> list[str]:
    """The names of the log files in ``directory``, in name order (none if it is missing).

    Raises:
        LogReadError: The folder exists but cannot be listed.
    """
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
