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
import random
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from emoflat.engine import Session, SessionState
from emoflat.errors import UsageError
from emoflat.log.durations import duration_text
from emoflat.plain_lines import (
    ANSWER_KEPT_LINE,
    ANSWER_LINE,
    CHOOSE_LINE,
    COMMANDS_BACK,
    COMMANDS_HELP,
    COMMANDS_NEXT,
    COMMANDS_PAUSE,
    COMMANDS_QUIT,
    COMPLETED_LINE,
    EMPTY_PAUSE_TEXT,
    ENDED_EARLY_LINE,
    ENDING_LINE,
    GROUNDING_LINE,
    KEPT_LINE,
    LEFT_LINE,
    MORE_KEYS_LINE,
    NO_MORE_INPUT_LINE,
    NOT_STARTED_LINE,
    PAUSED_LINE,
    QUESTIONS_LEFT_LINE,
    RESUMED_LINE,
    UNATTENDED_LINE,
    USAGE_LINE,
)
from emoflat.plain_questions import Questions, choose, say_help
from emoflat.plain_terminal import (
    Left,
    Output,
    OutputGone,
    Signals,
    Stopped,
    Wait,
    discard_typed,
    is_terminal,
    sleeper,
    terminal_reader,
)
from emoflat.recorder import SessionRecorder

if TYPE_CHECKING:
    from emoflat.launch import LaunchOptions
    from emoflat.library import Library

__all__ = ["Wait", "run_plain"]


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
    out = Output(stdout)
    interactive = is_terminal(stdin)
    if wait is None:
        wait = terminal_reader(stdin) if interactive else sleeper
    practice_id, minutes = options.practice_id, options.minutes
    if practice_id is None:
        if not interactive or not library.entries:
            out.say(CHOOSE_LINE)
            return 2
        try:
            chosen = choose(library, out, wait, minutes)
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
    questions = Questions(out, wait, clock, full=options.checkin_full)
    interrupted = False
    with Signals() as signals:
        if asking:
            try:
                questions.before(recorder)
            except (KeyboardInterrupt, Stopped, Left, OutputGone):
                # Nothing has started, so there is nothing to log.
                signals.defer()
                discard_typed(stdin)
                with contextlib.suppress(OutputGone):
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
        except (KeyboardInterrupt, Stopped, OutputGone):
            signals.defer()
            interrupted = True
            discard_typed(stdin)
        finally:
            # However the session ended, it is logged (with whatever was answered by
            # then), and nothing cuts that short.
            signals.defer()
            outcome = _finish(recorder)
        with contextlib.suppress(OutputGone):
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
        errors = Output(sys.stderr if stderr is None else stderr)
        with contextlib.suppress(OutputGone):
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
        out: Output,
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
            sleeper(timeout)

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
        if word in COMMANDS_QUIT:
            self.session.end()
        elif state.paused and word in COMMANDS_NEXT | COMMANDS_PAUSE:
            self.session.resume()
            self.out.say(RESUMED_LINE)
        elif word in COMMANDS_NEXT:
            # Enter moves on from the step the user saw; if that step ended on its own
            # while the line was typed, the next one is not skipped unseen.
            if self.session.state().step_index == self._shown:
                self.session.continue_()
        elif word in COMMANDS_PAUSE:
            self.session.pause()
            self.out.say(PAUSED_LINE)
        elif word in COMMANDS_BACK:
            self.session.back()
            self._shown = None  # the step starts again, so it is shown again
            self.out.blank()
        elif word in COMMANDS_HELP:
            # The practice waits while the help is read; Enter goes on.
            self.session.pause()
            self.out.blank()
            self.out.say(USAGE_LINE)
            self.out.say(MORE_KEYS_LINE)
            say_help(self.out)
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
