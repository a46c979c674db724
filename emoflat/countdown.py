"""Time that can be paused, read from an injected clock: the one countdown emoflat has.

The session engine's practice time, the grounding step and plain mode's grounding all
use it. Time is computed from the clock (``now() - start - paused``), never counted in
ticks, so it cannot drift. Pure: no I/O, no UI.
"""

from __future__ import annotations

import math
from collections.abc import Callable


class Countdown:
    """``seconds`` of time on ``now`` (``math.inf``: a stopwatch), pauses excluded."""

    def __init__(self, seconds: float = math.inf, *, now: Callable[[], float]) -> None:
        self.seconds = seconds
        self._now = now
        self._start: float | None = None
        self._paused_since: float | None = None
        self._paused = 0.0
        self._counted = 0.0
        self._counting = False

    def start(self) -> None:
        """Start (once; later calls change nothing)."""
        if self._start is None:
            self._start = self._now()

    @property
    def started(self) -> bool:
        """Whether :meth:`start` was called."""
        return self._start is not None

    @property
    def paused(self) -> bool:
        """Whether a pause is in force."""
        return self._paused_since is not None

    @property
    def pause_counted(self) -> bool:
        """Whether the pause in force counts as time spent (see :meth:`pause`)."""
        return self.paused and self._counting

    def pause(self, *, counted: bool = False) -> None:
        """Stop the time until :meth:`resume` (ignored while paused or before the start).

        Args:
            counted: The time paused is still time spent (:attr:`counted_total`), though
                not time elapsed: the user is busy in the step, which waits for them.
        """
        if self._start is not None and self._paused_since is None:
            self._paused_since = self._now()
            self._counting = counted

    def resume(self) -> None:
        """Go on from exactly where the time paused."""
        if self._paused_since is not None:
            paused = self._now() - self._paused_since
            self._paused += paused
            self._counted += paused if self._counting else 0.0
            self._paused_since = None
            self._counting = False

    def toggle(self) -> None:
        """Pause if running, resume if paused."""
        if self.paused:
            self.resume()
        else:
            self.pause()

    @property
    def elapsed(self) -> float:
        """Time since the start, pauses excluded (frozen while paused)."""
        if self._start is None:
            return 0.0
        moment = self._paused_since if self._paused_since is not None else self._now()
        return moment - self._start - self._paused

    @property
    def paused_total(self) -> float:
        """All the time spent paused so far, a pause in force included."""
        if self._paused_since is None:
            return self._paused
        return self._paused + self._now() - self._paused_since

    @property
    def counted_total(self) -> float:
        """The paused time that counts as time spent, a pause in force included."""
        if self._paused_since is not None and self._counting:
            return self._counted + self._now() - self._paused_since
        return self._counted

    @property
    def remaining(self) -> float:
        """What is left of :attr:`seconds` (negative once over)."""
        return self.seconds - self.elapsed

    @property
    def done(self) -> bool:
        """Whether the time is up."""
        return self.remaining <= 0
