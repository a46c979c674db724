"""Text as it may be shown on a terminal, whatever it came from: a practice file, the log,
the settings, a file name or an error message.

A control character (ESC, OSC, BEL and the rest of C0 and C1, DEL) could clear the
screen, retitle the window or write to the clipboard; a lone surrogate cannot even be
encoded. :func:`clean` turns each into a visible ``\\xNN`` (or U+FFFD), keeping line breaks
and tabs; every front end passes what it shows through it at the one place text leaves
emoflat. The rest is for laying text out: one line, a cut to a width in cells.
"""

from __future__ import annotations

import re
import unicodedata

# C0 but tab, line feed and a carriage return before one; DEL and C1; lone surrogates.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    return "\ufffd" if "\ud800" <= char <= "\udfff" else f"\\x{ord(char):02x}"


def clean(text: str) -> str:
    """``text`` with every character a terminal would act on made visible, line breaks
    and tabs kept (a carriage return before a line feed too)."""
    return _UNSAFE.sub(_shown, text) if _UNSAFE.search(text) else text


def one_line(text: str) -> str:
    """Text on one line, with anything unprintable shown as a space."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def printable(text: str) -> str:
    """Text as it may be shown: its lines kept, anything else unprintable a space."""
    return "\n".join(
        "".join(c if c.isprintable() or c == "\t" else " " for c in line)
        for line in text.splitlines()
    )


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes: wide characters two, combining ones none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells, ending with "…" when cut."""
    if cell_width(text) <= width:
        return text
    cut = text
    while cut and cell_width(cut) > width - 1:
        cut = cut[:-1]
    return cut.rstrip() + "…" if width > 0 else ""
