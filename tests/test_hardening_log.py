"""The log against hostile files and faults (issue 12): a symbolic link, a FIFO, a device,
a full disk, a file or a line far too large, a lone surrogate, any bytes at all.

Everything is real: links and FIFOs made with ``os.symlink`` and ``os.mkfifo``, a full
disk made with ``RLIMIT_FSIZE`` in a child process, big files made sparse (no room taken
on the disk). What the user sees of the same faults, through the installed ``emoflat``,
is in ``test_hardening_cli.py``.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from records import make_record, record_fields

from emoflat import paths
from emoflat.log.record import Record, decode, encode
from emoflat.log.store import (
    MAX_LINE_BYTES,
    MAX_LOG_FILE_BYTES,
    LogWriteError,
    append_record,
    delete_log_file,
    log_file_for_host,
    read_log,
    unsaved_files,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="links, FIFOs and rlimits")

#: A read that would hang on a FIFO or fill the memory from /dev/zero is stopped here.
TIMEOUT = 30


@pytest.fixture(autouse=True)
def private_home_and_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A home and a temporary folder of the test's own (where older versions kept records)."""
    home, temporary = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temporary.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    return home, temporary


@pytest.fixture
def log_dir() -> Path:
    folder = paths.sessions_dir()
    folder.mkdir(parents=True)
    return folder


def text_of(record: Record) -> str:
    return encode(record).decode("utf-8")


def read_in_a_thread(directory: Path) -> tuple[list[Record], list[str]]:
    """``read_log`` with a time limit: a read blocked on a FIFO fails the test, not the run."""
    done: list[tuple[list[Record], list[str]]] = []

    def read() -> None:
        log = read_log(directory)
        done.append(([s.record for s in log.sessions], log.warnings))

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    assert done, f"reading the log did not end within {TIMEOUT} seconds"
    return done[0]


def assert_kept_aside(error: LogWriteError, record: Record) -> None:
    """The record is in the one private place for unsaved sessions, and the message,
    one line, says where."""
    assert error.fallback is not None
    assert error.fallback.parent == paths.unsaved_dir()
    assert error.fallback.read_text(encoding="utf-8") == text_of(record) + "\n"
    assert stat.S_IMODE(error.fallback.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.unsaved_dir().stat().st_mode) == 0o700
    assert "\n" not in str(error) and str(error.fallback) in str(error)


# --- item 3: a log file that is a symbolic link ------------------------------------------------


@pytest.mark.parametrize("target_kind", ["a file", "a missing file"])
def test_a_log_file_that_is_a_symlink_is_never_written_through(
    log_dir: Path, tmp_path: Path, target_kind: str
) -> None:
    target = tmp_path / "elsewhere.txt"
    if target_kind == "a file":
        target.write_bytes(b"someone else's file\n")
        target.chmod(0o644)
    log_path = log_file_for_host(log_dir, "here")
    log_path.symlink_to(target)
    record = make_record()

    with pytest.raises(LogWriteError) as caught:
        append_record(record, log_dir, host="here")

    assert "symbolic link" in str(caught.value)
    assert_kept_aside(caught.value, record)
    assert log_path.is_symlink()
    if target_kind == "a file":
        assert target.read_bytes() == b"someone else's file\n"
        assert stat.S_IMODE(target.stat().st_mode) == 0o644  # never made 0600
    else:
        assert not target.exists()


