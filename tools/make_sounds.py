"""Synthesize emoflat's own chimes into ``sounds/``.

Standard library only. Each sound is a sum of exponentially decaying partials with a soft
raised-cosine fade-in and fade-out, then loudness-normalised to -20 LUFS integrated
(ITU-R BS.1770-4) with its true peak (4x oversampled) kept under -1 dBTP, and written as a
44100 Hz, 16-bit, mono WAV. The output is deterministic: running the script again writes
byte-identical files.

    python tools/make_sounds.py            # writes into the repository's sounds/
    python tools/make_sounds.py --out DIR  # writes into DIR
"""

from __future__ import annotations

import argparse
import math
import random
import struct
import time
import wave
from collections.abc import Callable, Sequence
from operator import mul
from pathlib import Path

RATE = 44100
TARGET_LUFS = -20.0
# The true-peak ceiling is -1 dBTP; aim a little below it so rounding to int16 cannot cross it.
MAX_TRUE_PEAK_DBTP = -1.2
FULL_SCALE = 32768.0

Biquad = tuple[float, float, float, float, float]  # b0, b1, b2, a1, a2 (a0 normalised to 1)


# --------------------------------------------------------------------------- measurement


def k_weighting_coefficients(rate: int) -> tuple[Biquad, Biquad]:
    """The two BS.1770-4 K-weighting biquads (shelving pre-filter, RLB high-pass) at ``rate``.

    The analogue prototypes behind the 48 kHz coefficients published in BS.1770-4, mapped
    with the bilinear transform, so they hold at any sample rate (at 48 kHz they reproduce
    the published values).
    """
    # Stage 1: high shelf, about +4 dB above ~1.5 kHz (models the head's acoustic effect).
    f0 = 1681.974450955533
    gain_db = 3.999843853973347
    q = 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10.0 ** (gain_db / 20.0)
    vb = vh**0.4996667741545416
    a0 = 1.0 + k / q + k * k
    shelf: Biquad = (
        (vh + vb * k / q + k * k) / a0,
        2.0 * (k * k - vh) / a0,
        (vh - vb * k / q + k * k) / a0,
        2.0 * (k * k - 1.0) / a0,
        (1.0 - k / q + k * k) / a0,
    )
    # Stage 2: the RLB weighting, a second-order high-pass at ~38 Hz.
    f0 = 38.13547087602444
    q = 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1.0 + k / q + k * k
    highpass: Biquad = (1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0)
    return shelf, highpass


def _biquad(samples: Sequence[float], coeffs: Biquad) -> list[float]:
    """Direct form I biquad filter."""
    b0, b1, b2, a1, a2 = coeffs
    out: list[float] = []
    append = out.append
    x1 = x2 = y1 = y2 = 0.0
    for x in samples:
        y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        append(y)
        x2, x1 = x1, x
        y2, y1 = y1, y
    return out


def integrated_loudness(samples: list[float], rate: int) -> float:
    """Integrated loudness in LUFS of a mono signal (ITU-R BS.1770-4).

    K-weighting, 400 ms gating blocks with 75 % overlap, an absolute gate at -70 LUFS and a
    relative gate 10 LU below the absolutely gated loudness. Samples are in [-1, 1]. Returns
    ``-inf`` when no block passes the gates (silence, or shorter than one block).
    """
    shelf, highpass = k_weighting_coefficients(rate)
    weighted = _biquad(_biquad(samples, shelf), highpass)
    step = round(0.1 * rate)  # 100 ms: a block is four steps, so blocks overlap by 75 %
    block = 4 * step
    n_steps = len(weighted) // step
    step_energy = [
        math.fsum(x * x for x in weighted[i * step : (i + 1) * step]) for i in range(n_steps)
    ]
    powers = [math.fsum(step_energy[j : j + 4]) / block for j in range(n_steps - 3)]

    def loudness(power: float) -> float:
        return -0.691 + 10.0 * math.log10(power) if power > 0.0 else -math.inf

    above_absolute = [p for p in powers if loudness(p) > -70.0]
    if not above_absolute:
        return -math.inf
    relative_gate = loudness(math.fsum(above_absolute) / len(above_absolute)) - 10.0
    gated = [p for p in above_absolute if loudness(p) > relative_gate]
    return loudness(math.fsum(gated) / len(gated))


_OVERSAMPLE = 4
_HALF_TAPS = 16  # each interpolated sample uses 16 input samples on either side


