"""Benchmark emoflat's TUI beside a bare Textual app, both in a real pseudo-terminal.

Two figures, each printed with the bare app's figure from the same run and the ratio:

1. Launch to first frame: ``emoflat practice`` (the picker, through the real CLI) and a
   bare Textual app. The time is from spawning the process to the moment its first
   frame's text arrives on the pseudo-terminal; the median of several runs, the two
   interleaved. Each is started with ``EMOFLAT_BENCH_EXIT_AFTER_FIRST_FRAME=1`` so it
   leaves right after that frame. Target: within 1.25x of the bare app.
2. A practice started by id, to its first instruction: ``emoflat practice ID
   --no-checkin`` from spawning to the first step's text drawn, with sound and with
   ``--no-sound``, beside the bare app's first frame, same run, interleaved.
   Target: within 1.25x of the bare app.
3. The history's first frame with a 20,000-session log (five a day for ten years):
   ``emoflat practice --history`` from spawning the process to the newest session's line
   drawn in the history list, beside ``emoflat practice`` from spawning to the picker's
   first frame ("Choose a practice"), same run, interleaved. Also timed: ``l`` pressed on
   a running picker to the newest session drawn (how most people open it). The log is
   generated into the temporary ``EMOFLAT_DATA_DIR`` (two host files, as
   ``bench/bench_history.py`` makes them). Target: the history within 1.25x of the picker.
4. CPU during a breath step at 120x40: ``emoflat practice`` on a practice whose first
   step is a long breath step, with motion and with reduced motion
   (``TEXTUAL_ANIMATIONS=none``), beside the bare app sitting idle (the floor). CPU time
   is read from ``/proc/PID/stat`` over 30 seconds after start-up, in three windows;
   the median window is reported. Targets: under 4% of one core, under 1% reduced.

Usage::

    .venv/bin/python bench/bench_tui.py            # about 3 minutes
    .venv/bin/python bench/bench_tui.py --quick    # about 1 minute

Linux only (``/proc``). Everything runs with private data, config and cache folders.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

EXIT_AFTER_FIRST_FRAME = "EMOFLAT_BENCH_EXIT_AFTER_FIRST_FRAME"
COLUMNS, ROWS = 120, 40
#: Text in each app's first frame.
PICKER_MARKER = b"Choose a practice"
BARE_MARKER = b"A bare Textual app."
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

FIRST_INSTRUCTION = b"Notice the air coming in"
BREATH_PRACTICE = """\
format: 1
id: bench-breath
title: "Bench: a long breath step"
summary: "One long breath step, for measuring the breath visual."
chimes: {start: none, end: none}
steps:
  - breath: "Notice the air coming in, and going out. There is nothing to change."
    seconds: 600
"""


# The bare app, run as a child of this script --------------------------------------------


def run_bare_app() -> None:
    """A bare Textual app: one line of text; with the env var, it leaves after one frame."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class BareApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Static(BARE_MARKER.decode())

        def on_ready(self) -> None:
            if os.environ.get(EXIT_AFTER_FIRST_FRAME) == "1":
                self.exit()

    BareApp().run()


# Running children in a pseudo-terminal ----------------------------------------------------


