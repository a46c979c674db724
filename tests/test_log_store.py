"""The log's files: appends that never interleave or get lost, reads that never change them.

Logs are real files in the test's own folders (``conftest.py`` points emoflat's data,
config and cache folders at ``tmp_path``). Concurrency is real processes; waits are on
pipes and events, never on sleeps.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import msgspec
import pytest
from records import make_record

from emoflat import paths
from emoflat.errors import DataError
from emoflat.log import store
from emoflat.log.record import InvalidRecordError, Record, decode, encode
from emoflat.log.store import (
    LogReadError,
    LogWriteError,
    append_record,
    delete_log_file,
    iter_log,
    log_file_for_host,
    log_files,
    read_log,
    start_reading,
)

if sys.platform != "win32":
    import fcntl

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="file modes and flock are POSIX")
SKIPPED = ": skipped a line that is not a valid session record"


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of the test's own: the last-but-one place a record is kept."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def log_dir() -> Path:
    return paths.sessions_dir()


def text_of(record: Record) -> str:
    """The record's line, as the log stores it."""
    return encode(record).decode("utf-8")


def records(directory: Path | None = None) -> list[Record]:
    """The records in the log, newest first; the log must read without a warning."""
    read = read_log(directory)
    assert read.warnings == []
    return [session.record for session in read.sessions]


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def write_lines(path: Path, *lines: bytes) -> bytes:
    """A log file holding ``lines``, as a hand edit or a sync tool might leave it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    content = b"".join(line + b"\n" for line in lines)
    path.write_bytes(content)
    return content


# --- appending -------------------------------------------------------------------------------


def test_an_appended_record_reads_back_as_it_was(log_dir: Path) -> None:
    record = make_record(tags=["tired day"])

    written = append_record(record)

    assert written == log_file_for_host(log_dir)
    assert written.read_text(encoding="utf-8") == text_of(record) + "\n"
    assert records() == [record]


def test_each_record_is_one_line(log_dir: Path) -> None:
    path = append_record(make_record(note="line one\nline two\r\n\u2028"), log_dir, host="here")
    append_record(make_record(), log_dir, host="here")
    assert path.read_bytes().count(b"\n") == 2
    assert path.read_bytes().endswith(b"\n")


@pytest.mark.parametrize(
    ("host", "file_name"),
    [
        ("laptop", "sessions-laptop.jsonl"),
        ("Anna's MacBook Pro.local", "sessions-Anna-s-MacBook-Pro.local.jsonl"),
        ("../../etc", "sessions-..-..-etc.jsonl"),
        ("", "sessions-localhost.jsonl"),
        ("///", "sessions-localhost.jsonl"),
    ],
)
def test_log_file_names_are_safe_for_any_host_name(host: str, file_name: str) -> None:
    assert log_file_for_host(Path("/logs"), host) == Path("/logs") / file_name


def test_the_default_host_is_this_machine(tmp_path: Path) -> None:
    name = log_file_for_host(tmp_path).name
    assert name.startswith("sessions-") and name.endswith(".jsonl")
    assert name != "sessions-.jsonl"


def test_an_invalid_record_is_refused_and_nothing_is_written(log_dir: Path) -> None:
    with pytest.raises(InvalidRecordError):
        append_record(msgspec.structs.replace(make_record(), practiced_seconds=-1), log_dir)
    assert not log_dir.exists()


@posix_only
@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_folder_and_file_are_private_whatever_the_umask(log_dir: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        path = append_record(make_record(), log_dir)
    finally:
        os.umask(previous)
    assert mode_of(log_dir) == 0o700
    assert mode_of(path) == 0o600


@posix_only
def test_an_existing_log_folder_and_file_are_made_private(log_dir: Path) -> None:
    path = log_file_for_host(log_dir, "here")
    write_lines(path, encode(make_record()))
    log_dir.chmod(0o755)
    path.chmod(0o644)

    append_record(make_record(), log_dir, host="here")

    assert (mode_of(log_dir), mode_of(path)) == (0o700, 0o600)
    assert len(records(log_dir)) == 2


# Child processes append copies of one record; each has its own id and start.
_CHILD = """
import sys
from datetime import datetime, timedelta
from pathlib import Path

