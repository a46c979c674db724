"""The picker: every practice with its summary, length and tags; search; the length;
starting a practice by key, by search and by mouse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import until
from textual.widgets import Input
from tui_helpers import TITLES, MakeApp, drawn, text

from emoflat.tui.screens.picker import PickerScreen
from emoflat.tui.screens.session import SessionScreen
from emoflat.tui.widgets.legend import KeyLegend
from emoflat.tui.widgets.lists import PracticeList


def legend(app: Any) -> str:
    return " ".join(drawn(app.screen.query_one(KeyLegend))).strip()


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
        assert lines[lines.index("Waits for you") + 2] == "untimed, at your own pace"
        shown = [line.strip() for line in drawn(practices)]
        assert "All kinds of steps" in shown
        assert shown[shown.index("All kinds of steps") + 2] == lines[start + 2]


async def test_markup_in_a_practice_title_is_drawn_literally(make_app: MakeApp) -> None:
    app = make_app(checkin=False)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        shown = drawn(app.screen.query_one(PracticeList))
        assert shown[0] == " [bold]not bold[/]"
        assert shown[1] == " [/] and [red]not red[/red] are only characters."


async def test_slash_opens_the_search_and_every_key_typed_goes_into_it(
    make_app: MakeApp,
) -> None:
    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        practices = app.screen.query_one(PracticeList)
        search = app.screen.query_one("#search", Input)
        await pilot.press("slash", *"mirror qhl?/ ")  # no mute, no quit, help or sessions
        await pilot.pause()
        assert search.value == "mirror qhl?/ "
        assert isinstance(app.screen, PickerScreen) and not app.muted
        assert legend(app) == "Esc clear"  # nothing found: nothing to start or choose
        await pilot.press("escape")  # clears the search and leaves the box
        assert search.value == "" and app.screen.focused is practices
        assert "/ search" in legend(app)
        await pilot.press("slash", *"writing")  # by tag
        await pilot.pause()
        assert [e.id for e in practices.entries] == ["timed-prompt"]
        await pilot.press("escape", "slash", *"two")  # by title
        await pilot.pause()
        assert [e.id for e in practices.entries] == ["short"]
        await pilot.press(*" zzz")
        await pilot.pause()
        assert not practices.display
        assert app.screen.query_one("#no-match").display


async def test_arrows_in_the_search_move_through_what_was_found(make_app: MakeApp) -> None:
    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("slash", *"step")
        await pilot.pause()
        found = [e.id for e in app.screen.query_one(PracticeList).entries]
        assert len(found) > 1
        await pilot.press("down")
        assert app.screen.query_one("#search", Input).value == "step"
        assert app.screen.highlighted_entry.id == found[1]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.recorder.session.practice.id == found[1]


async def test_enter_in_the_search_box_starts_the_first_match(make_app: MakeApp) -> None:
    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("slash", *"waits", "enter")
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


async def test_an_untimed_practice_says_so_and_offers_no_other_length(
    make_app: MakeApp,
) -> None:
    app = make_app(checkin=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(TITLES.index("Waits for you")):
            await pilot.press("down")
        assert text(app, "#length") == "Length: untimed, at your own pace"
        assert "length" not in legend(app)
        await pilot.press("right")
        assert text(app, "#length") == "Length: untimed, at your own pace"


async def test_minutes_asked_for_are_chosen_first(make_app: MakeApp) -> None:
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


async def test_the_mouse_works_but_is_never_needed(make_app: MakeApp) -> None:
    app = make_app(checkin=False)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        practices = app.screen.query_one(PracticeList)
        await pilot.press("down", "down")
        assert practices.highlighted_entry is not None
        assert practices.highlighted_entry.id == "all-kinds"
        await pilot.click("#length")  # the next length
        assert text(app, "#length").startswith("Length: about 3 min")
        row = drawn(practices).index(" All kinds of steps")
        await pilot.click(PracticeList, offset=(3, row))  # one click starts it
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.recorder.session.practice.id == "all-kinds"
        assert app.screen.recorder.session.planned_seconds == pytest.approx(180)


async def test_a_click_on_another_practice_starts_that_one(make_app: MakeApp) -> None:
    app = make_app(checkin=False)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        practices = app.screen.query_one(PracticeList)
        row = drawn(practices).index(" Waits for you")
        await pilot.click(PracticeList, offset=(3, row + 1))  # on its summary
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.recorder.session.practice.id == "waits"


# Where to start: a suggestion for a new user, "again" for everyone else ---------------------


def builtin_app(clock: Any) -> Any:
    """The app on the built-in practices (grouped by what they are for)."""
    import random

    from conftest import WALL

    from emoflat.launch import LaunchOptions
    from emoflat.library import scan
    from emoflat.tui.app import build_app

    return build_app(LaunchOptions(checkin=False), scan(), clock=clock.now,
                     wall=lambda: WALL, rng=random.Random(7))  # fmt: skip


def headings_and_titles(app: Any) -> list[str]:
    practices = app.screen.query_one(PracticeList)
    found = []
    for index in range(practices.option_count):
        option = practices.get_option_at_index(index)
        text_ = str(option.prompt).split("\n")[0]
        found.append(f"# {text_}" if option.disabled else text_)
    return found


async def test_a_new_user_is_shown_where_to_start_and_the_practices_by_what_they_are_for(
    clock: Any,
) -> None:
    from emoflat.tui.wording import GROUPS, SUGGESTED

    app = builtin_app(clock)
    async with app.run_test(size=(80, 40)) as pilot:
        await until(pilot, lambda: app.screen._new_user)
        shown = headings_and_titles(app)
        assert shown[:2] == [f"# {SUGGESTED}", "Watching the breath"]
        assert [line[2:] for line in shown if line.startswith("# ")] == [SUGGESTED, *GROUPS]
        assert app.screen.highlighted_entry.id == "breath-observation"
        assert "r again" not in legend(app)
        await pilot.press("down")  # over the next heading, to the first of its group
        assert app.screen.highlighted_entry is not None
        await pilot.press("slash", *"mirror")  # a search lists what it finds, ungrouped
        await pilot.pause()
        assert not any(line.startswith("# ") for line in headings_and_titles(app))


async def test_r_starts_the_last_practice_again_at_its_length(
    make_app: MakeApp, clock: Any
) -> None:
    from records import make_record

    from emoflat.log.store import append_record

    started = "2026-03-03T09:00:00+01:00"
    append_record(
        make_record(started, practice="short", title="Two short steps", planned_seconds=180)
    )
    app = make_app(checkin=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen.query_one("#again").display)
        assert text(app, "#again") == "r: again, “Two short steps”, about 3 min"
        assert "r again" in legend(app)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.recorder.session.practice.id == "short"
        assert app.screen.recorder.session.planned_seconds == pytest.approx(180)
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("enter")  # back to the practices: this one is the last now
        await pilot.pause()
        await until(pilot, lambda: "about 3 min" in text(app, "#again"))


async def test_fast_typing_after_slash_goes_into_the_search_every_letter(
    make_app: MakeApp,
) -> None:
    """Keys that arrive together, as a terminal sends fast typing, all reach the box: the
    focus moves to it before the next key is handled."""
    from textual import events

    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        for char in "/mirror help":  # sent as the driver sends them, none waited for
            key_event = events.Key({"/": "slash", " ": "space"}.get(char, char), char)
            key_event.set_sender(app)
            app._driver.send_message(key_event)
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#search", Input).value == "mirror help"
        assert isinstance(app.screen, PickerScreen) and not app.muted


async def test_a_search_that_finds_nothing_shows_only_the_key_that_works(
    make_app: MakeApp,
) -> None:
    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert app.screen.query_one("#no-match").display
        assert app.screen.query_one(KeyLegend).pairs() == [("Esc", "clear")]
        await pilot.press("backspace", "backspace", "backspace", *"waits")
        await pilot.pause()
        assert [key for key, _ in app.screen.query_one(KeyLegend).pairs()] == [
            "Enter", "↑/↓", "Esc"
        ]  # fmt: skip


async def test_back_from_a_practice_found_by_search_the_search_is_cleared_and_r_works(
    make_app: MakeApp,
) -> None:
    app = make_app(checkin=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"waits", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("enter")  # back to the practices
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        assert picker.query_one("#search", Input).value == ""
        assert picker.focused is picker.query_one(PracticeList)
        await until(pilot, lambda: picker.query_one("#again").display)
        await pilot.press("r")  # the again key, not a letter in a stale search
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.recorder.session.practice.id == "waits"
