"""The session screen: one instruction at a time, large and centred, with the step, a
still progress line, the time left said calmly, and the keys to pause, move and end.

All timing comes from the engine: one slow interval asks it what is on screen now and
only what changed is redrawn. Ticks are never counted. The session is held (paused)
while the user pauses, while another screen covers this one, while the user writes in a
timed prompt's box (that time counts as practice), and while the window is too small to
show the step: then it waits for space once the window is large enough again.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from emoflat.engine import MAX_ANSWER
from emoflat.keys import (
    BACK,
    CONTINUE,
    END,
    LEAVE_BOX,
    NEXT,
    PAUSE,
    SCROLL,
    SESSION_KEYS,
    WRITE,
    KeySpec,
    in_order,
)
from emoflat.log.durations import time_left_text
from emoflat.tui.messages import SessionEnded
from emoflat.tui.screens.base import EmoflatScreen, too_small
from emoflat.tui.screens.confirm_end import ConfirmEndScreen
from emoflat.tui.widgets.breath import BreathDrift
from emoflat.tui.widgets.progress import SessionProgress

if TYPE_CHECKING:
    from textual.widgets import TextArea

    from emoflat.engine import SessionState
    from emoflat.recorder import SessionRecorder
    from emoflat.tui.widgets.textbox import TextBox

#: Seconds between ticks while the breath visual drifts (2 per second).
MOTION_TICK = 0.5
#: Seconds between ticks otherwise: enough for the time left and the step changes.
STILL_TICK = 1.0
#: How long after a step's end the screen wakes to show the next one (seconds).
WAKE_MARGIN = 0.002

READY = "Press Enter when you are ready."
QUIET = "A quiet moment."
PAUSED = "Paused — press space to go on"
SMALL_WINDOW = "Paused while the window was too small — press space to go on"
WRITING = "The timer waits while you write. Tab or Escape leaves the box."
OUT_OF_BOX = "Tab: write in the box · Enter goes on"
OUT_OF_TIMED_BOX = "Tab: write in the box"
IN_BOX = "Tab or Esc leaves the box, then Enter goes on"
IN_TIMED_BOX = "Tab or Esc leaves the box"
MORE_BELOW = "↓ more below"
#: Said while a timed step's time waits for the rest of it to be read.
TIME_WAITS = "the time waits"
#: Shown in place of everything while the window is too small: the session waits.
TOO_SMALL_PAUSED = (
    "Paused: the window is too small to show the step. Make it larger, then press space. "
    "h: who to talk to."
)


class StepScroll(VerticalScroll):
    """The step, scrolled when it is longer than the window; it tells the screen when its
    size or its content's changed (a new step, a resize), as only then is it measured
    right. (Textual sends a widget its own resize; it does not bubble.)"""

    class Resized(Message):
        """The step's area or its content changed size."""

    def on_resize(self, event: events.Resize) -> None:
        """Tell the screen."""
        self.post_message(self.Resized())


