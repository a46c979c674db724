"""The practice format, version 1, defined once.

The types below are the format: :func:`validate` checks a YAML node tree against them
(reporting every problem with its line, column and field path), :func:`json_schema`
turns them into the JSON Schema that ``emoflat schema`` prints, and
:func:`field_table` into the field table of the docs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from emoflat.text import clean, control_character
from emoflat.yamlsafe import CORE, NO_CONTROL, Problem, node_position

FORMAT_VERSION = 1
SUPPORTED_FORMATS = (1,)
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
NAME_PATTERN = r"^[a-z0-9-]+$"

#: Marks a value that failed validation (its problem is already reported).
INVALID: Any = object()


@dataclass
class Context:
    """What validation needs besides the node: where problems go, which sounds exist."""

    problems: list[Problem] = field(default_factory=list)
    sound_exists: Callable[[str], bool] | None = None

    def report(self, node: Node, path: str, message: str) -> None:
        """Record a problem at ``node``."""
        line, column = node_position(node)
        self.problems.append(Problem(line, column, path, message))


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def describe(node: Node) -> str:
    """How a found value is named in a message: ``"ten"``, ``5000``, ``a list``, ``nothing``
    (control characters shown as escapes, on one line)."""
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    value = str(node.value)
    if node.tag == CORE + "null":
        return "nothing"
    shown = value if len(value) <= 40 else value[:37] + "..."
    if node.tag == CORE + "str":
        return clean(json.dumps(shown, ensure_ascii=False))
    return clean(shown, keep_lines=False)


_YAML11_READS = {
    CORE + "bool": "true or false",
    CORE + "int": "a number",
    CORE + "float": "a number",
    CORE + "null": "nothing (null)",
    CORE + "timestamp": "a date",
}


def _is_plain(node: ScalarNode) -> bool:
    return node.style is None or node.style == ""


class Type:
    """One type of the format."""

    #: What a value of this type is, in an author's words ("a number from 1 to 3600").
    expected = "a value"

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        """Return the value of ``node``, or report problems and return :data:`INVALID`."""
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of this type."""
        raise NotImplementedError

    def fail(self, node: Node, path: str, ctx: Context, hint: str = "") -> Any:
        """Report that ``node`` is not of this type."""
        message = f"expected {self.expected}, got {describe(node)}"
        ctx.report(node, path, f"{message}; {hint}" if hint else message)
        return INVALID


class Text(Type):
    """Plain text: trimmed, ``lo``-``hi`` characters, optionally on one line."""

    def __init__(self, hi: int, *, one_line: bool = False, lo: int = 1) -> None:
        self.lo, self.hi, self.one_line = lo, hi, one_line
        where = " on one line" if one_line else ""
        self.expected = f"text of {lo} to {hi} characters{where}"

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node, ScalarNode):
            return self.fail(node, path, ctx)
        if node.tag != CORE + "str":
            if _is_plain(node) and node.tag in _YAML11_READS:
                reads = _YAML11_READS[node.tag]
                if node.tag == CORE + "null" and node.value in ("", "~"):
                    return self.fail(node, path, ctx)
                return self.fail(
                    node,
                    path,
                    ctx,
                    f"YAML reads an unquoted {node.value} as {reads}: "
                    f'put the text in quotes, like "{node.value}"',
                )
            return self.fail(node, path, ctx)
        text = str(node.value).strip()
        control = control_character(text)
        if control is not None:
            at, name = control
            ctx.report(node, path, f"{NO_CONTROL}, got {name} at character {at + 1}")
            return INVALID
        if not self.lo <= len(text) <= self.hi:
            ctx.report(node, path, f"expected {self.expected}, got {len(text)} characters")
            return INVALID
        if self.one_line and "\n" in text:
            ctx.report(node, path, f"expected {self.expected}, got {text.count(chr(10)) + 1} lines")
            return INVALID
        return text

    def schema(self) -> dict[str, Any]:
        # No control characters but tab, and line feed unless on one line.
        first = r"\u000a" if self.one_line else r"\u000b"
        refused = rf"\u0000-\u0008{first}-\u001f\u007f-\u009f"
        return {
            "type": "string",
            "minLength": self.lo,
            "maxLength": self.hi,
            "pattern": f"^[^{refused}]*$",
        }


class Name(Type):
    """A short machine name (an id, a tag, a sound), matched by a pattern."""

    def __init__(self, pattern: str, expected: str, *, hi: int = 64) -> None:
        self.pattern, self.hi, self.expected = pattern, hi, expected
        self._match = re.compile(pattern).match

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node, ScalarNode) or node.tag not in (CORE + "str", CORE + "int"):
            return self.fail(node, path, ctx)
        value = str(node.value)
        if len(value) > self.hi or not self._match(value):
            return self.fail(node, path, ctx)
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": self.pattern, "maxLength": self.hi}


