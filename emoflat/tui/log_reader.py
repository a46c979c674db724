"""Reading the session log's index in a thread, so no screen waits on it to draw.

No Textual here: the app can start a read before its first frame (when it opens on the
history), and the history screen picks up the result when it shows.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from emoflat.logindex import LogIndex


def start_reading(directory: Path | None = None) -> Future[LogIndex]:
    """Start reading the log's index (through its cache) in a daemon thread.

    Args:
        directory: The session log folder; defaults to the user's.

    Returns:
        A future of the index; its exception is a ``DataError`` or ``OSError`` when the
        log could not be read.
    """
    future: Future[LogIndex] = Future()

    def read() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            from emoflat.logindex import read_index

            future.set_result(read_index(directory))
        except BaseException as exc:  # handed over to the screen, never lost in the thread
            future.set_exception(exc)

    threading.Thread(target=read, name="emoflat-read-log", daemon=True).start()
    return future


def record_of(index: LogIndex, row: int) -> dict[str, object]:
    """The whole record of ``row``, read from the log itself when the index has no text.

    The log may have grown since ``index`` was read, so the record is found by its id.

    Raises:
        KeyError: The session is no longer in the log.
    """
    if index.has_text:
        return index.record(row)
    from emoflat.logindex import read_index

    session_id = index.ids[row]
    full = read_index(index.directory, text=True)
    for found in full.rows:
        if full.ids[found] == session_id:
            return full.record(found)
    raise KeyError(session_id)
