"""Plain mode's terminal: lines out (flushed, cleaned), lines in (with a timeout, on a
terminal or not), and the signals that end a session. Imports neither Textual nor Rich.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import TextIO

from emoflat.text import clean

#: Reads one line of input: waits at most ``timeout`` seconds (``None``: as long as it
#: takes) and returns the line without its line break, or ``None`` if the time passed
#: with no whole line typed. Raises :class:`EOFError` at the end of the input.
Wait = Callable[[float | None], str | None]


class OutputGone(Exception):
    """Nobody reads stdout any more (a closed pipe, a hung-up terminal)."""


class Output:
    """Writes whole lines, flushed at once so a screen reader hears them as they come,
    each passed through :func:`~emoflat.text.clean` (whatever stream it is given).

    On a terminal, a line longer than the window is broken between words (indented like
    its first row), never inside one: the terminal would break it at its last column, in
    the middle of a word, and a zoomed 40-column window would read "a bre / ak".
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.gone = False

    def say(self, text: str) -> None:
        """Write ``text`` and a line break."""
        self._write(self._fitted(text) + "\n")

    def _fitted(self, text: str) -> str:
        """``text`` with its long lines broken between words to the terminal's width."""
        try:
            if not self.stream.isatty():
                return text
            width = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            return text
        if width < 10 or all(len(line) <= width for line in text.split("\n")):
            return text
        import textwrap

        rows = []
        for line in text.split("\n"):
            indent = line[: len(line) - len(line.lstrip(" "))]
            if len(line) <= width or len(indent) > width // 2:
                rows.append(line)
                continue
            rows += textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False)
        return "\n".join(rows)

    def blank(self) -> None:
        """Write an empty line."""
        self._write("\n")

    def release(self) -> None:
        """After the output went away, keep the interpreter's last flush quiet."""
        if self.gone and self.stream is sys.stdout:
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

    def _write(self, text: str) -> None:
        if self.gone:
            return
        text = clean(text)
        try:
            try:
                self.stream.write(text)
            except UnicodeEncodeError:
                encoding = getattr(self.stream, "encoding", None) or "ascii"
                self.stream.write(text.encode(encoding, "replace").decode(encoding))
            self.stream.flush()
        except (OSError, ValueError):
            self.gone = True
            raise OutputGone from None


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def discard_typed(stream: TextIO) -> None:
    """Drops what was typed on the terminal and not yet entered.

    When a signal or Ctrl+C ends plain mode mid-line, the half-typed answer would
    otherwise be read by the shell as its next command line.
    """
    if not is_terminal(stream):
        return
    try:
        import termios

        termios.tcflush(stream.fileno(), termios.TCIFLUSH)
    except (ImportError, OSError, ValueError):  # not a POSIX terminal, or gone
        pass


def sleeper(timeout: float | None) -> None:
    """Lets time pass when nothing is read (stdin is not a terminal)."""
    if timeout is not None and timeout > 0:
        time.sleep(timeout)


def terminal_reader(stream: TextIO) -> Wait:
    """A :data:`Wait` reading whole lines from a terminal."""
    if sys.platform == "win32":  # select() takes only sockets there
        return ThreadReader(stream).wait
    return SelectReader(stream.fileno()).wait


class SelectReader:
    """Whole lines from a file descriptor, waiting with ``select()``.

    It reads the descriptor itself, not through Python's buffered stream: a line
    buffered there would be invisible to ``select()`` and wait until the next one.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""
        self.ended = False

    def wait(self, timeout: float | None) -> str | None:
        """See :data:`Wait`."""
        import select

        deadline = None if timeout is None else time.monotonic() + max(timeout, 0.0)
        while b"\n" not in self.buffer:
            if self.ended:
                if self.buffer:
                    return self._take(len(self.buffer))
                raise EOFError
            left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.fd, 4096)
            if chunk:
                self.buffer += chunk
            else:
                self.ended = True
        return self._take(self.buffer.index(b"\n") + 1)

    def _take(self, size: int) -> str:
        line, self.buffer = self.buffer[:size], self.buffer[size:]
        return line.decode("utf-8", "replace").rstrip("\r\n")


class ThreadReader:
    """Whole lines read by a daemon thread, for systems without ``select()`` on stdin."""

    def __init__(self, stream: TextIO) -> None:
        import queue
        import threading

        self.lines: queue.Queue[str] = queue.Queue()
        self.empty = queue.Empty
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: TextIO) -> None:
        for line in iter(stream.readline, ""):
            self.lines.put(line)
        self.lines.put("")

    def wait(self, timeout: float | None) -> str | None:
        """See :data:`Wait`."""
        try:
            line = self.lines.get(timeout=timeout)
        except self.empty:
            return None
        if line == "":
            self.lines.put("")  # stays at the end
            raise EOFError
        return line.rstrip("\r\n")


# --- signals -------------------------------------------------------------------------------


class Stopped(Exception):
    """SIGTERM or SIGHUP arrived during the session."""


class Left(Exception):
    """``q`` at a question before the session: nothing is started."""


class Signals:
    """SIGTERM and SIGHUP end the session like Ctrl+C does, so it is still logged.

    While the record is being written (:meth:`defer`) every ending signal, Ctrl+C
    too, is noted and waits, so the write is never cut short.
    """

    _ENDING = tuple(
        getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
    )

    def __init__(self) -> None:
        self.received: int | None = None
        self._armed = True
        self._previous: dict[int, object] = {}

    def __enter__(self) -> Signals:
        for signum in self._ENDING:
            self._install(signum)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, previous in self._previous.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(signum, previous)  # type: ignore[arg-type]

    def defer(self) -> None:
        """From now on, note ending signals (Ctrl+C too) instead of acting on them."""
        self._armed = False
        self._install(signal.SIGINT)

    def _install(self, signum: int) -> None:
        try:
            previous = signal.signal(signum, self._handle)
        except (ValueError, OSError):  # not the main thread, or not this system
            return
        self._previous.setdefault(signum, previous)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.received = signum
        if self._armed:
            raise Stopped(signum)
