"""The check-in's words and the shape of a check-in in the session log."""

from __future__ import annotations

import subprocess
import sys

import pytest

from emoflat import checkin
from emoflat.checkin import CheckIn, clean_tags


def test_the_wording_is_care_md_s() -> None:
    assert checkin.FEEL_QUESTION == (
        "Right now, how much can you feel — anything at all, pleasant or unpleasant?"
    )
    assert checkin.FEEL_LOW == "0 = nothing, completely flat"
    assert checkin.FEEL_HIGH == "10 = as vividly as I ever do"
    assert checkin.TONES == ("pleasant", "unpleasant", "mixed", "can't tell", "nothing noticeable")
    assert checkin.FELT_QUESTION == "How was that for you?"
    assert checkin.FELT == ("helpful", "neutral", "unsettling", "not sure")
    for word in ("numb", "flat", "blank", "foggy", "tired", "calm", "tender", "sad"):
        assert word in checkin.WORDS
    for word in ("irritated", "curious", "warm", "heavy", "tight", "nothing I can name"):
        assert word in checkin.WORDS
    assert checkin.GROUNDING_SECONDS == 30


def test_a_check_in_is_stored_as_given_words_in_the_list_s_order() -> None:
    given = CheckIn(feel=3, tone="mixed", words=("calm", "numb"))
    assert given.to_record() == {"feel": 3, "tone": "mixed", "words": ["numb", "calm"]}
    after = CheckIn(feel=10, felt="helpful")
    assert after.to_record(after=True) == {
        "feel": 10,
        "tone": None,
        "words": [],
        "felt": "helpful",
    }


def test_nothing_given_is_stored_as_null() -> None:
    assert CheckIn().to_record() is None
    assert CheckIn().to_record(after=True) is None
    assert CheckIn(feel=0).to_record() == {"feel": 0, "tone": None, "words": []}


@pytest.mark.parametrize(
    "parts",
    [
        {"feel": 11},
        {"feel": -1},
        {"feel": True},
        {"tone": "happy"},
        {"words": ("joy",)},
        {"felt": "great"},
    ],
)
def test_only_the_check_in_s_own_answers_are_taken(parts: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        CheckIn(**parts)  # type: ignore[arg-type]


def test_a_stored_check_in_reads_back_keeping_only_valid_parts() -> None:
    assert CheckIn.from_record(None) == CheckIn()
    stored = {"feel": 4, "tone": "odd", "words": ["warm", "joy"], "felt": "helpful", "x": 1}
    assert CheckIn.from_record(stored) == CheckIn(feel=4, words=("warm",), felt="helpful")
    assert CheckIn.from_record({"feel": 12.5}) == CheckIn()


def test_tags_are_kept_once_in_the_order_offered_and_none_is_lost() -> None:
    offered = ("tired day", "poor sleep", "relapse")
    assert clean_tags(["relapse", "tired day", "relapse", " "], offered) == ["tired day", "relapse"]
    assert clean_tags(["my own", "poor sleep"], offered) == ["poor sleep", "my own"]


def test_checkin_and_recorder_import_no_textual() -> None:
    code = (
        "import sys, emoflat.checkin, emoflat.recorder; "
        "assert 'textual' not in sys.modules and 'rich' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
