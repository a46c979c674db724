"""The summary after a session: how long, the days practised this week (read from the log
in a thread), no streaks; Enter, l and q; a log that could not be written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import until
from tui_helpers import (
    MakeApp,
    after_session,
    log_session,
    logged,
    run_to_the_end,
    start,
    text,
    tick,
)

from emoflat.checkin import EARLY_END_GROUNDING
from emoflat.tui.screens.help import HelpScreen
from emoflat.tui.screens.picker import PickerScreen
from emoflat.tui.screens.summary import SummaryScreen


def summary(app: Any) -> SummaryScreen:
    assert isinstance(app.screen, SummaryScreen)
    return app.screen


async def test_the_summary_says_minutes_and_days_this_week_without_streaks(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(checkin=False, practice_id="markup-text")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await tick(pilot, clock, 60.0)
        await after_session(pilot)
        screen = summary(app)
        await until(pilot, lambda: screen.days_line)
        lines = screen.lines()
        assert lines[0] == "You reached the end of “[bold]not bold[/]”."
        assert lines[1] == "You practised for about 1 minute."
        assert lines[2] == "This week you have practised on 1 day."
        assert text(app, "#summary-2") == lines[2]
        assert "Feeling nothing is a fine outcome too." in lines[3]
        assert not any("streak" in line.lower() for line in lines)
        assert EARLY_END_GROUNDING not in lines  # the practice ended with its own


async def test_a_session_ended_early_ends_with_a_grounding_line(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await pilot.press("q", "y")
        await pilot.pause()
        lines = summary(app).lines()
        assert lines[0] == "You ended “All kinds of steps” early. What you did is kept."
        assert lines[-1] == EARLY_END_GROUNDING
        assert text(app, f"#summary-{len(lines) - 1}") == EARLY_END_GROUNDING


async def test_the_days_this_week_count_days_not_sessions_and_only_this_week(
    make_app: MakeApp, clock: Any
) -> None:
    # The fixed wall clock is Wednesday 2026-03-04: the week began on Monday the 2nd.
    log_session(1, "2026-03-02T09:00:00+01:00")
    log_session(2, "2026-03-02T18:00:00+01:00")  # the same day again
    log_session(3, "2026-03-01T09:00:00+01:00")  # Sunday: the week before
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await run_to_the_end(pilot, clock)
        await after_session(pilot)
        screen = summary(app)
        await until(pilot, lambda: screen.days_line)
        assert screen.days_line == "This week you have practised on 2 days."


async def test_the_days_are_counted_when_the_log_was_read_before_the_summary_asked(
    make_app: MakeApp, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import Future

    from emoflat.log import store

    def read_at_once(directory: Path | None = None) -> Future[store.LogRead]:
        # A small log can be read before the summary has asked to hear of it.
        done: Future[store.LogRead] = Future()
        done.set_result(store.read_log(directory))
        return done

    monkeypatch.setattr(store, "start_reading", read_at_once)
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await run_to_the_end(pilot, clock)
        await after_session(pilot)
        screen = summary(app)
        await until(pilot, lambda: screen.days_line, timeout=1.0)
        assert screen.days_line == "This week you have practised on 1 day."


async def test_enter_on_the_summary_goes_back_to_the_picker(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await run_to_the_end(pilot, clock)
        await after_session(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await start(pilot, "Two short steps")  # and a second session can start
        await run_to_the_end(pilot, clock)
        await after_session(pilot)
        assert len(logged()) == 2


async def test_q_on_the_summary_quits(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await run_to_the_end(pilot, clock)
        await after_session(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert len(logged()) == 1


async def test_a_failed_log_write_is_shown_and_the_record_kept(
    make_app: MakeApp, clock: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("EMOFLAT_DATA_DIR", str(blocker))
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await run_to_the_end(pilot, clock)
        await after_session(pilot)
        problem = text(app, "#summary-problem")
        assert "could not be saved to the log" in problem
        [error] = app.log_errors
        assert error.fallback is not None and error.fallback.exists()
        assert summary(app).lines()[0] == "You reached the end of “Two short steps”."
