"""One run of a practice and its one line in the session log.

:class:`SessionRecorder` owns the engine :class:`~emoflat.engine.Session` of one run and
makes sure that, once the session has started, its record is appended to the log
exactly once, however the run ends: the last step finishing, the user ending early, a
Ctrl+C, the terminal closing or a SIGTERM.

The record is written after the session, once the check-in after it, the note and the
context tags are in. So the UI ends the session with :meth:`~SessionRecorder.end`, hands
over each answer as the user gives it with :meth:`~SessionRecorder.collect`, and calls
:meth:`~SessionRecorder.finish` when the user is done. Every way out calls ``finish``
too, and it writes whatever was collected by then: a run cut short after the session
still logs the session with the answers given so far. Only the first call writes.

A leaf: no UI. It uses the engine and :mod:`emoflat.log`.
"""

from __future__ import annotations

import enum
import random
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final

from emoflat.engine import Session
from emoflat.model import Practice

if TYPE_CHECKING:
    # The log's modules (and msgspec) are imported when the session is logged, not
    # before its first instruction is drawn.
    from emoflat.log.record import AfterCheckIn, CheckIn, Record
    from emoflat.log.store import LogWriteError

__all__ = ["KEEP", "SessionRecorder"]


class _Keep(enum.Enum):
    KEEP = "keep"


#: For :meth:`SessionRecorder.collect`: leave as collected.
KEEP: Final = _Keep.KEEP


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
        self.session_id: str | None = None
        """The record's id, once :meth:`finish` has made it."""
        self._log_dir = log_dir
        self._finishing = False
        self._done = False
        self._record: Record | None = None
        self._log_path: Path | None = None
        self._error: LogWriteError | None = None
        self._before: CheckIn | None = None
        self._after: AfterCheckIn | None = None
        self._note: str | None = None
        self._tags: list[str] = []

    @property
    def started(self) -> bool:
        """Whether the session has started (and so will be logged)."""
        return self.session.state().started

    @property
    def ended(self) -> bool:
        """Whether the session has started and ended (written or not)."""
        state = self.session.state()
        return state.started and state.finished

    @property
    def done(self) -> bool:
        """Whether :meth:`finish` has run to its end."""
        return self._done

    @property
    def record(self) -> Record | None:
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

    def end(self) -> None:
        """End the session now if it still runs (ended early); nothing is written yet."""
        if self.started:
            self.session.end()  # a no-op when the last step already finished

    def collect(
        self,
        *,
        before: CheckIn | _Keep | None = KEEP,
        after: AfterCheckIn | _Keep | None = KEEP,
        note: str | _Keep | None = KEEP,
        tags: Iterable[str] | _Keep = KEEP,
    ) -> None:
        """Keep what the user has given so far, for the record :meth:`finish` writes.

        Each part left out stays as it was. Ignored once the record is written.

        Args:
            before: The check-in before the session (``None``: skipped).
            after: The check-in after it, with ``felt`` (``None``: skipped).
            note: The free note (blank: none).
            tags: The context tags marked.
        """
        if self._done:
            return
        if not isinstance(before, _Keep):
            self._before = before
        if not isinstance(after, _Keep):
            self._after = after
        if not isinstance(note, _Keep):
            self._note = note
        if not isinstance(tags, _Keep):
            self._tags = list(dict.fromkeys(tags))

    def finish(self) -> LogWriteError | None:
        """End the session if it still runs, and append its record to the log, once.

        The record holds what was collected (see :meth:`collect`). Safe to call any number
        of times and from every way out: only the first call writes; later calls return
        the first call's outcome. A session that never started is not logged.

        Returns:
            ``None`` when the record was written (or there was nothing to write), else
            the :class:`~emoflat.log.store.LogWriteError` to show the user; its message
            says where the record was kept instead.
        """
        if self._done or self._finishing:
            return self._error
        self._finishing = True
        from emoflat.log.record import Answer, Record, new_session_id
        from emoflat.log.store import LogWriteError, append_record

        try:
            if self.started:
                self.session.end()  # a no-op when the session already ended
                practice, fields = self.session.practice, self.session.record_fields()
                self.session_id = self.session_id or new_session_id()
                record = Record(
                    id=self.session_id,
                    practice=practice.id,
                    title=practice.title,
                    started=fields["started"],
                    ended=fields["ended"],
                    planned_seconds=fields["planned_seconds"],
                    practiced_seconds=fields["practiced_seconds"],
                    completed=fields["completed"],
                    before=self._before,
                    after=self._after,
                    answers=tuple(Answer(**answer) for answer in fields["answers"]),
                    note=self._note if self._note and self._note.strip() else None,
                    tags=tuple(self._tags),
                )
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
