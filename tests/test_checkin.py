"""The check-ins' words and the one flow through them (``CheckInFlow``), which the TUI and
plain mode both drive: every path tested here without a terminal."""

from __future__ import annotations

import pytest

from emoflat import checkin
from emoflat.checkin import MAX_NOTE, CheckInFlow, clean_tags
from emoflat.log.record import AfterCheckIn, CheckIn

TAGS = ("tired day", "poor sleep", "relapse")


def after_flow(*, full: bool = False) -> CheckInFlow:
    return CheckInFlow("after", full=full, tags_offered=TAGS)


def answer(flow: CheckInFlow, *values: object) -> bool:
    """Answer the page on now, a value a question, and go on; whether grounding is offered."""
    for question, value in zip(flow.page, values, strict=True):
        flow.give(question, value)
    return flow.go_on()


# --- the words -------------------------------------------------------------------------------


def test_the_wording_is_care_md_s() -> None:
    assert checkin.FEEL_QUESTION == (
        "Right now, how much can you feel — anything at all, pleasant or unpleasant?"
    )
    assert checkin.FEEL_LOW == "0 = nothing, completely flat"
    assert checkin.FEEL_HIGH == "10 = as vividly as I ever do"
    assert checkin.TONES == ("pleasant", "unpleasant", "mixed", "can't tell", "nothing noticeable")
    assert checkin.FELT_QUESTION == "How was that for you?"
    assert checkin.FELT == ("helpful", "neutral", "unsettling", "not sure")
    assert checkin.UNSETTLING in checkin.FELT
    for word in ("numb", "flat", "blank", "foggy", "tired", "calm", "tender", "sad"):
        assert word in checkin.WORDS
    for word in ("irritated", "curious", "warm", "heavy", "tight", "nothing I can name"):
        assert word in checkin.WORDS
    assert checkin.FEEL_MAX == 10
    assert checkin.GROUNDING_SECONDS == 30


def test_tags_are_kept_once_in_the_order_offered_and_none_is_lost() -> None:
    assert clean_tags(["relapse", "tired day", "relapse", " "], TAGS) == ["tired day", "relapse"]
    assert clean_tags(["my own", "poor sleep", " my own "], TAGS) == ["poor sleep", "my own"]
    assert clean_tags([], TAGS) == []


# --- the questions ---------------------------------------------------------------------------


def test_the_short_check_in_is_one_page_before_and_one_after() -> None:
    assert CheckInFlow("before").pages == [("feel",)]
    assert after_flow().pages == [("feel", "felt")]


def test_the_full_check_in_asks_every_question_a_page_each() -> None:
    assert CheckInFlow("before", full=True).pages == [("feel",), ("tone",), ("words",)]
    full = after_flow(full=True).pages
    assert full == [("feel",), ("tone",), ("words",), ("felt",), ("tags",), ("note",)]
    assert {q for page in full for q in page} == set(checkin.QUESTIONS)


def test_more_adds_the_other_questions_after_the_short_page_once() -> None:
    flow = after_flow()
    assert flow.more_offered
    flow.give("feel", 3)
    flow.more()
    assert flow.page == ("tone",) and not flow.more_offered
    assert flow.pages == [("feel", "felt"), ("tone",), ("words",), ("tags",), ("note",)]
    assert flow.given["feel"] == 3  # what was given stays
    assert flow.back() and flow.page == ("feel", "felt")
    flow.more()  # again: nothing is added twice
    assert len(flow.pages) == 5 and flow.page == ("tone",)
    before = CheckInFlow("before")
    before.more()
    assert before.pages == [("feel",), ("tone",), ("words",)] and before.page == ("tone",)
    assert not after_flow(full=True).more_offered


def test_each_question_offers_its_own_choices() -> None:
    flow = after_flow()
    assert flow.choices("tone") == checkin.TONES
    assert flow.choices("felt") == checkin.FELT
    assert flow.choices("words") == checkin.WORDS
    assert flow.choices("tags") == TAGS
    assert flow.choices("feel") == () and flow.choices("note") == ()


def test_tags_marked_but_no_longer_offered_stay_on_offer() -> None:
    flow = after_flow()
    flow.give("tags", ("relapse", "my own"))
    assert flow.choices("tags") == (*TAGS, "my own")


@pytest.mark.parametrize(
    ("question", "value"),
    [("feel", 11), ("feel", -1), ("feel", True), ("feel", 2.5), ("tone", "happy"),
     ("felt", "great"), ("words", ("joy",))],
)  # fmt: skip
def test_only_the_check_ins_own_answers_are_taken(question: str, value: object) -> None:
    """A feeling of 11 would make the record unwritable: it is refused here, at once."""
    with pytest.raises(ValueError):
        after_flow().give(question, value)  # type: ignore[arg-type]


