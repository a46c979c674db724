"""“About feeling flat”: what emotional blunting is, from emoflat's one page of it."""

from __future__ import annotations

from emoflat.tui.screens.text_screen import TextScreen


class AboutScreen(TextScreen):
    """The page, its paragraphs wrapped to the window. Escape or q closes it."""

    CSS_PATH = "text_screen.tcss"
    heading = "About feeling flat · Escape or q closes this"

    def text(self) -> str:
        """The page (``emoflat.about``)."""
        from emoflat.about import about_text
        from emoflat.helptext import flowing

        return flowing(about_text().rstrip("\n"))
