"""The "talk to someone" text: one data file, ``help-now.txt``, ending with its check date."""

from __future__ import annotations

import re
from pathlib import Path

_FILE = Path(__file__).with_name("help-now.txt")


def help_text() -> str:
    """The help text, as written in ``help-now.txt`` (plain text, never markup)."""
    return _FILE.read_text(encoding="utf-8")


def checked_on() -> str:
    """When the numbers were last checked (``YYYY-MM``), from the text's last line."""
    found = re.search(r"\(numbers checked: ([0-9]{4}-[0-9]{2})\)\s*$", help_text())
    return found.group(1) if found else "unknown"
