"""End to end in a real pseudo-terminal: the installed program, driven through tmux.

Each test starts its own tmux server (a socket of its own) with an 80x24 window, runs
``emoflat practice`` in it, waits for text to appear on screen (polling with a
deadline, never a fixed sleep), types keys, reads the screen, and checks the session
log once the program has exited.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import welcomed
from records import make_record

from emoflat.log.store import append_record, read_log

pytestmark = pytest.mark.slow

EMOFLAT = Path(sys.executable).parent / "emoflat"
DEADLINE = 20.0  # seconds; generous for a loaded CI machine

# A step with text lasts at least its reading time (some seconds): where the test runs a
# practice to its end, the timed steps are quiet pauses of one second.
TWO_STEPS = """\
format: 1
id: two-steps
title: "Two short steps"
summary: "Two quiet pauses of one second each."
chimes: {start: none, end: none}
steps:
  - pause: ""
    seconds: 1
  - pause: ""
    seconds: 1
"""

WAITS = """\
format: 1
id: waits
title: "A step that waits"
summary: "The middle step waits for you."
chimes: {start: none, end: none}
steps:
  - pause: ""
    seconds: 1
  - say: "Continue when you are ready."
  - pause: ""
    seconds: 1
"""

LONG = """\
format: 1
id: long
title: "Long steps"
summary: "Steps long enough to be ended early."
chimes: {start: none, end: none}
steps:
  - say: "The first long step."
    seconds: 300
  - say: "The second long step."
    seconds: 300
  - say: "The third long step."
    seconds: 300
"""


CHIMED = """\
format: 1
id: chimed
title: "Chimes everywhere"
summary: "A chime at the start, at each step and at the end."
chimes: {start: bowl, end: bell}
steps:
  - pause: ""
    seconds: 1
    chime: wood
  - pause: ""
    seconds: 1
    chime: tone
