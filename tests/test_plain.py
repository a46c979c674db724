"""Plain mode: a practice line by line, driven by a fake clock and a scripted user.

No sleeps and no real time, except in the few subprocess tests at the end, which run
the installed program on practices of one-second steps.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, ClassVar

import pytest

from emoflat import plain, plain_lines, plain_terminal
from emoflat.checkin import EARLY_END_GROUNDING, GROUNDING_TEXT, QUESTIONS
from emoflat.config import Config
from emoflat.launch import LaunchOptions
from emoflat.library import Library, scan
from emoflat.log.durations import duration_text
from emoflat.log.store import read_log
from emoflat.plain import run_plain
from emoflat.plain_terminal import SelectReader
from emoflat.plan import plan

WALL_START = datetime(2025, 3, 14, 9, 30, 0, tzinfo=timezone(timedelta(hours=1)))
# Any escape sequence or carriage return would be noise to a screen reader.
CONTROL = re.compile(r"[\x1b\r\x07\x08]")

TIMED = """\
format: 1
id: timed
title: "Three timed steps"
summary: "Three steps on their timers."
chimes: {start: none, end: none}
steps:
  - say: "If it feels okay, settle in."
    seconds: 10
  - pause: "Notice whatever is there."
    seconds: 90
  - say: "Look around and name one thing you can see."
    seconds: 20
"""

UNTIMED = """\
format: 1
id: untimed
title: "One step waits"
summary: "The middle step waits for Enter."
chimes: {start: none, end: none}
steps:
  - say: "If it feels okay, settle in."
    seconds: 10
  - say: "Continue when you're ready."
  - say: "Look around and name one thing you can see."
    seconds: 10
"""

MARKUP = """\
format: 1
id: markup
title: "[bold]Not bold[/bold]"
summary: "Brackets stay brackets: [red]."
chimes: {start: none, end: none}
steps:
  - say: "[bold]This is not bold[/] and [link=x]this[/link] is no link."
    seconds: 5
  - pause: ""
    seconds: 5
  - say: |-
      Two lines of text,
      kept as written.
    seconds: 5
"""

PROMPT = """\
format: 1
id: prompt
title: "A question"
summary: "One prompt with an answer box."
chimes: {start: none, end: none}
steps:
  - prompt: "If you'd like, write one small thing you noticed."
    answer: true
  - say: "Look around and name one thing you can see."
    seconds: 5
"""

TIMED_PROMPT = """\
format: 1
id: timed-prompt
title: "A timed question"
summary: "A prompt on a timer."
chimes: {start: none, end: none}
steps:
  - prompt: "What is one colour you can see?"
    answer: true
    seconds: 10
  - say: "Notice the colour, if you like."
    seconds: 5
  - say: "Look around and name one thing you can see."
    seconds: 5
"""

# Steps with text last at least their reading time (some seconds): the practices the
# real program runs are quiet pauses of one second where the text does not matter.
TWO_SECONDS = """\
format: 1
id: two-seconds
title: "Two quiet seconds"
summary: "Two quiet pauses of one second each."
chimes: {start: none, end: none}
steps:
  - pause: ""
    seconds: 1
  - pause: ""
    seconds: 1
"""

ALL_WAIT = """\
format: 1
id: all-wait
title: "Every step waits"
summary: "No step is timed: each waits for Enter."
chimes: {start: none, end: none}
steps:
  - say: "Take the time you need."
  - say: "Look around and name one thing you can see."
"""

LONG_ENOUGH = """\
format: 1
id: long-enough
title: "Long enough to stop"
summary: "Long enough to be stopped by a signal."
chimes: {start: none, end: none}
steps:
  - pause: ""
    seconds: 1
  - say: "Second step, a minute."
    seconds: 60
"""


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's real log, settings and cache out of every test."""
    monkeypatch.setenv("EMOFLAT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EMOFLAT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("EMOFLAT_CACHE_DIR", str(tmp_path / "cache"))


CHIMES = """\
format: 1
title: "Chimes"
summary: "Start, a step chime, interval chimes and the end."
chimes: {start: bowl, end: bell, interval: {every: 25, sound: wood}}
steps:
  - say: "One."
    seconds: 30
  - say: "Two."
    seconds: 30
    chime: tone
"""


@pytest.fixture
def practices_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "practices"
    folder.mkdir()
    for name, text in {
        "timed": TIMED,
        "untimed": UNTIMED,
        "markup": MARKUP,
        "prompt": PROMPT,
        "timed-prompt": TIMED_PROMPT,
        "two-seconds": TWO_SECONDS,
        "long-enough": LONG_ENOUGH,
        "chimes": CHIMES,
        "all-wait": ALL_WAIT,
    }.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def library(practices_dir: Path) -> Library:
    found = scan(extra_dirs=[practices_dir])
    assert found.problems == []
    return found


class FakeClock:
    """A monotonic clock that moves only when the scripted user lets time pass."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@dataclass
class Type:
    """The user types ``line`` and presses Enter, ``after`` seconds from now."""

    line: str
    after: float = 0.0


class CtrlC:
    """The user presses Ctrl+C."""


class Send:
    """A signal arrives from outside (the terminal closes, the system shuts down)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum


class ScriptedUser:
    """A ``wait(timeout)`` that plays a script against the fake clock.

    A line due later than the timeout lets the timeout pass (the clock moves on by the
    timeout) and stays due. When the script runs out, time passes to each timeout; a
    wait with no timeout then meets the end of the input.
    """

    def __init__(self, clock: FakeClock, *script: Type | CtrlC | Send) -> None:
        self.clock = clock
        self.script = list(script)
        self.timeouts: list[float | None] = []
        self.chimes: list[str | None] = []

    def __call__(self, timeout: float | None) -> str | None:
        self.timeouts.append(timeout)
        if len(self.timeouts) > 1000:
            raise AssertionError("plain mode kept waiting: a busy loop?")
        if not self.script:
            if timeout is None:
                raise EOFError
            self.clock.t += timeout
            return None
        action = self.script[0]
        if isinstance(action, CtrlC):
            raise KeyboardInterrupt
        if isinstance(action, Send):
            self.script.pop(0)
            os.kill(os.getpid(), action.signum)
            return None  # not reached: the signal's handler raises
        if timeout is not None and timeout < action.after:
            self.clock.t += timeout
            action.after -= timeout
            return None
        self.clock.t += action.after
        self.script.pop(0)
        return action.line


class TerminalInput(io.StringIO):
    """Stands for a terminal on stdin (the scripted user does the typing)."""

    def isatty(self) -> bool:
        return True


@dataclass
class Run:
    exit_code: int
    output: str
    user: ScriptedUser
    errors: str = ""

    @property
    def lines(self) -> list[str]:
        return self.output.splitlines()


def run(
    library: Library,
    practice_id: str | None,
    *script: Type | CtrlC | Send,
    terminal: bool = True,
    minutes: float | None = None,
    stdin: io.StringIO | None = None,
    stdout: io.StringIO | None = None,
    checkin: bool = False,
    full: bool = False,
    tags: tuple[str, ...] = (),
) -> Run:
    clock = FakeClock()
    user = ScriptedUser(clock, *script)
    out = stdout if stdout is not None else io.StringIO()
    err = io.StringIO()
    if stdin is None:
        stdin = TerminalInput() if terminal else io.StringIO()
    code = run_plain(
        LaunchOptions(
            practice_id=practice_id,
            minutes=minutes,
            checkin=checkin,
            checkin_full=full,
            config=Config(context_tags=tags),
        ),
        library,
        stdin=stdin,
        stdout=out,
        stderr=err,
        clock=clock,
        wall=lambda: WALL_START,
        wait=user,
        ring=user.chimes.append,
    )
    return Run(code, out.getvalue(), user, err.getvalue())


def logged() -> list[dict[str, Any]]:
    """Every session in the test's log, newest first, as stored."""
    found = read_log()
    assert found.warnings == []
    return [json.loads(session.line) for session in found.sessions]


def only_record() -> dict[str, Any]:
    records = logged()
    assert len(records) == 1, records
    return records[0]


def step_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("Step ")]