class Sound(Name):
    """A sound name: ``NAME.wav`` in the user's sounds folder or the built-in ones."""

    def __init__(self, *, allow_none: bool) -> None:
        self.allow_none = allow_none
        what = "a sound name (like bowl or bell)"
        super().__init__(NAME_PATTERN, what + (" or none" if allow_none else ""))

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if isinstance(node, ScalarNode) and node.tag == CORE + "str":
            value = str(node.value)
            if "/" in value or "\\" in value or ".." in value:
                return self.fail(node, path, ctx, "give the name of a sound, not a path")
            if value.endswith(".wav"):
                return self.fail(
                    node, path, ctx, f"leave out .wav: {clean(value[:-4], keep_lines=False)}"
                )
        value = super().check(node, path, ctx)
        if value is INVALID or value == "none":
            if value == "none" and not self.allow_none:
                return self.fail(node, path, ctx)
            return value
        if ctx.sound_exists is not None and not ctx.sound_exists(value):
            ctx.report(
                node,
                path,
                f"expected {self.expected}, got {value!r}, which is not a built-in sound "
                f"nor {value}.wav in your sounds folder",
            )
            return INVALID
        return value


class Number(Type):
    """A decimal number from ``lo`` to ``hi``."""

    _decimal = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]+)?$").match

    def __init__(self, lo: float, hi: float, *, integer: bool = False) -> None:
        self.lo, self.hi, self.integer = lo, hi, integer
        kind = "a whole number" if integer else "a number"
        self.expected = f"{kind} from {lo:g} to {hi:g}"

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node, ScalarNode):
            return self.fail(node, path, ctx)
        text = str(node.value)
        if node.tag == CORE + "str" and re.match(r"^[0-9]+(\.[0-9]+)?$", text.strip()):
            return self.fail(node, path, ctx, "write the number without quotes")
        if node.tag not in (CORE + "int", CORE + "float"):
            return self.fail(node, path, ctx)
        if not self._decimal(text):
            if ":" in text:
                hint = "YAML reads 1:30 as 90 (sixty-based); write the number of seconds"
            elif text.startswith("0") and len(text) > 1:
                hint = "YAML reads a leading 0 as octal; write the number without it"
            else:
                hint = "write a plain decimal number, like 30 or 2.5"
            return self.fail(node, path, ctx, hint)
        value = float(text)
        if self.integer and not value.is_integer():
            return self.fail(node, path, ctx)
        if not self.lo <= value <= self.hi:
            return self.fail(node, path, ctx)
        return int(value) if self.integer or value.is_integer() else value

    def schema(self) -> dict[str, Any]:
        return {
            "type": "integer" if self.integer else "number",
            "minimum": self.lo,
            "maximum": self.hi,
        }


class Flag(Type):
    """true or false."""

    expected = "true or false"

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node, ScalarNode) or node.tag != CORE + "bool":
            return self.fail(node, path, ctx)
        return str(node.value).lower() in ("true", "yes", "on", "y")

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class Version(Type):
    """The ``format`` field: one of the supported versions."""

    expected = " or ".join(map(str, SUPPORTED_FORMATS))

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if (
            isinstance(node, ScalarNode)
            and node.tag == CORE + "int"
            and node.value.isdigit()
            and int(node.value) in SUPPORTED_FORMATS
        ):
            return int(node.value)
        supported = ", ".join(map(str, SUPPORTED_FORMATS))
        return self.fail(node, path, ctx, f"this emoflat reads format version {supported}")

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "enum": list(SUPPORTED_FORMATS)}


class ListOf(Type):
    """A list of ``lo``-``hi`` items of one type."""

    def __init__(self, item: Type, lo: int, hi: int, what: str) -> None:
        self.item, self.lo, self.hi = item, lo, hi
        self.expected = f"a list of {lo} to {hi} {what}"

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node, SequenceNode):
            return self.fail(node, path, ctx)
        if not self.lo <= len(node.value) <= self.hi:
            ctx.report(node, path, f"expected {self.expected}, got {len(node.value)}")
            return INVALID
        items = [self.item.check(item, f"{path}[{i}]", ctx) for i, item in enumerate(node.value)]
        return INVALID if any(v is INVALID for v in items) else items

    def schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "items": self.item.schema(),
            "minItems": self.lo,
            "maxItems": self.hi,
        }


@dataclass(frozen=True)
class Field:
    """One field of a mapping."""

    name: str
    type: Type
    doc: str
    required: bool = False


