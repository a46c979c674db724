"""The session log: appends that never interleave or get lost, reads that never delete."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from records import make_record

from emoflat import paths
from emoflat.errors import DataError
from emoflat.sessionlog import (
    InvalidRecordError,
    LogWriteError,
    append_record,
    log_file_for_host,
    new_session_id,
    read_records,
    record_text,
)

if sys.platform != "win32":
    import fcntl

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="file modes and flock are POSIX")

# A child process's record template; the child fills in id and started.
_CHILD_PRELUDE = """
import json, sys, time
from datetime import datetime, timedelta
from pathlib import Path
from emoflat.sessionlog import append_record, new_session_id

directory, host, worker, count, template = sys.argv[1:6]
template = json.loads(template)
base = datetime.fromisoformat("2026-03-02T10:00:00+01:00")

def record(i):
    started = base + timedelta(seconds=int(worker) * 100_000 + i)
    return dict(template, id=new_session_id(), started=started.isoformat())
"""


def start_child(code: str, *arguments: str) -> subprocess.Popen[bytes]:
    """Run the child prelude plus ``code`` in a fresh Python process."""
    return subprocess.Popen([sys.executable, "-c", _CHILD_PRELUDE + code, *arguments])


def skip_or_fail(reason: str) -> None:
    """Skip on a developer's machine; fail on CI, where every test must really run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so this cannot be skipped)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's real data, config and home out of every test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("EMOFLAT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EMOFLAT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "sessions"


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextlib.contextmanager
def mounted_tmpfs(mount_point: Path) -> Iterator[Path]:
    """A tiny real file system of 64 KiB mounted at ``mount_point``, unmounted after."""
    if sys.platform != "linux" or os.geteuid() != 0:
        skip_or_fail("mounting a tiny tmpfs needs root on Linux")
    mount_point.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mount_point)],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        skip_or_fail(f"cannot run mount: {exc}")
    if done.returncode != 0:
        skip_or_fail(f"mount is not permitted here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    with mounted_tmpfs(tmp_path / "tiny") as mount_point:
        yield mount_point


# --- Appending and reading back ---------------------------------------------------------


def test_a_record_round_trips(log_dir: Path) -> None:
    record = make_record(extra_field_from_the_future={"kept": True})

    written = append_record(record)

    assert written == log_file_for_host(paths.sessions_dir())
    assert written.parent == log_dir
    read = read_records()
    assert read.records == [record]
    assert read.warnings == []


def test_a_record_is_one_compact_utf8_line(log_dir: Path) -> None:
    record = make_record(note="line one\nline two\u2028still the note\r\ttabbed", title="Café")

    path = append_record(record, log_dir, host="here")

    content = path.read_bytes()
    assert content.count(b"\n") == 1 and content.endswith(b"\n")
    assert content.decode("utf-8") == record_text(record) + "\n"
    assert "Café" in content.decode("utf-8")  # not \u00e9
    compact = json.dumps(record, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    assert content.decode("utf-8") == compact + "\n"
    assert read_records(log_dir).records == [record]


def test_new_session_ids_are_unique_uuids() -> None:
    ids = {new_session_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(session_id) == 36 for session_id in ids)


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
    path = log_file_for_host(Path("/logs"), host)
    assert path == Path("/logs") / file_name


def test_the_default_host_is_this_machine(tmp_path: Path) -> None:
    name = log_file_for_host(tmp_path).name
    assert name.startswith("sessions-") and name.endswith(".jsonl")
    assert name != "sessions-.jsonl"


@pytest.mark.parametrize(
    "change",
    [
        {"v": None},
        {"id": "not-a-uuid"},
        {"practice": 3},
        {"started": "2026-03-02T10:00:00"},  # no UTC offset
        {"ended": "2026-03-02T10:03:00.250000+01:00"},  # not seconds precision
        {"started": "yesterday"},
        {"planned_seconds": True},
        {"practiced_seconds": -1},
        {"completed": "yes"},
        {"before": "calm"},
        {"answers": None},
        {"note": 7},
        {"after": {"feel": float("nan")}},
    ],
    ids=lambda change: next(iter(change)),
)
def test_an_invalid_record_is_refused_and_nothing_is_written(
    log_dir: Path, change: dict[str, Any]
) -> None:
    with pytest.raises(InvalidRecordError):
        append_record(make_record(**change), log_dir)
    assert not log_dir.exists()


def test_a_record_missing_a_field_is_refused(log_dir: Path) -> None:
    record = make_record()
    del record["note"]
    with pytest.raises(InvalidRecordError, match="note"):
        append_record(record, log_dir)


# --- Privacy: folder 0700, file 0600 ----------------------------------------------------


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
def test_an_existing_log_file_is_made_private(log_dir: Path) -> None:
    log_dir.mkdir(parents=True)
    path = log_file_for_host(log_dir, "here")
    path.write_text(record_text(make_record()) + "\n")
    path.chmod(0o644)

    append_record(make_record(), log_dir, host="here")

    assert mode_of(path) == 0o600
    assert len(read_records(log_dir).records) == 2


def test_the_module_imports_no_ui_library() -> None:
    code = "import sys, emoflat.sessionlog; print(sorted({'textual', 'rich'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# --- Concurrency and crashes ------------------------------------------------------------


@posix_only
def test_concurrent_appenders_lose_nothing(log_dir: Path, tmp_path: Path) -> None:
    go = tmp_path / "go"
    code = """
go = Path(sys.argv[6])
while not go.exists():
    time.sleep(0.001)
for i in range(int(count)):
    append_record(record(i), Path(directory), host=host)
"""
    template = json.dumps(make_record())
    children = [
        start_child(code, str(log_dir), "shared", str(worker), "500", template, str(go))
        for worker in range(8)
    ]
    time.sleep(0.3)  # let every child start, so they all append at once
    go.touch()
    for child in children:
        assert child.wait(timeout=60) == 0

    lines = log_file_for_host(log_dir, "shared").read_bytes().split(b"\n")
    assert lines[-1] == b""
    assert len(lines[:-1]) == 4000
    ids = {json.loads(line)["id"] for line in lines[:-1]}
    assert len(ids) == 4000
    read = read_records(log_dir)
    assert read.warnings == []
    assert {record["id"] for record in read.records} == ids


@posix_only
def test_a_killed_appender_leaves_a_log_that_reads_back(log_dir: Path) -> None:
    code = """
for i in range(int(count)):
    append_record(record(i), Path(directory), host=host)
"""
    template = json.dumps(make_record())
    child = start_child(code, str(log_dir), "crashy", "0", "1000000", template)
    path = log_file_for_host(log_dir, "crashy")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= 200:
            break
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=10) == -signal.SIGKILL

    content = path.read_bytes()
    lines = content.split(b"\n")
    complete, last = lines[:-1], lines[-1]
    assert len(complete) >= 200
    for line in complete:
        json.loads(line)  # every finished line is whole
    read = read_records(log_dir)
    assert len(read.records) == len(complete)
    if last:  # killed mid-write: only the torn last line is skipped, by name and number
        assert read.warnings == [
            f"{path}:{len(lines)}: skipped a line that is not a valid session record "
            "(not valid JSON)"
        ]
    else:
        assert read.warnings == []

    append_record(make_record(), log_dir, host="crashy")
    assert len(read_records(log_dir).records) == len(complete) + 1


@posix_only
def test_an_append_waiting_for_the_lock_follows_a_replaced_log(log_dir: Path) -> None:
    """If something rewrites the log (temporary file + rename) while an appender waits
    for the lock, the record lands in the new file, not in the orphaned old one."""
    path = append_record(make_record(), log_dir, host="here")
    code = "append_record(record(0), Path(directory), host=host)"
    with open(path, "rb") as old:
        fcntl.flock(old.fileno(), fcntl.LOCK_EX)
        child = start_child(code, str(log_dir), "here", "1", "1", json.dumps(make_record()))
        time.sleep(0.5)  # the child is now blocked on the lock
        replacement = path.with_name("rewrite.tmp")
        replacement.write_bytes(old.read())
        os.replace(replacement, path)
        fcntl.flock(old.fileno(), fcntl.LOCK_UN)
    assert child.wait(timeout=20) == 0

    assert len(read_records(log_dir).records) == 2


# --- Damaged lines are skipped, never deleted --------------------------------------------


def test_a_torn_last_line_is_skipped_kept_and_followed_by_a_new_line(log_dir: Path) -> None:
    first = make_record(started="2026-03-02T09:00:00+01:00")
    path = append_record(first, log_dir, host="here")
    torn = record_text(make_record())[:57]
    with open(path, "a", encoding="utf-8") as file:
        file.write(torn)

    read = read_records(log_dir)
    assert read.records == [first]
    assert read.warnings == [
        f"{path}:2: skipped a line that is not a valid session record (not valid JSON)"
    ]

    second = make_record(started="2026-03-02T11:00:00+01:00")
    append_record(second, log_dir, host="here")

    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines == [record_text(first), torn, record_text(second), ""]
    read = read_records(log_dir)
    assert read.records == [second, first]
    assert read.warnings == [
        f"{path}:2: skipped a line that is not a valid session record (not valid JSON)"
    ]


def test_damaged_lines_in_the_middle_are_skipped_with_warnings(log_dir: Path) -> None:
    log_dir.mkdir(parents=True)
    path = log_dir / "sessions-here.jsonl"
    early = make_record(started="2026-03-01T10:00:00+01:00")
    late = make_record(started="2026-03-03T10:00:00+01:00")
    content = (
        "\n".join(
            [
                record_text(early),
                "I edited this by hand {",
                "",
                '["a list", "not a record"]',
                '{"id": "only-an-id"}',
                '{"started": "2026-03-02T10:00:00+01:00"}',
                '{"id": "x", "started": "last tuesday"}',
                "   ",
                record_text(late),
                "",
            ]
        ).encode("utf-8")
        + b"\xff\xfe not utf-8\n"
        + b"[" * 100_000
        + b"\n"
    )
    path.write_bytes(content)

    read = read_records(log_dir)

    assert read.records == [late, early]
    prefix = f"{path}:"
    suffix = ": skipped a line that is not a valid session record"
    assert read.warnings == [
        f"{prefix}2{suffix} (not valid JSON)",
        f"{prefix}4{suffix} (not a JSON object)",
        f"{prefix}5{suffix} (no started time)",
        f"{prefix}6{suffix} (no id)",
        f"{prefix}7{suffix} (started is not a date and time)",
        f"{prefix}10{suffix} (not UTF-8 text)",
        f"{prefix}11{suffix} (nested too deeply)",
    ]
    assert path.read_bytes() == content  # reading never changes the file


def test_a_missing_folder_reads_as_no_records(tmp_path: Path) -> None:
    read = read_records(tmp_path / "nothing here")
    assert read.records == [] and read.warnings == []


# --- Merging files from several machines ------------------------------------------------


def test_host_files_merge_into_one_history_newest_first(log_dir: Path) -> None:
    oldest = make_record(started="2026-03-01T10:00:00+01:00")
    shared = make_record(started="2026-03-02T10:00:00+01:00", title="as laptop wrote it")
    newest = make_record(started="2026-03-03T10:00:00+01:00")
    append_record(oldest, log_dir, host="a-laptop")
    append_record(shared, log_dir, host="a-laptop")
    append_record(dict(shared, title="as the copy says"), log_dir, host="b-desktop")
    append_record(newest, log_dir, host="b-desktop")
    (log_dir / "notes.txt").write_text("not a log file")

    read = read_records(log_dir)

    assert read.records == [newest, shared, oldest]
    assert read.warnings == []


def test_history_is_ordered_by_real_time_across_utc_offsets(log_dir: Path) -> None:
    # 10:30+02:00 is 08:30 UTC, earlier than 09:00+00:00, although it sorts later as text.
    in_athens = make_record(started="2026-03-02T10:30:00+02:00")
    in_london = make_record(started="2026-03-02T09:00:00+00:00")
    append_record(in_athens, log_dir, host="here")
    append_record(in_london, log_dir, host="here")

    assert read_records(log_dir).records == [in_london, in_athens]


# --- Failed writes keep the record -------------------------------------------------------


def assert_kept_in_fallback(error: LogWriteError, record: dict[str, Any], folder: Path) -> None:
    assert isinstance(error, DataError)
    assert error.fallback is not None
    assert error.fallback.parent == folder
    assert error.fallback.name == f"emoflat-unsaved-{record['id']}.json"
    assert json.loads(error.fallback.read_text(encoding="utf-8")) == record
    assert error.fallback.read_text(encoding="utf-8") == record_text(record) + "\n"
    assert error.record_json == record_text(record)
    assert mode_of(error.fallback) == 0o600
    message = str(error)
    assert "\n" not in message
    assert "could not be saved to the log" in message
    assert str(error.fallback) in message


def test_an_unusable_data_folder_keeps_the_record_in_the_fallback(tmp_path: Path) -> None:
    # A regular file where a folder should be: mkdir fails (ENOTDIR), even for root.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    record = make_record()

    with pytest.raises(LogWriteError) as caught:
        append_record(record, blocker / "sessions")

    assert_kept_in_fallback(caught.value, record, paths.config_dir() / "unsaved")
    assert mode_of(paths.config_dir() / "unsaved") == 0o700


@pytest.fixture
def read_only_log_dir(tmp_path: Path) -> Iterator[tuple[Path, list[dict[str, Any]]]]:
    """A session folder that cannot be written, and the records already in it.

    Not root: the folder would go inside a 0500 folder. Root ignores modes, so for root
    it is a folder with one record on a tmpfs remounted read-only.
    """
    if os.geteuid() != 0:
        parent = tmp_path / "read-only"
        parent.mkdir(mode=0o500)
        try:
            yield parent / "sessions", []
        finally:
            parent.chmod(0o700)
        return
    with mounted_tmpfs(tmp_path / "tiny") as mount_point:
        earlier = make_record(started="2026-03-01T10:00:00+01:00")
        append_record(earlier, mount_point / "sessions")
        done = subprocess.run(
            ["mount", "-o", "remount,ro", str(mount_point)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            skip_or_fail(f"cannot remount read-only: {done.stderr.strip()}")
        yield mount_point / "sessions", [earlier]


@posix_only
def test_a_read_only_data_folder_keeps_the_record_in_the_fallback(
    read_only_log_dir: tuple[Path, list[dict[str, Any]]],
) -> None:
    log_dir, earlier = read_only_log_dir
    record = make_record()

    with pytest.raises(LogWriteError) as caught:
        append_record(record, log_dir)

    assert_kept_in_fallback(caught.value, record, paths.config_dir() / "unsaved")
    assert read_records(log_dir).records == earlier


def test_a_full_disk_keeps_the_record_in_the_fallback(tmpfs: Path) -> None:
    log_dir = tmpfs / "sessions"
    earlier = make_record(started="2026-03-01T10:00:00+01:00")
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
    assert read_records(log_dir).records == [earlier]


def test_the_fallback_moves_on_to_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("EMOFLAT_CONFIG_DIR", str(blocker / "config"))
    record = make_record()

    with pytest.raises(LogWriteError) as caught:
        append_record(record, blocker / "sessions")

    assert_kept_in_fallback(caught.value, record, Path.home())


def test_when_no_fallback_works_the_record_is_handed_back_to_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("EMOFLAT_CONFIG_DIR", str(blocker / "config"))
    monkeypatch.setenv("HOME", str(blocker / "home"))
    monkeypatch.setattr(tempfile, "tempdir", str(blocker / "tmp"))
    record = make_record()

    with pytest.raises(LogWriteError) as caught:
        append_record(record, blocker / "sessions")

    error = caught.value
    assert error.fallback is None
    assert json.loads(error.record_json) == record
    assert "\n" not in str(error)
    assert "printed below" in str(error)


def test_a_second_failure_for_one_session_does_not_overwrite_the_first(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    record = make_record()
    with pytest.raises(LogWriteError) as first:
        append_record(record, blocker / "sessions")
    with pytest.raises(LogWriteError) as second:
        append_record(dict(record, note="changed"), blocker / "sessions")

    assert first.value.fallback != second.value.fallback
    assert first.value.fallback is not None and second.value.fallback is not None
    assert json.loads(first.value.fallback.read_text())["note"] == record["note"]
    assert json.loads(second.value.fallback.read_text())["note"] == "changed"