# --- steps ---------------------------------------------------------------------------------


def test_each_step_is_printed_once_with_its_number_total_and_duration(library: Library) -> None:
    result = run(library, "timed")
    assert result.exit_code == 0
    assert step_lines(result.output) == [
        "Step 1 of 3, about 10 seconds",
        "Step 2 of 3, about 1 minute 30 seconds",
        "Step 3 of 3, about 20 seconds",
    ]
    lines = result.lines
    for header, text in [
        ("Step 1 of 3, about 10 seconds", "If it feels okay, settle in."),
        ("Step 2 of 3, about 1 minute 30 seconds", "Notice whatever is there."),
        ("Step 3 of 3, about 20 seconds", "Look around and name one thing you can see."),
    ]:
        assert lines[lines.index(header) + 1] == text
        assert lines.count(text) == 1


def test_steps_are_separated_by_a_blank_line(library: Library) -> None:
    lines = run(library, "timed").lines
    for header in step_lines("\n".join(lines))[1:]:
        assert lines[lines.index(header) - 1] == ""


def test_the_start_says_the_title_and_how_to_use_it(library: Library) -> None:
    lines = run(library, "timed").lines
    assert lines[0] == "Three timed steps"
    assert "Enter moves on. q then Enter ends. Ctrl+C ends." in lines[:5]


def test_each_wait_lasts_until_the_step_ends(library: Library) -> None:
    result = run(library, "timed")
    assert result.user.timeouts == [10.0, 90.0, 20.0]


def test_minutes_scale_the_durations_shown(library: Library) -> None:
    result = run(library, "timed", minutes=4)
    assert step_lines(result.output) == [
        "Step 1 of 3, about 20 seconds",
        "Step 2 of 3, about 3 minutes",
        "Step 3 of 3, about 40 seconds",
    ]
    assert only_record()["planned_seconds"] == 240


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "about 1 second"),
        (14.6, "about 15 seconds"),
        (59.4, "about 59 seconds"),
        (60, "about 1 minute"),
        (64, "about 1 minute"),
        (90, "about 1 minute 30 seconds"),
        (118, "about 2 minutes"),
        (600, "about 10 minutes"),
    ],
)
def test_durations_are_said_in_plain_words(seconds: float, words: str) -> None:
    assert duration_text(seconds) == words


# --- input on a terminal -------------------------------------------------------------------


def test_enter_moves_on_before_the_step_ends(library: Library) -> None:
    result = run(library, "timed", Type("", after=3), Type("", after=4))
    assert result.exit_code == 0
    assert len(step_lines(result.output)) == 3
    record = only_record()
    assert record["completed"] is True
    assert record["practiced_seconds"] == 3 + 4 + 20


def test_q_then_enter_ends_and_the_partial_session_is_logged(library: Library) -> None:
    result = run(library, "timed", Type("", after=10), Type("q", after=5))
    assert result.exit_code == 0
    assert step_lines(result.output) == [
        "Step 1 of 3, about 10 seconds",
        "Step 2 of 3, about 1 minute 30 seconds",
    ]
    assert "You ended the session. Stopping early is always fine." in result.lines
    record = only_record()
    assert record["completed"] is False
    assert record["practice"] == "timed"
    assert record["planned_seconds"] == 120
    assert record["practiced_seconds"] == 15


def test_ctrl_c_ends_the_session_and_it_is_logged(library: Library) -> None:
    result = run(library, "timed", Type("", after=10), CtrlC())
    assert result.exit_code == 0
    assert "Ending the session." in result.lines
    record = only_record()
    assert record["completed"] is False
    assert record["practiced_seconds"] == 10


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_the_session_logs_it_and_exits_cleanly(library: Library, name: str) -> None:
    signum = getattr(signal, name, None)
    if signum is None:
        pytest.skip(f"no {name} on this system")
    before = signal.getsignal(signum)
    result = run(library, "timed", Type("", after=4), Send(signum))
    assert result.exit_code == 0
    assert only_record()["completed"] is False
    assert signal.getsignal(signum) == before


def test_running_to_the_end_logs_completed_with_planned_and_practiced_seconds(
    library: Library,
) -> None:
    result = run(library, "timed")
    assert result.exit_code == 0
    record = only_record()
    assert record["completed"] is True
    assert record["planned_seconds"] == 120
    assert record["practiced_seconds"] == 120
    assert record["title"] == "Three timed steps"
    assert record["started"] == "2025-03-14T09:30:00+01:00"
    assert record["ended"] == "2025-03-14T09:32:00+01:00"


def test_the_end_says_how_long_and_that_the_session_was_kept(library: Library) -> None:
    lines = run(library, "timed").lines
    assert "That is the end of the practice." in lines
    assert "You practised for about 2 minutes." in lines
    assert lines[-1] == "Your session was kept."


def test_ending_early_offers_the_grounding_words(library: Library) -> None:
    lines = run(library, "timed", Type("q", after=2)).lines
    assert EARLY_END_GROUNDING in lines
    assert "feel your feet on the floor" in EARLY_END_GROUNDING
    assert "You practised for about 2 seconds." in lines


def test_an_untimed_step_waits_for_enter_on_a_terminal(library: Library) -> None:
    result = run(library, "untimed", Type("", after=10), Type("", after=600))
    assert result.user.timeouts == [10.0, None, 10.0]
    assert "Step 2 of 3, when you are ready, press Enter" in result.lines
    record = only_record()
    assert record["completed"] is True
    assert record["practiced_seconds"] == 10 + 600 + 10  # waiting is practice time


def test_an_untimed_step_moves_on_without_input_when_stdin_is_not_a_terminal(
    library: Library,
) -> None:
    result = run(library, "untimed", terminal=False)
    assert None not in result.user.timeouts
    assert step_lines(result.output) == [
        "Step 1 of 3, about 10 seconds",
        "Step 2 of 3, no timer",
        "Step 3 of 3, about 10 seconds",
    ]
    assert "The steps go on by themselves. Ctrl+C ends." in result.lines
    record = only_record()
    assert record["completed"] is True
    assert record["practiced_seconds"] == 20


def test_lines_typed_are_ignored_when_stdin_is_not_a_terminal(library: Library) -> None:
    piped = io.StringIO("q\nan answer\n")
    result = run(library, "prompt", Type("q"), terminal=False, stdin=piped)
    assert piped.tell() == 0  # nothing was read
    record = only_record()
    assert record["completed"] is True
    assert record["answers"] == []
    assert "If you'd like, type an answer" not in result.output


def test_end_of_input_on_a_terminal_lets_the_steps_run_on_their_timers(
    library: Library,
) -> None:
    result = run(library, "untimed", Type("", after=10))  # then Ctrl+D at step 2
    assert result.exit_code == 0
    assert "No more input. The steps go on by themselves. Ctrl+C ends." in result.lines
    assert len(step_lines(result.output)) == 3
    assert only_record()["completed"] is True


