"""emoflat's own chimes: reproducible, well-formed, click-free and loudness-normalised.

Uses the real committed WAV files and the real generator script (imported by path, since
tools/ is not a package), and checks the script's loudness meter against BS.1770 itself.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
import struct
import sys
import wave
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "make_sounds.py"
SOUNDS = ROOT / "sounds"
RATE = 44100
TARGET_LUFS = -20.0
# Expected durations in seconds (inclusive ranges) for the sounds the issue describes.
DURATIONS = {"bowl": (4.0, 5.0), "bell": (2.5, 3.5), "wood": (0.4, 0.7), "tone": (1.2, 1.8)}


@pytest.fixture(scope="module")
def make_sounds() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sounds", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_sounds"] = module
    spec.loader.exec_module(module)
    return module


def committed_wavs() -> list[Path]:
    return sorted(SOUNDS.glob("*.wav"))


def read_wav(path: Path) -> tuple[tuple[int, int, int, str], list[int]]:
    """(channels, sample width, rate, compression) and the samples, read as 16-bit."""
    with wave.open(str(path), "rb") as wav:
        params = wav.getparams()
        frames = wav.readframes(params.nframes)
    count = len(frames) // 2
    format_ = (params.nchannels, params.sampwidth, params.framerate, params.comptype)
    return format_, list(struct.unpack(f"<{count}h", frames[: 2 * count]))


def as_float(ints: list[int]) -> list[float]:
    return [s / 32768.0 for s in ints]


def sine(freq: float, amplitude: float, seconds: float, phase: float = 0.0) -> list[float]:
    return [
        amplitude * math.sin(2.0 * math.pi * freq * i / RATE + phase)
        for i in range(round(seconds * RATE))
    ]


# --------------------------------------------------------------------------- the files


def test_the_sounds_the_issue_names_are_committed() -> None:
    names = {path.stem for path in committed_wavs()}
    assert {"bowl", "bell"} <= names
    assert names <= set(DURATIONS), f"unexpected sounds: {names - set(DURATIONS)}"


def test_rerunning_the_script_reproduces_the_committed_files_byte_for_byte(
    make_sounds: ModuleType, tmp_path: Path
) -> None:
    make_sounds.main(tmp_path)
    made = sorted(path.name for path in tmp_path.glob("*.wav"))
    assert made == [path.name for path in committed_wavs()]
    for name in made:
        assert (tmp_path / name).read_bytes() == (SOUNDS / name).read_bytes(), name


@pytest.mark.parametrize("path", committed_wavs(), ids=lambda path: path.stem)
def test_each_sound_is_a_16_bit_mono_44100_hz_wav_of_the_right_length(path: Path) -> None:
    format_, samples = read_wav(path)
    assert format_ == (1, 2, RATE, "NONE")
    low, high = DURATIONS[path.stem]
    assert low <= len(samples) / RATE <= high


@pytest.mark.parametrize("path", committed_wavs(), ids=lambda path: path.stem)
def test_each_sound_starts_and_ends_without_a_click(path: Path) -> None:
    _, samples = read_wav(path)
    peak = max(abs(s) for s in samples)
    assert abs(samples[0]) <= 8 and abs(samples[-1]) <= 8
    # A fade-in, not a jump: the first sample-to-sample steps are tiny next to the peak.
    assert max(abs(b - a) for a, b in itertools.pairwise(samples[:21])) < 0.02 * peak
    # Faded to silence: the last 10 ms are at least 40 dB below the peak.
    assert max(abs(s) for s in samples[-441:]) < 0.01 * peak


@pytest.mark.parametrize("path", committed_wavs(), ids=lambda path: path.stem)
def test_each_sound_is_at_the_target_loudness_with_true_peak_headroom(
    make_sounds: ModuleType, path: Path
) -> None:
    samples = as_float(read_wav(path)[1])
    loudness = make_sounds.integrated_loudness(samples, RATE)
    assert abs(loudness - TARGET_LUFS) <= 0.5, f"{path.stem}: {loudness:.2f} LUFS"
    peak = make_sounds.true_peak_dbtp(samples, RATE)
    assert peak < -1.0, f"{path.stem}: {peak:.2f} dBTP"


def test_all_sounds_are_within_one_lu_of_each_other(make_sounds: ModuleType) -> None:
    levels = {
        path.stem: make_sounds.integrated_loudness(as_float(read_wav(path)[1]), RATE)
        for path in committed_wavs()
    }
    assert max(levels.values()) - min(levels.values()) <= 1.0, levels


# --------------------------------------------------------------------------- the meters


def test_k_weighting_matches_the_published_48_khz_coefficients(make_sounds: ModuleType) -> None:
    shelf, highpass = make_sounds.k_weighting_coefficients(48000)
    published_shelf = (
        1.53512485958697,
        -2.69169618940638,
        1.19839281085285,
        -1.69065929318241,
        0.73248077421585,
    )
    published_highpass = (1.0, -2.0, 1.0, -1.99004745483398, 0.99007225036621)
    assert shelf == pytest.approx(published_shelf, abs=1e-10)
    assert highpass == pytest.approx(published_highpass, abs=1e-10)


def test_a_full_scale_997_hz_sine_measures_minus_3_01_lufs(make_sounds: ModuleType) -> None:
    loudness = make_sounds.integrated_loudness(sine(997.0, 1.0, 3.0), RATE)
    assert loudness == pytest.approx(-3.01, abs=0.1)


def test_halving_the_amplitude_lowers_the_loudness_by_6_02_db(make_sounds: ModuleType) -> None:
    full = make_sounds.integrated_loudness(sine(1000.0, 0.8, 3.0), RATE)
    half = make_sounds.integrated_loudness(sine(1000.0, 0.4, 3.0), RATE)
    assert full - half == pytest.approx(20.0 * math.log10(2.0), abs=0.01)


def test_the_gates_leave_out_quiet_stretches_around_a_sound(make_sounds: ModuleType) -> None:
    # 2 s of a 1 kHz tone at -9.02 LUFS between 2 s stretches of the same tone 54 dB down
    # (-63 LUFS: above the absolute gate, below the relative one). Of the 400 ms blocks, 17 lie
    # wholly in the loud part and 3 on each side straddle its edges (with 1/4, 2/4, 3/4 of
    # their length in it); the quiet-only blocks must be gated out.
    carrier = sine(1000.0, 1.0, 6.0)
    loud = range(2 * RATE, 4 * RATE)
    signal = [x * (0.5 if i in loud else 0.001) for i, x in enumerate(carrier)]
    alone = make_sounds.integrated_loudness(sine(1000.0, 0.5, 2.0), RATE)
    expected = alone + 10.0 * math.log10((17 + 2 * (0.25 + 0.5 + 0.75)) / 23)
    assert make_sounds.integrated_loudness(signal, RATE) == pytest.approx(expected, abs=0.01)
    # Only the quiet tone: it passes the absolute gate and is measured as it is.
    quiet = make_sounds.integrated_loudness(sine(1000.0, 0.001, 2.0), RATE)
    assert quiet == pytest.approx(alone - 20.0 * math.log10(500.0), abs=0.01)
    # Below the absolute gate (-70 LUFS), or silent: nothing to measure.
    assert make_sounds.integrated_loudness(sine(1000.0, 0.0001, 2.0), RATE) == -math.inf
    assert make_sounds.integrated_loudness([0.0] * (2 * RATE), RATE) == -math.inf


def test_true_peak_finds_the_peak_between_samples(make_sounds: ModuleType) -> None:
    # A sine at a quarter of the sample rate, 45 degrees out of phase with the samples: every
    # sample is at ±0.707 (-3.01 dBFS), yet the waveform reaches 1.0 (0 dBTP) between them.
    samples = sine(RATE / 4, 1.0, 0.5, phase=math.pi / 4)
    fade = 2000  # fade in and out so the edges do not ring
    samples = [x * min(1.0, i / fade, (len(samples) - 1 - i) / fade) for i, x in enumerate(samples)]
    assert 20.0 * math.log10(max(abs(x) for x in samples)) == pytest.approx(-3.01, abs=0.01)
    assert make_sounds.true_peak_dbtp(samples, RATE) == pytest.approx(0.0, abs=0.05)
    quieter = [x / 2.0 for x in samples]
    assert make_sounds.true_peak_dbtp(quieter, RATE) == pytest.approx(-6.02, abs=0.05)
