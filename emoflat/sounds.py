"""Which chimes exist and where their files are. A leaf: standard library only.

A sound name ``NAME`` is ``NAME.wav`` in the user's sounds folder, else in the
built-in ``sounds/``; the user's file wins.
"""

from __future__ import annotations

import os
from pathlib import Path

from emoflat import paths


def sound_names(*folders: Path) -> frozenset[str]:
    """The names of the ``NAME.wav`` regular files in ``folders`` (a folder, a FIFO, a
    device or a dangling link so named is no sound; missing folders have none)."""
    names: set[str] = set()
    for folder in folders:
        try:
            with os.scandir(folder) as entries:
                names.update(
                    e.name[:-4]
                    for e in entries
                    if e.name.endswith(".wav") and not e.name.startswith(".") and e.is_file()
                )
        except OSError:
            continue
    return frozenset(names)


def available_sounds() -> frozenset[str]:
    """Every sound a practice may name: the user's and the built-in ones."""
    return sound_names(paths.user_sounds_dir(), paths.builtin_sounds_dir())


def sound_path(name: str) -> Path | None:
    """The file of sound ``name``: the user's, else the built-in one; ``None`` if neither."""
    if not name or "/" in name or "\\" in name or ".." in name:
        return None
    for folder in (paths.user_sounds_dir(), paths.builtin_sounds_dir()):
        candidate = folder / f"{name}.wav"
        if candidate.is_file():
            return candidate
    return None
