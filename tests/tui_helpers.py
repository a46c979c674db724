"""What the TUI tests share: reading what a screen shows, moving the fake clock, starting
a practice from the picker, and the session log as the tests see it.

Time comes from the fake clock of ``conftest``: a test moves it and calls the session
screen's tick, then lets the app settle with ``pilot.pause()``. Nothing sleeps.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import msgspec
from conftest import until
from records import record_fields
from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget

from emoflat import paths
from emoflat.log.record import Record
from emoflat.log.store import append_record, read_log
from emoflat.tui.app import EmoflatApp
from emoflat.tui.screens.checkin import CheckInScreen
from emoflat.tui.screens.session import SessionScreen
from emoflat.tui.screens.sessions import SessionsScreen
from emoflat.tui.screens.summary import SummaryScreen

MakeApp = Callable[..., EmoflatApp]

#: The fixture practices, in the picker's order (by title).
TITLES = [
    "[bold]not bold[/]",
    "A timed question",
    "All kinds of steps",
    "Two short steps",
    "Waits for you",
]


# What is on screen ----------------------------------------------------------------------


def text(app: EmoflatApp, selector: str) -> str:
    """What a widget of the current screen shows, as plain text."""
    rendered = app.screen.query_one(selector).render()
    return rendered.plain if isinstance(rendered, Content) else str(rendered)


def drawn(widget: Widget) -> list[str]:
    """The lines a widget draws on the terminal now, as plain text (trailing spaces cut)."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


# The session ---------------------------------------------------------------------------


def session_screen(app: EmoflatApp) -> SessionScreen:
    """The session screen of the session on now (one that ended may be under the rest,
    when the app opened on it)."""
    return [s for s in app.screen_stack if isinstance(s, SessionScreen)][-1]


async def tick(pilot: Pilot[Any], clock: Any, seconds: float = 0.0) -> None:
    """Move the fake clock on, let the session screen look at it, let the app settle."""
    clock.advance(seconds)
    session_screen(pilot.app).tick()  # type: ignore[arg-type]
    await pilot.pause()


def step_index(app: EmoflatApp) -> int:
    assert app.recorder is not None
    return app.recorder.session.state().step_index


async def start(pilot: Pilot[Any], title: str, *, screen: type[Any] = SessionScreen) -> None:
    """From the picker, start the practice with this title at its own length; ``screen``
    is the one expected next (the check-in before it, when check-ins are on)."""
    await pilot.pause()
    for _ in range(TITLES.index(title)):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, screen)


def state(app: EmoflatApp) -> Any:
    """What the engine says is on screen now."""
    assert app.recorder is not None
    return app.recorder.session.state()


async def to_the_next_step(pilot: Pilot[Any], clock: Any) -> None:
    """Let the clock run to the end of the timed step on screen (its length comes from the
    plan of the run: reading time can make a step longer than its file says)."""
    left = state(pilot.app).step_remaining  # type: ignore[arg-type]
    assert left is not None, "this step waits for the user"
    await tick(pilot, clock, left)


async def run_to_the_end(pilot: Pilot[Any], clock: Any) -> None:
    """Let the clock run to the end of the session (of timed steps only) on screen."""
    await pilot.pause()
    assert isinstance(pilot.app.screen, SessionScreen)
    await tick(pilot, clock, state(pilot.app).session_remaining)  # type: ignore[arg-type]
    await pilot.pause()


async def after_session(pilot: Pilot[Any]) -> None:
    """After a session: the summary at once when the check-ins are off; else q on the
    questions after it keeps what was given and finishes."""
    await pilot.pause()
    if isinstance(pilot.app.screen, CheckInScreen):
        assert pilot.app.screen.flow.phase == "after"
        await pilot.press("q")
        await pilot.pause()
    assert isinstance(pilot.app.screen, SummaryScreen)


def checkin_screen(app: EmoflatApp) -> CheckInScreen:
    assert isinstance(app.screen, CheckInScreen)
    return app.screen


# The log ---------------------------------------------------------------------------------


def logged() -> list[dict[str, Any]]:
    """Every session in the test's log, newest first, as stored."""
    found = read_log()
    assert found.warnings == []
    return [json.loads(session.line) for session in found.sessions]


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
) -> None:
    """Append a session record to the log (the real file, in the test's data folder).

    Keywords the record does not know are stored too, as a newer emoflat might write them,
    in a log file of their own (the log is every ``*.jsonl`` of the folder).
    """
    fields = record_fields(
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
    )
    if not extra:
        append_record(msgspec.convert(fields, Record))
        return
    folder = paths.ensure_private_dir(paths.sessions_dir())
    with open(folder / "sessions-newer.jsonl", "a", encoding="utf-8") as log:
        log.write(json.dumps({**fields, **extra}, ensure_ascii=False) + "\n")


def log_three_sessions() -> None:
    """Three sessions: one ended early, one with check-ins, a note and a field this
    version does not know, and one whose title looks like markup."""
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


async def open_sessions(pilot: Pilot[Any]) -> SessionsScreen:
    """Press l and wait until the log has been read (or could not be)."""
    await pilot.pause()
    await pilot.press("l")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SessionsScreen)
    await read_done(pilot, screen)
    return screen


async def read_done(pilot: Pilot[Any], screen: SessionsScreen) -> None:
    """Wait until the sessions screen has read the log (or failed to)."""
    await until(pilot, lambda: screen.found is not None or screen.problem is not None)
