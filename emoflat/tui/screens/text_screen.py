"""A screen of plain text that scrolls, closed with Escape or q: the base of help and keys."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from emoflat.keys import CLOSE, SCROLL, KeySpec
from emoflat.tui.screens.base import EmoflatScreen


class TextScreen(EmoflatScreen):
    """Plain text (never markup) under a one-line heading."""

    BINDINGS: ClassVar[list[BindingType]] = [CLOSE.binding()]
    LEGEND: ClassVar[tuple[KeySpec, ...]] = (SCROLL, CLOSE)
    AUTO_FOCUS = "#text-scroll"

    heading = ""
    """The first line, saying how to close the screen."""

    def text(self) -> str:
        """The text shown."""
        return ""

    def compose_body(self) -> ComposeResult:
        """The heading and the scrolling text."""
        yield Static(self.heading, id="text-heading", markup=False)
        with VerticalScroll(id="text-scroll", can_focus=True):
            yield Static(self.text(), id="text-body", markup=False)

    def action_close(self) -> None:
        """Back to the screen underneath."""
        self.dismiss()
