"""History, stats, export and forget: the log shown plainly, quickly, and deleted on request.

Logs are real files written with ``append_record`` into the test's own data folder
(``conftest.py`` points emoflat's folders at ``tmp_path``).
"""

from __future__ import annotations

import json
import os
import stat
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from emoflat import paths, sessionlog
from emoflat.sessionlog import (
    LogIndex,
    append_record,
    index_cache_file,
    new_session_id,
    read_index,
    read_records,
)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="file modes are POSIX")

PLUS_ONE = timezone(timedelta(hours=1))


def make_record(started: str = "2026-03-02T10:00:00+01:00", **fields: Any) -> dict[str, Any]:
    """A complete, valid session record starting at ``started``; fields replace the rest."""
    start = datetime.fromisoformat(started)
    record: dict[str, Any] = {
        "v": 1,
        "id": new_session_id(),
        "practice": "hands",
        "title": "Noticing your hands",
        "started": started,
        "ended": (start + timedelta(seconds=180)).isoformat(),
        "planned_seconds": 180,
        "practiced_seconds": 172,
        "completed": True,
        "before": {"feel": 2, "tone": "can't tell", "words": ["flat", "foggy"]},
        "after": {"feel": 3, "tone": "mixed", "words": ["warm"], "felt": "not sure"},
        "answers": [{"step": 2, "prompt": "What did you notice?", "text": "warmth, maybe"}],
        "note": "Nothing much.\nThat is fine.",
    }
    record.update(fields)
    return record


@pytest.fixture
def log_dir() -> Path:
    return paths.sessions_dir()


def log(*records: dict[str, Any], host: str = "laptop") -> Path:
    """Append records to ``host``'s file in the user's (test) log folder."""
    path = paths.sessions_dir()
    for record in records:
        path = append_record(record, host=host)
    return path


def ids(index: LogIndex) -> list[str]:
    return [index.ids[row] for row in index.rows]


# --- the index and its cache --------------------------------------------------------------


def write_mixed_log(log_dir: Path) -> list[dict[str, Any]]:
    """Two host files with a duplicate id, a torn line, a blank line and an unknown field."""
    shared = make_record("2026-03-03T09:00:00+01:00")
    laptop = [
        make_record("2026-03-02T10:00:00+01:00", tags=["tired day"]),
        shared,
        make_record("2026-03-05T08:00:00+01:00", mood_colour="blue"),
    ]
    desktop = [make_record("2026-03-04T12:00:00+00:00"), dict(shared, title="Copied")]
    log(*laptop, host="laptop")
    log(*desktop, host="desktop")
    with open(log_dir / "sessions-laptop.jsonl", "ab") as file:
        file.write(b'\n{"v":1,"id":"torn-by-a-cr')
    return [laptop[2], desktop[0], shared, laptop[0]]


def test_the_index_agrees_with_read_records(log_dir: Path) -> None:
    expected = write_mixed_log(log_dir)
    cold = read_index(text=True)
    warm = read_index(text=True)
    records = read_records()
    for index in (cold, warm):
        assert ids(index) == [r["id"] for r in records.records] == [r["id"] for r in expected]
        assert index.warnings == records.warnings
        assert [index.record(row) for row in index.rows] == records.records


def test_line_gives_each_record_exactly_as_stored(log_dir: Path) -> None:
    record = make_record(note="café — ünïcode")
    path = log(record)
    stored = path.read_bytes().rstrip(b"\n")
    index = read_index(text=True)
    assert index.line(index.rows[0]) == stored


def test_an_index_read_without_text_has_no_lines(log_dir: Path) -> None:
    log(make_record())
    index = read_index()
    with pytest.raises(RuntimeError):
        index.line(index.rows[0])


