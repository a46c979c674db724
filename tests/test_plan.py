"""The plan of a run: every step readable, optional steps left out first at short lengths."""

from __future__ import annotations

import pytest

from emoflat.engine import Session
from emoflat.model import Practice, Step
from emoflat.plan import plan, reading_seconds, shortest_seconds


def words(count: int) -> str:
    return " ".join(["word"] * count)


def step(text: str, seconds: float | None, *, scale: bool = True, optional: bool = False) -> Step:
    return Step("say", (text,), seconds, scale=scale, optional=optional)


def practice(*steps: Step) -> Practice:
    return Practice(id="p", title="P", summary="S", steps=steps)


def test_reading_time_is_two_words_a_second_and_three_to_settle() -> None:
    assert reading_seconds(step(words(10), 5)) == 8
    assert reading_seconds(step(words(11), 5)) == 9  # 8.5 rounds up
    assert reading_seconds(Step("pause", ("",), 5)) == 1
    assert reading_seconds(Step("pick", (words(4), words(20)), 5)) == 13  # the longest


def test_at_its_own_length_a_step_too_short_to_read_is_lengthened() -> None:
    planned = plan(practice(step(words(20), 5), step(words(2), 30)))
    assert [s.seconds for s in planned.steps] == [13, 30]


def test_untimed_steps_stay_untimed() -> None:
    planned = plan(practice(step(words(20), None), step(words(2), 30)), 0.5)
    assert planned.steps[0].seconds is None


def test_a_length_is_shared_in_proportion_and_fixed_steps_keep_theirs() -> None:
    planned = plan(practice(step("a", 10, scale=False), step("b", 30), step("c", 60)), 5)
    assert [s.seconds for s in planned.steps] == [
        10,
        pytest.approx(290 / 3),
        pytest.approx(580 / 3),
    ]
    assert planned.seconds == pytest.approx(300)


def test_a_short_length_never_squeezes_a_step_below_its_reading_time() -> None:
    long_read = step(words(40), 60)  # 23 s to read
    planned = plan(practice(step("a", 60), long_read, step("b", 60)), 1)
    assert planned.steps[1].seconds == 23
    assert all(
        s.seconds is not None and s.seconds >= reading_seconds(s.step) for s in planned.steps
    )


def test_a_short_length_leaves_out_optional_steps_the_last_first() -> None:
    steps = (
        step(words(20), 20),  # 13 s
        step(words(20), 20, optional=True),
        step(words(20), 20),
        step(words(20), 20, optional=True),
        step(words(20), 20),
    )
    assert plan(practice(*steps), 1).dropped == (3,)  # 13 x 4 = 52 s fits in 60
    assert plan(practice(*steps), 0.5).dropped == (1, 3)  # 39 s: as short as it gets
    assert plan(practice(*steps), 3).dropped == ()


def test_below_its_shortest_a_practice_runs_at_its_shortest() -> None:
    steps = (step(words(20), 20), step(words(20), 20, optional=True), step("end", 15, scale=False))
    shortest = shortest_seconds(practice(*steps))
    assert shortest == 13 + 15
    assert plan(practice(*steps), 0.1).seconds == shortest


def test_minutes_must_be_positive() -> None:
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            plan(practice(step("a", 10)), bad)


def test_an_answer_keeps_the_step_number_of_the_file_when_steps_are_left_out() -> None:
    prompt = Step("prompt", ("What is here?",), 20, answer=True)
    steps = (step(words(20), 20, optional=True), prompt, step("end", 15, scale=False))
    session = Session(practice(*steps), minutes=0.5, now=lambda: 0.0)
    session.start()
    assert session.state().step.kind == "prompt"  # the optional first step was left out
    session.set_answer("my hands")
    session.end()
    assert session.record_fields()["answers"] == [
        {"step": 2, "prompt": "What is here?", "text": "my hands"}
    ]
