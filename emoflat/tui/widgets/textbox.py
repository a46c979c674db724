"""The box to write in (an answer to a prompt, a note after a session): several lines,
the whole text in view, and every key typed in it is text, never a command."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widgets import TextArea
from textual.widgets.text_area import EditResult, Location

from emoflat.keys import LEAVE_BOX

PLACEHOLDER = "Write here, or leave it empty"


class TextBox(TextArea):
    """A multi-line box that wraps its lines. Tab or Escape leaves it; Enter makes a new
    line (then Enter, outside the box, goes on)."""

    BINDINGS: ClassVar[list[BindingType]] = [LEAVE_BOX.binding()]

    def __init__(self, *, max_length: int, id: str | None = None) -> None:
        """An empty box with its cursor still (no blinking), taking at most ``max_length``
        characters."""
        super().__init__(soft_wrap=True, tab_behavior="focus", show_line_numbers=False, id=id)
        self.placeholder = PLACEHOLDER
        self.cursor_blink = False
        self.max_length = max_length

    def _replace_via_keyboard(
        self, insert: str, start: Location, end: Location
    ) -> EditResult | None:
        """Typing and pasting stop at ``max_length`` (what does not fit is not taken, and
        the terminal bell says so), so the box never shows more than is kept."""
        removed = len(self.get_text_range(*sorted((start, end))))
        room = self.max_length - (len(self.text) - removed)
        if len(insert) > room:
            self.app.bell()
            insert = insert[: max(room, 0)]
            if not insert and start == end:
                return None
        return super()._replace_via_keyboard(insert, start, end)

    def action_leave(self) -> None:
        """Give the keys back to the screen."""
        self.screen.set_focus(None)
