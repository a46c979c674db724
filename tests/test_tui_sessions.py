"""Your sessions: the list (read from the log in a thread), one session's whole record, the
calendar of days practised and the check-ins chart; ``--history``; a long log."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import until
from records import make_record
from tui_helpers import (
    MakeApp,
    after_session,
    drawn,
    log_three_sessions,
    logged,
    open_sessions,
    read_done,
    run_to_the_end,
    start,
    text,
    tick,
)

from emoflat.log.record import encode
from emoflat.log.store import LogRead, Session, read_log
from emoflat.tui.screens.picker import PickerScreen
from emoflat.tui.screens.sessions import DaysScreen, SessionRecordScreen, SessionsScreen
from emoflat.tui.screens.summary import SummaryScreen
from emoflat.tui.widgets.legend import KeyLegend
from emoflat.tui.widgets.session_list import BATCH, SessionList


def session_list(screen: SessionsScreen) -> SessionList:
    sessions = screen.sessions
    assert sessions is not None
    return sessions


async def test_history_lists_sessions_newest_first(make_app: MakeApp) -> None:
    log_three_sessions()
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sessions(pilot)
        assert text(app, "#history-status") == "3 sessions"
        sessions = session_list(screen)
        assert app.screen.focused is sessions
        lines = sessions.plain_lines(width=sessions.size.width)
        assert [line[:16] for line in lines] == [
            "2026-03-04 08:30",
            "2026-03-02 17:45",
            "2026-02-27 09:00",
        ]
        assert "Noticing your hands" in lines[0]
        assert "feel 2 → 4" in lines[0] and lines[0].endswith("note")
        assert "[i]Watching[/i] the breath" in lines[1]
        assert "finished" in lines[1] and "feel" not in lines[1]
        assert "<1 min" in lines[2] and "ended early" in lines[2] and "feel 1 → –" in lines[2]
        assert not any(w in " ".join(lines).lower() for w in ("streak", "improv", "score"))


async def test_titles_that_look_like_markup_are_drawn_literally_in_the_list(
    make_app: MakeApp, clock: Any
) -> None:
    log_three_sessions()
    app = make_app(checkin=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, "[bold]not bold[/]")  # its title is logged as it is
        await tick(pilot, clock, 60.0)
        await after_session(pilot)
        screen = await open_sessions(pilot)
        sessions = session_list(screen)
        shown = [line.strip() for line in drawn(sessions) if line.strip()]
        assert shown == [line.strip() for line in sessions.plain_lines(width=sessions.size.width)]
        assert shown[0].startswith("2026-03-04 10:00  [bold]not bold[/]  ")
        assert shown[2].startswith("2026-03-02 17:45  [i]Watching[/i] the breath  ")


async def test_enter_shows_a_session_s_whole_record_as_plain_text(make_app: MakeApp) -> None:
    log_three_sessions()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_sessions(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionRecordScreen)
        shown = text(app, "#text-body")
        assert "  [bold]not bold[/] and [red]" in shown  # literally, never as markup
        assert "Before: feel 2 of 10 · mixed · numb, foggy" in shown
        assert "After: feel 4 of 10 · pleasant · warm" in shown
        assert "How was that for you? helpful" in shown
        assert "Context: tired day, new medication" in shown
        assert '  answers_extra: "kept"' in shown  # fields emoflat does not know, as stored
        assert "Finished · practised for about 3 minutes" in shown
        assert str(uuid.UUID(int=2, version=4)) in shown
        await pilot.press("escape", "down", "down")
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)
        await pilot.press("up", "end", "home", "pagedown", "pageup", "down")
        await pilot.press("enter")
        await pilot.pause()
        assert "[i]Watching[/i] the breath (hands)" in text(app, "#text-body")
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("q")  # the list closes with q too
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_the_calendar_marks_practised_days_and_moves_by_month(make_app: MakeApp) -> None:
    log_three_sessions()
    app = make_app()
    async with app.run_test(size=(80, 40)) as pilot:
        await open_sessions(pilot)
        await pilot.press("c")
        await pilot.pause()
        days = app.screen
        assert isinstance(days, DaysScreen)
        assert text(app, "#month-title") == "March 2026"
        calendar = days.calendar_lines()
        assert calendar[0].split() == ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
        assert "  2•  3   4•" in calendar[2]  # a mark beside the day, not colour alone
        assert "•" not in calendar[3]
        assert text(app, "#calendar").splitlines() == calendar  # as drawn
        month_days = text(app, "#month-days")
        assert "2 days practised in March 2026" in month_days
        assert "This week: 2 days practised" in month_days
        moves = [
            ("[", "February 2026"),
            ("right", "March 2026"),
            ("left", "February 2026"),
            ("]", "March 2026"),
            ("]", "April 2026"),
        ]
        for key, month in moves:
            await pilot.press(key)
            assert text(app, "#month-title") == month
        await pilot.press("[", "[")
        assert " 27•" in "\n".join(days.calendar_lines())
        assert "1 day practised in February 2026" in text(app, "#month-days")
        assert "This week" not in text(app, "#month-days")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)


async def test_the_chart_shows_before_and_after_figures_apart(make_app: MakeApp) -> None:
    log_three_sessions()
    app = make_app()
    async with app.run_test(size=(80, 40)) as pilot:
        await open_sessions(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.has_class("-wide")
        chart = text(app, "#chart").splitlines()
        assert chart[0].split() == ["before", "after"]
        assert chart[1] == "03-04  ██········  2  ████······  4"
        assert chart[2] == "02-27  █·········  1              –"
        assert len(chart) == 3  # a session without a check-in is left out
        assert "0 = nothing, completely flat" in text(app, "#chart-scale")


async def test_the_chart_fits_40_columns(make_app: MakeApp) -> None:
    log_three_sessions()
    app = make_app()
    async with app.run_test(size=(40, 15)) as pilot:
        await open_sessions(pilot)
        await pilot.press("c")
        await pilot.pause()
        chart = text(app, "#chart").splitlines()
        assert chart[1] == "03-04  ██········  2  ████······  4"
        assert all(len(line) <= 36 for line in chart)


async def test_the_chart_under_the_calendar_gives_the_time_when_there_is_room(
    make_app: MakeApp,
) -> None:
    log_three_sessions()
    app = make_app()
    async with app.run_test(size=(70, 30)) as pilot:
        await open_sessions(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert not app.screen.has_class("-wide")
        chart = text(app, "#chart").splitlines()
        assert chart[1] == "2026-03-04 08:30  ██········  2  ████······  4"


async def test_the_history_of_an_empty_log_says_so_calmly(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await open_sessions(pilot)
        assert text(app, "#history-status") == (
            "No sessions yet. When you finish or end a practice, it is listed here."
        )
        assert not app.screen.query(SessionList)
        legend = [word for _, word in app.screen.query_one(KeyLegend).pairs()]
        assert "open" not in legend and "choose" not in legend  # nothing to open or choose
        assert "calendar" in legend and "back" in legend
        await pilot.press("enter")  # nothing to open: nothing happens
        await pilot.press("c")
        await pilot.pause()
        assert "No check-ins with a figure yet." in text(app, "#chart")
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_unreadable_lines_are_named_calmly_in_one_line(make_app: MakeApp) -> None:
    from emoflat import paths

    log_three_sessions()
    with open(paths.sessions_dir() / "sessions-newer.jsonl", "a", encoding="utf-8") as file:
        file.write("{not json\n")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_sessions(pilot)
        warning = text(app, "#history-warnings")
        assert warning.startswith("1 line of the log was not readable and left out")
        assert app.screen.query_one("#history-warnings").display
        assert text(app, "#history-status") == "3 sessions"


async def test_a_log_folder_that_cannot_be_read_is_said_calmly(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("EMOFLAT_DATA_DIR", str(blocker))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sessions(pilot)
        assert screen.problem is not None
        assert text(app, "#history-status").startswith("Your sessions could not be read just now.")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_history_from_the_summary_shows_the_session_just_logged(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("2", "enter", "s")
        await run_to_the_end(pilot, clock)
        await pilot.press("5", "enter", "s", "s", "s")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        screen = await open_sessions(pilot)
        [line] = session_list(screen).plain_lines()
        assert line.startswith("2026-03-04 10:00  Two short steps")
        assert "feel 2 → 5" in line
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)


async def test_opened_with_history_it_starts_on_the_sessions_and_escape_shows_practices(
    make_app: MakeApp, clock: Any
) -> None:
    log_three_sessions()
    app = make_app(history=True, checkin=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        assert app.screen_stack == [screen]  # drawn first: no picker under it yet
        await read_done(pilot, screen)
        assert text(app, "#history-status") == "3 sessions"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert screen.found is None  # the sessions read are let go
        # From here on everything is as if the app had opened on the practices.
        await pilot.press("l")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, SessionsScreen) and again is not screen
        await read_done(pilot, again)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await start(pilot, "Two short steps")
        await run_to_the_end(pilot, clock)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen_stack[-2] is app._picker
        assert len(logged()) == 4


async def test_a_read_that_ends_after_the_history_it_opened_on_was_left_is_let_go(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from emoflat.log import store

    log_three_sessions()
    pending: Future[LogRead] = Future()
    monkeypatch.setattr(store, "start_reading", lambda directory=None: pending)
    app = make_app(history=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        bottom = app.screen
        assert isinstance(bottom, SessionsScreen)
        await pilot.press("escape")  # before the log is read
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        reader = threading.Thread(target=pending.set_result, args=(read_log(),))
        reader.start()  # as the reading thread does
        await until(pilot, lambda: not reader.is_alive())
        reader.join()
        assert bottom.found is None
        assert not bottom.query(SessionList)
        assert isinstance(app.screen, PickerScreen)


class ReadAsItIsWatched(Future[LogRead]):
    """A read of the log that ends just as the screen asks to hear of its end (after
    the screen has looked whether it was done)."""

    def add_done_callback(self, fn: Callable[[Future[LogRead]], object]) -> None:
        if not self.done():
            self.set_result(read_log())
        super().add_done_callback(fn)


async def test_a_read_that_ends_as_the_screen_opens_is_shown(make_app: MakeApp) -> None:
    log_three_sessions()
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = SessionsScreen(today=date(2026, 3, 4), reading=ReadAsItIsWatched())
        await app.push_screen(screen)
        await until(pilot, lambda: screen.found is not None, timeout=1.0)
        assert text(app, "#history-status") == "3 sessions"


async def test_the_session_list_narrow_and_by_mouse(make_app: MakeApp) -> None:
    log_three_sessions()
    app = make_app()
    async with app.run_test(size=(40, 15)) as pilot:
        screen = await open_sessions(pilot)
        sessions = session_list(screen)
        shown = drawn(sessions)
        assert shown[0].strip() == "2026-03-04 08:30  3 min  finished"
        assert shown[1].strip().startswith("Noticing your h")  # cut to fit; Enter shows it all
        assert shown[1].endswith("…  feel 2 → 4  note")
        assert shown[2].strip().startswith("2026-03-02 17:45")  # two lines a session
        await pilot.click(SessionList, offset=(2, 3))  # one click on the second opens it
        await pilot.pause()
        assert isinstance(app.screen, SessionRecordScreen)
        assert app.screen.session.record.title == "[i]Watching[/i] the breath"


def many_sessions(count: int) -> LogRead:
    """``count`` sessions a minute apart, newest first, as a read of the log gives them."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    sessions = []
    for n in range(count):
        when = start + timedelta(minutes=n)
        record = make_record(
            when.isoformat(),
            id=str(uuid.UUID(int=n + 100, version=4)),
            before={"feel": n % 11, "tone": None, "words": []},
            after=None,
            answers=[],
            note=None,
        )
        sessions.append(Session(when.timestamp(), when.toordinal(), record, encode(record)))
    return LogRead(sessions[::-1], [])


