"""Benchmark: the history commands over logs of 2,000, 20,000 and 100,000 sessions.

Targets (issue 9): at 20,000 sessions (five a day for ten years) `emoflat stats` and
`emoflat history --json` each within 4x `emoflat --version`, measured in the same run;
at 100,000, each under 2 s with a peak memory under 150 MiB. Also timed: `emoflat
history` (text) and `emoflat export --format markdown`.

Each log is two host files of realistic sessions (check-ins, some answers, notes and
tags, about 480 bytes a line). There is no cache: every run reads the whole log, so every
run is "cold" for emoflat (the operating system's page cache is warm after the first).
Each figure is the median of several runs; the baselines (`python -c pass`, `emoflat
--version`) are measured in the same run, interleaved, because these machines are noisy.
A command's output goes into a pipe the benchmark reads to the end, as `| jq` would; its
peak memory is the child's maximum resident set (`wait4`). A child's figure includes what
the benchmark itself held when it started the child, so the logs are written by a separate
process and the benchmark stays small: `python -c pass` shows that floor.

The commands run as `python -m emoflat` from this checkout, with its bytecode compiled
first as a wheel install does. Run: `.venv/bin/python bench/bench_history.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import compile_emoflat  # noqa: E402

SIZES = (2_000, 20_000, 100_000)
#: At 20,000 sessions: within this many times `emoflat --version`.
RATIO_AT_20K = 4.0
#: At 100,000 sessions: under this many seconds and this many MiB.
SECONDS_AT_100K = 2.0
MIB_AT_100K = 150.0

PRACTICES = [
    ("hands", "Noticing your hands"),
    ("breath-1", "One minute with the breath"),
    ("sounds", "Sounds near and far"),
    ("mirror", "A minute with a mirror (or without one)"),
    ("small-memory", "A small good memory"),
    ("writing", "Three lines of writing"),
]
TAGS = ["tired day", "relapse", "new medication", "poor sleep"]
ANSWERS = [
    "Something in my chest, maybe. Hard to say, and that is okay for today.",
    "Nothing much. My hands felt warm against the mug, I think.",
    "The sound of the heating, a car outside, someone laughing down the corridor.",
]
NOTES = [
    "A foggy day. Hands felt a bit warmer at the end.",
    "Did it in the car park before the meeting. Still flat, but calmer.",
    "Short one, the fatigue was heavy this afternoon.",
]


def _checkin(rng: random.Random, *, after: bool) -> dict[str, Any] | None:
    from emoflat import checkin

    if rng.random() < 0.15:
        return None
    found: dict[str, Any] = {
        "feel": rng.choice([None, 0, 1, 2, 2, 3, 3, 4, 5, 6]),
        "tone": rng.choice([*checkin.TONES, None]),
        "words": rng.sample(list(checkin.WORDS), rng.randrange(0, 4)),
    }
    if after:
        found["felt"] = rng.choice(checkin.FELT)
    return found


def session_record(rng: random.Random, started: datetime) -> dict[str, Any]:
    """One realistic session, as the log keeps it."""
    practice, title = rng.choice(PRACTICES)
    planned = rng.choice([60, 180, 300])
    completed = rng.random() < 0.8
    practiced = planned if completed else rng.randrange(10, planned)
    answers = []
    if rng.random() < 0.4:
        prompt = "What do you notice right now? Anything at all, or leave it empty."
        answers.append({"step": 3, "prompt": prompt, "text": rng.choice(ANSWERS)})
    return {
        "v": 1,
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "practice": practice,
        "title": title,
        "started": started.isoformat(timespec="seconds"),
        "ended": (started + timedelta(seconds=practiced + 20)).isoformat(timespec="seconds"),
        "planned_seconds": planned,
        "practiced_seconds": practiced,
        "completed": completed,
        "before": _checkin(rng, after=False),
        "after": _checkin(rng, after=True),
        "answers": answers,
        "note": rng.choice(NOTES) if rng.random() < 0.3 else None,
        "tags": rng.sample(TAGS, rng.randrange(1, 3)) if rng.random() < 0.2 else [],
    }


def write_log(folder: Path, sessions: int) -> float:
    """Two host files of ``sessions`` records ending now; returns the mean line length.

    The lines are encoded as emoflat's appender encodes them (``log.record.encode``), but
    written straight to the files: ``append_record`` fsyncs each one, which would take
    minutes here.
    """
    import msgspec

    from emoflat.log.record import Record, encode

    rng = random.Random(20260304)
    folder.mkdir(parents=True, exist_ok=True)
    moment = datetime.now().astimezone().replace(microsecond=0)
    records = []
    for _ in range(sessions):
        moment -= timedelta(minutes=rng.randrange(20, 240))
        records.append(session_record(rng, moment))
    total = 0
    with contextlib.ExitStack() as stack:
        files = [
            stack.enter_context(open(folder / f"sessions-{host}.jsonl", "wb"))
            for host in ("laptop", "desktop")
        ]
        for number, record in enumerate(reversed(records)):
            line = encode(msgspec.convert(record, Record)) + b"\n"
            total += len(line)
            files[number % 2].write(line)
    return total / sessions


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak MiB of one run, its stdout read to the end from a pipe."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    while child.stdout.read(1 << 16):
        pass  # read and let go, so the benchmark stays small (a child inherits its size)
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {errors.decode(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per figure")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument(
        "--write-log", nargs=2, metavar=("FOLDER", "SESSIONS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.write_log:
        print(write_log(Path(args.write_log[0]), int(args.write_log[1])))
        return 0
    compile_emoflat()
    emoflat = [sys.executable, "-m", "emoflat"]
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "emoflat --version": [*emoflat, "--version"],
        "emoflat stats": [*emoflat, "stats"],
        "emoflat history --json": [*emoflat, "history", "--json"],
        "emoflat history": [*emoflat, "history"],
        "emoflat export --format markdown": [*emoflat, "export", "--format", "markdown"],
    }
    met = True
    print(f"python {sys.version.split()[0]}; median of {args.runs} runs; {os.cpu_count()} CPUs")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ)
            env.update(
                EMOFLAT_CONFIG_DIR=f"{tmp}/config",
                EMOFLAT_DATA_DIR=f"{tmp}/data",
                EMOFLAT_CACHE_DIR=f"{tmp}/cache",
                PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            )
            folder = Path(tmp) / "data" / "sessions"
            made = subprocess.run(
                [sys.executable, __file__, "--write-log", str(folder), str(size)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            mean_line = float(made.stdout)
            megabytes = sum(path.stat().st_size for path in folder.iterdir()) / 1e6
            samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
            for argv in commands.values():
                run_once(argv, env)  # warm the page cache and the bytecode
            for _ in range(args.runs):  # interleaved: load on the machine hits all alike
                for name, argv in commands.items():
                    samples[name].append(run_once(argv, env))
        print(f"\n{size:,} sessions in 2 files, {megabytes:.1f} MB, {mean_line:.0f} bytes a line")
        print(f"  {'what':34} {'median':>8} {'x --version':>12} {'peak':>9}  target")
        version = statistics.median(s for s, _ in samples["emoflat --version"])
        for name, runs in samples.items():
            seconds = statistics.median(s for s, _ in runs)
            peak = max(m for _, m in runs)
            verdict = ""
            if name in ("emoflat stats", "emoflat history --json"):
                if size == 20_000:
                    ok = seconds <= RATIO_AT_20K * version
                    verdict = f"<= {RATIO_AT_20K:g}x --version: {'met' if ok else 'MISSED'}"
                    met = met and ok
                elif size == 100_000:
                    ok = seconds < SECONDS_AT_100K and peak < MIB_AT_100K
                    verdict = (
                        f"< {SECONDS_AT_100K:g} s and < {MIB_AT_100K:g} MiB: "
                        f"{'met' if ok else 'MISSED'}"
                    )
                    met = met and ok
            print(
                f"  {name:34} {seconds:7.3f}s {seconds / version:11.2f}x {peak:6.1f} MiB  {verdict}"
            )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
