"""Running the TUI from the command line: signals, the terminal, and the log, whatever happens.

The session's record must reach the log even when the run ends badly: Ctrl+C, the
terminal closing (SIGHUP) or a SIGTERM. Signals end the session and log it at once,
then the app leaves and restores the terminal; a ``finally`` logs it too, in case
anything else went wrong (the recorder writes only once). Log write errors are printed
after the app has closed, when the terminal is back to normal.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import sys
from typing import TYPE_CHECKING

from emoflat.tui.app import EmoflatApp, build_app

if TYPE_CHECKING:
    from concurrent.futures import Future

    from emoflat.engine import ChimeEvent
    from emoflat.launch import LaunchOptions
    from emoflat.library import Library
    from emoflat.log.store import LogRead, LogWriteError

#: The signals that end a session cleanly while the app runs.
HANDLED_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM", "SIGINT") if hasattr(signal, name)
)


async def _run_with_signals(app: EmoflatApp) -> None:
    loop = asyncio.get_running_loop()
    installed = []
    for signum in HANDLED_SIGNALS:
        try:
            loop.add_signal_handler(signum, app.end_by_signal, signum)
        except (NotImplementedError, RuntimeError, ValueError):
            continue  # not on this platform
        installed.append(signum)
    try:
        await app.run_async()
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


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
    player = ChimePlayer(options.config, enabled=options.sound, bell=lambda: app.bell())

    def on_chime(event: ChimeEvent) -> None:
        player.play(event.sound)

    app = build_app(options, library, on_chime=on_chime, on_mute=player.set_muted, reading=reading)
    if player.enabled:
        player.prepare([None, *sorted(available_sounds())])
    # What the imports built lives as long as the process: keep it out of the garbage
    # collector's way, so collections while drawing stay short.
    gc.freeze()
    size_from_the_terminal()
    try:
        asyncio.run(_run_with_signals(app))
    finally:
        app.finish_session()  # a no-op when the session was already logged
        player.close(detach=True)  # an end chime still ringing rings out
        report_log_errors(app.log_errors)
    code = app.return_code if app.return_code is not None else 0
    if app.log_errors and code == 0:
        return 1
    return code
