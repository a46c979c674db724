"""The log's files: appended to safely, read back merged.

Each machine appends only to its own ``sessions-<host>.jsonl``; reading merges every
``*.jsonl`` in the folder, in name order, and a session whose id was already read is
dropped. An append is one ``write`` of one whole line to an ``O_APPEND`` descriptor under
an exclusive ``flock``, then ``fsync``; a log file that is a symbolic link or not a regular
file is never written, and a write that fails half-way is cut back off, so the file is as
it was. A failed write keeps the record in :func:`emoflat.paths.unsaved_dir` and says so.

Only regular files of at most :data:`MAX_LOG_FILE_BYTES` are read; anything else named
``*.jsonl`` (a FIFO, a device) is skipped with a warning naming it. A line that is not a
session is skipped with a warning naming the file and line; nothing on disk is ever
changed by reading.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Iterator
from datetime import datetime
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from msgspec import Struct

from emoflat import paths
from emoflat.errors import DataError
from emoflat.log.record import Record, decode, decode_lines, encode

if sys.platform != "win32":
    import fcntl

if TYPE_CHECKING:
    from concurrent.futures import Future

LOG_SUFFIX = ".jsonl"
#: The largest log file read. A session's line is at most some kilobytes, so this is
#: hundreds of thousands of sessions; a larger file (or ``/dev/zero`` behind a link) is
#: skipped with a warning instead of filling the memory.
MAX_LOG_FILE_BYTES = 512 * 1024 * 1024
#: The longest line read as a session; a longer one is skipped with a warning. A record
#: emoflat writes holds at most a note and a practice's answers: some kilobytes.
MAX_LINE_BYTES = 16 * 1024 * 1024
#: A record kept aside is ``emoflat-unsaved-<id>[-N].json`` in :func:`paths.unsaved_dir`.
UNSAVED_PREFIX = "emoflat-unsaved-"
_UNSAFE_HOST_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_OPEN_FLAGS = (
    os.O_RDWR  # read access too: the last byte is checked for a torn line
    | os.O_APPEND
    | os.O_CREAT
    | getattr(os, "O_NOFOLLOW", 0)  # a link's target is never written, nor its mode changed
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO is never waited on (it is refused below)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
#: Bytes of the log read at a time (whole lines: a longer line is read whole).
_BLOCK = 1 << 20
# How often an appender reopens the log when it was replaced while waiting for the lock.
_MAX_REOPENS = 50


class LogWriteError(DataError):
    """A session record could not be appended to the log; it was kept elsewhere.

    Attributes:
        record_json: The record as the one line of JSON that would have been appended.
        fallback: The file the record was kept in instead, or ``None`` when no place
            worked (the caller then prints ``record_json`` for the user).
    """

    def __init__(self, message: str, *, record_json: str, fallback: Path | None) -> None:
        super().__init__(message)
        self.record_json = record_json
        self.fallback = fallback


class LogReadError(DataError):
    """The session log folder exists but could not be listed."""


class Session(Struct, frozen=True, gc=False):
    """One session read from the log (a ``Struct`` without garbage collection: a long
    log is tens of thousands of them, and none can hold a cycle)."""

    at: float
    """Its start as a POSIX timestamp (a start without a UTC offset is local time)."""
    day: int
    """The calendar date written in ``started``, as a proleptic ordinal."""
    record: Record
    line: bytes
    """The line as stored, without its line break."""


class LogRead(NamedTuple):
    """Every session in the log, newest first, and a warning per line left out."""

    sessions: list[Session]
    warnings: list[str]


# --- appending -----------------------------------------------------------------------------


def log_file_for_host(directory: Path, host: str | None = None) -> Path:
    """The file this machine appends to: ``sessions-<host>.jsonl`` (host made file-safe)."""
    if host is None:
        import socket

        try:
            host = socket.gethostname()
        except OSError:
            host = ""
    safe = _UNSAFE_HOST_CHARS.sub("-", host).strip("-") or "localhost"
    return directory / f"sessions-{safe}{LOG_SUFFIX}"


def append_record(
    record: Record, directory: Path | None = None, *, host: str | None = None
) -> Path:
    """Append one record to this machine's log file, safely; return the file.

    The folder is created 0700 and the file 0600. A torn last line left by a crash is
    kept and the new record starts on its own line.

    Raises:
        InvalidRecordError: The record does not follow the format (a bug in the caller).
        LogWriteError: The log could not be written; the record was kept elsewhere.
    """
    line = encode(record)
    log_path = log_file_for_host(directory or paths.sessions_dir(), host)
    try:
        _append_line(log_path, line)
    except OSError as exc:
        raise _write_failure(log_path, exc, record.id, line.decode()) from exc
    return log_path


def _append_line(log_path: Path, line: bytes) -> None:
    paths.ensure_private_dir(log_path.parent)
    created = not os.path.lexists(log_path)
    for _ in range(_MAX_REOPENS):
        fd = _open_for_append(log_path)
        try:
            _lock(fd)
            status = os.fstat(fd)
            if not _is_file_at(fd, log_path):
                continue  # replaced or removed while we waited for the lock
            if hasattr(os, "fchmod") and (status.st_mode & 0o777) != paths.PRIVATE_FILE_MODE:
                os.fchmod(fd, paths.PRIVATE_FILE_MODE)
            data = line + b"\n"
            if status.st_size > 0 and os.pread(fd, 1, status.st_size - 1) != b"\n":
                data = b"\n" + data  # keep the torn line; start ours on a fresh one
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                _flush_to_disk(fd)
            except OSError:
                # A full disk or a file size limit may have let part of the line in: cut
                # it off (we still hold the lock), so the file is exactly as it was.
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, status.st_size)
                raise
            _unlock(fd)
            break
        finally:
            os.close(fd)
    else:
        raise OSError(f"the log file kept being replaced: {log_path}")
    if created:
        _sync_directory(log_path.parent)


def _open_for_append(log_path: Path) -> int:
    """The log file open for appending, never through a link and never a FIFO or device.

    Raises:
        paths.FileRefused: It is a symbolic link, or not a regular file.
        OSError: It could not be opened.
    """
    try:
        fd = os.open(log_path, _OPEN_FLAGS, paths.PRIVATE_FILE_MODE)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) or os.path.islink(log_path):
            raise paths.FileRefused(
                "is a symbolic link, and emoflat never writes to a log through one"
            ) from exc
        raise
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise paths.FileRefused(f"is {paths.kind_of(mode)}, not a regular file")
    return fd


def _is_file_at(fd: int, path: Path) -> bool:
    try:
        at_path = os.lstat(path)  # a link put in its place is not the file held
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (at_path.st_dev, at_path.st_ino)


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
    # Windows has no flock; each machine writes only its own file.

    def _lock(fd: int) -> None:
        pass

    def _unlock(fd: int) -> None:
        pass

    def _flush_to_disk(fd: int) -> None:
        os.fsync(fd)


def _sync_directory(directory: Path) -> None:
    # Makes a new log file's name durable; best effort, as some systems refuse.
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
    refused = isinstance(exc, paths.FileRefused)
    reason = f"it {exc}" if refused else (exc.strerror or str(exc))
    fallback = _keep_aside(record_id, line)
    if fallback is not None:
        message = (
            f"This session could not be saved to the log at {log_path} ({reason}). "
            f"It is kept safe in {fallback} instead."
        )
    else:
        message = (
            f"This session could not be saved to the log at {log_path} ({reason}), "
            f"nor in {paths.unsaved_dir()}. Its record is printed below so you can keep it."
        )
    return LogWriteError(message, record_json=line, fallback=fallback)


def _keep_aside(record_id: str, line: str) -> Path | None:
    """Write the record to :func:`paths.unsaved_dir` (0700, the file 0600); its path, or
    ``None`` when that failed too (the caller then prints the record)."""
    stem = f"{UNSAVED_PREFIX}{_UNSAFE_HOST_CHARS.sub('-', record_id)}"
    data = (line + "\n").encode("utf-8")
    try:
        folder = paths.ensure_private_dir(paths.unsaved_dir())
    except (OSError, RuntimeError, KeyError):
        return None
    for attempt in range(10):
        target = folder / (f"{stem}.json" if attempt == 0 else f"{stem}-{attempt}.json")
        try:
            paths.write_private_file(target, data, replace=False, sync=True)
        except FileExistsError:
            continue
        except OSError:
            return None
        return target
    return None


def unsaved_files() -> list[Path]:
    """The records kept aside because the log could not be written, in name order: those
    in :func:`paths.unsaved_dir`, and any an earlier emoflat kept in the home or the
    temporary folder (the user's own regular files only)."""
    found = _unsaved_in(paths.unsaved_dir(), anyone=True)
    import tempfile

    for legacy in (Path.home, lambda: Path(tempfile.gettempdir())):
        try:
            found += _unsaved_in(legacy(), anyone=False)
        except (OSError, RuntimeError, KeyError):
            continue
    return sorted(dict.fromkeys(found))


def _unsaved_in(folder: Path, *, anyone: bool) -> list[Path]:
    uid = os.getuid() if hasattr(os, "getuid") else None
    found = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not (entry.name.startswith(UNSAVED_PREFIX) and entry.name.endswith(".json")):
                    continue
                status = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(status.st_mode):
                    continue
                mine = stat.S_ISREG(status.st_mode) and (uid is None or status.st_uid == uid)
                if anyone or mine:
                    found.append(Path(entry.path))
    except OSError:
        return []
    return found


def delete_log_file(path: Path) -> None:
    """Delete one log file under the appenders' lock, so no append is lost half-way.

    Raises:
        OSError: The file could not be deleted (a missing file is no error).
    """
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    for _ in range(_MAX_REOPENS):
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            return
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.EMLINK) and not os.path.islink(path):
                raise
            os.unlink(path)  # a link: no one appends through it; its target stays
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


