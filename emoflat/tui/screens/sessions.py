"""Your sessions: the list, newest first; a session's whole record; a month's calendar of
days practised with the check-ins drawn as bars. Plain figures only: no trend, no score,
no streak.

The log is read in a thread (:func:`emoflat.log.store.start_reading`), so the screen
shows at once and a long log never freezes the keys; everything shown comes from what
that one read found, drawn by :mod:`emoflat.log.render`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static

from emoflat.checkin import FEEL_HIGH, FEEL_LOW
from emoflat.keys import (
    CHOOSE,
    CLOSE,
    DAYS,
    EVERYWHERE,
    MONTH_BACK,
    MONTH_NEXT,
    MONTHS,
    OPEN_SESSION,
    KeySpec,
    in_order,
)
from emoflat.log.render import (
    EMPTY,
    calendar_days_lines,
    chart_lines,
    chart_sessions,
    month_calendar,
    record_text,
    shift_month,
    warnings_text,
)
from emoflat.tui.screens.base import EmoflatScreen, when_done
from emoflat.tui.screens.text_screen import TextScreen
from emoflat.tui.widgets.session_list import SessionList

if TYPE_CHECKING:
    from concurrent.futures import Future

    from emoflat.log.store import LogRead, Session

HEADING = "Your sessions, newest first"
CHART_HEADING = "How much you could feel, before and after"
CHART_SCALE = f"{FEEL_LOW} · {FEEL_HIGH}"
READING = "Reading your sessions…"
KEYS = "Enter: the whole session · c: calendar and check-ins · Escape: back"
KEYS_EMPTY = "c: calendar · Escape: back"
#: From this width the calendar and the chart stand side by side.
SIDE_BY_SIDE = 76
#: The chart's width beside the calendar (short dates).
CHART_WIDTH = 40


class SessionsScreen(EmoflatScreen):
    """The sessions logged so far. Enter shows one; c the calendar; Escape or q goes back."""

    CSS_PATH = "sessions.tcss"
    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        OPEN_SESSION.binding(),
        DAYS.binding(),
        CLOSE.binding(),
    ]
    LEGEND = (CHOOSE, OPEN_SESSION, DAYS, CLOSE)

    def __init__(self, *, today: date, reading: Future[LogRead] | None = None) -> None:
        """List the log's sessions.

        Args:
            today: The user's local date (the calendar opens on its month).
            reading: A read of the log already started (default: start one).
        """
        super().__init__()
        self.today = today
        self._reading = reading
        self.found: LogRead | None = None
        """What the read of the log found."""
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
        from emoflat.log.store import start_reading

        self.query_one("#history-warnings").display = False
        reading = self._reading if self._reading is not None else start_reading()
        when_done(self, reading, self._read_done)

    def _read_done(self, reading: Future[LogRead]) -> None:
        from emoflat.errors import DataError

        if not self.is_attached or self._left_for_good:
            return
        try:
            log = reading.result()
        except (DataError, OSError) as exc:
            self._failed(str(exc))
        else:
            self.show_log(log)

    def legend_keys(self) -> list[KeySpec]:
        """Open and choose only with sessions listed; the calendar once the log is read."""
        if self.sessions is not None:
            return super().legend_keys()
        shown = (DAYS, CLOSE) if self.found is not None else (CLOSE,)
        return in_order((*shown, *EVERYWHERE))

    def _failed(self, problem: str) -> None:
        self.problem = problem
        self.query_one("#history-status", Static).update(
            f"Your sessions could not be read just now. {problem}"
        )
        self.query_one("#history-keys", Static).update("Escape: back")
        self.refresh_legend()

    def show_log(self, log: LogRead) -> None:
        """Show the sessions the read of the log found."""
        self.found = log
        warnings = warnings_text(log.warnings)
        shown = self.query_one("#history-warnings", Static)
        shown.update(warnings)
        shown.display = bool(warnings)
        status = self.query_one("#history-status", Static)
        keys = self.query_one("#history-keys", Static)
        count = len(log.sessions)
        if not count:
            status.update(EMPTY)
            keys.update(KEYS_EMPTY)
            self.refresh_legend()
            return
        status.update(f"{count:,} {'session' if count == 1 else 'sessions'}")
        keys.update(KEYS)
        sessions = SessionList(log.sessions, id="sessions")
        self.query_one("#history-body").mount(sessions, before=keys)
        self.set_focus(sessions)
        self.refresh_legend()

    @property
    def sessions(self) -> SessionList | None:
        """The list, once the log is read and has sessions."""
        found = self.query(SessionList)
        return found.first() if found else None

    def action_open(self) -> None:
        """Show the whole of the session under the cursor."""
        if self.sessions is not None:
            self.sessions.action_select()

    @on(OptionList.OptionSelected, "#sessions")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if self.sessions is not None:
            self.app.push_screen(SessionRecordScreen(self.sessions.sessions[event.option_index]))

    def action_days(self) -> None:
        """The calendar of days practised and the check-ins chart."""
        if self.found is not None:
            self.app.push_screen(DaysScreen(self.found.sessions, today=self.today))

    def action_close(self) -> None:
        """Back to where the history was opened from: the practices."""
        if self.app.screen_stack[0] is not self:
            self.dismiss()
            return
        # The app opened on it (--history): the practices go on top for good, so the
        # sessions read are let go (l reads them afresh), and a read still going is not
        # wanted.
        self._left_for_good = True
        self.found = None
        self.query(SessionList).remove()
        self.emoflat.show_practices()


class SessionRecordScreen(TextScreen):
    """One session's whole record, as plain text. Escape or q goes back to the list."""

    CSS_PATH = "text_screen.tcss"
    heading = "One session · Escape or q goes back"

    def __init__(self, session: Session) -> None:
        """Show ``session``'s whole record."""
        super().__init__()
        self.session = session

    def text(self) -> str:
        """The record in words."""
        return record_text(self.session)


