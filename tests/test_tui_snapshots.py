"""Snapshots of every TUI screen, each with its own legend, at 80x24 and at the smallest
supported size, 40x12 (and the pause a window smaller than that gets).

Deterministic: a fake clock, a fixed wall clock, a seeded random generator, animations
off (so the breath visual is still), no blinking cursors, and the fixture practices
only. ``snap_compare`` runs its own event loop, so these are plain ``def`` tests.
Update with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from conftest import until
from textual.pilot import Pilot

from emoflat.tui.screens.session import SessionScreen
from emoflat.tui.screens.summary import SummaryScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((40, 12), id="40x12")]

Snap = Callable[..., bool]


def advance(clock: Any, seconds: float) -> Callable[[Pilot[Any]], Any]:
    """A ``run_before`` that moves the fake clock on and lets the session screen see it."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        clock.advance(seconds)
        screen = pilot.app.screen
        if isinstance(screen, SessionScreen):
            screen.tick()
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, SummaryScreen):
            await until(pilot, lambda: screen.days_line)

    return run_before


@pytest.fixture(autouse=True)
def _colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.mark.parametrize("size", SIZES)
def test_picker(snap_compare: Snap, make_app: Callable[..., Any], size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, press=["down", "down"])


@pytest.mark.parametrize("size", SIZES)
def test_say_step(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="all-kinds", checkin=False)
    assert snap_compare(app, terminal_size=size, run_before=advance(clock, 5))


@pytest.mark.parametrize("size", SIZES)
def test_breath_step(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="all-kinds", checkin=False)
    assert snap_compare(app, terminal_size=size, run_before=advance(clock, 35))


@pytest.mark.parametrize("size", SIZES)
def test_prompt_step_with_an_answer_typed(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="all-kinds", checkin=False)
    assert snap_compare(app, terminal_size=size, run_before=advance(clock, 90), press=[*"my hands"])


@pytest.mark.parametrize("size", SIZES)
def test_paused(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="all-kinds", checkin=False)
    assert snap_compare(app, terminal_size=size, run_before=advance(clock, 35), press=["space"])


@pytest.mark.parametrize("size", SIZES)
def test_searching(snap_compare: Snap, make_app: Callable[..., Any], size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, press=["slash", *"step"])


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Snap, make_app: Callable[..., Any], size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, press=["h"])


@pytest.mark.parametrize("size", SIZES)
def test_keys(snap_compare: Snap, make_app: Callable[..., Any], size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, press=["question_mark"])


@pytest.mark.parametrize("size", SIZES)
def test_end_now_question(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="all-kinds", checkin=False)
    assert snap_compare(app, terminal_size=size, run_before=advance(clock, 5), press=["q"])


def test_a_window_too_small_pauses(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any
) -> None:
    app = make_app(practice_id="all-kinds", checkin=False)
    assert snap_compare(app, terminal_size=(30, 10), run_before=advance(clock, 5))


