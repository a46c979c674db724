"""Snapshots of the TUI's screens at 80x24 and at the narrowest supported size, 40x15.

Deterministic: a fake clock, a fixed wall clock, a seeded random generator, animations
off (so the breath visual is still), no blinking cursors, and the fixture practices
only. ``snap_compare`` runs its own event loop, so these are plain ``def`` tests.
Update with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from emoflat.tui.screens.session import SessionScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((40, 15), id="40x15")]

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
    app = make_app(practice_id="all-kinds")
    assert snap_compare(app, terminal_size=size, run_before=advance(clock, 5))


@pytest.mark.parametrize("size", SIZES)
def test_breath_step(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="all-kinds")
    assert snap_compare(app, terminal_size=size, run_before=advance(clock, 35))


@pytest.mark.parametrize("size", SIZES)
def test_prompt_step_with_an_answer_typed(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="all-kinds")
    assert snap_compare(app, terminal_size=size, run_before=advance(clock, 90), press=[*"my hands"])


@pytest.mark.parametrize("size", SIZES)
def test_paused(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="all-kinds")
    assert snap_compare(app, terminal_size=size, run_before=advance(clock, 35), press=["space"])


@pytest.mark.parametrize("size", SIZES)
def test_summary(
    snap_compare: Snap, make_app: Callable[..., Any], clock: Any, size: tuple[int, int]
) -> None:
    app = make_app(practice_id="short")
    assert snap_compare(app, terminal_size=size, run_before=advance(clock, 4))