def test_going_on_through_every_page_collects_every_answer() -> None:
    flow = after_flow(full=True)
    for value in (4, "mixed", ("warm", "numb"), "helpful", ("relapse",), "  A calm day.  "):
        answer(flow, value)
    assert flow.done and not flow.left
    assert flow.collected() == {
        "after": AfterCheckIn(feel=4, tone="mixed", words=("numb", "warm"), felt="helpful"),
        "note": "A calm day.",
        "tags": ["relapse"],
    }


def test_the_short_after_page_takes_both_answers() -> None:
    flow = after_flow()
    assert answer(flow, 6, "helpful") is False
    assert flow.done
    assert flow.collected()["after"] == AfterCheckIn(feel=6, felt="helpful")


def test_before_a_practice_the_check_in_has_no_felt() -> None:
    flow = CheckInFlow("before")
    answer(flow, 5)
    assert flow.done
    assert flow.collected() == {"before": CheckIn(feel=5)}


def test_nothing_given_is_no_check_in() -> None:
    flow = after_flow()
    answer(flow, None, None)
    assert flow.collected() == {"after": None, "note": None, "tags": []}


def test_a_feel_of_zero_is_given_not_blank() -> None:
    flow = CheckInFlow("before")
    answer(flow, 0)
    assert flow.collected() == {"before": CheckIn(feel=0)}


def test_back_at_the_first_page_stays_there() -> None:
    flow = CheckInFlow("before", full=True)
    assert flow.back() is False
    assert flow.index == 0


def test_back_goes_to_the_page_before_keeping_its_answer_and_undoes_done() -> None:
    flow = CheckInFlow("before", full=True)
    for value in (3, "mixed", ()):
        answer(flow, value)
    assert flow.done
    assert flow.back() and not flow.done and flow.page == ("words",)
    assert flow.back() and flow.page == ("tone",) and flow.given["tone"] == "mixed"


def test_skip_skips_everything_left_keeping_what_was_given_on_this_page_too() -> None:
    flow = after_flow(full=True)
    answer(flow, 3)
    flow.give("tone", "mixed")
    flow.skip()
    assert flow.done and not flow.left
    after = AfterCheckIn(feel=3, tone="mixed")
    assert flow.collected() == {"after": after, "note": None, "tags": []}
    short = after_flow()
    short.give("feel", 5)
    short.skip()
    assert short.done and short.collected()["after"] == AfterCheckIn(feel=5)
    untouched = after_flow()
    untouched.skip()
    assert untouched.done and untouched.collected()["after"] is None


def test_leaving_before_a_practice_starts_nothing() -> None:
    flow = CheckInFlow("before")
    flow.leave()
    assert flow.left and flow.done


def test_leaving_after_a_practice_keeps_what_was_given() -> None:
    flow = after_flow(full=True)
    answer(flow, 7)
    flow.give("tone", "pleasant")
    flow.leave()
    assert flow.left and flow.done
    assert flow.collected() == {
        "after": AfterCheckIn(feel=7, tone="pleasant"),
        "note": None,
        "tags": [],
    }


@pytest.mark.parametrize("felt", ["helpful", "neutral", "not sure", None])
def test_only_unsettling_offers_grounding(felt: str | None) -> None:
    assert answer(after_flow(), None, felt) is False


def test_unsettling_offers_grounding_once_on_the_way_through() -> None:
    flow = after_flow(full=True)
    offers = [answer(flow, value) for value in (2, None, (), "unsettling", ["relapse"], "")]
    assert offers == [False, False, False, True, False, False]
    assert flow.done
    assert flow.collected()["after"] == AfterCheckIn(feel=2, felt="unsettling")
    assert answer(after_flow(), 1, "unsettling") is True  # the short page too


def test_skipping_after_unsettling_on_the_page_still_offers_grounding() -> None:
    flow = after_flow()
    flow.give("felt", "unsettling")
    assert flow.skip() is True
    assert flow.done and flow.collected()["after"] == AfterCheckIn(felt="unsettling")
    assert after_flow().skip() is False


def test_the_note_keeps_at_most_max_note_characters() -> None:
    flow = after_flow()
    flow.give("note", "x" * (MAX_NOTE + 500))
    assert flow.given["note"] == "x" * MAX_NOTE
    assert flow.collected()["note"] == "x" * MAX_NOTE
    flow.give("note", "é" * MAX_NOTE)
    assert flow.collected()["note"] == "é" * MAX_NOTE
    flow.give("note", None)
    assert flow.collected()["note"] is None
