"""Every case of the public YAML test suite ends in a valid practice or a located error.

The corpus (tests/data/yaml-test-suite, MIT licence) holds 402 real-world YAML edge cases:
valid and invalid YAML, anchors, tags, odd scalars. None may raise, hang or give an
error without a line and column, or one that a terminal would act on.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from emoflat.loader import check_practice
from emoflat.text import clean

CORPUS = Path(__file__).parent / "data" / "yaml-test-suite"
CASES = sorted(CORPUS.glob("*.yaml"))


def test_the_corpus_is_all_there() -> None:
    assert len(CASES) == 402


@pytest.fixture
def time_limit() -> Iterator[None]:
    def too_slow(signum: int, frame: object) -> None:
        raise TimeoutError("loading took over 2 seconds: a hang")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(2)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_each_case_is_a_practice_or_a_located_error(case: Path, time_limit: None) -> None:
    practice, errors = check_practice(case, sounds=frozenset({"bowl", "bell"}))
    if practice is not None:
        assert errors == []
        assert practice.steps
        return
    assert errors, "an invalid file must say why"
    lines = case.read_bytes().count(b"\n") + 1
    for error in errors:
        text = str(error)
        assert clean(text, keep_lines=False) == text, "one line, nothing a terminal acts on"
        assert text.startswith(f"{case}:{error.line}:{error.column}: ")
        assert 1 <= error.line <= lines + 1
        assert error.column >= 1
        assert error.message
