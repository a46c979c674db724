"""The box for a note after the session: several lines; every key typed in it is text."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widgets import TextArea

from emoflat.tui.keymap import LEAVE_BOX


class NoteBox(TextArea):
    """A multi-line note box. Tab or Escape leaves it; Enter makes a new line."""

    BINDINGS: ClassVar[list[BindingType]] = [LEAVE_BOX.binding()]

    def __init__(self, *, id: str | None = None) -> None:
        """An empty box that wraps its lines, with its cursor still (no blinking)."""
        super().__init__(soft_wrap=True, tab_behavior="focus", show_line_numbers=False, id=id)
        self.cursor_blink = False

    def action_leave(self) -> None:
        """Give the keys back to the screen."""
        self.screen.set_focus(None)
