"""The chime player's child process: ``python -m emoflat.audio_child MODE ...``.

(:mod:`emoflat.audio` starts it as ``python -S -c ...`` calling :func:`main`, which
starts faster; ``-m`` is for trying it by hand.)

:mod:`emoflat.audio` runs this in a child whose output is discarded, so a crash in a
native audio library or its chatter on stderr can never reach the screen. Only the
standard library is imported here (and ``simpleaudio`` in its own mode), so the child
starts quickly.

Modes (``VOLUME`` is 0-100, applied to the samples):

``simpleaudio SOURCE VOLUME [CACHE]``
    Load the WAV, scale it, play it with simpleaudio and wait for the end. With
    ``CACHE``, the scaled WAV is also saved there (after playback has started) so later
    chimes skip the scaling.
``exec SOURCE VOLUME CACHE -- PLAYER ARG...``
    Write the scaled WAV to ``CACHE``, then replace this process with the player; an
    argument ``{}`` is replaced by the scaled file's path. The player's exit status
    (or the signal that killed it) is the child's.
``prepare VOLUME SOURCE CACHE [SOURCE CACHE ...]``
    Write scaled WAVs into the cache ahead of time; plays nothing.
``winsound SOURCE VOLUME [CACHE]``
    Play with ``winsound`` on Windows, from ``CACHE`` if given.

Exit status: 0 played, 2 bad arguments, 3 the sound could not be read or written,
4 the audio device or library failed, 5 simpleaudio could not be imported.
"""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False  # not typing's: importing typing or collections costs milliseconds
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import BinaryIO

# Only what is needed before the first frame is imported at the top: this child's
# start-up is most of a chime's delay (``pathlib``, ``tempfile``, ``dataclasses`` and
# ``contextlib`` would triple it). The cache is written after playback has started.

EXIT_PLAYED = 0
EXIT_USAGE = 2
EXIT_BAD_SOUND = 3
EXIT_DEVICE_FAILED = 4
EXIT_NO_LIBRARY = 5

#: The scaled-chime cache keeps at most this many files (the newest).
CACHE_FILES_KEPT = 32


class Wav:
    """A PCM WAV file's samples and format.

    Attributes:
        channels: Interleaved channels.
        sample_width: Bytes per sample: 1 (unsigned), 2, 3 or 4 (signed, little-endian).
        rate: Frames per second.
        frames: The samples.
    """

    __slots__ = ("channels", "frames", "rate", "sample_width")

    def __init__(self, channels: int, sample_width: int, rate: int, frames: bytes) -> None:
        self.channels = channels
        self.sample_width = sample_width
        self.rate = rate
        self.frames = frames


class WavError(ValueError):
    """The file is not a PCM WAV file this player understands."""


_PCM = 1
_EXTENSIBLE = 0xFFFE


def _u16(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "little")


def _u32(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 4], "little")


def _open_wav(file: BinaryIO) -> tuple[int, int, int, int]:
    """Parse a WAV header up to its samples: (channels, width, rate, data bytes).

    A small reader of its own: the ``wave`` module's imports would add a few
    milliseconds to every chime's start.
    """
    head = file.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise WavError("not a RIFF/WAVE file")
    fmt: tuple[int, int, int] | None = None
    while True:
        chunk = file.read(8)
        if len(chunk) < 8:
            raise WavError("no data chunk")
        kind, size = chunk[:4], _u32(chunk, 4)
        if kind == b"fmt ":
            body = file.read(size + (size & 1))
            if len(body) < 16:
                raise WavError("short fmt chunk")
            tag, channels, rate, bits = _u16(body, 0), _u16(body, 2), _u32(body, 4), _u16(body, 14)
            if tag == _EXTENSIBLE and len(body) >= 26:
                tag = _u16(body, 24)  # the sub-format GUID starts with the real tag
            width = (bits + 7) // 8
            if tag != _PCM or channels < 1 or rate < 1 or width not in (1, 2, 3, 4):
                raise WavError(f"unsupported format (tag {tag}, {bits} bits, {channels} ch)")
            fmt = (channels, width, rate)
        elif kind == b"data":
            if fmt is None:
                raise WavError("data before fmt")
            return (*fmt, size)
        else:
            file.seek(size + (size & 1), os.SEEK_CUR)


def read_wav(path: str | os.PathLike[str]) -> Wav:
    """Read a PCM WAV file (1-4 bytes per sample, any channels and rate).

    Raises:
        OSError: The file cannot be read.
        WavError: The file is not a PCM WAV file.
    """
    with open(path, "rb") as file:
        channels, width, rate, size = _open_wav(file)
        frames = file.read(size)
    block = channels * width
    return Wav(channels, width, rate, frames[: len(frames) - len(frames) % block])