def _interpolation_phases() -> list[list[float]]:
    """Hann-windowed sinc FIRs for the fractional positions 1/4, 2/4 and 3/4.

    Phase ``p`` estimates the signal at ``n + p/4`` from ``x[n - 15] ... x[n + 16]``.
    """
    phases: list[list[float]] = []
    span = _HALF_TAPS + 1.0
    for p in range(1, _OVERSAMPLE):
        frac = p / _OVERSAMPLE
        taps: list[float] = []
        for k in range(-_HALF_TAPS + 1, _HALF_TAPS + 1):
            t = frac - k  # distance from input sample n + k to the interpolated point
            sinc = math.sin(math.pi * t) / (math.pi * t)
            window = 0.5 + 0.5 * math.cos(math.pi * t / span)
            taps.append(sinc * window)
        phases.append(taps)
    return phases


def true_peak_dbtp(samples: list[float], rate: int) -> float:
    """True peak in dBTP, estimated by 4x oversampling with a windowed-sinc interpolator.

    Only stretches of the signal that could hold a larger peak than the largest found so far
    are interpolated (bounded by the filter's absolute tap sum), which gives the same result
    as interpolating everything, much faster. ``rate`` is accepted for symmetry with
    :func:`integrated_loudness`; the interpolation works in units of samples.
    """
    del rate
    n = len(samples)
    if n == 0:
        return -math.inf
    best = max(abs(x) for x in samples)
    phases = _interpolation_phases()
    gain_bound = max(math.fsum(abs(c) for c in taps) for taps in phases)
    pad = [0.0] * _HALF_TAPS
    padded = pad + list(samples) + pad  # padded[i + _HALF_TAPS] == samples[i]
    chunk = 256
    chunks: list[tuple[float, int]] = []
    for start in range(0, n, chunk):
        lo = start + 1  # window of x[start - 15] .. x[start + chunk - 1 + 16], padded
        hi = start + chunk + 2 * _HALF_TAPS
        chunks.append((max(abs(x) for x in padded[lo:hi]), start))
    chunks.sort(key=lambda item: (-item[0], item[1]))
    width = 2 * _HALF_TAPS
    for local_max, start in chunks:
        if local_max * gain_bound <= best:
            break  # the rest are sorted by their bound: none can beat the current peak
        for i in range(start, min(start + chunk, n)):
            window = padded[i + 1 : i + 1 + width]
            for taps in phases:
                value = abs(sum(map(mul, taps, window)))
                if value > best:
                    best = value
    return 20.0 * math.log10(best) if best > 0.0 else -math.inf


# --------------------------------------------------------------------------- synthesis

Partial = tuple[float, float, float, float]  # frequency Hz, amplitude, decay time constant s, phase


def _render(
    partials: Sequence[Partial], duration: float, attack: float, release: float
) -> list[float]:
    """Sum decaying sine partials; raised-cosine fade-in over ``attack`` s, fade-out over
    the last ``release`` s, so the first and last samples are exactly zero."""
    n = round(duration * RATE)
    out = [0.0] * n
    for freq, amp, tau, phase in partials:
        w = 2.0 * math.pi * freq / RATE
        decay = -1.0 / (tau * RATE)
        for i in range(n):
            out[i] += amp * math.exp(decay * i) * math.sin(w * i + phase)
    _apply_fades(out, attack, release)
    return out


def _apply_fades(out: list[float], attack: float, release: float) -> None:
    n = len(out)
    n_attack = round(attack * RATE)
    for i in range(min(n_attack + 1, n)):
        out[i] *= 0.5 - 0.5 * math.cos(math.pi * i / n_attack)
    n_release = round(release * RATE)
    for j in range(min(n_release + 1, n)):
        out[n - 1 - j] *= 0.5 - 0.5 * math.cos(math.pi * j / n_release)


def _pair(freq: float, split: float, amp: float, tau: float, phase: float) -> list[Partial]:
    """Two partials ``split`` Hz apart, like a real bowl's slightly asymmetric mode pairs:
    they beat slowly. Unequal (60/40) so the beats swell and ebb rather than cut out."""
    return [
        (freq - split / 2.0, amp * 0.6, tau, phase),
        (freq + split / 2.0, amp * 0.4, tau, phase + 0.7),
    ]


def bowl() -> list[float]:
    """Singing bowl: inharmonic partials near 1 : 2.8 : 5.4 : 8.8, each a detuned pair
    (1-3 Hz apart) for the slow beating; long decays, shorter for higher partials."""
    f0 = 220.0
    partials = [
        *_pair(f0, 1.3, 1.00, 2.2, 0.0),
        *_pair(f0 * 2.8, 2.1, 0.55, 1.4, 1.1),
        *_pair(f0 * 5.4, 2.7, 0.22, 0.75, 2.3),
        *_pair(f0 * 8.8, 3.0, 0.08, 0.40, 0.4),
    ]
    return _render(partials, duration=4.5, attack=0.008, release=1.2)