class Record(Type):
    """A mapping with known fields; unknown fields and duplicate keys are errors."""

    def __init__(self, fields: Iterable[Field], what: str = "a mapping of fields") -> None:
        self.fields = {f.name: f for f in fields}
        self.expected = what

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node, MappingNode):
            return self.fail(node, path, ctx)
        found = self.read_keys(node, path, ctx, self.fields)
        values: dict[str, Any] = {}
        ok = True
        for name, value_node in found.items():
            value = self.fields[name].type.check(value_node, _join(path, name), ctx)
            ok = ok and value is not INVALID
            values[name] = value
        for f in self.fields.values():
            if f.required and f.name not in found:
                ctx.report(
                    node,
                    _join(path, f.name),
                    f"missing the required field {f.name!r} (expected {f.type.expected})",
                )
                ok = False
        return values if ok else INVALID

    @staticmethod
    def read_keys(
        node: MappingNode, path: str, ctx: Context, known: dict[str, Any]
    ) -> dict[str, Node]:
        """The known keys of ``node`` and their value nodes; reports unknown and repeated keys."""
        found: dict[str, Node] = {}
        lines: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value) if isinstance(key, ScalarNode) else ""
            if name not in known:
                shown = name if re.fullmatch(r"[\w-]{1,40}", name) else describe(key)
                near = get_close_matches(name, list(known), n=1, cutoff=0.6) if name else []
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                ctx.report(
                    key,
                    _join(path, shown),
                    f"unknown field {shown}{hint}; expected one of: {', '.join(known)}",
                )
                continue
            if name in found:
                ctx.report(
                    key,
                    _join(path, name),
                    f"the field {name!r} is given twice (first on line {lines[name]}); keep one",
                )
                continue
            found[name] = value
            lines[name] = node_position(key)[0]
        return found

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                f.name: {**f.type.schema(), "description": f.doc} for f in self.fields.values()
            },
            "required": [f.name for f in self.fields.values() if f.required],
            "additionalProperties": False,
        }


class NoneOr(Type):
    """The word ``none``, or a value of another type."""

    def __init__(self, other: Type) -> None:
        self.other = other
        self.expected = f"none or {other.expected}"

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if isinstance(node, ScalarNode) and node.value == "none":
            return None
        if isinstance(node, ScalarNode):
            return self.fail(node, path, ctx)
        return self.other.check(node, path, ctx)

    def schema(self) -> dict[str, Any]:
        return {"oneOf": [{"const": "none"}, self.other.schema()]}


class Pause(Text):
    """A pause's text, which may be left empty."""

    def __init__(self) -> None:
        super().__init__(1000, lo=0)
        self.expected = "text of up to 1000 characters, or nothing"

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if isinstance(node, ScalarNode) and node.tag == CORE + "null" and node.value in ("", "~"):
            return ""
        return super().check(node, path, ctx)

    def schema(self) -> dict[str, Any]:
        return {"oneOf": [{"type": "null"}, super().schema()]}


class StepType(Type):
    """A step: exactly one kind key, plus the common fields."""

    expected = "a step: a mapping with one of say, breath, prompt, pause or pick"

    def __init__(self, kinds: Iterable[Field], common: Iterable[Field]) -> None:
        self.kinds = {f.name: f for f in kinds}
        self.common = {f.name: f for f in common}
        self.known = {**self.kinds, **self.common}

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node, MappingNode):
            return self.fail(node, path, ctx)
        found = Record.read_keys(node, path, ctx, self.known)
        kinds = [name for name in found if name in self.kinds]
        ok = True
        if len(kinds) != 1:
            got = " and ".join(kinds) if kinds else "none of them"
            ctx.report(
                node,
                path,
                f"expected exactly one kind of step ({', '.join(self.kinds)}), got {got}",
            )
            ok = False
        values: dict[str, Any] = {}
        for name, value_node in found.items():
            value = self.known[name].type.check(value_node, _join(path, name), ctx)
            ok = ok and value is not INVALID
            values[name] = value
        if "answer" in found and kinds and kinds[0] != "prompt":
            ctx.report(
                found["answer"],
                _join(path, "answer"),
                f"answer is only for prompt steps, got it on a {kinds[0]} step",
            )
            ok = False
        return values if ok else INVALID

    def schema(self) -> dict[str, Any]:
        variants = []
        for kind in self.kinds.values():
            properties = {kind.name: {**kind.type.schema(), "description": kind.doc}}
            for f in self.common.values():
                if f.name == "answer" and kind.name != "prompt":
                    continue
                properties[f.name] = {**f.type.schema(), "description": f.doc}
            variants.append(
                {
                    "type": "object",
                    "title": kind.name,
                    "properties": properties,
                    "required": [kind.name],
                    "additionalProperties": False,
                }
            )
        return {"oneOf": variants}