"""


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's real log, settings and cache out of every test."""
    monkeypatch.setenv("EMOFLAT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EMOFLAT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("EMOFLAT_CACHE_DIR", str(tmp_path / "cache"))
    welcomed(tmp_path / "data")  # the first-run page has its own test


@pytest.fixture
def practices_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "practices"
    folder.mkdir()
    practices = {"two-steps": TWO_STEPS, "waits": WAITS, "long": LONG, "chimed": CHIMED}
    for name, text in practices.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def tmux_binary() -> str:
    found = shutil.which("tmux")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tmux is needed for the terminal tests and CI must have it")
        pytest.skip("tmux is not installed")
    return found


class Terminal:
    """One program running in an 80x24 tmux window of a private tmux server."""

    def __init__(self, tmux: str, tmp_path: Path) -> None:
        self.tmux = tmux
        self.socket = f"emoflat-test-{uuid.uuid4().hex[:12]}"
        self.tmp_path = tmp_path
        self.config = tmp_path / "tmux.conf"
        self.status_file = tmp_path / "exit-status"
        # The window stays after the program exits, so its last screen can be read.
        self.config.write_text(
            "set -g remain-on-exit on\nset -g status off\nset -g history-limit 5000\n"
        )

    def start(self, *args: str, then: str = "", size: tuple[int, int] = (80, 24)) -> None:
        """Run ``emoflat ARGS`` in the window, as a user's shell would; ``then``, a
        shell command run after it, in the same terminal.

        A small shell around it writes its exit status to a file: tmux 3.3 can mark a
        pane dead before it has read the exit status, and then sometimes never reads
        it. The shell catches Ctrl+C (so it waits for emoflat, which then gets Ctrl+C
        itself, with its usual handling: a caught signal is reset on ``exec``).
        """
        env = {
            "TERM": "xterm-256color",
            "TEXTUAL_ANIMATIONS": "none",
            "EMOFLAT_DATA_DIR": str(self.tmp_path / "data"),
            "EMOFLAT_CONFIG_DIR": str(self.tmp_path / "config"),
            "EMOFLAT_CACHE_DIR": str(self.tmp_path / "cache"),
            "HOME": str(self.tmp_path / "home"),
            "LANG": "C.UTF-8",
        }
        program = shlex.join(["env", *(f"{k}={v}" for k, v in env.items()), str(EMOFLAT), *args])
        status = shlex.quote(str(self.status_file))
        script = f"trap : INT; {program}; echo $? > {status}.tmp && mv {status}.tmp {status}"
        if then:
            script += f"; {then}"
        command = shlex.join(["sh", "-c", script])
        columns, rows = (str(n) for n in size)
        self._tmux("-f", str(self.config), "new-session", "-d", "-x", columns, "-y", rows, command)

    def bells(self) -> int:
        """How many times the program rang the terminal's bell (tmux counts them in its
        alerts: 1 once the window has rung, as tmux keeps only the flag)."""
        shown = self._tmux("display-message", "-p", "-t", "0", "#{window_bell_flag}")
        return int(shown.stdout.strip() or 0)

    def keys(self, *keys: str) -> None:
        """Press keys, by tmux name (``Enter``, ``C-c``, ``q``)."""
        self._tmux("send-keys", "-t", "0", *keys)

    def type(self, text: str) -> None:
        """Type text literally (no Enter)."""
        self._tmux("send-keys", "-t", "0", "-l", text)

    def screen(self) -> str:
        """What the window shows now, plus what scrolled off, as plain text."""
        return self._tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "0").stdout

    def rows(self) -> list[str]:
        """The window's rows as drawn, scrolled-off ones too (a long line in several)."""
        return self._tmux("capture-pane", "-p", "-S", "-", "-t", "0").stdout.splitlines()

    def wait_for(self, condition: Callable[[str], bool], what: str) -> str:
        """Poll the screen until ``condition`` holds; fail with the screen if it never does."""
        deadline = time.monotonic() + DEADLINE
        while True:
            shown = self.screen()
            if condition(shown):
                return shown
            if time.monotonic() > deadline:
                pytest.fail(f"gave up waiting for {what}; the screen shows:\n{shown}")
            time.sleep(0.05)

    def wait_for_text(self, text: str) -> str:
        """Poll the screen until ``text`` appears on it."""
        return self.wait_for(lambda shown: text in shown, repr(text))

    def exit_status(self) -> int:
        """Wait for the program to exit; its exit status."""
        deadline = time.monotonic() + DEADLINE
        while not self.status_file.exists():
            if time.monotonic() > deadline:
                pytest.fail(f"the program did not exit; the screen shows:\n{self.screen()}")
            time.sleep(0.05)
        return int(self.status_file.read_text().strip())

    def program_pid(self) -> int:
        """The process id of emoflat (the one child of the window's small shell)."""
        shell = self._tmux("display-message", "-p", "-t", "0", "#{pane_pid}").stdout.strip()
        deadline = time.monotonic() + DEADLINE
        while True:
            found = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True)
            if found.stdout.split():
                return int(found.stdout.split()[0])
            if time.monotonic() > deadline:
                pytest.fail("emoflat's process was not found")
            time.sleep(0.05)

    def resize(self, columns: int, rows: int) -> None:
        """Make the window this size, as a user zooming the font does."""
        self._tmux("resize-window", "-t", "0", "-x", str(columns), "-y", str(rows))

    def kill_window(self) -> None:
        """Close the window: the program gets SIGHUP, as when a terminal is closed."""
        self._tmux("kill-session", "-t", "0")

    def stop(self) -> None:
        """Kill this test's tmux server (never any other)."""
        subprocess.run(
            [self.tmux, "-L", self.socket, "kill-server"], capture_output=True, check=False
        )

    def _tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [self.tmux, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            timeout=DEADLINE,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"tmux {' '.join(args)} failed: {result.stderr.strip()}")
        return result


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmux_binary(), tmp_path)
    try:
        yield term
    finally:
        term.stop()


def records(tmp_path: Path) -> list[dict[str, Any]]:
    found = read_log(tmp_path / "data" / "sessions")
    assert found.warnings == []
    return [json.loads(session.line) for session in found.sessions]


