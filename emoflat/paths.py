"""Where emoflat keeps things: the user's data and config folders, and its own files.

A leaf module: no UI, imports only the standard library and platformdirs (lazily).
"""

from __future__ import annotations

import os
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


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it 0700, whatever the umask."""
    path.mkdir(parents=True, exist_ok=True)
    if (path.stat().st_mode & 0o777) != PRIVATE_DIR_MODE:
        os.chmod(path, PRIVATE_DIR_MODE)
    return path
