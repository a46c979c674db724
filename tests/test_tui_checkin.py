"""The check-ins before and after a session: the short one by default (one screen each),
more a key away, every question with ``checkin = "full"``; "How was that for you?", the
context tags, the note, and the offer of grounding after "unsettling"."""

from __future__ import annotations

import signal
from typing import Any

import pytest
from textual import events
from tui_helpers import (
    MakeApp,
    checkin_screen,
    drawn,
    logged,
    run_to_the_end,
    start,
    text,
)

from emoflat import checkin
from emoflat.checkin import GROUNDING_TEXT, HEADINGS, MAX_NOTE, QUESTIONS
from emoflat.tui.screens.checkin import ON, CheckInScreen
from emoflat.tui.screens.grounding import GroundingScreen, UnsettledScreen
from emoflat.tui.screens.help import HelpScreen
from emoflat.tui.screens.picker import PickerScreen
from emoflat.tui.screens.session import SessionScreen
from emoflat.tui.screens.summary import SummaryScreen
from emoflat.tui.widgets.choices import ChoiceFlow, ScaleRow
from emoflat.tui.widgets.legend import KeyLegend
from emoflat.tui.widgets.textbox import TextBox


def legend(app: Any) -> str:
    return " ".join(drawn(app.screen.query_one(KeyLegend)))


def shown_questions(app: Any) -> list[str]:
    """The questions on screen now, each with the mark if it has one."""
    screen = app.screen
    found = []
    for name in ("feel", "choices", "felt", "note"):
        if screen.query_one(f"#row-{name}").display:
            mark = text(app, f"#mark-{name}") if screen.query_one(f"#mark-{name}").display else ""
            found.append((mark + " " + text(app, f"#question-{name}")).strip())
    return found


async def to_the_note(pilot: Any, clock: Any) -> None:
    """Skip the check-in before, run the session, and on the page after ask for more and
    go on to the note (no tone, no words, no tags)."""
    await pilot.pause()
    await pilot.press("s")
    await run_to_the_end(pilot, clock)
    await pilot.press("d", "enter", "enter", "enter")
    await pilot.pause()
    assert checkin_screen(pilot.app).flow.page == ("note",)


