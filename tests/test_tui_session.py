"""The session screen: steps on the clock, the calm time left, pause, next, back, the
answer box, ending early, the breath visual and a window too small."""

from __future__ import annotations

from typing import Any

import pytest
from textual.events import MouseScrollDown
from textual.widgets import TextArea
from tui_helpers import (
    TITLES,
    MakeApp,
    after_session,
    logged,
    session_screen,
    start,
    step_index,
    text,
    tick,
    to_the_next_step,
)

from emoflat.tui.screens.confirm_end import ConfirmEndScreen
from emoflat.tui.screens.help import HelpScreen
from emoflat.tui.screens.session import (
    PAUSED,
    READY,
    SMALL_WINDOW,
    TOO_SMALL_PAUSED,
    SessionScreen,
)
from emoflat.tui.widgets.breath import BreathDrift
from emoflat.tui.widgets.legend import KeyLegend
from emoflat.tui.widgets.textbox import TextBox


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
        legend = app.screen.query_one(KeyLegend)
        assert ("Space", "pause") in legend.pairs()
        await pilot.press("space")
        assert text(app, "#paused") == PAUSED
        assert app.screen.query_one("#paused").display
        await pilot.pause()
        assert ("Space", "go on") in legend.pairs()  # the legend says what the key does now
        await tick(pilot, clock, 100.0)
        assert step_index(app) == 0
        await pilot.press("space")
        assert not app.screen.query_one("#paused").display
        await pilot.pause()
        assert ("Space", "pause") in legend.pairs()
        await to_the_next_step(pilot, clock)
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


async def test_escape_on_the_end_question_goes_on_too(make_app: MakeApp) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.session_running


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
        assert app.screen.focused is app.screen.query_one(TextBox)
        await pilot.press(*"my hands", "enter", *"and feet", "escape", "enter")
        await tick(pilot, clock, 50.0)
        await after_session(pilot)
        [record] = logged()
        assert record["completed"] is True
        assert record["answers"] == [
            {
                "step": 3,
                "prompt": "What is here for you today? Anything at all, or leave it empty.",
                "text": "my hands\nand feet",
            }
        ]


async def test_typing_qmhnb_and_space_in_the_answer_box_triggers_no_key(
    make_app: MakeApp, clock: Any
) -> None:
    rung: list[Any] = []
    app = make_app(checkin=False, practice_id="all-kinds", on_chime=rung.append)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        box = app.screen.query_one(TextBox)
        assert app.screen.focused is box
        await pilot.press(*"qmhnb ", "question_mark", "left", "right")
        await pilot.pause()
        assert box.text == "qmhnb ?"
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
        assert box.text == "qmhnb ?x"


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
        await pilot.press(*"warm", "escape", "enter")
        await pilot.pause()
        assert step_index(app) == 3
        await pilot.press("b")
        await pilot.pause()
        box = app.screen.query_one(TextBox)
        assert box.text == "warm"
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


async def test_markup_in_practice_text_is_shown_literally(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False)
    async with app.run_test(size=(80, 40)) as pilot:
        await start(pilot, TITLES[0])
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
        await pilot.press(*"[/] [bold]", "escape", "enter", "b")
        await pilot.pause()
        assert app.screen.query_one(TextBox).text == "[/] [bold]"
        assert app.is_running


async def test_the_answer_box_keeps_at_most_2000_characters(make_app: MakeApp) -> None:
    from textual import events

    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one(TextBox)
        app.post_message(events.Paste("a" * 1998))  # as a terminal pastes
        await pilot.pause()
        await pilot.press(*"bcdef", "enter")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    [record] = logged()
    assert record["answers"][0]["text"] == "a" * 1998 + "bc"


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