class PtyChild:
    """A process on the slave side of a fresh pty of COLUMNS x ROWS; we read its output."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.controller, terminal = pty.openpty()
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv,
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            env=env,
            start_new_session=True,
        )
        os.close(terminal)
        self.output = bytearray()

    def drain(self, seconds: float) -> None:
        """Read whatever the child draws for ``seconds`` (so it never blocks writing)."""
        deadline = time.perf_counter() + seconds
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return
            ready, _, _ = select.select([self.controller], [], [], min(left, 0.1))
            if ready:
                try:
                    chunk = os.read(self.controller, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.output += chunk[-4096:]

    def wait_for(self, marker: bytes, timeout: float = 30.0) -> float:
        """Read until ``marker`` has been drawn; the seconds from spawn to then."""
        deadline = time.perf_counter() + timeout
        seen = b""
        while marker not in seen:
            if time.perf_counter() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"never drew {marker!r}: {bytes(self.output[-500:])!r}")
            ready, _, _ = select.select([self.controller], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.controller, 65536)
                except OSError:
                    chunk = b""
                seen = seen[-len(marker) :] + chunk
                self.output += chunk[-4096:]
        return time.perf_counter() - self.started

    def wait_exit(self, timeout: float = 30.0) -> float:
        """Drain until the child exits; the seconds from spawn to exit."""
        deadline = time.perf_counter() + timeout
        while self.process.poll() is None:
            if time.perf_counter() > deadline:
                self.stop()
                raise RuntimeError(f"child did not exit: {bytes(self.output[-500:])!r}")
            self.drain(0.02)
        elapsed = time.perf_counter() - self.started
        self.close()
        return elapsed

    def cpu_seconds(self) -> float:
        """CPU time the child's threads have used so far.

        Summed from each thread's ``schedstat`` (nanoseconds) when the kernel keeps it;
        else ``utime + stime`` from ``stat``, in clock ticks (10 ms steps).
        """
        pid = self.process.pid
        try:
            total = 0
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/schedstat", encoding="ascii") as stat:
                    total += int(stat.read().split()[0])
            return total / 1e9
        except (OSError, ValueError, IndexError):
            pass
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        # After "pid (comm)": state is fields[0]; utime and stime are fields 14 and 15.
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def stop(self) -> None:
        """SIGTERM (emoflat logs and leaves), then make sure it is gone."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            end = time.perf_counter() + 10
            while self.process.poll() is None and time.perf_counter() < end:
                self.drain(0.05)
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.controller)


# The measurements ---------------------------------------------------------------------------


def base_env(home: Path, *, motion: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TERM="xterm-256color",
        LANG="C.UTF-8",
        COLUMNS=str(COLUMNS),
        LINES=str(ROWS),
        EMOFLAT_DATA_DIR=str(home / "data"),
        EMOFLAT_CONFIG_DIR=str(home / "config"),
        EMOFLAT_CACHE_DIR=str(home / "cache"),
    )
    env.pop(EXIT_AFTER_FIRST_FRAME, None)
    env.pop("NO_COLOR", None)
    if motion:
        env.pop("TEXTUAL_ANIMATIONS", None)
    else:
        env["TEXTUAL_ANIMATIONS"] = "none"
    return env


def emoflat_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "emoflat", "practice", *args]


def bare_argv() -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child-bare"]


def first_frame_seconds(argv: list[str], env: dict[str, str], marker: bytes) -> float:
    """Spawn to the first frame (its ``marker`` text on the terminal), in seconds."""
    child = PtyChild(argv, dict(env, **{EXIT_AFTER_FIRST_FRAME: "1"}))
    drawn = child.wait_for(marker)
    child.wait_exit()
    return drawn


def cpu_percent(
    argv: list[str], env: dict[str, str], *, settle: float, windows: int, window: float
) -> tuple[float, list[float]]:
    """Median and all windows of CPU use, in % of one core, after ``settle`` seconds."""
    child = PtyChild(argv, env)
    try:
        child.drain(settle)
        if child.process.poll() is not None:
            raise RuntimeError(f"child exited early: {bytes(child.output[-500:])!r}")
        shares = []
        for _ in range(windows):
            before, started = child.cpu_seconds(), time.perf_counter()
            child.drain(window)
            used, spent = child.cpu_seconds() - before, time.perf_counter() - started
            shares.append(100 * used / spent)
    finally:
        child.stop()
    return statistics.median(shares), shares


def drawn_seconds(argv: list[str], env: dict[str, str], marker: bytes) -> float:
    """Spawn to ``marker`` drawn, for a child that does not leave by itself (SIGTERM after)."""
    child = PtyChild(argv, env)
    try:
        return child.wait_for(marker, timeout=60)
    finally:
        child.stop()


