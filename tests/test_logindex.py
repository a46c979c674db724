"""The index reads a line the fast way (msgspec, strict types) or the careful way (the
standard library, as ``read_records`` reads); both must say the same of every line.

Each test compares the two ways over real log lines: valid records, records with every
kind of odd field a hand edit or an older or newer emoflat could leave, thousands of
seeded random mutations of real lines, and whole files read through ``read_index`` with
the fast way switched off.
"""

from __future__ import annotations

import json
import math
import os
import random
from array import array
from pathlib import Path
from typing import Any

import msgspec
import pytest
import records

from emoflat import logindex
from emoflat.logindex import _BLOCK, _read_line, _read_line_slowly, read_index
from emoflat.sessionlog import parse_line, record_text


def make_record(**fields: Any) -> dict[str, Any]:
    """The tests' record with more to read: a fraction, tags, a note in many scripts."""
    rich: dict[str, Any] = {
        "after": {"feel": 3.5, "tone": "mixed", "words": ["warm"], "felt": "not sure"},
        "note": "Nothing much.\nThat is fine. «ünïcode» 🌿",
        "tags": ["tired day"],
    }
    return records.make_record(**{**rich, **fields})


def summary(read: object) -> object:
    """What the index takes from a line, comparable (NaN equal to NaN, answers counted)."""
    if not isinstance(read, tuple):
        return read
    brief, started_at, day = read

    def plain(value: object) -> object:
        if isinstance(value, float) and math.isnan(value):
            return "NaN"
        if isinstance(value, logindex._CheckIn):
            return tuple(plain(getattr(value, name)) for name in value.__struct_fields__)
        return value

    fields = {name: plain(getattr(brief, name)) for name in brief.__struct_fields__}
    fields["answers"] = len(brief.answers)
    return (fields, started_at, day)


def both_ways(raw: bytes) -> tuple[object, object]:
    """The line read the fast way (when it is UTF-8, as the indexer does) and the careful way."""
    try:
        raw.decode("utf-8")
        fast = _read_line(raw)
    except UnicodeDecodeError:
        fast = _read_line_slowly(raw)
    return summary(fast), summary(_read_line_slowly(raw))


ODD_FIELDS: list[dict[str, Any]] = [
    {},
    {"planned_seconds": 60.5, "practiced_seconds": 0},
    {"planned_seconds": -1, "practiced_seconds": -0.0},
    {"planned_seconds": True, "practiced_seconds": "172"},
    {"planned_seconds": None, "practiced_seconds": [172]},
    {"planned_seconds": 10**30, "practiced_seconds": 10**400},
    {"completed": False},
    {"completed": None},
    {"completed": 1},
    {"completed": "yes"},
    {"before": None, "after": None},
    {"before": {}, "after": {"felt": "unsettling"}},
    {"before": [], "after": "fine"},
    {"before": {"feel": 0}, "after": {"feel": 10}},
    {"before": {"feel": -1}, "after": {"feel": 11}},
    {"before": {"feel": 10.000001}, "after": {"feel": True}},
    {"before": {"feel": "3"}, "after": {"feel": None}},
    {"before": {"tone": None, "words": None}},
    {"before": {"tone": 3, "words": "flat"}},
    {"before": {"words": ["flat", 3, None, "foggy"]}},
    {"before": {"words": [["nested"], {"a": 1}]}},
    {"before": {"words": []}, "after": {"words": [], "felt": None}},
    {"before": {"feel": 2, "extra": {"deep": [1, 2, {"x": None}]}}},
    {"practice": None, "title": None},
    {"practice": 3, "title": ["a"]},
    {"practice": "", "title": ""},
    {"answers": []},
    {"answers": None},
    {"answers": "none"},
    {"answers": [1, "two", None, [3], {"four": 4}]},
    {"note": None},
    {"note": ""},
    {"note": "   \n\t "},
    {"note": 42},
    {"note": "\u2028 line separator, \x00 nul, \x1f unit separator"},
    {"tags": None},
    {"tags": []},
    {"tags": "tired day"},
    {"tags": ["relapse", 1, "poor sleep"]},
    {"id": ""},
    {"id": 7},
    {"id": None},
    {"started": "2026-03-02T10:00:00"},  # local time
    {"started": "2026-03-02"},
    {"started": "2026-03-02 10:00:00.123456+05:30"},
    {"started": "2026-03-02T10:00:00Z"},
    {"started": "yesterday"},
    {"started": ""},
    {"started": 20260302},
    {"started": None},
    {"started": "9999-12-31T23:59:59-23:59"},
    {"started": "0001-01-01T00:00:00+23:59"},
    {"future_field": {"from": "a newer emoflat"}, "v": 2},
]