# --- reading -------------------------------------------------------------------------------


def log_files(directory: Path | None = None) -> list[Path]:
    """The log files in ``directory`` (default: the user's), in name order.

    Raises:
        LogReadError: The folder exists but cannot be listed.
    """
    directory = directory or paths.sessions_dir()
    _forget_old_index()
    try:
        with os.scandir(directory) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(LOG_SUFFIX))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise LogReadError(
            f"Could not read the session log folder {directory} ({exc.strerror or exc})."
        ) from exc
    return [directory / name for name in names]


def _forget_old_index() -> None:
    """emoflat 0.1 kept an index of the log in the cache folder (``log-index-*.bin``); since
    0.2 the log is read whole, so those copies of log data are deleted when it is read."""
    try:
        with os.scandir(paths.cache_dir()) as entries:
            old = [e.path for e in entries if e.name.startswith(("log-index-", ".log-index-"))]
    except OSError:
        return
    for path in old:
        with contextlib.suppress(OSError):
            os.unlink(path)


def iter_blocks(
    directory: Path | None, warnings: list[str], *, lines: bool = True
) -> Iterator[list[Session]]:
    """Every session in the log, in file order, each id once, a block of lines at a time
    (so a long log is never all in memory as text); ``warnings`` gets a line per line left
    out or file not read. Without ``lines``, ``Session.line`` is empty.

    Raises:
        LogReadError: The folder exists but cannot be listed.
    """
    seen: set[str] = set()
    for path in log_files(directory):
        try:
            fd = paths.open_regular(path, MAX_LOG_FILE_BYTES)
        except paths.FileRefused as exc:
            if not path.is_dir():  # a folder so named is no log file, and no surprise
                warnings.append(f"{path}: skipped a file that {exc}")
            continue
        except OSError as exc:
            warnings.append(f"{path}: skipped a file that could not be read ({exc.strerror})")
            continue
        with open(fd, "rb", buffering=0) as file:
            for number, data, count in _whole_lines(file, path, warnings):
                block = []
                for session in _read_block(path, data, number, count, warnings, lines):
                    if session.record.id not in seen:
                        seen.add(session.record.id)
                        block.append(session)
                yield block


