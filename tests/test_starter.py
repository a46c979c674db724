"""``emoflat new``: a starter practice, whole or not at all."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from emoflat.loader import check_practice


def new(
    *args: str, env: dict[str, str] | None = None, limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    def preexec() -> None:
        if limit is not None:  # a full disk: writing past this many bytes fails
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "emoflat", "new", *args],
        env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=60,
        check=False, preexec_fn=preexec,
    )  # fmt: skip


def test_new_writes_a_valid_starter_and_says_where() -> None:
    done = new("my-practice")
    assert done.returncode == 0
    path = Path(done.stdout.strip())
    practice, errors = check_practice(path)
    assert errors == [] and practice is not None and practice.id == "my-practice"
    # It shows the fields an author needs most: the picker's group, and a step a short
    # length may leave out (and that leaving it out works).
    assert practice.group == "Being present"
    assert [step.optional for step in practice.steps].count(True) == 1


def test_new_on_a_full_disk_leaves_no_file_behind() -> None:
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # inherited: the write fails with EFBIG
    try:
        done = new("no-room", limit=100)
    finally:
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    assert done.returncode == 1
    assert "nothing was left" in done.stderr and "Traceback" not in done.stderr
    folder = Path(os.environ["EMOFLAT_CONFIG_DIR"]) / "practices"
    assert list(folder.iterdir()) == []


def test_new_under_a_folder_name_that_is_not_utf8(tmp_path: Path) -> None:
    odd = os.fsdecode(bytes(tmp_path) + b"/caf\xe9")
    done = new("odd-place", env={"EMOFLAT_CONFIG_DIR": odd})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    written = Path(odd) / "practices" / "odd-place.yaml"
    practice, errors = check_practice(written)
    assert errors == [] and practice is not None
