"""Safe, bounded YAML: text in, a checked node tree out, or located problems.

Only composition is used (nothing is ever constructed or executed). On top of PyYAML's
safe composer this refuses what the practice format has no use for and what could hang
or surprise a reader: control characters written into the file, anchors and aliases,
tags outside YAML's core schema, nesting deeper than :data:`MAX_DEPTH` and more than
:data:`MAX_NODES` nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from emoflat.text import clean

try:  # libyaml is about 7x faster; PyYAML's wheels ship it.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 256 * 1024
MAX_DEPTH = 20
MAX_NODES = 10_000

CORE = "tag:yaml.org,2002:"
#: Tags a practice may carry: the core schema's, whether implicit or written out.
ALLOWED_TAGS = frozenset(
    CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)
#: What a control character in a practice is told, written in the file or as an escape.
NO_CONTROL = "expected text without control characters (line breaks and tabs are fine)"
# Control characters written into the file as they are: C0 but tab and line breaks, DEL,
# and C1 (NEL too, which YAML would read as a line break).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class Problem:
    """A located problem: 1-based line and column, the field path, the message."""

    line: int
    column: int
    path: str
    message: str


class YamlProblem(Exception):
    """The text is not YAML this loader accepts; carries the first problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _at(mark: object | None) -> tuple[int, int]:
    if mark is None:
        return 1, 1
    return getattr(mark, "line", 0) + 1, getattr(mark, "column", 0) + 1


def node_position(node: Node) -> tuple[int, int]:
    """The 1-based line and column where ``node`` starts."""
    return _at(node.start_mark)


def compose(data: bytes) -> Node | None:
    """Compose one YAML document from ``data`` safely.

    Returns the root node, or ``None`` for an empty document. Duplicate keys are left
    to the format's validation, which knows each mapping's field path.

    Raises:
        YamlProblem: for anything that makes the tree unusable: too large, not UTF-8,
            a control character, not YAML, more than one document, anchors or aliases,
            an unsafe tag, too deep or too many nodes.
    """
    if len(data) > MAX_BYTES:
        raise YamlProblem(
            Problem(
                1,
                1,
                "",
                f"expected a file of at most {MAX_BYTES // 1024} KiB, "
                f"got {len(data) / 1024:.0f} KiB",
            )
        )
    text = _decode(data)
    if "&" in text or "*" in text:  # cheap test first: most files have neither
        _refuse_anchors(text)
    try:
        root = _compose(text, _Loader)
    except UnicodeDecodeError:
        # libyaml decodes a tag's %-escapes without checking them (and raises); PyYAML's
        # own loader refuses them with a location.
        root = _compose(text, yaml.SafeLoader, what="a tag's %-escapes are not UTF-8")
    if root is not None:
        _check_tree(root)
    return root


def _compose(text: str, loader: type, what: str | None = None) -> Node | None:
    """Compose with ``loader``; YAML's errors become a :class:`YamlProblem`, ``what``
    (when given) saying what was wrong."""
    try:
        return yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        line, column = _at(exc.problem_mark or exc.context_mark)
        what = what or exc.problem or exc.context or "not valid YAML"
        if "expected a single document" in str(exc):
            what = "expected one YAML document, found a second one (remove the '---' line)"
        raise YamlProblem(Problem(line, column, "", f"not valid YAML: {what}")) from None
    except yaml.YAMLError as exc:
        # A character YAML refuses (like U+FFFE: control characters are refused before).
        character = getattr(exc, "character", None)
        line, column = _place(text, text.find(chr(character))) if character else (1, 1)
        first = str(exc).splitlines()[0] if str(exc) else "not valid YAML"
        raise YamlProblem(Problem(line, column, "", f"not valid YAML: {first}")) from None
    except RecursionError:
        raise YamlProblem(
            Problem(1, 1, "", f"expected nesting at most {MAX_DEPTH} deep, got far deeper")
        ) from None


def _place(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]`` (of the start, if ``index`` < 0)."""
    index = max(index, 0)
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(
            Problem(line, column, "", "expected UTF-8 text, got a byte that is not UTF-8")
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    found = _CONTROL.search(text)
    if found is not None:
        line, column = _place(text, found.start())
        raise YamlProblem(
            Problem(
                line,
                column,
                "",
                f"{NO_CONTROL}, got U+{ord(found.group()):04X}",
            )
        )
    return text


def _refuse_anchors(text: str) -> None:
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line, column = _at(event.start_mark)
                raise YamlProblem(
                    Problem(
                        line,
                        column,
                        "",
                        "anchors and aliases (&name, *name) are not supported in practices; "
                        "write the value out in full",
                    )
                )
    except (yaml.YAMLError, UnicodeDecodeError):
        return  # compose reports the syntax error with its location


def _check_tree(root: Node) -> None:
    count = 0
    # Iterative walk: (node, depth). Each node object is seen once; anchors are refused
    # before composition, so a repeated node would be a bug, and is refused as well.
    seen: set[int] = set()
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            line, column = node_position(node)
            raise YamlProblem(
                Problem(line, column, "", f"expected at most {MAX_NODES:,} YAML nodes, got more")
            )
        if id(node) in seen:
            line, column = node_position(node)
            raise YamlProblem(Problem(line, column, "", "aliases are not supported"))
        seen.add(id(node))
        if depth > MAX_DEPTH:
            line, column = node_position(node)
            raise YamlProblem(
                Problem(line, column, "", f"expected nesting at most {MAX_DEPTH} deep, got deeper")
            )
        if node.tag not in ALLOWED_TAGS:
            line, column = node_position(node)
            tag = clean(node.tag.replace(CORE, "!!"), keep_lines=False)
            if len(tag) > 60:
                tag = tag[:57] + "..."
            raise YamlProblem(
                Problem(
                    line,
                    column,
                    "",
                    f"the tag {tag} is not allowed in practices (only plain YAML values)",
                )
            )
        if isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append((value, depth + 1))
                stack.append((key, depth + 1))
        elif isinstance(node, SequenceNode):
            stack.extend((item, depth + 1) for item in reversed(node.value))
