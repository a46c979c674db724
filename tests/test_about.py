"""The "About feeling flat" page: short, plain, faithful to the article and written as CARE.md
asks (no diagnosis, no cause for the reader's own case, medication only as a conversation)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import UI_MODULES, modules_imported_by

import emoflat
from emoflat.about import about_text
from emoflat.helptext import flowing

FILE = Path(emoflat.__file__).with_name("about-flat.txt")
TEXT = about_text()
FLOWED = flowing(TEXT.rstrip("\n"))
LOWERED = " ".join(FLOWED.split()).lower()
PARAGRAPHS = [p for p in TEXT.split("\n\n") if p.strip()]


def test_the_page_is_read_from_the_data_file_in_the_package() -> None:
    assert FILE.read_text(encoding="utf-8") == TEXT
    assert TEXT.endswith("\n") and not TEXT.endswith("\n\n")


def test_reading_the_page_imports_no_ui() -> None:
    loaded = modules_imported_by("from emoflat.about import about_text; about_text()")
    assert not loaded & UI_MODULES


def test_a_tired_reader_can_take_it_in_at_a_work_break() -> None:
    assert 200 <= len(TEXT.split()) <= 300


def test_every_line_fits_in_a_hundred_characters_with_no_trailing_space() -> None:
    for number, line in enumerate(TEXT.splitlines(), 1):
        assert len(line) <= 100, number
        assert line == line.rstrip(), number


def test_it_is_written_in_paragraphs_of_plain_text() -> None:
    assert len(PARAGRAPHS) >= 5
    assert "\n\n\n" not in TEXT
    # No markup of any kind: the TUI and plain mode show it as it is.
    assert not re.search(r"[\[\]<>*_#`|]", TEXT)


def test_how_it_differs_from_depression_is_a_short_list_of_pairs() -> None:
    pairs = [line for line in TEXT.splitlines() if line.startswith("  ")]
    assert len(pairs) >= 5
    for line in pairs:
        topic, _, says = line.strip().partition(": ")
        assert topic and says, line
        assert ("when flat" in says and "depression" in says) or "both" in says, line
    for topic in ("sadness", "motivation", "pleasure", "worthless", "sleep"):
        assert any(topic in line.lower() for line in pairs), topic


def test_it_says_what_the_article_says() -> None:
    for phrase in (
        "emotional blunting",
        "common in ms",
        "not all in your head",
        "you're not alone",
        "not a personal failure",
        "feeling nothing is a valid",
        "they can overlap",
    ):
        assert phrase in LOWERED, phrase


def test_feeling_nothing_is_never_a_failure_to_feel_enough() -> None:
    for phrase in ("should feel", "you must", "try harder", "score", "streak"):
        assert phrase not in LOWERED, phrase


def test_it_diagnoses_nothing() -> None:
    # "you have felt low ..." is CARE's own wording for when to talk to the MS team.
    assert not re.search(r"\byou have\b(?! felt low)", LOWERED)
    for pattern in (
        r"\byou('re| are| may be| might be) depressed",
        r"\byour (depression|blunting|emotional blunting)\b",
        r"\bdiagnos",
        r"\bthis means you\b",
        r"\byou (probably|likely|definitely)\b",
    ):
        assert not re.search(pattern, LOWERED), pattern
    assert "emoflat can't tell which, if either, fits you" in LOWERED


def test_it_names_no_cause_for_the_readers_own_case() -> None:
    for pattern in (
        r"caused by",
        r"because of",
        r"due to",
        r"\b(ms|medication|medicine)s? (causes|makes|made)\b",
        r"\blesion",
        r"\bserotonin|dopamine",
    ):
        assert not re.search(pattern, LOWERED), pattern


def test_medication_comes_up_only_as_talk_to_your_prescriber() -> None:
    mentions = [p for p in PARAGRAPHS if re.search(r"medic|prescri|drug|dose", p.lower())]
    assert mentions, "the page says where to take questions about medication"
    for paragraph in mentions:
        assert "talk to your prescriber before changing anything" in paragraph.lower(), paragraph
    for advice in (
        "antidepressant",
        "ssri",
        "snri",
        "steroid",
        "benzodiazepine",
        "stimulant",
        "switch",
        "adjust",
        "stop taking",
        "supplement",
    ):
        assert advice not in LOWERED, advice


def test_it_says_when_to_talk_to_the_ms_team() -> None:
    assert "your ms team" in LOWERED
    assert "your ms nurse, neurologist or doctor can help" in LOWERED
    assert "new or getting worse" in LOWERED
    assert "two weeks or more" in LOWERED


def test_it_points_to_the_help_key_and_repeats_no_numbers() -> None:
    assert "the help key, h," in LOWERED
    # The numbers live in help-now.txt, checked and dated in one place.
    assert not re.search(r"[0-9]", TEXT)
    assert "samaritans" not in LOWERED and "lifeline" not in LOWERED