HAND_WRITTEN: list[bytes] = [
    b"",
    b"   ",
    b"\r",
    b"\t \r",
    b"{}",
    b"[]",
    b"null",
    b"42",
    b'"a record"',
    b"{",
    b"}",
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00"}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00"}\r',
    b'  {"id": "a", "started": "2026-03-02T10:00:00+01:00"}  ',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00"} {"id": "b"}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00"},',
    b'{"id": "a", "id": "b", "started": "2026-03-02T10:00:00+01:00"}',
    b'{"\\u0069d": "escaped key", "started": "2026-03-02T10:00:00+01:00"}',
    b'{"id": "a\\u0000b", "started": "2026-03-02T10:00:00+01:00"}',
    b'{"id": "\\ud800 lone surrogate", "started": "2026-03-02T10:00:00+01:00"}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "note": "\\udfff"}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "note": "raw\ttab"}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "x": NaN}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "planned_seconds": Infinity}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "planned_seconds": 1e400}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "planned_seconds": -1e400}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "planned_seconds": 01}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "planned_seconds": 1.}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "planned_seconds": .5}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "planned_seconds": +1}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "planned_seconds": 1e2}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "planned_seconds": 2E-1}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "x": [1, 2,]}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00",}',
    b"{'id': 'a', 'started': '2026-03-02T10:00:00+01:00'}",
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "x": "\\x41"}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "x": "\\q"}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "x": tru}',
    b'\xef\xbb\xbf{"id": "a", "started": "2026-03-02T10:00:00+01:00"}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "note": "\xff\xfe"}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "note": "\xc3"}',
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "x": ' + b"[" * 100 + b"]" * 100 + b"}",
    b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "x": 1' + b"0" * 5000 + b"}",
]


@pytest.mark.parametrize("fields", ODD_FIELDS, ids=lambda fields: json.dumps(fields)[:60])
def test_an_odd_field_means_the_same_both_ways(fields: dict[str, Any]) -> None:
    raw = json.dumps(make_record(**fields), ensure_ascii=False).encode()
    fast, slow = both_ways(raw)
    assert fast == slow


def test_a_typical_record_reads_the_fast_way_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    record = make_record()
    raw = record_text(record).encode()
    calls: list[bytes] = []
    monkeypatch.setattr(logindex, "_read_line_slowly", lambda line: calls.append(line))
    fast = summary(_read_line(raw))
    assert calls == []  # no second reading
    assert isinstance(fast, tuple)
    fields = fast[0]
    assert fields["id"] == record["id"]
    assert fields["planned_seconds"] == 180.0
    assert fields["before"] == (2.0, "can't tell", ("flat", "foggy"), None)
    assert fields["after"] == (3.5, "mixed", ("warm",), "not sure")
    assert fields["answers"] == 1
    assert fields["tags"] == ("tired day",)


@pytest.mark.parametrize("raw", HAND_WRITTEN, ids=lambda raw: repr(raw[:50]))
def test_a_hand_written_line_means_the_same_both_ways(raw: bytes) -> None:
    fast, slow = both_ways(raw)
    assert fast == slow
    # And the careful way is exactly read_records' way of reading a line.
    plain = parse_line(raw)
    assert (plain is None or isinstance(plain, str)) == (slow is None or isinstance(slow, str))


