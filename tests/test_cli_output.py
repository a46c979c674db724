"""Output that cannot be written is one calm line, never a traceback: a full disk
(``> /dev/full``), a closed stdout (``>&-``), a reader that left (``| head -1``)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = [
    ("list",),
    ("list", "--json"),
    ("schema",),
    ("show", "breath-observation"),
    ("history",),
    ("history", "--json"),
    ("history", "--csv"),
    ("stats",),
    ("stats", "--json"),
    ("export", "--format", "csv"),
    ("export", "--format", "json"),
    ("export", "--format", "markdown"),
    ("doctor",),
    ("help-now",),
]


def emoflat(*args: str, **streams: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "emoflat", *args],
        stderr=subprocess.PIPE,
        env=dict(os.environ),
        timeout=60,
        check=False,
        **streams,  # type: ignore[call-overload]
    )


@pytest.fixture(autouse=True)
def _a_log(tmp_path: Path) -> None:
    from records import make_record

    from emoflat.log.store import append_record

    append_record(make_record())


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full is Linux")
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_full_disk_is_one_line_and_exit_1(args: tuple[str, ...]) -> None:
    with open("/dev/full", "wb") as full:
        done = emoflat(*args, stdout=full)
    assert done.returncode == 1
    assert done.stderr.decode().splitlines()[-1] == (
        "emoflat: could not write the output (No space left on device)"
    )
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_closed_stdout_is_one_line_and_exit_1(args: tuple[str, ...]) -> None:
    command = " ".join(shlex.quote(arg) for arg in (sys.executable, "-m", "emoflat", *args))
    done = subprocess.run(
        f"{command} >&-", shell=True, stderr=subprocess.PIPE, timeout=60, check=False
    )
    assert done.returncode == 1
    assert b"stdout is closed" in done.stderr
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_reader_that_leaves_is_no_error(args: tuple[str, ...]) -> None:
    reader = subprocess.Popen(
        [sys.executable, "-m", "emoflat", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.read(1)
    reader.stdout.close()
    errors = reader.stderr.read()
    assert reader.wait(timeout=60) in (0, 1)  # 1: a full log can still have warned
    assert b"Traceback" not in errors and b"Exception ignored" not in errors