def wav_seconds(path: str | os.PathLike[str]) -> float:
    """A WAV file's length in seconds, from its header.

    Raises:
        OSError: The file cannot be read.
        WavError: The file is not a PCM WAV file.
    """
    with open(path, "rb") as file:
        channels, width, rate, size = _open_wav(file)
    return size / (channels * width * rate)


def _wav_bytes(wav: Wav) -> bytes:
    block = wav.channels * wav.sample_width
    size = len(wav.frames)
    return b"".join(
        [
            b"RIFF",
            (36 + size + (size & 1)).to_bytes(4, "little"),
            b"WAVEfmt ",
            (16).to_bytes(4, "little"),
            _PCM.to_bytes(2, "little"),
            wav.channels.to_bytes(2, "little"),
            wav.rate.to_bytes(4, "little"),
            (wav.rate * block).to_bytes(4, "little"),
            block.to_bytes(2, "little"),
            (wav.sample_width * 8).to_bytes(2, "little"),
            b"data",
            size.to_bytes(4, "little"),
            wav.frames,
            b"\0" * (size & 1),
        ]
    )


def scale(wav: Wav, volume: int) -> Wav:
    """``wav`` with every sample multiplied by ``volume`` percent (0-100), rounded."""
    volume = max(0, min(int(volume), 100))
    if volume == 100:
        return wav
    return Wav(
        wav.channels,
        wav.sample_width,
        wav.rate,
        scale_samples(wav.frames, wav.sample_width, volume),
    )


