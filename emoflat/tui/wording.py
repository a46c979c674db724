"""The picker's words: a practice's length, the lengths offered, and the search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from emoflat.library import Entry
from emoflat.log.durations import about_minutes

#: The scaled lengths the picker offers, in minutes.
OFFERED_MINUTES = (1, 3, 5)
#: A scaled length this close to the practice's own (in seconds) is not offered twice.
SAME_LENGTH_SECONDS = 30


#: A practice that goes at the user's pace (its timed steps take less than a minute).
UNTIMED = "untimed, at your own pace"


def is_untimed(seconds: float, untimed_steps: int) -> bool:
    """Whether a practice is said to be untimed: steps wait for the user, and what is timed
    takes less than a minute (a timed length would mislead: "about 15 seconds")."""
    return seconds <= 0 or (untimed_steps > 0 and seconds < 60)


def practice_length(seconds: float, untimed_steps: int) -> str:
    """A practice's own length in words, saying when steps wait for the user."""
    if is_untimed(seconds, untimed_steps):
        return UNTIMED
    text = about_minutes(seconds)
    if untimed_steps:
        text += ", and some steps wait for you"
    return text


@dataclass(frozen=True, slots=True)
class LengthChoice:
    """One length the picker offers for a practice."""

    minutes: float | None
    """The ``--minutes`` to scale to; ``None`` for the practice's own length."""
    label: str


def length_choices(entry: Entry, asked: float | None = None) -> list[LengthChoice]:
    """The lengths offered for ``entry``, shortest first: its own, and if it scales, about
    1, 3 and 5 minutes (and ``asked``); an untimed practice has only its own. A length
    below its shortest readable one is offered as that shortest; none is offered twice.

    Args:
        entry: The practice.
        asked: A length asked for with ``--minutes``, offered too.
    """
    if is_untimed(entry.seconds, entry.untimed_steps):  # its pace is the user's
        return [LengthChoice(None, UNTIMED)]
    ranked: list[tuple[float, LengthChoice]] = [
        (entry.seconds, LengthChoice(None, f"{about_minutes(entry.seconds)} (its own)"))
    ]
    if entry.scalable:
        for minutes in sorted({*OFFERED_MINUTES, *([asked] if asked is not None else [])}):
            seconds = max(minutes * 60, entry.shortest)
            if any(abs(seconds - other) < SAME_LENGTH_SECONDS for other, _ in ranked):
                continue
            label = about_minutes(seconds)
            if seconds > minutes * 60:
                label = f"{label} (its shortest)"
            ranked.append((seconds, LengthChoice(float(minutes), label)))
    ranked.sort(key=lambda pair: pair[0])
    return [choice for _, choice in ranked]


def default_choice(choices: list[LengthChoice], asked: float | None) -> int:
    """The index of the length chosen at first: the one asked for, else the practice's own."""
    wanted = asked if any(c.minutes == asked for c in choices) else None
    return next(i for i, choice in enumerate(choices) if choice.minutes == wanted)


def matches(entry: Entry, query: str) -> bool:
    """Whether every word of ``query`` is in the practice's id, title, summary or tags."""
    haystack = " ".join([entry.id, entry.title, entry.summary, *entry.tags]).casefold()
    return all(word in haystack for word in query.casefold().split())


#: What the practices are for, in the order the picker lists them (a practice's ``group``).
GROUPS = (
    "Being present",
    "Putting it into words",
    "Kinder expectations",
    "Getting ready for an appointment",
)
#: The heading of the practices that name no group.
OTHER = "Other practices"
#: The heading of the practice suggested to a new user.
SUGGESTED = "A good place to start"
#: The practice suggested to a new user: short, about being present.
SUGGESTED_ID = "breath-observation"


def grouped_entries(entries: Sequence[Entry]) -> list[tuple[str, list[Entry]]]:
    """``entries`` under their groups: emoflat's in their order, then any others a user's
    practices name (by name), then the practices that name none. When none names a group,
    one section with no heading."""
    if not any(entry.group for entry in entries):
        return [("", list(entries))]
    found: dict[str, list[Entry]] = {}
    for entry in entries:
        found.setdefault(entry.group or OTHER, []).append(entry)
    own = sorted(g for g in found if g not in GROUPS and g != OTHER)
    return [(group, found[group]) for group in (*GROUPS, *own, OTHER) if group in found]


def again_minutes(entry: Entry, planned_seconds: float | None) -> float | None:
    """The length to run ``entry`` at again, from the seconds its last session planned:
    ``None`` (its own) unless it scales and that length was not its own."""
    if not entry.scalable or planned_seconds is None:
        return None
    if abs(planned_seconds - entry.seconds) < SAME_LENGTH_SECONDS:
        return None
    return max(planned_seconds, entry.shortest) / 60
