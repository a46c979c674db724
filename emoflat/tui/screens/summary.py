"""The summary after a session: how long, how many days this week, and plain words.

No scores and no streaks. The days this week come from a read of the log in a thread, so
the summary shows at once. Enter goes back to the practices; q quits.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Static

from emoflat.checkin import EARLY_END_GROUNDING
from emoflat.keys import PRACTICES, SUMMARY_HISTORY, SUMMARY_QUIT
from emoflat.log.durations import days_text, duration_text
from emoflat.log.figures import days_between, week_of
from emoflat.text import printable
from emoflat.tui.messages import BackToPicker
from emoflat.tui.screens.base import EmoflatScreen, when_done

if TYPE_CHECKING:
    from emoflat.log.store import LogRead

FINE = "Whatever you noticed, or didn't, is fine. Feeling nothing is a fine outcome too."
NEXT_STEP = "Press Enter to choose another practice, l to see your sessions, or q to quit."


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """What the summary shows about the session that ended."""

    title: str
    completed: bool
    practiced_seconds: float
    day: str | None
    """The session's date, ``YYYY-MM-DD`` (counted even when its record was not logged)."""
    problem: str | None = None
    """A log write problem, in one or a few plain lines."""


class SummaryScreen(EmoflatScreen):
    """The end of a session."""

    CSS_PATH = "summary.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        PRACTICES.binding(),
        SUMMARY_HISTORY.binding(),
        SUMMARY_QUIT.binding(),
    ]
    LEGEND = (PRACTICES, SUMMARY_HISTORY, SUMMARY_QUIT)

    def __init__(self, summary: SessionSummary) -> None:
        """Show the summary of a session.

        Args:
            summary: The session that ended.
        """
        super().__init__()
        self.summary = summary
        self.days_line = ""
        """Days practised this week, in words, once the log is read ("" until then)."""

    def lines(self) -> list[str]:
        """The summary's sentences, plain text (the days this week once the log is read)."""
        s = self.summary
        ended = (
            f"You reached the end of “{s.title}”."
            if s.completed
            else f"You ended “{s.title}” early. What you did is kept."
        )
        lines = [ended, f"You practised for {duration_text(s.practiced_seconds)}."]
        grounding = [] if s.completed else [EARLY_END_GROUNDING]
        return [*lines, self.days_line, FINE, *grounding]

    def compose_body(self) -> ComposeResult:
        """The sentences, any log problem, and what the keys do next."""
        with Vertical(id="summary-body"):
            for index, line in enumerate(self.lines()):
                yield Static(line, classes="summary-line", id=f"summary-{index}", markup=False)
            if self.summary.problem:
                yield Static(printable(self.summary.problem), id="summary-problem", markup=False)
            yield Static(NEXT_STEP, id="summary-next", markup=False)

    def on_mount(self) -> None:
        """Count the days practised this week, from a read of the log in a thread."""
        from emoflat.log.store import start_reading

        when_done(self, start_reading(), self._count_days)

    def _count_days(self, reading: Future[LogRead]) -> None:
        if not self.is_attached or reading.exception() is not None:
            return  # the log could not be read: the history says why
        days = {session.day for session in reading.result().sessions}
        if self.summary.day is not None:
            days.add(date.fromisoformat(self.summary.day).toordinal())
        first = self.emoflat.config.first_weekday
        self.days_line = days_text(days_between(days, *week_of(self.emoflat.today(), first)))
        self.query_one("#summary-2", Static).update(self.days_line)

    def action_again(self) -> None:
        """Back to the practices."""
        self.post_message(BackToPicker())