def test_p_pauses_and_enter_resumes_and_the_pause_is_not_practice_time(
    library: Library,
) -> None:
    result = run(library, "timed", Type("p", after=4), Type("", after=300), Type("", after=1))
    assert "Paused. Press Enter to go on." in result.lines
    assert "Going on." in result.lines
    assert result.user.timeouts[:3] == [10.0, None, 6.0]
    record = only_record()
    assert record["practiced_seconds"] == 4 + 1 + 90 + 20
    assert record["completed"] is True


def test_b_goes_back_and_the_step_is_shown_again(library: Library) -> None:
    result = run(library, "timed", Type("", after=10), Type("b", after=2))
    assert step_lines(result.output) == [
        "Step 1 of 3, about 10 seconds",
        "Step 2 of 3, about 1 minute 30 seconds",
        "Step 1 of 3, about 10 seconds",
        "Step 2 of 3, about 1 minute 30 seconds",
        "Step 3 of 3, about 20 seconds",
    ]


def test_h_shows_who_to_talk_to(library: Library) -> None:
    from emoflat.helptext import flowing, help_text

    result = run(library, "timed", Type("h", after=1))  # then the input ends, paused
    assert flowing(help_text().rstrip("\n")) in result.output  # a paragraph a line
    assert "No more input. The steps go on by themselves. Ctrl+C ends." in result.lines
    assert only_record()["completed"] is True


def test_h_pauses_the_practice_while_the_help_is_read_and_enter_goes_on(
    library: Library,
) -> None:
    from emoflat.helptext import help_text

    result = run(library, "timed", Type("h", after=4), Type("", after=300))
    help_last_line = help_text().rstrip("\n").splitlines()[-1]
    lines = result.lines
    assert lines[lines.index(help_last_line) + 1 :][:2] == ["", "Paused. Press Enter to go on."]
    assert "Going on." in lines
    # 6 seconds of step 1 were left when the help was asked for, and still are after it.
    assert result.user.timeouts[:4] == [10.0, None, 6.0, 90.0]
    record = only_record()
    assert record["completed"] is True
    assert record["practiced_seconds"] == 120  # reading the help is not practice time
    assert record["ended"] == "2025-03-14T09:37:00+01:00"  # 120 s and 300 s of help


class EndedTerminal(ScriptedUser):
    """A terminal's reader once the input has ended (Ctrl+D): it says so at once every time
    it is asked, however long it was asked to wait."""

    def __call__(self, timeout: float | None) -> str | None:
        if not self.script:
            self.timeouts.append(timeout)
            raise EOFError
        return super().__call__(timeout)


@pytest.mark.parametrize(
    ("script", "checkin"),
    [((Type("p", after=4),), False), ((Type("4"),), True)],
    ids=["while paused", "during the questions before"],
)
def test_the_end_of_input_on_a_real_terminal_lets_the_steps_run_on(
    library: Library, monkeypatch: pytest.MonkeyPatch, script: tuple[Type, ...], checkin: bool
) -> None:
    """Time then passes in a sleep, here on the fake clock."""
    clock = FakeClock()
    user = EndedTerminal(clock, *script)
    slept: list[float | None] = []

    def sleep(timeout: float | None) -> None:
        slept.append(timeout)
        if len(slept) > 1000:
            raise AssertionError("plain mode kept sleeping: a busy loop?")
        clock.t += timeout or 0.0

    monkeypatch.setattr(plain, "sleeper", sleep)
    out = io.StringIO()
    code = run_plain(
        LaunchOptions(practice_id="timed", checkin=checkin),
        library,
        stdin=TerminalInput(),
        stdout=out,
        clock=clock,
        wait=user,
        ring=user.chimes.append,
    )
    assert code == 0
    lines = out.getvalue().splitlines()
    if checkin:
        assert "No more input. The rest of the questions are skipped." in lines
        assert slept == [10.0, 90.0, 20.0]
    else:  # the pause ended with the input: the steps went on
        assert "No more input. The steps go on by themselves. Ctrl+C ends." in lines
        assert slept == [6.0, 90.0, 20.0]
    record = only_record()
    assert record["completed"] is True
    assert record["practiced_seconds"] == 120


# --- a step that takes an answer -------------------------------------------------------------


@pytest.mark.parametrize("typed", ["q", "b", "p", "n", "s", "h", "help", "quit", "back", "?"])
def test_a_word_typed_at_a_prompt_is_kept_as_the_answer_never_read_as_a_command(
    library: Library, typed: str
) -> None:
    result = run(library, "prompt", Type(typed, after=5))
    assert result.lines.count("Your answer is kept with this session.") == 1
    assert step_lines(result.output) == [
        "Step 1 of 2, when you are ready, press Enter",
        "Step 2 of 2, about 8 seconds",  # its reading time
    ]
    assert "Paused. Press Enter to go on." not in result.lines
    assert "findahelpline.com" not in result.output
    record = only_record()
    assert record["answers"] == [
        {"step": 1, "prompt": "If you'd like, write one small thing you noticed.", "text": typed}
    ]
    assert record["completed"] is True
    assert record["practiced_seconds"] == 5 + 8


def test_a_prompt_says_that_what_is_typed_is_the_answer_and_how_to_go_on_or_end(
    library: Library,
) -> None:
    result = run(library, "prompt", CtrlC())
    lines = result.lines
    said = lines[lines.index("If you'd like, write one small thing you noticed.") + 1]
    assert said == (
        "If you'd like, type an answer and press Enter. Anything typed here is kept as your"
        " answer. Enter alone goes on. Ctrl+C ends."
    )
    assert "Ending the session." in lines  # Ctrl+C did end it
    record = only_record()
    assert record["completed"] is False
    assert record["answers"] == []


def test_commands_work_again_on_the_step_after_a_prompt(library: Library) -> None:
    result = run(library, "prompt", Type("", after=2), Type("q", after=1))
    assert "You ended the session. Stopping early is always fine." in result.lines
    record = only_record()
    assert record["answers"] == []
    assert record["completed"] is False
    assert record["practiced_seconds"] == 3


def test_an_unknown_line_is_answered_with_the_keys(library: Library) -> None:
    result = run(library, "timed", Type("hello", after=1))
    assert result.lines.count("Enter moves on. q then Enter ends. Ctrl+C ends.") == 2


def test_a_typed_answer_is_kept_with_the_session(library: Library) -> None:
    result = run(library, "prompt", Type("the light on the desk", after=30))
    assert "Your answer is kept with this session." in result.lines
    record = only_record()
    assert record["answers"] == [
        {
            "step": 1,
            "prompt": "If you'd like, write one small thing you noticed.",
            "text": "the light on the desk",
        }
    ]
    assert record["completed"] is True


def test_an_answer_typed_as_a_timed_prompt_ends_is_still_kept(library: Library) -> None:
    run(library, "timed-prompt", Type("still typing this", after=12))
    assert only_record()["answers"][0]["text"] == "still typing this"


def test_a_line_typed_steps_after_a_prompt_is_not_taken_as_its_answer(
    library: Library,
) -> None:
    result = run(library, "timed-prompt", Type("first", after=2), Type("later", after=7))
    assert only_record()["answers"][0]["text"] == "first"
    assert result.lines.count("Enter moves on. q then Enter ends. Ctrl+C ends.") == 2


def test_enter_alone_leaves_a_prompt_unanswered(library: Library) -> None:
    run(library, "prompt", Type("", after=5))
    assert only_record()["answers"] == []


# --- text ----------------------------------------------------------------------------------


def test_markup_in_practice_text_is_printed_literally(library: Library) -> None:
    result = run(library, "markup")
    assert result.lines[0] == "[bold]Not bold[/bold]"
    assert "[bold]This is not bold[/] and [link=x]this[/link] is no link." in result.lines
    assert "Two lines of text,\nkept as written." in result.output


