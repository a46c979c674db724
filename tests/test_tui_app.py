"""The keys that work everywhere (help, all keys, mute, Ctrl+C, Ctrl+Q), the legend, chimes,
signals, accessibility, and the app as ``emoflat practice`` runs it: through the command
line, and in a real pseudo-terminal."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import welcomed
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from tui_helpers import (
    MakeApp,
    logged,
    start,
    step_index,
    text,
    tick,
    to_the_next_step,
)

from emoflat.engine import ChimeEvent
from emoflat.keys import keys_text
from emoflat.log.store import read_log
from emoflat.tui.app import EmoflatApp
from emoflat.tui.screens.confirm_end import ConfirmEndScreen
from emoflat.tui.screens.help import HelpScreen
from emoflat.tui.screens.keys import KeysScreen
from emoflat.tui.screens.picker import PickerScreen
from emoflat.tui.screens.session import SessionScreen
from emoflat.tui.screens.summary import SummaryScreen
from emoflat.tui.widgets.legend import KeyLegend

# Help and the keys -------------------------------------------------------------------------


async def test_h_opens_help_from_the_picker_and_escape_or_h_closes_it(
    make_app: MakeApp,
) -> None:
    from emoflat.helptext import flowing, help_text

    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert text(app, "#text-body") == flowing(help_text().rstrip("\n"))
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


async def test_the_keys_screen_lists_every_key_and_the_legend_has_the_sessions(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "l sessions" in text(app, "#legend")
        await pilot.press("question_mark")
        await pilot.pause()
        keys = text(app, "#text-body")
        assert keys == keys_text().rstrip("\n")
        for described in (
            "mark 10 on the 0–10 row",
            "skip the rest of the questions",
            "more questions: tone, words, context, a note",
            "a 30-second grounding step",
            "the whole session",
            "the month before",
            "your sessions: list, calendar, check-ins",
            "leave the box",
        ):
            assert described in keys


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
        await to_the_next_step(pilot, clock)
        assert step_index(app) == 1


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


async def test_in_a_short_window_each_legend_is_one_row_keeping_help(
    make_app: MakeApp,
) -> None:
    app = make_app(checkin=False)
    async with app.run_test(size=(40, 15)) as pilot:
        legends = []

        async def look() -> None:
            await pilot.pause()
            legends.append(text(app, "#legend"))

        await look()
        await pilot.press("h")
        await look()
        await pilot.press("escape")
        await start(pilot, "Two short steps")
        await look()
        await pilot.press("q")
        await look()
        await pilot.press("y")
        await look()
        assert legends == [
            "Enter start  q quit  h help  ? keys",
            "↑/↓ scroll  Esc back  h help  ? keys",
            "Space pause  q end  h help  ? keys",
            "y yes  n no  m mute  h help  ? keys",
            "Enter practices  q quit  h help",
        ]
        assert isinstance(app.screen.query_one("#legend"), KeyLegend)


# Chimes and mute ---------------------------------------------------------------------------


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


async def test_m_mutes_on_the_end_question_as_its_legend_says(make_app: MakeApp) -> None:
    rung: list[ChimeEvent] = []
    app = make_app(checkin=False, practice_id="all-kinds", on_chime=rung.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmEndScreen)
        assert "m mute" in text(app, "#legend")
        await pilot.press("m")
        assert app.muted
        assert "m unmute (muted)" in text(app, "#legend")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert [e.reason for e in rung] == ["start"]  # the end chime stayed silent


async def test_no_sound_never_calls_the_chime(make_app: MakeApp) -> None:
    rung: list[ChimeEvent] = []
    app = make_app(checkin=False, practice_id="all-kinds", sound=False, on_chime=rung.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.press("n")
        assert rung == []
        assert "sound off" in text(app, "#step-line")
        assert "sound off" not in text(app, "#legend")  # m does nothing: not shown
        assert "m" not in [key for key, _ in app.screen.query_one(KeyLegend).pairs()]


async def test_a_failing_chime_never_reaches_the_ui(make_app: MakeApp) -> None:
    def broken(event: ChimeEvent) -> None:
        raise OSError("no audio device")

    app = make_app(checkin=False, practice_id="all-kinds", on_chime=broken)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert step_index(app) == 1
        assert app.is_running


# Quitting, Ctrl+C and signals --------------------------------------------------------------


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


async def test_ctrl_c_while_help_covers_the_session_ends_it(make_app: MakeApp, clock: Any) -> None:
    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await start(pilot, "Two short steps")
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert [type(s) for s in app.screen_stack] == [PickerScreen, SummaryScreen]
        assert logged()[0]["completed"] is False


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


async def test_a_signal_outside_a_session_leaves_with_its_exit_code(make_app: MakeApp) -> None:
    app = make_app(checkin=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        app.end_by_signal(signal.SIGTERM)
        await pilot.pause()
    assert app.return_code == 128 + signal.SIGTERM
    assert logged() == []


def test_log_write_errors_are_printed_after_the_app_closes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from emoflat.log.store import LogWriteError
    from emoflat.tui.run import report_log_errors

    kept = LogWriteError("kept in a file", record_json="{}", fallback=tmp_path)
    lost = LogWriteError("kept nowhere", record_json='{"id":"x"}', fallback=None)
    report_log_errors([kept, lost])
    err = capsys.readouterr().err.splitlines()
    assert err == ["emoflat: kept in a file", "emoflat: kept nowhere", '{"id":"x"}']


# Accessibility -----------------------------------------------------------------------------


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
        boxes = [
            *app.screen.query(TextArea),
            *app.screen_stack[0].query(TextArea),
            *app.screen_stack[0].query(Input),
        ]
        assert boxes and not any(box.cursor_blink for box in boxes)


# Through the command line ------------------------------------------------------------------


class TerminalStream:
    """Stands for a terminal on stdin or stdout."""

    def isatty(self) -> bool:
        return True


class RecordingPlayer:
    """Stands for :class:`emoflat.audio.ChimePlayer`: remembers what it was asked, plays
    nothing."""

    made: ClassVar[list[RecordingPlayer]] = []

    def __init__(self, config: Any, *, enabled: bool = True, **_: Any) -> None:
        self.enabled = enabled and config.sound
        self.config = config
        self.played: list[str | None] = []
        self.muted = False
        self.closed = False
        RecordingPlayer.made.append(self)

    def prepare(self, sounds: Any = (None,)) -> None:
        pass

    def play(self, sound: str | None = None, *, wait: bool = False) -> None:
        self.played.append(sound)

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def close(self, *, detach: bool = False) -> None:
        self.closed = True


Drive = Callable[[Pilot[Any]], Awaitable[None]]


def run_practice_command(
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    drive: Drive,
    *,
    first_run: bool = False,
    command: str = "practice",
) -> tuple[int, EmoflatApp, RecordingPlayer]:
    """``emoflat practice ARGS`` through :func:`emoflat.cli.main`, as on a terminal: the
    app ``run_tui`` builds runs under the pilot, and ``drive`` plays the user. The chime
    player is a :class:`RecordingPlayer`. The first-run page was seen, unless ``first_run``."""
    from emoflat import audio, launch, paths
    from emoflat.cli import main
    from emoflat.tui import run

    monkeypatch.setenv("TERM", "xterm-256color")
    on_a_terminal = launch.wants_plain
    monkeypatch.setattr(
        launch,
        "wants_plain",
        lambda asked: on_a_terminal(asked, TerminalStream(), TerminalStream()),  # type: ignore[arg-type]
    )
    monkeypatch.setattr(audio, "ChimePlayer", RecordingPlayer)
    monkeypatch.setattr(RecordingPlayer, "made", [])
    apps: list[EmoflatApp] = []

    async def run_with_the_user(app: EmoflatApp) -> None:
        apps.append(app)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await drive(pilot)
            await pilot.pause()

    monkeypatch.setattr(run, "_run_with_signals", run_with_the_user)
    if first_run is False:
        welcomed(paths.data_dir())
    try:
        code = main([command, *args])
    finally:
        gc.unfreeze()  # run_tui froze what the imports built; not for the rest of the tests
    [app] = apps
    player = RecordingPlayer.made[0]
    return code, app, player


def test_minutes_on_the_command_line_scale_the_practice_started_by_id(
    monkeypatch: pytest.MonkeyPatch, practice_dir: Path
) -> None:
    seen: dict[str, Any] = {}

    async def user(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app.screen, SessionScreen)
        seen["planned"] = app.screen.recorder.session.planned_seconds
        seen["step line"] = text(app, "#step-line")  # type: ignore[arg-type]
        await pilot.press("ctrl+q")

    args = ["all-kinds", "--minutes", "3", "--no-checkin", "--practices", str(practice_dir)]
    code, _app, _player = run_practice_command(monkeypatch, args, user)
    assert code == 0
    assert seen["planned"] == pytest.approx(180)  # its own length is about 2 minutes
    assert seen["step line"] == "Step 1 of 6 · about 3 min left"
    [record] = logged()
    assert record["planned_seconds"] == 180


def test_minutes_on_the_command_line_are_the_picker_s_first_choice(
    monkeypatch: pytest.MonkeyPatch, practice_dir: Path
) -> None:
    seen: dict[str, Any] = {}

    async def user(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("slash", *"all kinds")
        seen["length"] = text(app, "#length")  # type: ignore[arg-type]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        seen["planned"] = app.screen.recorder.session.planned_seconds
        await pilot.press("ctrl+q")

    args = ["--minutes", "4", "--no-checkin", "--practices", str(practice_dir)]
    code, _app, _player = run_practice_command(monkeypatch, args, user)
    assert code == 0
    assert seen["length"].startswith("Length: about 4 min")
    assert seen["planned"] == pytest.approx(240)


@pytest.mark.parametrize("no_sound", [True, False], ids=["--no-sound", "sound"])
def test_no_sound_on_the_command_line_silences_the_tui(
    monkeypatch: pytest.MonkeyPatch, practice_dir: Path, no_sound: bool
) -> None:
    seen: dict[str, str] = {}

    async def user(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("n")  # a step on, and the end: the practice chimes at both
        seen["step line"] = text(app, "#step-line")  # type: ignore[arg-type]
        seen["legend"] = text(app, "#legend")  # type: ignore[arg-type]
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("q")

    args = ["all-kinds", "--no-checkin", "--practices", str(practice_dir)]
    code, app, player = run_practice_command(
        monkeypatch, [*args, "--no-sound"] if no_sound else args, user
    )
    assert code == 0
    if no_sound:
        assert not player.enabled
        assert player.played == []
        assert not app.sound_allowed
        assert seen["step line"].endswith("· sound off")
        assert " m " not in f" {seen['legend']} "  # m does nothing then: not shown
    else:  # the same run with sound: the chimes would have rung
        assert player.enabled
        assert player.played == ["bowl", "bell"]
        assert "sound off" not in seen["step line"] + seen["legend"]


# run_tui in a real pseudo-terminal ------------------------------------------------------------


def _run_in_pty(
    practice_dir: Path, stop: Callable[[int, subprocess.Popen[bytes]], None]
) -> tuple[int, list[dict[str, Any]]]:
    """Start ``emoflat practice long`` in a pty, wait for its first step, then ``stop``."""
    welcomed(Path(os.environ["EMOFLAT_DATA_DIR"]))
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
        stop(controller, child)
        deadline = time.monotonic() + 20
        while True:  # drain, so the child never blocks on a full terminal
            assert time.monotonic() < deadline, "emoflat did not end: " + repr(seen[-500:])
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
    found = read_log(Path(os.environ["EMOFLAT_DATA_DIR"]) / "sessions")
    assert found.warnings == []
    return code, [json.loads(session.line) for session in found.sessions]


def test_the_size_comes_from_the_terminal(tmp_path: Path) -> None:
    """A fresh pseudo-terminal says 0x0 (the runs below start in one): emoflat gives it the
    size it assumes, or Textual redraws without end between 80x25 and 80x24. COLUMNS and
    LINES would fix the size for good (a window made small would never pause the session):
    on a terminal they are dropped."""
    controller, terminal = pty.openpty()
    code = (
        "import os, sys\n"
        "from emoflat.tui.run import size_from_the_terminal\n"
        "size_from_the_terminal()\n"
        "sys.stderr.write(repr((os.environ.get('COLUMNS'), os.environ.get('LINES'))))\n"
    )
    env = dict(os.environ, COLUMNS="80", LINES="24")

    def run() -> str:
        return subprocess.run(
            [sys.executable, "-c", code], stdout=terminal, stderr=subprocess.PIPE,
            env=env, text=True, check=True, timeout=30,
        ).stderr  # fmt: skip

    try:
        assert os.get_terminal_size(terminal) == (0, 0)
        assert run() == "(None, None)"
        assert os.get_terminal_size(terminal) == (80, 24)
        termios.tcsetwinsize(terminal, (12, 40))
        run()
        assert os.get_terminal_size(terminal) == (40, 12)  # a real size is left alone
    finally:
        os.close(terminal)
        os.close(controller)
    piped = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env=env, text=True, check=True
    )
    assert piped.stderr == "('80', '24')"  # no terminal: left as they are


def test_sigterm_ends_the_session_logs_it_and_exits_cleanly(practice_dir: Path) -> None:
    code, records = _run_in_pty(practice_dir, lambda fd, child: child.send_signal(signal.SIGTERM))
    assert code == 0
    [record] = records
    assert record["practice"] == "long"
    assert record["completed"] is False


def test_the_terminal_closing_logs_the_session(practice_dir: Path) -> None:
    def hang_up(controller: int, child: subprocess.Popen[bytes]) -> None:
        os.close(controller)
        os.killpg(child.pid, signal.SIGHUP)

    _code, records = _run_in_pty(practice_dir, hang_up)
    [record] = records
    assert record["completed"] is False


# The first run --------------------------------------------------------------------------------


def test_the_first_run_shows_the_welcome_page_once_then_the_picker(
    monkeypatch: pytest.MonkeyPatch, practice_dir: Path
) -> None:
    from emoflat import firstrun, paths
    from emoflat.tui.screens.welcome import WelcomeScreen

    assert firstrun.is_first_run()
    seen: list[Any] = []

    async def user(pilot: Pilot[Any]) -> None:
        app = pilot.app
        seen.append(type(app.screen))
        if isinstance(app.screen, WelcomeScreen):
            body = text(app, "#text-body")  # type: ignore[arg-type]
            assert "not a medical device or a crisis service" in body
            assert str(paths.data_dir()) in body
            assert "No one reads your notes" in body and "cannot contact anyone" in body
            assert "emoflat export" in body and "emoflat forget" in body
            assert "h shows who you can talk to" in body
            assert text(app, "#legend").startswith("Enter/Esc go on")  # type: ignore[arg-type]
            await pilot.press("enter")
            await pilot.pause()
            seen.append(type(app.screen))
        await pilot.press("ctrl+q")

    args = ["--practices", str(practice_dir)]
    for _ in range(2):
        with pytest.MonkeyPatch.context() as patched:
            assert run_practice_command(patched, args, user, first_run=True)[0] == 0
        assert not firstrun.is_first_run()
    assert seen == [WelcomeScreen, PickerScreen, PickerScreen]


# About feeling flat ------------------------------------------------------------------------------


async def test_about_feeling_flat_opens_from_the_picker_and_from_help(make_app: MakeApp) -> None:
    from emoflat.about import about_text
    from emoflat.helptext import flowing
    from emoflat.tui.screens.about import AboutScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AboutScreen)
        assert text(app, "#text-body") == flowing(about_text().rstrip("\n"))
        await pilot.press("escape", "h")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("a")  # from help, in its place
        await pilot.pause()
        assert isinstance(app.screen, AboutScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


def test_emoflat_settings_opens_the_settings_over_the_practices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from emoflat.tui.screens.settings import SettingsScreen

    seen: list[Any] = []

    async def user(pilot: Pilot[Any]) -> None:
        seen.append(type(pilot.app.screen))
        await pilot.press("escape")
        await pilot.pause()
        seen.append(type(pilot.app.screen))
        await pilot.press("q")

    code, _app, _player = run_practice_command(monkeypatch, [], user, command="settings")
    assert code == 0
    assert seen == [SettingsScreen, PickerScreen]


def test_a_chime_chosen_in_the_settings_rings_and_is_the_one_used_from_then(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def user(pilot: Pilot[Any]) -> None:
        await pilot.press("m")  # muted first: a new player stays muted
        await pilot.press("down", "right")  # the chime: the next one
        await pilot.press("down", "right")  # the volume: 80
        await pilot.press("q")

    code, _app, first = run_practice_command(monkeypatch, [], user, command="settings")
    assert code == 0
    players = RecordingPlayer.made
    assert len(players) == 3 and first is players[0]
    assert all(p.closed for p in players)
    chosen = players[1].config.chime
    assert chosen != "bowl" and players[2].config.volume == 80
    assert players[1].played == [chosen] and players[2].played == [chosen]  # heard as chosen
    assert players[2].muted