@pytest.mark.parametrize("size", SIZES)
def test_paused_while_the_window_was_too_small(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="all-kinds", checkin=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        await advance(clock, 5)(pilot)
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        await pilot.resize_terminal(*size)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_summary(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="short", checkin=False)
    assert snap_compare(app, terminal_size=size, run_before=advance(clock, 8))


# Check-ins, the note, grounding -------------------------------------------------------------


def keys_then(clock: Any, *steps: tuple[float, list[str]]) -> Callable[[Pilot[Any]], Any]:
    """A ``run_before`` that, for each step, moves the clock on (ticking a session screen)
    and presses the keys."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        for seconds, keys in steps:
            if seconds:
                clock.advance(seconds)
                screen = pilot.app.screen
                if isinstance(screen, SessionScreen):
                    screen.tick()
                await pilot.pause()
            await pilot.press(*keys)
            await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_before_check_in(
    snap_compare: Snap, make_app: Callable[..., Any], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(practice_id="short"), terminal_size=size, press=["3"])


@pytest.mark.parametrize("size", SIZES)
def test_check_in_words(
    snap_compare: Snap, make_app: Callable[..., Any], size: tuple[int, int]
) -> None:
    app = make_app(practice_id="short")
    press = ["3", "d", "2", "enter", "space", "right", "right", "space", "right"]
    assert snap_compare(app, terminal_size=size, press=press)


@pytest.mark.parametrize("size", SIZES)
def test_after_check_in_felt(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="short")
    run_before = keys_then(clock, (0, ["s"]), (8, ["6", "down", "1"]))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_note(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="short")
    note = ["d", "enter", "enter", "enter", *"Hands warm at the end.", "enter", *"[b]not bold[/b]"]
    assert snap_compare(app, terminal_size=size, run_before=keys_then(clock, (0, ["s"]), (8, note)))


@pytest.mark.parametrize("size", SIZES)
def test_context_tags(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="short")
    keys = ["d", "enter", "enter", "space", "right", "right", "space"]  # two tags marked
    assert snap_compare(app, terminal_size=size, run_before=keys_then(clock, (0, ["s"]), (8, keys)))


@pytest.mark.parametrize("size", SIZES)
def test_unsettling_offer(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="short")
    keys = ["down", "3", "enter"]
    assert snap_compare(app, terminal_size=size, run_before=keys_then(clock, (0, ["s"]), (8, keys)))


@pytest.mark.parametrize("size", SIZES)
def test_grounding(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="short")
    keys = ["down", "3", "enter", "g"]
    assert snap_compare(app, terminal_size=size, run_before=keys_then(clock, (0, ["s"]), (8, keys)))


# History --------------------------------------------------------------------------------------


def log_sessions() -> None:
    """Four sessions over two months, one with markup-like text in its note."""
    from records import make_record

    from emoflat.log.store import append_record

    sessions = [
        ("2026-02-20T12:10:00+01:00", "Sounds near and far", 1, None, False, None),
        ("2026-03-02T17:45:00+01:00", "Watching the breath", None, None, True, None),
        ("2026-03-03T08:05:00+01:00", "A mild memory", 3, 3, True, None),
        ("2026-03-04T08:30:00+01:00", "Noticing your hands", 2, 4, True, "[b]not bold[/b]"),
    ]
    for number, (started, title, before, after, completed, note) in enumerate(sessions, 1):
        append_record(
            make_record(
                started,
                id=str(uuid.UUID(int=number, version=4)),
                title=title,
                ended=started[:14] + "59:00" + started[19:],
                practiced_seconds=180 if completed else 50,
                completed=completed,
                before=None
                if before is None
                else {"feel": before, "tone": "mixed", "words": ["numb", "foggy"]},
                after=None
                if after is None
                else {"feel": after, "tone": "pleasant", "words": ["warm"], "felt": "helpful"},
                answers=[{"step": 3, "prompt": "What is here for you today?", "text": "my hands"}],
                note=note,
                tags=["tired day"] if note else [],
            )
        )


def history_then(*keys: str) -> Callable[[Pilot[Any]], Any]:
    """A ``run_before`` that opens the history, waits for the log, then presses ``keys``."""

    async def run_before(pilot: Pilot[Any]) -> None:
        from emoflat.tui.screens.sessions import SessionsScreen

        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, SessionsScreen)
        await until(pilot, lambda: screen.found is not None)
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_history_list(
    snap_compare: Snap, make_app: Callable[..., Any], size: tuple[int, int]
) -> None:
    log_sessions()
    assert snap_compare(make_app(), terminal_size=size, run_before=history_then("down"))


@pytest.mark.parametrize("size", SIZES)
def test_history_record(
    snap_compare: Snap, make_app: Callable[..., Any], size: tuple[int, int]
) -> None:
    log_sessions()
    assert snap_compare(make_app(), terminal_size=size, run_before=history_then("enter"))


@pytest.mark.parametrize("size", SIZES)
def test_history_calendar_and_chart(
    snap_compare: Snap, make_app: Callable[..., Any], size: tuple[int, int]
) -> None:
    log_sessions()
    assert snap_compare(make_app(), terminal_size=size, run_before=history_then("c"))


# Settings, themes, the first run, about, where to start ---------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_settings(snap_compare: Snap, make_app: Callable[..., Any], size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, press=["o", "down", "down", "right"])


THEMES = [
    "terminal", "high-contrast", "atom-one-dark", "atom-one-light", "catppuccin-frappe",
    "catppuccin-latte", "catppuccin-macchiato", "catppuccin-mocha", "dracula", "flexoki",
    "gruvbox", "monokai", "nord", "rose-pine", "rose-pine-dawn", "rose-pine-moon",
    "solarized-dark", "solarized-light", "textual-dark", "textual-light", "tokyo-night",
]  # fmt: skip


def test_every_theme_is_offered(make_app: Callable[..., Any]) -> None:
    from emoflat.tui.themes import register, theme_names

    app = make_app()
    register(app)
    assert theme_names(app) == THEMES


@pytest.mark.parametrize("theme", THEMES)
def test_theme(snap_compare: Snap, make_app: Callable[..., Any], theme: str) -> None:
    from emoflat.config import Config

    app = make_app(config=Config(theme=theme))
    assert snap_compare(app, terminal_size=(80, 24), press=["down"])


@pytest.mark.parametrize("size", SIZES)
def test_welcome(
    snap_compare: Snap,
    make_app: Callable[..., Any],
    size: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from emoflat import firstrun

    # The page names the data folder: one that is the same in every run (never written).
    monkeypatch.setenv("EMOFLAT_DATA_DIR", "/home/you/.local/share/emoflat")
    monkeypatch.setattr(firstrun, "mark_shown", lambda: None)
    assert snap_compare(make_app(welcome=True), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_about(snap_compare: Snap, make_app: Callable[..., Any], size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, press=["a"])


def test_where_to_start_for_a_new_user(snap_compare: Snap, clock: Any) -> None:
    import random

    from conftest import WALL

    from emoflat.launch import LaunchOptions
    from emoflat.library import scan
    from emoflat.tui.app import build_app

    app = build_app(LaunchOptions(checkin=False), scan(), clock=clock.now, wall=lambda: WALL,
                    rng=random.Random(7))  # fmt: skip

    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: pilot.app.screen._new_user)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_again(snap_compare: Snap, make_app: Callable[..., Any]) -> None:
    from records import make_record

    from emoflat.log.store import append_record

    append_record(make_record(practice="short", title="Two short steps", planned_seconds=180))

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await until(pilot, lambda: pilot.app.screen.query_one("#again").display)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)