def wait_for_record(tmp_path: Path) -> dict[str, Any]:
    """The one session logged, once it is there (a killed program logs as it exits)."""
    deadline = time.monotonic() + DEADLINE
    while not records(tmp_path):
        if time.monotonic() > deadline:
            pytest.fail("no session was logged")
        time.sleep(0.05)
    found = records(tmp_path)
    assert len(found) == 1, found
    return found[0]


def step_headers(screen: str) -> list[str]:
    return [line.strip() for line in screen.splitlines() if line.strip().startswith("Step ")]


# --- plain mode in a real terminal ---------------------------------------------------------


def test_plain_mode_in_a_terminal_shows_each_step_line_by_line(
    terminal: Terminal, practices_dir: Path, tmp_path: Path
) -> None:
    terminal.start(
        "practice", "waits", "--plain", "--no-checkin", "--practices", str(practices_dir)
    )
    terminal.wait_for_text("Step 2 of 3, when you are ready, press Enter")
    terminal.keys("Enter")
    assert terminal.exit_status() == 0
    screen = terminal.screen()
    assert step_headers(screen) == [
        "Step 1 of 3, about 1 second",
        "Step 2 of 3, when you are ready, press Enter",
        "Step 3 of 3, about 1 second",
    ]
    lines = [line.rstrip() for line in screen.splitlines()]
    quiet = "A quiet pause. Nothing to do."
    assert lines[lines.index("Step 1 of 3, about 1 second") + 1] == quiet
    assert lines[lines.index("Step 2 of 3, when you are ready, press Enter") + 1] == (
        "Continue when you are ready."
    )
    assert lines[lines.index("Step 3 of 3, about 1 second") + 1] == quiet
    assert "Your session was kept." in lines
    record = wait_for_record(tmp_path)
    assert record["practice"] == "waits"
    assert record["completed"] is True


def test_plain_mode_rings_the_terminal_bell_and_never_prints_it_as_an_escape(
    terminal: Terminal, practices_dir: Path, tmp_path: Path
) -> None:
    # A screen reader reads every character printed: the bell must ring, not show "\\u0007".
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text('audio_backend = "bell"\n', encoding="utf-8")
    terminal.start(
        "practice", "chimed", "--plain", "--no-checkin", "--practices", str(practices_dir)
    )
    assert terminal.exit_status() == 0
    screen = terminal.screen()
    assert "That is the end of the practice." in screen
    assert "\\u0007" not in screen
    assert terminal.bells() >= 1


def test_plain_mode_in_a_terminal_ends_on_q_and_logs_the_partial_session(
    terminal: Terminal, practices_dir: Path, tmp_path: Path
) -> None:
    terminal.start("practice", "long", "--plain", "--no-checkin", "--practices", str(practices_dir))
    terminal.wait_for_text("The first long step.")
    terminal.keys("Enter")
    terminal.wait_for_text("The second long step.")
    terminal.type("q")
    terminal.keys("Enter")
    assert terminal.exit_status() == 0
    assert "You ended the session. Stopping early is always fine." in terminal.screen()
    record = wait_for_record(tmp_path)
    assert record["completed"] is False
    assert record["practiced_seconds"] < 60


def test_plain_mode_in_a_terminal_takes_minutes_and_no_sound_from_the_command_line(
    terminal: Terminal, practices_dir: Path, tmp_path: Path
) -> None:
    terminal.start(
        "practice",
        "long",
        "--plain",
        "--minutes",
        "1",
        "--no-sound",
        "--no-checkin",
        "--practices",
        str(practices_dir),
    )
    terminal.wait_for_text("The first long step.")
    assert step_headers(terminal.screen()) == ["Step 1 of 3, about 20 seconds"]
    terminal.type("q")
    terminal.keys("Enter")
    assert terminal.exit_status() == 0
    record = wait_for_record(tmp_path)
    assert record["planned_seconds"] == 60  # three steps of 300 seconds, made one minute


