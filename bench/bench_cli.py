"""Benchmark: `emoflat list` and `emoflat validate`, beside bare Python start-up.

Targets (issue 2): `emoflat list` on the built-ins within 4x of `python -c pass`;
1,000 user practices listed and validated in under 1 second.

Each figure is the median of several runs, measured in the same run as the baseline,
because these machines are noisy. Run: `.venv/bin/python bench/bench_cli.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from common import compile_emoflat  # noqa: E402

PRACTICE = """\
format: 1
id: generated-{n}
title: "Generated practice {n}"
summary: "A generated practice for the benchmark."
tags: [bench, generated]
chimes:
  start: bowl
  end: bell
steps:
  - say: "Settle in. Let your hands rest wherever they are comfortable."
    seconds: 15
    scale: false
  - breath: "Notice the air coming in, and going out. There is nothing to change."
    seconds: 60
  - prompt: "Where do you notice the breath most clearly right now?"
    answer: true
    seconds: 40
  - pick:
      - "Today I'll stay open to whatever I feel, even if it's nothing."
      - "Noticing nothing is still noticing."
    seconds: 20
  - say: "When you are ready, look around the room and name one thing you can see."
"""


def timed(argv: list[str], env: dict[str, str], runs: int, before: str = "") -> float:
    """Median wall time of ``argv`` over ``runs`` runs, in seconds."""
    samples = []
    for _ in range(runs):
        if before == "clear-cache":
            shutil.rmtree(env["EMOFLAT_CACHE_DIR"], ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(
            argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    emoflat = shutil.which("emoflat", path=str(Path(sys.executable).parent))
    if emoflat is None:
        print("emoflat is not installed beside this Python; run `make setup`", file=sys.stderr)
        return 1
    compile_emoflat()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.update(
            EMOFLAT_CONFIG_DIR=f"{tmp}/config",
            EMOFLAT_DATA_DIR=f"{tmp}/data",
            EMOFLAT_CACHE_DIR=f"{tmp}/cache",
        )
        many = Path(tmp) / "many"
        many.mkdir()
        for n in range(1000):
            (many / f"generated-{n}.yaml").write_text(PRACTICE.format(n=n))

        runs = args.runs
        base = timed([sys.executable, "-c", "pass"], env, runs)
        rows = [
            ("python -c pass (baseline)", base, None),
            ("emoflat list (built-ins, cached)", timed([emoflat, "list"], env, runs), 4.0),
            (
                "emoflat list (built-ins, no cache)",
                timed([emoflat, "list"], env, runs, before="clear-cache"),
                None,
            ),
            (
                "emoflat validate practices/",
                timed([emoflat, "validate", str(ROOT / "practices")], env, runs),
                None,
            ),
            (
                "emoflat list + 1,000 (no cache)",
                timed([emoflat, "list", "--practices", str(many)], env, 5, before="clear-cache"),
                None,
            ),
            (
                "emoflat list + 1,000 (cached)",
                timed([emoflat, "list", "--practices", str(many)], env, runs),
                None,
            ),
            (
                "emoflat validate 1,000 files",
                timed([emoflat, "validate", str(many)], env, 5),
                None,
            ),
        ]
    version = sys.version.split()[0]
    print(f"median of {runs} runs (1,000-file rows without cache: 5 runs), python {version}")
    print(f"{'what':40} {'median':>9} {'x baseline':>11}  target")
    ok = True
    for name, seconds, target in rows:
        ratio = seconds / base
        verdict = ""
        if target is not None:
            verdict = f"<= {target:g}x: {'met' if ratio <= target else 'MISSED'}"
            ok = ok and ratio <= target
        if "1,000" in name:
            verdict = f"< 1 s: {'met' if seconds < 1 else 'MISSED'}"
            ok = ok and seconds < 1
        print(f"{name:40} {seconds * 1000:7.1f}ms {ratio:10.2f}x  {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
