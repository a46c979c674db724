"""Session records for the tests: complete and valid, any field replaced by a keyword."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import msgspec

from emoflat.log.record import RECORD_VERSION, Record, new_session_id


def record_fields(started: str = "2026-03-02T10:00:00+01:00", **fields: Any) -> dict[str, Any]:
    """A complete session record as a dict starting at ``started`` (three minutes long);
    keyword arguments replace fields. A ``started`` that is not a time (the tests of bad
    records pass some) leaves ``ended`` at a fixed time."""
    try:
        ended = (datetime.fromisoformat(started) + timedelta(seconds=180)).isoformat()
    except (TypeError, ValueError, OverflowError):
        ended = "2026-03-02T10:03:00+01:00"
    record: dict[str, Any] = {
        "v": RECORD_VERSION,
        "id": new_session_id(),
        "practice": "hands",
        "title": "Noticing your hands",
        "started": started,
        "ended": ended,
        "planned_seconds": 180,
        "practiced_seconds": 172,
        "completed": True,
        "before": {"feel": 2, "tone": "can't tell", "words": ["flat", "foggy"]},
        "after": {"feel": 3, "tone": "mixed", "words": ["warm"], "felt": "not sure"},
        "answers": [{"step": 2, "prompt": "What did you notice?", "text": "warmth, maybe — café"}],
        "note": "Nothing much.\nThat is fine.",
        "tags": [],
    }
    record.update(fields)
    return record


def make_record(started: str = "2026-03-02T10:00:00+01:00", **fields: Any) -> Record:
    """:func:`record_fields` as the typed :class:`~emoflat.log.record.Record`."""
    return msgspec.convert(record_fields(started, **fields), Record)