class DaysScreen(EmoflatScreen):
    """A month's calendar of days practised, and the check-ins as bars with figures."""

    CSS_PATH = "sessions.tcss"
    AUTO_FOCUS = "#days-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [
        MONTH_BACK.binding(),
        MONTH_NEXT.binding(),
        CLOSE.binding(),
    ]
    LEGEND = (MONTHS, CLOSE)

    def __init__(self, sessions: Sequence[Session], *, today: date) -> None:
        """Show the calendar of ``today``'s month and the latest check-ins.

        Args:
            sessions: The sessions logged, newest first.
            today: The user's local date.
        """
        super().__init__()
        self.today = today
        self.month = today.replace(day=1)
        """The first day of the month shown."""
        self._practised = {session.day for session in sessions}
        self._chart = chart_sessions(sessions)

    def compose_body(self) -> ComposeResult:
        """The month, its days, the chart; all of it scrolls."""
        yield Static(
            "Days and check-ins · [ and ] other months · Escape back",
            id="days-heading",
            markup=False,
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
        month = month_calendar(self.month, self._practised, self.emoflat.config.first_weekday)
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
            "\n".join(calendar_days_lines(month, self.today, self._practised))
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
        self.query_one("#chart", Static).update("\n".join(chart_lines(self._chart, width)))

    def calendar_lines(self) -> list[str]:
        """The calendar shown, as plain text."""
        return month_calendar(
            self.month, self._practised, self.emoflat.config.first_weekday
        ).lines()

    def action_month(self, step: int) -> None:
        """Show the month before (-1) or after (1)."""
        self.month = shift_month(self.month, step)
        self._show_month()
        # The new month is seen, even from the chart below it.
        self.query_one("#days-scroll", VerticalScroll).scroll_home(animate=False)

    def action_close(self) -> None:
        """Back to the list."""
        self.dismiss()
