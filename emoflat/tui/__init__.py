"""emoflat's full-screen terminal UI, built with Textual.

Importing this package imports nothing heavy; :func:`run_tui` loads Textual when it runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future

    from emoflat.launch import LaunchOptions
    from emoflat.library import Library
    from emoflat.log.store import LogRead

__all__ = ["run_tui"]


def run_tui(
    options: LaunchOptions, library: Library, *, reading: Future[LogRead] | None = None
) -> int:
    """Run the TUI until the user quits; log any session; return the exit code.

    See :func:`emoflat.tui.run.run_tui`.
    """
    import dataclasses

    from emoflat import firstrun
    from emoflat.tui.run import run_tui as run

    if firstrun.is_first_run():
        options = dataclasses.replace(options, welcome=True)
    return run(options, library, reading=reading)