def key_to_drawn_seconds(argv: list[str], env: dict[str, str], key: bytes, marker: bytes) -> float:
    """Wait for the picker, press ``key``, and time from the key to ``marker`` drawn."""
    child = PtyChild(argv, env)
    try:
        child.wait_for(PICKER_MARKER, timeout=60)
        child.drain(0.3)  # let the start-up settle
        pressed = time.perf_counter()
        os.write(child.controller, key)
        child.wait_for(marker, timeout=60)
        return time.perf_counter() - pressed
    finally:
        child.stop()


def write_history_log(home: Path, sessions: int) -> bytes:
    """Generate the log into ``home``'s data folder; the newest session's line start."""
    folder = home / "data" / "sessions"
    bench = Path(__file__).resolve().parent
    subprocess.run(
        [
            sys.executable,
            str(bench / "bench_history.py"),
            "--write-log",
            str(folder),
            str(sessions),
        ],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(bench.parent))
    from emoflat.log.render import when_text
    from emoflat.log.store import read_log

    return when_text(read_log(folder).sessions[0].record.started).encode()


def history_figures(home: Path, runs: int, sessions: int) -> None:
    """The history's first frame beside the picker's, over a generated log."""
    env = base_env(home, motion=False)
    marker = write_history_log(home, sessions)
    picker_env = dict(env, **{EXIT_AFTER_FIRST_FRAME: "1"})
    picker_argv = emoflat_argv("--no-sound")
    history_argv = emoflat_argv("--no-sound", "--history")
    drawn_seconds(history_argv, env, marker)  # warm-ups
    first_frame_seconds(picker_argv, picker_env, PICKER_MARKER)
    pickers: list[float] = []
    histories: list[float] = []
    keyed: list[float] = []
    for _ in range(runs):
        pickers.append(first_frame_seconds(picker_argv, picker_env, PICKER_MARKER))
        histories.append(drawn_seconds(history_argv, env, marker))
        keyed.append(key_to_drawn_seconds(picker_argv, env, b"l", marker))
    picker, history = statistics.median(pickers), statistics.median(histories)
    from_key = statistics.median(keyed)
    print(f"history first frame with {sessions:,} sessions (newest drawn), median of {runs}:")
    print(
        f"  emoflat practice: picker   {picker * 1000:7.0f} ms   (best {min(pickers) * 1000:.0f})"
    )
    print(
        f"  emoflat practice --history {history * 1000:7.0f} ms   "
        f"(best {min(histories) * 1000:.0f})"
    )
    print(
        f"  ratio                      {history / picker:6.2f}x   "
        f"(best to best {min(histories) / min(pickers):.2f}x; target <= 1.25x)"
    )
    print(
        f"  l on the picker to drawn   {from_key * 1000:7.0f} ms   "
        f"(best {min(keyed) * 1000:.0f}; {from_key / picker:.2f}x the picker's launch)"
    )


def by_id_figures(home: Path, practices: Path, runs: int) -> None:
    """A practice started by id, to its first instruction, beside the bare app."""
    env = base_env(home, motion=False)
    by_id = emoflat_argv("bench-breath", "--no-checkin", "--practices", str(practices))
    quiet = [*by_id, "--no-sound"]
    figures: dict[str, list[float]] = {"sound": [], "no sound": [], "bare": []}
    drawn_seconds(by_id, env, FIRST_INSTRUCTION)  # warm-ups
    first_frame_seconds(bare_argv(), env, BARE_MARKER)
    for _ in range(runs):
        figures["sound"].append(drawn_seconds(by_id, env, FIRST_INSTRUCTION))
        figures["no sound"].append(drawn_seconds(quiet, env, FIRST_INSTRUCTION))
        figures["bare"].append(first_frame_seconds(bare_argv(), env, BARE_MARKER))
    bare = statistics.median(figures["bare"])
    print(f"emoflat practice ID to its first instruction drawn, median of {runs}:")
    for name in ("sound", "no sound", "bare"):
        median = statistics.median(figures[name])
        label = "bare Textual app" if name == "bare" else f"practice ID, {name}"
        print(
            f"  {label:26} {median * 1000:7.0f} ms   {ratio(median, bare):>6}   "
            f"(best {min(figures[name]) * 1000:.0f}; target <= 1.25x)"
        )


