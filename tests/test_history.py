"""History, stats, export and forget: the log shown plainly, quickly, and deleted on request.

Logs are real files written with ``append_record`` into the test's own data folder
(``conftest.py`` points emoflat's folders at ``tmp_path``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import stat
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from records import make_record

from emoflat import logindex, paths, sessionlog
from emoflat.errors import EmoflatError, UsageError
from emoflat.history import (
    CSV_COLUMNS,
    OutputExistsError,
    csv_cell,
    history_line,
    parse_since,
    run_export,
    run_forget,
    run_history,
    run_stats,
)
from emoflat.logindex import LogIndex, index_cache_file, read_index
from emoflat.sessionlog import append_record, new_session_id, read_records

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="file modes are POSIX")

PLUS_ONE = timezone(timedelta(hours=1))


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
    """The lines the index reads from now on (each line of UTF-8 text is decoded first)."""
    parsed: list[bytes] = []
    original = logindex._decode_brief

    def counting(raw: bytes) -> Any:
        if raw.strip():
            parsed.append(raw)
        return original(raw)

    monkeypatch.setattr(logindex, "_decode_brief", counting)
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


def test_a_synced_copy_with_more_lines_parses_only_the_new_ones(
    log_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = log(*[make_record(f"2026-03-0{day}T10:00:00+01:00") for day in range(1, 5)])
    read_index()
    newest = make_record("2026-03-08T10:00:00+01:00")
    copy = path.with_name(".syncthing.tmp")
    copy.write_bytes(path.read_bytes() + (sessionlog.record_text(newest) + "\n").encode())
    os.replace(copy, path)  # a new inode, as a sync tool leaves it
    parsed = count_parsed_lines(monkeypatch)
    assert ids(read_index())[0] == newest["id"]
    assert len(parsed) == 1


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
    assert logindex._IndexCache(log_dir).load() is not None  # saved again, whole


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


def test_the_cache_goes_when_the_log_does(log_dir: Path) -> None:
    path = log(make_record())
    read_index()
    assert index_cache_file().exists()
    path.unlink()
    assert len(read_index()) == 0
    assert not index_cache_file().exists()


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


def test_values_that_are_lists_or_objects_where_text_belongs_are_tolerated(
    log_dir: Path,
) -> None:
    odd = make_record(practice={"id": "hands"}, title=["a", "list"], tags=[["nested"], "ok", 3])
    odd["before"] = {"feel": [2], "tone": ["mixed"], "words": [{"w": 1}, "numb"]}
    log_dir.mkdir(parents=True)
    (log_dir / "sessions-hand.jsonl").write_text(json.dumps(odd) + "\n")
    index = read_index()
    row = index.rows[0]
    assert index.practice_of(row) == (None, None)
    assert index.texts(index.tags[row]) == ("ok",)
    assert index.label(index.before_tone[row]) is None
    assert index.texts(index.before_words[row]) == ("numb",)
    assert index.before_feel[row] != index.before_feel[row]


@pytest.mark.parametrize("odd_id", ["a\nline break", "a lone \ud800 surrogate"])
def test_a_hand_edited_id_of_any_text_reads_cold_and_warm(log_dir: Path, odd_id: str) -> None:
    log_dir.mkdir(parents=True)
    lines = [json.dumps(make_record(id=odd_id)), json.dumps(make_record())]
    (log_dir / "sessions-hand.jsonl").write_text("\n".join(lines) + "\n")
    for _ in range(2):
        index = read_index(text=True)
        assert odd_id in index.ids
        assert [index.record(row) for row in index.rows] == read_records().records


def test_the_table_of_values_does_not_grow_with_each_session(log_dir: Path) -> None:
    log(make_record())
    read_index()
    size = len(read_index().values)
    for day in range(1, 6):
        log(make_record(f"2026-03-1{day}T10:00:00+01:00"))
        assert len(read_index().values) == size


def test_from_records_indexes_records_in_memory() -> None:
    records = [make_record("2026-03-01T10:00:00+01:00"), make_record("2026-03-02T10:00:00+01:00")]
    index = LogIndex.from_records([*records, {"started": "no id"}])
    assert ids(index) == [records[1]["id"], records[0]["id"]]
    assert index.record(index.rows[0]) == records[1]
    assert index.warnings == ["record 3: skipped (no id)"]


# --- emoflat history -----------------------------------------------------------------------


def three_sessions() -> list[dict[str, Any]]:
    """Three sessions on two host files, returned newest first."""
    oldest = make_record("2026-03-01T09:00:00+01:00", before=None, after=None, note=None)
    middle = make_record(
        "2026-03-02T17:30:00+01:00",
        title="Sounds around you",
        practice="sounds",
        practiced_seconds=45,
        completed=False,
        after=None,
        answers=[],
        note="",
    )
    newest = make_record("2026-03-04T10:00:00+01:00", practiced_seconds=240)
    newest["after"]["feel"] = 4
    log(oldest, newest, host="laptop")
    log(middle, host="desktop")
    return [newest, middle, oldest]


def test_history_lists_sessions_newest_first(capsys: pytest.CaptureFixture[str]) -> None:
    three_sessions()
    assert run_history() == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "2026-03-04 10:00  Noticing your hands    4 min  finished     feel 2 → 4  note",
        "2026-03-02 17:30  Sounds around you     <1 min  ended early  feel 2 before",
        "2026-03-01 09:00  Noticing your hands    3 min  finished",
    ]
    assert err == ""


def test_history_shows_the_time_the_record_wrote(capsys: pytest.CaptureFixture[str]) -> None:
    log(make_record("2026-03-04T23:30:00+10:00", before=None, after={"feel": 0, "felt": "neutral"}))
    run_history()
    out = capsys.readouterr().out
    assert out.startswith("2026-03-04 23:30  ")
    assert out.rstrip().endswith("finished     feel 0 after  note")


def test_history_line_shows_one_session(capsys: pytest.CaptureFixture[str]) -> None:
    three_sessions()
    index = read_index()
    lines = [history_line(index, row) for row in index.rows]
    assert (
        lines[0] == "2026-03-04 10:00  Noticing your hands    4 min  finished     feel 2 → 4  note"
    )
    assert lines[1] == "2026-03-02 17:30  Sounds around you   <1 min  ended early  feel 2 before"
    padded = history_line(index, index.rows[0], width=22, arrow="->")
    title = "Noticing your hands".ljust(22)
    assert padded == f"2026-03-04 10:00  {title}    4 min  finished     feel 2 -> 4  note"


def test_history_since_keeps_that_day_and_later(capsys: pytest.CaptureFixture[str]) -> None:
    newest, middle, _ = three_sessions()
    run_history("json", since=date(2026, 3, 2))
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [newest["id"], middle["id"]]
    run_history(since=date(2026, 3, 5))
    assert capsys.readouterr().out == "No sessions since 2026-03-05.\n"


@pytest.mark.parametrize("text", ["2026-3-1", "20260301", "2026-W09-1", "yesterday", ""])
def test_since_must_be_a_date_written_yyyy_mm_dd(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="YYYY-MM-DD"):
        parse_since(text)
    assert parse_since("2026-03-01") == date(2026, 3, 1)


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "2026-00-10"])
def test_since_must_be_a_date_in_the_calendar(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=f"there is no date {text}"):
        parse_since(text)


def test_history_json_is_the_records_as_stored(capsys: pytest.CaptureFixture[str]) -> None:
    expected = three_sessions()
    run_history("json")
    out = capsys.readouterr().out
    assert json.loads(out) == expected
    stored = {
        line
        for path in paths.sessions_dir().glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    }
    lines = out.splitlines()
    assert lines[0] == "[" and lines[-1] == "]"
    assert [line.removesuffix(",") for line in lines[1:-1]] == [
        sessionlog.record_text(record) for record in expected
    ]
    assert stored == {sessionlog.record_text(record) for record in expected}


@pytest.mark.parametrize("chunk", [1, 2, 3, 100])
def test_history_json_written_in_parts_is_one_array(
    chunk: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from emoflat import history

    monkeypatch.setattr(history, "_JSON_CHUNK", chunk)
    records = [make_record(f"2026-03-0{day}T10:00:00+01:00") for day in range(1, 6)]
    log(*records)
    run_history("json")
    assert json.loads(capsys.readouterr().out) == records[::-1]
    run_export("json", now=NOW)
    assert json.loads(capsys.readouterr().out)["sessions"] == records[::-1]


def csv_table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_history_csv_has_stable_columns(capsys: pytest.CaptureFixture[str]) -> None:
    newest, middle, oldest = three_sessions()
    run_history("csv")
    table = csv_table(capsys.readouterr().out)
    assert (
        tuple(table[0])
        == CSV_COLUMNS
        == (
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
    )
    rows = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert [row["id"] for row in rows] == [newest["id"], middle["id"], oldest["id"]]
    assert rows[0] == {
        "id": newest["id"],
        "started": "2026-03-04T10:00:00+01:00",
        "ended": newest["ended"],
        "practice": "hands",
        "title": "Noticing your hands",
        "planned_seconds": "180",
        "practiced_seconds": "240",
        "completed": "true",
        "before_feel": "2",
        "before_tone": "can't tell",
        "before_words": "flat; foggy",
        "after_feel": "4",
        "after_tone": "mixed",
        "after_words": "warm",
        "felt": "not sure",
        "tags": "",
        "answers_count": "1",
        "note": "Nothing much.\nThat is fine.",
    }
    assert rows[1]["completed"] == "false" and rows[1]["after_feel"] == ""


@pytest.mark.parametrize("dangerous", ["=1+1", "+x", "-x", "@x", "\tx", "\rx", "=HYPERLINK(1)"])
def test_csv_cells_that_a_spreadsheet_could_run_are_escaped(
    dangerous: str, capsys: pytest.CaptureFixture[str]
) -> None:
    log(make_record(title=dangerous, note=dangerous, tags=[dangerous, "plain"]))
    run_history("csv")
    row = dict(zip(CSV_COLUMNS, csv_table(capsys.readouterr().out)[1], strict=True))
    assert row["title"] == row["note"] == "'" + dangerous
    assert row["tags"] == "'" + dangerous + "; plain"


def test_csv_cells_that_are_harmless_are_kept() -> None:
    for text in ("x=1", "café", "1+1", "", "'quoted"):
        assert csv_cell(text) == text
    assert csv_cell(None) == "" and csv_cell(True) == "true" and csv_cell(3) == "3"
    assert csv_cell(-5) == "'-5"


def test_an_unknown_output_or_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        run_history("yaml")
    with pytest.raises(UsageError):
        run_export("pdf")


def test_an_empty_or_missing_log(capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(2):
        assert run_history() == 0
        assert capsys.readouterr() == ("No sessions yet.\n", "")
        run_history("json")
        assert json.loads(capsys.readouterr().out) == []
        run_history("csv")
        assert csv_table(capsys.readouterr().out) == [list(CSV_COLUMNS)]
        paths.sessions_dir().mkdir(parents=True, exist_ok=True)
        (paths.sessions_dir() / "sessions-laptop.jsonl").write_bytes(b"")


def test_two_host_files_merge_and_a_duplicate_shows_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    shared = make_record("2026-03-03T09:00:00+01:00")
    log(make_record("2026-03-02T09:00:00+01:00"), shared, host="laptop")
    log(shared, make_record("2026-03-04T09:00:00+01:00"), host="desktop")
    run_history("json")
    sessions = json.loads(capsys.readouterr().out)
    assert len(sessions) == 3
    assert [s["started"][:10] for s in sessions] == ["2026-03-04", "2026-03-03", "2026-03-02"]


def test_a_torn_line_is_named_on_stderr_and_the_rest_shown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = make_record("2026-03-02T09:00:00+01:00")
    path = log(first)
    with open(path, "ab") as file:
        file.write(b'{"v":1,"id":"torn\n')
    log(make_record("2026-03-03T09:00:00+01:00"))
    for output in ("text", "json", "csv"):
        run_history(output)
        out, err = capsys.readouterr()
        assert err == (
            f"emoflat: {path}:2: skipped a line that is not a valid session record "
            "(not valid JSON)\n"
        )
        assert "2026-03-02" in out and "2026-03-03" in out


def test_many_skipped_lines_are_cut_short(capsys: pytest.CaptureFixture[str]) -> None:
    path = log(make_record())
    with open(path, "ab") as file:
        file.write(b"not json\n" * 25)
    run_history()
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 11
    assert err[-1] == "emoflat: ... and 15 more skipped (the log files are left as they are)"


# --- emoflat stats -------------------------------------------------------------------------


def test_stats_text_shows_plain_figures(capsys: pytest.CaptureFixture[str]) -> None:
    three_sessions()
    log(make_record("2026-03-04T18:00:00+01:00", tags=["tired day"]))  # same day again
    assert run_stats(today=date(2026, 3, 4)) == 0
    out = capsys.readouterr().out
    assert "Sessions: 4 (3 finished, 1 ended early)" in out
    assert "Days practised: 2 this week, 3 this month" in out
    assert "before a practice, all time:     3 check-ins, range 2, median 2" in out
    assert "after a practice, all time:      2 check-ins, range 3–4, median 3.5" in out
    assert "Context tags: tired day 1" in out
    for word in ("improve", "score", "streak", "better", "worse", "+1", "+2"):
        assert word not in out.lower()


def test_stats_json_has_the_same_figures(capsys: pytest.CaptureFixture[str]) -> None:
    three_sessions()
    run_stats(as_json=True, today=date(2026, 3, 4))
    figures = json.loads(capsys.readouterr().out)
    assert figures["sessions"] == 3
    assert figures["days_practised"] == {"this_week": 2, "this_month": 3}
    assert figures["feel"]["after"]["all_time"] == {"checkins": 1, "min": 4, "max": 4, "median": 4}
    assert figures["feel"]["before"]["last_30_days"] == {
        "checkins": 2,
        "min": 2,
        "max": 2,
        "median": 2,
    }
    assert figures["words"]["before"] == {"flat": 2, "foggy": 2}


def test_stats_of_an_empty_log(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_stats() == 0
    assert capsys.readouterr().out == "No sessions yet.\n"
    run_stats(as_json=True)
    assert json.loads(capsys.readouterr().out)["sessions"] == 0


# --- emoflat export ------------------------------------------------------------------------

NOW = datetime(2026, 3, 5, 9, 0, 0, tzinfo=PLUS_ONE)


def test_export_json_holds_every_record_as_stored(capsys: pytest.CaptureFixture[str]) -> None:
    expected = three_sessions()
    assert run_export("json", now=NOW) == 0
    assert json.loads(capsys.readouterr().out) == {
        "exported": "2026-03-05T09:00:00+01:00",
        "sessions": expected,
    }
    (paths.sessions_dir() / "sessions-laptop.jsonl").unlink()
    (paths.sessions_dir() / "sessions-desktop.jsonl").unlink()
    run_export("json", now=NOW)
    assert json.loads(capsys.readouterr().out)["sessions"] == []


def test_export_csv_is_history_csv(capsys: pytest.CaptureFixture[str]) -> None:
    three_sessions()
    run_history("csv")
    history = capsys.readouterr().out
    run_export("csv")
    assert capsys.readouterr().out == history


def test_markdown_export_leaves_out_answers_and_notes_by_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    three_sessions()
    log(make_record("2026-01-20T10:00:00+01:00", tags=["poor sleep"], note="private words"))
    run_export("markdown", now=NOW)
    out = capsys.readouterr().out
    assert out.startswith("# Practice summary from emoflat\n")
    assert "- Period: 2026-01-20 to 2026-03-04" in out
    assert "- Sessions: 4 (3 finished, 1 ended early)" in out
    assert "| January 2026 | 1 | 1 | 3 |" in out
    assert "| March 2026 | 3 | 3 | 8 |" in out
    assert "| March 2026 | 2 | 2 | 2 | 1 | 4 | 4 |" in out  # check-ins, as entered
    assert "| January 2026 | 1 | 2 | 2 | 1 | 3 | 3 |" in out
    assert "| Noticing your hands | 3 | 10 |" in out
    assert "| Sounds around you | 1 | 1 |" in out
    assert "| poor sleep | 1 |" in out
    assert "not a medical record or an assessment" in out
    for private in ("private words", "Nothing much", "warmth", "What did you notice"):
        assert private not in out


def test_markdown_export_with_notes_shows_them_as_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    log(
        make_record(
            "2026-03-04T10:00:00+01:00",
            note="# not a heading\n- not a list\n*not bold* <b>not html</b> | pipe",
            answers=[{"step": 1, "prompt": "What is here?", "text": "1. not a list"}],
        )
    )
    run_export("markdown", include_notes=True, now=NOW)
    out = capsys.readouterr().out
    assert "### 2026-03-04 10:00, Noticing your hands" in out
    assert "*What is here?*" in out
    assert "> 1\\. not a list" in out
    assert "> \\# not a heading  \n> \\- not a list  \n" in out
    assert "> \\*not bold\\* \\<b\\>not html\\</b\\> \\| pipe" in out


def test_markdown_export_of_an_empty_log(capsys: pytest.CaptureFixture[str]) -> None:
    run_export("markdown", now=NOW)
    out = capsys.readouterr().out
    assert "No sessions in the log yet." in out and "not a medical record" in out


@posix_only
def test_export_to_a_file_is_private_and_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    three_sessions()
    target = tmp_path / "summary.md"
    assert run_export("markdown", target, now=NOW) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    first = target.read_text(encoding="utf-8")
    assert first.startswith("# Practice summary")
    assert capsys.readouterr() == ("", f"Exported 3 sessions to {target}\n")
    with pytest.raises(OutputExistsError, match=str(target)) as caught:
        run_export("json", target, now=NOW)
    assert caught.value.exit_code == 1
    assert target.read_text(encoding="utf-8") == first
    run_export("json", target, force=True, now=NOW)
    assert json.loads(target.read_text(encoding="utf-8"))["exported"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@posix_only
def test_export_never_writes_through_a_symlink(tmp_path: Path) -> None:
    log(make_record())
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me")
    link = tmp_path / "export.csv"
    link.symlink_to(elsewhere)
    with pytest.raises(OutputExistsError):
        run_export("csv", link)
    run_export("csv", link, force=True)
    assert elsewhere.read_text() == "keep me"
    assert not link.is_symlink() and link.read_text().startswith("id,")


def test_export_never_replaces_the_session_log(capsys: pytest.CaptureFixture[str]) -> None:
    path = log(make_record())
    stored = path.read_bytes()
    with pytest.raises(EmoflatError, match="part of your session log"):
        run_export("csv", path, force=True)
    with pytest.raises(EmoflatError, match="part of your session log"):
        run_export("json", path.parent / "sessions-new.jsonl", force=True)
    assert path.read_bytes() == stored
    assert not (path.parent / "sessions-new.jsonl").exists()


# --- emoflat forget ------------------------------------------------------------------------


class Terminal(io.StringIO):
    """A stdin that says it is a terminal, with what the user types."""

    def isatty(self) -> bool:
        return True


def a_full_setup() -> dict[str, Path]:
    """A log on two hosts, an unsaved session, practices, settings and the index cache."""
    log(make_record(), host="laptop")
    log(make_record("2026-03-05T10:00:00+01:00"), host="desktop")
    config = paths.config_dir()
    unsaved = config / "unsaved" / f"emoflat-unsaved-{new_session_id()}.json"
    unsaved.parent.mkdir(parents=True)
    unsaved.write_text(sessionlog.record_text(make_record()) + "\n")
    practice = paths.user_practices_dir() / "mine.yaml"
    practice.parent.mkdir(parents=True)
    practice.write_text("format: 1\n")
    settings = config / "config.toml"
    settings.write_text("sound = false\n")
    other = paths.sessions_dir() / "README.txt"
    other.write_text("not a log file")
    hidden = paths.sessions_dir() / ".sessions-old.jsonl"  # read as part of the log
    hidden.write_text(sessionlog.record_text(make_record()) + "\n")
    read_index()
    return {
        "laptop": paths.sessions_dir() / "sessions-laptop.jsonl",
        "desktop": paths.sessions_dir() / "sessions-desktop.jsonl",
        "hidden": hidden,
        "unsaved": unsaved,
        "cache": index_cache_file(),
        "practice": practice,
        "settings": settings,
        "other": other,
    }


def test_forget_yes_deletes_the_log_and_nothing_else(capsys: pytest.CaptureFixture[str]) -> None:
    files = a_full_setup()
    assert run_forget(yes=True) == 0
    gone = {name for name, path in files.items() if not path.exists()}
    assert gone == {"laptop", "desktop", "hidden", "unsaved", "cache"}
    assert capsys.readouterr().out == (
        "Deleted the session log: 3 sessions and 1 unsaved session. "
        "Your practices and settings are still there.\n"
    )
    assert len(read_index()) == 0


def test_forget_deletes_after_the_typed_word(capsys: pytest.CaptureFixture[str]) -> None:
    files = a_full_setup()
    assert run_forget(stdin=Terminal("forget\n")) == 0
    out, err = capsys.readouterr()
    assert "3 sessions in 3 files" in err and "sessions-desktop.jsonl" in err
    assert "1 unsaved session file" in err and "Type forget" in err
    assert out.startswith("Deleted the session log")
    assert not files["laptop"].exists() and files["settings"].exists()


@pytest.mark.parametrize("typed", ["yes\n", "\n", "", "forget it\n", "y\n"])
def test_forget_with_anything_else_typed_deletes_nothing(
    typed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    files = a_full_setup()
    assert run_forget(stdin=Terminal(typed)) == 0
    assert capsys.readouterr().out == "Nothing was deleted.\n"
    assert all(path.exists() for path in files.values())


def test_forget_without_a_terminal_refuses(capsys: pytest.CaptureFixture[str]) -> None:
    files = a_full_setup()
    with pytest.raises(UsageError, match="--yes") as caught:
        run_forget(stdin=io.StringIO("forget\n"))
    assert caught.value.exit_code == 2
    assert all(path.exists() for path in files.values())


def test_forget_with_nothing_to_delete(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_forget(yes=True) == 0
    assert capsys.readouterr().out == "There is no session log to delete.\n"


def test_after_forget_a_new_session_starts_a_new_log() -> None:
    a_full_setup()
    run_forget(yes=True)
    record = make_record()
    log(record)
    assert ids(read_index()) == [record["id"]]


# --- no UI library, no traceback -------------------------------------------------------------


def test_the_commands_import_no_textual_or_rich(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from emoflat.history import run_history, run_stats, run_export\n"
        "run_history(); run_history('json'); run_history('csv'); run_stats()\n"
        "run_export('markdown', include_notes=True)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        "assert not bad, bad\n"
    )
    log(make_record())
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=60)


# --- the command line, as a user runs it ------------------------------------------------------


def _wired() -> bool:
    result = subprocess.run(
        [sys.executable, "-m", "emoflat", "history", "--help"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    return result.returncode == 0


needs_cli = pytest.mark.skipif(
    not _wired(), reason="the history commands are not wired in cli.py yet"
)


def emoflat(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m emoflat ARGS`` with the test's own folders (from ``conftest.py``)."""
    return subprocess.run(
        [sys.executable, "-m", "emoflat", *args],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 3


@needs_cli
def test_cli_history_text_json_and_csv() -> None:
    newest, middle, oldest = three_sessions()
    text = emoflat("history")
    assert text.returncode == 0, text.stderr
    assert [line[:16] for line in text.stdout.splitlines()] == [
        "2026-03-04 10:00",
        "2026-03-02 17:30",
        "2026-03-01 09:00",
    ]
    as_json = emoflat("history", "--json", "--since", "2026-03-02")
    assert [r["id"] for r in json.loads(as_json.stdout)] == [newest["id"], middle["id"]]
    as_csv = emoflat("history", "--csv")
    assert [row[0] for row in csv_table(as_csv.stdout)] == [
        "id",
        newest["id"],
        middle["id"],
        oldest["id"],
    ]


@needs_cli
@pytest.mark.parametrize(
    "args",
    [
        ("history", "--since", "2026-02-30"),
        ("history", "--since", "last week"),
        ("history", "--json", "--csv"),
        ("export",),
        ("export", "--format", "pdf"),
    ],
)
def test_cli_usage_errors_exit_2_in_a_line_or_two(args: tuple[str, ...]) -> None:
    result = emoflat(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert_no_traceback(result)


@needs_cli
def test_cli_an_empty_log_is_calm() -> None:
    for command in (("history",), ("stats",)):
        result = emoflat(*command)
        assert (result.returncode, result.stdout, result.stderr) == (0, "No sessions yet.\n", "")


@needs_cli
def test_cli_stats_json_counts_this_week_from_today() -> None:
    today = datetime.now().astimezone().replace(microsecond=0, hour=12, minute=0, second=0)
    log(
        make_record(today.isoformat()),
        make_record((today + timedelta(hours=1)).isoformat()),
        make_record((today - timedelta(days=40)).isoformat()),
    )
    result = emoflat("stats", "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["sessions"] == 3
    assert figures["days_practised"]["this_week"] == 1
    assert figures["feel"]["before"]["last_30_days"]["checkins"] == 2


@needs_cli
def test_cli_a_torn_line_is_named_with_file_and_line() -> None:
    path = log(make_record())
    with open(path, "ab") as file:
        file.write(b"{torn\n")
    log(make_record("2026-03-05T10:00:00+01:00"))
    for command in (("history",), ("history", "--json"), ("stats",), ("export", "--format", "csv")):
        result = emoflat(*command)
        assert result.returncode == 0
        assert f"{path}:2: skipped a line" in result.stderr
        assert_no_traceback(result)


@needs_cli
def test_cli_export_writes_a_private_file_and_never_overwrites(tmp_path: Path) -> None:
    three_sessions()
    target = tmp_path / "for my nurse.md"
    first = emoflat("export", "--format", "markdown", "-o", str(target))
    assert first.returncode == 0, first.stderr
    if sys.platform != "win32":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    again = emoflat("export", "--format", "json", "-o", str(target))
    assert again.returncode == 1
    assert str(target) in again.stderr and "--force" in again.stderr
    assert_no_traceback(again)
    assert target.read_text(encoding="utf-8").startswith("# Practice summary")
    forced = emoflat("export", "--format", "json", "-o", str(target), "--force")
    assert forced.returncode == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))["sessions"]) == 3


