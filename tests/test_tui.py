"""The TUI, driven with Textual's pilot: every key on every screen, the log, plain text.

Time comes from a fake clock; a test moves it and calls the session screen's tick, then
lets the app settle with ``pilot.pause()``. Nothing sleeps.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input

from emoflat.engine import ChimeEvent
from emoflat.sessionlog import read_records
from emoflat.tui.app import EmoflatApp
from emoflat.tui.screens.checkin import CheckInScreen
from emoflat.tui.screens.confirm_end import ConfirmEndScreen
from emoflat.tui.screens.help import HelpScreen
from emoflat.tui.screens.keys import KeysScreen
from emoflat.tui.screens.picker import PickerScreen
from emoflat.tui.screens.session import PAUSED, READY, SessionScreen
from emoflat.tui.screens.summary import SummaryScreen
from emoflat.tui.widgets.answer import AnswerBox
from emoflat.tui.widgets.breath import BreathDrift
from emoflat.tui.widgets.legend import KeyLegend
from emoflat.tui.widgets.practice_list import PracticeList

MakeApp = Callable[..., EmoflatApp]

# In the fixture library, sorted by title.
TITLES = [
    "[bold]not bold[/]",
    "A timed question",
    "All kinds of steps",
    "Two short steps",
    "Waits for you",
]


def text(app: EmoflatApp, selector: str) -> str:
    """What a widget of the current screen shows, as plain text."""
    rendered = app.screen.query_one(selector).render()
    return rendered.plain if isinstance(rendered, Content) else str(rendered)


def session_screen(app: EmoflatApp) -> SessionScreen:
    [screen] = [s for s in app.screen_stack if isinstance(s, SessionScreen)]
    return screen


async def tick(pilot: Pilot[Any], clock: Any, seconds: float = 0.0) -> None:
    """Move the fake clock on, let the session screen look at it, let the app settle."""
    clock.advance(seconds)
    session_screen(pilot.app).tick()  # type: ignore[arg-type]
    await pilot.pause()


def step_index(app: EmoflatApp) -> int:
    assert app.recorder is not None
    return app.recorder.session.state().step_index


def logged() -> list[dict[str, Any]]:
    found = read_records()
    assert found.warnings == []
    return found.records


async def after_session(pilot: Pilot[Any]) -> None:
    """After a session: the summary at once when the check-ins are off; else q on the
    questions after it keeps what was given and finishes."""
    await pilot.pause()
    if isinstance(pilot.app.screen, CheckInScreen):
        assert pilot.app.screen.phase == "after"
        await pilot.press("q")
        await pilot.pause()
    assert isinstance(pilot.app.screen, SummaryScreen)


async def start(pilot: Pilot[Any], title: str) -> None:
    """From the picker, start the practice with this title at its own length."""
    await pilot.pause()
    for _ in range(TITLES.index(title)):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SessionScreen)


# The picker ------------------------------------------------------------------------------


async def test_picker_lists_every_practice_with_summary_length_and_tags(
    make_app: MakeApp,
) -> None:
    app = make_app(checkin=False)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        practices = app.screen.query_one(PracticeList)
        assert [e.title for e in practices.entries] == TITLES
        lines = practices.plain_lines()
        start = lines.index("All kinds of steps")
        assert lines[start + 1] == "A say, a breath, a prompt to answer, a pick and a pause."
        assert lines[start + 2] == "about 2 min, and some steps wait for you · test, breath"
        assert lines[lines.index("Waits for you") + 2] == "waits for you at each step"


async def test_typing_filters_the_practices(make_app: MakeApp) -> None:
    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"writing")  # by tag
        practices = app.screen.query_one(PracticeList)
        assert app.screen.query_one("#search", Input).value == "writing"
        assert [e.id for e in practices.entries] == ["timed-prompt"]
        await pilot.press("escape")
        assert app.screen.focused is practices
        await pilot.press("slash", "ctrl+u", *"two")  # back in the box; by title
        await pilot.pause()
        assert [e.id for e in practices.entries] == ["short"]
        await pilot.press(*" zzz")
        await pilot.pause()
        assert not practices.display
        assert app.screen.query_one("#no-match").display


async def test_enter_in_the_search_box_starts_the_first_match(make_app: MakeApp) -> None:
    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"waits", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.recorder.session.practice.id == "waits"


async def test_arrows_move_and_enter_starts_the_highlighted_practice(make_app: MakeApp) -> None:
    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "down", "up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.recorder.session.practice.id == "all-kinds"
        assert text(app, "#instruction") == "Settle in, if it feels okay."


async def test_left_and_right_choose_the_length(make_app: MakeApp) -> None:
    app = make_app(checkin=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")  # all-kinds: 2 min of its own
        assert text(app, "#length") == "Length: about 2 min (its own) · ←/→ other lengths"
        await pilot.press("right")
        assert text(app, "#length").startswith("Length: about 3 min")
        await pilot.press("right", "right", "right")  # stops at the longest
        assert text(app, "#length").startswith("Length: about 5 min")
        await pilot.press("left", "left", "left", "left")
        assert text(app, "#length").startswith("Length: about 1 min")
        await pilot.press("right", "right")  # back to its own, then 3
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.recorder.session.planned_seconds == pytest.approx(180)


async def test_a_practice_that_cannot_scale_offers_only_its_own_length(
    make_app: MakeApp,
) -> None:
    app = make_app(checkin=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(TITLES.index("Waits for you")):
            await pilot.press("down")
        assert text(app, "#length") == "Length: waits for you (its own)"
        await pilot.press("right")
        assert text(app, "#length") == "Length: waits for you (its own)"


async def test_minutes_from_the_command_line_are_chosen_first(make_app: MakeApp) -> None:
    app = make_app(minutes=4.0)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert text(app, "#length").startswith("Length: about 4 min")


async def test_practice_id_starts_at_once(make_app: MakeApp) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert text(app, "#instruction") == "First step."
        assert "Step 1 of 2" in text(app, "#step-line")


async def test_a_practice_file_broken_since_listing_is_named_calmly(
    make_app: MakeApp, practice_dir: Path
) -> None:
    (practice_dir / "short.yaml").write_text("format: 1\ntitle: [unclosed\n", encoding="utf-8")
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        problem = text(app, "#picker-problem")
        assert problem.startswith("This practice could not be opened, so nothing was started.")
        assert "short.yaml:" in problem
        assert app.recorder is None
        await pilot.press("up", "enter")  # another practice still starts
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


async def test_h_opens_help_from_the_picker_and_escape_or_h_closes_it(
    make_app: MakeApp,
) -> None:
    from emoflat.helptext import help_text

    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert text(app, "#text-body") == help_text().rstrip("\n")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_question_mark_lists_every_key(make_app: MakeApp) -> None:
    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        keys = text(app, "#text-body")
        for described in ("pause or go on", "next step", "back a step", "mute", "help"):
            assert described in keys
        await pilot.press("h")  # from the keys straight to help
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_q_in_the_picker_quits_and_logs_nothing(make_app: MakeApp) -> None:
    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert logged() == []


async def test_ctrl_c_in_the_picker_quits_with_130(make_app: MakeApp) -> None:
    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 130


# The session -------------------------------------------------------------------------------


async def test_steps_move_on_with_the_clock_and_time_left_is_calm(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert text(app, "#step-line") == "Step 1 of 6 · about 3 min left"
        await tick(pilot, clock, 19.0)
        assert step_index(app) == 0
        await tick(pilot, clock, 1.0)
        assert text(app, "#step-line") == "Step 2 of 6 · about 2 min left"
        assert text(app, "#instruction").startswith("Notice the air coming in")
        await tick(pilot, clock, 60.0)  # the prompt waits for the user
        assert step_index(app) == 2
        await tick(pilot, clock, 600.0)
        assert step_index(app) == 2
        assert text(app, "#step-line") == "Step 3 of 6 · about 50 seconds left"


async def test_seconds_show_only_in_the_last_minute_and_change_rarely(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(checkin=False, practice_id="markup-text")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert text(app, "#step-line") == "Step 1 of 2 · about 1 min left"
        await tick(pilot, clock, 11.0)  # 49 s left
        assert text(app, "#step-line") == "Step 1 of 2 · about 50 seconds left"
        await tick(pilot, clock, 3.0)  # 46 s left
        assert text(app, "#step-line") == "Step 1 of 2 · about 50 seconds left"
        await tick(pilot, clock, 41.0)  # 5 s left
        assert text(app, "#step-line") == "Step 2 of 2 · a few seconds left"


async def test_space_pauses_and_resumes_and_the_pause_is_shown_in_words(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("space")
        assert text(app, "#paused") == PAUSED
        assert app.screen.query_one("#paused").display
        await tick(pilot, clock, 100.0)
        assert step_index(app) == 0
        await pilot.press("space")
        assert not app.screen.query_one("#paused").display
        await tick(pilot, clock, 2.0)
        assert step_index(app) == 1


async def test_enter_continues_an_untimed_step_which_says_so(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False, practice_id="waits")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert text(app, "#ready-hint") == READY
        assert app.screen.query_one("#ready-hint").display
        await tick(pilot, clock, 3600.0)
        assert step_index(app) == 0
        await pilot.press("enter")
        assert step_index(app) == 1
        assert text(app, "#instruction") == "Name one thing you can see."


async def test_right_and_n_go_to_the_next_step(make_app: MakeApp) -> None:
    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("right")
        assert step_index(app) == 1
        await pilot.press("n")
        assert step_index(app) == 2


async def test_left_and_b_go_back(make_app: MakeApp) -> None:
    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        await pilot.press("escape")  # out of the answer box
        await pilot.press("left")
        assert step_index(app) == 1
        await pilot.press("b")
        assert step_index(app) == 0
        await pilot.press("b")  # the first step starts again
        assert step_index(app) == 0


async def test_chimes_ring_through_the_callback_and_m_mutes_them(
    make_app: MakeApp, clock: Any
) -> None:
    rung: list[ChimeEvent] = []
    mutes: list[bool] = []
    app = make_app(
        checkin=False, practice_id="all-kinds", on_chime=rung.append, on_mute=mutes.append
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert [e.reason for e in rung] == ["start"]
        await pilot.press("m")
        assert app.muted
        assert mutes == [True], "the audio side hears of it, to stop a chime still ringing"
        assert text(app, "#step-line").endswith("· muted")
        assert "m unmute (muted)" in text(app, "#legend")
        await pilot.press("q", "y")
        await pilot.pause()
        assert [e.reason for e in rung] == ["start"]  # the end chime stayed silent
        assert "m unmute (muted)" in text(app, "#legend")  # the same legend everywhere
        await pilot.press("m")
        assert not app.muted
        assert mutes == [True, False]


async def test_no_sound_never_calls_the_chime(make_app: MakeApp) -> None:
    rung: list[ChimeEvent] = []
    app = make_app(checkin=False, practice_id="all-kinds", sound=False, on_chime=rung.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.press("n")
        assert rung == []
        assert "sound off" in text(app, "#step-line")
        assert "m sound off" in text(app, "#legend")


async def test_a_failing_chime_never_reaches_the_ui(make_app: MakeApp) -> None:
    def broken(event: ChimeEvent) -> None:
        raise OSError("no audio device")

    app = make_app(checkin=False, practice_id="all-kinds", on_chime=broken)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert step_index(app) == 1
        assert app.is_running


async def test_q_asks_once_and_n_goes_on(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmEndScreen)
        assert "End now? Your session so far is kept." in text(app, "#confirm-question")
        await tick(pilot, clock, 100.0)  # the session waits while the question is asked
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert step_index(app) == 0
        assert logged() == []


async def test_q_then_y_ends_and_logs_the_partial_session(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test() as pilot:
        await pilot.pause()
        await tick(pilot, clock, 25.0)
        await pilot.press("q", "y")
        await after_session(pilot)
        [record] = logged()
        assert record["practice"] == "all-kinds"
        assert record["completed"] is False
        assert record["practiced_seconds"] == 25
        assert record["started"] == "2026-03-04T10:00:00+01:00"


async def test_a_finished_session_is_logged_completed_with_the_answers_typed(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test() as pilot:
        await pilot.pause()
        await tick(pilot, clock, 80.0)  # to the prompt
        assert app.screen.focused is app.screen.query_one(AnswerBox)
        await pilot.press(*"my hands", "enter")
        await tick(pilot, clock, 50.0)
        await after_session(pilot)
        [record] = logged()
        assert record["completed"] is True
        assert record["answers"] == [
            {
                "step": 3,
                "prompt": "What is here for you today? Anything at all, or leave it empty.",
                "text": "my hands",
            }
        ]


async def test_typing_qmhnb_and_space_in_the_answer_box_triggers_no_key(
    make_app: MakeApp, clock: Any
) -> None:
    rung: list[ChimeEvent] = []
    app = make_app(checkin=False, practice_id="all-kinds", on_chime=rung.append)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        box = app.screen.query_one(AnswerBox)
        assert app.screen.focused is box
        await pilot.press(*"qmhnb ", "question_mark", "left", "right")
        await pilot.pause()
        assert box.value == "qmhnb ?"
        assert isinstance(app.screen, SessionScreen)  # no help, no question
        assert step_index(app) == 2
        assert not app.muted
        assert app.recorder is not None
        state = app.recorder.session.state()
        assert not state.paused
        assert state.answer == "qmhnb ?"
        # Escape leaves the box, and the keys work again.
        await pilot.press("escape")
        assert app.screen.focused is None
        await pilot.press("m")
        assert app.muted
        await pilot.press("tab")  # back into the box, the text still there
        assert app.screen.focused is box
        await pilot.press("x")
        assert box.value == "qmhnb ?x"


async def test_tab_leaves_the_answer_box(make_app: MakeApp) -> None:
    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        await pilot.press("tab")
        assert app.screen.focused is None
        await pilot.press("n")
        assert step_index(app) == 3


async def test_going_back_to_an_answered_prompt_shows_the_answer(make_app: MakeApp) -> None:
    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        await pilot.press(*"warm", "enter")
        await pilot.pause()
        assert step_index(app) == 3
        await pilot.press("b")
        await pilot.pause()
        box = app.screen.query_one(AnswerBox)
        assert box.value == "warm"
        assert app.screen.focused is box


async def test_writing_in_a_timed_prompt_holds_its_timer(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False, practice_id="timed-prompt")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.screen.focused is None  # a timed box is not entered by itself
        await pilot.press("tab", *"nose")
        await tick(pilot, clock, 100.0)
        assert step_index(app) == 0  # the box never vanishes while the user writes
        assert "timer waits while you write" in text(app, "#paused")
        await pilot.press("escape")
        await tick(pilot, clock, 30.0)
        assert step_index(app) == 1
        assert app.recorder is not None
        assert app.recorder.session.state().answer is None
        await tick(pilot, clock, 10.0)
        await after_session(pilot)
        [record] = logged()
        assert record["answers"][0]["text"] == "nose"
        # The 100 s of writing were time in the step: they count as practice.
        assert record["completed"] is True
        assert record["practiced_seconds"] == record["planned_seconds"] + 100


async def test_help_and_keys_during_a_session_hold_it_until_closed(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await tick(pilot, clock, 100.0)
        await pilot.press("question_mark")  # from help to the keys
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert step_index(app) == 0
        assert app.recorder is not None
        assert not app.recorder.session.state().paused  # as it was before
        await tick(pilot, clock, 2.0)
        assert step_index(app) == 1


async def test_ctrl_c_ends_the_session_and_logs_it(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test() as pilot:
        await pilot.pause()
        await tick(pilot, clock, 5.0)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        [record] = logged()
        assert record["completed"] is False
        assert record["practiced_seconds"] == 5


async def test_ctrl_c_in_the_answer_box_ends_the_session_too(make_app: MakeApp) -> None:
    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        await pilot.press(*"abc", "ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        [record] = logged()
        assert record["answers"][0]["text"] == "abc"


async def test_ctrl_q_quits_and_keeps_the_session(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await tick(pilot, clock, 1.0)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    [record] = logged()
    assert record["completed"] is False


async def test_a_signal_ends_logs_and_leaves(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await tick(pilot, clock, 1.0)
        app.end_by_signal(signal.SIGTERM)
        [record] = logged()  # written before the app has even left
        assert record["completed"] is False
        await pilot.pause()
    assert app.return_code == 0


async def test_markup_in_practice_text_is_shown_literally(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False)
    async with app.run_test(size=(80, 40)) as pilot:
        await start(pilot, "[bold]not bold[/]")
        assert text(app, "#practice-title") == "[bold]not bold[/]"
        assert text(app, "#instruction") == "[bold]not bold[/]"
        await tick(pilot, clock, 30.0)
        assert text(app, "#instruction") == "[/]"
        await tick(pilot, clock, 30.0)
        await after_session(pilot)
        assert "“[bold]not bold[/]”" in text(app, "#summary-0")


async def test_answer_text_is_never_parsed_as_markup(make_app: MakeApp) -> None:
    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        await pilot.press(*"[/] [bold]", "enter", "b")
        await pilot.pause()
        assert app.screen.query_one(AnswerBox).value == "[/] [bold]"
        assert app.is_running


async def test_the_breath_visual_drifts_slowly_and_never_changes_the_layout(
    make_app: MakeApp, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "full")
    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        breath = app.screen.query_one(BreathDrift)
        assert breath.display
        region = breath.region
        rows = []
        for _ in range(20):
            await tick(pilot, clock, 1.5)
            rows.append(text(app, "#breath"))
        assert len(set(rows)) > 1
        assert breath.region == region
        assert not any(word in "".join(rows).lower() for word in ("in", "out"))


async def test_the_breath_visual_is_still_with_reduced_motion(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(checkin=False, practice_id="all-kinds")  # TEXTUAL_ANIMATIONS=none from conftest
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.reduced_motion
        assert app.animation_level == "none"
        await pilot.press("n")
        await pilot.pause()
        first = text(app, "#breath")
        for _ in range(10):
            await tick(pilot, clock, 2.7)
            assert text(app, "#breath") == first


async def test_the_tick_interval_is_slow(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from emoflat.tui.screens import session

    for animations, interval in (("none", session.STILL_TICK), ("full", session.MOTION_TICK)):
        monkeypatch.setenv("TEXTUAL_ANIMATIONS", animations)
        app = make_app(checkin=False, practice_id="all-kinds")
        async with app.run_test() as pilot:
            await pilot.pause()
            timer = session_screen(app)._timer
            assert timer is not None
            assert timer._interval == interval >= 0.25


async def test_a_too_small_window_asks_to_be_larger(make_app: MakeApp) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#too-small").display
        assert not app.screen.query_one("#session-middle").display
        assert "Make the window larger" in text(app, "#too-small")
        await pilot.resize_terminal(40, 15)
        await pilot.pause()
        assert not app.screen.query_one("#too-small").display
        assert app.screen.query_one("#session-middle").display


async def test_the_legend_is_the_same_on_every_screen_and_fits_40_columns(
    make_app: MakeApp,
) -> None:
    app = make_app(checkin=False)
    async with app.run_test(size=(40, 15)) as pilot:
        await pilot.pause()
        legends = [text(app, "#legend")]
        await pilot.press("h")
        await pilot.pause()
        legends.append(text(app, "#legend"))
        await pilot.press("escape")
        await start(pilot, "Two short steps")
        legends.append(text(app, "#legend"))
        await pilot.press("q")
        await pilot.pause()
        legends.append(text(app, "#legend"))
        await pilot.press("y")
        await pilot.pause()
        legends.append(text(app, "#legend"))
        assert len(set(legends)) == 1
        assert all(len(line) <= 38 for line in legends[0].splitlines())
        for word in ("pause", "continue", "next", "back", "mute", "end", "help", "keys"):
            assert word in legends[0]
        assert isinstance(app.screen.query_one("#legend"), KeyLegend)


# The summary ------------------------------------------------------------------------------


async def test_the_summary_says_minutes_and_days_this_week_without_streaks(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(checkin=False, practice_id="markup-text")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await tick(pilot, clock, 60.0)
        await after_session(pilot)
        lines = app.screen.lines()
        assert lines[1] == "You practised for about 1 minute."
        assert lines[2] == "This week you have practised on 1 day."
        assert "Feeling nothing is a fine outcome too." in lines[3]
        assert not any("streak" in line.lower() for line in lines)


async def test_enter_on_the_summary_goes_back_to_the_picker(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await tick(pilot, clock, 4.0)
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
        await tick(pilot, clock, 4.0)
        await after_session(pilot)
        assert len(logged()) == 2


async def test_q_on_the_summary_quits(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await tick(pilot, clock, 4.0)
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
        await tick(pilot, clock, 4.0)
        await after_session(pilot)
        problem = text(app, "#summary-problem")
        assert "could not be saved to the log" in problem
        [error] = app.log_errors
        assert error.fallback is not None and error.fallback.exists()


# run_tui in a real pseudo-terminal ------------------------------------------------------------


def _run_in_pty(
    practice_dir: Path, tmp_path: Path, stop: Callable[[int, subprocess.Popen[bytes]], None]
) -> tuple[int, list[dict[str, Any]]]:
    """Start ``emoflat practice short-long`` in a pty, wait for its first step, then ``stop``."""
    (practice_dir / "long.yaml").write_text(
        "format: 1\nid: long\ntitle: Long\nsummary: One long step.\n"
        "chimes: {start: none, end: none}\nsteps:\n  - say: The long step.\n    seconds: 300\n",
        encoding="utf-8",
    )
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
    env.pop("EMOFLAT_BENCH_EXIT_AFTER_FIRST_FRAME", None)
    controller, terminal = pty.openpty()
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "emoflat",
            "practice",
            "long",
            "--no-checkin",
            "--practices",
            str(practice_dir),
        ],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        start_new_session=True,
    )
    os.close(terminal)
    seen = b""
    deadline = time.monotonic() + 20
    try:
        while b"The long step." not in seen:
            assert time.monotonic() < deadline, seen[-2000:]
            ready, _, _ = select.select([controller], [], [], 0.1)
            if ready:
                seen += os.read(controller, 65536)
        time.sleep(0.3)  # let a tick or two pass
        stop(controller, child)
        while True:  # drain, so the child never blocks on a full terminal
            try:
                ready, _, _ = select.select([controller], [], [], 0.1)
                if ready and not os.read(controller, 65536):
                    break
            except OSError:
                break
            if child.poll() is not None:
                break
        code = child.wait(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
        with contextlib.suppress(OSError):
            os.close(controller)
    data_dir = Path(os.environ["EMOFLAT_DATA_DIR"])
    return code, read_records(data_dir / "sessions").records


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and pseudo-terminals")
def test_sigterm_ends_the_session_logs_it_and_exits_cleanly(
    practice_dir: Path, tmp_path: Path
) -> None:
    code, records = _run_in_pty(
        practice_dir, tmp_path, lambda fd, child: child.send_signal(signal.SIGTERM)
    )
    assert code == 0
    [record] = records
    assert record["practice"] == "long"
    assert record["completed"] is False


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and pseudo-terminals")
def test_the_terminal_closing_logs_the_session(practice_dir: Path, tmp_path: Path) -> None:
    def hang_up(controller: int, child: subprocess.Popen[bytes]) -> None:
        os.close(controller)
        os.killpg(child.pid, signal.SIGHUP)

    _code, records = _run_in_pty(practice_dir, tmp_path, hang_up)
    [record] = records
    assert record["completed"] is False


# Accessibility and the mouse ------------------------------------------------------------------


async def test_colours_come_from_the_terminal_and_no_color_is_honoured(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.current_theme.ansi
        assert app.no_color


async def test_no_cursor_blinks(make_app: MakeApp) -> None:
    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        boxes = [*app.query(Input), *app.screen_stack[0].query(Input)]
        assert boxes and not any(box.cursor_blink for box in boxes)


async def test_reduced_motion_from_the_settings(
    library: Any, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from emoflat.config import Config
    from emoflat.launch import LaunchOptions
    from emoflat.tui.app import build_app

    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "full")
    options = LaunchOptions(
        practice_id="all-kinds", checkin=False, config=Config(reduced_motion=True)
    )
    app = build_app(options, library, clock=clock.now)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.reduced_motion and app.animation_level == "none"
        await pilot.press("n")
        first = text(app, "#breath")
        await tick(pilot, clock, 7.0)
        assert text(app, "#breath") == first


async def test_the_mouse_works_but_is_never_needed(make_app: MakeApp) -> None:
    app = make_app(checkin=False)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        practices = app.screen.query_one(PracticeList)
        lines = practices.plain_lines()
        row = lines.index("All kinds of steps")
        await pilot.click(PracticeList, offset=(3, row))
        assert practices.highlighted_entry is not None
        assert practices.highlighted_entry.id == "all-kinds"
        await pilot.click("#length")
        assert text(app, "#length").startswith("Length: about 3 min")
        await pilot.click(PracticeList, offset=(3, row))  # again: start it
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.recorder.session.planned_seconds == pytest.approx(180)


async def test_ctrl_c_while_help_covers_the_session_ends_it(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert [type(s) for s in app.screen_stack] == [PickerScreen, SummaryScreen]
        assert logged()[0]["completed"] is False


def test_log_write_errors_are_printed_after_the_app_closes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from emoflat.sessionlog import LogWriteError
    from emoflat.tui.run import report_log_errors

    kept = LogWriteError("kept in a file", record_json="{}", fallback=tmp_path, log_path=tmp_path)
    lost = LogWriteError("kept nowhere", record_json='{"id":"x"}', fallback=None, log_path=tmp_path)
    report_log_errors([kept, lost])
    err = capsys.readouterr().err.splitlines()
    assert err == ["emoflat: kept in a file", "emoflat: kept nowhere", '{"id":"x"}']


async def test_help_and_keys_open_from_the_end_question_too(make_app: MakeApp) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmEndScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.session_running


# Check-ins, How was that for you?, grounding, tags and the note ---------------------------

from emoflat.checkin import FEEL_QUESTION, FELT_QUESTION, GROUNDING_TEXT  # noqa: E402
from emoflat.tui.screens.grounding import GroundingScreen, UnsettledScreen  # noqa: E402
from emoflat.tui.widgets.choices import ChoiceFlow, ScaleRow  # noqa: E402
from emoflat.tui.widgets.note import NoteBox  # noqa: E402


def checkin_screen(app: EmoflatApp) -> CheckInScreen:
    assert isinstance(app.screen, CheckInScreen)
    return app.screen


async def end_short_session(pilot: Pilot[Any], clock: Any) -> None:
    """Run the fixture "short" practice to its end (4 seconds)."""
    await pilot.pause()
    assert isinstance(pilot.app.screen, SessionScreen)
    await tick(pilot, clock, 4.0)
    await pilot.pause()


async def test_check_ins_felt_tags_and_note_make_one_record_exactly(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        screen = checkin_screen(app)
        assert screen.phase == "before"
        assert text(app, "#checkin-question") == FEEL_QUESTION
        assert "0 = nothing, completely flat" in text(app, "#scale-ends")
        assert "10 = as vividly as I ever do" in text(app, "#scale-ends")
        await pilot.press("3")
        assert screen.query_one(ScaleRow).plain().split() == [
            "0", "1", "2", "[3]", "4", "5", "6", "7", "8", "9", "10"
        ]  # fmt: skip
        await pilot.press("enter", "3", "enter")  # tone 3: mixed
        await pilot.press("space", "right", "right", "space", "enter")  # numb, blank
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert logged() == []
        await end_short_session(pilot, clock)
        screen = checkin_screen(app)
        assert screen.phase == "after"
        assert text(app, "#checkin-heading") == "After the practice · 1 of 6"
        await pilot.press("t", "enter", "right", "enter", "enter")  # 10, pleasant, no words
        assert text(app, "#checkin-question") == FELT_QUESTION
        await pilot.press("1", "enter")  # helpful
        await pilot.press("right", "space", "right", "space", "enter")  # tags 1 and 2
        await pilot.press("tab", *"warm [b]hands[/b]", "enter", *"a second line", "escape")
        assert logged() == []  # still once, at the end
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        [record] = logged()
        assert record["before"] == {"feel": 3, "tone": "mixed", "words": ["numb", "blank"]}
        assert record["after"] == {"feel": 10, "tone": "pleasant", "words": [], "felt": "helpful"}
        assert record["note"] == "warm [b]hands[/b]\na second line"
        assert record["tags"] == ["tired day", "poor sleep"]
        assert record["completed"] is True
        assert record["practiced_seconds"] == 4


async def test_s_skips_each_check_in_in_one_key_and_stores_null(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("5", "s")  # what was marked on a skipped question is not kept
        await end_short_session(pilot, clock)
        assert checkin_screen(app).step == "feel"
        await pilot.press("s")  # the whole check-in after, "How was that" with it
        assert checkin_screen(app).step == "tags"
        await pilot.press("s", "s")  # tags, note
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        [record] = logged()
        assert record["before"] is None and record["after"] is None
        assert record["note"] is None and record["tags"] == []


async def test_escape_skips_too_and_what_was_given_before_a_skip_is_kept(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await end_short_session(pilot, clock)
        await pilot.press("2", "enter", "escape")  # feel 2, then skip the rest
        await pilot.press("enter", "enter")
        await pilot.pause()
        [record] = logged()
        assert record["before"] is None
        assert record["after"] == {"feel": 2, "tone": None, "words": [], "felt": None}


async def test_no_checkin_asks_nothing_before_or_after(make_app: MakeApp, clock: Any) -> None:
    app = make_app(practice_id="short", checkin=False)
    async with app.run_test() as pilot:
        await end_short_session(pilot, clock)
        assert isinstance(app.screen, SummaryScreen)
        assert not any(isinstance(s, CheckInScreen) for s in app.screen_stack)
        [record] = logged()
        assert record["before"] is None and record["after"] is None
        assert record["note"] is None and record["tags"] == []


async def test_unsettling_offers_grounding_for_30_seconds_and_help(
    make_app: MakeApp, clock: Any
) -> None:
    from emoflat.helptext import help_text

    app = make_app(practice_id="short")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await end_short_session(pilot, clock)
        await pilot.press("enter", "enter", "enter")  # feel, tone, words
        await pilot.press("3", "enter")  # unsettling
        await pilot.pause()
        assert isinstance(app.screen, UnsettledScreen)
        assert "g  ground for 30 seconds" in text(app, "#offer-choices")
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert text(app, "#text-body") == help_text().rstrip("\n")
        await pilot.press("escape", "g")
        await pilot.pause()
        grounding = app.screen
        assert isinstance(grounding, GroundingScreen)
        assert text(app, "#grounding-text") == GROUNDING_TEXT
        assert text(app, "#grounding-left") == "about 30 seconds left"
        clock.advance(15)
        grounding.tick()
        await pilot.press("space")  # paused: the time stands still
        assert "Paused" in text(app, "#grounding-paused")
        clock.advance(100)
        grounding.tick()
        assert not grounding.ended
        await pilot.press("space")
        clock.advance(15)
        grounding.tick()
        await pilot.pause()
        assert grounding.ended
        assert isinstance(app.screen, UnsettledScreen)
        await pilot.press("g")  # again, and ended early with Enter
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, UnsettledScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert checkin_screen(app).step == "tags"
        await pilot.press("q")
        await pilot.pause()
        [record] = logged()
        assert record["after"] == {"feel": None, "tone": None, "words": [], "felt": "unsettling"}


async def test_the_offer_and_grounding_go_on_with_s_and_escape(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s")
        await end_short_session(pilot, clock)
        await pilot.press("b", "enter", "enter", "enter", "right", "right", "right", "enter")
        await pilot.pause()
        assert isinstance(app.screen, UnsettledScreen)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, UnsettledScreen)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert checkin_screen(app).step == "tags"


async def test_typing_in_the_note_box_types_every_character(make_app: MakeApp, clock: Any) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s")
        await end_short_session(pilot, clock)
        await pilot.press("s", "enter")  # no check-in, no tags
        note = app.screen.query_one(NoteBox)
        assert app.screen.focused is None
        await pilot.press("tab")
        assert app.screen.focused is note
        assert text(app, "#checkin-hint") == "Tab or Escape leaves the box"
        await pilot.press(*"qmhnbs 0123", "question_mark", "l", "t", "x", "space", "backspace")
        await pilot.pause()
        assert note.text == "qmhnbs 0123?ltx"
        assert isinstance(app.screen, CheckInScreen)
        assert not app.muted
        await pilot.press("escape")
        assert app.screen.focused is None
        await pilot.press("tab", "tab")  # in, and out again with Tab
        assert app.screen.focused is None
        await pilot.press("enter")
        await pilot.pause()
        [record] = logged()
        assert record["note"] == "qmhnbs 0123?ltx"


async def test_note_text_with_markup_is_kept_and_never_parsed(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s")
        await end_short_session(pilot, clock)
        await pilot.press("s", "enter", "tab", *"[/] [bold]", "escape", "s")  # s: no note after all
        await pilot.pause()
        assert app.is_running
        [record] = logged()
        assert record["note"] is None


async def test_closing_during_the_after_screens_logs_what_was_given_once(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("4", "enter", "s")
        await end_short_session(pilot, clock)
        await pilot.press("6")  # marked, not yet Enter: still the user's answer
        app.end_by_signal(signal.SIGHUP)
        [record] = logged()
        assert record["before"] == {"feel": 4, "tone": None, "words": []}
        assert record["after"] == {"feel": 6, "tone": None, "words": [], "felt": None}
        app.finish_session()  # as run_tui's finally does
        await pilot.pause()
    assert app.return_code == 0
    assert len(logged()) == 1


async def test_ctrl_q_on_the_note_logs_the_note_typed_so_far(make_app: MakeApp, clock: Any) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s")
        await end_short_session(pilot, clock)
        await pilot.press("s", "space", "enter", "tab", *"half a thought", "ctrl+q")
        await pilot.pause()
    [record] = logged()
    assert record["note"] == "half a thought"
    assert record["tags"] == ["tired day"]


async def test_ctrl_c_after_the_session_logs_what_was_given_and_sums_up(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s")
        await end_short_session(pilot, clock)
        await pilot.press("7", "enter", "h")  # help over the questions
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert [type(s) for s in app.screen_stack] == [PickerScreen, SummaryScreen]
        [record] = logged()
        assert record["after"]["feel"] == 7


async def test_q_on_the_check_in_before_goes_back_and_logs_nothing(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start_with_check_in(pilot, "Two short steps")
        await pilot.press("3", "q")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert app.recorder is None
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert logged() == []


async def start_with_check_in(pilot: Pilot[Any], title: str) -> None:
    await pilot.pause()
    for _ in range(TITLES.index(title)):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CheckInScreen)


async def test_every_key_of_the_check_in(make_app: MakeApp, clock: Any) -> None:
    app = make_app(practice_id="short")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        screen = checkin_screen(app)
        scale = screen.query_one(ScaleRow)
        for digit in "0123456789":
            await pilot.press(digit)
            assert scale.value == int(digit)
        await pilot.press("t")
        assert scale.value == 10
        await pilot.press("right")
        assert scale.value == 10  # stops at the end
        await pilot.press("left", "down", "up", "up")
        assert scale.value == 8
        await pilot.press("backspace")
        assert scale.value is None
        await pilot.press("right")
        assert scale.value == 0
        await pilot.press("space", "x")  # nothing to mark on the row: no change
        assert scale.value == 0
        await pilot.press("enter")
        assert screen.step == "tone"
        choices = screen.query_one(ChoiceFlow)
        await pilot.press("5")
        assert choices.marked == ["nothing noticeable"]
        await pilot.press("0", "9")  # no such choice: no change
        assert choices.marked == ["nothing noticeable"]
        await pilot.press("space")  # unmarks
        assert choices.marked == []
        await pilot.press("x")
        assert choices.marked == ["nothing noticeable"]
        await pilot.press("b")
        assert screen.step == "feel" and scale.value == 0
        await pilot.press("enter", "enter")
        assert screen.step == "words"
        await pilot.press("down", "space", "down", "x", "up", "space", "t")
        assert choices.marked == ["flat"]
        await pilot.press("backspace")
        assert choices.marked == []
        await pilot.press("tab")  # no box here: nothing happens
        assert app.screen.focused is None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
    assert app.recorder is not None
    assert app.recorder.collected["before"] == {
        "feel": 0,
        "tone": "nothing noticeable",
        "words": [],
    }


async def test_the_check_in_fits_40_by_15(make_app: MakeApp, clock: Any) -> None:
    app = make_app(practice_id="short")
    async with app.run_test(size=(40, 15)) as pilot:
        await pilot.pause()
        screen = checkin_screen(app)
        for _ in range(3):
            for widget in (
                screen.query_one("#checkin-question"),
                screen.query_one("#checkin-hint"),
            ):
                if widget.display:
                    assert widget.region.bottom <= screen.query_one("#legend").region.y
            await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


# History ------------------------------------------------------------------------------------

import uuid  # noqa: E402

from records import make_record  # noqa: E402

from emoflat.sessionlog import append_record  # noqa: E402
from emoflat.tui.screens.history import (  # noqa: E402
    DaysScreen,
    HistoryScreen,
    SessionRecordScreen,
)
from emoflat.tui.widgets.session_list import SessionList  # noqa: E402


def log_session(
    number: int,
    started: str,
    *,
    title: str = "Noticing your hands",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
    tags: list[str] | None = None,
    completed: bool = True,
    practiced: int = 180,
    **extra: Any,
) -> dict[str, Any]:
    """Append a session record to the log (the real file, in the test's data folder)."""
    record = make_record(
        started,
        id=str(uuid.UUID(int=number, version=4)),
        title=title,
        ended=started[:14] + "59:00" + started[19:],
        practiced_seconds=practiced,
        completed=completed,
        before=before,
        after=after,
        answers=[],
        note=note,
        **({"tags": tags} if tags is not None else {}),
        **extra,
    )
    append_record(record)
    return record


def log_three_sessions() -> None:
    log_session(
        1,
        "2026-02-27T09:00:00+01:00",
        title="Sounds near and far",
        before={"feel": 1, "tone": None, "words": ["flat"]},
        after=None,
        completed=False,
        practiced=40,
    )
    log_session(
        2,
        "2026-03-04T08:30:00+01:00",
        before={"feel": 2, "tone": "mixed", "words": ["numb", "foggy"]},
        after={"feel": 4, "tone": "pleasant", "words": ["warm"], "felt": "helpful"},
        note="[bold]not bold[/] and [red]",
        tags=["tired day", "new medication"],
        answers_extra="kept",
    )
    log_session(3, "2026-03-02T17:45:00+01:00", title="[i]Watching[/i] the breath")


async def open_history(pilot: Pilot[Any]) -> HistoryScreen:
    """Press l on the picker and wait until the log has been read."""
    await pilot.pause()
    await pilot.press("l")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    await wait_for_index(pilot, screen)
    return screen


async def wait_for_index(pilot: Pilot[Any], screen: HistoryScreen) -> None:
    """Wait until the history screen has read the log (or failed to)."""
    for _ in range(200):
        if screen.index is not None or screen.problem is not None:
            break
        await pilot.pause(0.01)
    await pilot.pause()


async def test_history_lists_sessions_newest_first(make_app: MakeApp) -> None:
    log_three_sessions()
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
        assert text(app, "#history-status") == "3 sessions"
        sessions = screen.query_one(SessionList)
        assert app.screen.focused is sessions
        lines = sessions.plain_lines()
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


async def test_enter_shows_a_session_s_whole_record_as_plain_text(make_app: MakeApp) -> None:
    log_three_sessions()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_history(pilot)
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
        assert isinstance(app.screen, HistoryScreen)
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
        await open_history(pilot)
        await pilot.press("c")
        await pilot.pause()
        days = app.screen
        assert isinstance(days, DaysScreen)
        assert text(app, "#month-title") == "March 2026"
        calendar = days.calendar_lines()
        assert calendar[0].split() == ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
        assert "  2•  3   4•" in calendar[2]  # a mark beside the day, not colour alone
        assert "•" not in calendar[3]
        month_days = text(app, "#month-days")
        assert "2 days in March 2026" in month_days
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
        assert "1 day in February 2026" in text(app, "#month-days")
        assert "This week" not in text(app, "#month-days")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


async def test_the_chart_shows_before_and_after_figures_apart(make_app: MakeApp) -> None:
    log_three_sessions()
    app = make_app()
    async with app.run_test(size=(80, 40)) as pilot:
        await open_history(pilot)
        await pilot.press("c")
        await pilot.pause()
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
        await open_history(pilot)
        await pilot.press("c")
        await pilot.pause()
        chart = text(app, "#chart").splitlines()
        assert chart[1] == "03-04  ██········  2  ████······  4"
        assert all(len(line) <= 36 for line in chart)


async def test_the_history_of_an_empty_log_says_so_calmly(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await open_history(pilot)
        assert text(app, "#history-status") == (
            "No sessions yet. When you finish or end a practice, it is listed here."
        )
        assert not app.screen.query(SessionList)
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
    with open(next(paths.sessions_dir().glob("*.jsonl")), "a", encoding="utf-8") as file:
        file.write("{not json\n")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        warning = text(app, "#history-warnings")
        assert warning.startswith("1 line of the log was not readable and left out")
        assert text(app, "#history-status") == "3 sessions"


async def test_a_log_folder_that_cannot_be_read_is_said_calmly(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("EMOFLAT_DATA_DIR", str(blocker))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(pilot)
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
        await end_short_session(pilot, clock)
        await pilot.press("5", "enter", "s", "s", "s")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        screen = await open_history(pilot)
        [line] = screen.query_one(SessionList).plain_lines()
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
        assert isinstance(screen, HistoryScreen)
        assert app.screen_stack == [screen]  # drawn first: no picker under it yet
        await wait_for_index(pilot, screen)
        assert text(app, "#history-status") == "3 sessions"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert screen.index is None  # the sessions read are let go
        # From here on everything is as if the app had opened on the practices.
        await pilot.press("l")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, HistoryScreen) and again is not screen
        await wait_for_index(pilot, again)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        app.start_practice("short", None)
        await pilot.pause()
        await end_short_session(pilot, clock)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen_stack[-2] is app._picker
        assert len(logged()) == 4


async def test_a_read_that_ends_after_the_history_it_opened_on_was_left_is_let_go(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    from concurrent.futures import Future

    from emoflat.logindex import read_index
    from emoflat.tui import log_reader

    log_three_sessions()
    pending: Future[Any] = Future()
    monkeypatch.setattr(log_reader, "start_reading", lambda directory=None: pending)
    app = make_app(history=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        bottom = app.screen
        assert isinstance(bottom, HistoryScreen)
        await pilot.press("escape")  # before the log is read
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        index = read_index()
        reader = threading.Thread(target=pending.set_result, args=(index,))
        reader.start()  # as the reading thread does
        for _ in range(100):
            await pilot.pause(0.01)
            if not reader.is_alive():
                break
        reader.join()
        await pilot.pause()
        assert bottom.index is None
        assert not bottom.query(SessionList)
        assert isinstance(app.screen, PickerScreen)


async def test_the_session_list_narrow_and_by_mouse(make_app: MakeApp) -> None:
    log_three_sessions()
    app = make_app()
    async with app.run_test(size=(40, 15)) as pilot:
        screen = await open_history(pilot)
        sessions = screen.query_one(SessionList)
        assert sessions.per_session == 2
        lines = sessions.plain_lines()
        assert lines[0] == "2026-03-04 08:30  3 min  finished"
        assert lines[1].startswith("  Noticing your han…")  # cut to fit; Enter shows it all
        assert lines[1].endswith("feel 2 → 4  note")
        await pilot.click(SessionList, offset=(2, 2))  # the second session
        assert sessions.cursor == 1
        await pilot.click(SessionList, offset=(2, 3))  # again: open it
        await pilot.pause()
        assert isinstance(app.screen, SessionRecordScreen)


async def test_a_long_log_draws_only_what_fits(make_app: MakeApp) -> None:
    from concurrent.futures import Future
    from datetime import UTC, date, datetime, timedelta

    from emoflat.logindex import LogIndex

    start = datetime(2025, 1, 1, tzinfo=UTC)

    records = [
        {
            "v": 1,
            "id": str(uuid.UUID(int=n + 100, version=4)),
            "practice": "hands",
            "title": "Noticing your hands",
            "started": (start + timedelta(minutes=n)).isoformat(),
            "ended": "2025-01-01T00:00:00+00:00",
            "planned_seconds": 60,
            "practiced_seconds": 60,
            "completed": True,
            "before": {"feel": n % 11, "tone": None, "words": []},
            "after": None,
            "answers": [],
            "note": None,
        }
        for n in range(5000)
    ]
    index = LogIndex.from_records(records)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        reading: Future[LogIndex] = Future()
        reading.set_result(index)
        screen = HistoryScreen(today=date(2026, 3, 4), reading=reading)
        await app.push_screen(screen)
        await pilot.pause()
        sessions = screen.query_one(SessionList)
        assert sessions.count == 5000
        assert len(sessions._words) <= sessions.size.height + 1  # only the lines drawn
        await pilot.press("end")
        await pilot.pause()
        assert sessions.cursor == 4999
        assert len(sessions._words) <= 2 * (sessions.size.height + 1)


async def test_the_chart_under_the_calendar_gives_the_time_when_there_is_room(
    make_app: MakeApp,
) -> None:
    log_three_sessions()
    app = make_app()
    async with app.run_test(size=(70, 30)) as pilot:
        await open_history(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert not app.screen.has_class("-wide")
        chart = text(app, "#chart").splitlines()
        assert chart[1] == "2026-03-04 08:30  ██········  2  ████······  4"


async def test_the_keys_screen_lists_the_new_keys_and_the_legend_has_history(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(40, 15)) as pilot:
        await pilot.pause()
        assert "l history" in text(app, "#legend")
        assert all(len(line) <= 38 for line in text(app, "#legend").splitlines())
        await pilot.press("question_mark")
        await pilot.pause()
        keys = text(app, "#text-body")
        for described in (
            "mark 10 on the 0–10 row",
            "skip the rest of the check-in",
            "a 30-second grounding step",
            "the whole session",
            "the month before",
            "your sessions: list, calendar, check-ins",
            "leave the note box",
        ):
            assert described in keys
