"""How long each step of a practice is shown, at its own length or at ``--minutes N``.

No instruction is on screen for less than a slow reader needs: about two words a second,
plus a few seconds to settle (``shared/CARE.md``). At its own length a step shorter than
that is lengthened to it. A shorter length drops the steps the practice marks
``optional`` (the last first) rather than squeezing text into a flash; it never drops
the others (the safety and grounding lines). When even that does not fit, the practice
runs at its shortest length, which the picker and ``emoflat show`` say.

Pure: no I/O, no UI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from emoflat.model import Practice, Step

#: A slow reader: words a second.
WORDS_PER_SECOND = 2.0
#: And the seconds it takes to settle on a new instruction.
SETTLE_SECONDS = 3.0


def reading_seconds(step: Step) -> float:
    """The least time ``step`` may be shown: its longest text read slowly, plus settling
    (a pause with no text: one second)."""
    words = max((len(text.split()) for text in step.texts), default=0)
    return math.ceil(words / WORDS_PER_SECOND + SETTLE_SECONDS) if words else 1.0


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """One step as it will run."""

    index: int
    """Its place in the practice file, from 0."""
    step: Step
    seconds: float | None
    """How long it is shown; ``None`` waits for the user."""


@dataclass(frozen=True, slots=True)
class Plan:
    """The steps of one run, in order, and what was left out to fit the length."""

    steps: tuple[PlannedStep, ...]
    dropped: tuple[int, ...]
    """Optional steps left out (their places in the file), to fit a shorter length."""
    shortest_seconds: float
    """The shortest this practice can run with every step readable (timed steps only)."""

    @property
    def seconds(self) -> float:
        """The planned length: the sum of the timed steps."""
        return sum(s.seconds for s in self.steps if s.seconds is not None)


def shortest_seconds(practice: Practice) -> float:
    """The timed steps at their reading floors, optional ones left out (fixed steps, with
    ``scale: false``, at their own length)."""
    return sum(_floor(step) for step in practice.steps if step.timed and not step.optional)


def _floor(step: Step) -> float:
    """The least a timed step runs: its reading time; a fixed step its own length too."""
    floor = reading_seconds(step)
    return floor if step.scale else max(floor, step.seconds or 0.0)


def plan(practice: Practice, minutes: float | None = None) -> Plan:
    """Plan a run of ``practice``: at its own length, or scaled to about ``minutes``.

    Timed steps with ``scale`` share what ``minutes`` leaves after the fixed steps, in
    proportion to their own seconds, none below its reading time.

    Raises:
        ValueError: ``minutes`` is not a positive number.
    """
    if minutes is not None and not (math.isfinite(minutes) and minutes > 0):
        raise ValueError(f"minutes must be a positive number, got {minutes!r}")
    kept = list(range(len(practice.steps)))
    shortest = shortest_seconds(practice)
    if minutes is None:
        durations = {i: _own(practice.steps[i]) for i in kept}
        return Plan(_planned(practice, durations), (), shortest)
    budget = minutes * 60
    optional = [i for i in kept if practice.steps[i].optional]
    while optional and _floors(practice, kept) > budget:
        kept.remove(optional.pop())  # the last optional step first
    durations = _share(practice, kept, budget)
    dropped = tuple(i for i in range(len(practice.steps)) if i not in kept)
    return Plan(_planned(practice, durations), dropped, shortest)


def _own(step: Step) -> float | None:
    return None if step.seconds is None else max(step.seconds, reading_seconds(step))


def _floors(practice: Practice, kept: list[int]) -> float:
    steps = [practice.steps[i] for i in kept]
    return sum(_floor(step) for step in steps if step.timed)


def _share(practice: Practice, kept: list[int], budget: float) -> dict[int, float | None]:
    """Each kept step's seconds: fixed steps their own, scaled ones a share of the rest in
    proportion to their own seconds, each at least its floor (a step pushed up to its floor
    takes its extra from the others)."""
    steps = {i: practice.steps[i] for i in kept}
    durations: dict[int, float | None] = {i: _own(s) for i, s in steps.items()}
    scaled = [i for i, s in steps.items() if s.timed and s.scale]
    left = budget - sum(d for i, d in durations.items() if d is not None and i not in scaled)
    floored: set[int] = set()
    while True:
        free = [i for i in scaled if i not in floored]
        weight = sum(steps[i].seconds or 0.0 for i in free)
        room = left - sum(reading_seconds(steps[i]) for i in floored)
        factor = room / weight if weight > 0 else 0.0
        short = {i for i in free if (steps[i].seconds or 0.0) * factor < reading_seconds(steps[i])}
        if not short:
            break
        floored |= short
    for i in scaled:
        share = (steps[i].seconds or 0.0) * factor
        durations[i] = reading_seconds(steps[i]) if i in floored else share
    return durations


def _planned(practice: Practice, durations: dict[int, float | None]) -> tuple[PlannedStep, ...]:
    return tuple(PlannedStep(i, practice.steps[i], durations[i]) for i in sorted(durations))