@needs_cli
def test_cli_export_markdown_notes_only_when_asked() -> None:
    log(make_record(note="only on request"))
    assert "only on request" not in emoflat("export", "--format", "markdown").stdout
    shown = emoflat("export", "--format", "markdown", "--include-notes").stdout
    assert "only on request" in shown


@needs_cli
def test_cli_forget_without_a_terminal_refuses_and_deletes_nothing() -> None:
    files = a_full_setup()
    result = emoflat("forget", stdin="forget\n")
    assert result.returncode == 2
    assert "--yes" in result.stderr
    assert_no_traceback(result)
    assert all(path.exists() for path in files.values())


@needs_cli
def test_cli_forget_yes_deletes_the_log_only() -> None:
    files = a_full_setup()
    result = emoflat("forget", "--yes")
    assert result.returncode == 0, result.stderr
    assert {name for name, path in files.items() if not path.exists()} == {
        "laptop",
        "desktop",
        "hidden",
        "unsaved",
        "cache",
    }
    assert emoflat("history").stdout == "No sessions yet.\n"


@needs_cli
def test_cli_an_unreadable_log_folder_is_one_line_exit_1() -> None:
    paths.sessions_dir().parent.mkdir(parents=True)
    paths.sessions_dir().write_text("a file where the folder should be")
    for command in (("history",), ("stats",), ("export", "--format", "json")):
        result = emoflat(*command)
        assert result.returncode == 1
        assert result.stderr.startswith("emoflat: Could not read the session log folder")
        assert_no_traceback(result)