import msgspec

from emoflat.log.record import Record, new_session_id
from emoflat.log.store import append_record

directory, host, worker = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
template = msgspec.json.decode(sys.stdin.buffer.readline(), type=Record)
base = datetime.fromisoformat("2026-03-02T10:00:00+01:00")


def append(number):
    started = (base + timedelta(seconds=worker * 100_000 + number)).isoformat()
    record = msgspec.structs.replace(template, id=new_session_id(), started=started)
    append_record(record, directory, host=host)
"""


def start_child(code: str, directory: Path, host: str, worker: int) -> subprocess.Popen[bytes]:
    """A fresh Python running :data:`_CHILD` and then ``code``, handed the template record."""
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD + code, str(directory), host, str(worker)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert child.stdin is not None
    child.stdin.write(encode(make_record()) + b"\n")
    child.stdin.flush()
    return child


@posix_only
def test_concurrent_appenders_in_several_processes_lose_nothing(log_dir: Path) -> None:
    code = """
print("ready", flush=True)
sys.stdin.readline()  # everyone starts together
for number in range(500):
    append(number)
"""
    children = [start_child(code, log_dir, "shared", worker) for worker in range(8)]
    for child in children:
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
    for child in children:
        assert child.stdin is not None
        child.stdin.write(b"go\n")
        child.stdin.close()
    for child in children:
        assert child.wait(timeout=120) == 0

    lines = log_file_for_host(log_dir, "shared").read_bytes().split(b"\n")
    assert lines[-1] == b""
    assert len(lines) - 1 == 4000
    ids = {json.loads(line)["id"] for line in lines[:-1]}
    assert len(ids) == 4000
    assert {record.id for record in records(log_dir)} == ids


@posix_only
def test_a_killed_appender_leaves_a_log_that_reads_back(log_dir: Path) -> None:
    code = """
number = 0
while True:
    append(number)
    number += 1
    if number == 200:
        print("200", flush=True)
