"""The session screen: one instruction at a time, large and centred, with the step, a
still progress line, the time left said calmly, and the keys to pause, move and end.

All timing comes from the engine: one slow interval asks it what is on screen now and
only what changed is redrawn. Ticks are never counted.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Input, Static

from emoflat.log.render import time_left_text
from emoflat.tui.keymap import BACK, CONTINUE, END, NEXT, PAUSE
from emoflat.tui.messages import SessionEnded
from emoflat.tui.screens.base import EmoflatScreen
from emoflat.tui.screens.confirm_end import ConfirmEndScreen
from emoflat.tui.widgets.answer import AnswerBox
from emoflat.tui.widgets.breath import BreathDrift
from emoflat.tui.widgets.progress import SessionProgress

if TYPE_CHECKING:
    from emoflat.engine import SessionState
    from emoflat.recorder import SessionRecorder

#: Seconds between ticks while the breath visual drifts (2 per second).
MOTION_TICK = 0.5
#: Seconds between ticks otherwise: enough for the time left and the step changes.
STILL_TICK = 1.0
#: How long after a step's end the screen wakes to show the next one (seconds).
WAKE_MARGIN = 0.002

READY = "Press Enter when you are ready."
QUIET = "A quiet moment."
PAUSED = "Paused — press space to go on"
WRITING = "The timer waits while you write. Enter continues."
IN_BOX = "Enter continues · Tab or Escape leaves the box"
OUT_OF_BOX = "Tab: write in the box · Enter continues"


class SessionScreen(EmoflatScreen):
    """Runs one session of a practice, through its recorder."""

    CSS_PATH = "session.tcss"
    AUTO_FOCUS = ""  # nothing: the keys go to the screen until an answer box opens
    BINDINGS: ClassVar[list[BindingType]] = [
        PAUSE.binding(),
        CONTINUE.binding(),
        NEXT.binding(),
        BACK.binding(),
        END.binding(),
    ]

    def __init__(
        self,
        recorder: SessionRecorder,
        *,
        reduced_motion: bool = False,
        rng: random.Random | None = None,
    ) -> None:
        """Run a session (started when the screen mounts).

        Args:
            recorder: The session to run; it is started when the screen mounts.
            reduced_motion: Nothing moves: the breath visual stays still.
            rng: Seeds the breath visual's drift.
        """
        super().__init__()
        self.recorder = recorder
        self.reduced_motion = reduced_motion
        self._rng = rng
        self._timer: Timer | None = None
        self._wake: Timer | None = None
        self._tick_interval = STILL_TICK if reduced_motion else MOTION_TICK
        self._ended = False
        self._shown_step = -1
        self._status = ""
        self._pause_text = ""
        self._answer_step: int | None = None
        self._user_paused = False
        self._overlaid = False
        self._writing = False

    # Layout -------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        """The practice's title and progress at the top, the step in the middle."""
        practice = self.recorder.session.practice
        with Vertical(id="session-head"):
            yield Static(practice.title, id="practice-title", markup=False)
            yield SessionProgress(id="progress")
            yield Static("", id="step-line", markup=False)
        with Vertical(id="session-middle"):
            yield Static("", id="instruction", markup=False)
            yield BreathDrift(id="breath", rng=self._rng)
            yield AnswerBox(id="answer")
            yield Static("", id="answer-hint", markup=False)
            yield Static(READY, id="ready-hint", markup=False)
            yield Static("", id="paused", markup=False)

    def on_mount(self) -> None:
        """Start the session and its one slow interval."""
        self.recorder.start()
        self._timer = self.set_interval(self._tick_interval, self.tick, name="session-tick")
        self.watch(self.app, "muted", self._muted_changed, init=False)
        self.tick()

    def _muted_changed(self, muted: bool) -> None:
        if not self._ended:
            self._show_status(self.state)

    # The tick --------------------------------------------------------------------------------

    @property
    def state(self) -> SessionState:
        """What the engine says is on screen now."""
        return self.recorder.session.state()

    def tick(self) -> None:
        """Ask the engine what is on screen now; ring due chimes; redraw what changed."""
        if self._ended:
            return
        session = self.recorder.session
        chimes = session.pop_chimes()
        if chimes:
            self.emoflat.ring(chimes)
        state = session.state()
        if state.finished:
            self._end()
            return
        if state.step_index != self._shown_step:
            self._enter_step(state)
        self._show_status(state)
        self._show_progress(state)
        if state.step.kind == "breath" and not self.reduced_motion:
            self.query_one(BreathDrift).show(state.step_elapsed)
        self._wake_for_next_change()

    def _wake_for_next_change(self) -> None:
        """Tick again exactly when the next step or interval chime is due.

        The regular tick is slow (to spare the CPU); without this a new step would
        appear, and its chime ring, up to a whole tick late.
        """
        if self._wake is not None:
            self._wake.stop()
            self._wake = None
        due = self.recorder.session.next_change_in()
        if due is not None and due < self._tick_interval:
            # A hair after the moment, so the engine sees it has come.
            self._wake = self.set_timer(due + WAKE_MARGIN, self.tick, name="session-wake")

    def _enter_step(self, state: SessionState) -> None:
        self._shown_step = state.step_index
        step = state.step
        self.query_one("#instruction", Static).update(state.text or QUIET)
        self.query_one(BreathDrift).display = step.kind == "breath"
        if step.kind == "breath":
            self.query_one(BreathDrift).show(0.0 if self.reduced_motion else state.step_elapsed)
        box = self.query_one(AnswerBox)
        takes_answer = step.kind == "prompt" and step.answer
        if box.has_focus:
            self.set_focus(None)
        self._writing = False
        self._answer_step = state.step_index if takes_answer else None
        if takes_answer:
            box.value = state.answer or ""
            box.cursor_position = len(box.value)
        box.display = takes_answer
        self.query_one("#answer-hint").display = takes_answer
        self.query_one("#ready-hint").display = state.waiting and not takes_answer
        if takes_answer and not step.timed:
            box.focus()
        self._apply_pause()
        self._show_answer_hint()

    def _show_status(self, state: SessionState) -> None:
        parts = [f"Step {state.step_index + 1} of {state.step_count}"]
        left = time_left_text(state.session_remaining)
        if left:
            parts.append(left)
        if not self.emoflat.sound_allowed:
            parts.append("sound off")
        elif self.emoflat.muted:
            parts.append("muted")
        status = " · ".join(parts)
        if status != self._status:
            self._status = status
            self.query_one("#step-line", Static).update(status)
        pause_text = WRITING if self._writing else PAUSED if self._user_paused else ""
        if pause_text != self._pause_text:
            self._pause_text = pause_text
            paused = self.query_one("#paused", Static)
            # Reverse and bold, on the words only: clear without colour.
            paused.update(Content.styled(pause_text, "bold reverse"))
            paused.display = bool(pause_text)
            self.set_class(self._user_paused, "-paused")

    def _show_progress(self, state: SessionState) -> None:
        planned = state.planned_seconds
        if planned > 0:
            fraction = (planned - state.session_remaining) / planned
        else:
            fraction = state.step_index / state.step_count
        self.query_one(SessionProgress).set_fraction(fraction)

    def _end(self) -> None:
        self._ended = True
        for timer in (self._timer, self._wake):
            if timer is not None:
                timer.stop()
        self.post_message(SessionEnded(self.recorder))

    # Pausing -------------------------------------------------------------------------------

    def _apply_pause(self) -> None:
        """Pause the engine while the user paused, a screen covers this one, or the user
        writes in a timed prompt's box; go on when none of these holds."""
        session = self.recorder.session
        state = session.state()
        if state.finished:
            return
        want = self._user_paused or self._overlaid or self._writing
        # Writing an answer is time in the step: that pause counts as practice.
        counted = self._writing and not (self._user_paused or self._overlaid)
        paused = state.paused
        if paused and (not want or session.pause_counted != counted):
            session.resume()
            paused = False
        if want and not paused:
            session.pause(counted=counted)

    def on_screen_suspend(self, event: events.ScreenSuspend) -> None:
        """Help, the keys or the question cover the screen: hold the session meanwhile."""
        self._overlaid = True
        self._apply_pause()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Back from a covering screen: carry on as before."""
        if self._overlaid:
            self._overlaid = False
            self._apply_pause()
            self.tick()

    # The answer box ------------------------------------------------------------------------

    @on(Input.Changed, "#answer")
    def _answer_changed(self, event: Input.Changed) -> None:
        if self._answer_step is not None:
            self.recorder.session.set_answer(event.value, step_index=self._answer_step)

    @on(Input.Submitted, "#answer")
    def _answer_submitted(self) -> None:
        self.action_continue()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Writing in a timed prompt's box holds its timer, so the box never vanishes."""
        if event.widget is self.query_one(AnswerBox) and self._answer_step is not None:
            state = self.state
            if state.step.timed and not state.finished:
                self._writing = True
                self._apply_pause()
            self._show_answer_hint()
            self._show_status(state)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving the box lets a held timer go on."""
        if event.widget is self.query_one(AnswerBox):
            if self._writing and not self._overlaid:
                self._writing = False
                self._apply_pause()
            self._show_answer_hint()
            if not self._ended:
                self._show_status(self.state)

    def _show_answer_hint(self) -> None:
        box = self.query_one(AnswerBox)
        self.query_one("#answer-hint", Static).update(IN_BOX if box.has_focus else OUT_OF_BOX)

    # Actions ----------------------------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        """Pause, or go on after a pause."""
        self._user_paused = not self._user_paused
        self._apply_pause()
        self.tick()

    def action_continue(self) -> None:
        """Finish this step now (Enter). A pause in force stays in force."""
        self._writing = False
        self._apply_pause()
        self.recorder.session.continue_()
        self.tick()

    def action_next(self) -> None:
        """Skip to the next step."""
        self.recorder.session.next()
        self.tick()

    def action_back(self) -> None:
        """Go back to the start of the previous step."""
        self.recorder.session.back()
        self.tick()

    def action_end(self) -> None:
        """Ask once whether to end now; the partial session is kept either way."""

        def answered(end: bool | None) -> None:
            if end:
                self.end_now()

        self.app.push_screen(ConfirmEndScreen(), answered)

    def end_now(self) -> None:
        """End the session at once (ended early) and move on to the summary."""
        if self._ended:
            return
        self.recorder.session.end()
        self.tick()
