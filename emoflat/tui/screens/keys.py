"""The keys screen: every key, by where it works."""

from __future__ import annotations

from emoflat.keys import keys_text
from emoflat.tui.screens.text_screen import TextScreen


class KeysScreen(TextScreen):
    """All keys. ?, Escape or q closes it."""

    CSS_PATH = "text_screen.tcss"
    heading = "All keys · ?, Escape or q closes this"

    def text(self) -> str:
        """The key list."""
        return keys_text(self.emoflat.keymap)
