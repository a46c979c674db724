"""Benchmark: how late the screen shows each new step, over a real-clock session.

Target (issue 3): the largest step-boundary error over a 5-minute real-clock session is
under 100 ms, with no growth over time. The app runs headless (`App.run_test`) with the
real monotonic clock on a practice of 5-second steps; a watcher polls the instruction on
screen every 2 ms and notes when each step appears. The error of step k is when it
appeared minus (when the session started + the planned start of step k). The baseline
beside it is the watcher's own resolution: the median gap between two of its polls.

Run: `.venv/bin/python bench/bench_boundaries.py [--minutes 5] [--motion]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

STEP_SECONDS = 5.3  # not a whole number of ticks, as after --minutes scaling


def practice_yaml(steps: int) -> str:
    lines = [
        "format: 1",
        "id: boundaries",
        'title: "Boundaries"',
        'summary: "Many short steps, for the benchmark."',
        "chimes: {start: none, end: none}",
        "steps:",
    ]
    for n in range(steps):
        lines.append(f'  - say: "Step number {n + 1}."')
        lines.append(f"    seconds: {STEP_SECONDS}")
    return "\n".join(lines) + "\n"


async def measure(steps: int, motion: bool) -> tuple[list[float], list[float]]:
    from textual.widgets import Static

    from emoflat.launch import LaunchOptions
    from emoflat.library import scan
    from emoflat.tui.app import build_app

    folder = Path(os.environ["EMOFLAT_CONFIG_DIR"]) / "bench"
    folder.mkdir(parents=True)
    (folder / "boundaries.yaml").write_text(practice_yaml(steps))
    library = scan([folder])
    app = build_app(LaunchOptions(practice_id="boundaries", sound=False, checkin=False), library)
    seen: dict[str, float] = {}
    gaps: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        recorder = app.recorder
        assert recorder is not None
        start = recorder.session._start_mono  # the engine's own start of practice time
        assert start is not None
        last_poll = time.monotonic()
        deadline = start + steps * STEP_SECONDS - 0.5
        while time.monotonic() < deadline:
            await asyncio.sleep(0.002)
            now = time.monotonic()
            gaps.append(now - last_poll)
            last_poll = now
            try:
                text = str(app.screen.query_one("#instruction", Static).render())
            except Exception:
                continue
            if text not in seen:
                seen[text] = now
        await pilot.press("q", "y")
    errors = []
    for n in range(1, steps):
        shown = seen.get(f"Step number {n + 1}.")
        if shown is not None:
            errors.append(shown - (start + n * STEP_SECONDS))
    return errors, gaps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--motion", action="store_true", help="animations on (default: off)")
    args = parser.parse_args()
    steps = max(2, int(args.minutes * 60 / STEP_SECONDS))
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("CONFIG", "DATA", "CACHE"):
            os.environ[f"EMOFLAT_{name}_DIR"] = f"{tmp}/{name.lower()}"
        os.environ["TEXTUAL_ANIMATIONS"] = "full" if args.motion else "none"
        errors, gaps = asyncio.run(measure(steps, args.motion))
    if not errors:
        print("no step boundary was seen", file=sys.stderr)
        return 1
    ms = [e * 1000 for e in errors]
    third = max(1, len(ms) // 3)
    print(f"{len(ms)} boundaries over {steps * STEP_SECONDS:.0f} s, {STEP_SECONDS:g}-second steps")
    print(f"baseline: watcher poll gap median {statistics.median(gaps) * 1000:.1f} ms")
    print(f"error median {statistics.median(ms):.1f} ms, largest {max(ms):.1f} ms (target < 100)")
    print(
        f"first third: largest {max(ms[:third]):.1f} ms; last third: largest "
        f"{max(ms[-third:]):.1f} ms (no growth over time)"
    )
    return 0 if max(ms) < 100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
