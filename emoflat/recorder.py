"""One run of a practice and its one line in the session log.

:class:`SessionRecorder` owns the engine :class:`~emoflat.engine.Session` of one run and
makes sure that, once the session has started, its record is appended to the log
exactly once, however the run ends: the last step finishing, the user ending early, a
Ctrl+C, the terminal closing or a SIGTERM. Every way out calls :meth:`~SessionRecorder.finish`;
only the first call writes.

A leaf: no UI. It uses the engine and :mod:`emoflat.sessionlog`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from emoflat.engine import Session, build_record
from emoflat.model import Practice
from emoflat.sessionlog import LogWriteError, append_record, new_session_id

__all__ = ["SessionRecorder"]


class SessionRecorder:
    """Runs one session of a practice and logs it once, when it ends.

    A session that never started (the user left the picker) is never logged.
    """

    def __init__(
        self,
        practice: Practice,
        *,
        minutes: float | None = None,
        now: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] | None = None,
        rng: random.Random | None = None,
        log_dir: Path | None = None,
    ) -> None:
        """Plan the session; nothing is logged until it has started and ends.

        Args:
            practice: The practice to run.
            minutes: Scale the practice to this many minutes (``--minutes``).
            now: A monotonic clock in seconds.
            wall: The local wall clock (default: the system's, with its UTC offset).
            rng: Chooses the ``pick`` steps' texts.
            log_dir: The session log folder (default: the user's).
        """
        if wall is None:
            self.session = Session(practice, minutes=minutes, now=now, rng=rng)
        else:
            self.session = Session(practice, minutes=minutes, now=now, wall=wall, rng=rng)
        self.session_id = new_session_id()
        self._log_dir = log_dir
        self._finishing = False
        self._done = False
        self._record: dict[str, Any] | None = None
        self._log_path: Path | None = None
        self._error: LogWriteError | None = None

    @property
    def started(self) -> bool:
        """Whether the session has started (and so will be logged)."""
        return self.session.state().started

    @property
    def done(self) -> bool:
        """Whether :meth:`finish` has run to its end."""
        return self._done

    @property
    def record(self) -> dict[str, Any] | None:
        """The record built when the session ended; ``None`` before, or if never started."""
        return self._record

    @property
    def log_path(self) -> Path | None:
        """The log file the record went to, once written."""
        return self._log_path

    @property
    def error(self) -> LogWriteError | None:
        """Why the record could not be written to the log, if it could not."""
        return self._error

    def start(self) -> None:
        """Start the session's clock (ignored once started)."""
        self.session.start()

    def finish(self) -> LogWriteError | None:
        """End the session if it still runs, and append its record to the log, once.

        Safe to call any number of times and from every way out: only the first call
        writes; later calls return the first call's outcome. A session that never
        started is not logged.

        Returns:
            ``None`` when the record was written (or there was nothing to write), else
            the :class:`~emoflat.sessionlog.LogWriteError` to show the user; its
            message says where the record was kept instead.
        """
        if self._done or self._finishing:
            return self._error
        self._finishing = True
        try:
            if self.started:
                self.session.end()  # a no-op when the last step already finished
                record = build_record(self.session, session_id=self.session_id)
                self._record = record
                try:
                    self._log_path = append_record(record, self._log_dir)
                except LogWriteError as exc:
                    self._error = exc
            self._done = True
        finally:
            # Anything unexpected leaves the record unwritten, so a later call retries.
            self._finishing = False
        return self._error
