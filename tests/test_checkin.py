"""The check-ins' words and the one flow through them (``CheckInFlow``), which the TUI and
plain mode both drive: every path tested here without a terminal."""

from __future__ import annotations

import pytest

from emoflat import checkin
from emoflat.checkin import MAX_NOTE, CheckInFlow, clean_tags
from emoflat.log.record import AfterCheckIn, CheckIn

TAGS = ("tired day", "poor sleep", "relapse")


def after_flow() -> CheckInFlow:
    return CheckInFlow("after", tags_offered=TAGS)


def answer(flow: CheckInFlow, value: object) -> bool:
    """Give the question on now an answer and go on; whether grounding is offered."""
    flow.give(value)
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


def test_before_a_practice_three_questions_after_it_six() -> None:
    assert CheckInFlow("before").questions == ("feel", "tone", "words")
    assert after_flow().questions == ("feel", "tone", "words", "felt", "tags", "note")
    assert set(after_flow().questions) == set(checkin.QUESTIONS)


def test_each_question_offers_its_own_choices() -> None:
    flow = after_flow()
    offered = []
    while not flow.done:
        offered.append((flow.question, flow.choices()))
        flow.go_on()
    assert offered == [
        ("feel", ()),
        ("tone", checkin.TONES),
        ("words", checkin.WORDS),
        ("felt", checkin.FELT),
        ("tags", TAGS),
        ("note", ()),
    ]


def test_tags_marked_but_no_longer_offered_stay_on_offer() -> None:
    flow = after_flow()
    flow.index = flow.questions.index("tags")
    flow.give(["from an old setting", "relapse"])
    assert flow.choices() == (*TAGS, "from an old setting")


def test_going_on_through_every_question_collects_every_answer() -> None:
    flow = after_flow()
    assert not answer(flow, 3)
    assert not answer(flow, "mixed")
    assert not answer(flow, ["calm", "numb", "joy"])  # the list's order; a stray word dropped
    assert not answer(flow, "helpful")
    assert not answer(flow, ["relapse", "tired day", "relapse"])
    assert not flow.done
    assert not answer(flow, "  warm hands \n")
    assert flow.done and not flow.left
    assert flow.collected() == {
        "after": AfterCheckIn(feel=3, tone="mixed", words=("numb", "calm"), felt="helpful"),
        "note": "warm hands",
        "tags": ["tired day", "relapse"],
    }


def test_before_a_practice_the_check_in_has_no_felt() -> None:
    flow = CheckInFlow("before")
    for value in (0, None, ["flat"]):
        answer(flow, value)
    assert flow.done
    assert flow.collected() == {"before": CheckIn(feel=0, tone=None, words=("flat",))}


def test_nothing_given_is_no_check_in() -> None:
    flow = after_flow()
    while not flow.done:
        flow.go_on()
    assert flow.collected() == {"after": None, "note": None, "tags": []}
    assert CheckInFlow("before").checkin() is None


def test_a_feel_of_zero_is_given_not_blank() -> None:
    flow = CheckInFlow("before")
    flow.give(0)
    assert flow.checkin() == CheckIn(feel=0)


def test_back_at_the_first_question_stays_there() -> None:
    flow = after_flow()
    flow.give(4)
    assert flow.back() is False
    assert (flow.index, flow.question, flow.given["feel"]) == (0, "feel", 4)


def test_back_goes_to_the_question_before_keeping_its_answer() -> None:
    flow = after_flow()
    answer(flow, 4)
    answer(flow, "mixed")
    assert flow.back() is True
    assert flow.question == "tone" and flow.given["tone"] == "mixed"
    assert flow.back() is True
    assert flow.question == "feel" and flow.given["feel"] == 4
    answer(flow, 5)
    assert flow.question == "tone" and flow.given["tone"] == "mixed"


def test_skip_before_a_practice_skips_the_rest_of_the_check_in() -> None:
    flow = CheckInFlow("before")
    answer(flow, 2)
    answer(flow, "pleasant")
    flow.back()
    flow.skip()  # at tone: tone and words are skipped, the feel given stays
    assert flow.done and not flow.left
    assert flow.collected() == {"before": CheckIn(feel=2)}


def test_skip_at_the_first_question_skips_the_whole_check_in_before() -> None:
    flow = CheckInFlow("before")
    flow.give(6)
    flow.skip()
    assert flow.done and flow.collected() == {"before": None}


def test_skip_after_a_practice_skips_to_the_tags() -> None:
    flow = after_flow()
    answer(flow, 2)
    answer(flow, "mixed")
    answer(flow, ["numb"])
    flow.give("unsettling")
    flow.back()
    flow.back()  # at tone, with words and felt given
    flow.skip()
    assert flow.question == "tags" and not flow.done
    assert flow.checkin() == AfterCheckIn(feel=2)


def test_skip_on_tags_or_note_forgets_that_one_only() -> None:
    flow = after_flow()
    for value in (1, "mixed", ["numb"], "neutral"):
        answer(flow, value)
    flow.give(["relapse"])
    flow.skip()
    assert flow.question == "note" and flow.given["tags"] == ()
    flow.give("a note")
    flow.skip()
    assert flow.done and not flow.left
    assert flow.collected() == {
        "after": AfterCheckIn(feel=1, tone="mixed", words=("numb",), felt="neutral"),
        "note": None,
        "tags": [],
    }


def test_leaving_before_a_practice_starts_nothing() -> None:
    flow = CheckInFlow("before")
    answer(flow, 2)
    flow.leave()
    assert flow.left and flow.done  # the UI goes back to the practices


def test_leaving_after_a_practice_keeps_what_was_given() -> None:
    flow = after_flow()
    answer(flow, 7)
    flow.give("pleasant")
    flow.leave()
    assert flow.left and flow.done
    assert flow.collected() == {
        "after": AfterCheckIn(feel=7, tone="pleasant"),
        "note": None,
        "tags": [],
    }


@pytest.mark.parametrize("felt", ["helpful", "neutral", "not sure", None])
def test_only_unsettling_offers_grounding(felt: str | None) -> None:
    flow = after_flow()
    for value in (None, None, None):
        answer(flow, value)
    assert answer(flow, felt) is False


def test_unsettling_offers_grounding_once_on_the_way_through() -> None:
    flow = after_flow()
    offers = [answer(flow, value) for value in (2, None, (), "unsettling", ["relapse"], "")]
    assert offers == [False, False, False, True, False, False]
    assert flow.done
    assert flow.collected()["after"] == AfterCheckIn(feel=2, felt="unsettling")


def test_the_note_keeps_at_most_max_note_characters() -> None:
    flow = after_flow()
    flow.index = flow.questions.index("note")
    flow.give("x" * (MAX_NOTE + 500))
    assert flow.given["note"] == "x" * MAX_NOTE
    assert flow.collected()["note"] == "x" * MAX_NOTE
    flow.give("é" * MAX_NOTE)
    assert flow.collected()["note"] == "é" * MAX_NOTE
    flow.give(None)
    assert flow.collected()["note"] is None
