"""The session record: checked before it is written, read forgivingly from any line.

Reading never raises: a line is a session (with any field that is not as the format says
left blank and named), the reason it is not one, or ``None`` when it is blank.
"""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

import msgspec
import pytest
from records import make_record, record_fields

from emoflat.log.record import (
    FEEL_MAX,
    MAX_SECONDS,
    RECORD_VERSION,
    AfterCheckIn,
    Answer,
    CheckIn,
    InvalidRecordError,
    Record,
    decode,
    encode,
    new_session_id,
)

#: The spec's fields, in its order, then ``tags``.
SPEC_FIELDS = [
    "v", "id", "practice", "title", "started", "ended", "planned_seconds",
    "practiced_seconds", "completed", "before", "after", "answers", "note", "tags",
]  # fmt: skip


def read(line: bytes) -> tuple[Record | str | None, list[str]]:
    """A line as :func:`decode` reads it, with the fields it left out."""
    left_out: list[str] = []
    return decode(line, left_out), left_out


def line_of(**fields: Any) -> bytes:
    """A record's line as a hand edit or another program might write it."""
    return json.dumps(record_fields(**fields), ensure_ascii=False).encode()


def blank(record: Record, path: str) -> bool:
    """Whether the field at the dotted ``path`` reads as if the line had not said it (its
    default: ``None``, empty, or ``v``'s version)."""
    parent: Any = record
    *outer, name = path.split(".")
    for step in outer:
        parent = getattr(parent, step)
    [field] = [f for f in msgspec.structs.fields(type(parent)) if f.name == name]
    return bool(getattr(parent, name) == field.default)


def assert_follows_the_format(record: Record) -> None:
    """Every field has the type and range the format gives it."""
    assert msgspec.convert(msgspec.to_builtins(record), Record) == record


# --- writing ---------------------------------------------------------------------------------


def test_a_record_round_trips_through_its_line() -> None:
    record = make_record(tags=["tired day"], note="café — ünïcode 🌿")
    assert read(encode(record)) == (record, [])


def test_a_record_is_one_compact_utf8_line_as_the_standard_library_writes_it() -> None:
    record = make_record(note="line one\nline two\u2028still the note\r\ttabbed", title="Café")
    line = encode(record)
    assert b"\n" not in line and b"\r" not in line
    assert "Café" in line.decode("utf-8")  # not \u00e9
    plain = msgspec.to_builtins(record)
    assert line.decode("utf-8") == json.dumps(plain, ensure_ascii=False, separators=(",", ":"))


def test_the_line_holds_the_spec_s_fields_in_its_order() -> None:
    stored = json.loads(encode(make_record()))
    assert list(stored) == SPEC_FIELDS
    assert stored["v"] == RECORD_VERSION == 1


def test_new_session_ids_are_unique_uuids() -> None:
    ids = {new_session_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(str(uuid.UUID(session_id)) == session_id for session_id in ids)


INVALID = [
    {"v": None},
    {"id": "not-a-uuid"},
    {"id": ""},
    {"practice": 3},
    {"title": None},
    {"started": "2026-03-02T10:00:00"},  # no UTC offset
    {"ended": "2026-03-02T10:03:00.250000+01:00"},  # not seconds precision
    {"started": 5},
    {"planned_seconds": True},
    {"planned_seconds": MAX_SECONDS + 1},
    {"practiced_seconds": -1},
    {"completed": "yes"},
    {"completed": None},
    {"before": "calm"},
    {"before": CheckIn(feel=FEEL_MAX + 1)},
    {"after": AfterCheckIn(feel=-1)},
    {"answers": None},
    {"answers": ({"step": 1},)},
    {"note": 7},
    {"note": "a lone \ud800 surrogate"},
    {"tags": ("relapse", 3)},
]


@pytest.mark.parametrize("change", INVALID, ids=lambda change: f"{next(iter(change))}")
def test_an_invalid_record_is_refused(change: dict[str, Any]) -> None:
    with pytest.raises(InvalidRecordError):
        encode(msgspec.structs.replace(make_record(), **change))


def test_a_record_missing_fields_is_refused_naming_them() -> None:
    record = Record(id=new_session_id(), started="2026-03-02T10:00:00+01:00")
    with pytest.raises(InvalidRecordError) as caught:
        encode(record)
    message = str(caught.value)
    for name in ("practice", "title", "ended", "planned_seconds", "practiced_seconds"):
        assert name in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "change",
    [{"started": "yesterday"}, {"ended": "later"}, {"started": ""}],
    ids=lambda change: next(iter(change)),
)
def test_a_start_or_end_that_is_no_date_is_an_invalid_record(change: dict[str, Any]) -> None:
    with pytest.raises(InvalidRecordError, match="date and time"):
        encode(msgspec.structs.replace(make_record(), **change))


