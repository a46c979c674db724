"""Chimes: real playback without a sound card, crashes kept in the child, the doctor.

ALSA's default device is routed to a file by an ``.asoundrc`` in a temporary ``HOME``
(``type file``, ``slave.pcm "null"``, ``format "raw"``), so the frames a backend plays
can be read back and compared with the WAV's samples. Under ``CI=true`` a missing
``simpleaudio``, ``aplay`` or ``tmux`` fails the test instead of skipping it (the
conftest turns every skip into a failure there).
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import stat
import struct
import subprocess
import sys
import time
import uuid
import wave
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest

from emoflat.audio import ChimePlayer, run_chime
from emoflat.audio_backends import chain_for, detect
from emoflat.config import Config
from emoflat.doctor import run_doctor
from emoflat.engine import Session
from emoflat.model import Chimes, Practice, Step
from emoflat.sounds import sound_path

ALSA_BACKENDS = ("simpleaudio", "aplay")
#: The fake players stand in for aplay, which emoflat uses only on Linux.
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="aplay is a Linux backend")
EMOFLAT = Path(sys.executable).parent / "emoflat"
DEADLINE = 20.0


# Fixtures and helpers ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's real settings, log and cache out of every test."""
    monkeypatch.setenv("EMOFLAT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EMOFLAT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("EMOFLAT_CACHE_DIR", str(tmp_path / "cache"))


def require(tool: str) -> None:
    """Skip without ``tool``, saying how to get it (under CI the skip is a failure)."""
    if tool == "simpleaudio":
        present = importlib.util.find_spec("simpleaudio") is not None
        how = "install the audio extra: pip install -e '.[audio]' (needs libasound2-dev, gcc)"
    else:
        present = shutil.which(tool) is not None
        package = {"aplay": "alsa-utils", "tmux": "tmux"}.get(tool, tool)
        how = f"install it: apt-get install {package}"
    if not present:
        pytest.skip(f"{tool} is not available here ({how})")


class AlsaCapture:
    """A ``HOME`` whose ``.asoundrc`` sends ALSA's default device to a file."""

    def __init__(self, home: Path, *, numbered: bool = False) -> None:
        self.home = home
        self.file = home / "captured.raw"
        truncate = " truncate false" if numbered else ""
        home.mkdir(parents=True, exist_ok=True)
        (home / ".asoundrc").write_text(
            f'pcm.!default {{ type file slave.pcm "null" file "{self.file}"'
            f' format "raw"{truncate} }}\n'
        )

    def samples(self, path: Path | None = None) -> array[int]:
        """The 16-bit samples captured in ``path`` (default: the capture file)."""
        data = array("h")
        data.frombytes((path or self.file).read_bytes())
        if sys.byteorder == "big":
            data.byteswap()
        return data

    def numbered_files(self) -> list[Path]:
        """With ``truncate false``, one file per playback, in the order they opened."""
        later = sorted(self.home.glob(f"{self.file.name}.*"))
        return ([self.file] if self.file.exists() else []) + later


@pytest.fixture
def alsa(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AlsaCapture:
    """ALSA's default device captured to a file; the players inherit this ``HOME``."""
    capture = AlsaCapture(tmp_path / "home")
    monkeypatch.setenv("HOME", str(capture.home))
    return capture


def wav_samples(name: str) -> array[int]:
    """The 16-bit samples of built-in sound ``name``."""
    path = sound_path(name)
    assert path is not None
    with wave.open(str(path), "rb") as wav:
        assert (wav.getsampwidth(), wav.getnchannels()) == (2, 1)
        data = array("h")
        data.frombytes(wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        data.byteswap()
    return data


def scaled(samples: array[int], volume: int) -> list[float]:
    return [s * volume / 100 for s in samples]


def assert_played(captured: array[int], name: str, volume: int) -> None:
    """``captured`` is sound ``name`` at ``volume``% (±1 for rounding), then only zeros."""
    expected = scaled(wav_samples(name), volume)
    assert len(captured) >= len(expected), f"{len(captured)} of {len(expected)} frames arrived"
    worst = max(abs(c - e) for c, e in zip(captured, expected, strict=False))
    assert worst <= 1, f"a sample is {worst} away from {name} at {volume}%"
    assert not any(captured[len(expected) :]), "only zeros (aplay's padding) may follow"


def which_sound(captured: array[int], volume: int, names: tuple[str, ...]) -> str:
    """The one sound of ``names`` that ``captured`` holds."""
    for name in names:
        expected = scaled(wav_samples(name), volume)
        if len(captured) >= len(expected) and all(
            abs(c - e) <= 1 for c, e in zip(captured, expected, strict=False)
        ):
            return name
    raise AssertionError(f"the captured frames match none of {names}")


def fake_player(folder: Path, name: str, script: str) -> Path:
    """An executable ``name`` in ``folder`` running the shell ``script``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def fake_bin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder put first on PATH for fake players."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return folder


class Bell:
    """A UI bell that counts its rings."""

    def __init__(self) -> None:
        self.rings = 0

    def __call__(self) -> None:
        self.rings += 1


@pytest.fixture
def player_factory() -> Iterator[list[ChimePlayer]]:
    players: list[ChimePlayer] = []
    yield players
    for player in players:
        player.close()


# Backends and the chain ----------------------------------------------------------------


def test_auto_tries_the_library_then_system_players_then_the_bell_then_silence() -> None:
    assert chain_for("auto") == (
        "simpleaudio",
        "pw-play",
        "paplay",
        "aplay",
        "afplay",
        "winsound",
        "bell",
        "none",
    )
    assert [b.name for b in detect()] == list(chain_for("auto"))


def test_a_forced_backend_falls_back_only_to_the_bell_and_silence() -> None:
    assert chain_for("aplay") == ("aplay", "bell", "none")
    assert chain_for("bell") == ("bell", "none")
    assert chain_for("none") == ("none",)


def test_the_bell_is_the_uis_when_it_supplies_one() -> None:
    bell = {b.name: b for b in detect(bell=True)}["bell"]
    assert bell.available
    assert "app" in bell.reason


def test_a_missing_player_is_unavailable_and_says_why() -> None:
    found = {b.name: b for b in detect(env={"PATH": "/nonexistent"})}
    assert not found["aplay"].available
    assert found["aplay"].reason in ("not found on PATH", "only on Linux")


def test_the_parent_process_never_imports_simpleaudio(alsa: AlsaCapture) -> None:
    require("simpleaudio")
    code = (
        "import sys\n"
        "from emoflat.audio import ChimePlayer\n"
        "from emoflat.config import Config\n"
        "player = ChimePlayer(Config(audio_backend='simpleaudio', volume=50))\n"
        "result = player.play('wood', wait=True)\n"
        "assert result.backend == 'simpleaudio' and result.status == 'played', result\n"
        "import emoflat.doctor, io\n"
        "emoflat.doctor.run_doctor(out=io.StringIO())\n"
        "roots = {m.split('.')[0] for m in sys.modules}\n"
        "leaked = roots & {'simpleaudio', 'textual', 'rich'}\n"
        "assert not leaked, leaked\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=DEADLINE)
    assert_played(alsa.samples(), "wood", 50)


def write_pcm(path: Path, frames: bytes, *, width: int = 2, channels: int = 1) -> Path:
    """A PCM WAV file written by the standard library (``frames`` in native byte order)."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(8000)
        out.writeframes(frames)
    return path


def wav_header(*, tag: int = 1, bits: int = 16, rate: int = 8000, data: int = 4) -> bytes:
    """A mono WAV header whose fmt and data chunks say what they are told to."""
    width = (bits + 7) // 8
    fmt = struct.pack("<HHIIHH", tag, 1, rate, rate * width, width, bits)
    return b"".join(
        [
            struct.pack("<4sI4s", b"RIFF", min(36 + data, 0xFFFF_FFFF), b"WAVE"),
            struct.pack("<4sI", b"fmt ", len(fmt)) + fmt,
            struct.pack("<4sI", b"data", data),
        ]
    )


@pytest.mark.parametrize("width", [1, 2, 3, 4])
@pytest.mark.parametrize("way", ["audioop where present", "pure Python (Python 3.13+)"])
def test_the_child_reads_and_scales_every_pcm_sample_width(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, width: int, way: str
) -> None:
    from emoflat import audio_child
    from emoflat.audio_child import read_wav, scale, wav_seconds, write_wav

    if way.startswith("pure"):
        monkeypatch.setattr(audio_child, "_audioop_mul", lambda *args: None)

    lo, hi = (0, 255) if width == 1 else (-(2 ** (8 * width - 1)), 2 ** (8 * width - 1) - 1)
    values = [lo, hi, (lo + hi) // 2, lo + 1, hi - 7, (lo + hi) // 2 + 3]
    signed = width > 1
    frames = b"".join(v.to_bytes(width, sys.byteorder, signed=signed) for v in values)
    path = write_pcm(tmp_path / "any.wav", frames, width=width, channels=2)
    read = read_wav(path)
    assert (read.channels, read.sample_width, read.rate, read.frames) == (2, width, 8000, frames)
    assert wav_seconds(path) == pytest.approx(3 / 8000)

    half = scale(read, 50)
    got = [
        int.from_bytes(half.frames[i : i + width], sys.byteorder, signed=signed)
        for i in range(0, len(frames), width)
    ]
    centre = 128 if width == 1 else 0
    want = [centre + (v - centre) / 2 for v in values]
    assert all(abs(g - w) <= 1 for g, w in zip(got, want, strict=True)), (got, want)

    copy = tmp_path / "copy" / "again.wav"
    write_wav(str(copy), half)
    with wave.open(str(copy), "rb") as back:
        assert back.readframes(back.getnframes()) == half.frames


def test_a_file_cut_mid_frame_loses_only_the_partial_frame(tmp_path: Path) -> None:
    from emoflat.audio_child import read_wav

    path = write_pcm(tmp_path / "stereo.wav", bytes(range(16)), channels=2)
    path.write_bytes(path.read_bytes()[:-3])
    assert read_wav(path).frames == bytes(range(12))


NOT_PLAYABLE = {
    "an mp3": b"ID3 this is an mp3, really",
    "an empty file": b"",
    "a header cut short": wav_header()[:30],
    "IEEE float samples": wav_header(tag=3, bits=32) + bytes(4),
    "64-bit samples": wav_header(bits=64) + bytes(8),
    "a rate of 0 Hz": wav_header(rate=0) + bytes(4),
    # wave's chunk reader raises RuntimeError for a chunk reaching past the RIFF chunk
    "a chunk longer than the file": wav_header()[:12] + struct.pack("<4sI", b"LIST", 999),
}


@pytest.mark.parametrize("content", NOT_PLAYABLE.values(), ids=NOT_PLAYABLE.keys())
def test_the_child_refuses_what_is_not_a_pcm_wav(tmp_path: Path, content: bytes) -> None:
    from emoflat.audio import _seconds
    from emoflat.audio_child import WavError, read_wav

    path = tmp_path / "not.wav"
    path.write_bytes(content)
    with pytest.raises(WavError):
        read_wav(path)
    assert _seconds(path) is None


def test_an_extensible_pcm_wav_is_read_where_wave_reads_it(tmp_path: Path) -> None:
    """``wave`` reads WAVE_FORMAT_EXTENSIBLE from Python 3.12; 3.11 refuses it cleanly."""
    from emoflat.audio import _seconds
    from emoflat.audio_child import WavError, read_wav

    pcm = b"\x01\x00\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
    fmt = struct.pack("<HHIIHHHHI16s", 0xFFFE, 2, 8000, 32000, 4, 16, 22, 16, 0b11, pcm)
    frames = bytes(range(8))
    path = tmp_path / "extensible.wav"
    path.write_bytes(
        struct.pack("<4sI4s", b"RIFF", 4 + 8 + len(fmt) + 8 + len(frames), b"WAVE")
        + struct.pack("<4sI", b"fmt ", len(fmt))
        + fmt
        + struct.pack("<4sI", b"data", len(frames))
        + frames
    )
    if sys.version_info >= (3, 12):
        read = read_wav(path)
        assert (read.channels, read.sample_width, read.rate) == (2, 2, 8000)
        assert _seconds(path) == pytest.approx(2 / 8000)
    else:
        with pytest.raises(WavError):
            read_wav(path)
        assert _seconds(path) is None


def _limit_memory_to_1_gib() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))


@pytest.mark.parametrize("mode", ["exec", "simpleaudio", "prepare"])
def test_a_header_claiming_4_gb_is_refused_before_any_sample_is_read(
    tmp_path: Path, mode: str
) -> None:
    from emoflat.audio import _child, _seconds
    from emoflat.audio_child import EXIT_BAD_SOUND

    huge = tmp_path / "huge.wav"
    huge.write_bytes(wav_header(data=0xFFFF_FFD0) + bytes(64))
    cache = tmp_path / "cache" / "chimes" / "huge-v50.wav"
    if mode == "prepare":
        args = ["50", str(huge), str(cache)]
    else:
        args = [str(huge), "50", str(cache)] + (["--", "/bin/true"] if mode == "exec" else [])
    started = time.monotonic()
    child = subprocess.run(
        [*_child(mode), *args],
        capture_output=True,
        timeout=DEADLINE,
        # Reading what the header claims would need 4 GB; the child may have 1.
        preexec_fn=_limit_memory_to_1_gib if sys.platform != "win32" else None,
    )
    assert child.returncode == EXIT_BAD_SOUND, child.stderr
    assert time.monotonic() - started < 2.0
    assert not cache.parent.exists() or not any(cache.parent.iterdir())
    assert _seconds(huge) is None


@pytest.mark.parametrize("volume", [50, 100], ids=["scaled by a child", "played as it is"])
def test_a_sound_too_long_for_a_chime_is_passed_over_and_the_chime_plays_instead(
    alsa: AlsaCapture, tmp_path: Path, volume: int
) -> None:
    require("aplay")
    sounds = tmp_path / "config" / "sounds"
    sounds.mkdir(parents=True)
    (sounds / "huge.wav").write_bytes(wav_header(data=0xFFFF_FFD0) + bytes(64))
    bell = Bell()
    player = ChimePlayer(Config(audio_backend="aplay", volume=volume), bell=bell)
    result = player.play("huge", wait=True)
    assert (result.status, result.sound, result.backend) == ("played", "bowl", "aplay")
    assert result.failures == ()
    assert result.detail == (
        "huge.wav says it holds 4.0 GiB of samples; a chime holds at most 16.0 MiB; played bowl"
    )
    assert bell.rings == 0
    assert_played(alsa.samples(), "bowl", volume)
    assert not list((tmp_path / "cache").rglob("huge-*"))


def test_no_player_and_no_cache_ever_gets_a_sound_file_too_large_for_a_chime(
    tmp_path: Path, fake_bin: Path
) -> None:
    """Not even a player that plays the file as it is (aplay at 100%, pw-play, paplay):
    the file is looked at first. It is sparse: 20 MiB that take no room on the disk."""
    played = tmp_path / "played.txt"
    fake_player(fake_bin, "aplay", f'echo "$@" >> {shlex.quote(str(played))}')
    sounds = tmp_path / "config" / "sounds"
    sounds.mkdir(parents=True)
    long = sounds / "long.wav"
    with open(long, "wb") as file:
        file.write(wav_header(data=20 * 1024 * 1024))
        file.truncate(44 + 20 * 1024 * 1024)
    os.mkfifo(sounds / "fifo.wav")
    for volume in (100, 50):
        player = ChimePlayer(Config(audio_backend="aplay", volume=volume, chime="long"))
        player.prepare(["long", "fifo"])
        for name in ("long", "fifo"):
            result = player.play(name, wait=True)
            assert (result.status, result.sound) == ("played", "bowl"), result
            assert result.detail.endswith("; played bowl")
        assert player.wait(timeout=DEADLINE)
        player.close()
    assert "long.wav" not in played.read_text() and "fifo.wav" not in played.read_text()
    assert not [p for p in (tmp_path / "cache").rglob("*.wav") if not p.name.startswith("bowl-")]


# Real playback -------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ALSA_BACKENDS)
@pytest.mark.parametrize("volume", [50, 100])
def test_each_alsa_backend_plays_the_chime_scaled_by_the_volume(
    alsa: AlsaCapture, backend: str, volume: int
) -> None:
    require(backend)
    player = ChimePlayer(Config(audio_backend=backend, volume=volume))
    for attempt in ("first (scales)", "second (scaled copy cached)"):
        result = player.play("wood", wait=True)
        assert (result.status, result.backend) == ("played", backend), attempt
        assert_played(alsa.samples(), "wood", volume)
        alsa.file.unlink()
    player.close()


@pytest.mark.parametrize("backend", ALSA_BACKENDS)
def test_play_returns_at_once_and_the_chime_arrives(alsa: AlsaCapture, backend: str) -> None:
    require(backend)
    player = ChimePlayer(Config(audio_backend=backend, volume=70))
    started = time.monotonic()
    result = player.play(None)
    assert time.monotonic() - started < 0.5
    assert (result.status, result.backend, result.sound) == ("started", backend, "bowl")
    assert player.wait(timeout=DEADLINE)
    assert_played(alsa.samples(), "bowl", 70)
    assert player.ringing == 0
    assert player.failures == {}


def test_the_scaled_copies_are_private(alsa: AlsaCapture, tmp_path: Path) -> None:
    require("aplay")
    player = ChimePlayer(Config(audio_backend="aplay", volume=40))
    assert player.play("bell", wait=True).status == "played"
    folder = tmp_path / "cache" / "chimes"
    copies = list(folder.glob("*.wav"))
    assert len(copies) == 1
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(copies[0].stat().st_mode) == 0o600


def test_no_sound_plays_nothing(alsa: AlsaCapture) -> None:
    require("aplay")
    config = Config(audio_backend="aplay")
    for player in (ChimePlayer(config, enabled=False), ChimePlayer(Config(sound=False))):
        result = player.play("bowl", wait=True)
        assert (result.status, result.detail) == ("off", "sound is off")
        assert not player.enabled
    assert not alsa.file.exists()


def test_mute_plays_nothing_until_unmuted(alsa: AlsaCapture) -> None:
    require("aplay")
    player = ChimePlayer(Config(audio_backend="aplay", volume=50))
    player.set_muted(True)
    assert player.muted
    assert player.play("wood", wait=True).detail == "muted"
    assert player.play("wood").detail == "muted"
    player.wait(timeout=DEADLINE)
    assert not alsa.file.exists()
    player.set_muted(False)
    assert player.play("wood", wait=True).status == "played"
    assert_played(alsa.samples(), "wood", 50)


@pytest.mark.parametrize("backend", ALSA_BACKENDS)
def test_a_sessions_chimes_arrive_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    require(backend)
    alsa = AlsaCapture(tmp_path / "numbered-home", numbered=True)
    monkeypatch.setenv("HOME", str(alsa.home))
    practice = Practice(
        id="three-chimes",
        title="Three chimes",
        summary="A start chime, a step chime and an end chime.",
        steps=(
            Step("say", ("Settle in.",), seconds=2),
            Step("say", ("Notice the breath.",), seconds=2, chime="bell"),
        ),
        chimes=Chimes(start="bowl", end="wood"),
    )
    clock = [100.0]
    session = Session(practice, now=lambda: clock[0])
    player = ChimePlayer(Config(audio_backend=backend, volume=60))
    rung = []
    session.start()
    for _ in range(12):  # each step is shown at least its reading time: 4 s and 5 s
        for chime in session.pop_chimes():
            rung.append((chime.reason, player.play(chime.sound, wait=True).status))
        clock[0] += 1.0
    assert rung == [("start", "played"), ("step", "played"), ("end", "played")]
    files = alsa.numbered_files()
    assert len(files) == 3
    names = ("bowl", "bell", "wood")
    assert [which_sound(alsa.samples(f), 60, names) for f in files] == ["bowl", "bell", "wood"]


def test_an_unknown_sound_falls_back_to_the_configured_chime(alsa: AlsaCapture) -> None:
    require("aplay")
    player = ChimePlayer(Config(audio_backend="aplay", chime="wood", volume=100))
    result = player.play("no-such-sound", wait=True)
    assert (result.status, result.sound) == ("played", "wood")
    assert "no-such-sound" in result.detail
    assert_played(alsa.samples(), "wood", 100)


# Failures stay in the child ------------------------------------------------------------


@linux_only
@pytest.mark.parametrize("volume", [100, 50])
def test_a_player_that_crashes_is_noted_and_the_next_chime_falls_back(
    fake_bin: Path, capfd: pytest.CaptureFixture[str], volume: int
) -> None:
    fake_player(fake_bin, "aplay", "echo 'ALSA lib pcm.c: chatter' >&2; kill -SEGV $$")
    bell = Bell()
    player = ChimePlayer(Config(audio_backend="aplay", volume=volume), bell=bell)
    assert player.backend_name == "aplay"

    result = player.play("wood")
    assert (result.status, result.backend) == ("started", "aplay")
    assert player.wait(timeout=DEADLINE)
    assert player.failures == {"aplay": "killed by SIGSEGV"}
    assert bell.rings == 0, "a crash may come mid-sound: that chime is not rung twice"

    assert player.backend_name == "bell"
    assert player.play("wood").backend == "bell"
    assert bell.rings == 1
    player.close()
    assert capfd.readouterr() == ("", "")


def test_a_native_crash_in_simpleaudio_stays_in_the_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    require("simpleaudio")
    crashing = tmp_path / "crashing"
    crashing.mkdir()
    (crashing / "simpleaudio.py").write_text(
        "import os, signal\n"
        "os.write(2, b'ALSA lib confmisc.c:855:(parse_card) cannot find card 0\\n')\n"
        "os.kill(os.getpid(), signal.SIGSEGV)\n"
    )
    # The child finds this module first; the parent still sees the real one installed.
    monkeypatch.setenv("PYTHONPATH", str(crashing))
    bell = Bell()
    player = ChimePlayer(Config(audio_backend="simpleaudio"), bell=bell)
    result = player.play("bowl", wait=True)
    assert (result.status, result.backend) == ("played", "bell")
    assert result.failures == ("simpleaudio: killed by SIGSEGV",)
    assert bell.rings == 1
    assert capfd.readouterr() == ("", "")


@linux_only
def test_a_chime_whose_player_exits_with_an_error_rings_at_once_on_the_next(
    fake_bin: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    fake_player(fake_bin, "aplay", "echo 'aplay: main:831: audio open error' >&2; exit 1")
    bell = Bell()
    player = ChimePlayer(Config(audio_backend="aplay", volume=100), bell=bell)
    player.play("wood")
    assert player.wait(timeout=DEADLINE)
    assert player.failures == {"aplay": "exit 1"}
    assert bell.rings == 1, "an error exit means nothing was heard: the bell rings instead"
    assert capfd.readouterr() == ("", "")


def test_a_failing_bell_callback_never_raises() -> None:
    def broken_bell() -> None:
        raise RuntimeError("the app is gone")

    player = ChimePlayer(Config(audio_backend="bell"), bell=broken_bell)
    result = player.play("bowl")
    assert result.status == "failed"
    assert result.failures == ("bell: raised RuntimeError",)
    assert player.backend_name == "none"


@linux_only
def test_play_returns_while_the_chime_rings_and_close_stops_it(fake_bin: Path) -> None:
    fake_player(fake_bin, "aplay", "exec sleep 30")
    player = ChimePlayer(Config(audio_backend="aplay", volume=100))
    started = time.monotonic()
    assert player.play("bowl").status == "started"
    assert time.monotonic() - started < 0.5
    assert player.ringing == 1
    process = player._ringing[0].process
    player.close()
    assert process.returncode is not None, "close() reaps what it stops"
    assert player.play("bowl").detail == "the player is closed"


@linux_only
def test_muting_silences_a_chime_that_is_still_ringing(fake_bin: Path) -> None:
    fake_player(fake_bin, "aplay", "exec sleep 30")
    player = ChimePlayer(Config(audio_backend="aplay", volume=100))
    player.play("bowl")
    process = player._ringing[0].process
    player.set_muted(True)
    assert process.returncode is not None
    assert player.ringing == 0
    assert player.failures == {}, "a chime stopped on purpose is not a failed backend"


@linux_only
def test_a_ctrl_c_in_the_terminal_does_not_reach_the_player(fake_bin: Path) -> None:
    fake_player(fake_bin, "aplay", "exec sleep 30")
    player = ChimePlayer(Config(audio_backend="aplay", volume=100))
    player.play("bowl")
    process = player._ringing[0].process
    assert os.getsid(process.pid) == process.pid != os.getsid(0)
    player.close()


# emoflat chime -------------------------------------------------------------------------


def test_emoflat_chime_says_which_backend_played_it(
    alsa: AlsaCapture, capsys: pytest.CaptureFixture[str]
) -> None:
    require("aplay")
    assert run_chime("wood", config=Config(audio_backend="aplay", volume=70)) == 0
    assert capsys.readouterr().out == "wood: played with aplay (volume 70%)\n"
    assert_played(alsa.samples(), "wood", 70)


def test_emoflat_chime_without_a_name_plays_the_configured_chime(
    alsa: AlsaCapture, capsys: pytest.CaptureFixture[str]
) -> None:
    require("aplay")
    assert run_chime(None, config=Config(audio_backend="aplay", chime="bell", sound=False)) == 0
    assert capsys.readouterr().out.startswith("bell: played with aplay")


def test_emoflat_chime_with_an_unknown_name_exits_2_listing_the_sounds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_chime("gong", config=Config()) == 2
    err = capsys.readouterr().err
    assert "gong" in err
    assert "bell, bowl, tone, wood" in err


@linux_only
def test_emoflat_chime_says_plainly_when_nothing_could_play_it(
    fake_bin: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_player(fake_bin, "aplay", "exit 1")
    assert run_chime("wood", config=Config(audio_backend="aplay")) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "wood: not played: no audio backend worked",
        "  tried aplay: exit 1",
    ]


@pytest.mark.slow
def test_emoflat_chime_shows_no_alsa_text_in_a_terminal_without_a_sound_card(
    tmp_path: Path,
) -> None:
    require("tmux")
    home = tmp_path / "empty-home"  # no .asoundrc: ALSA looks for a card and complains
    home.mkdir()
    command = f"{shlex.quote(str(EMOFLAT))} chime"
    socket = f"emoflat-audio-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    env = {**os.environ, "HOME": str(home), "TERM": "xterm-256color"}
    shell = f'cd {shlex.quote(str(tmp_path))}; {command}; echo "exit=$?"; sleep 30'
    subprocess.run([*tmux, "new-session", "-d", "-x", "80", "-y", "24", shell], env=env, check=True)
    try:
        screen = ""
        deadline = time.monotonic() + DEADLINE
        while "exit=" not in screen and time.monotonic() < deadline:
            time.sleep(0.1)
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p"], capture_output=True, text=True, env=env
            ).stdout
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, env=env)
    assert "exit=0" in screen, screen
    assert "bowl:" in screen, screen
    assert "ALSA" not in screen, screen


# emoflat doctor ------------------------------------------------------------------------


def test_doctor_shows_the_backend_chain_and_which_one_would_be_used(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_doctor() == 0
    out = capsys.readouterr().out
    for name in chain_for("auto"):
        assert f"  {name} " in out
    assert "would use: " in out
    assert "Session log\n  0 sessions" in out
    assert "emoflat " in out and "Python " in out and "TERM" in out


def test_doctor_names_the_broken_practice_and_the_bad_log_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    practices = tmp_path / "config" / "practices"
    practices.mkdir(parents=True)
    (practices / "broken.yaml").write_text("format: 1\nid: broken\nsteps: nope\n")
    sessions = tmp_path / "data" / "sessions"
    sessions.mkdir(parents=True)
    (sessions / "host.jsonl").write_text("this is not json\n")
    assert run_doctor() == 1
    out = capsys.readouterr().out
    assert "broken.yaml:" in out
    assert "host.jsonl" in out
    assert "1 warning" in out


def test_doctor_reports_an_invalid_settings_file_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text("volume = 300\n")
    assert run_doctor() == 1
    out = capsys.readouterr().out
    assert "volume" in out and "invalid" in out
    assert "would use: " in out
