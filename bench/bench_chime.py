"""Benchmark: how soon a chime starts, from ``ChimePlayer.play()`` to its first frame.

Target (issue: audio): a chime starts within 50 ms of its moment in the session.

ALSA's default device is routed to a file (an ``.asoundrc`` in a temporary ``HOME``);
the time runs from the call to ``play()`` until that file first holds data, polled every
0.2 ms. The null device behind it has no clock, so this measures the start, not
the duration. Each figure is the median of several runs, beside baselines measured in
the same run (spawning ``true`` and ``python -c pass`` and waiting for them to exit).

Rows: each ALSA backend with the scaled copy already cached ("warm": every chime after
the first of a sound and volume, or all of them after ``ChimePlayer.prepare()``), with
an empty cache ("cold": the child scales the samples first), and at volume 100 (nothing
to scale). Also the time ``play()`` itself takes, which is what the UI thread pays.

By default the children may cache their compiled bytecode (in a temporary
``PYTHONPYCACHEPREFIX``), as an installed wheel's compiled files would be; with
``--no-bytecode`` a ``PYTHONDONTWRITEBYTECODE=1`` in the environment is kept, and the
Python child compiles ``emoflat/audio_child.py`` at every start.

Run: ``.venv/bin/python bench/bench_chime.py [--runs N] [--sound NAME] [--no-bytecode]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from emoflat.audio import ChimePlayer  # noqa: E402
from emoflat.config import Config  # noqa: E402

TARGET_MS = 50.0
TIMEOUT = 10.0


def spawn_ms(argv: list[str], runs: int) -> float:
    """Median time to start ``argv`` and see it exit, in milliseconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def first_frame_ms(
    capture: Path, cache: Path, backend: str, volume: int, sound: str, runs: int, *, cold: bool
) -> tuple[float, float]:
    """Median (time to the first frame, time spent in ``play()``), in milliseconds."""
    starts, calls = [], []
    player = ChimePlayer(Config(audio_backend=backend, volume=volume))
    if not cold:
        player.play(sound, wait=True)  # fills the cache
    try:
        for _ in range(runs):
            if cold:
                shutil.rmtree(cache / "chimes", ignore_errors=True)
            capture.unlink(missing_ok=True)
            start = time.perf_counter()
            result = player.play(sound)
            called = time.perf_counter()
            if result.status != "started" or result.backend != backend:
                raise SystemExit(f"{backend}: the chime did not start: {result}")
            deadline = start + TIMEOUT
            while True:
                try:
                    if os.stat(capture).st_size > 0:
                        break
                except FileNotFoundError:
                    pass
                if time.perf_counter() > deadline:
                    raise SystemExit(f"{backend}: no frame reached {capture} in {TIMEOUT} s")
                time.sleep(0.0002)  # a light poll: a UI process is not spinning either
            arrived = time.perf_counter()
            starts.append((arrived - start) * 1000)
            calls.append((called - start) * 1000)
            player.wait(timeout=TIMEOUT)
        if player.failures:
            raise SystemExit(f"{backend} failed: {player.failures}")
    finally:
        player.close()
    return statistics.median(starts), statistics.median(calls)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sound", default="bowl")
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="keep PYTHONDONTWRITEBYTECODE from the environment (children recompile)",
    )
    args = parser.parse_args()
    backends = []
    if importlib.util.find_spec("simpleaudio") is not None:
        backends.append("simpleaudio")
    else:
        print("simpleaudio is not installed (pip install -e '.[audio]'): not measured")
    if shutil.which("aplay"):
        backends.append("aplay")
    else:
        print("aplay is not installed (alsa-utils): not measured")
    if not backends:
        return 1

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        capture = home / "captured.raw"
        (home / ".asoundrc").write_text(
            f'pcm.!default {{ type file slave.pcm "null" file "{capture}" format "raw" }}\n'
        )
        cache = Path(tmp) / "cache"
        bytecode = "compiled once (like an installed wheel)"
        if args.no_bytecode and os.environ.get("PYTHONDONTWRITEBYTECODE"):
            bytecode = "recompiled at every start (PYTHONDONTWRITEBYTECODE is set)"
        elif not args.no_bytecode:
            os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
            os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        os.environ.update(
            HOME=str(home),
            EMOFLAT_CACHE_DIR=str(cache),
            EMOFLAT_CONFIG_DIR=str(Path(tmp) / "config"),
            EMOFLAT_DATA_DIR=str(Path(tmp) / "data"),
        )
        runs = args.runs
        rows: list[tuple[str, float, float | None]] = [
            ("spawn `true` (baseline)", spawn_ms(["true"], runs), None),
            (
                "spawn `python -c pass` (baseline)",
                spawn_ms([sys.executable, "-c", "pass"], runs),
                None,
            ),
        ]
        for backend in backends:
            for label, volume, cold in (
                ("volume 70, warm cache", 70, False),
                ("volume 70, cold cache", 70, True),
                ("volume 100", 100, False),
            ):
                start, call = first_frame_ms(
                    capture, cache, backend, volume, args.sound, runs, cold=cold
                )
                rows.append((f"{backend}: {label}", start, call))

    print(
        f"chime '{args.sound}': median of {runs} runs, python {sys.version.split()[0]},"
        f" {os.cpu_count()} CPUs; target: first frame within {TARGET_MS:g} ms of play()"
    )
    print(f"the Python child's bytecode: {bytecode}")
    print(f"{'what':42} {'first frame':>12} {'in play()':>10}  target")
    missed = 0
    for name, start, call in rows:
        if call is None:
            print(f"{name:42} {start:10.1f}ms {'':>10}  (process start and exit)")
            continue
        met = start <= TARGET_MS
        missed += not met
        verdict = f"<= {TARGET_MS:g} ms: {'met' if met else 'MISSED'}"
        print(f"{name:42} {start:10.1f}ms {call:8.1f}ms  {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