@pytest.mark.parametrize(
    "change",
    [
        {"after": AfterCheckIn(feel=float("nan"))},
        {"before": CheckIn(feel=float("inf"))},
        {"practiced_seconds": float("inf")},
        {"planned_seconds": float("nan")},
    ],
    ids=["nan-feel", "inf-feel", "inf-seconds", "nan-seconds"],
)
def test_a_number_that_is_not_finite_is_refused_not_written_as_null(
    change: dict[str, Any],
) -> None:
    with pytest.raises(InvalidRecordError, match="finite"):
        encode(msgspec.structs.replace(make_record(), **change))


def test_optional_parts_may_be_left_out() -> None:
    record = make_record(before=None, after=None, answers=[], note=None, tags=[])
    stored = json.loads(encode(record))
    assert (stored["before"], stored["after"], stored["note"]) == (None, None, None)
    assert (stored["answers"], stored["tags"]) == ([], [])


# --- reading: whole lines ------------------------------------------------------------------


def test_a_line_from_a_newer_emoflat_reads_ignoring_what_it_does_not_know() -> None:
    record, left_out = read(line_of(v=2, mood_colour="blue", before={"feel": 2, "pulse": 60}))
    assert isinstance(record, Record)
    assert (record.v, left_out) == (2, [])
    assert record.before == CheckIn(feel=2)


def test_a_forgiving_read_keeps_every_field_that_is_as_the_format_says() -> None:
    record, left_out = read(
        line_of(practiced_seconds="ten", before={"feel": 11, "tone": "mixed", "words": ["numb"]})
    )
    assert isinstance(record, Record)
    assert left_out == ["practiced_seconds", "before.feel"]
    assert record.practiced_seconds is None and record.planned_seconds == 180
    assert record.before == CheckIn(feel=None, tone="mixed", words=("numb",))
    assert record.after == AfterCheckIn(feel=3, tone="mixed", words=("warm",), felt="not sure")
    assert record.answers == (Answer(2, "What did you notice?", "warmth, maybe — café"),)
    assert record.note == "Nothing much.\nThat is fine."