def _whole_lines(
    file: BinaryIO, path: Path, warnings: list[str]
) -> Iterator[tuple[int, bytes, int]]:
    """The file's lines a block at a time, each block whole lines (the last line of the
    file may have no line break), with the number of its first line and its line breaks. At most
    :data:`MAX_LOG_FILE_BYTES` are read; a line over :data:`MAX_LINE_BYTES` is skipped
    with a warning, never gathered in memory."""
    number, left = 1, MAX_LOG_FILE_BYTES
    pending = bytearray()  # the start of a line not ended yet
    overlong = False  # inside a line already too long, skipped to its end
    while True:
        chunk = file.read(min(_BLOCK, left)) if left else b""
        left -= len(chunk)
        if not chunk:
            if pending and not overlong:
                yield number, bytes(pending), 0
            return
        if overlong:
            ended = chunk.find(b"\n")
            if ended < 0:
                continue
            chunk, number, overlong = chunk[ended + 1 :], number + 1, False
        end = chunk.rfind(b"\n") + 1
        if end:
            data = bytes(pending) + chunk[:end]
            pending = bytearray(chunk[end:])
            count = data.count(b"\n")
            yield number, data, count
            number += count
        else:
            pending += chunk
        if len(pending) > MAX_LINE_BYTES:
            size = paths.size_text(MAX_LINE_BYTES)
            warnings.append(f"{path}:{number}: skipped a line longer than {size} "
                            "(not a session record)")  # fmt: skip
            pending, overlong = bytearray(), True