@needs_cli
def test_cli_history_commands_import_no_textual_or_rich() -> None:
    log(make_record())
    code = (
        "import sys\n"
        "from emoflat.cli import main\n"
        "for args in (['history'], ['history', '--json'], ['history', '--csv'], ['stats'],\n"
        "             ['stats', '--json'], ['export', '--format', 'markdown']):\n"
        "    assert main(args) == 0\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=60)


@needs_cli
@pytest.mark.parametrize("command", [("history", "--json"), ("history",), ("history", "--csv")])
def test_cli_output_cut_short_by_the_reader_is_no_error(command: tuple[str, ...]) -> None:
    # More than a pipe holds (64 KiB), in one file written straight, as fsyncs are slow.
    lines = [make_record(f"2026-03-{1 + n // 60:02d}T10:{n % 60:02d}:00+01:00") for n in range(600)]
    paths.sessions_dir().mkdir(parents=True)
    (paths.sessions_dir() / "sessions-laptop.jsonl").write_text(
        "".join(sessionlog.record_text(record) + "\n" for record in lines), encoding="utf-8"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "emoflat", *command],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(100)  # like `| head -c 100`
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert stderr == ""


@needs_cli
@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize(("typed", "deleted"), [("forget", True), ("no", False)])
def test_cli_forget_asks_on_a_terminal(typed: str, deleted: bool) -> None:
    import pty

    files = a_full_setup()
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "emoflat", "forget"],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        os.write(controller, typed.encode() + b"\n")
        out, err = process.communicate(timeout=60)
    finally:
        os.close(controller)
        os.close(terminal)
    assert process.returncode == 0
    assert "Type forget" in err
    assert out.startswith("Deleted" if deleted else "Nothing was deleted.")
    assert (not files["laptop"].exists()) is deleted
    assert files["settings"].exists() and files["practice"].exists()