def test_an_empty_pause_still_says_something(library: Library) -> None:
    lines = run(library, "markup").lines
    assert lines[lines.index("Step 2 of 3, about 5 seconds") + 1] == (
        "A quiet pause. Nothing to do."
    )


@pytest.mark.parametrize("practice_id", ["timed", "untimed", "markup", "prompt"])
def test_the_output_has_no_escape_sequences_or_redraws(library: Library, practice_id: str) -> None:
    result = run(library, practice_id, Type("p", after=1), Type("", after=1))
    assert CONTROL.search(result.output) is None
    assert result.output.endswith("\n")


# --- choosing, logging, output -------------------------------------------------------------


def test_without_a_practice_id_or_a_terminal_it_says_how_to_choose_one(
    library: Library,
) -> None:
    result = run(library, None, terminal=False)
    assert result.exit_code == 2
    assert len(result.lines) == 1
    assert "emoflat practice ID --plain" in result.output
    assert "emoflat list" in result.output
    assert logged() == []


def test_a_failed_log_write_says_where_the_session_was_kept(
    library: Library, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "sessions").write_text("not a folder")  # so the log cannot be written
    result = run(library, "timed")
    assert result.exit_code == 1
    assert "Your session was kept." not in result.lines
    kept = list((tmp_path / "config" / "unsaved").glob("*.json"))
    assert len(kept) == 1
    assert str(kept[0]) in result.errors  # an error: on stderr, as the CLI contract says
    assert str(kept[0]) not in result.output


class ClosingPipe(io.StringIO):
    """A pipe whose reader leaves after a few lines."""

    def __init__(self, lines: int) -> None:
        super().__init__()
        self.left = lines

    def write(self, text: str) -> int:
        if self.left <= 0:
            raise BrokenPipeError(32, "Broken pipe")
        self.left -= text.count("\n")
        return super().write(text)


def test_the_session_is_logged_when_nobody_reads_the_output_any_more(
    library: Library,
) -> None:
    result = run(library, "timed", terminal=False, stdout=ClosingPipe(lines=8))
    assert result.exit_code == 0
    assert only_record()["completed"] is False


def test_the_select_reader_returns_whole_lines_then_end_of_input() -> None:
    read_end, write_end = os.pipe()
    try:
        reader = SelectReader(read_end)
        assert reader.wait(0) is None
        os.write(write_end, b"q\n\nhalf a li")
        assert reader.wait(0) == "q"
        assert reader.wait(0) == ""
        assert reader.wait(0) is None  # half a line is not a line yet
        os.write(write_end, "ne – ok\r\n".encode())
        assert reader.wait(0) == "half a line – ok"
        os.close(write_end)
        write_end = -1
        with pytest.raises(EOFError):
            reader.wait(None)
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)


# --- the real program ----------------------------------------------------------------------


def program_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMOFLAT_")}
    env.update(
        EMOFLAT_DATA_DIR=str(tmp_path / "data"),
        EMOFLAT_CONFIG_DIR=str(tmp_path / "config"),
        EMOFLAT_CACHE_DIR=str(tmp_path / "cache"),
    )
    return env


EMOFLAT = Path(sys.executable).parent / "emoflat"


