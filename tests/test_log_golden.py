"""The log's outputs over one fixed, odd log, byte for byte: history, stats and every export.

``tests/data/golden/log`` holds two host files with a torn line, garbage, a line that is
not UTF-8, mistyped fields, a record without a UTC offset, a duplicate id across the two
files, and notes with markup and text a spreadsheet could run. Each command's stdout and
stderr are compared with the files in ``tests/data/golden/out``. They were made by the
code before the log moved to its own package, then changed once, on purpose: a mistyped
or out-of-range field (``"ten"`` seconds, a feeling of 11, 1e308 seconds) is now left
blank everywhere, CSV included, with a warning naming the line and the fields. Run with
``EMOFLAT_UPDATE_GOLDEN=1`` to write them again (and say why in the commit).
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from emoflat import paths
from emoflat.cli import main

GOLDEN = Path(__file__).parent / "data" / "golden"
#: "Now" for every command: a Wednesday morning at UTC+1.
NOW = datetime(2026, 3, 4, 11, 0, 0, tzinfo=timezone(timedelta(hours=1)))

COMMANDS = {
    "history": ["history"],
    "history-json": ["history", "--json"],
    "history-csv": ["history", "--csv"],
    "history-since": ["history", "--since", "2026-02-01"],
    "stats": ["stats"],
    "stats-json": ["stats", "--json"],
    "export-csv": ["export", "--format", "csv"],
    "export-json": ["export", "--format", "json"],
    "export-markdown": ["export", "--format", "markdown"],
    "export-markdown-notes": ["export", "--format", "markdown", "--include-notes"],
}


@pytest.fixture
def fixed_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """The golden log as the user's, in UTC, at :data:`NOW`."""
    shutil.copytree(GOLDEN / "log", paths.sessions_dir())
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    import emoflat.log.commands as commands

    monkeypatch.setattr(commands, "now", lambda: NOW.astimezone())
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_output_is_byte_identical_to_the_golden_file(
    name: str, fixed_log: None, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(COMMANDS[name]) == 0
    out, err = capfdbinary.readouterr()
    # The log folder is a new temporary one each run.
    err = err.replace(os.fsencode(paths.sessions_dir()), b"<log>")
    for suffix, got in (("out", out), ("err", err)):
        golden = GOLDEN / "out" / f"{name}.{suffix}"
        if os.environ.get("EMOFLAT_UPDATE_GOLDEN") == "1":
            golden.parent.mkdir(exist_ok=True)
            golden.write_bytes(got)
        assert got == golden.read_bytes(), f"{golden.name} differs"
