"""The session record: checked before it is written, read forgivingly from any line."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from records import make_record, record_fields

from emoflat.log.record import AfterCheckIn, CheckIn, InvalidRecordError, Record, decode, encode


def read(line: bytes) -> tuple[Record | str | None, list[str]]:
    """A line as :func:`decode` reads it, with the fields it left out."""
    left_out: list[str] = []
    return decode(line, left_out), left_out


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
