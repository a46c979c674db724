"""The check-ins before and after a session, "How was that for you?", the context tags,
the note, and the offer of grounding after "unsettling"."""

from __future__ import annotations

import signal
from typing import Any

from textual import events
from tui_helpers import (
    MakeApp,
    checkin_screen,
    logged,
    run_to_the_end,
    start,
    text,
)

from emoflat import checkin
from emoflat.checkin import GROUNDING_TEXT, HEADINGS, MAX_NOTE, QUESTIONS
from emoflat.tui.screens.checkin import CheckInScreen
from emoflat.tui.screens.grounding import GroundingScreen, UnsettledScreen
from emoflat.tui.screens.help import HelpScreen
from emoflat.tui.screens.picker import PickerScreen
from emoflat.tui.screens.session import SessionScreen
from emoflat.tui.screens.summary import SummaryScreen
from emoflat.tui.widgets.choices import ChoiceFlow, ScaleRow
from emoflat.tui.widgets.note import NoteBox


async def test_check_ins_felt_tags_and_note_make_one_record_exactly(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        screen = checkin_screen(app)
        assert screen.flow.phase == "before"
        assert text(app, "#checkin-heading") == f"{HEADINGS['before']} · 1 of 3"
        assert text(app, "#checkin-question") == QUESTIONS["feel"]
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
        await run_to_the_end(pilot, clock)
        screen = checkin_screen(app)
        assert screen.flow.phase == "after"
        assert text(app, "#checkin-heading") == f"{HEADINGS['after']} · 1 of 6"
        await pilot.press("t", "enter", "right", "enter", "enter")  # 10, pleasant, no words
        assert text(app, "#checkin-question") == QUESTIONS["felt"]
        await pilot.press("1", "enter")  # helpful
        assert text(app, "#checkin-question") == QUESTIONS["tags"]
        await pilot.press("right", "space", "right", "space", "enter")  # tags 2 and 3
        assert text(app, "#checkin-question") == QUESTIONS["note"]
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
        assert record["practiced_seconds"] == record["planned_seconds"]


async def test_s_skips_each_check_in_in_one_key_and_stores_null(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("5", "s")  # what was marked on a skipped question is not kept
        await run_to_the_end(pilot, clock)
        assert checkin_screen(app).flow.question == "feel"
        await pilot.press("s")  # the whole check-in after, "How was that" with it
        assert checkin_screen(app).flow.question == "tags"
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
        await run_to_the_end(pilot, clock)
        await pilot.press("2", "enter", "escape")  # feel 2, then skip the rest
        await pilot.press("enter", "enter")
        await pilot.pause()
        [record] = logged()
        assert record["before"] is None
        assert record["after"] == {"feel": 2, "tone": None, "words": [], "felt": None}


async def test_no_checkin_asks_nothing_before_or_after(make_app: MakeApp, clock: Any) -> None:
    app = make_app(practice_id="short", checkin=False)
    async with app.run_test() as pilot:
        await run_to_the_end(pilot, clock)
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
        await run_to_the_end(pilot, clock)
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
        assert grounding.countdown is not None and grounding.countdown.paused
        clock.advance(100)
        grounding.tick()
        assert not grounding.ended
        assert grounding.countdown.remaining == 15
        await pilot.press("space")
        assert not grounding.countdown.paused
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
        assert checkin_screen(app).flow.question == "tags"
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
        await run_to_the_end(pilot, clock)
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
        assert checkin_screen(app).flow.question == "tags"


async def test_typing_in_the_note_box_types_every_character(make_app: MakeApp, clock: Any) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s")
        await run_to_the_end(pilot, clock)
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


async def test_the_note_keeps_at_most_max_note_characters(make_app: MakeApp, clock: Any) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s")
        await run_to_the_end(pilot, clock)
        await pilot.press("s", "enter", "tab")  # no check-in, no tags; into the note box
        assert app.screen.focused is app.screen.query_one(NoteBox)
        app.post_message(events.Paste("n" * (MAX_NOTE - 2)))  # as a terminal pastes
        await pilot.pause()
        await pilot.press(*"otes beyond")  # typing on past the limit
        await pilot.pause()
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        [record] = logged()
        assert record["note"] == "n" * (MAX_NOTE - 2) + "ot"
        assert len(record["note"]) == checkin.MAX_NOTE


async def test_note_text_with_markup_is_kept_and_never_parsed(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s")
        await run_to_the_end(pilot, clock)
        await pilot.press("s", "enter", "tab", *"[/] [bold]", "escape")
        await pilot.pause()
        assert app.screen.query_one(NoteBox).text == "[/] [bold]"
        await pilot.press("s")  # s: no note after all
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
        await run_to_the_end(pilot, clock)
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
        await run_to_the_end(pilot, clock)
        await pilot.press("s", "space", "enter", "tab", *"half a thought", "ctrl+q")
        await pilot.pause()
    [record] = logged()
    assert record["note"] == "half a thought"
    assert record["tags"] == ["tired day"]


async def test_ctrl_c_after_the_session_logs_what_was_given_and_sums_up(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "Two short steps", screen=CheckInScreen)
        await pilot.press("s")
        await run_to_the_end(pilot, clock)
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
        await start(pilot, "Two short steps", screen=CheckInScreen)
        await pilot.press("3", "q")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert app.recorder is None
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert logged() == []


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
        assert screen.flow.question == "tone"
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
        assert screen.flow.question == "feel" and scale.value == 0
        await pilot.press("enter", "enter")
        assert screen.flow.question == "words"
        await pilot.press("down", "space", "down", "x", "up", "space", "t")
        assert choices.marked == ["flat"]
        await pilot.press("backspace")
        assert choices.marked == []
        await pilot.press("tab")  # no box here: nothing happens
        assert app.screen.focused is None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    [record] = logged()
    assert record["before"] == {"feel": 0, "tone": "nothing noticeable", "words": []}


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