class SessionScreen(EmoflatScreen):
    """Runs one session of a practice, through its recorder."""

    CSS_PATH = "session.tcss"
    AUTO_FOCUS = ""  # nothing: the keys go to the screen until an answer box opens
    TOO_SMALL = TOO_SMALL_PAUSED
    BINDINGS: ClassVar[list[BindingType]] = [spec.binding() for spec in SESSION_KEYS]

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
        self._window_paused = False
        self._overlaid = False
        self._writing = False
        self._more_below = False
        """The step goes on below the window (said in the status line)."""
        self._unread = False
        """A timed step goes on below the window and has not been read to its end: its
        time waits (reading time is never squeezed by a small window)."""
        self._read_to_end: set[int] = set()  # the steps scrolled to their end

    # Layout -------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        """The practice's title and progress at the top, the step in the middle."""
        practice = self.recorder.session.practice
        with Vertical(id="session-head"):
            yield Static(practice.title, id="practice-title", markup=False)
            yield SessionProgress(id="progress")
            yield Static("", id="step-line", markup=False)
        with StepScroll(id="session-middle", can_focus=False):
            yield Static("", id="instruction", markup=False)
            yield BreathDrift(id="breath", rng=self._rng)
            if any(step.kind == "prompt" and step.answer for step in practice.steps):
                # The answer box only where a step takes an answer: the text editor's
                # import is a twentieth of a bare Textual app's start-up.
                from emoflat.tui.widgets.textbox import TextBox

                yield TextBox(max_length=MAX_ANSWER, id="answer")
            yield Static(OUT_OF_BOX, id="answer-hint", markup=False)
            yield Static(READY, id="ready-hint", markup=False)
            yield Static("", id="paused", markup=False)

    def on_mount(self) -> None:
        """Start the session and its one slow interval."""
        self.recorder.start()
        self._timer = self.set_interval(self._tick_interval, self.tick, name="session-tick")
        # Whatever scrolls the step (a key, the mouse wheel) measures again what is below
        # the window; so does a new size of it (:class:`StepScroll`).
        self.watch(self.query_one(StepScroll), "scroll_y", self._measure, init=False)
        self.watch(self.app, "muted", self._muted_changed, init=False)
        self._window_changed()
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
        box = self._box
        takes_answer = box is not None and step.kind == "prompt" and step.answer
        if self._in_box():
            self.set_focus(None)
        self._writing = False
        self._answer_step = state.step_index if takes_answer else None
        if box is not None:
            if takes_answer:
                box.load_text(state.answer or "")
                box.move_cursor(box.document.end)
            box.display = takes_answer
        self.query_one("#answer-hint").display = takes_answer
        self._show_answer_hint()
        self.query_one("#ready-hint").display = state.waiting and not takes_answer
        self.query_one("#session-middle").scroll_home(animate=False)
        if takes_answer and not step.timed:
            self.set_focus(box)
        self._apply_pause()
        self._measure()  # a step the same size as the last posts no resize
        self.refresh_legend()

    def _show_answer_hint(self) -> None:
        """How to get in and out of the answer box, and on, from where the keys are now."""
        if self._answer_step is None or self._ended:
            return
        timed = self.state.step.timed
        if self._in_box():
            hint = IN_TIMED_BOX if timed else IN_BOX
        else:
            hint = OUT_OF_TIMED_BOX if timed else OUT_OF_BOX
        self.query_one("#answer-hint", Static).update(hint)

    def _show_status(self, state: SessionState) -> None:
        count = f"{state.step_index + 1} of {state.step_count}"
        left = [text] if (text := time_left_text(state.session_remaining)) else []
        notes = []
        if self._more_below:
            notes.append(f"{MORE_BELOW}, {TIME_WAITS}" if self._unread else MORE_BELOW)
        if not self.emoflat.sound_allowed:
            notes.append("sound off")
        elif self.emoflat.muted:
            notes.append("muted")
        room = self.query_one("#step-line", Static).content_size.width or self.app.size.width
        # A narrow window keeps "muted" or "sound off" on the row: "3 of 4", then no time
        # left (the progress bar shows it), then the short "more below".
        short_notes = [MORE_BELOW if n.startswith(MORE_BELOW) else n for n in notes]
        for parts in (
            [f"Step {count}", *left, *notes],
            [count, *left, *notes],
            [count, *notes],
            [count, *short_notes],
        ):
            status = " · ".join(parts)
            if len(status) <= room:
                break
        line = self.query_one("#step-line", Static)
        if status != self._status:
            self._status = status
            # One row whatever it says: no new layout (the window's size may be what
            # changed it, and a layout in answer to a resize can answer itself forever).
            line.update(status, layout=False)
        pause_text = (
            WRITING
            if self._writing
            else SMALL_WINDOW
            if self._window_paused
            else PAUSED
            if self._user_paused
            else ""
        )
        if pause_text != self._pause_text:
            self._pause_text = pause_text
            paused = self.query_one("#paused", Static)
            # Reverse and bold, on the words only: clear without colour.
            paused.update(Content.styled(pause_text, "bold reverse"))
            paused.display = bool(pause_text)
            self.set_class(self._user_paused or self._window_paused, "-paused")

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

    # What fits, and the legend -----------------------------------------------------------------

    def _overflowing(self) -> bool:
        middle = self.query_one("#session-middle", VerticalScroll)
        return middle.max_scroll_y > 0

    @on(StepScroll.Resized)
    def _measure(self, _changed: object = None) -> None:
        """Measure again, once the layout has caught up with what changed."""
        self.call_after_refresh(self._show_more_below)

    def _show_more_below(self) -> None:
        """Say so when the step does not fit and scrolls ("↓ more below"); a timed step's
        time waits until it has been scrolled to its end once."""
        if self._ended:
            return
        middle = self.query_one("#session-middle", VerticalScroll)
        more_below = middle.scroll_y < middle.max_scroll_y
        if middle.max_scroll_y > 0 and not more_below:
            self._read_to_end.add(self._shown_step)
        state = self.state
        unread = more_below and state.step.timed and self._shown_step not in self._read_to_end
        if (unread, more_below) != (self._unread, self._more_below):
            self._unread, self._more_below = unread, more_below
            self._apply_pause()
            self._show_status(state)
        self.refresh_legend()

    def action_scroll(self, direction: int) -> None:
        """Scroll a step that does not fit."""
        middle = self.query_one("#session-middle", VerticalScroll)
        middle.scroll_relative(y=direction * max(1, middle.size.height - 1), animate=False)

    def legend_keys(self) -> list[KeySpec]:
        """In the box, only how to leave it; else the keys that work on this step."""
        if self._in_box():
            return [LEAVE_BOX]
        if self._ended:
            return super().legend_keys()
        state = self.state
        keys = [PAUSE, NEXT, BACK, END]
        if state.waiting:
            keys.append(CONTINUE)
        if self._answer_step is not None:
            keys.append(WRITE)
        if self._overflowing():
            keys.append(SCROLL)
        return in_order((*keys, *super().legend_keys()))

    def legend_word(self, spec: KeySpec) -> str:
        """Space says "go on" while the session is paused."""
        if spec is PAUSE and (self._user_paused or self._window_paused):
            return "go on"
        return super().legend_word(spec)

    def legend_room(self) -> list[KeySpec]:
        """The legend keeps a place for the scroll keys: showing them never makes the step
        itself scroll (or stop scrolling)."""
        return in_order((*self.legend_keys(), SCROLL))

    # Pausing -------------------------------------------------------------------------------

    def _apply_pause(self) -> None:
        """Pause the engine while the user paused, a screen covers this one, the window is
        too small or the user writes in a timed prompt's box; go on when none holds."""
        session = self.recorder.session
        state = session.state()
        if state.finished:
            return
        held = self._user_paused or self._window_paused or self._overlaid
        want = held or self._writing or self._unread
        # Writing an answer is time in the step: that pause counts as practice. Waiting
        # for the rest of a step to be read does not (it may be someone gone away).
        counted = self._writing and not held
        paused = state.paused
        if paused and (not want or session.pause_counted != counted):
            session.resume()
            paused = False
        if want and not paused:
            session.pause(counted=counted)

    def on_resize(self, event: events.Resize) -> None:
        """Too small a window holds the session until it is larger and the user goes on."""
        self._window_changed()

    def _window_changed(self) -> None:
        if too_small(self.app.size) and not self._window_paused and not self._ended:
            self._window_paused = True
            self._apply_pause()
            if not self._ended:
                self._show_status(self.state)

    def on_screen_suspend(self, event: events.ScreenSuspend) -> None:
        """Help, the keys or the question cover the screen: hold the session meanwhile."""
        self._overlaid = True
        self._apply_pause()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Back from a covering screen: carry on as before."""
        if self._overlaid:
            self._overlaid = False
            self._window_changed()
            self._apply_pause()
            self.tick()
            self._measure()  # the window may have changed, unseen

    # The answer box ------------------------------------------------------------------------

    @property
    def _box(self) -> TextBox | None:
        """The answer box, when the practice has a step that takes an answer."""
        found = self.query("#answer")
        return cast("TextBox", found.first()) if found else None

    def _in_box(self) -> bool:
        box = self._box
        return box is not None and box.has_focus

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Keep the answer as it is typed (the answer box is the screen's only one)."""
        if self._answer_step is not None:
            self.recorder.session.set_answer(event.text_area.text, step_index=self._answer_step)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Writing in a timed prompt's box holds its timer, so the box never vanishes."""
        if event.widget is self._box and self._answer_step is not None:
            state = self.state
            if state.step.timed and not state.finished:
                self._writing = True
                self._apply_pause()
            self._show_status(state)
        self._show_answer_hint()
        self.refresh_legend()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving the box lets a held timer go on."""
        if event.widget is self._box:
            if self._writing and not self._overlaid:
                self._writing = False
                self._apply_pause()
            if not self._ended:
                self._show_status(self.state)
        self._show_answer_hint()
        self.refresh_legend()

    # Actions ----------------------------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        """Pause, or go on after a pause (or after the window was too small)."""
        if too_small(self.app.size):
            return  # it goes on only once the step can be seen again
        if self._window_paused:
            self._window_paused = self._user_paused = False
        else:
            self._user_paused = not self._user_paused
        self._apply_pause()
        self.tick()
        self.refresh_legend()

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the box, Tab leaves it (the box's own key)."""
        return not (action == "write" and self._in_box())

    def action_write(self) -> None:
        """Into the answer box (Tab)."""
        if self._answer_step is not None:
            self.set_focus(self._box)

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
