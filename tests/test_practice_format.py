"""Every kind of error in a practice file: its file, line, column, field path and message."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from emoflat.loader import PracticeError, check_practice, load_practice

SOUNDS = frozenset({"bowl", "bell"})

GOOD = """\
format: 1
title: "Breath observation"
summary: "Notice your breath without changing it."
steps:
  - say: "Settle in."
    seconds: 15
"""


def write(tmp_path: Path, text: str, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors_of(tmp_path: Path, text: str, name: str = "mine.yaml") -> list[PracticeError]:
    path = write(tmp_path, text, name)
    practice, errors = check_practice(path, sounds=SOUNDS)
    assert practice is None, "expected the file to be invalid"
    for error in errors:
        assert "\n" not in str(error), "every error is one line"
        assert str(error).startswith(f"{path}:{error.line}:{error.column}: ")
    return errors


def only(errors: list[PracticeError]) -> PracticeError:
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def test_a_valid_practice_loads(tmp_path: Path) -> None:
    practice = load_practice(write(tmp_path, GOOD), sounds=SOUNDS)
    assert practice.id == "mine"
    assert practice.title == "Breath observation"
    assert practice.steps[0].kind == "say"
    assert practice.nominal_seconds == 15


def test_each_step_knows_the_line_it_starts_on(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        format: 1
        title: Lines
        summary: Three steps.
        steps:
          - say: First.
            seconds: 5

          # a comment between steps
          - pause: ""
            seconds: 3
          -
            prompt: What do you notice?
            answer: true
        """,
    )
    practice = load_practice(path, sounds=SOUNDS)
    # A step's line is its first field's (a lone dash above it is not the step yet).
    assert [step.line for step in practice.steps] == [5, 9, 12]


def test_the_spec_example_is_valid(tmp_path: Path) -> None:
    spec_example = """\
        format: 1
        id: breath-observation
        title: Breath observation
        summary: Notice your breath without changing it.
        tags: [breath, presence]
        source: "Strategy 1, Practice mindful presence: observing your breath without changing it"
        chimes:
          start: bowl
          end: bowl
          interval: none
        steps:
          - say: Settle in. Let your hands rest wherever they are comfortable.
            seconds: 15
          - breath: Notice the air coming in, and going out. There is nothing to change.
            seconds: 60
          - prompt: Where do you notice the breath most clearly right now?
            answer: true
            seconds: 40
          - pick:
              - Today I'll stay open to whatever I feel, even if it's nothing.
              - Noticing nothing is still noticing.
            seconds: 20
          - say: When you are ready, look around the room and name one thing you can see.
        """
    practice = load_practice(write(tmp_path, spec_example), sounds=SOUNDS)
    assert practice.id == "breath-observation"
    assert [s.kind for s in practice.steps] == ["say", "breath", "prompt", "pick", "say"]
    assert practice.steps[2].answer is True
    assert len(practice.steps[3].texts) == 2
    assert practice.steps[4].seconds is None
    assert practice.nominal_seconds == 135
    assert practice.chimes.start == "bowl" and practice.chimes.interval is None


def test_the_spec_error_example_is_reproduced(tmp_path: Path) -> None:
    text = GOOD + '  - say: "a"\n  - say: "b"\n  - say: "c"\n    seconds: ten\n'
    error = only(errors_of(tmp_path, text))
    assert (error.line, error.column, error.path) == (10, 14, "steps[3].seconds")
    assert error.message == 'expected a number from 1 to 3600, got "ten"'


