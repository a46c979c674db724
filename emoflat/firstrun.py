"""The first run: one short page of what emoflat is and is not, shown once.

A leaf (no UI): the TUI shows :data:`WELCOME` on a screen of its own and plain mode prints
it, each once; a marker file in the data folder says it was shown. A script (stdin not a
terminal) is never shown it.
"""

from __future__ import annotations

import contextlib

from emoflat import paths

#: The marker, in the data folder: its presence means the welcome was shown.
MARKER = "welcome-shown"
HEADING = "Welcome to emoflat"


def welcome_lines() -> list[str]:
    """The page, a paragraph a line: what emoflat is and is not, privacy, help."""
    return [
        "emoflat offers short practices for a break: one calm instruction at a time.",
        "It is a practice companion, not a medical device or a crisis service. "
        "It does not diagnose anything. Feeling nothing during a practice is a fine outcome.",
        "What you write stays on this computer, in "
        f"{paths.data_dir()}. No one reads your notes, and emoflat cannot contact anyone "
        "for you.",
        "emoflat export saves a copy of your sessions; emoflat forget deletes them all.",
        "On every screen, h shows who you can talk to.",
    ]


def is_first_run() -> bool:
    """Whether the welcome has not been shown yet."""
    return not (paths.data_dir() / MARKER).exists()


def mark_shown() -> None:
    """Remember that the welcome was shown (a file that cannot be written: it shows again
    next time, which does no harm)."""
    with contextlib.suppress(OSError):
        folder = paths.ensure_private_dir(paths.data_dir())
        paths.write_private_file(folder / MARKER, b"")