async def test_the_short_check_in_is_one_screen_before_and_one_after(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        screen = checkin_screen(app)
        assert screen.flow.phase == "before"
        assert text(app, "#checkin-heading") == HEADINGS["before"]  # one page: no count
        assert shown_questions(app) == [QUESTIONS["feel"]]
        assert "0 = nothing, completely flat" in text(app, "#scale-ends")
        assert "10 = as vividly as I ever do" in text(app, "#scale-ends")
        assert "d more" in legend(app) and "s skip" in legend(app)
        await pilot.press("3")
        assert screen.query_one(ScaleRow).plain().split() == [
            "0", "1", "2", "[3]", "4", "5", "6", "7", "8", "9", "10"
        ]  # fmt: skip
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert logged() == []
        await run_to_the_end(pilot, clock)
        screen = checkin_screen(app)
        assert screen.flow.phase == "after"
        assert text(app, "#checkin-heading") == HEADINGS["after"]
        assert shown_questions(app) == [f"{ON} {QUESTIONS['feel']}", QUESTIONS["felt"]]
        assert "↑/↓ question" in legend(app)
        await pilot.press("6", "down")
        assert shown_questions(app) == [QUESTIONS["feel"], f"{ON} {QUESTIONS['felt']}"]
        await pilot.press("1", "enter")  # helpful
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        [record] = logged()
        assert record["before"] == {"feel": 3, "tone": None, "words": []}
        assert record["after"] == {"feel": 6, "tone": None, "words": [], "felt": "helpful"}
        assert record["note"] is None and record["tags"] == []
        assert record["completed"] is True


async def test_d_asks_the_other_questions_which_make_one_record_exactly(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await pilot.press("3", "d")
        assert text(app, "#checkin-heading") == f"{HEADINGS['before']} · 2 of 3"
        assert shown_questions(app) == [QUESTIONS["tone"]]
        assert "d more" not in legend(app)  # once only
        await pilot.press("3", "enter")  # mixed
        await pilot.press("space", "right", "right", "space", "enter")  # numb, blank
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await run_to_the_end(pilot, clock)
        await pilot.press("t", "down", "1", "d")  # 10, helpful; more
        assert text(app, "#checkin-heading") == f"{HEADINGS['after']} · 2 of 5"
        await pilot.press("right", "enter", "enter")  # pleasant, no words
        assert shown_questions(app) == [QUESTIONS["tags"]]
        await pilot.press("right", "space", "right", "space", "enter")  # tags 2 and 3
        assert shown_questions(app) == [QUESTIONS["note"]]
        await pilot.press(*"warm [b]hands[/b]", "enter", *"a second line", "escape")
        assert logged() == []  # still once, at the end
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        [record] = logged()
        assert record["before"] == {"feel": 3, "tone": "mixed", "words": ["numb", "blank"]}
        assert record["after"] == {"feel": 10, "tone": "pleasant", "words": [], "felt": "helpful"}
        assert record["note"] == "warm [b]hands[/b]\na second line"
        assert record["tags"] == ["tired day", "poor sleep"]


async def test_the_full_check_in_asks_every_question_a_screen_each(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short", checkin_full=True)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        seen = []
        for _ in range(3):
            seen.append((text(app, "#checkin-heading"), shown_questions(app)))
            assert "d more" not in legend(app)
            await pilot.press("enter")
        assert seen == [
            (f"{HEADINGS['before']} · 1 of 3", [QUESTIONS["feel"]]),
            (f"{HEADINGS['before']} · 2 of 3", [QUESTIONS["tone"]]),
            (f"{HEADINGS['before']} · 3 of 3", [QUESTIONS["words"]]),
        ]
        await run_to_the_end(pilot, clock)
        asked = []
        for _ in range(6):
            asked.append(shown_questions(app))
            if app.screen.focused is not None:  # the note's page starts in its box
                await pilot.press("escape")
            await pilot.press("enter")
        assert asked == [[QUESTIONS[q]] for q in ("feel", "tone", "words", "felt", "tags", "note")]
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        [record] = logged()
        assert record["before"] is None and record["after"] is None


@pytest.mark.parametrize(
    ("before", "after", "feel"),
    [((), (), (None, None)), (("5",), ("4",), (5, 4))],
    ids=["nothing marked: stores null", "marked, then s: kept"],
)
async def test_s_skips_each_check_in_in_one_key_keeping_what_is_marked(
    make_app: MakeApp,
    clock: Any,
    before: tuple[str, ...],
    after: tuple[str, ...],
    feel: tuple[int | None, int | None],
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*before, "s")  # marked, then skip the rest: a mark is the user's
        await run_to_the_end(pilot, clock)
        await pilot.press(*after, "s")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        [record] = logged()
        for checkin, expected in zip((record["before"], record["after"]), feel, strict=True):
            assert (checkin is None) if expected is None else (checkin["feel"] == expected)
        assert record["note"] is None and record["tags"] == []


async def test_what_was_given_before_a_skip_is_kept(make_app: MakeApp, clock: Any) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s")
        await run_to_the_end(pilot, clock)
        await pilot.press("2", "d", "1", "enter", "s")  # feel 2, tone pleasant; skip words
        await pilot.pause()
        [record] = logged()
        assert record["before"] is None
        assert record["after"] == {"feel": 2, "tone": "pleasant", "words": [], "felt": None}


async def test_escape_leaves_like_q(make_app: MakeApp, clock: Any) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "Two short steps", screen=CheckInScreen)
        await pilot.press("3", "escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert app.recorder is None
        await start(pilot, "Two short steps", screen=CheckInScreen)
        await pilot.press("enter")
        await run_to_the_end(pilot, clock)
        await pilot.press("7", "escape")  # after: keeps what was given and finishes
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        [record] = logged()
        assert record["after"]["feel"] == 7


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
    from emoflat.helptext import flowing, help_text

    app = make_app(practice_id="short")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await run_to_the_end(pilot, clock)
        await pilot.press("down", "3", "enter")  # unsettling
        await pilot.pause()
        assert isinstance(app.screen, UnsettledScreen)
        assert "g  ground for 30 seconds" in text(app, "#offer-choices")
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert text(app, "#text-body") == flowing(help_text().rstrip("\n"))
        await pilot.press("escape", "g")
        await pilot.pause()
        grounding = app.screen
        assert isinstance(grounding, GroundingScreen)
        assert text(app, "#grounding-text") == GROUNDING_TEXT
        assert text(app, "#grounding-left") == "about 30 seconds left"
        clock.advance(15)
        grounding.tick()
        assert ("Space", "pause") in grounding.query_one(KeyLegend).pairs()
        await pilot.press("space")  # paused: the time stands still
        assert "Paused" in text(app, "#grounding-paused")
        await pilot.pause()
        assert ("Space", "go on") in grounding.query_one(KeyLegend).pairs()
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
        assert isinstance(app.screen, SummaryScreen)  # the short check-in had one page
        [record] = logged()
        assert record["after"] == {"feel": None, "tone": None, "words": [], "felt": "unsettling"}


async def test_unsettling_then_s_still_offers_grounding_and_help_then_finishes(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s")
        await run_to_the_end(pilot, clock)
        await pilot.press("down", "right", "right", "right", "s")  # unsettling, skip the rest
        await pilot.pause()
        assert isinstance(app.screen, UnsettledScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        [record] = logged()
        assert record["after"]["felt"] == "unsettling"


async def test_unsettling_then_d_offers_grounding_before_the_other_questions(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s")
        await run_to_the_end(pilot, clock)
        await pilot.press("down", "right", "right", "right", "d")  # unsettling, more
        await pilot.pause()
        assert isinstance(app.screen, UnsettledScreen)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("enter")  # the grounding step ends early
        await pilot.pause()
        assert isinstance(app.screen, UnsettledScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert checkin_screen(app).flow.page == ("tone",)


async def test_typing_in_the_note_box_types_every_character(make_app: MakeApp, clock: Any) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await to_the_note(pilot, clock)
        note = app.screen.query_one(TextBox)
        assert app.screen.focused is note  # the note's page is for writing
        assert legend(app).strip() == "Tab/Esc leave box"
        await pilot.press(*"qmhnbsd 0123", "question_mark", "l", "t", "x", "space", "backspace")
        await pilot.pause()
        assert note.text == "qmhnbsd 0123?ltx"
        assert isinstance(app.screen, CheckInScreen)
        assert not app.muted
        await pilot.press("escape")
        assert app.screen.focused is None
        assert "Tab write" in legend(app)
        await pilot.press("tab", "tab")  # in, and out again with Tab
        assert app.screen.focused is None
        await pilot.press("enter")
        await pilot.pause()
        [record] = logged()
        assert record["note"] == "qmhnbsd 0123?ltx"


async def test_the_note_keeps_at_most_max_note_characters(make_app: MakeApp, clock: Any) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await to_the_note(pilot, clock)
        assert app.screen.focused is app.screen.query_one(TextBox)
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
        await to_the_note(pilot, clock)
        await pilot.press(*"[/] [bold]", "escape")
        await pilot.pause()
        assert app.screen.query_one(TextBox).text == "[/] [bold]"
        await pilot.press("s")  # skip the rest: what was written is kept
        await pilot.pause()
        assert app.is_running
        [record] = logged()
        assert record["note"] == "[/] [bold]"


async def test_closing_during_the_after_screens_logs_what_was_given_once(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("4", "enter")
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
        await pilot.press("d", "enter", "enter", "space", "enter")  # tag 1
        await pilot.press(*"half a thought", "ctrl+q")
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
        await pilot.press("7", "h")  # help over the questions
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
        await pilot.press("1", "0")  # 1 then 0 marks 10
        assert scale.value == 10
        await pilot.press("3", "0")  # 0 after another digit is 0
        assert scale.value == 0
        await pilot.press("t", "right")
        assert scale.value == 10  # stops at the end
        await pilot.press("left", "left")
        assert scale.value == 8
        await pilot.press("up", "down")  # one question on the page: no other row
        assert scale.value == 8 and screen.row == 0
        await pilot.press("backspace")
        assert scale.value is None
        await pilot.press("right")
        assert scale.value == 0
        await pilot.press("space", "x")  # nothing to mark on the row: no change
        assert scale.value == 0
        await pilot.press("d")
        assert screen.flow.page == ("tone",)
        choices = screen.query_one("#choices", ChoiceFlow)
        await pilot.press("5")
        assert choices.marked == ["nothing noticeable"]
        await pilot.press("0", "9")  # no such choice: no change
        assert choices.marked == ["nothing noticeable"]
        await pilot.press("space")  # unmarks
        assert choices.marked == []
        await pilot.press("x")
        assert choices.marked == ["nothing noticeable"]
        await pilot.press("b")
        assert screen.flow.page == ("feel",) and scale.value == 0
        await pilot.press("b")  # the first page: nowhere to go back to
        assert screen.flow.page == ("feel",)
        await pilot.press("enter")
        assert screen.flow.page == ("tone",)
        assert choices.marked == ["nothing noticeable"]  # kept when going back and on
        await pilot.press("enter")
        assert screen.flow.page == ("words",)
        await pilot.press("right", "space", "right", "x", "left", "space", "t")
        assert choices.marked == ["flat"]
        await pilot.press("backspace")
        assert choices.marked == []
        await pilot.press("tab")  # no box here: nothing happens
        assert app.screen.focused is None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await run_to_the_end(pilot, clock)
        screen = checkin_screen(app)
        await pilot.press("5", "down", "2", "up", "right")  # rows: feel, then felt
        assert screen.query_one(ScaleRow).value == 6
        assert screen.query_one("#felt", ChoiceFlow).marked == ["neutral"]
        await pilot.press("ctrl+q")
        await pilot.pause()
    [record] = logged()
    assert record["before"] == {"feel": 0, "tone": "nothing noticeable", "words": []}
    assert record["after"] == {"feel": 6, "tone": None, "words": [], "felt": "neutral"}


async def test_each_check_in_page_fits_40_by_12_with_its_legend(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app(practice_id="short")
    async with app.run_test(size=(40, 12)) as pilot:

        def fits() -> None:
            screen = app.screen
            bottom = screen.query_one("#legend").region.y
            body = screen.query_one("#checkin-body")
            assert body.max_scroll_y == 0, "the page scrolls"
            for widget in screen.query("#checkin-body > *"):
                if widget.display:
                    assert widget.region.bottom <= bottom, widget
            if app.screen.focused is None:
                # One row: the way on, skip (always offered), the way out and help.
                assert legend(app).strip() == "Enter go on  s skip  q leave  h help"

        await pilot.pause()
        fits()
        await pilot.press("d")
        fits()
        await pilot.press("enter")
        fits()
        await pilot.press("enter")
        await pilot.pause()
        await run_to_the_end(pilot, clock)
        fits()
        await pilot.press("d")
        for _ in range(4):  # tone, words, tags, note
            fits()
            if app.screen.focused is not None:  # the note's page starts in its box
                await pilot.press("escape")
                fits()
            await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)


async def test_a_context_tag_with_control_characters_is_drawn_harmless(
    make_app: MakeApp, clock: Any
) -> None:
    """A tag from the settings holding ESC, an OSC 52 and a BEL reaches the screen as
    plain spaces: nothing that reaches the terminal could act on it."""
    from emoflat.config import Config

    hostile = "busy\x1b]52;c;cm0gLXJmIH4=\x07day\x9b"
    app = make_app(practice_id="short", config=Config(context_tags=(hostile,)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await run_to_the_end(pilot, clock)
        await pilot.press("d", "enter", "enter")
        await pilot.pause()
        assert checkin_screen(app).flow.page == ("tags",)
        drawn_text = "".join(
            segment.text for strip in app.screen._compositor.render_strips() for segment in strip
        )
        assert "busy ]52;c;cm0gLXJmIH4= day" in drawn_text
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in drawn_text)