@pytest.mark.parametrize(
    ("text", "where", "path", "message"),
    [
        (
            GOOD.replace("format: 1", "format: 2"),
            (1, 9),
            "format",
            "expected 1, got 2; this emoflat reads format version 1",
        ),
        (
            GOOD.replace("format: 1\n", ""),
            (1, 1),
            "format",
            "missing the required field 'format'",
        ),
        (
            GOOD.replace("title:", "titel:"),
            (2, 1),
            "titel",
            "unknown field titel (did you mean 'title'?)",
        ),
        (
            GOOD + "    sconds: 3\n",
            (7, 5),
            "steps[0].sconds",
            "unknown field sconds (did you mean 'seconds'?)",
        ),
        (
            GOOD.replace('title: "Breath observation"', "title: no"),
            (2, 8),
            "title",
            'YAML reads an unquoted no as true or false: put the text in quotes, like "no"',
        ),
        (
            GOOD.replace("seconds: 15", "seconds: 1:30"),
            (6, 14),
            "steps[0].seconds",
            "YAML reads 1:30 as 90",
        ),
        (
            GOOD.replace("seconds: 15", "seconds: 010"),
            (6, 14),
            "steps[0].seconds",
            "leading 0",
        ),
        (
            GOOD.replace("seconds: 15", 'seconds: "15"'),
            (6, 14),
            "steps[0].seconds",
            "without quotes",
        ),
        (
            GOOD.replace("seconds: 15", "seconds: 5000"),
            (6, 14),
            "steps[0].seconds",
            "expected a number from 1 to 3600, got 5000",
        ),
        (
            GOOD.replace("seconds: 15", "seconds: 0"),
            (6, 14),
            "steps[0].seconds",
            "expected a number from 1 to 3600, got 0",
        ),
        (
            GOOD + "    seconds: 20\n",
            (7, 5),
            "steps[0].seconds",
            "the field 'seconds' is given twice (first on line 6)",
        ),
        (
            GOOD + "    breath: x\n",
            (5, 5),
            "steps[0]",
            "expected exactly one kind of step (say, breath, prompt, pause, pick), "
            "got say and breath",
        ),
        (
            GOOD + "  - seconds: 3\n",
            (7, 5),
            "steps[1]",
            "got none of them",
        ),
        (
            GOOD + "  - say: x\n    answer: true\n",
            (8, 13),
            "steps[1].answer",
            "answer is only for prompt steps, got it on a say step",
        ),
        (
            GOOD + "  - prompt: x\n    answer: maybe\n",
            (8, 13),
            "steps[1].answer",
            'expected true or false, got "maybe"',
        ),
        (
            GOOD + "  - pick: []\n",
            (7, 11),
            "steps[1].pick",
            "expected a list of 1 to 50 texts, got 0",
        ),
        (
            GOOD + "  - 5\n",
            (7, 5),
            "steps[1]",
            "expected a step",
        ),
        (
            GOOD.replace('steps:\n  - say: "Settle in."\n    seconds: 15\n', "steps: []\n"),
            (4, 8),
            "steps",
            "expected a list of 1 to 200 steps, got 0",
        ),
        (
            GOOD.replace('title: "Breath observation"', 'title: "' + "x" * 81 + '"'),
            (2, 8),
            "title",
            "expected text of 1 to 80 characters on one line, got 81 characters",
        ),
        (
            GOOD.replace('title: "Breath observation"', 'title: "one\\ntwo"'),
            (2, 8),
            "title",
            "got 2 lines",
        ),
        (
            GOOD.replace('say: "Settle in."', 'say: "   "'),
            (5, 10),
            "steps[0].say",
            "expected text of 1 to 1000 characters, got 0 characters",
        ),
        (
            GOOD + "tags: [Breath]\n",
            (7, 8),
            "tags[0]",
            "expected a tag of a-z, 0-9 and '-', got \"Breath\"",
        ),
        (
            "id: Not_Valid\n" + GOOD,
            (1, 5),
            "id",
            "expected an id of a-z, 0-9 and '-'",
        ),
        (
            GOOD + "    chime: gong\n",
            (7, 12),
            "steps[0].chime",
            "got 'gong', which is not a built-in sound nor gong.wav in your sounds folder",
        ),
        (
            GOOD + "    chime: ../../etc/passwd\n",
            (7, 12),
            "steps[0].chime",
            "give the name of a sound, not a path",
        ),
        (
            GOOD + "    chime: bowl.wav\n",
            (7, 12),
            "steps[0].chime",
            "leave out .wav: bowl",
        ),
        (
            GOOD + "chimes:\n  interval: {every: 60}\n",
            (8, 13),
            "chimes.interval.sound",
            "missing the required field 'sound'",
        ),
        (
            GOOD + "chimes:\n  interval: sometimes\n",
            (8, 13),
            "chimes.interval",
            "expected none or a mapping {every: SECONDS, sound: NAME}",
        ),
        (
            GOOD + "chimes: bowl\n",
            (7, 9),
            "chimes",
            "expected a mapping with start, end and interval",
        ),
        (
            "- just\n- a list\n",
            (1, 1),
            "",
            "expected a practice: a mapping with format, title, summary and steps, got a list",
        ),
        ("", (1, 1), "", "the file is empty"),
        ("# only a comment\n", (1, 1), "", "the file is empty"),
        (
            GOOD + "a: &x 1\nb: *x\n",
            (7, 4),
            "",
            "anchors and aliases (&name, *name) are not supported",
        ),
        (
            GOOD + "extra: !!python/object:os.system x\n",
            (7, 8),
            "",
            "the tag !!python/object:os.system is not allowed",
        ),
        (
            GOOD + "title: [\n",
            (8, 1),
            "",
            "not valid YAML",
        ),
        (
            GOOD + "---\n" + GOOD,
            (7, 1),
            "",
            "expected one YAML document, found a second one",
        ),
        (
            GOOD.replace("    seconds", "\tseconds"),
            (6, 1),
            "",
            "not valid YAML",
        ),
    ],
)
def test_each_error_names_line_column_path_and_what_was_expected(
    tmp_path: Path, text: str, where: tuple[int, int], path: str, message: str
) -> None:
    errors = errors_of(tmp_path, text)
    matching = [e for e in errors if e.path == path and message in e.message]
    assert matching, [str(e) for e in errors]
    assert (matching[0].line, matching[0].column) == where, str(matching[0])


