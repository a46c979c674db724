"""The summary after a session: how long, how many days this week, and plain words.

No scores and no streaks. Enter goes back to the practices; q quits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Static

from emoflat.tui.keymap import AGAIN, SUMMARY_HISTORY, SUMMARY_QUIT
from emoflat.tui.messages import BackToPicker
from emoflat.tui.screens.base import EmoflatScreen
from emoflat.tui.wording import days_text, practised_text

FINE = "Whatever you noticed, or didn't, is fine. Feeling nothing is a fine outcome too."
NEXT_STEP = "Press Enter to choose another practice, l to see your sessions, or q to quit."


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """What the summary shows about the session that ended."""

    title: str
    completed: bool
    practiced_seconds: float
    days_this_week: int | None
    """``None`` when the log could not be read."""
    problem: str | None = None
    """A log write or read problem, in one or a few plain lines."""


class SummaryScreen(EmoflatScreen):
    """The end of a session."""

    CSS_PATH = "summary.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        AGAIN.binding(),
        SUMMARY_HISTORY.binding(),
        SUMMARY_QUIT.binding(),
    ]

    def __init__(self, summary: SessionSummary) -> None:
        """Show the summary of a session.

        Args:
            summary: The session that ended.
        """
        super().__init__()
        self.summary = summary

    def lines(self) -> list[str]:
        """The summary's sentences, plain text."""
        s = self.summary
        ended = (
            f"You reached the end of “{s.title}”."
            if s.completed
            else f"You ended “{s.title}” early. What you did is kept."
        )
        lines = [ended, f"You practised for {practised_text(s.practiced_seconds)}."]
        if s.days_this_week is not None:
            lines.append(days_text(s.days_this_week))
        lines.append(FINE)
        return lines

    def compose_body(self) -> ComposeResult:
        """The sentences, any log problem, and what the keys do next."""
        with Vertical(id="summary-body"):
            for index, line in enumerate(self.lines()):
                yield Static(line, classes="summary-line", id=f"summary-{index}", markup=False)
            if self.summary.problem:
                yield Static(self.summary.problem, id="summary-problem", markup=False)
            yield Static(NEXT_STEP, id="summary-next", markup=False)

    def action_again(self) -> None:
        """Back to the practices."""
        self.post_message(BackToPicker())