PLANNED, PRACTICED = "planned_seconds", "practiced_seconds"
#: Fields as a hand edit, an older or a newer emoflat could leave them, and the fields a
#: read leaves out (or why the line is no session).
ODD_FIELDS: list[tuple[dict[str, Any], list[str] | str]] = [
    ({}, []),
    ({"planned_seconds": 60.5, "practiced_seconds": 0}, []),
    ({"planned_seconds": -1, "practiced_seconds": -0.0}, ["planned_seconds"]),
    ({"planned_seconds": True, "practiced_seconds": "172"}, [PLANNED, PRACTICED]),
    ({"planned_seconds": None, "practiced_seconds": [172]}, ["practiced_seconds"]),
    ({"planned_seconds": 10**30, "practiced_seconds": 10**400}, [PLANNED, PRACTICED]),
    ({"planned_seconds": 1e308}, ["planned_seconds"]),
    ({"completed": False}, []),
    ({"completed": None}, []),
    ({"completed": 1}, ["completed"]),
    ({"completed": "yes"}, ["completed"]),
    ({"before": None, "after": None}, []),
    ({"before": {}, "after": {"felt": "unsettling"}}, []),
    ({"before": [], "after": "fine"}, ["before", "after"]),
    ({"before": {"feel": 0}, "after": {"feel": 10}}, []),
    ({"before": {"feel": -1}, "after": {"feel": 11}}, ["before.feel", "after.feel"]),
    ({"before": {"feel": 10.000001}, "after": {"feel": True}}, ["before.feel", "after.feel"]),
    ({"before": {"feel": "3"}, "after": {"feel": None}}, ["before.feel"]),
    ({"before": {"feel": 2.5}}, []),
    ({"before": {"tone": None, "words": None}}, ["before.words"]),
    ({"before": {"tone": 3, "words": "flat"}}, ["before.tone", "before.words"]),
    ({"before": {"words": ["flat", 3, None, "foggy"]}}, ["before.words"]),
    ({"before": {"words": [["nested"], {"a": 1}]}}, ["before.words"]),
    ({"before": {"words": {"a": 1}}}, ["before.words"]),
    ({"before": {"words": []}, "after": {"words": [], "felt": None}}, []),
    ({"before": {"feel": 2, "extra": {"deep": [1, 2, {"x": None}]}}}, []),
    ({"after": {"felt": 3}}, ["after.felt"]),
    ({"practice": None, "title": None}, []),
    ({"practice": 3, "title": ["a"]}, ["practice", "title"]),
    ({"practice": {"id": "hands"}, "title": ["a", "list"]}, ["practice", "title"]),
    ({"practice": "", "title": ""}, []),
    ({"answers": []}, []),
    ({"answers": None}, ["answers"]),
    ({"answers": "none"}, ["answers"]),
    ({"answers": [1, "two", None, [3], {"four": 4}]}, ["answers"]),
    ({"answers": [{"step": "2", "prompt": "p", "text": "t"}]}, ["answers"]),
    ({"answers": {}}, ["answers"]),
    ({"answers": {"step": 1}}, ["answers"]),
    ({"answers": {"step": 1, "prompt": "p", "text": "t"}}, ["answers"]),
    ({"note": None}, []),
    ({"note": ""}, []),
    ({"note": "   \n\t "}, []),
    ({"note": 42}, ["note"]),
    ({"note": "\u2028 line separator, \x00 nul, \x1f unit separator"}, []),
    ({"tags": None}, ["tags"]),
    ({"tags": []}, []),
    ({"tags": "tired day"}, ["tags"]),
    ({"tags": ["relapse", 1, "poor sleep"]}, ["tags"]),
    ({"tags": {"a": 1}}, ["tags"]),
    ({"v": "1"}, ["v"]),
    ({"v": 2, "future_field": {"from": "a newer emoflat"}}, []),
    ({"ended": 5}, ["ended"]),
    ({"id": ""}, "no id"),
    ({"id": 7}, "no id"),
    ({"id": None}, "no id"),
    ({"id": ["a"]}, "no id"),
    ({"id": "a\nline break"}, []),
    ({"id": "not a uuid at all"}, []),
    ({"started": "2026-03-02T10:00:00"}, []),  # local time: a session
    ({"started": "2026-03-02 10:00:00.123456+05:30"}, []),
    ({"started": "2026-03-02T10:00:00Z"}, []),
    ({"started": "yesterday"}, []),  # a record; the log skips it (no date and time)
    ({"started": 20260302}, "no started time"),
    ({"started": None}, "no started time"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "expected"), ODD_FIELDS, ids=[json.dumps(f)[:50] for f, _ in ODD_FIELDS]
)
def test_an_odd_field_is_left_out_and_named_or_the_line_skipped(
    fields: dict[str, Any], expected: list[str] | str
) -> None:
    record, left_out = read(line_of(**fields))
    if isinstance(expected, str):
        assert (record, left_out) == (expected, [])
        return
    assert isinstance(record, Record)
    assert left_out == expected
    assert all(blank(record, path) for path in left_out)
    assert_follows_the_format(record)


@pytest.mark.parametrize(
    "odd_id",
    ["a\nline break", "a lone \ud800 surrogate", "\udfff", " ", "🌿" * 300],
    ids=["line-break", "lone-surrogate", "only-a-surrogate", "a-space", "long"],
)
def test_a_hand_edited_id_of_any_text_is_kept(odd_id: str) -> None:
    record, left_out = read(json.dumps(record_fields(id=odd_id)).encode())  # as \u escapes
    assert isinstance(record, Record)
    assert (record.id, left_out) == (odd_id, [])


S = b'"id": "a", "started": "2026-03-02T10:00:00+01:00"'
TOO_DEEP = b"[" * 5000 + b"]" * 5000


def _deep_outcome() -> str | list[str]:
    """A value 5,000 deep is too deep for Python 3.11 and 3.12's readers, not for 3.13's:
    the session is kept (the unknown field ignored) where it can be read, else skipped."""
    try:
        json.loads(TOO_DEEP)
    except RecursionError:
        return "nested too deeply"
    return []


LONG = b"1" + b"0" * 5000