def test_all_errors_of_a_file_are_reported_not_only_the_first(tmp_path: Path) -> None:
    text = """\
        format: 1
        title: ""
        summary: yes
        steps:
          - say: "fine"
            seconds: ten
          - breath: "fine"
            seconds: -1
        """
    errors = errors_of(tmp_path, text)
    assert [e.path for e in errors] == [
        "title",
        "summary",
        "steps[0].seconds",
        "steps[1].seconds",
    ]
    assert [e.line for e in errors] == [2, 3, 6, 8]


def test_a_file_name_that_is_not_an_id_asks_for_an_id_field(tmp_path: Path) -> None:
    error = only(errors_of(tmp_path, GOOD, name="My Practice.yaml"))
    assert error.path == "id"
    assert "id: my-practice" in error.message


def test_an_id_field_overrides_the_file_name(tmp_path: Path) -> None:
    practice = load_practice(write(tmp_path, "id: calm\n" + GOOD, "Whatever Name.yaml"))
    assert practice.id == "calm"


def test_text_is_trimmed_and_inner_newlines_are_kept(tmp_path: Path) -> None:
    text = GOOD.replace('say: "Settle in."', 'say: "  Settle in.\\nThen rest.  "')
    practice = load_practice(write(tmp_path, text), sounds=SOUNDS)
    assert practice.steps[0].text == "Settle in.\nThen rest."


def test_markup_in_text_is_kept_as_plain_characters(tmp_path: Path) -> None:
    text = GOOD.replace('say: "Settle in."', 'say: "[bold]not bold[/] [/]"')
    practice = load_practice(write(tmp_path, text), sounds=SOUNDS)
    assert practice.steps[0].text == "[bold]not bold[/] [/]"


def test_yaml_booleans_are_accepted_where_a_flag_is_expected(tmp_path: Path) -> None:
    text = GOOD + "  - prompt: x\n    answer: yes\n    scale: off\n"
    practice = load_practice(write(tmp_path, text), sounds=SOUNDS)
    assert practice.steps[1].answer is True
    assert practice.steps[1].scale is False


def test_an_empty_pause_is_quiet_time_without_text(tmp_path: Path) -> None:
    practice = load_practice(write(tmp_path, GOOD + "  - pause:\n    seconds: 5\n"))
    assert practice.steps[1].kind == "pause"
    assert practice.steps[1].text == ""


def test_a_file_over_256_kib_is_refused_before_parsing(tmp_path: Path) -> None:
    error = only(errors_of(tmp_path, GOOD + "#" * (257 * 1024) + "\n"))
    assert (error.line, error.column) == (1, 1)
    assert "emoflat reads at most 256 KiB" in error.message