def test_plain_mode_is_chosen_when_stdin_and_stdout_are_not_terminals(
    practices_dir: Path, tmp_path: Path
) -> None:
    result = subprocess.run(
        [str(EMOFLAT), "practice", "two-seconds", "--practices", str(practices_dir)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=program_env(tmp_path),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert step_lines(result.stdout) == [
        "Step 1 of 2, about 1 second",
        "Step 2 of 2, about 1 second",
    ]
    assert result.stdout.count("A quiet pause. Nothing to do.") == 2
    assert CONTROL.search(result.stdout) is None
    record = only_record()
    assert record["practice"] == "two-seconds"
    assert record["completed"] is True
    assert record["planned_seconds"] == 2


def test_sigterm_ends_the_real_program_cleanly_and_the_session_is_logged(
    practices_dir: Path, tmp_path: Path
) -> None:
    process = subprocess.Popen(
        [str(EMOFLAT), "practice", "long-enough", "--practices", str(practices_dir)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=program_env(tmp_path),
    )
    try:
        assert process.stdout is not None
        for line in iter_lines(process.stdout):
            if line.startswith("Step 2 of 2"):
                break
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert err == ""
    assert "Ending the session." in out
    record = only_record()
    assert record["completed"] is False
    assert 1 <= record["practiced_seconds"] < 30


def iter_lines(stream: io.TextIOBase | Any) -> Iterator[str]:
    for line in stream:
        yield line.rstrip("\n")


def test_chimes_ring_in_order_each_at_its_own_time(library: Library) -> None:
    result = run(library, "chimes", terminal=False)
    assert result.exit_code == 0
    # start, interval at 25 s, step two's chime at 30 s, interval at 50 s, end at 60 s.
    assert result.user.chimes == ["bowl", "wood", "tone", "wood", "bell"]
    assert 25.0 in [round(t, 6) for t in result.user.timeouts if t is not None]


def test_no_sound_starts_no_player(
    library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda args, **kw: started.append(args))
    clock = FakeClock()
    user = ScriptedUser(clock)
    code = run_plain(
        LaunchOptions(practice_id="chimes", sound=False),
        library,
        stdin=io.StringIO(),
        stdout=io.StringIO(),
        clock=clock,
        wait=user,
    )
    assert code == 0
    assert started == []


# --- options from the command line ---------------------------------------------------------


class RecordingPlayer:
    """Stands for :class:`emoflat.audio.ChimePlayer`: remembers, plays nothing."""

    made: ClassVar[list[RecordingPlayer]] = []

    def __init__(self, config: Config, *, enabled: bool = True, **_: Any) -> None:
        self.enabled = enabled and config.sound
        self.sounded: list[str | None] = []
        RecordingPlayer.made.append(self)

    def play(self, sound: str | None = None, *, wait: bool = False) -> None:
        if self.enabled:  # as the real player: off is silent
            self.sounded.append(sound)

    def close(self, *, detach: bool = False) -> None:
        pass


def run_command(
    monkeypatch: pytest.MonkeyPatch, *args: str, script: tuple[Type, ...] = ()
) -> tuple[Run, RecordingPlayer]:
    """``emoflat practice ARGS`` through :func:`emoflat.cli.main`: the options reach
    ``run_plain`` as the command line made them; only the terminal, the clock and the
    chime player are the tests' own."""
    from emoflat import audio, plain
    from emoflat.cli import main

    clock = FakeClock()
    user = ScriptedUser(clock, *script)
    out = io.StringIO()
    real_run_plain = plain.run_plain

    def on_the_test_terminal(options: LaunchOptions, library: Library) -> int:
        return real_run_plain(
            options,
            library,
            stdin=TerminalInput(),
            stdout=out,
            clock=clock,
            wall=lambda: WALL_START,
            wait=user,
        )

    monkeypatch.setattr(plain, "run_plain", on_the_test_terminal)
    monkeypatch.setattr(audio, "ChimePlayer", RecordingPlayer)
    monkeypatch.setattr(RecordingPlayer, "made", [])
    code = main(["practice", *args])
    [player] = RecordingPlayer.made
    return Run(code, out.getvalue(), user), player


def test_minutes_on_the_command_line_scale_the_plain_session(
    monkeypatch: pytest.MonkeyPatch, practices_dir: Path
) -> None:
    result, _player = run_command(
        monkeypatch,
        "timed",
        "--plain",
        "--minutes",
        "4",
        "--no-checkin",
        "--practices",
        str(practices_dir),
    )
    assert result.exit_code == 0
    assert step_lines(result.output) == [
        "Step 1 of 3, about 20 seconds",
        "Step 2 of 3, about 3 minutes",
        "Step 3 of 3, about 40 seconds",
    ]
    assert only_record()["planned_seconds"] == 240


@pytest.mark.parametrize("no_sound", [True, False], ids=["--no-sound", "sound"])
def test_no_sound_on_the_command_line_silences_plain_mode(
    monkeypatch: pytest.MonkeyPatch, practices_dir: Path, no_sound: bool
) -> None:
    args = ["chimes", "--plain", "--no-checkin", "--practices", str(practices_dir)]
    result, player = run_command(monkeypatch, *args, *(["--no-sound"] if no_sound else []))
    assert result.exit_code == 0
    if no_sound:
        assert not player.enabled
        assert player.sounded == []
    else:  # the same run with sound: every chime would have rung
        assert player.enabled
        assert player.sounded == ["bowl", "wood", "tone", "wood", "bell"]


# --- choosing a practice on a terminal -----------------------------------------------------


def number_of(library: Library, practice_id: str) -> str:
    return str([entry.id for entry in library.entries].index(practice_id) + 1)


def test_without_a_practice_id_a_terminal_user_chooses_one_by_number(library: Library) -> None:
    result = run(library, None, Type(number_of(library, "timed")), Type(""))
    assert result.exit_code == 0
    lines = result.lines
    timed = lines.index(f"{number_of(library, 'timed')}. Three timed steps, about 2 min")
    assert lines[timed + 1] == "   Three steps on their timers."
    untimed = next(
        i for i, line in enumerate(lines) if line.startswith(f"{number_of(library, 'untimed')}. ")
    )
    assert lines[untimed].startswith(f"{number_of(library, 'untimed')}. One step waits, untimed")
    assert "second" not in lines[untimed]  # 20 timed seconds, and a step that waits
    assert lines[untimed + 1] == "   The middle step waits for Enter."
    assert "Type a number and press Enter (h for help, q to leave)" in lines
    assert len(step_lines(result.output)) == 3
    record = only_record()
    assert record["practice"] == "timed"
    assert record["planned_seconds"] == 120  # Enter alone: its own length
    assert CONTROL.search(result.output) is None


def test_h_shows_the_help_at_the_list_and_at_a_check_in_question_then_asks_again(
    library: Library,
) -> None:
    from emoflat.helptext import help_text

    help_last_line = help_text().rstrip("\n").splitlines()[-1]
    from emoflat.plain_lines import MORE_OFFER_LINE

    script = [Type("h"), Type(number_of(library, "timed")), Type(""), Type("help"), Type("4")]
    result = run(library, None, *script, Type("h"), Type(""), checkin=True)
    lines = result.lines
    assert lines.count(help_last_line) == 3
    assert "That is not one of the numbers." not in " ".join(lines)
    assert "That is not one of the choices." not in " ".join(lines)
    shown = [i for i, line in enumerate(lines) if line == help_last_line]
    assert lines[shown[0] + 2] == "Type a number and press Enter (h for help, q to leave)"
    assert lines[shown[1] + 2].startswith("If you'd like, type a number from 0 to 10")
    assert lines[shown[2] + 2] == MORE_OFFER_LINE
    assert only_record()["before"]["feel"] == 4


def test_every_practice_in_the_picker_has_its_summary_and_length(library: Library) -> None:
    from emoflat.tui.wording import practice_length

    lines = run(library, None, Type("q")).lines
    for number, entry in enumerate(library.entries, start=1):
        heading = [line for line in lines if line.startswith(f"{number}. {entry.title}, ")]
        assert len(heading) == 1, (entry.id, lines)
        assert practice_length(entry.seconds, entry.untimed_steps) in heading[0]
        assert lines[lines.index(heading[0]) + 1] == f"   {entry.summary}"


def test_a_practice_with_no_timed_step_is_listed_as_untimed(library: Library) -> None:
    result = run(library, None, Type(number_of(library, "all-wait")), Type(""), Type(""))
    number = number_of(library, "all-wait")
    assert any(line.startswith(f"{number}. Every step waits, untimed") for line in result.lines)
    assert not any(line.startswith("How long would you like") for line in result.lines)
    assert step_lines(result.output)[0] == "Step 1 of 2, when you are ready, press Enter"
    assert only_record()["practice"] == "all-wait"


def test_after_the_number_the_practice_s_lengths_are_offered(library: Library) -> None:
    result = run(library, None, Type(number_of(library, "timed")), Type("q"))
    lines = result.lines
    offered = lines.index("How long would you like it to be? Three timed steps:")
    assert lines[offered + 1 : offered + 6] == [
        "1. about 1 min",
        "2. about 2 min (its own)",
        "3. about 3 min",
        "4. about 5 min",
        "Type a number and press Enter, or Enter alone for about 2 min (its own)."
        " b then Enter goes back to the practices, q then Enter leaves.",
    ]
    assert "No practice was started." in lines  # q at the lengths
    assert logged() == []


@pytest.mark.parametrize(("typed", "minutes"), [("1", 1), ("3", 3), ("4", 5)])
def test_a_length_chosen_in_the_picker_is_the_length_the_session_runs(
    library: Library, typed: str, minutes: int
) -> None:
    result = run(library, None, Type(number_of(library, "timed")), Type(typed))
    assert result.exit_code == 0
    planned = plan(library.load("timed"), minutes)  # as `emoflat show --minutes` plans it
    assert planned.seconds == minutes * 60
    assert result.user.timeouts[2:] == pytest.approx([s.seconds for s in planned.steps])
    assert only_record()["planned_seconds"] == minutes * 60


def test_a_length_given_on_the_command_line_is_the_picker_s_first_choice(
    library: Library,
) -> None:
    result = run(library, None, Type(number_of(library, "timed")), Type(""), minutes=4)
    assert "2. about 2 min (its own)" in result.lines
    assert "4. about 4 min" in result.lines
    assert any(line.startswith("Type a number and press Enter, or Enter alone for about 4 min.")
               for line in result.lines)  # fmt: skip
    assert only_record()["planned_seconds"] == 240


def test_b_at_the_lengths_goes_back_to_the_practices(library: Library) -> None:
    result = run(
        library,
        None,
        Type(number_of(library, "timed")),
        Type("b"),
        Type(number_of(library, "all-wait")),  # one length only: it starts
    )
    assert result.lines.count("Practices:") == 2
    assert only_record()["practice"] == "all-wait"


def test_a_bad_choice_says_so_and_asks_again(library: Library) -> None:
    result = run(
        library,
        None,
        Type("99"),
        Type("three"),
        Type(number_of(library, "timed")),
        Type("9"),  # not a length
        Type("2"),
    )
    assert result.exit_code == 0
    assert result.lines.count("Type a number and press Enter (h for help, q to leave)") == 3
    assert sum(line.startswith("That is not one of the numbers.") for line in result.lines) == 3
    assert "That is not one of the numbers. Type a number from 1 to 4." in result.lines
    assert only_record()["practice"] == "timed"


def test_q_at_the_choice_leaves_and_nothing_is_logged(library: Library) -> None:
    result = run(library, None, Type("q"))
    assert result.exit_code == 0
    assert step_lines(result.output) == []
    assert logged() == []


def test_the_plain_picker_imports_neither_textual_nor_rich(
    practices_dir: Path, tmp_path: Path
) -> None:
    from conftest import UI_MODULES, modules_imported_by

    code = f"""
import io
from emoflat.launch import LaunchOptions
from emoflat.library import scan
from emoflat.plain import run_plain

class Terminal(io.StringIO):
    def isatty(self):
        return True

library = scan(extra_dirs=[{str(practices_dir)!r}])
number = [entry.id for entry in library.entries].index("timed") + 1
typed = iter([str(number), "1"])
now = [0.0]

def wait(timeout):
    if timeout is not None:
        now[0] += timeout
        return None
    try:
        return next(typed)
    except StopIteration:
        raise EOFError from None

out = io.StringIO()
code = run_plain(LaunchOptions(checkin=False, sound=False), library, stdin=Terminal(),
                 stdout=out, clock=lambda: now[0], wait=wait, ring=lambda sound: None)
assert code == 0, out.getvalue()
assert "How long would you like it to be? Three timed steps:" in out.getvalue()
"""
    assert modules_imported_by(code) & UI_MODULES == set()
    assert only_record()["planned_seconds"] == 60


# --- check-ins on a terminal ---------------------------------------------------------------

FEEL = QUESTIONS["feel"]
FELT = QUESTIONS["felt"]
MORE_OFFER = "d then Enter for a few more questions. Enter alone finishes."
UNSETTLING_OFFER = (
    "g then Enter for 30 seconds of grounding, h then Enter for help, Enter to go on."
)
LEFT_QUESTIONS = "Leaving the questions. What you gave is kept with the session."
FIRST_QUESTION = "This is the first question."


def asked(lines: list[str]) -> list[str]:
    """The check-in questions asked, in order, as their names."""
    names = {text: name for name, text in QUESTIONS.items()}
    return [names[line] for line in lines if line in names]


def before_and_after(lines: list[str]) -> tuple[list[str], list[str]]:
    """The lines before the practice's first step, and those after its closing lines."""
    first_step = next(i for i, line in enumerate(lines) if line.startswith("Step 1 of"))
    closing = next(i for i, line in enumerate(lines) if line.startswith("You practised for"))
    return lines[:first_step], lines[closing:]


def test_the_short_check_in_asks_one_question_before_and_two_after(library: Library) -> None:
    result = run(
        library,
        "timed",
        Type("3"),  # how much can you feel
        Type(""),  # Enter alone at the offer of more: the practice starts
        Type("4", after=200),  # after it (it runs 120 s on its timers)
        Type("1"),  # helpful
        Type(""),  # Enter alone at the offer of more: done
        checkin=True,
    )
    assert result.exit_code == 0
    before, after = before_and_after(result.lines)
    assert asked(before) == ["feel"]
    assert asked(after) == ["feel", "felt"]
    assert before.count(MORE_OFFER) == 1 and after.count(MORE_OFFER) == 1
    assert after.index(MORE_OFFER) > after.index(FELT)
    # Two lines typed before the practice, three after it: nothing more.
    assert result.user.timeouts == [None, None, 10.0, 90.0, 20.0, None, None, None]
    assert result.lines[-1] == "Your session was kept."
    record = only_record()
    assert record["before"] == {"feel": 3, "tone": None, "words": []}
    assert record["after"] == {"feel": 4, "tone": None, "words": [], "felt": "helpful"}
    assert (record["tags"], record["note"]) == ([], None)


def test_d_at_the_offer_asks_the_rest_and_every_answer_lands_in_one_record(
    library: Library,
) -> None:
    result = run(
        library,
        "timed",
        Type("3"),
        Type("d"),
        Type("5"),  # nothing noticeable
        Type("1, 2"),  # numb and flat
        Type("4", after=200),
        Type("1"),  # helpful
        Type("D"),
        Type("3"),  # mixed
        Type("11"),  # warm
        Type("1 6"),  # tired day, good day
        Type("  the light was warm  "),
        checkin=True,
    )
    assert result.exit_code == 0
    before, after = before_and_after(result.lines)
    assert asked(before) == ["feel", "tone", "words"]
    assert asked(after) == ["feel", "felt", "tone", "words", "tags", "note"]
    assert result.lines.count(MORE_OFFER) == 2  # once each side, not again after d
    assert "0 = nothing, completely flat. 10 = as vividly as I ever do." in result.lines
    assert result.lines[-1] == "Your session was kept."
    assert CONTROL.search(result.output) is None
    record = only_record()
    assert record["before"] == {"feel": 3, "tone": "nothing noticeable", "words": ["numb", "flat"]}
    assert record["after"] == {"feel": 4, "tone": "mixed", "words": ["warm"], "felt": "helpful"}
    assert record["tags"] == ["tired day", "good day"]
    assert record["note"] == "the light was warm"
    assert record["completed"] is True
    assert record["practiced_seconds"] == 120  # the questions are not practice time


def test_checkin_full_asks_every_question_a_line_each_without_the_offer(
    library: Library,
) -> None:
    result = run(
        library,
        "timed",
        # before: feel 3, "nothing noticeable", numb and flat
        Type("3"),
        Type("5"),
        Type("1, 2"),
        # the practice runs on its timers (120 s); then after it:
        Type("4", after=200),
        Type("3"),
        Type("11"),
        Type("1"),  # helpful
        Type("1 6"),  # tired day, good day
        Type("  the light was warm  "),
        checkin=True,
        full=True,
    )
    assert result.exit_code == 0
    before, after = before_and_after(result.lines)
    assert asked(before) == ["feel", "tone", "words"]
    assert asked(after) == ["feel", "tone", "words", "felt", "tags", "note"]
    assert MORE_OFFER not in result.lines
    assert result.lines[-1] == "Your session was kept."
    record = only_record()
    assert record["before"] == {"feel": 3, "tone": "nothing noticeable", "words": ["numb", "flat"]}
    assert record["after"] == {"feel": 4, "tone": "mixed", "words": ["warm"], "felt": "helpful"}
    assert record["tags"] == ["tired day", "good day"]
    assert record["note"] == "the light was warm"
    assert record["practiced_seconds"] == 120


@pytest.mark.parametrize("setting", ["short", "full"])
def test_the_checkin_setting_reaches_plain_mode(
    monkeypatch: pytest.MonkeyPatch, practices_dir: Path, setting: str
) -> None:
    settings = Path(os.environ["EMOFLAT_CONFIG_DIR"])
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "config.toml").write_text(f'checkin = "{setting}"\n', encoding="utf-8")
    script = (Type("3"), Type("s"), Type("s", after=200))  # s: at the tone, or at the offer
    result, _player = run_command(
        monkeypatch, "timed", "--plain", "--practices", str(practices_dir), script=script
    )
    assert result.exit_code == 0
    before, _after = before_and_after(result.lines)
    if setting == "full":
        assert asked(before) == ["feel", "tone"]
        assert MORE_OFFER not in result.lines
    else:
        assert asked(before) == ["feel"]
        assert before.count(MORE_OFFER) == 1
    assert only_record()["before"] == {"feel": 3, "tone": None, "words": []}


def test_the_check_in_prompts_invite_and_always_offer_a_skip(library: Library) -> None:
    script = [Type(""), Type(""), Type("", after=200), Type(""), Type("d")]
    result = run(library, "timed", *script, *[Type("")] * 4, checkin=True)
    for prompt in (
        plain_lines.FEEL_PROMPT,
        plain_lines.ONE_PROMPT,
        plain_lines.MANY_PROMPT,
        plain_lines.NOTE_PROMPT,
    ):
        assert prompt in result.lines
        assert prompt.startswith("If "), prompt  # an invitation, not an order
        assert "Enter alone" in prompt, prompt
    assert plain_lines.FEEL_PROMPT == (
        "If you'd like, type a number from 0 to 10 and press Enter. Enter alone skips it."
    )
    assert only_record()["after"] is None


def test_a_note_keeps_at_most_max_note_characters(library: Library) -> None:
    from emoflat.checkin import MAX_NOTE

    script = [Type("s"), Type("", after=200), Type(""), Type("d"), *[Type("")] * 3]
    run(library, "timed", *script, Type("n" * (MAX_NOTE + 50)), checkin=True)
    assert only_record()["note"] == "n" * MAX_NOTE


def test_a_note_is_kept_as_typed_even_when_it_is_a_command_word(library: Library) -> None:
    script = [Type("s"), Type("", after=200), Type(""), Type("d"), *[Type("")] * 3]
    result = run(library, "timed", *script, Type("q"), checkin=True)
    assert LEFT_QUESTIONS not in result.lines
    assert only_record()["note"] == "q"


def test_enter_alone_skips_each_question_and_the_check_ins_are_null(library: Library) -> None:
    result = run(
        library,
        "timed",
        Type(""),  # feel
        Type(""),  # the offer
        Type("", after=200),  # feel
        Type(""),  # how was that: still asked when the feeling was skipped
        Type(""),  # the offer
        checkin=True,
    )
    assert result.exit_code == 0
    before, after = before_and_after(result.lines)
    assert asked(before) == ["feel"]
    assert asked(after) == ["feel", "felt"]
    assert "No more input. The rest of the questions are skipped." not in result.lines
    record = only_record()
    assert record["before"] is None
    assert record["after"] is None
    assert record["note"] is None
    assert record["tags"] == []


def test_a_bad_answer_is_asked_again(library: Library) -> None:
    script = [Type("11"), Type("2"), Type("9"), Type(""), Type("1 x"), Type("")]
    result = run(library, "timed", *script, checkin=True, full=True)
    assert "That is not a whole number from 0 to 10." in result.lines
    assert "That is not one of the numbers. Type a number from 1 to 5." in result.lines
    assert "Some of that is not one of the numbers. Use numbers from 1 to 14." in result.lines
    assert result.lines.count(FEEL) == 2  # the input ended at the feeling after
    assert only_record()["before"] == {"feel": 2, "tone": None, "words": []}


def test_anything_but_d_enter_b_s_or_q_at_the_offer_is_asked_again(library: Library) -> None:
    result = run(library, "timed", Type("3"), Type("x"), Type("7"), Type(""), checkin=True)
    before, _after = before_and_after(result.lines)
    assert before.count("That is not one of the choices.") == 2
    assert before.count(MORE_OFFER) == 3
    assert only_record()["before"] == {"feel": 3, "tone": None, "words": []}


def test_no_checkin_asks_nothing(library: Library) -> None:
    result = run(library, "timed", Type("3"), checkin=False)
    assert FEEL not in result.lines
    assert "How was that for you?" not in result.output
    record = only_record()
    assert record["before"] is None
    assert record["after"] is None


def test_unsettling_offers_grounding_that_waits_30_seconds_and_help(library: Library) -> None:
    result = run(
        library,
        "timed",
        Type(""),  # no check-in before
        Type(""),
        Type("2", after=200),
        Type("3"),  # unsettling
        Type("g"),
        Type("h", after=45),  # the grounding step ends on its own after 30 s
        Type(""),  # goes on
        Type(""),  # no more questions
        checkin=True,
    )
    assert result.exit_code == 0
    assert result.user.timeouts.count(30.0) == 1
    assert result.lines.count(UNSETTLING_OFFER) == 3  # again after grounding, and after help
    assert GROUNDING_TEXT in result.lines
    assert "The grounding step is over." in result.lines
    assert "findahelpline.com" in result.output
    _before, after = before_and_after(result.lines)
    assert after.index(UNSETTLING_OFFER) < after.index(MORE_OFFER)  # grounding first
    assert only_record()["after"] == {"feel": 2, "tone": None, "words": [], "felt": "unsettling"}


def test_unsettling_then_d_offers_grounding_once_then_the_other_questions(
    library: Library,
) -> None:
    result = run(
        library,
        "timed",
        Type("s"),
        Type("", after=200),
        Type("3"),  # unsettling
        Type(""),  # no grounding, no help
        Type("d"),
        *[Type("")] * 4,
        checkin=True,
    )
    assert result.lines.count(UNSETTLING_OFFER) == 1
    _before, after = before_and_after(result.lines)
    assert asked(after) == ["feel", "felt", "tone", "words", "tags", "note"]
    assert only_record()["after"] == {
        "feel": None, "tone": None, "words": [], "felt": "unsettling"
    }  # fmt: skip


def test_enter_ends_the_grounding_step_early(library: Library) -> None:
    result = run(
        library,
        "timed",
        Type(""),
        Type(""),
        Type("2", after=200),
        Type("3"),
        Type("g"),
        Type("", after=5),
        Type(""),
        Type(""),
        checkin=True,
    )
    timeouts = result.user.timeouts
    assert timeouts.count(30.0) == 1
    assert timeouts[timeouts.index(30.0) + 1] is None  # the offer again, not 25 s more
    assert "The grounding step is over." in result.lines
    assert "findahelpline.com" not in result.output
    assert "No more input. The rest of the questions are skipped." not in result.lines
    assert len(logged()) == 1


def test_not_a_terminal_asks_no_questions_and_the_check_ins_are_null(library: Library) -> None:
    piped = io.StringIO("3\n1\n")
    result = run(library, "timed", terminal=False, stdin=piped, checkin=True)
    assert result.exit_code == 0
    assert piped.tell() == 0
    assert FEEL not in result.lines
    assert None not in result.user.timeouts
    record = only_record()
    assert record["before"] is None
    assert record["after"] is None
    assert record["completed"] is True


@pytest.mark.parametrize(
    ("full", "script", "after"),
    [
        (False, [Type("6"), Type(""), Type("5", after=200)], {"feel": 5}),  # at the felt
        (True, [Type("6"), Type(""), Type(""), Type("5", after=200), Type("1")],
         {"feel": 5, "tone": "pleasant"}),  # at the words
    ],
    ids=["short", "full"],
)  # fmt: skip
def test_ctrl_c_during_the_questions_after_logs_what_was_given_once(
    library: Library, full: bool, script: list[Type], after: dict[str, Any]
) -> None:
    result = run(library, "timed", *script, CtrlC(), checkin=True, full=full)
    assert result.exit_code == 0
    assert LEFT_QUESTIONS in result.lines
    assert result.lines[-1] == "Your session was kept."
    record = only_record()
    assert record["before"] == {"feel": 6, "tone": None, "words": []}
    assert record["after"] == {"feel": None, "tone": None, "words": [], "felt": None, **after}
    assert record["completed"] is True


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_the_questions_after_logs_what_was_given(
    library: Library, name: str
) -> None:
    signum = getattr(signal, name, None)
    if signum is None:
        pytest.skip(f"no {name} on this system")
    before = signal.getsignal(signum)
    script = [Type(""), Type(""), Type("7", after=200), Send(signum)]  # at "How was that"
    result = run(library, "timed", *script, checkin=True)
    assert result.exit_code == 0
    assert only_record()["after"] == {"feel": 7, "tone": None, "words": [], "felt": None}
    assert signal.getsignal(signum) == before


def test_end_of_input_during_the_questions_skips_the_rest_and_logs_once(library: Library) -> None:
    result = run(library, "timed", Type("4"), checkin=True)  # then Ctrl+D at the offer
    assert result.exit_code == 0
    assert "No more input. The rest of the questions are skipped." in result.lines
    assert "The steps go on by themselves. Ctrl+C ends." in result.lines
    record = only_record()
    assert record["before"] == {"feel": 4, "tone": None, "words": []}
    assert record["after"] is None
    assert record["completed"] is True


def test_ctrl_c_during_the_questions_before_starts_nothing(library: Library) -> None:
    result = run(library, "timed", Type("4"), CtrlC(), checkin=True)
    assert result.exit_code == 0
    assert step_lines(result.output) == []
    assert logged() == []


# --- moving about the questions: b back, s skip the rest, q leave -------------------------


def test_b_goes_back_a_question_and_the_new_answer_is_kept(library: Library) -> None:
    result = run(
        library,
        "timed",
        Type("3"),  # feel
        Type("b"),  # at the tone: back to the feeling
        Type("5"),  # feel again
        Type("2"),  # tone: unpleasant
        Type("B"),  # at the words: back to the tone
        Type("1"),  # tone again: pleasant
        Type("2"),  # words
        Type("s", after=200),  # no check-in after
        checkin=True,
        full=True,
    )
    assert result.exit_code == 0
    assert result.lines.count(FEEL) == 3  # twice before, once after
    assert "b then Enter goes back a question, s skips the rest, q leaves the questions." in (
        result.lines
    )
    record = only_record()
    assert record["before"] == {"feel": 5, "tone": "pleasant", "words": ["flat"]}
    assert record["after"] is None


def test_b_at_how_it_was_goes_back_to_the_feeling_above_it(library: Library) -> None:
    result = run(
        library,
        "timed",
        Type("s"),
        Type("5", after=200),
        Type("b"),  # at "How was that for you?"
        Type("6"),
        Type("1"),
        Type(""),
        checkin=True,
    )
    _before, after = before_and_after(result.lines)
    assert asked(after) == ["feel", "felt", "feel", "felt"]
    assert FIRST_QUESTION not in result.lines
    assert only_record()["after"] == {"feel": 6, "tone": None, "words": [], "felt": "helpful"}


def test_b_at_the_offer_asks_the_last_question_again(library: Library) -> None:
    result = run(
        library,
        "timed",
        Type("3"),
        Type("b"),  # at the offer: the feeling again
        Type("4"),
        Type(""),
        Type("5", after=200),
        Type("2"),  # neutral
        Type("b"),  # at the offer: "How was that for you?" again
        Type("1"),  # helpful
        Type(""),
        checkin=True,
    )
    before, after = before_and_after(result.lines)
    assert asked(before) == ["feel", "feel"]
    assert asked(after) == ["feel", "felt", "felt"]
    record = only_record()
    assert record["before"] == {"feel": 4, "tone": None, "words": []}
    assert record["after"] == {"feel": 5, "tone": None, "words": [], "felt": "helpful"}


def test_b_at_the_first_question_says_so_and_asks_it_again(library: Library) -> None:
    result = run(library, "timed", Type("b"), Type("4"), Type("s"), checkin=True)
    assert FIRST_QUESTION in result.lines
    before, _after = before_and_after(result.lines)
    assert asked(before) == ["feel", "feel"]
    assert only_record()["before"] == {"feel": 4, "tone": None, "words": []}


def test_s_skips_the_rest_of_the_check_in_and_keeps_what_came_before(
    library: Library,
) -> None:
    result = run(
        library,
        "timed",
        Type("6"),
        Type("s"),  # at the tone
        Type("2", after=200),  # after: feel 2
        Type("3"),  # tone
        Type("s"),  # at the words: nothing more is asked
        checkin=True,
        full=True,
    )
    assert result.exit_code == 0
    before, after = before_and_after(result.lines)
    assert asked(before) == ["feel", "tone"]
    assert asked(after) == ["feel", "tone", "words"]
    assert "No more input. The rest of the questions are skipped." not in result.lines
    record = only_record()
    assert record["before"] == {"feel": 6, "tone": None, "words": []}
    assert record["after"] == {"feel": 2, "tone": "mixed", "words": [], "felt": None}
    assert (record["tags"], record["note"]) == ([], None)


def test_s_at_how_it_was_keeps_the_feeling_given_above_it(library: Library) -> None:
    result = run(library, "timed", Type("s"), Type("5", after=200), Type("s"), checkin=True)
    assert MORE_OFFER not in result.lines  # s skips the offer too
    _before, after = before_and_after(result.lines)
    assert asked(after) == ["feel", "felt"]
    record = only_record()
    assert record["before"] is None
    assert record["after"] == {"feel": 5, "tone": None, "words": [], "felt": None}


def test_s_after_going_back_to_the_feeling_keeps_what_was_given(library: Library) -> None:
    script = [Type("3"), Type("1"), Type("b"), Type("b"), Type("s")]
    result = run(library, "timed", *script, checkin=True, full=True)
    assert asked(before_and_after(result.lines)[0]) == ["feel", "tone", "words", "tone", "feel"]
    assert only_record()["before"] == {"feel": 3, "tone": "pleasant", "words": []}


@pytest.mark.parametrize("full", [False, True], ids=["at the offer", "at the tone"])
def test_q_at_a_question_before_starts_nothing_and_logs_nothing(
    library: Library, full: bool
) -> None:
    result = run(library, "timed", Type("4"), Type("q"), checkin=True, full=full)
    assert result.exit_code == 0
    assert "Ending. No practice was started, so nothing was logged." in result.lines
    assert step_lines(result.output) == []
    assert logged() == []


def test_q_at_a_question_after_keeps_what_was_given_and_asks_no_more(library: Library) -> None:
    result = run(
        library,
        "timed",
        Type(""),
        Type(""),
        Type("5", after=200),
        Type("4"),  # felt: not sure
        Type("d"),
        Type("4"),  # tone: can't tell
        Type("quit"),  # at the words
        checkin=True,
    )
    assert result.exit_code == 0
    assert LEFT_QUESTIONS in result.lines
    assert QUESTIONS["tags"] not in result.lines
    assert QUESTIONS["note"] not in result.lines
    assert result.lines[-1] == "Your session was kept."
    record = only_record()
    assert record["after"] == {"feel": 5, "tone": "can't tell", "words": [], "felt": "not sure"}
    assert record["completed"] is True


def test_b_at_the_tags_goes_back_to_how_it_was(library: Library) -> None:
    result = run(
        library,
        "timed",
        Type("s"),
        Type("5", after=200),
        Type(""),
        Type(""),
        Type("2"),  # felt: neutral
        Type("b"),  # at the tags
        Type("1"),  # felt again: helpful
        Type(""),  # no tags
        Type(""),  # no note
        checkin=True,
        full=True,
    )
    assert result.lines.count(FELT) == 2
    assert only_record()["after"] == {"feel": 5, "tone": None, "words": [], "felt": "helpful"}


def test_the_end_of_input_on_a_question_gone_back_to_keeps_the_answers(library: Library) -> None:
    script = [Type("3"), Type("1"), Type("b"), Type("b")]
    result = run(library, "timed", *script, checkin=True, full=True)
    assert result.exit_code == 0
    assert "No more input. The rest of the questions are skipped." in result.lines
    assert only_record()["before"] == {"feel": 3, "tone": "pleasant", "words": []}


def test_every_line_plain_mode_prints_shows_control_characters_as_escapes() -> None:
    """Whatever reaches plain mode's output (a practice's text, a setting, an error) passes
    one clean: a terminal sees ``\\u001b``, never ESC itself."""
    stream = io.StringIO()
    out = plain_terminal.Output(stream)
    out.say("Calm \x1b]52;c;cm0gLXJmIH4=\x07 \x9b2J\tnow")
    out.say("two\nlines")
    assert stream.getvalue() == (
        "Calm \\u001b]52;c;cm0gLXJmIH4=\\u0007 \\u009b2J\tnow\ntwo\nlines\n"
    )