async def test_a_too_small_window_pauses_until_it_is_larger_and_the_user_goes_on(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tick(pilot, clock, 1.0)
        before = session_screen(app).state
        await pilot.resize_terminal(30, 10)  # the font zoomed in
        await pilot.pause()
        assert app.screen.query_one("#too-small").display
        assert not app.screen.query_one("#session-middle").display
        assert text(app, "#too-small") == TOO_SMALL_PAUSED
        await tick(pilot, clock, 33.0)
        now = session_screen(app).state
        assert now.paused
        assert (now.step_index, now.step_remaining) == (before.step_index, before.step_remaining)
        await pilot.press("space")  # not yet: the step cannot be seen
        await tick(pilot, clock, 5.0)
        assert session_screen(app).state.paused
        await pilot.press("h")  # who to talk to is never out of reach, at any size
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert not app.screen.query_one("#too-small").display
        assert "emergency number" in text(app, "#text-body")
        await pilot.press("escape")
        await pilot.pause()
        assert session_screen(app).state.paused
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert not app.screen.query_one("#too-small").display
        assert text(app, "#paused") == SMALL_WINDOW
        await tick(pilot, clock, 5.0)
        now = session_screen(app).state
        assert now.paused and now.step_remaining == before.step_remaining
        await pilot.press("space")
        await tick(pilot, clock, 1.0)
        now = session_screen(app).state
        assert not now.paused
        assert now.step_index == before.step_index
        assert now.step_remaining == before.step_remaining - 1.0


LONG_STEP = """\
format: 1
id: long-text
title: "A long step"
summary: "One step with more words than a small window shows."
chimes: {start: none, end: none}
steps:
  - say: "{text}"
    seconds: 120
  - say: "The last step."
    seconds: 10
"""


def long_text_app(tmp_path: Any, clock: Any, practice: str) -> Any:
    import random

    from conftest import WALL

    from emoflat.launch import LaunchOptions
    from emoflat.library import Library, scan
    from emoflat.tui.app import build_app

    words = " ".join(f"word{n}" for n in range(60)) + " the end."
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "long-text.yaml").write_text(practice.replace("{text}", words), encoding="utf-8")
    entries = {e.id: e for e in scan(extra_dirs=[folder]).entries if e.origin == "extra"}
    options = LaunchOptions(practice_id="long-text", checkin=False)
    return build_app(options, Library(entries, []), clock=clock.now, wall=lambda: WALL,
                     rng=random.Random(7))  # fmt: skip


async def test_a_step_that_does_not_fit_scrolls_and_says_so(tmp_path: Any, clock: Any) -> None:
    app = long_text_app(tmp_path, clock, LONG_STEP)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        screen = session_screen(app)
        middle = screen.query_one("#session-middle")
        assert middle.max_scroll_y > 0
        assert text(app, "#step-line") == "1 of 2 · ↓ more below, the time waits"  # 40 wide
        assert "scroll" in [spec.legend for spec in screen.legend_keys()]
        assert ("↑/↓", "scroll") in screen.query_one(KeyLegend).pairs()  # one row, shown
        # Its time waits until it has been read to its end (counted as practice).
        before = text(app, "#step-line")
        await tick(pilot, clock, 600)
        assert step_index(app) == 0
        assert text(app, "#step-line") == before
        await pilot.press("down", "down", "down", "down", "down")
        await pilot.pause()
        assert middle.scroll_y == middle.max_scroll_y
        assert "more below" not in text(app, "#step-line")
        await tick(pilot, clock, 80)
        assert step_index(app) == 0
        assert "about 50 seconds left" in text(app, "#step-line")  # 120 s + 10 s, less 80 s
        shown = " ".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "word59" in shown and "word0 " not in shown
        await pilot.press("up")
        await pilot.pause()
        assert middle.scroll_y < middle.max_scroll_y
        await tick(pilot, clock, 1)
        assert step_index(app) == 0  # scrolling is not moving on
        remaining = app.recorder.session.state().session_remaining
        assert remaining == pytest.approx(49)  # read once: it runs on
        await pilot.resize_terminal(80, 24)  # larger: it fits, and says nothing
        await pilot.pause()
        await pilot.pause()
        assert middle.max_scroll_y == 0
        assert "more below" not in text(app, "#step-line")
        assert "scroll" not in [spec.legend for spec in screen.legend_keys()]