def test_plain_mode_in_a_terminal_ends_on_ctrl_c_and_logs_the_partial_session(
    terminal: Terminal, practices_dir: Path, tmp_path: Path
) -> None:
    terminal.start("practice", "long", "--plain", "--no-checkin", "--practices", str(practices_dir))
    terminal.wait_for_text("The first long step.")
    terminal.keys("C-c")
    assert terminal.exit_status() == 0
    assert "Ending the session." in terminal.screen()
    assert wait_for_record(tmp_path)["completed"] is False


def test_plain_mode_logs_the_session_when_the_terminal_is_closed(
    terminal: Terminal, practices_dir: Path, tmp_path: Path
) -> None:
    terminal.start("practice", "long", "--plain", "--no-checkin", "--practices", str(practices_dir))
    terminal.wait_for_text("The first long step.")
    terminal.kill_window()
    record = wait_for_record(tmp_path)
    assert record["completed"] is False


def test_plain_mode_in_a_narrow_terminal_breaks_lines_between_words(
    terminal: Terminal,
) -> None:
    from emoflat.library import scan

    terminal.start("practice", "--plain", size=(40, 12))
    terminal.wait_for_text("Type a number")
    rows = terminal.rows()
    assert max(len(row) for row in rows) <= 40
    shown = {word for row in rows for word in row.split()}
    for practice in scan(use_cache=False).entries:  # every summary, each word whole
        assert [w for w in practice.summary.split() if w not in shown] == [], practice.id
    terminal.type("q")
    terminal.keys("Enter")
    assert terminal.exit_status() == 0


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_plain_mode_ended_by_a_signal_leaves_nothing_half_typed_for_the_shell(
    terminal: Terminal, practices_dir: Path, tmp_path: Path, signal_name: str
) -> None:
    # What was typed and not entered would otherwise be the shell's next command line.
    terminal.start(
        "practice", "long", "--plain", "--no-checkin", "--practices", str(practices_dir),
        then='read -r line; echo "the shell read [$line]"',
    )  # fmt: skip
    terminal.wait_for_text("The first long step.")
    terminal.type("words typed halfway")
    terminal.wait_for_text("words typed halfway")  # the terminal echoes them
    os.kill(terminal.program_pid(), getattr(signal, signal_name))
    assert terminal.exit_status() == 0
    terminal.keys("Enter")
    shown = terminal.wait_for_text("the shell read [")
    assert "the shell read []" in shown
    assert wait_for_record(tmp_path)["completed"] is False


# --- the full-screen TUI -------------------------------------------------------------------


def test_tui_moves_on_with_enter_and_n_and_q_y_ends_with_the_session_logged(
    terminal: Terminal, practices_dir: Path, tmp_path: Path
) -> None:
    terminal.start("practice", "long", "--no-checkin", "--practices", str(practices_dir))
    terminal.wait_for(
        lambda s: "The first long step." in s and "Step 1 of 3" in s, "the first step"
    )
    terminal.keys("Enter")
    terminal.wait_for(
        lambda s: "The second long step." in s and "Step 2 of 3" in s, "the second step"
    )
    terminal.keys("n")
    terminal.wait_for(
        lambda s: "The third long step." in s and "Step 3 of 3" in s, "the third step"
    )
    terminal.keys("q")
    terminal.wait_for_text("End now?")  # asked once
    terminal.keys("y")
    screen = terminal.wait_for_text("early")
    assert "You ended “Long steps” early." in screen
    record = wait_for_record(tmp_path)
    assert record["practice"] == "long"
    assert record["completed"] is False
    assert record["practiced_seconds"] < 60
    terminal.keys("q")  # leaves the summary
    assert terminal.exit_status() == 0
    assert len(records(tmp_path)) == 1


