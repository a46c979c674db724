"""The "talk to someone" text: one data file, ``help-now.txt``, ending with its check date."""

from __future__ import annotations

import re
from pathlib import Path

_FILE = Path(__file__).with_name("help-now.txt")


def help_text() -> str:
    """The help text, as written in ``help-now.txt`` (plain text, never markup)."""
    return _FILE.read_text(encoding="utf-8")


def flowing(text: str) -> str:
    """``text`` with each paragraph's broken lines joined, for a window to wrap at its own
    width: a line that starts flush left and follows one that does too (and does not end
    with ":") goes on the same paragraph. Indented lines and blank lines stay as they are.
    """
    lines: list[str] = []
    for line in text.splitlines():
        previous = lines[-1] if lines else ""
        continues = previous and not previous[0].isspace() and not previous.endswith(":")
        if continues and line and not line[0].isspace():
            lines[-1] = f"{previous} {line}"
        else:
            lines.append(line)
    return "\n".join(lines)


def checked_on() -> str:
    """When the numbers were last checked (``YYYY-MM``), from the text's last line."""
    found = re.search(r"\(numbers checked: ([0-9]{4}-[0-9]{2})\)\s*$", help_text())
    return found.group(1) if found else "unknown"