async def test_a_long_log_is_listed_a_batch_at_a_time(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        reading: Future[LogRead] = Future()
        reading.set_result(many_sessions(5000))
        screen = SessionsScreen(today=date(2026, 3, 4), reading=reading)
        await app.push_screen(screen)
        await pilot.pause()
        assert text(app, "#history-status") == "5,000 sessions"
        sessions = session_list(screen)
        assert sessions.option_count == BATCH  # not all 5,000 at once
        assert drawn(sessions)[0].strip().startswith("2025-01-04 11:19")  # the newest
        sessions.highlighted = BATCH - 10  # near the end of what is listed: the next batch
        await pilot.pause()
        assert sessions.option_count == 2 * BATCH
        await pilot.press("end")
        await pilot.pause()
        assert sessions.option_count == 5000
        assert sessions.highlighted == 4999
        assert sessions.highlighted_session is not None
        assert sessions.highlighted_session.record.started == "2025-01-01T00:00:00+00:00"
        assert drawn(sessions)[-1].strip().startswith("2025-01-01 00:00")


async def test_a_new_month_is_shown_even_from_the_chart_below_it(make_app: MakeApp) -> None:
    log_three_sessions()
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await open_sessions(pilot)
        await pilot.press("c")
        await pilot.pause()
        scroll = app.screen.query_one("#days-scroll")
        await pilot.press("end")  # down to the chart
        await pilot.pause()
        assert scroll.scroll_y > 0
        await pilot.press("[")
        await pilot.pause()
        assert scroll.scroll_y == 0
        assert text(app, "#month-title") == "February 2026"