def bell() -> list[float]:
    """Small bright bell: bell-like partials (hum, prime, tierce, quint, nominal and above),
    the low ones ringing longest, a slight detune on the hum and prime."""
    prime = 587.33  # D5
    partials = [
        *_pair(prime * 0.5, 0.9, 0.45, 1.3, 0.0),  # hum
        *_pair(prime, 1.6, 1.00, 0.95, 0.9),  # prime
        (prime * 1.19, 0.35, 0.70, 1.7),  # tierce (minor third)
        (prime * 1.50, 0.25, 0.55, 2.6),  # quint
        (prime * 2.00, 0.45, 0.50, 0.3),  # nominal
        (prime * 2.51, 0.15, 0.30, 1.4),
        (prime * 3.01, 0.08, 0.22, 2.0),
    ]
    return _render(partials, duration=3.0, attack=0.004, release=0.6)


def wood() -> list[float]:
    """Soft wood block: a few short inharmonic modes with a brief, dark noise tap on top."""
    f0 = 820.0
    partials = [
        (f0, 1.00, 0.085, 0.0),
        (f0 * 2.62, 0.30, 0.040, 1.3),
        (f0 * 4.41, 0.10, 0.022, 2.1),
    ]
    out = _render(partials, duration=0.5, attack=0.003, release=0.15)
    rng = random.Random(20240611)
    n_tap = round(0.03 * RATE)
    decay = -1.0 / (0.006 * RATE)
    low1 = low2 = 0.0
    tap = [0.0] * len(out)
    for i in range(n_tap):
        low1 += 0.12 * ((2.0 * rng.random() - 1.0) - low1)  # two one-pole low-passes:
        low2 += 0.12 * (low1 - low2)  # a muffled knock, no hiss
        tap[i] = 0.6 * low2 * math.exp(decay * i)
    _apply_fades(tap, attack=0.003, release=0.15)
    return [a + b for a, b in zip(out, tap, strict=True)]


def tone() -> list[float]:
    """Soft sine tone, with a whisper of the octave, gently fading."""
    partials = [(440.0, 1.0, 1.6, 0.0), (880.0, 0.04, 0.8, 0.0)]
    return _render(partials, duration=1.5, attack=0.03, release=0.5)


SOUNDS: dict[str, Callable[[], list[float]]] = {
    "bowl": bowl,
    "bell": bell,
    "wood": wood,
    "tone": tone,
}


# --------------------------------------------------------------------------- output


def _to_int16(samples: Sequence[float]) -> list[int]:
    """Scale to 16-bit with a fixed rounding (half up) and clip."""
    return [max(-32768, min(32767, math.floor(x * FULL_SCALE + 0.5))) for x in samples]


def _write_wav(path: Path, ints: Sequence[int]) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(struct.pack(f"<{len(ints)}h", *ints))


def normalise(samples: list[float], name: str) -> list[int]:
    """Scale to TARGET_LUFS; if that puts the true peak above the ceiling, lower the gain
    (and say so). Returns 16-bit samples."""
    loudness = integrated_loudness(samples, RATE)
    gain_db = TARGET_LUFS - loudness
    peak = true_peak_dbtp(samples, RATE) + gain_db
    if peak > MAX_TRUE_PEAK_DBTP:
        cut = peak - MAX_TRUE_PEAK_DBTP
        print(f"  {name}: true peak would be {peak:.2f} dBTP; lowering the gain by {cut:.2f} dB")
        gain_db -= cut
    gain = 10.0 ** (gain_db / 20.0)
    return _to_int16([x * gain for x in samples])


def main(out_dir: Path) -> None:
    """Synthesize every sound into ``out_dir`` and print its loudness and true peak."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, make in SOUNDS.items():
        ints = normalise(make(), name)
        path = out_dir / f"{name}.wav"
        _write_wav(path, ints)
        written = [s / FULL_SCALE for s in ints]
        print(
            f"{path.name:9} {len(ints) / RATE:4.2f} s  "
            f"{integrated_loudness(written, RATE):6.2f} LUFS  "
            f"{true_peak_dbtp(written, RATE):6.2f} dBTP  "
            f"{path.stat().st_size:7d} bytes"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "sounds",
        help="directory to write the WAV files into (default: the repository's sounds/)",
    )
    started = time.perf_counter()
    main(parser.parse_args().out)
    print(f"done in {time.perf_counter() - started:.1f} s")
