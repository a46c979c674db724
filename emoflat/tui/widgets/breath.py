"""The breath step's visual: a row of dots whose weight drifts slowly and unevenly.

It must never pace the breath. Three slow waves with unrelated periods (23, 37 and 53
seconds, far longer than any breath) drift in different directions, so there is no
swelling and shrinking, no count, and no rhythm that could suggest "in" or "out". It is
redrawn only when a dot changes, at the screen's slow tick; with reduced motion it is
drawn once and stays still.
"""

from __future__ import annotations

import math
import random

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

#: Light to heavy. Weight, not colour, carries the shimmer.
GLYPHS = ("·", "•", "●")
#: The most dots in the row.
MAX_DOTS = 15
#: (wavelength in dots, period in seconds, direction, weight) of each wave.
WAVES = ((11.0, 23.0, 1.0, 1.0), (17.0, 37.0, -1.0, 0.7), (7.0, 53.0, 1.0, 0.5))


class BreathDrift(Widget):
    """A still-or-slowly-drifting row of dots under a breath step's text."""

    DEFAULT_CSS = """
    BreathDrift {
        height: 1;
        width: 100%;
        text-align: center;
    }
    """

    def __init__(self, *, rng: random.Random | None = None, id: str | None = None) -> None:
        """A row of dots with its own wave phases.

        Args:
            rng: Chooses the waves' phases (seed it for a repeatable picture).
            id: The widget's id.
        """
        super().__init__(id=id)
        chooser = rng if rng is not None else random.Random()
        self._phases = tuple(chooser.uniform(0, 2 * math.pi) for _ in WAVES)
        self._moment = 0.0
        self._row = ""

    def row_at(self, moment: float, dots: int) -> str:
        """The row of ``dots`` dots at ``moment`` seconds into the step."""
        total = sum(weight for *_, weight in WAVES)
        glyphs = []
        for i in range(dots):
            value = sum(
                weight * math.sin(2 * math.pi * (i / length - direction * moment / period) + phase)
                for (length, period, direction, weight), phase in zip(
                    WAVES, self._phases, strict=True
                )
            )
            level = (value / total + 1) / 2  # 0..1
            glyphs.append(GLYPHS[min(int(level * len(GLYPHS)), len(GLYPHS) - 1)])
        return " ".join(glyphs)

    def show(self, moment: float) -> None:
        """Show the row at ``moment``; redraw only if a dot changed."""
        self._moment = moment
        row = self.row_at(moment, self._dots())
        if row != self._row:
            self._row = row
            self.refresh()

    def _dots(self) -> int:
        return max(1, min(MAX_DOTS, (self.content_size.width + 1) // 2))

    def on_resize(self) -> None:
        """Fit the row to the new width."""
        self.show(self._moment)

    def render(self) -> RenderResult:
        """The row of dots."""
        return Content(self._row or self.row_at(self._moment, self._dots()))