def count_parsed_lines(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    parsed: list[bytes] = []
    original = sessionlog._parse_line

    def counting(raw: bytes) -> Any:
        if raw.strip():
            parsed.append(raw)
        return original(raw)

    monkeypatch.setattr(sessionlog, "_parse_line", counting)
    return parsed


def test_a_warm_read_parses_nothing(log_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log(*[make_record(f"2026-03-0{day}T10:00:00+01:00") for day in range(1, 6)])
    read_index()
    parsed = count_parsed_lines(monkeypatch)
    assert len(read_index()) == 5
    assert parsed == []


def test_after_an_append_only_the_new_line_is_parsed(
    log_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log(*[make_record(f"2026-03-0{day}T10:00:00+01:00") for day in range(1, 6)])
    read_index()
    newest = make_record("2026-03-09T10:00:00+01:00")
    log(newest)
    parsed = count_parsed_lines(monkeypatch)
    for text in (False, True):
        index = read_index(text=text)
        assert ids(index)[0] == newest["id"]
        assert len(index) == 6
    assert len(parsed) == 1


def test_a_file_edited_in_place_is_indexed_again(log_dir: Path) -> None:
    path = log(make_record(title="Noticing your hands"), make_record(title="Second"))
    read_index()
    before = os.stat(path)
    data = path.read_bytes().replace(b"Noticing your hands", b"Noticing your HANDS")
    with open(path, "r+b") as file:  # same inode, same size
        file.write(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # even the same mtime
    for text in (False, True):
        index = read_index(text=text)
        titles = {index.practice_of(row)[1] for row in index.rows}
        assert titles == {"Noticing your HANDS", "Second"}


def test_a_file_edited_and_grown_is_indexed_again(log_dir: Path) -> None:
    path = log(make_record(title="Old title"), make_record(title="Second"))
    read_index()
    data = path.read_bytes().replace(b"Old title", b"New title, longer")
    with open(path, "r+b") as file:
        file.write(data)
    index = read_index()
    assert {index.practice_of(row)[1] for row in index.rows} == {"New title, longer", "Second"}


def test_a_shrunk_or_replaced_file_is_indexed_again(log_dir: Path) -> None:
    first, second = make_record(), make_record("2026-03-05T10:00:00+01:00")
    path = log(first, second)
    read_index()
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(lines[0])  # shrunk
    assert ids(read_index()) == [first["id"]]
    replacement = path.with_name("replacement")
    replacement.write_bytes(lines[1])
    os.replace(replacement, path)  # a new inode, as a sync tool leaves it
    assert ids(read_index()) == [second["id"]]


def test_a_removed_file_leaves_the_index(log_dir: Path) -> None:
    kept = make_record()
    log(kept, host="laptop")
    log(make_record(), host="desktop")
    assert len(read_index()) == 2
    (log_dir / "sessions-desktop.jsonl").unlink()
    assert ids(read_index()) == [kept["id"]]


def test_a_torn_last_line_is_warned_about_until_a_new_record_follows(log_dir: Path) -> None:
    first = make_record()
    path = log(first)
    with open(path, "ab") as file:
        file.write(b'{"v":1,"id":"half')
    for _ in range(2):  # cold, then warm: the unfinished line is never cached
        index = read_index()
        assert ids(index) == [first["id"]]
        assert index.warnings == [
            f"{path}:2: skipped a line that is not a valid session record (not valid JSON)"
        ]
    second = make_record("2026-03-06T10:00:00+01:00")
    log(second)
    index = read_index()
    assert ids(index) == [second["id"], first["id"]]
    assert index.warnings == [
        f"{path}:2: skipped a line that is not a valid session record (not valid JSON)"
    ]


def test_a_last_line_still_being_written_is_read_once_complete(log_dir: Path) -> None:
    first, second = make_record(), make_record("2026-03-06T10:00:00+01:00")
    path = log(first)
    line = sessionlog.record_text(second).encode() + b"\n"
    with open(path, "ab") as file:
        file.write(line[:40])
    assert len(read_index().warnings) == 1
    with open(path, "ab") as file:
        file.write(line[40:])
    index = read_index()
    assert ids(index) == [second["id"], first["id"]]
    assert index.warnings == []


def test_reading_never_changes_the_log(log_dir: Path) -> None:
    write_mixed_log(log_dir)
    before = {p.name: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in log_dir.iterdir()}
    read_index()
    read_index(text=True)
    after = {p.name: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in log_dir.iterdir()}
    assert after == before


@posix_only
def test_the_index_cache_is_private(log_dir: Path) -> None:
    log(make_record())
    read_index()
    cache = index_cache_file()
    assert cache.parent == paths.cache_dir()
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize("damage", ["garbage", "flipped", "truncated", "empty"])
def test_a_damaged_cache_is_ignored_and_rebuilt(log_dir: Path, damage: str) -> None:
    record = make_record()
    log(record)
    read_index()
    cache = index_cache_file()
    data = cache.read_bytes()
    if damage == "garbage":
        data = b"not a cache at all"
    elif damage == "flipped":
        data = data[:-3] + bytes([data[-3] ^ 0xFF]) + data[-2:]
    elif damage == "truncated":
        data = data[: len(data) // 2]
    else:
        data = b""
    cache.write_bytes(data)
    assert ids(read_index()) == [record["id"]]
    assert sessionlog._IndexCache(log_dir).load() is not None  # saved again, whole


def test_an_unwritable_cache_folder_only_costs_time(
    log_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = make_record()
    log(record)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("EMOFLAT_CACHE_DIR", str(blocker / "cache"))
    assert ids(read_index()) == [record["id"]]


def test_each_log_folder_has_its_own_cache(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    first, second = make_record(), make_record()
    append_record(first, one, host="a")
    append_record(second, two, host="a")
    assert ids(read_index(one)) == [first["id"]]
    assert ids(read_index(two)) == [second["id"]]
    assert ids(read_index(one)) == [first["id"]]
    assert index_cache_file(one) != index_cache_file(two)


def test_without_the_cache_nothing_is_saved(log_dir: Path) -> None:
    log(make_record())
    assert len(read_index(use_cache=False)) == 1
    assert not index_cache_file().exists()


def test_a_missing_or_empty_log_is_an_empty_index(log_dir: Path) -> None:
    assert len(read_index()) == 0
    log_dir.mkdir(parents=True)
    (log_dir / "sessions-laptop.jsonl").write_bytes(b"")
    index = read_index(text=True)
    assert (len(index), index.warnings) == (0, [])


def test_odd_fields_are_tolerated(log_dir: Path) -> None:
    odd = make_record(
        before=None,
        after="not an object",
        practiced_seconds="ten",
        completed="yes",
        answers=None,
        note=42,
        tags="tired day",
    )
    del odd["title"], odd["planned_seconds"]
    log_dir.mkdir(parents=True)
    (log_dir / "sessions-hand.jsonl").write_text(json.dumps(odd) + "\n")
    index = read_index()
    row = index.rows[0]
    assert index.practice_of(row) == ("hands", None)
    assert index.practiced[row] != index.practiced[row]  # NaN: not recorded
    assert index.completed[row] == -1
    assert index.texts(index.tags[row]) == ()
    assert (index.answers[row], index.note[row]) == (0, 0)


def test_from_records_indexes_records_in_memory() -> None:
    records = [make_record("2026-03-01T10:00:00+01:00"), make_record("2026-03-02T10:00:00+01:00")]
    index = LogIndex.from_records([*records, {"started": "no id"}])
    assert ids(index) == [records[1]["id"], records[0]["id"]]
    assert index.record(index.rows[0]) == records[1]
    assert index.warnings == ["record 3: skipped (no id)"]
