"""Plain mode: a practice as plain lines, one step at a time, for screen readers.

Every step is printed once, as it starts: its number, the total, how long it lasts,
then its text verbatim. Nothing is redrawn: no colour, no cursor movement, no
countdown, so a screen reader reads each line once, in order.

On a terminal the user types a line and presses Enter: an empty line moves on, ``q``
ends, ``p`` pauses, ``h`` shows the help and pauses until Enter. At a step that takes an
answer, whatever is typed is the answer, never a command (Enter alone goes on, Ctrl+C
ends). Nothing times out waiting for the user: an untimed step waits for Enter as long
as it takes. When stdin is not a terminal (a pipe, ``/dev/null``) nothing is read at
all: the steps run on their timers, untimed steps move on as soon as they are shown,
and answers are skipped.

Without a practice id, on a terminal, the user picks a practice by number (each listed
with its summary and length, as the full-screen picker says them) and then a length.

The engine owns the timing: each wait lasts until the current step's end as the
engine computes it from the clock, never a count of ticks. The recorder logs the
session exactly once, however it ends (the last step, ``q``, Ctrl+C, SIGTERM,
SIGHUP, or the reader of stdout going away).

Imports neither Textual nor Rich.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from enum import Enum
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal, TextIO

from emoflat.checkin import (
    EARLY_END_GROUNDING,
    FEEL_HIGH,
    FEEL_LOW,
    FEEL_MAX,
    GROUNDING_SECONDS,
    GROUNDING_TEXT,
    HEADINGS,
    QUESTIONS,
    UNSETTLING,
    CheckInFlow,
    Question,
)
from emoflat.countdown import Countdown
from emoflat.engine import Session, SessionState
from emoflat.errors import UsageError
from emoflat.log.render import duration_text
from emoflat.recorder import SessionRecorder
from emoflat.text import clean, one_line
from emoflat.tui.wording import default_choice, length_choices, practice_length

if TYPE_CHECKING:
    from emoflat.launch import LaunchOptions
    from emoflat.library import Entry, Library

__all__ = ["Wait", "run_plain"]

#: Reads one line of input: waits at most ``timeout`` seconds (``None``: as long as it
#: takes) and returns the line without its line break, or ``None`` if the time passed
#: with no whole line typed. Raises :class:`EOFError` at the end of the input.
Wait = Callable[[float | None], str | None]

USAGE_LINE = "Enter moves on. q then Enter ends. Ctrl+C ends."
MORE_KEYS_LINE = "p then Enter pauses. b then Enter goes back a step. h then Enter shows help."
UNATTENDED_LINE = "The steps go on by themselves. Ctrl+C ends."
PAUSED_LINE = "Paused. Press Enter to go on."
RESUMED_LINE = "Going on."
ANSWER_LINE = (
    "If you'd like, type an answer and press Enter. Anything typed here is kept as your"
    " answer. Enter alone goes on. Ctrl+C ends."
)
ANSWER_KEPT_LINE = "Your answer is kept with this session."
NO_MORE_INPUT_LINE = "No more input. The steps go on by themselves. Ctrl+C ends."
ENDING_LINE = "Ending the session."
NO_MORE_ANSWERS_LINE = "No more input. The rest of the questions are skipped."
EMPTY_PAUSE_TEXT = "A quiet pause. Nothing to do."
COMPLETED_LINE = "That is the end of the practice."
ENDED_EARLY_LINE = "You ended the session. Stopping early is always fine."
GROUNDING_LINE = EARLY_END_GROUNDING  # the full-screen summary's words too
KEPT_LINE = "Your session was kept."
CHOOSE_LINE = (
    "Choose a practice to start: emoflat practice ID --plain ('emoflat list' shows them all)."
)

PICK_LINE = "Type a number and press Enter (or q to leave)"
NOT_A_CHOICE_LINE = "That is not one of the numbers."
LENGTHS_LINE = "How long would you like it to be?"
LEFT_LINE = "No practice was started."
NOT_STARTED_LINE = "Ending. No practice was started, so nothing was logged."
QUESTIONS_LEFT_LINE = "Leaving the questions. What you gave is kept with the session."
CHECKIN_INTRO_LINE = "A few optional questions. Enter alone skips any of them."
CHECKIN_KEYS_LINE = "b then Enter goes back a question, s skips the rest, q leaves the questions."
FIRST_QUESTION_LINE = "This is the first question."
MORE_OFFER_LINE = "d then Enter for a few more questions. Enter alone finishes."
NOT_AN_OFFER_LINE = "That is not one of the choices."
FEEL_PROMPT = "If you'd like, type a number from 0 to 10 and press Enter. Enter alone skips it."
FEEL_AGAIN_LINE = "That is not a whole number from 0 to 10."
ONE_PROMPT = "If you'd like, type a number and press Enter. Enter alone skips it."
MANY_PROMPT = (
    "If any fit, type their numbers, separated by spaces or commas, and press Enter."
    " Enter alone skips it."
)
NOT_IN_LIST_LINE = "Some of that is not one of the numbers."
UNSETTLING_OFFER_LINE = (
    "g then Enter for 30 seconds of grounding, h then Enter for help, Enter to go on."
)
GROUNDING_STEP_LINE = "Grounding, about 30 seconds. Enter ends it early."
GROUNDING_DONE_LINE = "The grounding step is over."
NOTE_PROMPT = (
    "If you'd like, type it on one line and press Enter. Anything typed here is kept as"
    " your note. Enter alone leaves it empty."
)

_COMMANDS_QUIT = frozenset({"q", "quit", "end", "stop", "exit"})
_COMMANDS_PAUSE = frozenset({"p", "pause", " "})
_COMMANDS_NEXT = frozenset({"", "n", "next"})
_COMMANDS_BACK = frozenset({"b", "back"})
_COMMANDS_SKIP = frozenset({"s", "skip"})
_COMMANDS_HELP = frozenset({"h", "help", "?"})


def run_plain(
    options: LaunchOptions,
    library: Library,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    clock: Callable[[], float] = time.monotonic,
    wall: Callable[[], datetime] | None = None,
    rng: random.Random | None = None,
    wait: Wait | None = None,
    ring: Callable[[str | None], object] | None = None,
) -> int:
    """Run one practice in plain mode and log it.

    Args:
        options: What ``emoflat practice`` was asked to do.
        library: The practices found.
        stdin: Where the user's lines come from; default ``sys.stdin``. When it is
            not a terminal, nothing is read from it.
        stdout: Where the lines go; default ``sys.stdout``.
        stderr: Where a session that could not be logged is told of; default
            ``sys.stderr``.
        clock: A monotonic clock in seconds, for the engine.
        wall: The local wall clock, for the log record's times.
        rng: Chooses each ``pick`` step's text.
        wait: Reads a line of input (see :data:`Wait`); default: ``select()`` on a
            terminal stdin, or a plain sleep when stdin is not a terminal. When
            stdin is not a terminal it is only used to let time pass, and any line
            it returns is ignored.
        ring: Rings a chime by sound name (``None``: the configured chime); default:
            a :class:`~emoflat.audio.ChimePlayer` for the settings, silent with
            ``--no-sound``.

    Returns:
        The exit code: 0 when the session ran (ended early or not), 1 when its
        record could not be written to the log, 2 when no practice was chosen.

    Raises:
        UsageError: No practice has the id given.
        PracticeInvalid: The practice file changed and is no longer valid.
    """
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    out = _Output(stdout)
    interactive = _is_terminal(stdin)
    if wait is None:
        wait = _terminal_reader(stdin) if interactive else _sleeper
    practice_id, minutes = options.practice_id, options.minutes
    if practice_id is None:
        if not interactive or not library.entries:
            out.say(CHOOSE_LINE)
            return 2
        try:
            chosen = _choose(library, out, wait, minutes)
        except (KeyboardInterrupt, EOFError):
            chosen = None
        if chosen is None:
            out.say(LEFT_LINE)
            return 0
        practice_id, minutes = chosen
    try:
        practice = library.load(practice_id)
    except KeyError:
        raise UsageError(
            f"no practice has the id {practice_id!r}; 'emoflat list' shows them all"
        ) from None
    recorder = SessionRecorder(practice, minutes=minutes, now=clock, wall=wall, rng=rng)
    player = None
    if ring is None:
        from emoflat.audio import ChimePlayer

        player = ChimePlayer(options.config, enabled=options.sound)
        ring = player.play
    asking = interactive and options.checkin
    questions = _Questions(out, wait, clock, full=options.checkin_full)
    interrupted = False
    with _Signals() as signals:
        if asking:
            try:
                questions.before(recorder)
            except (KeyboardInterrupt, _Stopped, _Left, _OutputGone):
                # Nothing has started, so there is nothing to log.
                signals.defer()
                with contextlib.suppress(_OutputGone):
                    out.blank()
                    out.say(NOT_STARTED_LINE)
                if player is not None:
                    player.close(detach=True)
                out.release()
                return 0
            out.blank()
        runner = _PlainRunner(
            recorder.session, out, wait, ring, interactive=interactive and not questions.ended
        )
        summarised = False
        try:
            runner.run()
            if asking and runner.interactive:  # not when the input ended on the way
                recorder.end()
                runner.summary(None)
                summarised = True
                questions.after(recorder, options.config.all_context_tags)
        except (KeyboardInterrupt, _Stopped, _OutputGone):
            signals.defer()
            interrupted = True
        finally:
            # However the session ended, it is logged (with whatever was answered by
            # then), and nothing cuts that short.
            signals.defer()
            outcome = _finish(recorder)
        with contextlib.suppress(_OutputGone):
            if interrupted and not summarised:
                runner.interrupted()
            if summarised:
                out.blank()
                if interrupted:
                    out.say(QUESTIONS_LEFT_LINE)
                for line in outcome.lines:
                    out.say(line)
            else:
                runner.summary(outcome)
    if outcome.problems:
        errors = _Output(sys.stderr if stderr is None else stderr)
        with contextlib.suppress(_OutputGone):
            for line in outcome.problems:
                errors.say(line)
    if player is not None:
        player.close(detach=True)  # an end chime still ringing rings out
    out.release()
    return outcome.exit_code


# --- the session ---------------------------------------------------------------------------


class _PlainRunner:
    """Prints a session's steps as they start and forwards the user's lines to it."""

    def __init__(
        self,
        session: Session,
        out: _Output,
        wait: Wait,
        ring: Callable[[str | None], object],
        *,
        interactive: bool,
    ) -> None:
        self.session = session
        self.out = out
        self.wait = wait
        self.ring = ring
        self.interactive = interactive
        self._shown: int | None = None
        self._answer_step: int | None = None

    def run(self) -> None:
        """Run the session until it finishes or the user ends it."""
        practice = self.session.practice
        self.out.say(practice.title)
        self.out.say(practice.summary)
        self.out.say(USAGE_LINE if self.interactive else UNATTENDED_LINE)
        if self.interactive:
            self.out.say(MORE_KEYS_LINE)
        self.session.start()
        while True:
            state = self.session.state()
            chimes = self.session.pop_chimes()
            if chimes:  # after a late wake several may be due: ring the latest only
                self.ring(chimes[-1].sound)
            if state.finished:
                return
            if state.step_index != self._shown:
                self._show(state)
            if not self.interactive:
                if state.waiting:
                    self.session.continue_()
                else:
                    self._let_time_pass(self.session.next_change_in())
                continue
            timeout = self.session.next_change_in()
            try:
                line = self.wait(timeout)
            except EOFError:
                self.interactive = False
                self.out.say(NO_MORE_INPUT_LINE)
                if state.paused:  # the steps go on by themselves: nobody can resume them
                    self.session.resume()
                continue
            if line is not None:
                self._command(line, state)

    def _let_time_pass(self, timeout: float | None) -> None:
        """Wait without reading: a line typed now is ignored. Once a terminal's input has
        ended its reader waits no more (it says so at once), so time passes in a sleep."""
        try:
            self.wait(timeout)
        except EOFError:
            _sleeper(timeout)

    def interrupted(self) -> None:
        """Ctrl+C, a signal or lost output ended the session."""
        self.out.blank()
        self.out.say(ENDING_LINE)

    def summary(self, outcome: _Outcome | None) -> None:
        """The closing lines: how long, the grounding words, and whether it was kept."""
        state = self.session.state()
        self.out.blank()
        self.out.say(COMPLETED_LINE if state.completed else ENDED_EARLY_LINE)
        self.out.say(f"You practised for {duration_text(state.session_elapsed)}.")
        if not state.completed:
            # A completed practice has just ended on its own grounding step.
            self.out.say(GROUNDING_LINE)
        if outcome is not None:
            for line in outcome.lines:
                self.out.say(line)

    def _show(self, state: SessionState) -> None:
        if self._shown is not None:
            self.out.blank()
        # A line still being typed when its prompt ended on its own is that prompt's
        # answer; a line typed a step later is not.
        if self._answer_step != self._shown:
            self._answer_step = None
        self._shown = state.step_index
        self.out.say(f"Step {state.step_index + 1} of {state.step_count}, {self._when(state)}")
        self.out.say(state.text.rstrip("\n") if state.text.strip() else EMPTY_PAUSE_TEXT)
        step = state.step
        if self.interactive and step.kind == "prompt" and step.answer:
            self._answer_step = state.step_index
            self.out.say(ANSWER_LINE)
        if state.paused:
            self.out.say(PAUSED_LINE)

    def _when(self, state: SessionState) -> str:
        if state.step_duration is not None:
            return duration_text(state.step_duration)
        if self.interactive:
            return "when you are ready, press Enter"
        return "no timer"

    def _command(self, line: str, state: SessionState) -> None:
        if self._answer_step is not None and self._answer_step == self._shown:
            self._answer(line, state)
            return
        word = line.strip().casefold()
        if word == "" and line.startswith(" "):
            word = " "  # a lone space pauses, as in the full-screen mode
        if word in _COMMANDS_QUIT:
            self.session.end()
        elif state.paused and word in _COMMANDS_NEXT | _COMMANDS_PAUSE:
            self.session.resume()
            self.out.say(RESUMED_LINE)
        elif word in _COMMANDS_NEXT:
            # Enter moves on from the step the user saw; if that step ended on its own
            # while the line was typed, the next one is not skipped unseen.
            if self.session.state().step_index == self._shown:
                self.session.continue_()
        elif word in _COMMANDS_PAUSE:
            self.session.pause()
            self.out.say(PAUSED_LINE)
        elif word in _COMMANDS_BACK:
            self.session.back()
            self._shown = None  # the step starts again, so it is shown again
            self.out.blank()
        elif word in _COMMANDS_HELP:
            from emoflat.helptext import flowing, help_text

            # The practice waits while the help is read; Enter goes on.
            self.session.pause()
            self.out.blank()
            self.out.say(USAGE_LINE)
            self.out.say(MORE_KEYS_LINE)
            self.out.blank()
            self.out.say(flowing(help_text().rstrip("\n")))
            self.out.blank()
            self.out.say(PAUSED_LINE)
        elif self._answer_step is not None:
            # A prompt ended on its own while its answer was typed: the line is its answer.
            answered, self._answer_step = self._answer_step, None
            self.session.set_answer(line, step_index=answered)
            self.out.say(ANSWER_KEPT_LINE)
            if self.session.state().step_index == answered:
                self.session.continue_()
        else:
            self.out.say(USAGE_LINE)

    def _answer(self, line: str, state: SessionState) -> None:
        """A line typed at a step that takes an answer: the answer, never a command.

        Enter alone goes on without one (after a pause, it first goes on from the pause).
        """
        answered = self._answer_step
        if state.paused:
            self.session.resume()
            self.out.say(RESUMED_LINE)
            if not line.strip():
                return
        self._answer_step = None
        if line.strip():
            self.session.set_answer(line, step_index=answered)
            self.out.say(ANSWER_KEPT_LINE)
        if self.session.state().step_index == answered:
            self.session.continue_()


# --- choosing and asking --------------------------------------------------------------------


def _choose(
    library: Library, out: _Output, wait: Wait, asked: float | None
) -> tuple[str, float | None] | None:
    """Ask which practice to run, by number, then how long; ``None`` when the user leaves
    with ``q``.

    Returns:
        The practice's id and the minutes to scale it to (``None``: its own length).
    """
    entries = library.entries
    while True:
        out.say("Practices:")
        for number, entry in enumerate(entries, start=1):
            length = practice_length(entry.seconds, entry.untimed_steps)
            out.say(f"{number}. {one_line(entry.title)}, {length}")
            out.say(f"   {one_line(entry.summary)}")
        picked = _number(out, wait, PICK_LINE, len(entries))
        if picked is None:
            return None
        entry = entries[picked - 1]
        out.blank()
        minutes = _choose_length(entry, out, wait, asked)
        if minutes is _Go.LEAVE:
            return None
        if minutes is not _Go.BACK:
            return entry.id, minutes


def _choose_length(
    entry: Entry, out: _Output, wait: Wait, asked: float | None
) -> float | Literal[_Go.BACK, _Go.LEAVE] | None:
    """The minutes to scale ``entry`` to (``None``: its own length), when it offers more
    than one length; :attr:`_Go.BACK` back to the practices, :attr:`_Go.LEAVE` to leave."""
    choices = length_choices(entry, asked)
    default = default_choice(choices, asked)
    if len(choices) == 1:
        return choices[default].minutes
    out.say(f"{LENGTHS_LINE} {one_line(entry.title)}:")
    for number, choice in enumerate(choices, start=1):
        out.say(f"{number}. {choice.label}")
    prompt = (
        f"Type a number and press Enter, or Enter alone for {choices[default].label}."
        " b then Enter goes back to the practices, q then Enter leaves."
    )
    picked = _number(out, wait, prompt, len(choices), empty=default + 1, back=True)
    if picked is None:
        return _Go.LEAVE
    if picked == 0:
        return _Go.BACK
    out.blank()
    return choices[picked - 1].minutes


def _number(
    out: _Output, wait: Wait, prompt: str, count: int, *, empty: int = 0, back: bool = False
) -> int | None:
    """A number from 1 to ``count`` typed by the user; ``empty`` for Enter alone (0: asked
    again); 0 for ``b`` when ``back``; ``None`` for ``q``."""
    while True:
        out.say(prompt)
        while (line := wait(None)) is None:
            pass
        word = line.strip().casefold()
        if word in _COMMANDS_QUIT:
            return None
        if back and word in _COMMANDS_BACK:
            return 0
        if not word and empty:
            return empty
        if word.isdigit() and 1 <= int(word) <= count:
            return int(word)
        out.say(f"{NOT_A_CHOICE_LINE} Type a number from 1 to {count}.")


class _Questions:
    """The check-ins before and after a session, one question per line, none timed.

    Every answer goes to the recorder as it is given, so a run cut short during the
    questions still logs what was answered. The end of the input skips the rest.
    """

    def __init__(
        self, out: _Output, wait: Wait, clock: Callable[[], float], *, full: bool = False
    ) -> None:
        self.out = out
        self.full = full
        """Every question, one after another; else the short check-in, more on request."""
        self.wait = wait
        self.clock = clock
        self.ended = False
        """The input ended: nothing more is asked."""

    def input_ended(self) -> bool:
        """Whether the input has ended (a method: a read may end it while a check is made)."""
        return self.ended

    def before(self, recorder: SessionRecorder) -> None:
        """The check-in before the session.

        Raises:
            _Left: The user left with ``q``: no practice is started.
        """
        if self._ask_all(recorder, CheckInFlow("before", full=self.full)):
            raise _Left

    def after(self, recorder: SessionRecorder, tags_offered: Sequence[str]) -> None:
        """The check-in after the session, "How was that for you?", tags and a note.

        ``q`` at a question keeps what was given and asks nothing more.
        """
        if self._ask_all(recorder, CheckInFlow("after", full=self.full, tags_offered=tags_offered)):
            self.out.blank()
            self.out.say(QUESTIONS_LEFT_LINE)

    def _ask_all(self, recorder: SessionRecorder, flow: CheckInFlow) -> bool:
        """Ask the flow's pages, a question a line, handing each answer to the recorder as
        it is given. Enter alone skips a question; ``b`` goes back a question, ``s`` skips
        the rest of the check-in, ``q`` leaves. After the short check-in's page, ``d``
        asks the other questions.

        Returns:
            Whether the user left with ``q``.
        """
        if flow.phase == "after":
            self.out.blank()
        self.out.say(HEADINGS[flow.phase])
        self.out.say(CHECKIN_INTRO_LINE)
        self.out.say(CHECKIN_KEYS_LINE)
        from_last = False  # after going back, the page is asked from its last question
        while not flow.done and not self.ended:
            go = self._ask_page(recorder, flow, from_last=from_last)
            from_last = False
            if self.input_ended():
                break  # what was given stays as it is
            if go is _Go.LEAVE:
                flow.leave()
            elif go is _Go.BACK:
                from_last = flow.back()
                if not from_last:
                    self.out.say(FIRST_QUESTION_LINE)
            elif go is not _Go.SKIP_REST:  # skipping was done on the page
                from_last = self._page_done(flow)
            recorder.collect(**flow.collected())
        return flow.left

    def _ask_page(
        self, recorder: SessionRecorder, flow: CheckInFlow, *, from_last: bool = False
    ) -> _Go | None:
        """The questions of the page on now, in order, each answer handed on as it is
        given; ``b`` on a later question of the page goes back to the one before it, ``s``
        skips the rest (the page's questions answered on the lines before stay). A
        :class:`_Go` that leaves the page ends it early."""
        page = flow.page
        at = len(page) - 1 if from_last else 0
        while at < len(page):
            question = page[at]
            self.out.blank()
            self.out.say(QUESTIONS[question])
            answer = self._ask(flow, question)
            if self.input_ended():
                return None
            if answer is _Go.BACK and at > 0:
                at -= 1
                continue
            if answer is _Go.SKIP_REST:
                answered = {q: flow.given[q] for q in page[:at]}
                flow.skip()  # forgets the whole page: what was answered above comes back
                for earlier, value in answered.items():
                    flow.give(earlier, value)
            if isinstance(answer, _Go):
                return answer
            flow.give(question, answer)
            recorder.collect(**flow.collected())
            at += 1
        return None

    def _page_done(self, flow: CheckInFlow) -> bool:
        """The page on now is answered: after "unsettling" offer grounding and help, then
        after the short check-in's page offer the other questions, and go on.

        Grounding comes first, before the offer of more questions, so it is checked here
        rather than taken from what :meth:`CheckInFlow.go_on` returns.

        Returns:
            Whether the user went back into the page (it is asked again, from its last
            question).
        """
        if "felt" in flow.page and flow.given["felt"] == UNSETTLING:
            self._unsettling()
        if flow.more_offered and flow.index == len(flow.pages) - 1 and not self.input_ended():
            wanted = self._more_wanted()
            if wanted is _Go.BACK:
                return True
            if wanted is _Go.LEAVE:
                flow.leave()
            elif wanted is True:
                flow.more()
            else:
                flow.go_on()
            return False
        flow.go_on()
        return False

    def _more_wanted(self) -> bool | _Go:
        """After the short check-in's page: whether the user asks for the other questions
        (``d``), finishes (Enter alone, ``s``), goes back into the page or leaves."""
        self.out.blank()
        while True:
            self.out.say(MORE_OFFER_LINE)
            word = (self._read() or "").strip().casefold()
            if self.input_ended() or word in ("", *_COMMANDS_SKIP):
                return False
            if word in ("d", "more"):
                return True
            if (go := _go(word)) is not None:
                return go
            self.out.say(NOT_AN_OFFER_LINE)

    def _ask(self, flow: CheckInFlow, question: Question) -> Any:
        """One question: the answer (None: skipped) or a :class:`_Go`."""
        if question == "feel":
            self.out.say(f"{FEEL_LOW}. {FEEL_HIGH}.")
            return self._feel()
        if question == "note":
            self.out.say(NOTE_PROMPT)
            return self._read()
        if question in ("words", "tags"):
            return self._many(flow.choices(question))
        return self._one(flow.choices(question))

    def _unsettling(self) -> None:
        while not self.ended:
            self.out.blank()
            self.out.say(UNSETTLING_OFFER_LINE)
            word = (self._read() or "").strip().casefold()
            if word in ("g", "grounding"):
                self._ground()
            elif word in _COMMANDS_HELP:
                from emoflat.helptext import flowing, help_text

                self.out.blank()
                self.out.say(flowing(help_text().rstrip("\n")))
            else:
                return

    def _ground(self) -> None:
        self.out.blank()
        self.out.say(GROUNDING_STEP_LINE)
        self.out.say(GROUNDING_TEXT)
        countdown = Countdown(GROUNDING_SECONDS, now=self.clock)
        countdown.start()
        while not countdown.done:
            try:
                line = self.wait(countdown.remaining)
            except EOFError:
                self.ended = True
                return
            if line is not None:
                break
        self.out.say(GROUNDING_DONE_LINE)

    def _feel(self) -> int | _Go | None:
        while True:
            self.out.say(FEEL_PROMPT)
            word = (self._read() or "").strip()
            if not word:
                return None
            if (go := _go(word)) is not None:
                return go
            if word.isdigit() and 0 <= int(word) <= FEEL_MAX:
                return int(word)
            self.out.say(FEEL_AGAIN_LINE)

    def _one(self, choices: Sequence[str]) -> str | _Go | None:
        self._list(choices)
        while True:
            self.out.say(ONE_PROMPT)
            word = (self._read() or "").strip()
            if not word:
                return None
            if (go := _go(word)) is not None:
                return go
            if word.isdigit() and 1 <= int(word) <= len(choices):
                return choices[int(word) - 1]
            self.out.say(f"{NOT_A_CHOICE_LINE} Type a number from 1 to {len(choices)}.")

    def _many(self, choices: Sequence[str]) -> list[str] | _Go:
        self._list(choices)
        while True:
            self.out.say(MANY_PROMPT)
            line = self._read() or ""
            if (go := _go(line.strip())) is not None:
                return go
            parts = line.replace(",", " ").split()
            if all(p.isdigit() and 1 <= int(p) <= len(choices) for p in parts):
                picked = {int(p) - 1 for p in parts}
                return [choice for i, choice in enumerate(choices) if i in picked]
            self.out.say(f"{NOT_IN_LIST_LINE} Use numbers from 1 to {len(choices)}.")

    def _list(self, choices: Sequence[str]) -> None:
        for number, choice in enumerate(choices, start=1):
            self.out.say(f"{number}. {choice}")

    def _read(self) -> str | None:
        """One line; ``None`` when the input has ended (the rest is then skipped)."""
        if self.ended:
            return None
        while True:
            try:
                line = self.wait(None)
            except EOFError:
                self.ended = True
                self.out.say(NO_MORE_ANSWERS_LINE)
                return None
            if line is not None:
                return line


class _Go(Enum):
    """What a line typed at a question can ask for instead of an answer."""

    BACK = "back"  # b: back a question
    SKIP_REST = "skip"  # s: skip the rest of the check-in
    LEAVE = "leave"  # q: before, start nothing; after, keep what was given


def _go(word: str) -> _Go | None:
    word = word.casefold()
    if word in _COMMANDS_BACK:
        return _Go.BACK
    if word in _COMMANDS_SKIP:
        return _Go.SKIP_REST
    if word in _COMMANDS_QUIT:
        return _Go.LEAVE
    return None


# --- logging -------------------------------------------------------------------------------


class _Outcome:
    """How logging the session went: the closing lines, the problem (for stderr, where the
    CLI contract puts errors), and the exit code."""

    def __init__(self, lines: list[str], exit_code: int, problems: list[str] | None = None) -> None:
        self.lines = lines
        self.exit_code = exit_code
        self.problems = problems or []


def _finish(recorder: SessionRecorder) -> _Outcome:
    """Log the session (once) and say how that went."""
    error = recorder.finish()
    if error is None:
        return _Outcome([KEPT_LINE], 0)
    problems = [str(error)]
    if error.fallback is None:
        problems.append(error.record_json)
    return _Outcome([], error.exit_code, problems)


# --- input and output ----------------------------------------------------------------------


class _OutputGone(Exception):
    """Nobody reads stdout any more (a closed pipe, a hung-up terminal)."""


class _Output:
    """Writes whole lines, flushed at once so a screen reader hears them as they come,
    each passed through :func:`~emoflat.text.clean` (whatever stream it is given)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.gone = False

    def say(self, text: str) -> None:
        """Write ``text`` and a line break."""
        self._write(text + "\n")

    def blank(self) -> None:
        """Write an empty line."""
        self._write("\n")

    def release(self) -> None:
        """After the output went away, keep the interpreter's last flush quiet."""
        if self.gone and self.stream is sys.stdout:
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

    def _write(self, text: str) -> None:
        if self.gone:
            return
        text = clean(text)
        try:
            try:
                self.stream.write(text)
            except UnicodeEncodeError:
                encoding = getattr(self.stream, "encoding", None) or "ascii"
                self.stream.write(text.encode(encoding, "replace").decode(encoding))
            self.stream.flush()
        except (OSError, ValueError):
            self.gone = True
            raise _OutputGone from None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _sleeper(timeout: float | None) -> None:
    """Lets time pass when nothing is read (stdin is not a terminal)."""
    if timeout is not None and timeout > 0:
        time.sleep(timeout)


def _terminal_reader(stream: TextIO) -> Wait:
    """A :data:`Wait` reading whole lines from a terminal."""
    if sys.platform == "win32":  # select() takes only sockets there
        return _ThreadReader(stream).wait
    return _SelectReader(stream.fileno()).wait


class _SelectReader:
    """Whole lines from a file descriptor, waiting with ``select()``.

    It reads the descriptor itself, not through Python's buffered stream: a line
    buffered there would be invisible to ``select()`` and wait until the next one.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""
        self.ended = False

    def wait(self, timeout: float | None) -> str | None:
        """See :data:`Wait`."""
        import select

        deadline = None if timeout is None else time.monotonic() + max(timeout, 0.0)
        while b"\n" not in self.buffer:
            if self.ended:
                if self.buffer:
                    return self._take(len(self.buffer))
                raise EOFError
            left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.fd, 4096)
            if chunk:
                self.buffer += chunk
            else:
                self.ended = True
        return self._take(self.buffer.index(b"\n") + 1)

    def _take(self, size: int) -> str:
        line, self.buffer = self.buffer[:size], self.buffer[size:]
        return line.decode("utf-8", "replace").rstrip("\r\n")


class _ThreadReader:
    """Whole lines read by a daemon thread, for systems without ``select()`` on stdin."""

    def __init__(self, stream: TextIO) -> None:
        import queue
        import threading

        self.lines: queue.Queue[str] = queue.Queue()
        self.empty = queue.Empty
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: TextIO) -> None:
        for line in iter(stream.readline, ""):
            self.lines.put(line)
        self.lines.put("")

    def wait(self, timeout: float | None) -> str | None:
        """See :data:`Wait`."""
        try:
            line = self.lines.get(timeout=timeout)
        except self.empty:
            return None
        if line == "":
            self.lines.put("")  # stays at the end
            raise EOFError
        return line.rstrip("\r\n")


# --- signals -------------------------------------------------------------------------------


class _Stopped(Exception):
    """SIGTERM or SIGHUP arrived during the session."""


class _Left(Exception):
    """``q`` at a question before the session: nothing is started."""


class _Signals:
    """SIGTERM and SIGHUP end the session like Ctrl+C does, so it is still logged.

    While the record is being written (:meth:`defer`) every ending signal, Ctrl+C
    too, is noted and waits, so the write is never cut short.
    """

    _ENDING = tuple(
        getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
    )

    def __init__(self) -> None:
        self.received: int | None = None
        self._armed = True
        self._previous: dict[int, object] = {}

    def __enter__(self) -> _Signals:
        for signum in self._ENDING:
            self._install(signum)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, previous in self._previous.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(signum, previous)  # type: ignore[arg-type]

    def defer(self) -> None:
        """From now on, note ending signals (Ctrl+C too) instead of acting on them."""
        self._armed = False
        self._install(signal.SIGINT)

    def _install(self, signum: int) -> None:
        try:
            previous = signal.signal(signum, self._handle)
        except (ValueError, OSError):  # not the main thread, or not this system
            return
        self._previous.setdefault(signum, previous)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.received = signum
        if self._armed:
            raise _Stopped(signum)
