"""The practice model: what a loaded, validated practice is.

Plain frozen dataclasses with no I/O and no UI. The YAML format that produces them
is defined in :mod:`emoflat.practice_format`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

StepKind = Literal["say", "breath", "prompt", "pause", "pick"]
STEP_KINDS: tuple[StepKind, ...] = ("say", "breath", "prompt", "pause", "pick")

Origin = Literal["built-in", "user", "extra"]

#: The sound name that means "no chime here".
SILENT = "none"


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a practice.

    ``texts`` holds the step's text; a ``pick`` step holds every choice, other kinds
    hold exactly one text (a ``pause`` may hold an empty one).
    """

    kind: StepKind
    texts: tuple[str, ...]
    seconds: float | None = None
    """How long the step lasts; ``None`` waits for the user to continue."""
    chime: str | None = None
    """A sound name rung when the step starts, if any."""
    answer: bool = False
    """Only on ``prompt``: the user may type an answer."""
    scale: bool = True
    """Whether ``--minutes`` may stretch or shrink this step."""
    optional: bool = False
    """Whether a shorter length may leave this step out (never a safety or grounding line)."""
    line: int = 0
    """1-based line of the step's first field in its file (0 when built in code)."""

    @property
    def text(self) -> str:
        """The step's text; for ``pick`` the first choice (use the engine's pick)."""
        return self.texts[0] if self.texts else ""

    @property
    def timed(self) -> bool:
        """Whether the step runs on a timer."""
        return self.seconds is not None


@dataclass(frozen=True, slots=True)
class IntervalChime:
    """A chime rung every ``every`` seconds of practice time."""

    every: float
    sound: str


@dataclass(frozen=True, slots=True)
class Chimes:
    """A practice's chimes.

    ``start``/``end`` are a sound name, ``"none"`` for silence, or ``None`` for the
    user's configured chime.
    """

    start: str | None = None
    end: str | None = None
    interval: IntervalChime | None = None


@dataclass(frozen=True, slots=True)
class Practice:
    """A loaded, valid practice."""

    id: str
    title: str
    summary: str
    steps: tuple[Step, ...]
    tags: tuple[str, ...] = ()
    source: str | None = None
    group: str | None = None
    """What it is for, as the picker groups practices ("Being present")."""
    chimes: Chimes = field(default_factory=Chimes)
    path: Path | None = None
    origin: Origin = "built-in"

    @property
    def nominal_seconds(self) -> float:
        """The sum of the timed steps' seconds (untimed steps count 0)."""
        return sum(s.seconds for s in self.steps if s.seconds is not None)

    @property
    def minutes(self) -> float:
        """Nominal length in minutes."""
        return self.nominal_seconds / 60


def practice_to_json(practice: Practice) -> dict[str, Any]:
    """A practice as plain JSON values (without its path and origin), for the listing cache."""
    values = asdict(practice)
    del values["path"], values["origin"]
    return values


def practice_from_json(values: dict[str, Any], path: Path, origin: Origin) -> Practice:
    """The practice :func:`practice_to_json` gave (values emoflat wrote and validated)."""
    chimes = values["chimes"]
    interval = chimes["interval"]
    return Practice(
        id=values["id"],
        title=values["title"],
        summary=values["summary"],
        steps=tuple(Step(**{**step, "texts": tuple(step["texts"])}) for step in values["steps"]),
        tags=tuple(values["tags"]),
        source=values["source"],
        group=values["group"],
        chimes=Chimes(chimes["start"], chimes["end"], interval and IntervalChime(**interval)),
        path=path,
        origin=origin,
    )