def test_a_log_file_replaced_by_a_link_while_waiting_for_the_lock_is_not_written(
    log_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from emoflat.log import store

    log_path = log_file_for_host(log_dir, "here")
    append_record(make_record("2026-03-01T10:00:00+01:00"), log_dir, host="here")
    target = tmp_path / "elsewhere.txt"
    target.write_bytes(b"keep\n")
    lock = store._lock

    def swap_then_lock(fd: int) -> None:
        if not log_path.is_symlink():
            log_path.unlink()
            log_path.symlink_to(target)
        lock(fd)

    monkeypatch.setattr(store, "_lock", swap_then_lock)
    record = make_record()
    with pytest.raises(LogWriteError) as caught:
        append_record(record, log_dir, host="here")
    assert "symbolic link" in str(caught.value)
    assert_kept_aside(caught.value, record)
    assert target.read_bytes() == b"keep\n"


@pytest.mark.parametrize("kind", ["a FIFO", "a folder"])
def test_a_log_file_that_is_not_a_regular_file_is_never_written(log_dir: Path, kind: str) -> None:
    log_path = log_file_for_host(log_dir, "here")
    os.mkfifo(log_path) if kind == "a FIFO" else log_path.mkdir()
    record = make_record()

    with pytest.raises(LogWriteError) as caught:
        append_record(record, log_dir, host="here")  # a FIFO without a reader: no wait

    assert_kept_aside(caught.value, record)
    if kind == "a FIFO":
        assert "FIFO" in str(caught.value)
        assert stat.S_ISFIFO(os.lstat(log_path).st_mode)


# --- item 5: a full disk, as a file size limit in a child process ------------------------------

APPEND_UNDER_A_SIZE_LIMIT = """
import json, resource, sys
from pathlib import Path
import msgspec
from emoflat.log.record import Record
from emoflat.log.store import LogWriteError, append_record

log_dir, limit, record = Path(sys.argv[1]), int(sys.argv[2]), sys.stdin.read()
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    append_record(msgspec.json.decode(record, type=Record), log_dir, host="here")
    print(json.dumps({"saved": True}))
except LogWriteError as error:
    print(json.dumps({"saved": False, "message": str(error), "fallback": str(error.fallback)}))
"""


@pytest.mark.parametrize("room", [0, 1, 40], ids=["no byte", "one byte", "part of the line"])
@pytest.mark.parametrize("torn", [False, True], ids=["whole last line", "torn last line"])
def test_an_append_cut_short_by_a_full_disk_leaves_the_file_exactly_as_it_was(
    log_dir: Path, room: int, torn: bool
) -> None:
    log_path = log_file_for_host(log_dir, "here")
    earlier = [make_record(f"2026-03-{day:02d}T10:00:00+01:00") for day in range(1, 21)]
    content = b"".join(encode(record) + b"\n" for record in earlier)
    if torn:
        content += b'{"v"'  # a crash's torn line: the next append starts a line of its own
    log_path.write_bytes(content)
    record = make_record()

    child = subprocess.run(
        [sys.executable, "-c", APPEND_UNDER_A_SIZE_LIMIT, str(log_dir), str(len(content) + room)],
        input=text_of(record),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert child.returncode == 0, child.stderr
    outcome = json.loads(child.stdout)
    assert outcome["saved"] is False
    assert "File too large" in outcome["message"]
    assert log_path.read_bytes() == content  # not a byte of the record left in it
    fallback = Path(outcome["fallback"])
    assert fallback.parent == paths.unsaved_dir()
    assert fallback.read_text(encoding="utf-8") == text_of(record) + "\n"
    log = read_log(log_dir)
    assert len(log.sessions) == len(earlier)
    assert len(log.warnings) == (1 if torn else 0)


def test_after_a_failed_append_the_next_one_reads_back_whole(log_dir: Path) -> None:
    log_path = log_file_for_host(log_dir, "here")
    log_path.write_bytes(encode(make_record("2026-03-01T10:00:00+01:00")) + b"\n")
    subprocess.run(
        [
            sys.executable,
            "-c",
            APPEND_UNDER_A_SIZE_LIMIT,
            str(log_dir),
            str(log_path.stat().st_size + 30),
        ],
        input=text_of(make_record()),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    append_record(make_record("2026-03-05T10:00:00+01:00"), log_dir, host="here")
    log = read_log(log_dir)
    assert len(log.sessions) == 2 and log.warnings == []


# --- item 7 and 8: only regular files of a sane size are read ----------------------------------


def test_a_fifo_named_like_a_log_file_is_skipped_by_name_and_never_waited_on(
    log_dir: Path,
) -> None:
    kept = make_record()
    append_record(kept, log_dir, host="here")
    fifo = log_dir / "sessions-fifo.jsonl"
    os.mkfifo(fifo)

    sessions, warnings = read_in_a_thread(log_dir)

    assert sessions == [kept]
    assert warnings == [f"{fifo}: skipped a file that is a FIFO (named pipe), not a regular file"]


def test_a_device_linked_as_a_log_file_is_skipped_as_not_a_regular_file(log_dir: Path) -> None:
    kept = make_record()
    append_record(kept, log_dir, host="here")
    zero = log_dir / "sessions-zero.jsonl"
    zero.symlink_to("/dev/zero")

    sessions, warnings = read_in_a_thread(log_dir)

    assert sessions == [kept]
    assert warnings == [f"{zero}: skipped a file that is a device, not a regular file"]


def test_a_log_file_over_the_limit_is_skipped_naming_its_size(log_dir: Path) -> None:
    kept = make_record()
    append_record(kept, log_dir, host="here")
    huge = log_dir / "sessions-huge.jsonl"
    with open(huge, "wb") as file:  # sparse: no room taken on the disk
        file.truncate(MAX_LOG_FILE_BYTES + 88 * 1024 * 1024)

    sessions, warnings = read_in_a_thread(log_dir)

    assert sessions == [kept]
    assert warnings == [
        f"{huge}: skipped a file that is 600.0 MiB; emoflat reads at most 512.0 MiB"
    ]


def test_a_line_far_too_long_is_skipped_and_the_lines_after_it_are_read(log_dir: Path) -> None:
    path = log_dir / "sessions-long.jsonl"
    first, last = make_record("2026-03-01T10:00:00+01:00"), make_record()
    with open(path, "wb") as file:
        file.write(encode(first) + b"\n")
        file.write(b"x" * (MAX_LINE_BYTES + 3 * 1024 * 1024) + b"\n")
        file.write(encode(last) + b"\n")

    sessions, warnings = read_in_a_thread(log_dir)

    assert sessions == [last, first]
    assert warnings == [f"{path}:2: skipped a line longer than 16.0 MiB (not a session record)"]


# --- item 6: a lone surrogate ------------------------------------------------------------------


def test_a_lone_surrogate_in_a_log_line_reads_as_a_session(log_dir: Path) -> None:
    fields = record_fields(title="\udc80 hands", note="a \ud800 note")
    (log_dir / "sessions-x.jsonl").write_text(json.dumps(fields) + "\n", encoding="ascii")
    [session] = read_log(log_dir).sessions
    assert session.record.title == "\udc80 hands"
    assert session.record.note == "a \ud800 note"


# --- item 9: records kept aside live in one private place -------------------------------------


def test_records_kept_aside_are_all_in_the_unsaved_folder_and_nowhere_else(
    tmp_path: Path, private_home_and_temp: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    records = [make_record() for _ in range(3)]
    for record in records:
        with pytest.raises(LogWriteError) as caught:
            append_record(record, blocker / "sessions")
        assert_kept_aside(caught.value, record)
    home, temporary = private_home_and_temp
    assert list(home.iterdir()) == [] and list(temporary.iterdir()) == []
    assert len(unsaved_files()) == 3


def test_unsaved_files_lists_what_older_versions_left_in_the_home_and_temp_folders(
    private_home_and_temp: tuple[Path, Path],
) -> None:
    home, temporary = private_home_and_temp
    old = [home / "emoflat-unsaved-a.json", temporary / "emoflat-unsaved-b-1.json"]
    for path in old:
        path.write_text("{}\n")
    (home / "emoflat-unsaved-link.json").symlink_to(old[0])  # not a file of its own
    (temporary / "unrelated.json").write_text("{}\n")
    assert unsaved_files() == sorted(old)


# --- deleting never waits on a FIFO or follows a link -----------------------------------------


def test_deleting_a_fifo_or_a_link_named_like_a_log_file_neither_waits_nor_follows(
    log_dir: Path, tmp_path: Path
) -> None:
    fifo, link = log_dir / "sessions-fifo.jsonl", log_dir / "sessions-link.jsonl"
    os.mkfifo(fifo)
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep")
    link.symlink_to(target)
    done = threading.Event()

    def delete() -> None:
        delete_log_file(fifo)
        delete_log_file(link)
        done.set()

    threading.Thread(target=delete, daemon=True).start()
    assert done.wait(TIMEOUT), "deleting a FIFO waited for a writer"
    assert not os.path.lexists(fifo) and not os.path.lexists(link)
    assert target.read_text() == "keep"


# --- properties: any bytes in a log file read, never raise, in bounded time -------------------

LINE = st.one_of(
    st.binary(max_size=300),
    st.just(None).map(lambda _: encode(make_record())),
    st.builds(
        lambda fields: json.dumps(fields, ensure_ascii=False).encode("utf-8", "surrogatepass"),
        st.fixed_dictionaries(
            {},
            optional={
                "v": st.one_of(st.integers(), st.floats(), st.text(max_size=5)),
                "id": st.text(max_size=10),
                "started": st.one_of(st.text(max_size=30), st.just("2026-03-01T10:00:00+01:00")),
                "title": st.text(max_size=20),
                "planned_seconds": st.one_of(st.integers(), st.floats()),
                "practiced_seconds": st.one_of(st.integers(), st.floats()),
                "before": st.one_of(st.none(), st.dictionaries(st.text(max_size=5), st.integers())),
                "answers": st.lists(st.dictionaries(st.text(max_size=5), st.text(max_size=5))),
                "tags": st.lists(st.text(max_size=5)),
            },
        ).map(lambda d: {**record_fields(), **d}),
    ),
)


@settings(
    max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=4096))
def test_any_bytes_in_a_log_file_give_sessions_or_warnings_never_an_exception(
    tmp_path: Path, data: bytes
) -> None:
    folder = tmp_path / "any-bytes"
    folder.mkdir(exist_ok=True)
    (folder / "sessions-any.jsonl").write_bytes(data)
    log = read_log(folder)
    assert all(isinstance(s.record, Record) for s in log.sessions)
    assert all(isinstance(w, str) and "\n" not in w for w in log.warnings)


@settings(
    max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(LINE, max_size=12), ends=st.booleans())
def test_any_mix_of_records_and_junk_lines_reads_every_record_and_never_raises(
    tmp_path: Path, lines: list[bytes], ends: bool
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir(exist_ok=True)
    data = b"\n".join(lines) + (b"\n" if ends else b"")
    (folder / "sessions-mixed.jsonl").write_bytes(data)
    log = read_log(folder)
    assert all(isinstance(w, str) and "\n" not in w for w in log.warnings)
    # Read a line at a time, as plainly as can be: the same sessions, none misread.
    expected: dict[str, Record] = {}
    for raw in data.split(b"\n"):
        found = decode(raw, [])
        if isinstance(found, Record) and found.id not in expected:
            try:
                datetime.fromisoformat(found.started).timestamp()
            except (ValueError, OverflowError, OSError):
                continue
            expected[found.id] = found
    assert {s.record.id: s.record for s in log.sessions} == expected
