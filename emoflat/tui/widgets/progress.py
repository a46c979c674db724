"""A thin, still line showing how far through the session the user is."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

DONE = "━"
TO_GO = "─"


class SessionProgress(Widget):
    """A one-line bar: heavy for done, light for to go (shape, not only colour).

    It never animates; it is redrawn only when a cell changes.
    """

    DEFAULT_CSS = """
    SessionProgress {
        height: 1;
        width: 100%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        """Start empty."""
        super().__init__(id=id)
        self._fraction = 0.0
        self._cells = -1

    @property
    def fraction(self) -> float:
        """How much is done, 0 to 1."""
        return self._fraction

    def set_fraction(self, fraction: float) -> None:
        """Show ``fraction`` done; redraws only if a whole cell changes."""
        self._fraction = min(max(fraction, 0.0), 1.0)
        cells = round(self._fraction * self.content_size.width)
        if cells != self._cells:
            self._cells = cells
            self.refresh()

    def on_resize(self) -> None:
        """Recompute the cells for the new width."""
        self._cells = -1
        self.set_fraction(self._fraction)

    def render(self) -> RenderResult:
        """The bar."""
        width = self.content_size.width
        done = round(self._fraction * width)
        return Content.assemble((DONE * done, "bold"), TO_GO * (width - done))