def test_the_session_screen_and_the_recorder_load_neither_yaml_nor_the_log_reader() -> None:
    # A practice started by id is drawn from the library's cache: its first instruction
    # needs neither the YAML parser nor msgspec (loaded when the session is logged), nor
    # the text editor (loaded only for a practice with a step that takes an answer).
    from conftest import modules_imported_by

    loaded = modules_imported_by(
        "import emoflat.tui.run, emoflat.tui.screens.session, emoflat.recorder",
        submodules=True,
    )
    assert "textual.widgets._static" in loaded  # the probe did import the screens
    assert {m.split(".")[0] for m in loaded} & {"msgspec", "yaml"} == set()
    assert "textual.widgets._text_area" not in loaded


async def test_the_answer_box_is_there_only_when_a_step_takes_an_answer(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(checkin=False, practice_id="short")  # no prompt takes an answer
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not app.screen.query(TextArea)
        assert "Tab" not in [key for key, _ in app.screen.query_one(KeyLegend).pairs()]
        await pilot.press("tab")  # nothing to write in: nothing happens
        await tick(pilot, clock, 1.0)
        assert step_index(app) == 0
        assert app.screen.focused is None
    app = make_app(checkin=False, practice_id="all-kinds")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert len(app.screen.query(TextArea)) == 1


async def test_at_40_columns_the_step_line_still_says_muted(make_app: MakeApp, clock: Any) -> None:
    # The one-row legend has no room for "m unmute (muted)": the step line says it, whole.
    app = make_app(checkin=False, practice_id="short")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await tick(pilot, clock, 0.0)
        line = app.screen.query_one("#step-line")
        shown = text(app, "#step-line")
        assert shown.endswith("· muted") and shown.startswith("1 of 2 · ")
        assert len(shown) <= line.content_size.width
        await pilot.press("m")
        await tick(pilot, clock, 0.0)
        assert text(app, "#step-line").startswith("Step 1 of 2 · ")  # room again


async def test_at_40_by_12_a_step_that_waits_shows_how_to_go_on_and_how_to_end(
    make_app: MakeApp,
) -> None:
    app = make_app(checkin=False, practice_id="waits")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        keys = [key for key, _ in app.screen.query_one(KeyLegend).pairs()]
        assert keys[:2] == ["Enter", "q"] and "h" in keys


async def test_a_long_step_after_a_short_one_holds_its_time_until_read_by_wheel(
    tmp_path: Any, clock: Any
) -> None:
    # The long step comes on its own, after one that fits: it is measured once it is
    # laid out, and read to its end with the mouse wheel, not only the keys.
    short_first = LONG_STEP.replace("steps:\n", 'steps:\n  - say: "Settle in."\n    seconds: 10\n')
    app = long_text_app(tmp_path, clock, short_first)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        screen = session_screen(app)
        assert "more below" not in text(app, "#step-line")
        assert "scroll" not in [spec.legend for spec in screen.legend_keys()]
        await tick(pilot, clock, 10.5)  # the short step ends on its own
        await pilot.pause()
        assert step_index(app) == 1
        assert "↓ more below" in text(app, "#step-line")
        assert "scroll" in [spec.legend for spec in screen.legend_keys()]
        await tick(pilot, clock, 600)
        assert step_index(app) == 1  # its time waits
        middle = screen.query_one("#session-middle")
        for _ in range(20):  # the wheel, as a mouse sends it
            middle.post_message(MouseScrollDown(middle, 1, 1, 0, 1, 0, False, False, False))
            await pilot.pause()
        assert middle.scroll_y == middle.max_scroll_y
        assert "more below" not in text(app, "#step-line")
        await tick(pilot, clock, 121)
        assert step_index(app) == 2
        await tick(pilot, clock, 11)
        await pilot.pause()
        [record] = logged()
        assert record["completed"] is True
        assert record["practiced_seconds"] <= 10 + 120 + 10 + 1  # waiting to be read is not
