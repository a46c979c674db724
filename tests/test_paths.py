"""Writing a private file: whole or not at all, 0600 whatever the umask, no surprises."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from emoflat import paths

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="file modes are POSIX")


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("open_umask")
def test_a_new_file_is_private_even_with_an_open_umask(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    paths.write_private_file(target, [b"one ", b"two"], replace=False, sync=True)
    assert target.read_bytes() == b"one two"
    assert mode(target) == 0o600


@pytest.mark.usefixtures("open_umask")
def test_replacing_swaps_the_whole_file_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "cache.bin"
    target.write_bytes(b"old content")
    target.chmod(0o644)
    paths.write_private_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache.bin"]


def test_a_temporary_file_left_by_a_crash_with_this_pid_is_no_obstacle(tmp_path: Path) -> None:
    target = tmp_path / "cache.bin"
    stale = tmp_path / f".cache.bin.{os.getpid()}.tmp"
    stale.write_bytes(b"half a write")
    paths.write_private_file(target, b"whole")
    assert target.read_bytes() == b"whole"
    assert not stale.exists()


def test_without_replace_an_existing_file_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_bytes(b"the user's own file")
    with pytest.raises(FileExistsError):
        paths.write_private_file(target, b"other", replace=False)
    assert target.read_bytes() == b"the user's own file"


def test_without_replace_a_symbolic_link_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"not yours to overwrite")
    link = tmp_path / "link"
    link.symlink_to(elsewhere)
    with pytest.raises(FileExistsError):
        paths.write_private_file(link, b"other", replace=False)
    assert elsewhere.read_bytes() == b"not yours to overwrite"


def test_a_failed_write_leaves_no_part_behind(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"

    def parts() -> Iterator[bytes]:
        yield b"a first part"
        raise OSError(28, "No space left on device")

    for replace in (True, False):
        with pytest.raises(OSError, match="No space"):
            paths.write_private_file(target, parts(), replace=replace)
        assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_raises_oserror_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        paths.write_private_file(tmp_path / "missing" / "out.bin", b"x")
    assert list(tmp_path.iterdir()) == []


def test_folders_are_private_under_any_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        made = paths.ensure_private_dir(tmp_path / "a" / "b" / "c")
    finally:
        os.umask(old)
    for folder in (made, made.parent, made.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_read_limited_reads_regular_files_only_and_says_the_real_size(tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.write_bytes(b"abc")
    assert paths.read_limited(small, 3) == b"abc"
    with pytest.raises(paths.FileRefused, match=r"is 4 bytes; emoflat reads at most 3 bytes"):
        small.write_bytes(b"abcd")
        paths.read_limited(small, 3)
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(paths.FileRefused, match="FIFO"):
        paths.read_limited(tmp_path / "fifo", 100)
    with pytest.raises(paths.FileRefused, match="a folder"):
        paths.read_limited(tmp_path, 100)
    with pytest.raises(paths.FileRefused, match="a device"):
        paths.read_limited(Path("/dev/zero"), 100)
