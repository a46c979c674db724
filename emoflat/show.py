"""``emoflat show ID [--minutes N] [--json]``: the plan of a practice, without running it.

Each step in order, with its kind, how long it is shown (or that it waits for you) and
its text; the steps a shorter length leaves out; the total and the shortest length. What
an author needs to see the effect of ``--minutes``, and what the tests read. No UI.
"""

from __future__ import annotations

import json
import sys

from emoflat.log.durations import about_minutes
from emoflat.model import Practice
from emoflat.plan import Plan, plan
from emoflat.text import one_line


def plan_json(practice: Practice, minutes: float | None, planned: Plan) -> dict[str, object]:
    """The plan as ``emoflat show --json`` prints it."""
    return {
        "id": practice.id,
        "title": practice.title,
        "minutes": minutes,
        "seconds": planned.seconds,
        "shortest_seconds": planned.shortest_seconds,
        "steps": [
            {
                "step": s.index + 1,
                "kind": s.step.kind,
                "seconds": s.seconds,
                "texts": list(s.step.texts),
                "optional": s.step.optional,
            }
            for s in planned.steps
        ],
        "left_out": [index + 1 for index in planned.dropped],
    }


def plan_lines(practice: Practice, minutes: float | None, planned: Plan) -> list[str]:
    """The plan in words, a line a step."""
    length = "its own length" if minutes is None else f"about {minutes:g} min"
    untimed = sum(1 for s in planned.steps if s.seconds is None)
    total = f"{planned.seconds:.0f} seconds timed" + (f", {untimed} untimed" if untimed else "")
    lines = [f"{one_line(practice.title)} ({practice.id}), at {length}: {total}"]
    width = len(str(len(practice.steps)))
    for s in planned.steps:
        when = "untimed" if s.seconds is None else f"{s.seconds:.0f} s"
        text = " | ".join(one_line(t) for t in s.step.texts) or "(quiet)"
        if s.step.kind == "pick":
            text = f"one of: {text}"
        mark = "  (optional)" if s.step.optional else ""
        lines.append(f"  {s.index + 1:>{width}}. {s.step.kind:<6} {when:>7}  {text}{mark}")
    if planned.dropped:
        left = ", ".join(str(index + 1) for index in planned.dropped)
        lines.append(f"Left out at this length (optional): step {left}")
    shortest = planned.shortest_seconds
    lines.append(f"Shortest readable length: {about_minutes(shortest)} ({shortest:.0f} s timed)")
    return lines


def run_show(practice: Practice, minutes: float | None, *, as_json: bool) -> int:
    """Print the plan of ``practice`` at ``minutes``; exit code 0."""
    planned = plan(practice, minutes)
    if as_json:
        json.dump(plan_json(practice, minutes, planned), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write("\n".join(plan_lines(practice, minutes, planned)) + "\n")
    return 0
