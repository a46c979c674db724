"""A closed terminal never leaves emoflat running, whenever it closes: as it starts, on the
picker's first frame, during a session, on the summary, and when the terminal hangs up
without a SIGHUP reaching emoflat. Whatever session there was is in the log.

Through the installed program in tmux (the window killed, as when a terminal is closed)
and in a bare pseudo-terminal; each moment is tried several times, for the moment a
signal lands in varies from run to run.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_e2e_terminal import EMOFLAT, LONG, TWO_STEPS, Terminal, tmux_binary

from emoflat import firstrun
from emoflat.log.store import read_log

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds processes in /proc"),
]

TRIES = 5
#: How long emoflat may take to end once its terminal closed: it leaves at once, and
#: ends regardless after its grace of 3 seconds if the app is stuck.
GONE_WITHIN = 8.0
DEADLINE = 20.0


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A run's folders: the practices, and the welcome already seen (it shows once)."""
    practices = tmp_path / "practices"
    practices.mkdir()
    (practices / "long.yaml").write_text(LONG, encoding="utf-8")
    (practices / "two-steps.yaml").write_text(TWO_STEPS, encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / firstrun.MARKER).touch()
    return tmp_path


def emoflat_pids(home: Path) -> list[int]:
    """The processes running with this test's data folder (``env`` becomes emoflat)."""
    marker = f"EMOFLAT_DATA_DIR={home / 'data'}\0".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if marker in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
    return found


def wait_until_gone(home: Path) -> None:
    deadline = time.monotonic() + GONE_WITHIN
    while emoflat_pids(home):
        if time.monotonic() > deadline:
            left = emoflat_pids(home)
            for pid in left:  # leave nothing behind, then fail
                with contextlib.suppress(OSError):
                    os.kill(pid, 9)
            pytest.fail(f"emoflat was still running {GONE_WITHIN} s after its terminal closed")
        time.sleep(0.02)


def records(home: Path) -> list[dict[str, Any]]:
    found = read_log(home / "data" / "sessions")
    assert found.warnings == []
    return [json.loads(session.line) for session in found.sessions]


@pytest.fixture
def terminal(home: Path) -> Iterator[Terminal]:
    term = Terminal(tmux_binary(), home)
    try:
        yield term
    finally:
        term.stop()


def start(terminal: Terminal, home: Path, *args: str) -> None:
    terminal.start("practice", *args, "--no-checkin", "--practices", str(home / "practices"))


@pytest.mark.parametrize("try_", range(TRIES))
def test_closed_as_it_starts(terminal: Terminal, home: Path, try_: int) -> None:
    start(terminal, home)
    deadline = time.monotonic() + DEADLINE
    while not emoflat_pids(home):
        assert time.monotonic() < deadline, "emoflat never started"
        time.sleep(0.005)
    # From the first moment (imports) to about when the picker is drawn.
    time.sleep(try_ * 0.15)  # not to wait for anything: where in start-up the close lands
    terminal.kill_window()
    wait_until_gone(home)
    assert records(home) == []


@pytest.mark.parametrize("try_", range(TRIES))
def test_closed_on_the_pickers_first_frame(terminal: Terminal, home: Path, try_: int) -> None:
    start(terminal, home)
    terminal.wait_for_text("Choose a practice")
    terminal.kill_window()
    wait_until_gone(home)
    assert records(home) == []


@pytest.mark.parametrize("try_", range(TRIES))
def test_closed_during_a_session(terminal: Terminal, home: Path, try_: int) -> None:
    start(terminal, home, "long")
    terminal.wait_for_text("The first long step.")
    terminal.kill_window()
    wait_until_gone(home)
    [record] = records(home)
    assert record["practice"] == "long"
    assert record["completed"] is False


@pytest.mark.parametrize("try_", range(TRIES))
def test_closed_on_the_summary(terminal: Terminal, home: Path, try_: int) -> None:
    start(terminal, home, "two-steps")
    terminal.wait_for_text("You reached the end of “Two short steps”.")
    terminal.kill_window()
    wait_until_gone(home)
    [record] = records(home)
    assert record["completed"] is True


@pytest.mark.parametrize("try_", range(TRIES))
def test_a_terminal_that_hangs_up_without_a_sighup_ends_it(home: Path, try_: int) -> None:
    """emoflat in a session of its own, its terminal not its controlling one: when the
    terminal goes, no signal comes, only end-of-file. It ends all the same, and logs."""
    env = dict(
        os.environ,
        TERM="xterm-256color",
        LANG="C.UTF-8",
        TEXTUAL_ANIMATIONS="none",
        EMOFLAT_DATA_DIR=str(home / "data"),
        EMOFLAT_CONFIG_DIR=str(home / "config"),
        EMOFLAT_CACHE_DIR=str(home / "cache"),
    )
    controller, terminal = pty.openpty()
    args = ["practice", "long", "--no-checkin", "--practices", str(home / "practices")]
    child = subprocess.Popen(
        [str(EMOFLAT), *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        start_new_session=True,  # so the terminal closing sends it no SIGHUP
    )
    os.close(terminal)
    try:
        seen = b""
        deadline = time.monotonic() + DEADLINE
        while b"The first long step." not in seen:
            assert time.monotonic() < deadline, seen[-2000:]
            if select.select([controller], [], [], 0.1)[0]:
                seen += os.read(controller, 65536)
        os.close(controller)
        controller = -1
        child.wait(timeout=GONE_WITHIN)
    finally:
        if controller >= 0:
            os.close(controller)
        if child.poll() is None:
            child.kill()
            child.wait()
    [record] = records(home)
    assert record["completed"] is False