# --- The format, version 1 ---------------------------------------------------------------

TEXT = Text(1000)
SECONDS = Number(1, 3600)

STEP = StepType(
    kinds=[
        Field("say", TEXT, "An instruction."),
        Field(
            "breath",
            TEXT,
            "Breath observation: the text plus a calm visual that never paces the breath.",
        ),
        Field("prompt", TEXT, "A question; with answer: true the user may type an answer."),
        Field("pause", Pause(), "Quiet time, with the text if any."),
        Field(
            "pick",
            ListOf(TEXT, 1, 50, "texts"),
            "Texts of which one is chosen at random each run, shown like say.",
        ),
    ],
    common=[
        Field(
            "seconds",
            SECONDS,
            "How long the step lasts. Omitted: the step waits until the user continues.",
        ),
        Field("chime", Sound(allow_none=False), "A sound rung when the step starts."),
        Field("answer", Flag(), "Only on prompt: the user may type a short answer, kept."),
        Field("scale", Flag(), "Whether --minutes may stretch or shrink this step (default true)."),
        Field(
            "optional",
            Flag(),
            "Whether a shorter length may leave this step out (default false); "
            "never mark a safety or grounding line optional.",
        ),
    ],
)

INTERVAL = Record(
    [
        Field("every", SECONDS, "Seconds of practice time between chimes.", required=True),
        Field("sound", Sound(allow_none=False), "The sound rung.", required=True),
    ],
    what="a mapping {every: SECONDS, sound: NAME}",
)

CHIMES = Record(
    [
        Field(
            "start",
            Sound(allow_none=True),
            "Rung as the first step starts; default: the configured chime.",
        ),
        Field(
            "end",
            Sound(allow_none=True),
            "Rung as the session ends; default: the configured chime.",
        ),
        Field(
            "interval",
            NoneOr(INTERVAL),
            "Rung every N seconds of practice time, never at the very start or end.",
        ),
    ],
    what="a mapping with start, end and interval",
)

PRACTICE = Record(
    [
        Field("format", Version(), "The format version: 1.", required=True),
        Field(
            "id",
            Name(ID_PATTERN, "an id of a-z, 0-9 and '-' (at most 64 characters)"),
            "Unique id; defaults to the file name without .yaml.",
        ),
        Field("title", Text(80, one_line=True), "The practice's title.", required=True),
        Field("summary", Text(200, one_line=True), "One line saying what it is.", required=True),
        Field(
            "tags",
            ListOf(Name(NAME_PATTERN, "a tag of a-z, 0-9 and '-'"), 0, 50, "tags"),
            "Tags, each of a-z, 0-9 and '-'.",
        ),
        Field(
            "group",
            Text(60, one_line=True),
            "What the practice is for, as the picker groups them (e.g. Being present).",
        ),
        Field("source", Text(1000), "Where the practice comes from."),
        Field("chimes", CHIMES, "The practice's chimes."),
        Field("steps", ListOf(STEP, 1, 200, "steps"), "The steps, in order.", required=True),
    ],
    what="a practice: a mapping with format, title, summary and steps",
)


def validate(root: Node | None, ctx: Context) -> dict[str, Any] | None:
    """Check ``root`` against the format; return the values, or ``None`` if there were problems."""
    if root is None:
        ctx.problems.append(Problem(1, 1, "", f"the file is empty; expected {PRACTICE.expected}"))
        return None
    values = PRACTICE.check(root, "", ctx)
    return None if values is INVALID or ctx.problems else values


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the practice format (draft 2020-12)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "emoflat-practice-v1.json",
        "title": "emoflat practice",
        "description": "A practice script for emoflat, format version 1.",
        **PRACTICE.schema(),
    }


def field_table() -> str:
    """The fields of the format as a Markdown table (top level, then steps)."""
    rows = ["| field | expected | required | meaning |", "|---|---|---|---|"]
    for f in PRACTICE.fields.values():
        rows.append(
            f"| `{f.name}` | {f.type.expected} | {'yes' if f.required else 'no'} | {f.doc} |"
        )
    for f in CHIMES.fields.values():
        rows.append(f"| `chimes.{f.name}` | {f.type.expected} | no | {f.doc} |")
    for f in [*STEP.kinds.values(), *STEP.common.values()]:
        rows.append(f"| `steps[].{f.name}` | {f.type.expected} | no | {f.doc} |")
    return "\n".join(rows) + "\n"