def mutations(rng: random.Random, line: bytes) -> bytes:
    """``line`` with one to three random edits: a byte changed, removed, doubled or swapped
    for a character JSON treats specially."""
    data = bytearray(line)
    specials = b'"\\{}[],:0123456789-+.eE tfnul\x00\x1f\x7f\xff\xc3\n'
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(data))
        kind = rng.randrange(4)
        if kind == 0:
            data[at] = rng.choice(specials)
        elif kind == 1:
            del data[at]
        elif kind == 2:
            data.insert(at, data[at])
        else:
            data[at] = rng.randrange(256)
        if not data:
            break
    return bytes(data).replace(b"\n", b"")  # a line never holds a newline


def test_thousands_of_mutated_lines_mean_the_same_both_ways() -> None:
    rng = random.Random(20261126)
    originals = [
        record_text(make_record(**fields)).encode() for fields in ODD_FIELDS if "id" not in fields
    ]
    differing = []
    taken_fast = 0
    for number in range(6000):
        raw = mutations(rng, originals[number % len(originals)])
        fast, slow = both_ways(raw)
        if fast != slow:
            differing.append((raw, fast, slow))
        try:
            logindex._decode_brief(raw)
            taken_fast += 1
        except (msgspec.DecodeError, UnicodeDecodeError):
            pass
    assert differing == []
    assert taken_fast > 1000  # many mutations still read the fast way: both ways were compared


def index_columns(directory: Path) -> tuple[object, ...]:
    index = read_index(directory, use_cache=False, text=True)
    numbers = tuple(
        [("NaN" if isinstance(v, float) and math.isnan(v) else v) for v in getattr(index, name)]
        for name in logindex._NUMBER_COLUMNS
    )
    codes = tuple(
        [index.values[code] for code in getattr(index, name)] for name in logindex._CODE_COLUMNS
    )
    return (
        index.ids,
        index.started,
        numbers,
        codes,
        index.rows,
        index.warnings,
        [index.line(row) for row in index.rows],
    )


