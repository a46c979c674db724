"""The session engine: what is on screen at any moment of a practice, and what chimed.

Pure: no I/O, no UI, only the standard library and :mod:`emoflat.model`. Time comes
from an injected monotonic clock and every position is computed from it, never
accumulated from ticks:

    practice time = (now - start) - time spent paused

A timed step ends at exactly its start plus its duration and the next step begins at
that instant, not at the tick that noticed it, so a session cannot drift however late
or irregular the ticks are. Time paused is not practice time; time spent in an untimed
step waiting for the user is.

Every public method first brings the session up to the clock, so the UI needs no
separate tick call: it reads :meth:`Session.state` and :meth:`Session.pop_chimes`
whenever it redraws, and forwards keys to the action methods.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from emoflat.countdown import Countdown
from emoflat.model import SILENT, Practice, Step
from emoflat.plan import plan

#: An interval chime due this close to the session's end (in seconds) stays silent.
INTERVAL_END_MARGIN = 1.0
#: The longest answer to a prompt kept, in characters (a page).
MAX_ANSWER = 2000

ChimeReason = Literal["start", "end", "step", "interval"]


@dataclass(frozen=True, slots=True)
class ChimeEvent:
    """A chime that became due."""

    sound: str | None
    """The sound name; ``None`` means the user's configured chime."""
    reason: ChimeReason
    """What rang it: the session's start or end, a step starting, or the interval."""
    at: float
    """The practice time, in seconds, at which it was due."""


@dataclass(frozen=True, slots=True)
class SessionState:
    """A snapshot of what is on screen. All times are in seconds of practice time."""

    step_index: int
    """0-based index of the current step (the last one shown, once finished)."""
    step_count: int
    step: Step
    text: str
    """The text shown, with a ``pick`` step's choice resolved."""
    answer: str | None
    """The answer typed for this step so far, if any."""
    step_duration: float | None
    """The step's planned duration; ``None`` for an untimed step."""
    step_elapsed: float
    step_remaining: float | None
    """``None`` for an untimed step."""
    session_elapsed: float
    """Practice time so far (pauses excluded, waiting included)."""
    session_remaining: float
    """What is left of this step plus every later timed step."""
    planned_seconds: float
    paused: bool
    started: bool
    finished: bool
    completed: bool
    """The last step finished (as opposed to the session being ended early)."""
    waiting: bool
    """An untimed step is waiting for :meth:`Session.continue_`."""


def _local_now() -> datetime:
    return datetime.now().astimezone()