#: Lines written by hand, torn by a crash, or damaged some other way, and what a read
#: makes of each: ``None`` (blank), a reason to skip it, or the fields a session left out.
HAND_WRITTEN: list[tuple[str, bytes, str | list[str] | None]] = [
    ("empty", b"", None),
    ("spaces", b"   ", None),
    ("carriage-return", b"\r", None),
    ("tab-and-cr", b"\t \r", None),
    ("torn", b'{"v":1,"id":"torn-by-a-crash","practice":"brea', "not valid JSON"),
    ("garbage", b"I edited this by hand {", "not valid JSON"),
    ("prose", b"this is not json at all", "not valid JSON"),
    ("empty-object", b"{}", "no id"),
    ("list", b'["a list", "not a record"]', "not a JSON object"),
    ("null", b"null", "not a JSON object"),
    ("number", b"42", "not a JSON object"),
    ("string", b'"a record"', "not a JSON object"),
    ("open-brace", b"{", "not valid JSON"),
    ("close-brace", b"}", "not valid JSON"),
    ("minimal", b"{" + S + b"}", []),
    ("crlf", b"{" + S + b"}\r", []),
    ("padded", b"  {" + S + b"}  ", []),
    ("two-objects", b"{" + S + b'} {"id": "b"}', "not valid JSON"),
    ("trailing-comma", b"{" + S + b"},", "not valid JSON"),
    ("comma-in-object", b"{" + S + b",}", "not valid JSON"),
    ("comma-in-list", b"{" + S + b', "x": [1, 2,]}', "not valid JSON"),
    ("single-quotes", b"{'id': 'a', 'started': '2026-03-02T10:00:00+01:00'}", "not valid JSON"),
    ("duplicate-key", b'{"id": "a", "id": "b", "started": "2026-03-02T10:00:00+01:00"}', []),
    ("escaped-key", b'{"\\u0069d": "b", "started": "2026-03-02T10:00:00+01:00"}', []),
    ("nul-in-id", b'{"id": "a\\u0000b", "started": "2026-03-02T10:00:00+01:00"}', []),
    ("surrogate-id", b'{"id": "\\ud800 x", "started": "2026-03-02T10:00:00+01:00"}', []),
    ("surrogate-note", b"{" + S + b', "note": "\\udfff"}', []),
    ("surrogate-tag", b"{" + S + b', "tags": ["\\udc00", "ok"]}', []),
    ("raw-tab", b"{" + S + b', "note": "raw\ttab"}', "not valid JSON"),
    ("bad-escape", b"{" + S + b', "x": "\\q"}', "not valid JSON"),
    ("hex-escape", b"{" + S + b', "x": "\\x41"}', "not valid JSON"),
    ("bare-word", b"{" + S + b', "x": tru}', "not valid JSON"),
    ("nan-unknown", b"{" + S + b', "x": NaN}', []),
    ("nan-seconds", b"{" + S + b', "planned_seconds": NaN}', ["planned_seconds"]),
    ("nan-feel", b"{" + S + b', "before": {"feel": NaN}}', ["before.feel"]),
    ("infinity", b"{" + S + b', "planned_seconds": Infinity}', ["planned_seconds"]),
    ("1e308", b"{" + S + b', "practiced_seconds": 1e308}', ["practiced_seconds"]),
    ("1e400", b"{" + S + b', "planned_seconds": 1e400}', ["planned_seconds"]),
    ("-1e400", b"{" + S + b', "planned_seconds": -1e400}', ["planned_seconds"]),
    ("1e2", b"{" + S + b', "planned_seconds": 1e2}', []),
    ("leading-zero", b"{" + S + b', "planned_seconds": 01}', "not valid JSON"),
    ("no-fraction", b"{" + S + b', "planned_seconds": 1.}', "not valid JSON"),
    ("no-integer", b"{" + S + b', "planned_seconds": .5}', "not valid JSON"),
    ("plus-sign", b"{" + S + b', "planned_seconds": +1}', "not valid JSON"),
    ("5000-digits-unknown", b"{" + S + b', "x": ' + LONG + b"}", []),
    ("5000-digits-negative", b"{" + S + b', "x": -' + LONG + b"}", []),
    ("5000-digits-seconds", b"{" + S + b', "practiced_seconds": ' + LONG + b"}", [PRACTICED]),
    ("5000-digits-feel", b"{" + S + b', "after": {"feel": ' + LONG + b"}}", ["after.feel"]),
    ("bom", b"\xef\xbb\xbf{" + S + b"}", "not valid JSON"),
    ("latin-1", b"{" + S + b', "note": "caf\xe9"}', "not UTF-8 text"),
    ("not-utf8", b"\xff\xfe not utf-8", "not UTF-8 text"),
    ("cut-utf8", b"{" + S + b', "note": "\xc3"}', "not UTF-8 text"),
    ("100-deep", b"{" + S + b', "x": ' + b"[" * 100 + b"]" * 100 + b"}", []),
    ("5000-deep", b"{" + S + b', "x": ' + TOO_DEEP + b"}", _deep_outcome()),
    ("100000-open", b"[" * 100_000, "nested too deeply"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("line", "expected"),
    [(line, expected) for _, line, expected in HAND_WRITTEN],
    ids=[name for name, _, _ in HAND_WRITTEN],
)
def test_any_line_is_a_session_a_reason_or_blank_never_an_exception(
    line: bytes, expected: str | list[str] | None
) -> None:
    record, left_out = read(line)
    if not isinstance(expected, list):
        assert (record, left_out) == (expected, [])
        return
    assert isinstance(record, Record)
    assert left_out == expected
    assert all(blank(record, path) for path in left_out)
    assert_follows_the_format(record)


@pytest.mark.parametrize(
    "answers",
    [{}, {"step": 1}, {"step": 1, "prompt": "p", "text": "t"}],
    ids=["empty", "part", "whole"],
)
def test_answers_written_as_one_object_are_left_out_and_named(answers: Any) -> None:
    record, left_out = read(json.dumps(record_fields(answers=answers)).encode())
    assert isinstance(record, Record)
    assert record.answers == ()
    assert left_out == ["answers"]


def test_a_number_too_long_for_python_in_a_field_leaves_that_field_out() -> None:
    # Valid JSON that json.loads alone refuses (over 4,300 digits): the session stays.
    raw = json.dumps(record_fields(planned_seconds=0))[:-1] + ', "x": 1' + "0" * 5000 + "}"
    raw = raw.replace('"planned_seconds": 0', '"planned_seconds": 1' + "0" * 5000)
    record, left_out = read(raw.encode())
    assert isinstance(record, Record)
    assert record.planned_seconds is None
    assert record.practiced_seconds == 172
    assert left_out == ["planned_seconds"]


# --- reading: every kind of value in every field, and random damage ------------------------

ODD_VALUES: list[Any] = [
    None, True, 0, -1, 11, 2.5, 10**30, "", "text", "3", [], ["a"], [1, None], {}, {"a": 1},
    [[[]]], {"feel": 2}, [{"step": 1, "prompt": "p", "text": "t"}],
]  # fmt: skip
FIELD_PATHS = [
    *SPEC_FIELDS,
    "before.feel", "before.tone", "before.words",
    "after.feel", "after.tone", "after.words", "after.felt",
]  # fmt: skip


def test_every_odd_value_in_every_field_reads_without_an_exception() -> None:
    checked = 0
    for path in FIELD_PATHS:
        for value in ODD_VALUES:
            fields = record_fields()
            outer, _, inner = path.partition(".")
            if inner:
                fields[outer][inner] = value
            else:
                fields[outer] = value
            record, left_out = read(json.dumps(fields).encode())
            if path in ("id", "started") and record is not None and not isinstance(record, Record):
                continue  # no id or no start: not a session, and it says why
            assert isinstance(record, Record), (path, value, record)
            assert set(left_out) <= {path}, (path, value, left_out)
            assert all(blank(record, p) for p in left_out)
            assert_follows_the_format(record)
            checked += 1
    assert checked > len(FIELD_PATHS) * len(ODD_VALUES) * 0.9


def mutated(rng: random.Random, line: bytes) -> bytes:
    """``line`` with one to three random edits: a byte changed, removed, doubled or swapped
    for a character JSON treats specially."""
    data = bytearray(line)
    specials = b'"\\{}[],:0123456789-+.eE tfnul\x00\x1f\x7f\xff\xc3'
    for _ in range(rng.randint(1, 3)):
        if not data:
            break
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
    return bytes(data).replace(b"\n", b"")  # a line never holds a line break


def test_thousands_of_randomly_damaged_lines_read_without_an_exception() -> None:
    rng = random.Random(20261126)
    originals = [line_of(**fields) for fields, expected in ODD_FIELDS if expected == []]
    outcomes = {"session": 0, "left out": 0, "skipped": 0}
    for number in range(6000):
        record, left_out = read(mutated(rng, originals[number % len(originals)]))
        if isinstance(record, Record):
            assert all(blank(record, path) for path in left_out)
            assert_follows_the_format(record)
            outcomes["left out" if left_out else "session"] += 1
        else:
            assert record is None or isinstance(record, str)
            outcomes["skipped"] += 1
    assert min(outcomes.values()) > 100  # every way of reading was taken many times