def write_file_of_many_blocks(path: Path, rng: random.Random) -> list[bytes]:
    """A log file over three blocks, with bad, blank and mutated lines here and there."""
    lines = []
    for number in range(_BLOCK * 2 + 300):
        fields = rng.choice(ODD_FIELDS)
        record = make_record(**fields)
        if "started" not in fields:
            record["started"] = f"2026-{1 + number % 12:02}-{1 + number % 28:02}T10:00:00+01:00"
        line = record_text(record).encode()
        if rng.random() < 0.01:
            line = mutations(rng, line)
        if number in (0, _BLOCK - 1, _BLOCK, _BLOCK * 2 + 299):
            line = b"not json at all"
        if number in (5, _BLOCK + 7):
            line = b""
        if number == 40:
            line = b'{"id": "a", "started": "2026-03-02T10:00:00+01:00", "note": "\xff"}'
        if number in (60, _BLOCK * 2 + 5):  # a lone surrogate, valid JSON to Python
            line = record_text(record).encode().replace(b'"note": "', b'"note": "\\udc00 ', 1)
            line = line.replace(b'"tags": [', b'"tags": ["\\udc01", ', 1)
        lines.append(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\n".join(lines) + b"\n" + b'{"id": "torn", "star')
    return lines


def test_a_whole_file_indexes_the_same_with_the_fast_way_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "sessions"
    lines = write_file_of_many_blocks(directory / "sessions-a.jsonl", random.Random(1))
    write_file_of_many_blocks(directory / "sessions-b.jsonl", random.Random(2))
    fast = index_columns(directory)

    def refuse(raw: bytes) -> Any:
        raise msgspec.DecodeError("switched off for this test")

    monkeypatch.setattr(logindex, "_decode_brief", refuse)
    slow = index_columns(directory)
    assert fast == slow
    warnings = fast[5]
    assert isinstance(warnings, list)
    first_file = [warning for warning in warnings if "sessions-a.jsonl" in warning]
    for number in (1, _BLOCK, _BLOCK + 1, _BLOCK * 2 + 300, 41):
        assert any(f"sessions-a.jsonl:{number}: " in warning for warning in first_file)
    assert any("not UTF-8" in warning for warning in first_file)
    # The torn last line (an append being written, or cut short) is named too.
    assert any(f"sessions-a.jsonl:{len(lines) + 1}: " in warning for warning in first_file)


def test_every_row_points_at_its_own_line(tmp_path: Path) -> None:
    directory = tmp_path / "sessions"
    write_file_of_many_blocks(directory / "sessions-a.jsonl", random.Random(3))
    index = read_index(directory, use_cache=False, text=True)
    assert len(index) > _BLOCK + 500
    for row in index.kept:
        record = json.loads(index.line(row))
        assert record["id"] == index.ids[row]
        assert record["started"] == index.started[row]


def test_the_columns_have_the_types_the_cache_saves(tmp_path: Path) -> None:
    directory = tmp_path / "sessions"
    write_file_of_many_blocks(directory / "sessions-a.jsonl", random.Random(4))
    index = read_index(directory, use_cache=False)
    for name, code in logindex._NUMBER_COLUMNS.items():
        column = getattr(index, name)
        assert isinstance(column, array)
        assert column.typecode == code
        assert len(column) == len(index.ids)


def test_a_number_too_long_for_python_reads_as_infinity_everywhere(tmp_path: Path) -> None:
    directory = tmp_path / "sessions"
    directory.mkdir()
    digits = "1" + "0" * 5000  # json.loads alone refuses over 4,300 digits
    line = f'{{"id": "long", "started": "2026-03-02T10:00:00+01:00", "x": {digits}}}'
    (directory / "sessions-a.jsonl").write_text(line + "\n", encoding="utf-8")
    index = read_index(directory, use_cache=False, text=True)
    assert index.warnings == []
    assert index.record(index.rows[0])["x"] == math.inf
    from emoflat.sessionlog import read_records

    assert read_records(directory).records[0]["x"] == math.inf


# --- a first read of a big log is shared with a second process --------------------------

_SHARED_READ = """
import json, math, os, sys
from pathlib import Path
from emoflat import logindex

directory, mode = Path(sys.argv[1]), sys.argv[2]
started = []
if mode != "serial":
    logindex._SHARED_BYTES = 1  # share any read
    logindex._can_share = lambda: True
    start = logindex._Helper.start

    def counting_start(runs):
        helper = start(runs)
        started.append(helper is not None)
        return helper

    logindex._Helper.start = counting_start
if mode == "failing":
    def failing(pipe, runs):
        raise RuntimeError("the helper fails")

    logindex._help = failing
if mode == "interrupted":
    parent = os.getpid()
    index_run = logindex._Run.index

    def interrupted(run, values):
        if os.getpid() == parent:
            raise KeyboardInterrupt
        index_run(run, values)

    logindex._Run.index = interrupted
    try:
        logindex.read_index(directory, use_cache=False)
    except KeyboardInterrupt:
        try:
            os.waitpid(-1, os.WNOHANG)
            children = "left"
        except ChildProcessError:
            children = "none"
        print(json.dumps({"helpers": started, "children": children}))
    raise SystemExit(0)
index = logindex.read_index(directory, use_cache=False, text=True)


def plain(value):
    return None if isinstance(value, float) and math.isnan(value) else value


print(json.dumps({
    "helpers": started,
    "ids": index.ids,
    "started": index.started,
    "numbers": {
        n: [plain(v) for v in getattr(index, n)]
        for n in logindex._NUMBER_COLUMNS
        if n not in logindex._CODE_COLUMNS  # codes are compared by what they stand for
    },
    "codes": {n: [index.values[c] for c in getattr(index, n)] for n in logindex._CODE_COLUMNS},
    "rows": index.rows,
    "warnings": index.warnings,
    "lines": [index.line(row).decode() for row in index.rows],
}))
"""


def read_in_a_fresh_process(directory: Path, mode: str) -> dict[str, Any]:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _SHARED_READ, str(directory), mode],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_a_read_shared_with_a_second_process_is_the_same_as_one_read_alone(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "sessions"
    write_file_of_many_blocks(directory / "sessions-a.jsonl", random.Random(5))
    write_file_of_many_blocks(directory / "sessions-b.jsonl", random.Random(6))
    (directory / "sessions-c.jsonl").write_bytes(b"")  # an empty file among them
    alone = read_in_a_fresh_process(directory, "serial")
    shared = read_in_a_fresh_process(directory, "shared")
    assert alone.pop("helpers") == []
    assert shared.pop("helpers") == [True]
    assert shared == alone
    assert len(alone["rows"]) > 2 * _BLOCK


def test_when_the_second_process_fails_its_part_is_read_here(tmp_path: Path) -> None:
    directory = tmp_path / "sessions"
    write_file_of_many_blocks(directory / "sessions-a.jsonl", random.Random(7))
    alone = read_in_a_fresh_process(directory, "serial")
    failed = read_in_a_fresh_process(directory, "failing")
    assert alone.pop("helpers") == []
    assert failed.pop("helpers") == [True]
    assert failed == alone


def test_ctrl_c_during_a_shared_read_ends_the_second_process_too(tmp_path: Path) -> None:
    directory = tmp_path / "sessions"
    write_file_of_many_blocks(directory / "sessions-a.jsonl", random.Random(8))
    assert read_in_a_fresh_process(directory, "interrupted") == {
        "helpers": [True],
        "children": "none",
    }


# --- the cache keeps the rows newest first while they stay the same ----------------------


def write_records(path: Path, records: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as file:
        for record in records:
            file.write(record_text(record) + "\n")


def dated(day: int, **fields: Any) -> dict[str, Any]:
    return make_record(started=f"2026-03-{day:02}T10:00:00+01:00", **fields)


def order_of(index: logindex.LogIndex) -> list[str]:
    return [index.ids[row] for row in index.rows]


def test_a_warm_read_takes_the_saved_order_and_it_is_the_true_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "sessions"
    laptop = [dated(day) for day in (1, 3, 5, 7)]
    desktop = [dated(day) for day in (2, 4, 6)]
    copied = dict(laptop[1])  # a synced copy of one session: kept once
    write_records(directory / "sessions-laptop.jsonl", laptop)
    write_records(directory / "sessions-desktop.jsonl", [*desktop, copied])
    first = read_index(directory)
    truth = [record["id"] for record in sorted([*laptop, *desktop], key=lambda r: r["started"])]
    assert order_of(first) == truth[::-1]

    sorts: list[int] = []
    kept = logindex._kept

    def counting(ids: list[str]) -> Any:
        sorts.append(len(ids))
        return kept(ids)

    monkeypatch.setattr(logindex, "_kept", counting)
    warm = read_index(directory)
    assert sorts == []  # nothing worked out again
    assert order_of(warm) == truth[::-1]
    assert list(warm.kept) == sorted(warm.rows)
    assert len(warm) == 7

    newest = dated(9)
    write_records(directory / "sessions-laptop.jsonl", [newest])
    grown = read_index(directory)
    assert sorts == [9]  # a new line: the order is worked out again
    assert order_of(grown) == [newest["id"], *truth[::-1]]
    again = read_index(directory)
    assert sorts == [9]
    assert order_of(again) == order_of(grown)


def test_a_line_still_being_written_is_not_saved_in_the_order(tmp_path: Path) -> None:
    directory = tmp_path / "sessions"
    path = directory / "sessions-laptop.jsonl"
    write_records(path, [dated(1), dated(2)])
    with open(path, "a", encoding="utf-8") as file:
        file.write(record_text(dated(3)))  # no newline yet
    assert len(read_index(directory)) == 3
    with open(path, "a", encoding="utf-8") as file:
        file.write("\n")
    index = read_index(directory)
    assert len(index) == 3
    assert index.started[index.rows[0]].startswith("2026-03-03")


def test_a_file_that_cannot_be_read_now_is_left_out_of_the_saved_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "sessions"
    write_records(directory / "sessions-a.jsonl", [dated(1), dated(3)])
    write_records(directory / "sessions-b.jsonl", [dated(2)])
    assert len(read_index(directory)) == 3
    plan = logindex._plan_file

    def unreadable_b(path: Path, cached: Any, *, text: bool) -> Any:
        if path.name == "sessions-b.jsonl":
            return f"{path}: skipped a file that could not be read (Permission denied)"
        return plan(path, cached, text=text)

    monkeypatch.setattr(logindex, "_plan_file", unreadable_b)
    index = read_index(directory)
    assert len(index) == 2
    assert [index.started[row][:10] for row in index.rows] == ["2026-03-03", "2026-03-01"]
    assert any("could not be read" in warning for warning in index.warnings)


def test_no_second_process_while_another_thread_runs() -> None:
    import threading

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not logindex._can_share()  # the TUI reads in a thread: never forks
    finally:
        release.set()
        other.join()


def test_a_second_process_only_with_a_core_to_spare_on_linux(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", "from emoflat import logindex; print(logindex._can_share())"],
        capture_output=True,
        text=True,
        check=True,
    )
    spare = sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) > 1
    assert done.stdout.strip() == str(spare)


def test_a_lone_surrogate_in_the_log_does_not_stop_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "sessions"
    directory.mkdir()
    line = record_text(make_record(tags=["MARK"])).encode().replace(b'"MARK"', b'"\\udc00"')
    (directory / "sessions-a.jsonl").write_bytes(line + b"\n")
    first = read_index(directory)
    assert first.texts(first.tags[first.rows[0]]) == ("\udc00",)
    assert logindex._IndexCache(directory).load() is not None
    read: list[bytes] = []
    decode = logindex._decode_brief
    monkeypatch.setattr(logindex, "_decode_brief", lambda raw: read.append(raw) or decode(raw))
    again = read_index(directory)
    assert read == []  # from the cache
    assert again.texts(again.tags[again.rows[0]]) == ("\udc00",)


@pytest.mark.parametrize("damage", ["code", "day", "rows", "covered", "lines"])
def test_a_cache_that_would_crash_a_reader_is_not_used(tmp_path: Path, damage: str) -> None:
    directory = tmp_path / "sessions"
    write_records(directory / "sessions-a.jsonl", [dated(1), dated(2), dated(3)])
    truth = order_of(read_index(directory))
    cache = logindex._IndexCache(directory)
    loaded = cache.load()
    assert loaded is not None
    values, files, rows = loaded
    entry = files["sessions-a.jsonl"]
    if damage == "code":
        entry.columns.numbers["practice"][0] = 99_999
    elif damage == "day":
        entry.columns.numbers["day"][0] = -5
    elif damage == "rows":
        rows = [0, 1, 7]
    elif damage == "covered":
        entry.covered = -3
    else:
        entry.lines = -1
    cache.save(values, list(files.values()), rows)  # a valid CRC over nonsense
    assert cache.load() is None
    assert order_of(read_index(directory)) == truth  # read afresh
    assert cache.load() is not None  # and saved again, whole


def test_a_deep_record_reads_whole_however_deep_the_caller_is(tmp_path: Path) -> None:
    directory = tmp_path / "sessions"
    directory.mkdir()
    deep = record_text(make_record(id="deep", note="still here"))[:-1]
    deep += ', "x": ' + "[" * 900 + "]" * 900 + "}"
    (directory / "sessions-a.jsonl").write_text(deep + "\n", encoding="utf-8")
    index = read_index(directory, use_cache=False, text=True)
    assert index.ids == ["deep"]

    def from_deep_down(frames: int) -> dict[str, Any]:
        if frames:
            return from_deep_down(frames - 1)
        return index.record(index.rows[0])

    assert from_deep_down(600)["note"] == "still here"  # json.loads alone fails here
