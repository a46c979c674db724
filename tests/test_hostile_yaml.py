"""Any bytes in a practice file give a practice or clean one-line errors: never an
exception, never a hang, never a character a terminal would act on.

Property-based (hypothesis): arbitrary bytes, text made of YAML's own punctuation and of
control characters, and a valid practice with bytes changed, inserted or cut.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emoflat.loader import check_practice
from emoflat.text import clean

SOUNDS = frozenset({"bowl", "bell"})

VALID = b"""\
format: 1
id: fuzzed
title: "A title"
summary: 'A summary.'
tags: [a, b-c]
source: |
  Where it comes from.
chimes: {start: bowl, end: none, interval: {every: 30, sound: bell}}
steps:
  - say: "Settle in."
    seconds: 15
  - pick: [one, "two"]
  - prompt: What is here?
    answer: yes
  - pause:
"""

#: YAML's punctuation, some words of the format, line breaks, escapes and controls.
PIECES = [
    *": -\n\t\"'[]{}!&*%#|>?,@`\\~",
    "format: 1\n",
    "title: ",
    "steps:\n  - say: ",
    "seconds: ",
    "!!python/object:os.system ",
    "!<%1b]52;c;eA==%07> ",
    "!<%ed%a0%80> ",
    "%TAG !e! tag:%1b\n---\n",
    '"\\e\\x9b\\u009d\\a\\0\\N\\ud800"',
    "\x1b",
    "\x07",
    "\x7f",
    "\u0085",
    "\u009b",
    "\ufeff",
    "\ufffe",
    "\u202e",
    "\r",
    "---\n",
    "...\n",
    "&a ",
    "*a ",
    "<<: ",
    "1:30",
    "0o17",
    ".inf",
    "~",
    "é",
    "日本",
]

yamlish = st.lists(st.sampled_from(PIECES), max_size=60).map("".join).map(str.encode)


@st.composite
def changed_practice(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "replace", "cut"]))
        chunk = draw(st.binary(min_size=1, max_size=4) | yamlish)
        if action == "insert":
            data[at:at] = chunk
        elif action == "replace":
            data[at : at + len(chunk)] = chunk
        else:
            del data[at : at + draw(st.integers(1, 20))]
    return bytes(data)


@settings(
    max_examples=400,
    deadline=timedelta(seconds=2),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.binary(max_size=2048) | yamlish | changed_practice())
def test_any_bytes_give_a_practice_or_clean_one_line_errors(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzzed.yaml"
    path.write_bytes(data)
    practice, errors = check_practice(path, sounds=SOUNDS)
    if practice is not None:
        assert errors == []
        assert practice.steps
        return
    assert errors, "an invalid file must say why"
    for error in errors:
        text = str(error)
        assert text.startswith(f"{path}:{error.line}:{error.column}: ")
        assert error.line >= 1 and error.column >= 1
        assert error.message
        assert clean(text, keep_lines=False) == text, "one line, nothing a terminal acts on"
