"""The help screen: who to talk to, from emoflat's one help file, as plain text."""

from __future__ import annotations

from emoflat.helptext import flowing, help_text
from emoflat.tui.screens.text_screen import TextScreen


class HelpScreen(TextScreen):
    """``help_text()``, its paragraphs wrapped to the window. h, Escape or q closes it."""

    CSS_PATH = "text_screen.tcss"
    heading = "Help · h, Escape or q closes this"

    def text(self) -> str:
        """The help text."""
        return flowing(help_text().rstrip("\n"))