def scale_samples(frames: bytes, sample_width: int, volume: int) -> bytes:
    """Multiply little-endian PCM samples by ``volume`` percent (0-100).

    8-bit samples are unsigned around 128; wider ones are signed. Results stay within
    one step of ``sample * volume / 100``.

    Raises:
        ValueError: ``sample_width`` is not 1, 2, 3 or 4.
    """
    if sample_width == 1:
        # One lookup table covers every possible 8-bit sample.
        table = bytes(128 + _rounded_percent(s - 128, volume) for s in range(256))
        return frames.translate(table)
    if sample_width not in (2, 3, 4):
        raise ValueError(f"unsupported sample width: {sample_width} bytes")
    fast = _audioop_mul(frames, sample_width, volume)
    if fast is not None:
        return fast
    if sample_width == 3:
        out = bytearray(len(frames) - len(frames) % 3)
        for i in range(0, len(out), 3):
            sample = int.from_bytes(frames[i : i + 3], "little", signed=True)
            out[i : i + 3] = _rounded_percent(sample, volume).to_bytes(3, "little", signed=True)
        return bytes(out)
    from array import array

    samples = array("h" if sample_width == 2 else "i")
    samples.frombytes(frames[: len(frames) - len(frames) % sample_width])
    if sys.byteorder == "big":
        samples.byteswap()
    scaled = array(samples.typecode, [(s * volume + 50) // 100 for s in samples])
    if sys.byteorder == "big":
        scaled.byteswap()
    return scaled.tobytes()


def _rounded_percent(sample: int, volume: int) -> int:
    return (sample * volume + 50) // 100


def _audioop_mul(frames: bytes, sample_width: int, volume: int) -> bytes | None:
    """``audioop.mul`` where it still exists (Python 3.11, 3.12): 30 times faster."""
    if sys.version_info >= (3, 13):
        return None
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            import audioop
        except ImportError:
            return None
    if sys.byteorder == "big":  # audioop works in native byte order
        frames = audioop.byteswap(frames, sample_width)
        return audioop.byteswap(audioop.mul(frames, sample_width, volume / 100), sample_width)
    return audioop.mul(frames, sample_width, volume / 100)


def write_wav(path: str, wav: Wav) -> None:
    """Write ``wav`` to ``path`` atomically, private to the user (file 0600, folder 0700).

    Raises:
        OSError: The file or its folder cannot be written.
    """
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    if os.stat(folder).st_mode & 0o077:
        os.chmod(folder, 0o700)
    # Not tempfile.mkstemp: importing tempfile would delay the chime by milliseconds.
    temporary = os.path.join(folder, f".partial-{os.getpid()}-{time.time_ns()}.wav")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            _write(file, wav)
        os.replace(temporary, path)
    except BaseException:
        _unlink_quietly(temporary)
        raise
    _prune(folder)


def _unlink_quietly(path: str) -> bool:
    try:
        os.unlink(path)
    except OSError:
        return False
    return True


def _write(file: BinaryIO, wav: Wav) -> None:
    file.write(_wav_bytes(wav))


def _prune(folder: str) -> None:
    """Keep the newest :data:`CACHE_FILES_KEPT` cached chimes; remove the rest."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(".wav") and e.is_file()]
        entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
    except OSError:
        return
    for entry in entries[CACHE_FILES_KEPT:]:
        _unlink_quietly(entry.path)


def _unlinked_copy(wav: Wav) -> str:
    """A private temporary copy of ``wav``, already deleted, as ``/dev/fd/N``.

    The open descriptor keeps the data alive for the player and nothing is left behind
    whatever happens to it.
    """
    import tempfile

    fd, name = tempfile.mkstemp(prefix="emoflat-chime-", suffix=".wav")
    try:
        with os.fdopen(os.dup(fd), "wb") as file:
            _write(file, wav)
    finally:
        os.unlink(name)
    os.lseek(fd, 0, os.SEEK_SET)
    os.set_inheritable(fd, True)
    return f"/dev/fd/{fd}"


def _save_quietly(path: str, wav: Wav) -> bool:
    """Save a scaled copy for later chimes; a cache that cannot be written is no loss."""
    try:
        write_wav(path, wav)
    except OSError:
        return False
    return True


def _play_simpleaudio(source: str, volume: int, cache: str | None) -> int:
    try:
        wav = scale(read_wav(source), volume)
    except (OSError, ValueError):
        return EXIT_BAD_SOUND
    try:
        import simpleaudio
    except ImportError:
        return EXIT_NO_LIBRARY
    try:
        playing = simpleaudio.play_buffer(wav.frames, wav.channels, wav.sample_width, wav.rate)
    except Exception:  # the library raises its own error type for a missing device
        return EXIT_DEVICE_FAILED
    if cache:
        _save_quietly(cache, wav)
    try:
        playing.wait_done()
    except Exception:
        return EXIT_DEVICE_FAILED
    return EXIT_PLAYED


def _exec_player(source: str, volume: int, cache: str, player: list[str]) -> int:
    try:
        wav = scale(read_wav(source), volume)
    except (OSError, ValueError):
        return EXIT_BAD_SOUND
    try:
        write_wav(cache, wav)
        scaled = cache
    except OSError:
        if not os.path.isdir("/dev/fd"):
            return EXIT_BAD_SOUND
        try:
            scaled = _unlinked_copy(wav)
        except OSError:
            return EXIT_BAD_SOUND
    argv = [scaled if arg == "{}" else arg for arg in player]
    try:
        os.execv(argv[0], argv)
    except OSError:
        return EXIT_DEVICE_FAILED


def _prepare(volume: int, pairs: Sequence[str]) -> int:
    status = EXIT_PLAYED
    for source, cache in zip(pairs[::2], pairs[1::2], strict=True):
        try:
            write_wav(cache, scale(read_wav(source), volume))
        except (OSError, ValueError):
            status = EXIT_BAD_SOUND
    return status


if sys.platform == "win32":  # pragma: no cover - no Windows here

    def _play_winsound(source: str, volume: int, cache: str | None) -> int:
        import winsound

        path = source
        if volume != 100:
            if not cache:
                return EXIT_BAD_SOUND
            try:
                write_wav(cache, scale(read_wav(source), volume))
            except (OSError, ValueError):
                return EXIT_BAD_SOUND
            path = cache
        try:
            winsound.PlaySound(path, winsound.SND_FILENAME | winsound.SND_NODEFAULT)
        except RuntimeError:
            return EXIT_DEVICE_FAILED
        return EXIT_PLAYED

else:

    def _play_winsound(source: str, volume: int, cache: str | None) -> int:
        return EXIT_DEVICE_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    """Run one mode (see the module's docstring); return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        mode = args[0]
        if mode == "simpleaudio" and len(args) in (3, 4):
            return _play_simpleaudio(args[1], int(args[2]), args[3] if len(args) == 4 else None)
        if mode == "exec" and len(args) >= 6 and args[4] == "--":
            return _exec_player(args[1], int(args[2]), args[3], args[5:])
        if mode == "prepare" and len(args) >= 4 and len(args) % 2 == 0:
            return _prepare(int(args[1]), args[2:])
        if mode == "winsound" and len(args) in (3, 4):
            return _play_winsound(args[1], int(args[2]), args[3] if len(args) == 4 else None)
    except (IndexError, ValueError):
        pass
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