def test_tui_takes_minutes_and_no_sound_from_the_command_line(
    terminal: Terminal, practices_dir: Path, tmp_path: Path
) -> None:
    terminal.start(
        "practice",
        "long",
        "--minutes",
        "1",
        "--no-sound",
        "--no-checkin",
        "--practices",
        str(practices_dir),
    )
    # The legend may be drawn a moment after the step (tmux shows frames as they come).
    expected = ("The first long step.", "Step 1 of 3 · about 1 min left · sound off",
                "q end")  # fmt: skip
    shown = terminal.wait_for(lambda shown: all(part in shown for part in expected), repr(expected))
    assert "m mute" not in shown and shown.count("sound off") == 1  # m does nothing: not shown
    terminal.keys("C-q")
    assert terminal.exit_status() == 0
    assert wait_for_record(tmp_path)["planned_seconds"] == 60


def test_tui_runs_a_practice_to_the_end_and_logs_it_completed(
    terminal: Terminal, practices_dir: Path, tmp_path: Path
) -> None:
    terminal.start("practice", "two-steps", "--no-checkin", "--practices", str(practices_dir))
    terminal.wait_for_text("You reached the end of “Two short steps”.")
    record = wait_for_record(tmp_path)
    assert record["completed"] is True
    assert record["planned_seconds"] == 2
    terminal.keys("q")
    assert terminal.exit_status() == 0


def test_tui_chimes_without_a_sound_card_never_print_on_the_screen(
    terminal: Terminal, practices_dir: Path, tmp_path: Path
) -> None:
    # No .asoundrc in this HOME and no sound card: libasound says "ALSA lib ..." on
    # the stderr of whatever plays. Players run in children with their output
    # discarded, so none of it may reach the screen, and the session goes on.
    terminal.start("practice", "chimed", "--no-checkin", "--practices", str(practices_dir))
    screens: list[str] = []  # every screen seen on the way, each chime ringing meanwhile
    end = "You reached the end of “Chimes everywhere”."
    terminal.wait_for(lambda shown: screens.append(shown) or end in shown, repr(end))
    record = wait_for_record(tmp_path)
    assert record["completed"] is True
    screens.append(terminal.screen())
    terminal.keys("q")
    assert terminal.exit_status() == 0
    screens.append(terminal.screen())
    for screen in screens:
        assert "ALSA" not in screen, screen
        assert "snd_" not in screen, screen


def test_tui_opens_on_the_history_with_history_and_escape_goes_to_the_practices(
    terminal: Terminal, tmp_path: Path
) -> None:
    sessions = tmp_path / "data" / "sessions"
    for day, title in ((2, "Noticing your hands"), (3, "Sounds near and far")):
        append_record(
            make_record(
                f"2026-03-0{day}T10:00:00+01:00",
                practice=title.split()[0].lower(),
                title=title,
                before=None,
                after=None,
                answers=[],
                note=None,
            ),
            sessions,
            host="laptop",
        )
    terminal.start("practice", "--history")
    titles = ("2 sessions", "Sounds near and far", "Noticing your hands")
    shown = terminal.wait_for(lambda shown: all(t in shown for t in titles), repr(titles))
    assert shown.index("Sounds near and far") < shown.index("Noticing your hands")
    terminal.keys("Escape")
    terminal.wait_for_text("Choose a practice")
    terminal.keys("C-q")
    assert terminal.exit_status() == 0


def test_plain_history_prints_the_sessions_like_emoflat_history(
    terminal: Terminal, tmp_path: Path
) -> None:
    terminal.start("practice", "--history", "--plain")
    terminal.wait_for_text("No sessions yet")
    assert terminal.exit_status() == 0


# --- calm to use: a window made too small, and the keys a break takes ------------------------


