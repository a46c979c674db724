"""Every screen's legend against what its keys do: each key a legend shows is bound there,
enabled, to what the legend says (a key that is shown must work), and pressing it acts.

The walk goes through every screen of the TUI in one run, as a user does: the picker and
its search, help and the keys, a session (a step, a breath, a prompt with its box, a step
that waits), the end question, the check-ins (each kind of page, the note), the offer after
"unsettling", grounding, the summary, and the sessions (list, one session, the calendar).
"""

from __future__ import annotations

from typing import Any

from tui_helpers import MakeApp, log_three_sessions, read_done, run_to_the_end, tick

from emoflat.keys import (
    CHOOSE,
    DIGITS,
    LEAVE_BOX,
    LIST_KEYS,
    MOVE,
    NUMBER,
    ROW,
    SCROLL,
    START,
    KeySpec,
)
from emoflat.tui.screens.sessions import SessionsScreen

#: Legend entries that stand for bindings of their own (the digits, the list's arrows).
STANDS_FOR = {NUMBER.id: DIGITS, CHOOSE.id: LIST_KEYS[:2]}
#: Where a focused list or box takes a key first, the action that does what the legend says.
SAME_AS = {
    "start": {"select", "submit"},  # Enter on the list selects, in the search submits: starts
    "open": {"select"},
    "scroll(-1)": {"scroll_up"},
    "scroll(1)": {"scroll_down"},
    "leave": {"leave"},
    "change(1)": {"select"},  # Enter on the settings list selects: the next value
}


def bindings_of(spec: KeySpec) -> list[KeySpec]:
    if spec.id in STANDS_FOR:
        return list(STANDS_FOR[spec.id])
    return list(spec.parts) or [spec]


def check_legend(app: Any, where: str, seen: dict[str, list[str]]) -> None:
    """Each key of the screen's legend is an active, enabled binding to its action."""
    screen = app.screen
    active = screen.active_bindings
    legend = screen.legend_keys()
    assert legend, where
    seen[where] = [spec.legend for spec in legend]
    for spec in legend:
        for part in bindings_of(spec):
            for key in (k.strip() for k in app.keymap.get(part.id, part.keys).split(",")):
                assert key in active, f"{where}: {spec.legend!r} shows {key!r}, bound nowhere"
                bound = active[key]
                action = bound.binding.action.removeprefix("app.").removeprefix("screen.")
                wanted = part.action.removeprefix("app.")
                ok = action == wanted or action in SAME_AS.get(wanted, set())
                assert ok, f"{where}: {key!r} does {action!r}, the legend says {wanted!r}"
                assert bound.enabled, f"{where}: {key!r} is shown but disabled"


