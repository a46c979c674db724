"""Where emoflat keeps things: the user's data and config folders, and its own files.

A leaf module: no UI, imports only the standard library and platformdirs (lazily).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

APP_NAME = "emoflat"

#: Folders emoflat creates for the user are private to them.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def _package_root() -> Path:
    return Path(__file__).resolve().parent


def builtin_practices_dir() -> Path:
    """The built-in practices: ``_data/practices`` in a wheel, ``practices/`` in a checkout."""
    return _shipped("practices")


def builtin_sounds_dir() -> Path:
    """The built-in chimes: ``emoflat/_data/sounds`` in a wheel, ``sounds/`` in a checkout."""
    return _shipped("sounds")


def _shipped(name: str) -> Path:
    installed = _package_root() / "_data" / name
    if installed.is_dir():
        return installed
    return _package_root().parent / name


def config_dir() -> Path:
    """``$EMOFLAT_CONFIG_DIR``, else the platform's user config folder."""
    env = os.environ.get("EMOFLAT_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """``$EMOFLAT_DATA_DIR``, else the platform's user data folder."""
    env = os.environ.get("EMOFLAT_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """``$EMOFLAT_CACHE_DIR``, else the platform's user cache folder."""
    env = os.environ.get("EMOFLAT_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def user_practices_dir() -> Path:
    """The user's own practices."""
    return config_dir() / "practices"


def user_sounds_dir() -> Path:
    """The user's own chimes (``NAME.wav``)."""
    return config_dir() / "sounds"


def sessions_dir() -> Path:
    """The session log folder."""
    return data_dir() / "sessions"


def unsaved_dir() -> Path:
    """The one place a session record is kept when the log cannot be written.

    In the config folder, not beside the log: a data folder that cannot be written (read
    only, full, not a folder) must not take the record down with it. ``emoflat forget``
    deletes what is in it and ``emoflat doctor`` lists it.
    """
    return config_dir() / "unsaved"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` and the parents it needs, each 0700 whatever the umask (folders
    that already exist are left as they are, but for ``path`` itself)."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=PRIVATE_DIR_MODE)
        os.chmod(folder, PRIVATE_DIR_MODE)  # mkdir's mode is cut by the umask
    if (path.stat().st_mode & 0o777) != PRIVATE_DIR_MODE:
        os.chmod(path, PRIVATE_DIR_MODE)
    return path


class FileRefused(OSError):
    """A file emoflat will not read: not a regular file, or too large. ``str()`` says why."""


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in a few words."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def size_text(size: int) -> str:
    """A size in bytes, KiB, MiB or GiB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024**2:
        return f"{size / 1024:.0f} KiB"
    return f"{size / 1024**2:.1f} MiB" if size < 1024**3 else f"{size / 1024**3:.1f} GiB"


def open_regular(path: Path, limit: int) -> int:
    """A descriptor open for reading on ``path``, if it is a regular file of at most
    ``limit`` bytes (a link is followed). A FIFO or a device is never waited on: it is
    opened without blocking, looked at and closed.

    Raises:
        FileRefused: ``path`` is not a regular file, or is larger than ``limit``.
        OSError: It cannot be opened (``FileNotFoundError`` when it does not exist).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise FileRefused(f"is {kind_of(status.st_mode)}, not a regular file")
        if status.st_size > limit:
            raise FileRefused(
                f"is {size_text(status.st_size)}; emoflat reads at most {size_text(limit)}"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file: reads as usual from here
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes; a FIFO or
    a device is never opened for long, and nothing is read before the size is known.

    Raises:
        FileRefused: ``path`` is not a regular file, or is larger than ``limit``.
        OSError: It cannot be read (``FileNotFoundError`` when it does not exist).
    """
    fd = open_regular(path, limit)
    try:
        data = b""
        while len(data) <= limit and (part := os.read(fd, limit + 1 - len(data))):
            data += part
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise FileRefused(f"is over {size_text(limit)}; emoflat reads at most that")
    return data


# O_EXCL and O_NOFOLLOW: a folder may be a shared temporary folder.
_NEW_FILE_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def write_private_file(
    path: Path, data: bytes | Iterable[bytes], *, replace: bool = True, sync: bool = False
) -> None:
    """Write a file only the user can read (0600, whatever the umask), whole or not at all.

    Args:
        path: The file to write; its folder must exist.
        data: Its content, whole or in parts.
        replace: Replace an existing file: the content goes to a new file beside it that
            is then renamed over it, so a reader sees the old file or the new, never a
            part. Off: the file must not exist (``FileExistsError``) and is never a
            symbolic link followed elsewhere.
        sync: Flush the content to the disk before the file takes its name.

    Raises:
        OSError: The file could not be written; nothing of it is left behind.
    """
    target = path.with_name(f".{path.name}.{os.getpid()}.tmp") if replace else path
    try:
        fd = os.open(target, _NEW_FILE_FLAGS, PRIVATE_FILE_MODE)
    except FileExistsError:
        if not replace:
            raise
        os.unlink(target)  # left by a process that crashed with this pid
        fd = os.open(target, _NEW_FILE_FLAGS, PRIVATE_FILE_MODE)
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, PRIVATE_FILE_MODE)
            for part in [data] if isinstance(data, bytes) else data:
                view = memoryview(part)
                while view:
                    view = view[os.write(fd, view) :]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        if replace:
            os.replace(target, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise
