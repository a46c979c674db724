"""Benchmark: the history commands over a 100,000-session log, beside bare Python start-up.

Target (the history issue): `emoflat stats` and `emoflat history --json` each under
1 second over 100,000 realistic sessions (check-ins, some answers, notes and tags,
about 500 bytes a line) in two host files. Also timed: `emoflat history` (text) and
`emoflat export --format markdown`. Every command's output goes into a pipe that the
benchmark reads to the end, as `| less` or `| jq` would.

Each figure is the median of several runs, measured in the same run as the baseline
(`python -c pass`), because these machines are noisy. "cold" removes the index cache
before each run: the first read on a new machine, after the cache folder was emptied or
after an upgrade that changes the index (a host file replaced by a sync tool is not
cold: the cached part is checked by its CRC and kept); "warm" is every other run;
"warm + 1 new" appends one session first (what happens after each practice).

The commands run as `python -m emoflat` from this checkout (PYTHONPATH), so the figures
are for the code beside this file. Run: `.venv/bin/python bench/bench_history.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import compile_emoflat  # noqa: E402

from emoflat import checkin  # noqa: E402
from emoflat.sessionlog import append_record, read_records, record_text  # noqa: E402

SESSIONS = 100_000
TARGET_SECONDS = 1.0

PRACTICES = [
    ("hands", "Noticing your hands"),
    ("breath-1", "One minute with the breath"),
    ("sounds", "Sounds near and far"),
    ("mirror", "A minute with a mirror (or without one)"),
    ("small-memory", "A small good memory"),
    ("writing", "Three lines of writing"),
]
TONES: list[str | None] = [*checkin.TONES, None]
WORDS = list(checkin.WORDS)
FELT = list(checkin.FELT)
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


def checkin(rng: random.Random, *, after: bool) -> dict[str, Any] | None:
    if rng.random() < 0.15:
        return None
    result: dict[str, Any] = {
        "feel": rng.choice([None, 0, 1, 2, 2, 3, 3, 4, 5, 6]),
        "tone": rng.choice(TONES),
        "words": rng.sample(WORDS, rng.randrange(0, 4)),
    }
    if after:
        result["felt"] = rng.choice(FELT)
    return result


def session_record(rng: random.Random, started: datetime) -> dict[str, Any]:
    practice, title = rng.choice(PRACTICES)
    planned = rng.choice([60, 180, 300])
    completed = rng.random() < 0.8
    practiced = planned if completed else rng.randrange(10, planned)
    answers = []
    if rng.random() < 0.4:
        prompt = "What do you notice right now? Anything at all, or leave it empty."
        answers.append({"step": 3, "prompt": prompt, "text": rng.choice(ANSWERS)})
    record: dict[str, Any] = {
        "v": 1,
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "practice": practice,
        "title": title,
        "started": started.isoformat(timespec="seconds"),
        "ended": (started + timedelta(seconds=practiced + 20)).isoformat(timespec="seconds"),
        "planned_seconds": planned,
        "practiced_seconds": practiced,
        "completed": completed,
        "before": checkin(rng, after=False),
        "after": checkin(rng, after=True),
        "answers": answers,
        "note": rng.choice(NOTES) if rng.random() < 0.3 else None,
    }
    if rng.random() < 0.2:
        record["tags"] = rng.sample(TAGS, rng.randrange(1, 3))
    return record


def write_log(folder: Path, sessions: int) -> float:
    """Two host files of ``sessions`` records ending now; returns the mean line length.

    Lines are written straight to the files (with ``record_text``, the appender's own
    serialisation): ``append_record`` fsyncs each one, which would take minutes here.
    """
    rng = random.Random(20260304)
    folder.mkdir(parents=True)
    moment = datetime.now().astimezone().replace(microsecond=0)
    records = []
    for _ in range(sessions):
        moment -= timedelta(minutes=rng.randrange(20, 240))
        records.append(session_record(rng, moment))
    total = 0
    with contextlib.ExitStack() as stack:
        files = [
            stack.enter_context(open(folder / f"sessions-{host}.jsonl", "w", encoding="utf-8"))
            for host in ("laptop", "desktop")
        ]
        for number, record in enumerate(reversed(records)):
            line = record_text(record) + "\n"
            total += len(line.encode("utf-8"))
            files[number % 2].write(line)
    return total / sessions


def run(argv: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.decode(errors='replace')}")


def timed(
    argv: list[str], env: dict[str, str], runs: int, before: Callable[[], None] | None = None
) -> float:
    """Median wall time of ``argv`` over ``runs`` runs, its output read from a pipe."""
    samples = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        run(argv, env)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per warm figure")
    parser.add_argument("--cold-runs", type=int, default=3, help="runs per cold figure")
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.update(
            EMOFLAT_CONFIG_DIR=f"{tmp}/config",
            EMOFLAT_DATA_DIR=f"{tmp}/data",
            EMOFLAT_CACHE_DIR=f"{tmp}/cache",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        compile_emoflat()
        emoflat = [sys.executable, "-m", "emoflat"]
        probe = subprocess.run([*emoflat, "history", "--help"], env=env, capture_output=True)
        if probe.returncode != 0:
            print("`emoflat history` is not wired in emoflat/cli.py yet", file=sys.stderr)
            return 1
        sessions_dir = Path(tmp) / "data" / "sessions"
        mean_line = write_log(sessions_dir, args.sessions)
        size = sum(path.stat().st_size for path in sessions_dir.iterdir())

        def clear_cache() -> None:
            shutil.rmtree(env["EMOFLAT_CACHE_DIR"], ignore_errors=True)

        moment = datetime.now().astimezone().replace(microsecond=0)
        rng = random.Random(7)

        def one_new_session() -> None:
            append_record(session_record(rng, moment), sessions_dir, host="laptop")

        commands = [
            ("emoflat stats", ["stats"], True),
            ("emoflat history --json", ["history", "--json"], True),
            ("emoflat history (text)", ["history"], False),
            ("emoflat export --format markdown", ["export", "--format", "markdown"], False),
        ]
        run([*emoflat, "stats"], env)  # fill the cache
        base = timed([sys.executable, "-c", "pass"], env, args.runs)
        rows: list[tuple[str, float, bool]] = [("python -c pass (baseline)", base, False)]
        for label, command, targeted in commands:
            argv = [*emoflat, *command]
            rows.append((f"{label}, cold", timed(argv, env, args.cold_runs, clear_cache), targeted))
            run(argv, env)
            rows.append((f"{label}, warm", timed(argv, env, args.runs), targeted))
            rows.append(
                (f"{label}, warm + 1 new", timed(argv, env, args.runs, one_new_session), targeted)
            )
        start = time.perf_counter()
        read_records(sessions_dir)
        in_process = time.perf_counter() - start

    print(
        f"{args.sessions:,} sessions in 2 files, {size / 1e6:.1f} MB, "
        f"{mean_line:.0f} bytes a line; "
        f"python {sys.version.split()[0]}; median of {args.runs} runs "
        f"(cold: {args.cold_runs}); {os.cpu_count()} CPUs"
    )
    print(f"{'what':46} {'median':>8} {'x baseline':>11}  target")
    met = True
    for name, seconds, targeted in rows:
        verdict = ""
        if targeted:
            ok = seconds < TARGET_SECONDS
            met = met and ok
            verdict = f"< {TARGET_SECONDS:g} s: {'met' if ok else 'MISSED'}"
        print(f"{name:46} {seconds:7.3f}s {seconds / base:10.1f}x  {verdict}")
    print(f"{'read_records() in process, for comparison':46} {in_process:7.3f}s")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