def test_tui_a_window_made_too_small_mid_step_pauses_and_loses_no_time(
    terminal: Terminal, practices_dir: Path, tmp_path: Path
) -> None:
    terminal.start("practice", "long", "--no-checkin", "--practices", str(practices_dir))
    started = time.monotonic()
    terminal.wait_for(lambda s: "The first long step." in s and "Step 1 of 3" in s, "step 1")
    terminal.resize(30, 10)  # the font zoomed in to read
    terminal.wait_for_text("Paused: the window is too")
    small = time.monotonic()
    time.sleep(3)  # wall time passes while the step cannot be seen (not a synchronisation)
    terminal.resize(80, 24)
    # The step and the time left as they were (waited for whole: a frame may come in parts).
    expected = ("Paused while the window was too small", "The first long step.",
                "Step 1 of 3 · about 15 min left")  # fmt: skip
    terminal.wait_for(lambda shown: all(part in shown for part in expected), repr(expected))
    hidden = time.monotonic() - small
    terminal.keys("Space")  # the user says go on
    terminal.wait_for(lambda s: "Paused" not in s, "the pause to end")
    terminal.keys("q")
    terminal.wait_for_text("End now?")
    terminal.keys("y")
    record = wait_for_record(tmp_path)
    assert record["practiced_seconds"] <= time.monotonic() - started - hidden + 1
    terminal.keys("q")
    assert terminal.exit_status() == 0


def test_tui_a_resize_under_the_help_leaves_the_legend_at_the_foot_of_the_session(
    terminal: Terminal,
) -> None:
    # Zoomed in while the help was open (the session under it gets the resize, hidden):
    # back on the session the legend is its last row, not one row drawn in three rows' room.
    terminal.start("practice", "breath-observation", "--no-checkin", "--no-sound")
    terminal.wait_for(lambda s: "settle in" in s and "q end" in s, "step 1")
    terminal.keys("h")
    terminal.wait_for_text("Talk to someone now")
    terminal.resize(40, 12)
    terminal.wait_for(lambda s: len(s.rstrip("\n").splitlines()) <= 12, "the help at 40x12")
    terminal.keys("Escape")
    terminal.wait_for(
        lambda s: "settle in" in s and s.splitlines()[-1].startswith(" Space pause  q end"),
        "the session, its legend on the last row",
    )
    assert not any("more below" in row for row in terminal.rows()[-12:])
    terminal.keys("q")
    terminal.wait_for_text("End now?")
    terminal.keys("y")
    terminal.wait_for_text("What you did is kept.")
    terminal.keys("q")
    assert terminal.exit_status() == 0


def test_tui_a_break_takes_three_keys_each_way_with_the_check_ins(
    terminal: Terminal, practices_dir: Path, tmp_path: Path
) -> None:
    """The friction in the issue's terms: from ``emoflat practice`` to the first
    instruction, answering the one question before it, and from the last instruction back
    to the shell, answering the one question after it."""
    terminal.start("practice", "--practices", str(practices_dir))
    terminal.wait_for_text("Choose a practice")
    terminal.keys("/")
    terminal.type("two short")
    terminal.keys("Escape")  # the search is cleared: the first practice is a built-in
    to_the_first = ["Enter", "5", "Enter"]
    terminal.keys(to_the_first[0])
    terminal.wait_for_text("Right now, how much can you feel")
    terminal.keys(*to_the_first[1:])
    terminal.wait_for(lambda s: "Step 1 of" in s, "the first instruction")
    terminal.keys("q")
    terminal.wait_for_text("End now?")
    terminal.keys("y")  # (ending early here; the way back is the same after a last step)
    terminal.wait_for_text("How was that for you?")
    back_to_the_shell = ["6", "Enter", "q"]
    terminal.keys(*back_to_the_shell[:2])
    terminal.wait_for_text("Whatever you noticed")
    terminal.keys(back_to_the_shell[2])
    assert terminal.exit_status() == 0
    assert len(to_the_first) == len(back_to_the_shell) == 3
    record = wait_for_record(tmp_path)
    assert record["before"]["feel"] == 5 and record["after"]["feel"] == 6


def test_tui_a_break_takes_one_key_each_way_without_check_ins(
    terminal: Terminal, practices_dir: Path, tmp_path: Path
) -> None:
    terminal.start("practice", "--no-checkin", "--practices", str(practices_dir))
    terminal.wait_for_text("Choose a practice")
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "Step 1 of" in s, "the first instruction")
    terminal.keys("q", "y")  # the end question: the way back from a last step is q alone
    terminal.wait_for_text("Whatever you noticed")
    terminal.keys("q")
    assert terminal.exit_status() == 0
    assert wait_for_record(tmp_path)["before"] is None
