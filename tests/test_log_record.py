"""The session record: checked before it is written, read forgivingly from any line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from records import record_fields

from emoflat.log.record import Record, decode


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