def test_a_refused_file_is_named_with_its_real_size(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: nothing of it is ever read
    _, [error] = check_practice(big)
    assert error.message == "the file is 50.0 MiB; emoflat reads at most 256 KiB"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_named_like_a_practice_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    _, [error] = check_practice(fifo)  # never opened for reading: no writer, no hang
    assert error.message == "the file is a FIFO (named pipe), not a regular file"


def test_nesting_deeper_than_20_is_refused(tmp_path: Path) -> None:
    error = only(errors_of(tmp_path, GOOD + "x: " + "[" * 30 + "]" * 30 + "\n"))
    assert "expected nesting at most 20 deep" in error.message
    assert error.line == 7


def test_more_than_10000_nodes_are_refused(tmp_path: Path) -> None:
    items = ", ".join(["1"] * 10_100)
    error = only(errors_of(tmp_path, GOOD + f"x: [{items}]\n"))
    assert "expected at most 10,000 YAML nodes" in error.message


def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    error = only(errors_of(tmp_path, bomb))
    assert "anchors and aliases" in error.message


def test_bytes_that_are_not_utf8_are_located(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_bytes(GOOD.encode() + b"extra: caf\xe9\n")
    practice, errors = check_practice(path, sounds=SOUNDS)
    assert practice is None
    assert (errors[0].line, errors[0].column) == (7, 11)
    assert "not UTF-8" in errors[0].message


def test_a_missing_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    practice, errors = check_practice(tmp_path / "gone.yaml", sounds=SOUNDS)
    assert practice is None
    assert "cannot read the file" in errors[0].message


def test_user_sounds_count_as_sound_names(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "    chime: gong\n")
    practice, errors = check_practice(path, sounds=SOUNDS | {"gong"})
    assert errors == [] and practice is not None
    assert practice.steps[0].chime == "gong"


def test_the_readme_field_table_is_made_from_the_format() -> None:
    from emoflat.practice_format import field_table

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- field-table:start -->\n") + len("<!-- field-table:start -->\n")
    end = readme.index("<!-- field-table:end -->")
    assert readme[start:end] == field_table()


def test_a_group_says_what_the_practice_is_for_on_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("steps:", 'group: "Being present"\nsteps:'))
    practice, errors = check_practice(path, sounds=SOUNDS)
    assert errors == [] and practice is not None
    assert practice.group == "Being present"
    assert load_practice(write(tmp_path, GOOD, "plain.yaml"), sounds=SOUNDS).group is None
    [error] = errors_of(tmp_path, GOOD.replace("steps:", f"group: {'x' * 61}\nsteps:"))
    assert (error.line, error.path) == (4, "group")
    [error] = errors_of(tmp_path, GOOD.replace("steps:", 'group: "two\\nlines"\nsteps:'))
    assert error.path == "group"


# --- control characters: refused where they are, never echoed -----------------------------

CONTROL = "expected text without control characters (line breaks and tabs are fine)"


@pytest.mark.parametrize(
    ("field", "written", "line", "found"),
    [
        ('title: "Calm"', r'title: "Calm \e]52;c;cm0gLXJmIH4=\a"', 2, "U+001B at character 6"),
        ('title: "Calm"', r'title: "Calm \x1b]0;pwned\x07"', 2, "U+001B at character 6"),
        ('summary: "A test."', r'summary: "A \u009b2J test."', 3, "U+009B at character 3"),
        ('summary: "A test."', r'summary: "A \x9d0;t\x9c"', 3, "U+009D at character 3"),
        ('say: "Look."', r'say: "Look \a\a"', 5, "U+0007 at character 6"),
        ('say: "Look."', r'say: "Look \x7f"', 5, "U+007F at character 6"),
        ('say: "Look."', r'say: "Look \N next"', 5, "U+0085 at character 6"),
        ('say: "Look."', r'say: "Look \r and \0"', 5, "U+000D at character 6"),
        ('say: "Look."', r'pick: ["Look.", "\e[2J"]', 5, "U+001B at character 1"),
        ('title: "Calm"', 'title: "Calm"\nsource: "\\ec"', 3, "U+001B at character 1"),
        ('title: "Calm"', 'title: "Calm"\ngroup: "\\e[31m"', 3, "U+001B at character 1"),
    ],
)
def test_text_with_a_control_character_is_refused_at_its_field(
    tmp_path: Path, field: str, written: str, line: int, found: str
) -> None:
    [error] = errors_of(tmp_path, CALM.replace(field, written))
    assert error.line == line
    assert error.message == f"{CONTROL}, got {found}"


CALM = 'format: 1\ntitle: "Calm"\nsummary: "A test."\nsteps:\n  - say: "Look."\n'


@pytest.mark.parametrize(
    ("raw", "where", "name"),
    [
        ("\x1b", (5, 16), "U+001B"),
        ("\x07", (5, 16), "U+0007"),
        ("\x7f", (5, 16), "U+007F"),
        ("\u009b", (5, 16), "U+009B"),
        ("\u0085", (5, 16), "U+0085"),
        ("\x00", (5, 16), "U+0000"),
    ],
)
def test_a_control_character_written_into_the_file_is_located(
    tmp_path: Path, raw: str, where: tuple[int, int], name: str
) -> None:
    [error] = errors_of(tmp_path, CALM.replace('"Look."', f'"Look {raw}."'))
    assert (error.line, error.column) == where
    assert error.message == f"{CONTROL}, got {name}"


def test_tabs_line_breaks_and_right_to_left_text_are_fine(tmp_path: Path) -> None:
    text = CALM.replace('"Look."', '"Look:\\tleft,\\nthen right. \\u202bשלום\\u202c"')
    practice = load_practice(write(tmp_path, text), sounds=SOUNDS)
    assert practice.steps[0].text == "Look:\tleft,\nthen right. \u202bשלום\u202c"


def test_a_tag_is_never_echoed_with_its_control_characters(tmp_path: Path) -> None:
    """libyaml decodes a tag's %-escapes: ``%1b`` is ESC, and OSC 52 writes the clipboard."""
    [error] = errors_of(tmp_path, CALM + "extra: !<%1b]52;c;cm0gLXJmIH4=%07> x\n")
    assert (error.line, error.column) == (6, 8)
    assert error.message == (
        "the tag \\u001b]52;c;cm0gLXJmIH4=\\u0007 is not allowed in practices "
        "(only plain YAML values)"
    )
    [error] = errors_of(tmp_path, "%TAG !e! tag:%1b%c2%9b\n---\n" + CALM + "x: !e!y z\n")
    assert "the tag tag:\\u001b\\u009by is not allowed" in error.message


def test_a_tag_whose_escapes_are_not_utf8_is_located_not_raised(tmp_path: Path) -> None:
    for text in (CALM + "extra: !<%ed%a0%80> x\n", CALM + "extra: &a !<%ff%fe> x\n"):
        [error] = errors_of(tmp_path, text)
        assert error.line == 6
        assert error.message.startswith("not valid YAML")


def test_a_key_or_a_file_name_with_control_characters_is_shown_with_escapes(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, CALM + '"\\e]0;x\\a": 1\n', name="x\x1b]0;name\x07.yaml")
    _, [error] = check_practice(path, sounds=SOUNDS)
    assert str(error) == (
        f'{tmp_path}/x\\u001b]0;name\\u0007.yaml:6:1: "\\u001b]0;x\\u0007": '
        'unknown field "\\u001b]0;x\\u0007"; expected one of: '
        "format, id, title, summary, tags, group, source, chimes, steps"
    )


def test_the_schema_refuses_control_characters_as_the_validator_does() -> None:
    import jsonschema

    from emoflat.practice_format import json_schema

    validator = jsonschema.Draft202012Validator(json_schema())
    practice = {"format": 1, "title": "Calm", "summary": "A test.", "steps": [{"say": "Look."}]}
    assert list(validator.iter_errors(practice)) == []
    for field, text in (("title", "a\x1bb"), ("summary", "a\x9bb"), ("title", "two\nlines")):
        assert list(validator.iter_errors({**practice, field: text})), (field, text)
    multi = {**practice, "steps": [{"say": "Two\nlines,\ttab."}]}
    assert list(validator.iter_errors(multi)) == []
    assert list(validator.iter_errors({**practice, "steps": [{"say": "\x07"}]}))
