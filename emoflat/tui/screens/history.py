"""Your sessions: the list, newest first; a session's whole record; a month's calendar of
days practised with the check-ins drawn as bars. Plain figures only: no trend, no score,
no streak.

The log is read through its index (:func:`emoflat.sessionlog.read_index`, the same
private cache ``emoflat history`` uses) in a thread, so the screen shows at once and a
long log never freezes the keys. Only the lines on screen are made; a session's whole
record is read when it is opened.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from emoflat.tui.history_view import (
    CHART_HEADING,
    CHART_SCALE,
    EMPTY,
    chart_lines,
    chart_rows,
    days_text,
    month_calendar,
    record_text,
    shift_month,
    warnings_text,
)
from emoflat.tui.keymap import CLOSE, DAYS, MONTH_BACK, MONTH_NEXT, OPEN_SESSION
from emoflat.tui.screens.base import EmoflatScreen
from emoflat.tui.screens.text_screen import TextScreen
from emoflat.tui.widgets.session_list import SessionList

if TYPE_CHECKING:
    from concurrent.futures import Future

    from emoflat.logindex import LogIndex

HEADING = "Your sessions, newest first"
READING = "Reading your sessions…"
KEYS = "Enter: the whole session · c: calendar and check-ins · Escape: back"
KEYS_EMPTY = "c: calendar · Escape: back"
#: From this width the calendar and the chart stand side by side.
SIDE_BY_SIDE = 76
#: The chart's width beside the calendar (short dates).
CHART_WIDTH = 40


class HistoryScreen(EmoflatScreen):
    """The sessions logged so far. Enter shows one; c the calendar; Escape or q goes back."""

    CSS_PATH = "history.tcss"
    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        OPEN_SESSION.binding(),
        DAYS.binding(),
        CLOSE.binding(),
    ]

    def __init__(self, *, today: date, reading: Future[LogIndex] | None = None) -> None:
        """List the log's sessions.

        Args:
            today: The user's local date (the calendar opens on its month).
            reading: A read of the log's index already started (default: start one).
        """
        super().__init__()
        self.today = today
        self._reading = reading
        self.index: LogIndex | None = None
        """The log's index, once read."""
        self.problem: str | None = None
        """Why the log could not be read, if it could not."""
        self._left_for_good = False  # the bottom screen under the practices, for good

    def compose_body(self) -> ComposeResult:
        """The heading, a line while reading, the list once read, and the keys."""
        with Vertical(id="history-body"):
            yield Static(HEADING, id="history-heading", markup=False)
            yield Static("", id="history-warnings", markup=False)
            yield Static(READING, id="history-status", markup=False)
            yield Static("", id="history-keys", markup=False)

    def on_mount(self) -> None:
        """Read the log in a thread (unless a read has started); show it when read."""
        from emoflat.tui.log_reader import start_reading

        self.query_one("#history-warnings").display = False
        reading = self._reading if self._reading is not None else start_reading()
        if reading.done():
            self._read_done(reading)
        else:
            reading.add_done_callback(lambda done: self.app.call_from_thread(self._read_done, done))

    def _read_done(self, reading: Future[LogIndex]) -> None:
        from emoflat.errors import DataError

        if not self.is_attached or self._left_for_good:
            return
        try:
            index = reading.result()
        except (DataError, OSError) as exc:
            self._failed(str(exc))
        else:
            self.show_index(index)

    def _failed(self, problem: str) -> None:
        self.problem = problem
        self.query_one("#history-status", Static).update(
            f"Your sessions could not be read just now. {problem}"
        )
        self.query_one("#history-keys", Static).update("Escape: back")

    def show_index(self, index: LogIndex) -> None:
        """Show the sessions of ``index`` (read from the log)."""
        self.index = index
        warnings = warnings_text(index.warnings)
        shown = self.query_one("#history-warnings", Static)
        shown.update(warnings)
        shown.display = bool(warnings)
        status = self.query_one("#history-status", Static)
        keys = self.query_one("#history-keys", Static)
        if not len(index):
            status.update(EMPTY)
            keys.update(KEYS_EMPTY)
            return
        count = len(index)
        status.update(f"{count:,} {'session' if count == 1 else 'sessions'}")
        keys.update(KEYS)
        sessions = SessionList(index, id="sessions")
        self.query_one("#history-body").mount(sessions, before=keys)
        sessions.focus()

    @property
    def sessions(self) -> SessionList | None:
        """The list, once the log is read and has sessions."""
        found = self.query(SessionList)
        return found.first() if found else None

    def action_open(self) -> None:
        """Show the whole of the session under the cursor."""
        sessions = self.sessions
        if sessions is not None:
            sessions.action_select()

    @on(SessionList.Selected)
    def _selected(self, event: SessionList.Selected) -> None:
        from emoflat.errors import DataError
        from emoflat.tui.log_reader import record_of

        if self.index is None:
            return
        try:
            record = record_of(self.index, event.row)
        except (DataError, OSError, KeyError, ValueError):
            self.query_one("#history-status", Static).update(
                "That session could not be read just now; the log may have changed. "
                "Escape and l again read it afresh."
            )
            return
        self.app.push_screen(SessionRecordScreen(record))

    def action_days(self) -> None:
        """The calendar of days practised and the check-ins chart."""
        if self.index is not None:
            self.app.push_screen(DaysScreen(self.index, today=self.today))

    def action_close(self) -> None:
        """Back to where the history was opened from: the practices."""
        if self.app.screen_stack[0] is not self:
            self.dismiss()
            return
        # The app opened on it (--history): the practices go on top for good, so the
        # sessions read are let go (l reads them afresh), and a read still going is not
        # wanted.
        self._left_for_good = True
        self.index = None
        self.query(SessionList).remove()
        self.emoflat.show_practices()


class SessionRecordScreen(TextScreen):
    """One session's whole record, as plain text. Escape or q goes back to the list."""

    CSS_PATH = "text_screen.tcss"
    heading = "One session · Escape or q goes back"

    def __init__(self, record: dict[str, object]) -> None:
        """Show ``record``.

        Args:
            record: The session's record, as stored.
        """
        super().__init__()
        self.record = record

    def text(self) -> str:
        """The record in words."""
        return record_text(self.record)


class DaysScreen(EmoflatScreen):
    """A month's calendar of days practised, and the check-ins as bars with figures."""

    CSS_PATH = "history.tcss"
    AUTO_FOCUS = "#days-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [
        MONTH_BACK.binding(),
        MONTH_NEXT.binding(),
        CLOSE.binding(),
    ]

    def __init__(self, index: LogIndex, *, today: date) -> None:
        """Show the calendar of ``today``'s month and the latest check-ins.

        Args:
            index: The log's index.
            today: The user's local date.
        """
        super().__init__()
        self.index = index
        self.today = today
        self.month = today.replace(day=1)
        """The first day of the month shown."""
        self._practised = set(index.day[row] for row in index.rows)
        self._chart = chart_rows(index)

    def compose_body(self) -> ComposeResult:
        """The month, its days, the chart; all of it scrolls."""
        yield Static(
            "Days and check-ins · [ ] other months · Escape back", id="days-heading", markup=False
        )
        with (
            VerticalScroll(id="days-scroll", can_focus=True),
            Horizontal(id="days-columns"),
        ):
            with Vertical(id="month-column"):
                yield Static("", id="month-title", markup=False)
                yield Static("", id="calendar", markup=False)
                yield Static("", id="month-days", markup=False)
            with Vertical(id="chart-column"):
                yield Static(CHART_HEADING, id="chart-heading", markup=False)
                yield Static(CHART_SCALE, id="chart-scale", markup=False)
                yield Static("", id="chart", markup=False)

    def on_mount(self) -> None:
        """Draw the month and the chart."""
        self._show_month()
        self._show_chart()

    @on(events.Resize)
    def _resized(self) -> None:
        """The chart fits the width."""
        self._show_chart()

    def _show_month(self) -> None:
        month = month_calendar(self.month, self._practised)
        self.query_one("#month-title", Static).update(month.title)
        rows = [Content(month.header())]
        for week in month.weeks:
            parts: list[str | tuple[str, str]] = []
            for day in week:
                cell = month.cell(day)
                parts.append((cell, "bold") if day is not None and day[1] else cell)
            rows.append(Content.assemble(*parts).rstrip())
        self.query_one("#calendar", Static).update(Content("\n").join(rows))
        self.query_one("#month-days", Static).update(
            "\n".join(days_text(month, self.today, self._practised))
        )

    def _show_chart(self) -> None:
        # Side by side when both fit; else the chart goes under the calendar.
        side_by_side = self.size.width >= SIDE_BY_SIDE
        self.set_class(side_by_side, "-wide")
        width = CHART_WIDTH if side_by_side else max(self.size.width - 4, 20)
        count = len(self._chart)
        if count:
            noun = "session" if count == 1 else "sessions"
            scale = f"{CHART_SCALE}\nThe last {count} {noun} with a check-in, newest first:"
        else:
            scale = CHART_SCALE
        self.query_one("#chart-scale", Static).update(scale)
        self.query_one("#chart", Static).update(
            "\n".join(chart_lines(self.index, self._chart, width))
        )

    def calendar_lines(self) -> list[str]:
        """The calendar shown, as plain text."""
        return month_calendar(self.month, self._practised).lines()

    def action_month(self, step: int) -> None:
        """Show the month before (-1) or after (1)."""
        self.month = shift_month(self.month, step)
        self._show_month()

    def action_close(self) -> None:
        """Back to the list."""
        self.dismiss()