class Session:
    """One run of a practice, driven by a clock.

    Actions before :meth:`start` or after the session has finished are ignored, so
    a key pressed as the session ends is harmless.
    """

    def __init__(
        self,
        practice: Practice,
        *,
        minutes: float | None = None,
        now: Callable[[], float],
        wall: Callable[[], datetime] = _local_now,
        rng: random.Random | None = None,
    ) -> None:
        """Plan a session; the clock starts with :meth:`start`.

        Args:
            practice: The practice to run.
            minutes: Scale the practice to this many minutes (``--minutes``).
            now: A monotonic clock in seconds.
            wall: The local wall clock, read once at :meth:`start`.
            rng: Chooses each ``pick`` step's text, once, here.
        """
        self._practice = practice
        self.plan = plan(practice, minutes)
        """Each step as it runs: how long, and what was left out to fit ``minutes``."""
        self._steps = tuple(planned.step for planned in self.plan.steps)
        self._durations = tuple(planned.seconds for planned in self.plan.steps)
        self._clock = Countdown(now=now)
        self._wall = wall
        chooser = rng if rng is not None else random.Random()
        self._texts = tuple(
            chooser.choice(step.texts) if step.kind == "pick" and step.texts else step.text
            for step in self._steps
        )
        self._answers: dict[int, str] = {}
        self._pending: list[ChimeEvent] = []
        self._started_wall: datetime | None = None
        self._index = 0
        self._step_start = 0.0
        self._next_interval = math.inf
        self._finish_at: float | None = None
        self._finish_real = 0.0
        self._completed = False

    @property
    def practice(self) -> Practice:
        """The practice being run."""
        return self._practice

    @property
    def durations(self) -> tuple[float | None, ...]:
        """Each step's planned duration (after ``--minutes``); ``None`` if untimed."""
        return self._durations

    @property
    def planned_seconds(self) -> float:
        """The planned length: the sum of the timed steps' durations."""
        return sum(d for d in self._durations if d is not None)

    # Actions ------------------------------------------------------------------------

    def start(self) -> None:
        """Start the clock: ring the start chime and begin the first step."""
        if self._clock.started:
            return
        self._clock.start()
        wall = self._wall()
        self._started_wall = wall if wall.tzinfo is not None else wall.astimezone()
        self._ring(self._practice.chimes.start, "start", 0.0)
        interval = self._practice.chimes.interval
        if interval is not None and interval.sound != SILENT and interval.every > 0:
            self._next_interval = interval.every
        self._enter(0, 0.0)

    def update(self) -> None:
        """Bring the session up to the clock, moving past every step whose time is up.

        Every other public method calls this first; call it directly only to advance
        without reading anything.
        """
        if self._running:
            self._run_until(self._practice_time())

    def pause(self, *, counted: bool = False) -> None:
        """Pause: the steps' clock stops until :meth:`resume`.

        Args:
            counted: The time paused still counts in ``practiced_seconds``: the user is
                in the step, writing an answer, and the step waits for them.
        """
        self.update()
        if self._running:
            self._clock.pause(counted=counted)

    def resume(self) -> None:
        """Resume after :meth:`pause`, from exactly where the session paused."""
        self.update()
        if self._running:
            self._clock.resume()

    @property
    def pause_counted(self) -> bool:
        """Whether the pause in force counts as practice (see :meth:`pause`)."""
        return self._clock.pause_counted

    def toggle_pause(self) -> None:
        """Pause if running, resume if paused."""
        self.update()
        if self._clock.paused:
            self.resume()
        else:
            self.pause()

    def next(self) -> None:
        """Skip to the start of the next step; on the last step, finish (completed).

        A pause in force stays in force.
        """
        self.update()
        if self._running:
            self._leave_step(self._practice_time())

    def continue_(self) -> None:
        """Finish the current step now: the user's Enter on an untimed step.

        On a timed step this is the same as :meth:`next`.
        """
        self.next()

    def back(self) -> None:
        """Go to the start of the previous step; on the first step, restart it.

        Practice time keeps running: going back replays a step, it does not rewind.
        """
        self.update()
        if self._running:
            self._enter(max(self._index - 1, 0), self._practice_time())

    def end(self) -> None:
        """End the session early (not completed) and ring the end chime."""
        self.update()
        if self._running:
            self._finish(self._practice_time(), completed=False)

    def set_answer(self, text: str, *, step_index: int | None = None) -> None:
        """Store the user's answer to a prompt; a blank answer removes it.

        Args:
            text: The answer; leading and trailing whitespace is trimmed, and the
                answer kept to :data:`MAX_ANSWER` characters.
            step_index: The 0-based step answered; default the current step. Pass the
                step the answer box belonged to, in case the step has moved on.

        Raises:
            IndexError: If ``step_index`` is not a step of the practice.
            ValueError: If the step is not a ``prompt`` with ``answer: true``.
        """
        self.update()
        index = self._index if step_index is None else step_index
        if not 0 <= index < len(self._steps):
            raise IndexError(f"no step {index}")
        step = self._steps[index]
        if step.kind != "prompt" or not step.answer:
            raise ValueError(f"step {index + 1} takes no answer")
        cleaned = text.strip()[:MAX_ANSWER]
        if cleaned:
            self._answers[index] = cleaned
        else:
            self._answers.pop(index, None)

    # Queries ------------------------------------------------------------------------

    def state(self) -> SessionState:
        """What is on screen now."""
        self.update()
        elapsed = self._practice_time()
        index = self._index
        duration = self._durations[index]
        step_elapsed = elapsed - self._step_start
        step_remaining = None if duration is None else max(duration - step_elapsed, 0.0)
        later = sum(d for d in self._durations[index + 1 :] if d is not None)
        session_remaining = 0.0 if self._finished else (step_remaining or 0.0) + later
        return SessionState(
            step_index=index,
            step_count=len(self._steps),
            step=self._steps[index],
            text=self._texts[index],
            answer=self._answers.get(index),
            step_duration=duration,
            step_elapsed=step_elapsed,
            step_remaining=step_remaining,
            session_elapsed=elapsed,
            session_remaining=session_remaining,
            planned_seconds=self.planned_seconds,
            paused=self._clock.paused,
            started=self._clock.started,
            finished=self._finished,
            completed=self._completed,
            waiting=self._running and duration is None,
        )

    def next_change_in(self) -> float | None:
        """Seconds until something changes by itself: a step ends or an interval chime is due.

        ``None`` while paused, before the start, once finished, or when nothing is
        timed ahead (an untimed step without interval chimes). A UI wakes then, so a
        new step appears and a chime rings on time, not at its next regular tick.
        """
        self.update()
        if not self._running or self._clock.paused:
            return None
        elapsed = self._practice_time()
        duration = self._durations[self._index]
        boundary = math.inf if duration is None else self._step_start + duration
        moment = min(boundary, self._next_interval)
        return None if math.isinf(moment) else max(moment - elapsed, 0.0)

    def pop_chimes(self) -> list[ChimeEvent]:
        """The chimes that became due since the last call, oldest first.

        After a late tick several may come at once; each carries the practice time it
        was due, so the UI may play only the latest.
        """
        self.update()
        events, self._pending = self._pending, []
        return events

    def record_fields(self) -> dict[str, Any]:
        """The session log record's timing fields and answers, once finished.

        ``ended`` is the start's wall time plus the real time elapsed (pauses included)
        measured on the monotonic clock, so a wall-clock jump during the session does
        not distort it.

        Returns:
            ``started``, ``ended`` (ISO 8601, local UTC offset, seconds precision),
            ``planned_seconds`` and ``practiced_seconds`` (int), ``completed`` (bool)
            and ``answers`` (``{"step": 1-based, "prompt": ..., "text": ...}`` for
            each answered prompt, in step order).

        Raises:
            RuntimeError: If the session has not finished.
        """
        self.update()
        if not self._finished or self._started_wall is None or self._finish_at is None:
            raise RuntimeError("the session has not finished")
        ended = self._started_wall + timedelta(seconds=self._finish_real)
        return {
            "started": self._started_wall.isoformat(timespec="seconds"),
            "ended": ended.isoformat(timespec="seconds"),
            "planned_seconds": round(self.planned_seconds),
            "practiced_seconds": round(self._finish_at + self._clock.counted_total),
            "completed": self._completed,
            "answers": [
                {
                    "step": self.plan.steps[i].index + 1,
                    "prompt": self._steps[i].text,
                    "text": answer,
                }
                for i, answer in sorted(self._answers.items())
            ],
        }

    # Internals ----------------------------------------------------------------------

    @property
    def _finished(self) -> bool:
        return self._finish_at is not None

    @property
    def _running(self) -> bool:
        return self._clock.started and self._finish_at is None

    def _practice_time(self) -> float:
        return self._finish_at if self._finish_at is not None else self._clock.elapsed

    def _run_until(self, moment: float) -> None:
        """Replay, in order, every step boundary and interval chime up to ``moment``."""
        while self._finish_at is None:
            duration = self._durations[self._index]
            boundary = math.inf if duration is None else self._step_start + duration
            if boundary <= moment and boundary <= self._next_interval:
                self._leave_step(boundary)
            elif self._next_interval <= moment:
                self._ring_interval(self._next_interval)
            else:
                break

    def _leave_step(self, at: float) -> None:
        if self._index + 1 < len(self._steps):
            self._enter(self._index + 1, at)
        else:
            self._finish(at, completed=True)

    def _enter(self, index: int, at: float) -> None:
        self._index = index
        self._step_start = at
        chime = self._steps[index].chime
        if chime is not None:  # on a step, no chime means none (not the default one)
            self._ring(chime, "step", at)

    def _finish(self, at: float, *, completed: bool) -> None:
        self._clock.resume()
        self._finish_at = at
        self._finish_real = at + self._clock.paused_total
        self._completed = completed
        self._ring(self._practice.chimes.end, "end", at)

    def _ring_interval(self, at: float) -> None:
        interval = self._practice.chimes.interval
        assert interval is not None  # _next_interval is finite only with an interval
        self._next_interval = at + interval.every
        end = self._planned_end()
        # Leave the end to the end chime. With an untimed step ahead the end is unknown.
        if end is None or end - at >= INTERVAL_END_MARGIN:
            self._ring(interval.sound, "interval", at)

    def _planned_end(self) -> float | None:
        rest = self._durations[self._index :]
        if any(d is None for d in rest):
            return None
        return self._step_start + sum(d for d in rest if d is not None)

    def _ring(self, sound: str | None, reason: ChimeReason, at: float) -> None:
        if sound != SILENT:
            self._pending.append(ChimeEvent(sound, reason, at))
