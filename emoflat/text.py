"""Text as it may be shown on a terminal, whatever it came from: a practice file, the log,
the settings, a file name or an error message.

A control character (ESC, OSC, BEL and the rest of C0 and C1, DEL) could clear the
screen, retitle the window or write to the clipboard; a lone surrogate cannot even be
encoded. :func:`clean` turns each into its visible escape ``\\uXXXX`` (as JSON writes it,
so JSON output stays JSON meaning the same), keeping line breaks and tabs. Every front
end passes what it shows through it where text leaves emoflat: the command line wraps
stdout and stderr in :class:`CleanStream`, plain mode cleans each line, the TUI its
widgets' text. Files written with ``export -o`` are the user's data and stay exact.

:func:`control_character` is what a practice file may not hold at all. The rest is for
laying text out: one line, a cut to a width in cells.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import TextIO

# C0 but tab, line feed and a carriage return before one; DEL and C1; lone surrogates.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")
# The same, with line breaks and tabs too.
_UNSAFE_ON_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Bytes of UTF-8 (surrogates passed) that never start or make up anything unsafe: all but
# C0 (line feed and tab too, for one line), DEL, and the lead bytes of C1 (0xC2) and of
# the surrogates (0xED). ``bytes.translate`` deleting them finds a clean text (the usual
# case) in about a tenth of the time the pattern takes to search it.
_CAN_START = bytes(range(0x20)) + b"\x7f\xc2\xed"
_NEVER_UNSAFE = bytes(b for b in range(256) if b not in _CAN_START or b in b"\t\n")
_NEVER_UNSAFE_ON_ONE_LINE = bytes(b for b in range(256) if b not in _CAN_START)
# What a practice's text may not hold: C0 but tab and line feed, DEL, C1, lone surrogates.
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _shown(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def clean(text: str, *, keep_lines: bool = True) -> str:
    """``text`` with every character a terminal would act on shown as its escape
    (ESC as ``\\u001b``). Line breaks and tabs are kept (a carriage return only before
    a line feed), unless ``keep_lines`` is false: then they are escaped too, and the
    text is one line."""
    never = _NEVER_UNSAFE if keep_lines else _NEVER_UNSAFE_ON_ONE_LINE
    if not text.encode("utf-8", "surrogatepass").translate(None, never):
        return text
    unsafe = _UNSAFE if keep_lines else _UNSAFE_ON_ONE_LINE
    return unsafe.sub(_shown, text)


def control_character(text: str) -> tuple[int, str] | None:
    """The first character of ``text`` a practice may not hold (a control character
    other than a line feed or tab, or a lone surrogate): its index and its name like
    ``U+001B``; ``None`` when there is none."""
    found = _REFUSED.search(text)
    if found is None:
        return None
    return found.start(), f"U+{ord(found.group()):04X}"


class CleanStream(io.TextIOBase):
    """A text stream writing through ``stream``, everything passed through :func:`clean`.

    It has no ``buffer``, so nothing can write bytes past it; what the stream's encoding
    cannot hold is replaced rather than raised.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.stream, "errors", None)

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        shown = clean(text)
        try:
            self.stream.write(shown)
        except UnicodeEncodeError:
            self.stream.write(shown.encode(self.encoding, "replace").decode(self.encoding))
        return len(text)

    def write_bytes(self, data: bytes) -> None:
        """Write UTF-8 ``data`` as :meth:`write` would write its text: straight through
        when nothing in it can start a control character (the usual case, and no copy of
        it decoded and encoded again), else decoded and cleaned."""
        buffer = getattr(self.stream, "buffer", None)
        utf8 = self.encoding.lower().replace("_", "-") in ("utf-8", "utf8")
        if buffer is None or not utf8 or data.translate(None, _NEVER_UNSAFE):
            self.write(data.decode("utf-8", "replace"))
            return
        self.stream.flush()
        buffer.write(data)
        buffer.flush()

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def close(self) -> None:
        """Leave ``stream`` open: this is only a view of it, with nothing of its own to flush."""


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
