"""The session record, defined once (``shared/spec/session-log.md``, plus ``tags``).

The one :class:`Record` type builds the record at a session's end, checks it before it is
appended (:func:`encode`), and decodes each line when the log is read (:func:`decode`).
Its fields are the log's fields, in the log's order.

Reading is forgiving, as the spec asks: a line is first decoded strictly, and only when
that fails is it read again field by field, so a mistyped or out-of-range field (``"ten"``
seconds, a feeling of 11) leaves the session in the history with that field blank, and
says which fields were left out. A line with no ``id`` or no readable ``started`` is not
a session. Fields this version does not know are ignored here (the stored line keeps them).
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Annotated, Any, get_args, get_origin

import msgspec
from msgspec import Meta, Struct

#: The record format version written in every record's ``v`` field.
RECORD_VERSION = 1
#: The top of the "how much can you feel" scale; the bottom is 0.
FEEL_MAX = 10
#: More seconds than this in a session is not a real session (a hand edit, or 1e308).
MAX_SECONDS = 10**8

Feel = Annotated[int, Meta(ge=0, le=FEEL_MAX)] | Annotated[float, Meta(ge=0, le=FEEL_MAX)]
Seconds = Annotated[int, Meta(ge=0, le=MAX_SECONDS)] | Annotated[float, Meta(ge=0, le=MAX_SECONDS)]


class CheckIn(Struct, kw_only=True, gc=False):
    """A check-in before a practice; every part optional (``None`` or empty: not given)."""

    feel: Feel | None = None
    tone: str | None = None
    words: tuple[str, ...] = ()


class AfterCheckIn(CheckIn, kw_only=True, gc=False):
    """The check-in after a practice, with the answer to "How was that for you?"."""

    felt: str | None = None


class Answer(Struct, gc=False):
    """An answer typed to a prompt: its 1-based step, the prompt, the text."""

    step: int
    prompt: str
    text: str


class Record(Struct, kw_only=True, gc=False):
    """One session as the log keeps it. ``None`` in a field the spec requires means the
    stored line did not say it (or said it wrongly); a record written by emoflat has them all.
    """

    v: int | None = RECORD_VERSION
    id: Annotated[str, Meta(min_length=1)]
    practice: str | None = None
    title: str | None = None
    started: str
    ended: str | None = None
    planned_seconds: Seconds | None = None
    practiced_seconds: Seconds | None = None
    completed: bool | None = None
    before: CheckIn | None = None
    after: AfterCheckIn | None = None
    answers: tuple[Answer, ...] = ()
    note: str | None = None
    tags: tuple[str, ...] = ()


#: The fields a record must have (not ``None``) to be appended.
_WRITTEN = ("v", "practice", "title", "ended", "planned_seconds", "practiced_seconds", "completed")

_decoder = msgspec.json.Decoder(Record)
_decode = _decoder.decode
#: Every line of a file at once, strictly (blank lines skipped); raises on any odd line.
decode_lines = _decoder.decode_lines
_encode = msgspec.json.Encoder().encode


class InvalidRecordError(ValueError):
    """A record to append does not follow the log format: a bug in the caller."""


def new_session_id() -> str:
    """A fresh session id: a random UUID as a string."""
    import uuid

    return str(uuid.uuid4())


def encode(record: Record) -> bytes:
    """The record as one line of JSON (UTF-8, no line break), checked first.

    Raises:
        InvalidRecordError: A field is missing or not what the format says.
    """
    missing = [name for name in _WRITTEN if getattr(record, name) is None]
    if missing:
        raise InvalidRecordError(f"session record has no {', '.join(missing)}")
    import uuid

    try:
        uuid.UUID(record.id)
        line = _encode(record)
        _decode(line)  # the same checks as reading: types and ranges
        numbers = [record.planned_seconds, record.practiced_seconds]
        numbers += [checkin.feel for checkin in (record.before, record.after) if checkin]
        if not all(number is None or math.isfinite(number) for number in numbers):
            raise ValueError("a number is not finite (msgspec would write null)")
    except (ValueError, TypeError, msgspec.ValidationError) as exc:
        raise InvalidRecordError(f"session record is not valid: {exc}") from None
    for name in ("started", "ended"):
        try:
            moment = datetime.fromisoformat(getattr(record, name))
        except ValueError:
            raise InvalidRecordError(f"session record {name} is not a date and time") from None
        if moment.utcoffset() is None or moment.microsecond:
            raise InvalidRecordError(f"session record {name} needs a UTC offset, whole seconds")
    return line


def decode(raw: bytes, left_out: list[str]) -> Record | str | None:
    """One log line as a record, why it is not one, or ``None`` for a blank line.

    Args:
        raw: The line, without its line break.
        left_out: Gets the fields (dotted paths) a forgiving read left blank.
    """
    try:
        return _decode(raw)
    except msgspec.ValidationError:
        pass
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        pass
    if not raw.strip():
        return None
    try:
        # The standard library's reader takes what msgspec refuses (a lone surrogate).
        data = json.loads(raw.decode("utf-8"), parse_int=whole_number)
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except RecursionError:
        return "nested too deeply"
    except ValueError:
        return "not valid JSON"
    if type(data) is not dict:
        return "not a JSON object"
    if not isinstance(data.get("id"), str) or not data["id"]:
        return "no id"
    if not isinstance(data.get("started"), str):
        return "no started time"
    return Record(**_convert(data, Record, "", left_out))


def whole_number(digits: str) -> int | float:
    """A JSON whole number (``json.loads``' ``parse_int``); one too long for Python to
    convert (over 4,300 digits) is infinity, so the rest of its line still reads."""
    try:
        return int(digits)
    except ValueError:
        return float(digits)


def _convert(data: dict[str, Any], kind: type[Struct], path: str, left: list[str]) -> Any:
    """The fields of ``data`` that convert to ``kind``'s types; the rest are named in ``left``."""
    values: dict[str, Any] = {}
    for field in msgspec.structs.fields(kind):
        if field.name not in data:
            continue
        value = data[field.name]
        try:
            values[field.name] = msgspec.convert(value, field.type)
        except msgspec.ValidationError:
            inner = [
                t for t in get_args(field.type) if isinstance(t, type) and issubclass(t, Struct)
            ]
            if inner and type(value) is dict and get_origin(field.type) is not tuple:
                nested = _convert(value, inner[0], f"{path}{field.name}.", left)
                values[field.name] = inner[0](**nested)
            else:
                left.append(path + field.name)
    return values
