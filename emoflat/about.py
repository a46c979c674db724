"""The "About feeling flat" page: one data file, ``about-flat.txt``, shipped in the package.

What emotional blunting is, how it often differs from depression, and when to talk to the
MS team, in plain words from the article. The page diagnoses nothing and names no cause
for the reader's own case; the numbers to call live in the help text, not here.
"""

from __future__ import annotations

from pathlib import Path

_FILE = Path(__file__).with_name("about-flat.txt")


def about_text() -> str:
    """The page, as written in ``about-flat.txt`` (plain text, never markup).

    Its paragraphs are broken at about 90 columns; show it through
    :func:`emoflat.helptext.flowing` for a window to wrap them at its own width.
    """
    return _FILE.read_text(encoding="utf-8")