async def test_every_legend_key_on_every_screen_is_bound_to_what_it_says(
    make_app: MakeApp, clock: Any
) -> None:
    log_three_sessions()
    app = make_app(checkin=True)
    seen: dict[str, list[str]] = {}
    async with app.run_test(size=(80, 24)) as pilot:

        async def at(where: str, *keys: str) -> None:
            await pilot.press(*keys)
            await pilot.pause()
            check_legend(app, where, seen)

        await at("picker")
        await at("search", "slash", *"step")
        await at("picker, search cleared", "escape")
        await at("help", "h")
        await at("keys from help", "question_mark")
        await at("picker again", "escape", "escape")
        await at("settings", "o")
        await at("about", "escape", "a")
        await at("help", "escape", "h")
        await at("about from help", "a")
        await at("picker once more", "escape")
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        await read_done(pilot, screen)
        await at("sessions")
        await at("one session", "enter")
        await at("calendar", "escape", "c")
        await at("picker from the sessions", "escape", "escape")
        for _ in range(2):  # to "All kinds of steps"
            await pilot.press("down")
        await at("check-in before", "enter")
        await at("check-in before, tone", "d")
        await at("check-in before, words", "enter")
        await at("a step", "enter")
        await tick(pilot, clock, 30)
        check_legend(app, "a breath", seen)
        await tick(pilot, clock, 70)
        check_legend(app, "a prompt, in its box", seen)
        await at("a prompt, out of its box", "escape")
        await at("the end question", "q")
        await at("a step again", "n")
        await pilot.press("enter")  # the prompt waits: on
        await tick(pilot, clock, 1)
        await run_to_the_end(pilot, clock)
        check_legend(app, "check-in after", seen)
        await at("check-in after, second question", "down")
        await at("after unsettling", "3", "enter")
        await at("grounding", "g")
        await at("the offer again", "enter")
        await at("summary", "enter")
        await at("sessions from the summary", "l")
    assert seen["picker"] == ["start", "choose", "length", "search", "sessions", "settings",
                              "about", "quit", "mute", "help", "keys"]  # fmt: skip
    assert seen["settings"] == ["change", "choose", "back", "mute", "help", "keys"]
    assert seen["help"][:2] == ["scroll", "about"]
    assert seen["search"] == ["start", "choose", "clear"]
    assert seen["a prompt, in its box"] == [LEAVE_BOX.legend]
    assert "write" in seen["a prompt, out of its box"]
    assert seen["check-in after"][:4] == ["go on", NUMBER.legend, MOVE.legend, ROW.legend]
    assert "more" in seen["check-in before"] and "more" not in seen["check-in before, tone"]
    assert "back" in seen["check-in before, tone"] and "back" not in seen["check-in before"]
    assert SCROLL.legend in seen["help"] and START.legend in seen["picker"]


async def test_pressing_each_key_of_the_first_screens_acts(make_app: MakeApp) -> None:
    """Each key of the picker's legend, pressed, does what it says."""
    app = make_app(checkin=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        picker = app.screen
        await pilot.press("down", "down")
        assert picker.highlighted_entry.id == "all-kinds"  # type: ignore[attr-defined]
        length = picker.chosen_length()  # type: ignore[attr-defined]
        await pilot.press("right")
        assert picker.chosen_length() != length  # type: ignore[attr-defined]
        await pilot.press("slash")
        assert app.screen.focused is app.screen.query_one("#search")
        await pilot.press("escape", "m")
        assert app.muted
        for key, screen_name in (("h", "HelpScreen"), ("question_mark", "KeysScreen")):
            await pilot.press(key)
            await pilot.pause()
            assert type(app.screen).__name__ == screen_name
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "SessionScreen"
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


def faint(app: Any) -> list[str]:
    """The text the screen draws faint (dim), or in a colour faded toward the background."""
    found = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            style = segment.style
            if style is None or not segment.text.strip():
                continue
            colour = style.color
            faded = colour is not None and colour.triplet is not None and not colour.is_default
            if style.dim or (faded and app.ansi_color):
                found.append(f"row {y}: {segment.text!r} {style}")
    return found


async def test_nothing_is_drawn_faint_placeholders_included(
    make_app: MakeApp, clock: Any, monkeypatch: Any
) -> None:
    for no_color in (False, True):
        if no_color:
            monkeypatch.setenv("NO_COLOR", "1")
        else:
            monkeypatch.delenv("NO_COLOR", raising=False)
        app = make_app(checkin=True)
        async with app.run_test(size=(80, 24)) as pilot:

            async def look(where: str, *keys: str) -> None:
                await pilot.press(*keys)
                await pilot.pause()
                assert faint(pilot.app) == [], where

            await look("picker, its search placeholder")
            await look("search", "slash")
            await look("check-in", "escape", "down", "down", "enter")
            await look("session", "s")
            await tick(pilot, clock, 100)
            await look("a prompt with its empty box")
            await pilot.press("escape", "enter")
            await tick(pilot, clock, 1)
            await run_to_the_end(pilot, clock)
            await look("the note's empty box", "d", "enter", "enter", "enter")
            await look("summary", "escape", "enter")
