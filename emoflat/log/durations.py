"""Durations in words: how long a practice is, how much time is left, how long a session
was, and days practised. Every front end says them from here.

A leaf apart from :mod:`.render`, which reads records (and so loads msgspec): a practice's
step, its time left and the picker's lengths are drawn without loading the log's reader.
"""

from __future__ import annotations

import math


def short_minutes(seconds: float | None) -> str:
    """``3 min``, ``<1 min``, or ``? min`` when not recorded."""
    if seconds is None:
        return "? min"
    return "<1 min" if seconds < 60 else f"{int(seconds / 60 + 0.5)} min"


def about_minutes(seconds: float) -> str:
    """``about 3 min``, to the half minute below three (``about 1½ min``); ``under 1 min``
    below 45 seconds."""
    if seconds < 45:
        return "under 1 min"
    halves = max(2, round(seconds / 30)) if seconds < 165 else 2 * round(seconds / 60)
    return f"about {halves // 2}{'½' if halves % 2 else ''} min"


def duration_text(seconds: float) -> str:
    """A duration said aloud: ``about 15 seconds``, ``about 1 minute 30 seconds``."""
    total = max(round(seconds), 0)
    if total < 60:
        return f"about {total} second{'' if total == 1 else 's'}"
    minutes, rest = divmod(total, 60)
    rest = round(rest / 10) * 10
    if rest == 60:
        minutes, rest = minutes + 1, 0
    text = f"about {minutes} minute{'' if minutes == 1 else 's'}"
    return f"{text} {rest} seconds" if rest else text


def time_left_text(remaining: float) -> str:
    """The time left, calmly: minutes, or rounded seconds in the last minute."""
    if remaining <= 0:
        return ""
    if remaining > 50:
        return f"about {math.ceil(remaining / 60)} min left"
    if remaining > 10:
        return f"about {math.ceil(remaining / 10) * 10} seconds left"
    return "a few seconds left"


def days_text(days: int) -> str:
    """Days practised this week, in words (a count, never a streak)."""
    if days <= 0:
        return "No days practised yet this week."
    return f"This week you have practised on {days} {'day' if days == 1 else 'days'}."
