"""The one question before ending early: "End now? Your session so far is kept. y/n"."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Static

from emoflat.keys import CONFIRM_NO, CONFIRM_YES
from emoflat.tui.screens.base import EmoflatModal

QUESTION = "End now? Your session so far is kept."
CHOICES = "y  yes, end now      n  no, go on"


class ConfirmEndScreen(EmoflatModal):
    """Asks once. y ends (the partial session is kept); n or Escape goes back."""

    CSS_PATH = "confirm_end.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        CONFIRM_YES.binding(),
        CONFIRM_NO.binding(),
    ]
    LEGEND = (CONFIRM_YES, CONFIRM_NO)

    def compose_body(self) -> ComposeResult:
        """The question and its two answers."""
        with Vertical(id="confirm-dialog"):
            yield Static(QUESTION, id="confirm-question", markup=False)
            yield Static(CHOICES, id="confirm-choices", markup=False)

    def action_answer(self, end: bool) -> None:
        """Close the question with the user's answer."""
        self.dismiss(end)
