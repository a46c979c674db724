"""The help screen: who to talk to, from emoflat's one help file, as plain text."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType

from emoflat.helptext import flowing, help_text
from emoflat.keys import ABOUT, CLOSE, SCROLL
from emoflat.tui.screens.text_screen import TextScreen


class HelpScreen(TextScreen):
    """``help_text()``, its paragraphs wrapped to the window. h, Escape or q closes it."""

    CSS_PATH = "text_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [ABOUT.binding()]
    LEGEND = (SCROLL, ABOUT, CLOSE)
    heading = "Help · h, Escape or q closes this · a: about feeling flat"
    READS_AT_ANY_SIZE = True
    """Shown in a window of any size, even one too small for the other screens."""

    def text(self) -> str:
        """The help text."""
        return flowing(help_text().rstrip("\n"))
