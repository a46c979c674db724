"""Running the TUI from the command line: signals, the terminal, and the log, whatever happens.

The session's record must reach the log even when the run ends badly: Ctrl+C, the
terminal closing (SIGHUP) or a SIGTERM. Signals end the session and log it at once,
then the app leaves and restores the terminal; a ``finally`` logs it too, in case
anything else went wrong (the recorder writes only once). Log write errors are printed
after the app has closed, when the terminal is back to normal.

And the process always ends: see :class:`_Ending`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import select
import signal
import sys
import threading
import time
from types import FrameType
from typing import TYPE_CHECKING, Any

from emoflat.tui.app import EmoflatApp, build_app

if TYPE_CHECKING:
    from concurrent.futures import Future

    from emoflat.config import Config
    from emoflat.engine import ChimeEvent
    from emoflat.launch import LaunchOptions
    from emoflat.library import Library
    from emoflat.log.store import LogRead, LogWriteError

#: The signals that end a session cleanly while the app runs.
HANDLED_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM", "SIGINT") if hasattr(signal, name)
)
#: Job control, whose handlers Textual installs (and leaves behind).
_JOB_CONTROL = tuple(
    getattr(signal, name) for name in ("SIGCONT", "SIGTSTP") if hasattr(signal, name)
)
#: How long the app has to leave by itself once an ending signal came, before the
#: process logs the session and ends without it.
GRACE_SECONDS = 3.0


async def _run_with_signals(app: EmoflatApp) -> None:
    """Run the app (the signals are handled around it, by :class:`_Ending`)."""
    await app.run_async()


class _Ending:
    """SIGHUP, SIGTERM and SIGINT, and a terminal that goes away, for as long as
    :func:`run_tui` runs: the session is logged and the process ends, at any moment.

    The handlers are Python's own, not the event loop's: they run even when the loop is
    stuck. It can be. After a hangup, Textual's output thread dies on its first write to
    the closed terminal (EIO), the queue to it fills, and the next write blocks the loop
    for good, while Textual's input thread reads end-of-file in a loop; Textual's SIGCONT
    handler (the kernel sends SIGCONT with SIGHUP) would even start a second input
    thread. So an ending signal asks the app to end (:meth:`EmoflatApp.end_by_signal`, in
    the loop), switches SIGCONT off, and arms a watchdog: if the process is still there
    :data:`GRACE_SECONDS` later, the watchdog logs the session (once, as always) and ends
    the process. A terminal that hangs up without a signal (its end-of-file) is taken as
    SIGHUP.
    """

    def __init__(self, app: EmoflatApp) -> None:
        self.app = app
        self.signum: int | None = None
        """The first ending signal that came."""
        self.code = 0
        """The exit code it asks for: 0 when it ended a session, else 128 + the signal."""
        self._came = threading.Event()
        self._previous: dict[int, Any] = {}
        self._wake: int | None = None

    def __enter__(self) -> _Ending:
        for signum in (*HANDLED_SIGNALS, *_JOB_CONTROL):
            with contextlib.suppress(ValueError, OSError):  # not the main thread
                self._previous[signum] = signal.getsignal(signum)
        for signum in HANDLED_SIGNALS:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signum, self._on_signal)
        threading.Thread(target=self._watchdog, name="emoflat-ending", daemon=True).start()
        if os.isatty(0) and hasattr(select, "poll"):
            wake, self._wake = os.pipe()
            threading.Thread(
                target=self._watch_terminal, args=(wake,), name="emoflat-hangup", daemon=True
            ).start()
        return self

    def __exit__(self, *exc: object) -> None:
        # Textual leaves its SIGCONT and SIGTSTP handlers behind: they would restart its
        # terminal mode after the app is gone.
        for signum, previous in self._previous.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(signum, previous)
        if self._wake is not None:
            os.close(self._wake)  # the terminal watcher leaves
        self._came.set()  # the watchdog leaves, unless a signal came

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is None:
            self.signum = signum
            # As EmoflatApp.end_by_signal says it: 0 when a session was ended.
            self.code = 0 if self.app.session_running else 128 + signum
            with contextlib.suppress(ValueError, OSError, AttributeError):
                signal.signal(signal.SIGCONT, signal.SIG_DFL)
            self._came.set()
        try:
            loop = asyncio.get_running_loop()  # this handler runs in the loop's thread
        except RuntimeError:
            return  # before the loop: the app is not started; after it: it has left
        loop.call_soon_threadsafe(self.app.end_by_signal, signum)

    def _watchdog(self) -> None:
        self._came.wait()
        if self.signum is None:
            return  # run_tui ended without one
        time.sleep(GRACE_SECONDS)  # the app's time to leave by itself
        with contextlib.suppress(Exception):
            self.app.finish_session()
            report_log_errors(self.app.log_errors)
        os._exit(self.code)

    def _watch_terminal(self, wake: int) -> None:
        """Sleep until the terminal hangs up (then act as on SIGHUP) or ``wake`` closes."""
        watch = select.poll()
        watch.register(0, 0)  # no events asked: only a hang-up (or an error) wakes it
        watch.register(wake, select.POLLIN)
        try:
            woken = dict(watch.poll())
        except OSError:
            woken = {}
        finally:
            os.close(wake)
        if wake not in woken and woken.get(0, 0) & select.POLLHUP:
            os.kill(os.getpid(), signal.SIGHUP)


#: The size given to a terminal that says it has none (as ``shutil`` assumes).
UNKNOWN_SIZE = (24, 80)


def size_from_the_terminal() -> None:
    """Let the terminal say its size, and follow it as it changes.

    ``COLUMNS`` and ``LINES`` in the environment (some shells and tools export them) would
    fix the size for good: a window made smaller would never be seen as too small. On a
    terminal they are dropped. A terminal that reports 0 rows or columns (a fresh
    pseudo-terminal, some consoles) gets 80x24, what it is assumed to be anyway: Textual
    otherwise takes 80x25 in one place and 80x24 in another, and its screens, resized
    between the two, would redraw without end at full CPU. The terminal's next real size
    (a resize) replaces this one.
    """
    for fd in (1, 2, 0):
        with contextlib.suppress(OSError, AttributeError):
            if not os.isatty(fd):
                continue
            os.environ.pop("COLUMNS", None)
            os.environ.pop("LINES", None)
            rows, columns = os.get_terminal_size(fd)[::-1]
            if rows == 0 or columns == 0:
                import termios

                termios.tcsetwinsize(fd, UNKNOWN_SIZE)
            return


def report_log_errors(errors: list[LogWriteError]) -> None:
    """Tell the user about records that could not be logged, and where they are kept."""
    for error in errors:
        with contextlib.suppress(OSError, ValueError):
            print(f"emoflat: {error}", file=sys.stderr)
            if error.fallback is None:
                print(error.record_json, file=sys.stderr)


def run_tui(
    options: LaunchOptions, library: Library, *, reading: Future[LogRead] | None = None
) -> int:
    """Run the app until the user quits; log any session; return the exit code.

    Args:
        options: What ``emoflat practice`` was asked to do.
        library: The practices to offer.
        reading: With ``--history``, a read of the log's index already started.

    Returns:
        0 when the user quit (a session ended early is still 0), 1 when a session could
        not be written to the log (it was kept elsewhere and this says where), 130 for
        Ctrl+C outside a session.
    """
    from emoflat.audio import ChimePlayer
    from emoflat.sounds import available_sounds

    # Chimes play in child processes whose output is discarded: nothing they or a
    # native library print can reach the screen, and a crash there ends no session.
    players = [ChimePlayer(options.config, enabled=options.sound, bell=lambda: app.bell())]

    def on_chime(event: ChimeEvent) -> None:
        players[-1].play(event.sound)

    def on_mute(muted: bool) -> None:
        players[-1].set_muted(muted)

    def on_settings(config: Config) -> None:
        """The settings screen changed the chime, volume or sound: a player for them (the
        old one's chime still ringing rings out)."""
        old = players[-1]
        player = ChimePlayer(config, enabled=config.sound, bell=lambda: app.bell())
        player.set_muted(old.muted)
        players.append(player)
        old.close(detach=True)

    app = build_app(
        options, library, on_chime=on_chime, on_mute=on_mute, on_settings=on_settings,
        reading=reading,
    )  # fmt: skip
    player = players[0]

    async def run_app() -> None:
        if ending.signum is None:  # else it came before the loop: nothing has started
            await _run_with_signals(app)

    with _Ending(app) as ending:
        try:
            if player.enabled:
                player.prepare([None, *sorted(available_sounds())])
            # What the imports built lives as long as the process: keep it out of the
            # garbage collector's way, so collections while drawing stay short.
            gc.freeze()
            size_from_the_terminal()
            asyncio.run(run_app())
        finally:
            app.finish_session()  # a no-op when the session was already logged
            players[-1].close(detach=True)  # an end chime still ringing rings out
            report_log_errors(app.log_errors)
    if ending.signum is not None and app.return_code is None:
        return ending.code
    code = app.return_code if app.return_code is not None else 0
    if app.log_errors and code == 0:
        return 1
    return code
