"""Everything shown about sessions, as plain text: the history, a record, the calendar,
the chart, CSV, JSON and the markdown summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from records import record_fields

from emoflat.log.render import record_text
from emoflat.log.store import Session, read_log


def session_of_line(tmp_path: Path, line: str) -> Session:
    """The one session a log file holding ``line`` reads as."""
    folder = tmp_path / "sessions"
    folder.mkdir(exist_ok=True)
    (folder / "sessions-here.jsonl").write_text(line + "\n", encoding="utf-8")
    read = read_log(folder)
    assert read.warnings == []
    [session] = read.sessions
    return session


def with_field(name: str, raw_json: str, **fields: Any) -> str:
    """A record's line with one more field, written as raw JSON."""
    return json.dumps(record_fields(**fields))[:-1] + f', "{name}": {raw_json}}}'


def test_a_number_too_long_for_python_shows_as_infinity(tmp_path: Path) -> None:
    session = session_of_line(tmp_path, with_field("x", "1" + "0" * 5000))
    assert "  x: Infinity" in record_text(session).splitlines()


def test_a_deep_record_shows_whole_however_deep_the_caller_is(tmp_path: Path) -> None:
    deep = "[" * 900 + "]" * 900
    session = session_of_line(tmp_path, with_field("x", deep, note="still here"))

    def from_deep_down(frames: int) -> str:
        return from_deep_down(frames - 1) if frames else record_text(session)

    text = from_deep_down(600)  # as deep as a TUI's handler may be; json.loads alone fails
    assert "  still here" in text.splitlines()
    assert f"  x: {deep}" in text.splitlines()
