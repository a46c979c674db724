"""The answer box of a prompt: every key typed in it is text, never a command."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widgets import Input

from emoflat.tui.keymap import LEAVE_BOX


class AnswerBox(Input):
    """A one-line answer box. Tab or Escape leaves it; Enter continues (Input.Submitted)."""

    BINDINGS: ClassVar[list[BindingType]] = [LEAVE_BOX.binding()]

    def __init__(self, *, id: str | None = None) -> None:
        """An empty box with its cursor still (no blinking)."""
        super().__init__(
            placeholder="Write here, or leave it empty",
            max_length=2000,
            select_on_focus=False,  # coming back must not put the text at risk
            id=id,
        )
        self.cursor_blink = False

    def action_leave(self) -> None:
        """Give the keys back to the screen."""
        self.screen.set_focus(None)