def ratio(mine: float, bare: float) -> str:
    return f"{mine / bare:.2f}x" if bare > 0.005 else "n/a (the bare app rounds to 0)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter runs (~30 s)")
    parser.add_argument("--child-bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--only-history", action="store_true", help="only the history figure (~1 minute)"
    )
    parser.add_argument(
        "--only-by-id", action="store_true", help="only the practice-by-id figure (~1 minute)"
    )
    parser.add_argument("--sessions", type=int, default=20_000, help="sessions in the log")
    args = parser.parse_args()
    if args.child_bare:
        run_bare_app()
        return 0
    if not Path("/proc/self/stat").exists():
        print("bench_tui needs Linux (/proc)", file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from common import compile_emoflat

    compile_emoflat()

    runs = 3 if args.quick else 9
    windows, window = (3, 2.0) if args.quick else (3, 10.0)
    settle = 2.0 if args.quick else 3.0

    with tempfile.TemporaryDirectory(prefix="emoflat-bench-") as tmp:
        home = Path(tmp)
        practices = home / "practices"
        practices.mkdir()
        (practices / "bench-breath.yaml").write_text(BREATH_PRACTICE, encoding="utf-8")
        env = base_env(home, motion=False)
        # As a user who has run emoflat before: the first-run page is not in the way.
        from emoflat.firstrun import MARKER

        (home / "data").mkdir(mode=0o700, exist_ok=True)
        (home / "data" / MARKER).write_bytes(b"")

        if args.only_history:
            history_figures(home, runs, args.sessions)
            return 0
        if args.only_by_id:
            by_id_figures(home, practices, runs)
            return 0

        print(f"emoflat TUI bench: {COLUMNS}x{ROWS} pty, Python {sys.version.split()[0]}")
        print(f"launch to first frame drawn, median of {runs} runs (after a warm-up each):")
        first_frame_seconds(emoflat_argv(), env, PICKER_MARKER)  # warms the listing cache
        first_frame_seconds(bare_argv(), env, BARE_MARKER)
        mine_runs: list[float] = []
        bare_runs: list[float] = []
        for _ in range(runs):  # interleaved, so load on the machine hits both alike
            mine_runs.append(first_frame_seconds(emoflat_argv(), env, PICKER_MARKER))
            bare_runs.append(first_frame_seconds(bare_argv(), env, BARE_MARKER))
        mine, bare = statistics.median(mine_runs), statistics.median(bare_runs)
        best_mine, best_bare = min(mine_runs), min(bare_runs)
        print(f"  emoflat practice (picker)  {mine * 1000:7.0f} ms   (best {best_mine * 1000:.0f})")
        print(f"  bare Textual app           {bare * 1000:7.0f} ms   (best {best_bare * 1000:.0f})")
        print(
            f"  ratio                      {ratio(mine, bare):>7}   "
            f"(best to best {ratio(best_mine, best_bare)}; target <= 1.25x)"
        )

        by_id_figures(home, practices, runs)
        history_figures(home, runs, args.sessions)

        span = windows * window
        print(
            f"CPU during a breath step, {span:.0f} s after {settle:.0f} s start-up, "
            f"median of {windows} windows (% of one core):"
        )
        breath = emoflat_argv(
            "bench-breath", "--no-sound", "--no-checkin", "--practices", str(practices)
        )
        figures = {}
        for name, argv, motion in (
            ("emoflat, motion", breath, True),
            ("emoflat, reduced motion", breath, False),
            ("bare Textual app, idle", bare_argv(), True),
        ):
            median, shares = cpu_percent(
                argv, base_env(home, motion=motion), settle=settle, windows=windows, window=window
            )
            figures[name] = median
            shown = ", ".join(f"{s:.2f}" for s in shares)
            print(f"  {name:<26} {median:6.2f} %   (windows: {shown})")
        floor = figures["bare Textual app, idle"]
        print(
            f"  ratio to bare: motion {ratio(figures['emoflat, motion'], floor)}, "
            f"reduced {ratio(figures['emoflat, reduced motion'], floor)}"
            "   (targets: motion < 4 %, reduced < 1 %)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