def iter_log(
    directory: Path | None, warnings: list[str], *, lines: bool = True
) -> Iterator[Session]:
    """Every session of :func:`iter_blocks`, one at a time."""
    for block in iter_blocks(directory, warnings, lines=lines):
        yield from block


def _read_block(
    path: Path, data: bytes, first: int, count: int, warnings: list[str], lines: bool
) -> list[Session]:
    """The sessions of lines ``first``, ... of a file (``count`` line breaks). A block of
    valid lines only is read in one call; with any odd line, it is read again line by
    line, forgivingly."""
    try:
        # Each line one record in braces, as emoflat writes them; else line by line, below.
        if data[:1] != b"{" or data[-2:] != b"}\n" or data.count(b"}\n{") != count - 1:
            raise ValueError("a line that is not one record")
        records = decode_lines(data)
        if len(records) != count:
            raise ValueError("a line of two records")
        moments = [datetime.fromisoformat(record.started) for record in records]
        # Every line is one record (checked above): no blank line to leave out.
        stored = data.split(b"\n")[:-1] if lines else repeat(b"", len(records))
        return [
            Session(moment.timestamp(), moment.toordinal(), record, line)
            for moment, record, line in zip(moments, records, stored, strict=True)
        ]
    except (ValueError, OverflowError, OSError, RecursionError):  # msgspec's errors too
        pass
    sessions = []
    for number, raw in enumerate(data.split(b"\n"), start=first):
        left_out: list[str] = []
        found = decode(raw, left_out)
        if found is None:
            continue
        where = f"{path}:{number}:"
        try:
            moment = datetime.fromisoformat(found.started) if not isinstance(found, str) else None
        except (ValueError, OverflowError):
            found = "started is not a date and time"
        if isinstance(found, str) or moment is None:
            warnings.append(f"{where} skipped a line that is not a valid session record ({found})")
            continue
        if left_out:
            warnings.append(
                f"{where} kept the session, leaving out what is not as the log format says: "
                + ", ".join(left_out)
            )
        try:
            at = moment.timestamp()
        except (OverflowError, OSError, ValueError):
            warnings.append(f"{where} skipped a line that is not a valid session record "
                            "(started is not a date and time)")  # fmt: skip
            continue
        sessions.append(Session(at, moment.toordinal(), found, raw if lines else b""))
    return sessions


def read_log(directory: Path | None = None) -> LogRead:
    """Every session in the log, newest first, with the warnings of :func:`iter_log`."""
    warnings: list[str] = []
    sessions = sorted(iter_log(directory, warnings), key=_newest_first)
    return LogRead(sessions, warnings)


def _newest_first(session: Session) -> float:
    return -session.at


def start_reading(directory: Path | None = None) -> Future[LogRead]:
    """:func:`read_log` in a daemon thread, so no screen waits on it to draw.

    The future's exception is a :class:`~emoflat.errors.DataError` or ``OSError`` when the
    log could not be read.
    """
    import threading
    from concurrent.futures import Future

    future: Future[LogRead] = Future()

    def read() -> None:
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(read_log(directory))
            except BaseException as exc:  # handed to the screen, never lost in the thread
                future.set_exception(exc)

    threading.Thread(target=read, name="emoflat-read-log", daemon=True).start()
    return future
