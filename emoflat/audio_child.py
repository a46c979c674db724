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

Exit status: 0 played, 2 bad arguments, 3 the sound could not be read or written (or
holds more than :data:`MAX_SOUND_BYTES` of samples), 4 the audio device or library
failed, 5 simpleaudio could not be imported.

WAV files are read and written by the standard library's :mod:`wave`. Importing it costs
3-4.5 ms in this child (``python -S -X importtime -c "import wave"``; most of it is the
``collections`` it needs), about 1 ms where ``collections`` is loaded already, as it is
once ``simpleaudio`` is imported. Of the rows of ``bench/bench_chime.py`` only aplay with
an empty cache shows it (the first frame after about 24 ms before, 27 ms after). Every
mode reads a WAV, so ``wave`` is imported at the top: importing it lazily would save
nothing. What is still written by hand, and why:

- :func:`_checked_frames`: the checks ``wave`` leaves out. ``wave`` takes any sample
  width and a frame rate of 0, and reads as many bytes as a header claims in one go, so
  a header whose samples would not fit in :data:`MAX_SOUND_BYTES` is refused before any
  sample is read.
- :func:`scale_samples`: the volume. ``audioop`` (used where it exists) is gone in
  Python 3.13, and nothing else in the standard library multiplies samples.
- :func:`write_wav` and :func:`_prune`: the cache of scaled copies, private (folder 0700,
  files 0600), written atomically and kept to the newest :data:`CACHE_FILES_KEPT`.
  Not ``tempfile``, whose import would delay the chime.
"""

from __future__ import annotations

import os
import struct
import sys
import time
import wave

TYPE_CHECKING = False  # not typing's: importing typing costs milliseconds
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
#: A sound with more bytes of samples than this is refused: a chime is a few seconds
#: (bowl, the longest built-in one, is 0.4 MB), and this is about a minute and a half
#: of CD-quality stereo.
MAX_SOUND_BYTES = 16 * 1024 * 1024


class Wav:
    """A PCM WAV file's samples and format.

    Attributes:
        channels: Interleaved channels.
        sample_width: Bytes per sample: 1 (unsigned), 2, 3 or 4 (signed).
        rate: Frames per second.
        frames: The samples, in this machine's byte order (as :mod:`wave` gives them).
    """

    __slots__ = ("channels", "frames", "rate", "sample_width")

    def __init__(self, channels: int, sample_width: int, rate: int, frames: bytes) -> None:
        self.channels = channels
        self.sample_width = sample_width
        self.rate = rate
        self.frames = frames


class WavError(ValueError):
    """The file is not a PCM WAV file this player understands."""


# What ``wave`` raises for a file it cannot read: RuntimeError comes from its chunk
# reader when a chunk claims to reach past the end of the RIFF chunk.
_UNREADABLE = (wave.Error, EOFError, struct.error, RuntimeError)


def read_wav(path: str | os.PathLike[str]) -> Wav:
    """Read a PCM WAV file (1-4 bytes per sample, any channels and rate).

    Raises:
        OSError: The file cannot be read.
        WavError: The file is not a PCM WAV file, or is too big for a chime.
    """
    try:
        with open(path, "rb") as file, wave.open(file, "rb") as reader:
            frames = reader.readframes(_checked_frames(reader))
            channels, width = reader.getnchannels(), reader.getsampwidth()
            rate = reader.getframerate()
    except _UNREADABLE as exc:
        raise WavError(f"not a PCM WAV file: {exc or type(exc).__name__}") from exc
    block = channels * width  # a file cut short may end mid-frame
    return Wav(channels, width, rate, frames[: len(frames) - len(frames) % block])


def wav_seconds(path: str | os.PathLike[str]) -> float:
    """A WAV file's length in seconds, from its header.

    Raises:
        OSError: The file cannot be read.
        WavError: The file is not a PCM WAV file, or is too big for a chime.
    """
    try:
        with open(path, "rb") as file, wave.open(file, "rb") as reader:
            return _checked_frames(reader) / reader.getframerate()
    except _UNREADABLE as exc:
        raise WavError(f"not a PCM WAV file: {exc or type(exc).__name__}") from exc


def _checked_frames(reader: wave.Wave_read) -> int:
    """The header's frame count, once it shows a sound this player takes.

    Raises:
        WavError: An unsupported format, or more samples than :data:`MAX_SOUND_BYTES`.
    """
    channels, width, rate = reader.getnchannels(), reader.getsampwidth(), reader.getframerate()
    if width not in (1, 2, 3, 4) or rate < 1:
        raise WavError(f"unsupported format ({8 * width} bits, {rate} Hz)")
    count = reader.getnframes()
    if count * channels * width > MAX_SOUND_BYTES:
        raise WavError(f"{count * channels * width} bytes of samples: too long for a chime")
    return count


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
    """Multiply PCM samples in this machine's byte order by ``volume`` percent (0-100).

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
            sample = int.from_bytes(frames[i : i + 3], sys.byteorder, signed=True)
            scaled = _rounded_percent(sample, volume)
            out[i : i + 3] = scaled.to_bytes(3, sys.byteorder, signed=True)
        return bytes(out)
    from array import array

    samples = array("h" if sample_width == 2 else "i")
    samples.frombytes(frames[: len(frames) - len(frames) % sample_width])
    return array(samples.typecode, [(s * volume + 50) // 100 for s in samples]).tobytes()


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
    with wave.open(file, "wb") as out:
        out.setnchannels(wav.channels)
        out.setsampwidth(wav.sample_width)
        out.setframerate(wav.rate)
        out.writeframes(wav.frames)


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
