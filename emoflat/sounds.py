"""Which chimes exist and where their files are. A leaf: standard library only.

A sound name ``NAME`` is ``NAME.wav`` in the user's sounds folder, else in the
built-in ``sounds/``; the user's file wins.
"""

from __future__ import annotations

import os
import struct
import zlib
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


#: The largest sound file played: the most samples a chime may hold, and room for its
#: header and other chunks.
MAX_SOUND_FILE_BYTES = 16 * 1024 * 1024 + 64 * 1024


def sound_problem(source: Path) -> str:
    """Why the sound file ``source`` is not played, or ``""``: it is not a regular file,
    is larger than :data:`MAX_SOUND_FILE_BYTES`, or its WAV header claims more samples
    than :data:`~emoflat.audio_child.MAX_SOUND_BYTES`. Only the header is read."""
    import wave

    from emoflat.audio_child import MAX_SOUND_BYTES

    try:
        fd = paths.open_regular(source, MAX_SOUND_FILE_BYTES)
    except paths.FileRefused as exc:
        return f"{source.name} {exc}"
    except OSError as exc:
        return f"{source.name} could not be read ({exc.strerror or exc})"
    try:
        with open(fd, "rb") as file, wave.open(file, "rb") as reader:
            claimed = reader.getnframes() * reader.getnchannels() * reader.getsampwidth()
    except (wave.Error, EOFError, struct.error, RuntimeError, OSError):
        return ""  # not a WAV the wave module reads: the system players may; its size is fine
    if claimed > MAX_SOUND_BYTES:
        return (
            f"{source.name} says it holds {paths.size_text(claimed)} of samples; a chime "
            f"holds at most {paths.size_text(MAX_SOUND_BYTES)}"
        )
    return ""


def scaled_copy_path(name: str, source: Path, volume: int) -> Path | None:
    """Where the copy of ``source`` scaled to ``volume`` lives; ``None`` if unknowable.

    The name carries the source's path, size and modification time, so an edited user
    sound gets a fresh copy.
    """
    try:
        st = source.stat()
        folder = paths.cache_dir() / "chimes"
    except OSError:
        return None
    key = zlib.crc32(os.fsencode(source.resolve()))
    return folder / f"{name}-v{volume}-{key:08x}-{st.st_size:x}-{st.st_mtime_ns:x}.wav"
