"""The built-in practices: valid, faithful to the article's strategies, written as CARE.md asks."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from emoflat import paths
from emoflat.loader import load_practice
from emoflat.model import Practice
from emoflat.plan import plan
from emoflat.sounds import available_sounds

FILES = sorted(paths.builtin_practices_dir().glob("*.yaml"))
PRACTICES = {f.stem: load_practice(f, origin="built-in", sounds=available_sounds()) for f in FILES}


#: What each built-in is for, as the picker groups them (issue 11).
GROUPS = (
    "Being present",
    "Putting it into words",
    "Kinder expectations",
    "Getting ready for an appointment",
)

#: The practice that needs no typing and no writing (Strategy 3: expression need not be words).
WITHOUT_WORDS = "expressing-without-words"

#: Where a practice offers writing, the choices that need none, in one line before it asks.
NO_TYPING_LINE = re.compile(r"^if writing is hard today, you might .*\b(draw|hum|photograph)")


def all_texts(practice: Practice) -> list[str]:
    return [text for step in practice.steps for text in step.texts]


@pytest.mark.parametrize("practice", PRACTICES.values(), ids=list(PRACTICES))
def test_each_builtin_is_valid_and_named_after_its_file(practice: Practice) -> None:
    assert practice.path is not None and practice.id == practice.path.stem
    assert practice.source, "built-ins cite the strategy of the article"


@pytest.mark.parametrize("practice", PRACTICES.values(), ids=list(PRACTICES))
def test_each_builtin_ends_with_a_grounding_line(practice: Practice) -> None:
    last = practice.steps[-1].text.lower()
    assert re.search(r"look around|feet|name one thing|something you can see", last), last


@pytest.mark.parametrize("practice", PRACTICES.values(), ids=list(PRACTICES))
def test_each_builtin_lasts_ten_minutes_at_most(practice: Practice) -> None:
    assert practice.nominal_seconds <= 600


@pytest.mark.parametrize("practice", PRACTICES.values(), ids=list(PRACTICES))
def test_language_invites_and_never_pressures(practice: Practice) -> None:
    for text in all_texts(practice):
        lowered = text.lower()
        for phrase in ("should feel", "you must", "try harder", "streak", "score"):
            assert phrase not in lowered, (practice.id, text)
        # Never a cause: numbness is not said to be caused by MS or a medication.
        assert not re.search(r"caused by|because of (your )?(ms|medication)", lowered), text


@pytest.mark.parametrize("practice", PRACTICES.values(), ids=list(PRACTICES))
def test_breath_is_observed_never_paced(practice: Practice) -> None:
    for text in all_texts(practice):
        lowered = text.lower()
        assert not re.search(r"breathe (in|out)|inhale|exhale|hold (your|the) breath", lowered)
        assert not re.search(r"\b(for|count(ing)?( to)?) (\d+|one|two|three|four|five)\b", lowered)


def test_medication_is_only_ever_a_conversation_with_the_prescriber() -> None:
    for practice in PRACTICES.values():
        joined = " ".join(all_texts(practice)).lower()
        if "medication" in joined or "medicine" in joined:
            assert "talk to your prescriber before changing anything" in joined, practice.id
            assert not re.search(
                r"\b(stop|reduce|increase|switch|lower) (taking|your|the) dose", joined
            )


def sources() -> str:
    return " | ".join(p.source or "" for p in PRACTICES.values()).lower()


@pytest.mark.parametrize(
    "strategy",
    [
        "naming physical sensations",
        "observing your breath without changing it",
        "colors",
        "strategy 2",
        "strategy 3",
        "strategy 4",
        "strategy 5",
        "strategy 6",
        "strategy 7",
        "strategy 8",
        "strategy 9",
        "self-compassion",
        "living fully",
    ],
)
def test_every_strategy_a_terminal_can_serve_is_covered(strategy: str) -> None:
    assert strategy in sources()


def test_mirror_work_is_short_optional_and_has_a_no_mirror_version() -> None:
    mirror, no_mirror = PRACTICES["mirror-work"], PRACTICES["mirror-work-no-mirror"]
    for practice in (mirror, no_mirror):
        assert 60 <= practice.nominal_seconds <= 120
        assert not any(s.scale and s.seconds for s in practice.steps), "kept at 1-2 minutes"
    assert "optional" in " ".join(all_texts(mirror)).lower()
    assert "good light" in " ".join(all_texts(mirror)).lower()
    assert "I'm here with you" in " ".join(all_texts(no_mirror))


def test_reframing_offers_several_reframes_one_picked_each_time() -> None:
    picks = [s for s in PRACTICES["reframe-expectations"].steps if s.kind == "pick"]
    assert len(picks) == 1 and len(picks[0].texts) >= 5
    assert "Today I'll stay open to whatever I feel, even if it's nothing." in picks[0].texts


def test_preparation_practices_keep_answers_to_take_to_an_appointment() -> None:
    for practice_id in (
        "prepare-nutrient-check",
        "prepare-medication-conversation",
        "consider-a-therapist",
    ):
        practice = PRACTICES[practice_id]
        assert sum(s.kind == "prompt" and s.answer for s in practice.steps) >= 2, practice_id
    nutrients = " ".join(all_texts(PRACTICES["prepare-nutrient-check"])).lower()
    for item in ("vitamin d", "b12", "folate", "thyroid", "ferritin"):
        assert item in nutrients
    therapy = " ".join(all_texts(PRACTICES["consider-a-therapist"])).lower()
    for item in ("cbt", "somatic experiencing", "emdr"):
        assert item in therapy


def test_feeling_nothing_is_said_to_be_fine() -> None:
    said = sum(
        bool(re.search(r"nothing|not feel|don't feel", " ".join(all_texts(p)).lower()))
        for p in PRACTICES.values()
    )
    assert said >= len(PRACTICES) * 2 // 3


@pytest.mark.parametrize("minutes", [None, 1, 3, 5], ids=["own", "1 min", "3 min", "5 min"])
@pytest.mark.parametrize("practice", PRACTICES.values(), ids=list(PRACTICES))
def test_every_timed_step_is_on_screen_for_at_least_its_reading_time(
    practice: Practice, minutes: int | None
) -> None:
    planned = plan(practice, minutes)
    for step in planned.steps:
        if step.seconds is not None:
            words = max(len(text.split()) for text in step.step.texts)
            assert step.seconds >= words / 2 + 3, (practice.id, step.index, step.seconds)
    kept = {step.index for step in planned.steps}
    for index, step in enumerate(practice.steps):
        if index not in kept:
            assert step.optional, (practice.id, index, "only optional steps are left out")
    assert planned.steps[-1].index == len(practice.steps) - 1, "the grounding line always runs"


@pytest.mark.parametrize("practice", PRACTICES.values(), ids=list(PRACTICES))
def test_a_short_length_reads_well_or_the_practice_says_its_shortest(practice: Practice) -> None:
    from emoflat.library import Entry
    from emoflat.tui.wording import length_choices

    shortest = plan(practice).shortest_seconds
    labels = [choice.label for choice in length_choices(Entry.of(practice, "built-in"))]
    if any(s.scale and s.timed for s in practice.steps) and shortest > 75:
        assert any("(its shortest)" in label for label in labels), (practice.id, labels)
    assert not any("a few minutes" in text.lower() for text in all_texts(practice)), (
        "a step must not promise a length --minutes may change"
    )


def test_most_timed_built_ins_read_well_at_about_one_minute() -> None:
    scalable = [p for p in PRACTICES.values() if any(s.scale and s.timed for s in p.steps)]
    about_one = [p.id for p in scalable if plan(p, 1).seconds <= 75]
    assert len(about_one) >= len(scalable) // 2, about_one


@pytest.mark.parametrize("practice", PRACTICES.values(), ids=list(PRACTICES))
def test_each_builtin_is_in_one_of_the_four_groups(practice: Practice) -> None:
    assert practice.group in GROUPS, (practice.id, practice.group)


def test_the_preparation_practices_are_grouped_as_getting_ready_for_an_appointment() -> None:
    for practice in PRACTICES.values():
        preparing = "preparation" in practice.tags
        assert preparing == (practice.group == "Getting ready for an appointment"), practice.id


def test_every_group_has_a_practice() -> None:
    assert {p.group for p in PRACTICES.values()} == set(GROUPS)


def test_the_practice_without_words_is_a_builtin_covered_by_the_reading_time_test() -> None:
    # The reading-time and grounding tests above are parametrised over PRACTICES.
    assert WITHOUT_WORDS in PRACTICES
    assert PRACTICES[WITHOUT_WORDS].group == "Putting it into words"


def test_the_practice_without_words_passes_emoflat_validate() -> None:
    path = paths.builtin_practices_dir() / f"{WITHOUT_WORDS}.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "emoflat", "validate", str(path)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "1 file valid"


def test_the_practice_without_words_asks_for_no_typing_or_writing() -> None:
    practice = PRACTICES[WITHOUT_WORDS]
    assert not any(step.answer for step in practice.steps)
    assert not any(step.kind == "prompt" for step in practice.steps)
    for text in all_texts(practice):
        assert not re.search(r"\b(type|write|jot|answer)\b", text.lower()), text


def test_the_practice_without_words_lets_the_user_choose_what_to_attend_to() -> None:
    practice = PRACTICES[WITHOUT_WORDS]
    (choice,) = [s for s in practice.steps if s.text.startswith("Choose one thing")]
    assert not choice.optional
    lowered = choice.text.lower()
    for outlet in ("draw", "music", "photograph", "hands"):
        assert outlet in lowered, outlet
    assert "strategy 3" in (practice.source or "").lower()


def test_the_practice_without_words_keeps_its_safety_lines_at_any_length() -> None:
    practice = PRACTICES[WITHOUT_WORDS]
    for phrase in ("stop at any time", "choose something gentle", "feeling nothing is a valid"):
        (step,) = [s for s in practice.steps if phrase in s.text.lower()]
        assert not step.optional, phrase
    for minutes in (1, 3, 5):
        shown = " ".join(s.step.text for s in plan(practice, minutes).steps).lower()
        assert "stop at any time" in shown and "feeling nothing" in shown, minutes


def test_the_practice_without_words_reads_well_at_about_one_minute() -> None:
    assert plan(PRACTICES[WITHOUT_WORDS], 1).seconds <= 75


def writing_practices() -> list[Practice]:
    """Built-ins that ask for a typed answer, other than notes for an appointment."""
    return [
        p
        for p in PRACTICES.values()
        if any(s.answer for s in p.steps) and p.group != "Getting ready for an appointment"
    ]


def test_journaling_finding_the_words_and_a_quiet_commitment_offer_writing() -> None:
    offering = {p.id for p in writing_practices()}
    assert offering == {"journal-without-pressure", "finding-the-words", "a-quiet-commitment"}


@pytest.mark.parametrize("practice", writing_practices(), ids=lambda p: p.id)
def test_where_writing_is_offered_the_no_typing_choices_come_first(practice: Practice) -> None:
    first_answer = next(i for i, s in enumerate(practice.steps) if s.answer)
    offers = [s for s in practice.steps[:first_answer] if NO_TYPING_LINE.search(s.text.lower())]
    assert len(offers) == 1, practice.id
    (offer,) = offers
    assert not offer.optional, "kept at every length, 1 minute included"
    assert len(offer.text) <= 100, "one short line"