"""
    child = start_child(code, log_dir, "crashy", 0)
    assert child.stdout is not None and child.stdout.readline() == b"200\n"
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL

    path = log_file_for_host(log_dir, "crashy")
    lines = path.read_bytes().split(b"\n")
    complete, last = lines[:-1], lines[-1]
    assert len(complete) >= 200
    for line in complete:
        json.loads(line)  # every finished line is whole
    read = read_log(log_dir)
    assert len(read.sessions) == len(complete)
    if last:  # killed mid-write: only the torn last line is skipped, by name and number
        assert read.warnings == [f"{path}:{len(lines)}{SKIPPED} (not valid JSON)"]
    else:
        assert read.warnings == []

    append_record(make_record(), log_dir, host="crashy")
    assert len(read_log(log_dir).sessions) == len(complete) + 1


@pytest.fixture
def lock_calls(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, list[bool]]:
    """The store's lock, telling the test each time it is asked for (the event) and
    whether the file was still there once it was held."""
    asked = threading.Event()
    held_with_file: list[bool] = []
    lock = store._lock

    def lock_and_tell(fd: int) -> None:
        asked.set()
        lock(fd)
        held_with_file.append(os.fstat(fd).st_nlink > 0)

    monkeypatch.setattr(store, "_lock", lock_and_tell)
    return asked, held_with_file


@posix_only
def test_an_append_waiting_for_the_lock_follows_a_replaced_log(
    log_dir: Path, lock_calls: tuple[threading.Event, list[bool]]
) -> None:
    """If something rewrites the log (temporary file + rename) while an appender waits
    for the lock, the record lands in the new file, not in the orphaned old one."""
    asked, held = lock_calls
    path = append_record(make_record(), log_dir, host="here")
    asked.clear()
    held.clear()
    second = make_record("2026-03-05T10:00:00+01:00")
    with open(path, "rb") as old:
        fcntl.flock(old.fileno(), fcntl.LOCK_EX)
        appender = threading.Thread(
            target=append_record, args=(second, log_dir), kwargs={"host": "here"}
        )
        appender.start()
        assert asked.wait(timeout=30)  # it has the old file open, and waits for its lock
        replacement = path.with_name("rewrite.tmp")
        replacement.write_bytes(old.read())
        os.replace(replacement, path)
        fcntl.flock(old.fileno(), fcntl.LOCK_UN)
    appender.join(timeout=30)

    assert len(held) == 2  # the old file was let go, the new one locked
    assert records(log_dir)[0].id == second.id


def test_a_torn_last_line_is_kept_and_the_next_record_starts_on_a_new_line(
    log_dir: Path,
) -> None:
    first = make_record("2026-03-02T09:00:00+01:00")
    path = append_record(first, log_dir, host="here")
    torn = text_of(make_record())[:57]
    with open(path, "a", encoding="utf-8") as file:
        file.write(torn)
    warning = f"{path}:2{SKIPPED} (not valid JSON)"
    assert read_log(log_dir) == ([read_log(log_dir).sessions[0]], [warning])

    second = make_record("2026-03-02T11:00:00+01:00")
    append_record(second, log_dir, host="here")

    assert path.read_text(encoding="utf-8").split("\n") == [
        text_of(first),
        torn,
        text_of(second),
        "",
    ]
    read = read_log(log_dir)
    assert [session.record for session in read.sessions] == [second, first]
    assert read.warnings == [warning]


# --- a failed write keeps the record -------------------------------------------------------


def assert_kept_in_fallback(error: LogWriteError, record: Record, folder: Path) -> None:
    assert isinstance(error, DataError)
    assert error.fallback is not None
    assert error.fallback.parent == folder
    assert error.fallback.name == f"emoflat-unsaved-{record.id}.json"
    assert error.fallback.read_text(encoding="utf-8") == text_of(record) + "\n"
    assert error.record_json == text_of(record)
    assert mode_of(error.fallback) == 0o600
    message = str(error)
    assert "\n" not in message
    assert "could not be saved to the log" in message
    assert str(error.fallback) in message


@pytest.fixture
def blocker(tmp_path: Path) -> Path:
    """A regular file where a folder should be: making a folder in it fails, even for root."""
    path = tmp_path / "not-a-folder"
    path.write_text("")
    return path


def test_an_unusable_data_folder_keeps_the_record_in_the_fallback(blocker: Path) -> None:
    record = make_record()

    with pytest.raises(LogWriteError) as caught:
        append_record(record, blocker / "sessions")

    unsaved = paths.config_dir() / "unsaved"
    assert_kept_in_fallback(caught.value, record, unsaved)
    assert mode_of(unsaved) == 0o700


@contextlib.contextmanager
def mounted_tmpfs(mount_point: Path) -> Iterator[Path]:
    """A tiny real file system of 64 KiB mounted at ``mount_point``, unmounted after."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a tiny tmpfs needs root on Linux")
    mount_point.mkdir()
    options = ["-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mount_point)]
    done = subprocess.run(["mount", *options], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"mount is not permitted here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.fixture
def read_only_log_dir(tmp_path: Path) -> Iterator[tuple[Path, list[Record]]]:
    """A session folder that cannot be written, and the records already in it.

    Not root: the folder would go inside a 0500 folder. Root ignores modes, so for root
    it is a folder with one record on a tmpfs remounted read-only.
    """
    if sys.platform == "win32" or os.geteuid() != 0:
        parent = tmp_path / "read-only"
        parent.mkdir(mode=0o500)
        try:
            yield parent / "sessions", []
        finally:
            parent.chmod(0o700)
        return
    with mounted_tmpfs(tmp_path / "tiny") as mount_point:
        earlier = make_record("2026-03-01T10:00:00+01:00")
        append_record(earlier, mount_point / "sessions")
        done = subprocess.run(
            ["mount", "-o", "remount,ro", str(mount_point)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot remount read-only: {done.stderr.strip()}")
        yield mount_point / "sessions", [earlier]


@posix_only
def test_a_read_only_data_folder_keeps_the_record_in_the_fallback(
    read_only_log_dir: tuple[Path, list[Record]],
) -> None:
    log_dir, earlier = read_only_log_dir
    record = make_record()

    with pytest.raises(LogWriteError) as caught:
        append_record(record, log_dir)

    assert_kept_in_fallback(caught.value, record, paths.config_dir() / "unsaved")
    assert records(log_dir) == earlier


def test_a_full_disk_keeps_the_record_in_the_fallback(tmp_path: Path) -> None:
    with mounted_tmpfs(tmp_path / "tiny") as tmpfs:
        log_dir = tmpfs / "sessions"
        earlier = make_record("2026-03-01T10:00:00+01:00")
        append_record(earlier, log_dir, host="other")
        filler = os.open(tmpfs / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(filler, b"\0" * 4096)  # whole pages, so no partly used page is left
        except OSError:
            pass  # the disk is full
        finally:
            os.close(filler)
        record = make_record()

        with pytest.raises(LogWriteError) as caught:
            append_record(record, log_dir, host="here")

        assert_kept_in_fallback(caught.value, record, paths.config_dir() / "unsaved")
        assert "No space left on device" in str(caught.value)
        assert records(log_dir) == [earlier]


def test_a_record_is_never_kept_in_the_home_or_temporary_folder(
    blocker: Path, private_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    monkeypatch.setenv("EMOFLAT_CONFIG_DIR", str(blocker / "config"))
    record = make_record()

    with pytest.raises(LogWriteError) as caught:
        append_record(record, blocker / "sessions")

    assert caught.value.fallback is None
    assert caught.value.record_json == text_of(record)
    assert list(private_home.iterdir()) == []
    assert list(temporary.iterdir()) == []


def test_when_no_fallback_works_the_record_is_handed_back_to_print(
    blocker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMOFLAT_CONFIG_DIR", str(blocker / "config"))
    monkeypatch.setenv("HOME", str(blocker / "home"))
    monkeypatch.setattr(tempfile, "tempdir", str(blocker / "tmp"))
    record = make_record()

    with pytest.raises(LogWriteError) as caught:
        append_record(record, blocker / "sessions")

    error = caught.value
    assert error.fallback is None
    assert error.record_json == text_of(record)
    assert "\n" not in str(error)
    assert "printed below" in str(error)


def test_a_second_failure_for_one_session_does_not_overwrite_the_first(blocker: Path) -> None:
    record = make_record()
    with pytest.raises(LogWriteError) as first:
        append_record(record, blocker / "sessions")
    with pytest.raises(LogWriteError) as second:
        append_record(msgspec.structs.replace(record, note="changed"), blocker / "sessions")

    assert first.value.fallback is not None and second.value.fallback is not None
    assert first.value.fallback != second.value.fallback
    assert json.loads(first.value.fallback.read_text())["note"] == record.note
    assert json.loads(second.value.fallback.read_text())["note"] == "changed"


# --- deleting ------------------------------------------------------------------------------


@posix_only
def test_a_log_file_is_deleted_only_once_no_append_holds_it(
    log_dir: Path, lock_calls: tuple[threading.Event, list[bool]]
) -> None:
    asked, held = lock_calls
    path = append_record(make_record(), log_dir, host="here")
    asked.clear()
    held.clear()
    with open(path, "rb") as appending:
        fcntl.flock(appending.fileno(), fcntl.LOCK_EX)  # an append in progress
        deleter = threading.Thread(target=delete_log_file, args=(path,))
        deleter.start()
        assert asked.wait(timeout=30)
        assert path.exists()
        fcntl.flock(appending.fileno(), fcntl.LOCK_UN)
    deleter.join(timeout=30)

    assert held == [True]  # the file was still there when the deleter got the lock
    assert not path.exists()


@posix_only
def test_a_log_file_replaced_while_the_delete_waited_is_deleted_too(
    log_dir: Path, lock_calls: tuple[threading.Event, list[bool]]
) -> None:
    asked, held = lock_calls
    path = append_record(make_record(), log_dir, host="here")
    asked.clear()
    held.clear()
    with open(path, "rb") as old:
        fcntl.flock(old.fileno(), fcntl.LOCK_EX)
        deleter = threading.Thread(target=delete_log_file, args=(path,))
        deleter.start()
        assert asked.wait(timeout=30)
        replacement = path.with_name("synced.tmp")
        replacement.write_bytes(old.read())
        os.replace(replacement, path)  # as a sync tool leaves it
        fcntl.flock(old.fileno(), fcntl.LOCK_UN)
    deleter.join(timeout=30)

    assert len(held) == 2
    assert not path.exists()


def test_deleting_a_missing_log_file_is_no_error(log_dir: Path) -> None:
    delete_log_file(log_dir / "sessions-gone.jsonl")


def test_after_a_delete_the_next_append_starts_a_new_private_file(log_dir: Path) -> None:
    path = append_record(make_record(), log_dir, host="here")
    delete_log_file(path)
    record = make_record("2026-03-09T10:00:00+01:00")
    assert append_record(record, log_dir, host="here") == path
    assert records(log_dir) == [record]
    if sys.platform != "win32":
        assert mode_of(path) == 0o600


# --- reading -------------------------------------------------------------------------------


def test_host_files_merge_newest_first_and_a_copied_session_counts_once(log_dir: Path) -> None:
    oldest = make_record("2026-03-01T10:00:00+01:00")
    shared = make_record("2026-03-02T10:00:00+01:00", title="as the laptop wrote it")
    newest = make_record("2026-03-03T10:00:00+01:00")
    append_record(oldest, log_dir, host="a-laptop")
    append_record(shared, log_dir, host="a-laptop")
    copy = msgspec.structs.replace(shared, title="as the copy says")
    append_record(copy, log_dir, host="b-desktop")
    append_record(newest, log_dir, host="b-desktop")
    (log_dir / "notes.txt").write_text("not a log file")
    (log_dir / "old.jsonl.bak").write_text("not a log file either")

    assert records(log_dir) == [newest, shared, oldest]  # the first file's copy is kept


def test_files_are_read_in_name_order_each_id_once(log_dir: Path) -> None:
    shared = make_record("2026-03-02T10:00:00+01:00")
    late = make_record("2026-03-05T10:00:00+01:00")
    early = make_record("2026-03-01T10:00:00+01:00")
    write_lines(log_dir / "sessions-b.jsonl", encode(late), encode(shared))
    write_lines(log_dir / "sessions-a.jsonl", encode(msgspec.structs.replace(shared, note="a")))
    write_lines(log_dir / "sessions-c.jsonl", encode(early), encode(shared))
    write_lines(log_dir / ".sessions-hidden.jsonl", encode(make_record()))

    assert [path.name for path in log_files(log_dir)] == [
        ".sessions-hidden.jsonl",
        "sessions-a.jsonl",
        "sessions-b.jsonl",
        "sessions-c.jsonl",
    ]
    warnings: list[str] = []
    found = [session.record for session in iter_log(log_dir, warnings)]
    assert [record.id for record in found[1:]] == [shared.id, late.id, early.id]
    assert found[1].note == "a"
    assert warnings == []


def test_sessions_are_ordered_by_real_time_across_utc_offsets(log_dir: Path) -> None:
    # 10:30+02:00 is 08:30 UTC, earlier than 09:00+00:00, though it sorts later as text.
    in_athens = make_record("2026-03-02T10:30:00+02:00")
    in_london = make_record("2026-03-02T09:00:00+00:00")
    append_record(in_athens, log_dir, host="here")
    append_record(in_london, log_dir, host="here")

    assert records(log_dir) == [in_london, in_athens]


def test_a_session_keeps_its_line_as_stored_and_the_date_it_wrote(log_dir: Path) -> None:
    record = make_record("2026-03-04T23:30:00+10:00", note="café")
    line = json.dumps(msgspec.to_builtins(record), ensure_ascii=False).encode()  # spaced
    write_lines(log_dir / "sessions-hand.jsonl", line)

    [session] = read_log(log_dir).sessions

    assert session.line == line  # as stored: exports pass it on untouched
    assert session.record == record
    assert session.day == date(2026, 3, 4).toordinal()  # the date written, whatever the zone
    assert session.at == datetime(2026, 3, 4, 13, 30, tzinfo=UTC).timestamp()


def test_a_start_without_a_utc_offset_is_local_time(log_dir: Path) -> None:
    write_lines(log_dir / "sessions-hand.jsonl", encode(make_record()).replace(b"+01:00", b""))
    [session] = read_log(log_dir).sessions
    assert session.record.started == "2026-03-02T10:00:00"
    assert session.at == datetime(2026, 3, 2, 10).timestamp()


def test_damaged_lines_are_skipped_with_warnings_naming_file_and_line(log_dir: Path) -> None:
    early = make_record("2026-03-01T10:00:00+01:00")
    late = make_record("2026-03-03T10:00:00+01:00")
    mistyped = make_record("2026-03-02T10:00:00+01:00")
    path = log_dir / "sessions-here.jsonl"
    content = write_lines(
        path,
        encode(early),
        b"I edited this by hand {",
        b"",
        b'["a list", "not a record"]',
        b'{"id": "only-an-id"}',
        b'{"started": "2026-03-02T10:00:00+01:00"}',
        b'{"id": "x", "started": "last tuesday"}',
        b"   ",
        encode(late),
        b"\xff\xfe not utf-8",
        b"[" * 100_000,
        encode(mistyped).replace(b'"completed":true', b'"completed":"yes"'),
        b'{"id": "y", "started": "2026-02-30T10:00:00+01:00"}',
    )

    read = read_log(log_dir)

    assert [session.record for session in read.sessions] == [
        late,
        msgspec.structs.replace(mistyped, completed=None),
        early,
    ]
    prefix = f"{path}:"
    assert read.warnings == [
        f"{prefix}2{SKIPPED} (not valid JSON)",
        f"{prefix}4{SKIPPED} (not a JSON object)",
        f"{prefix}5{SKIPPED} (no started time)",
        f"{prefix}6{SKIPPED} (no id)",
        f"{prefix}7{SKIPPED} (started is not a date and time)",
        f"{prefix}10{SKIPPED} (not UTF-8 text)",
        f"{prefix}11{SKIPPED} (nested too deeply)",
        f"{prefix}12: kept the session, leaving out what is not as the log format says: completed",
        f"{prefix}13{SKIPPED} (started is not a date and time)",
    ]
    assert path.read_bytes() == content  # reading never changes the file


def test_warnings_count_lines_across_many_lines_and_files(log_dir: Path) -> None:
    good = [encode(make_record(f"2026-03-{1 + n % 28:02}T10:00:00+01:00")) for n in range(3000)]
    for name in ("a", "b"):
        lines = list(good)
        for number in (1, 1000, 2999):
            lines[number - 1] = b"not json at all"
        write_lines(log_dir / f"sessions-{name}.jsonl", *lines)
    with open(log_dir / "sessions-b.jsonl", "ab") as file:
        file.write(b'{"id": "torn", "star')

    read = read_log(log_dir)

    assert len(read.sessions) == 2997  # file b copies file a's sessions: each counted once
    named = [(name, number) for name in "ab" for number in (1, 1000, 2999)] + [("b", 3001)]
    assert [warning.split(SKIPPED)[0] for warning in read.warnings] == [
        f"{log_dir}/sessions-{name}.jsonl:{number}" for name, number in sorted(named)
    ]


@pytest.mark.parametrize("odd_id", ["a\nline break", "a lone \ud800 surrogate"])
def test_a_hand_edited_id_of_any_text_reads_and_counts_once(log_dir: Path, odd_id: str) -> None:
    odd = json.dumps({**msgspec.to_builtins(make_record()), "id": odd_id}).encode()
    other = encode(make_record("2026-03-09T10:00:00+01:00"))
    write_lines(log_dir / "sessions-a.jsonl", odd, other)
    write_lines(log_dir / "sessions-b.jsonl", odd)

    read = read_log(log_dir)

    assert read.warnings == []
    assert [session.record.id for session in read.sessions] == [json.loads(other)["id"], odd_id]


def test_a_last_line_still_being_written_is_read_once_complete(log_dir: Path) -> None:
    first, second = make_record(), make_record("2026-03-06T10:00:00+01:00")
    path = append_record(first, log_dir, host="here")
    line = encode(second) + b"\n"
    with open(path, "ab") as file:
        file.write(line[:40])
    assert len(read_log(log_dir).warnings) == 1
    with open(path, "ab") as file:
        file.write(line[40:])
    assert records(log_dir) == [second, first]


def test_reading_never_changes_the_log_folder(log_dir: Path) -> None:
    append_record(make_record(), log_dir, host="a")
    path = append_record(make_record(), log_dir, host="b")
    with open(path, "ab") as file:
        file.write(b'{"torn": ')
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in log_dir.iterdir()}
    read_log(log_dir)
    list(iter_log(log_dir, []))
    start_reading(log_dir).result(timeout=30)
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in log_dir.iterdir()}
    assert after == before
    assert not paths.cache_dir().exists()  # no second copy of the log anywhere


def test_a_missing_empty_or_blank_log_has_no_sessions(log_dir: Path) -> None:
    assert read_log(log_dir) == ([], [])
    log_dir.mkdir(parents=True)
    assert read_log(log_dir) == ([], [])
    write_lines(log_dir / "sessions-a.jsonl")
    write_lines(log_dir / "sessions-b.jsonl", b"", b"  ", b"\r")
    assert read_log(log_dir) == ([], [])


def test_a_folder_named_like_a_log_file_is_passed_over(log_dir: Path) -> None:
    (log_dir / "sessions-odd.jsonl").mkdir(parents=True)
    record = make_record()
    append_record(record, log_dir, host="here")
    assert records(log_dir) == [record]


def test_a_log_file_that_cannot_be_read_is_named_and_the_rest_read(
    log_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = make_record("2026-03-03T10:00:00+01:00")
    append_record(kept, log_dir, host="a")
    unreadable = append_record(make_record(), log_dir, host="b")

    open_regular = paths.open_regular

    def refusing_open(path: Path, limit: int) -> int:
        if Path(path) == unreadable:
            raise PermissionError(13, "Permission denied", str(path))
        return open_regular(path, limit)

    monkeypatch.setattr(paths, "open_regular", refusing_open)
    read = read_log(log_dir)
    assert [session.record for session in read.sessions] == [kept]
    assert read.warnings == [
        f"{unreadable}: skipped a file that could not be read (Permission denied)"
    ]


def test_a_log_folder_that_is_a_file_cannot_be_read(log_dir: Path) -> None:
    log_dir.parent.mkdir(parents=True)
    log_dir.write_text("a file where the folder should be")
    with pytest.raises(LogReadError, match="Could not read the session log folder") as caught:
        read_log(log_dir)
    assert isinstance(caught.value, DataError)


def test_start_reading_reads_in_a_thread_as_read_log_does(log_dir: Path) -> None:
    append_record(make_record(), log_dir, host="a")
    with open(append_record(make_record(), log_dir, host="b"), "ab") as file:
        file.write(b"torn")
    assert start_reading(log_dir).result(timeout=30) == read_log(log_dir)


def test_start_reading_hands_over_why_the_log_could_not_be_read(log_dir: Path) -> None:
    log_dir.parent.mkdir(parents=True)
    log_dir.write_text("a file where the folder should be")
    assert isinstance(start_reading(log_dir).exception(timeout=30), LogReadError)


def test_the_index_cache_of_emoflat_0_1_is_deleted_when_the_log_is_read() -> None:
    cache = paths.cache_dir()
    cache.mkdir(parents=True)
    old = [cache / "log-index-0123456789abcdef.bin", cache / ".log-index-0123456789abcdef.42.tmp"]
    for path in old:
        path.write_bytes(b"emoflat session log index\n")
    kept = cache / "library-v1.json"
    kept.write_text("{}")
    read_log()
    assert not any(path.exists() for path in old)
    assert kept.exists()


# --- the block reader reads as line by line does -------------------------------------------


def test_a_line_of_two_records_or_a_record_over_two_lines_is_skipped_not_misread(
    log_dir: Path,
) -> None:
    first, second, third = (make_record(f"2026-03-0{day}T10:00:00+01:00") for day in (1, 2, 3))
    over_two_lines = encode(third).replace(b',"started"', b',\n"started"')
    write_lines(
        log_dir / "sessions-hand.jsonl", encode(first) + b" " + encode(second), over_two_lines
    )

    read = read_log(log_dir)

    assert read.sessions == []
    path = log_dir / "sessions-hand.jsonl"
    assert read.warnings == [f"{path}:{n}{SKIPPED} (not valid JSON)" for n in (1, 2, 3)]


def odd_log_lines(rng: random.Random) -> list[bytes]:
    """Valid records with, here and there, lines of every odd kind."""
    odd = [
        b"",
        b"  ",
        b"\r",
        b"not json",
        b'{"id": "torn", "star',
        b"[1, 2, 3]",
        b'{"id": "x", "started": "yesterday"}',
        b'{"id": "y", "started": "2026-03-02T10:00:00"}',
        b'{"id": "\\ud800", "started": "2026-03-02T10:00:00+01:00"}',
        b"\xff\xfe",
        b"[" * 3000,
    ]
    lines = []
    for number in range(400):
        record = make_record(f"2026-{1 + number % 12:02}-{1 + number % 28:02}T10:00:00+01:00")
        line = encode(record)
        roll = rng.random()
        if roll < 0.05:
            line = rng.choice(odd)
        elif roll < 0.08:
            line = line.replace(b'"completed":true', b'"completed":"yes"')
        elif roll < 0.10:
            line = line + b"\r"
        elif roll < 0.12:
            line = line + b" " + encode(make_record())
        elif roll < 0.14:
            line = line.replace(b',"started"', b',\n"started"')
        elif roll < 0.16 and lines:
            line = lines[-1]  # a copied session
        lines.append(line)
    return lines


@pytest.mark.parametrize("block", [1, 97, 4096, 1 << 20])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_whole_log_reads_the_same_with_the_block_reader_switched_off(
    log_dir: Path, monkeypatch: pytest.MonkeyPatch, block: int, seed: int
) -> None:
    rng = random.Random(seed)
    for name in ("a", "b"):
        write_lines(log_dir / f"sessions-{name}.jsonl", *odd_log_lines(rng))
    with open(log_dir / "sessions-b.jsonl", "ab") as file:
        file.write(encode(make_record())[:-1])  # no line break at the end
    monkeypatch.setattr(store, "_BLOCK", block)
    in_blocks = read_log(log_dir)
    without_lines = list(iter_log(log_dir, [], lines=False))

    def refuse(data: bytes) -> list[Record]:
        raise ValueError("switched off for this test")

    monkeypatch.setattr(store, "decode_lines", refuse)
    line_by_line = read_log(log_dir)
    assert in_blocks.warnings == line_by_line.warnings
    assert in_blocks.sessions == line_by_line.sessions
    assert len(in_blocks.sessions) > 500
    assert any(":1: " in warning or "not valid JSON" in warning for warning in in_blocks.warnings)
    for session in in_blocks.sessions:
        assert decode(session.line, []) == session.record  # its own line
    assert [msgspec.structs.replace(s, line=b"") for s in iter_log(log_dir, [])] == without_lines
