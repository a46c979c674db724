"""The check-ins before and after a practice: their words, and the shape they take in the log.

The wording comes from ``shared/CARE.md``. A check-in is a few optional answers, about
twenty seconds in all: how much the user can feel (0-10), a tone, some words. After a
practice there is also "How was that for you?". Nothing here scores the answers or
compares a check-in before with one after; they are stored and shown as the user gave them.

A leaf: standard library only, no UI.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "AFTER_HEADING",
    "BEFORE_HEADING",
    "FEEL_HIGH",
    "FEEL_LOW",
    "FEEL_MAX",
    "FEEL_QUESTION",
    "FELT",
    "FELT_QUESTION",
    "GROUNDING_SECONDS",
    "GROUNDING_TEXT",
    "TONES",
    "TONE_QUESTION",
    "UNSETTLING",
    "WORDS",
    "WORDS_QUESTION",
    "CheckIn",
    "clean_tags",
]

BEFORE_HEADING = "Before the practice"
AFTER_HEADING = "After the practice"

FEEL_QUESTION = "Right now, how much can you feel — anything at all, pleasant or unpleasant?"
FEEL_LOW = "0 = nothing, completely flat"
FEEL_HIGH = "10 = as vividly as I ever do"
#: The top of the scale; the bottom is 0.
FEEL_MAX = 10

TONE_QUESTION = "If there is a tone to it, which is closest? (optional)"
TONES = ("pleasant", "unpleasant", "mixed", "can't tell", "nothing noticeable")

WORDS_QUESTION = "Any words that fit? Mark as many as you like, or none. (optional)"
#: emoflat's own list of words for how things are; the user marks any that fit.
WORDS = (
    "numb",
    "flat",
    "blank",
    "foggy",
    "tired",
    "calm",
    "tender",
    "sad",
    "irritated",
    "curious",
    "warm",
    "heavy",
    "tight",
    "nothing I can name",
)

FELT_QUESTION = "How was that for you?"
FELT = ("helpful", "neutral", "unsettling", "not sure")
#: The answer to :data:`FELT_QUESTION` that offers grounding and the help screen.
UNSETTLING = "unsettling"

#: How long the grounding step offered after "unsettling" lasts.
GROUNDING_SECONDS = 30.0
#: The longest note kept, in characters (a long page).
MAX_NOTE = 4000
GROUNDING_TEXT = "Feel your feet on the floor. Look around and name three things you can see."


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One check-in as the user gave it; every part is optional.

    Attributes:
        feel: How much the user can feel, 0 (nothing, completely flat) to 10 (as vividly
            as they ever do), or ``None`` when not given.
        tone: One of :data:`TONES`, or ``None``.
        words: Words from :data:`WORDS` the user marked, in the list's order.
        felt: After a practice only: one of :data:`FELT`, or ``None``.
    """

    feel: int | None = None
    tone: str | None = None
    words: tuple[str, ...] = field(default_factory=tuple)
    felt: str | None = None

    def __post_init__(self) -> None:
        """Check every part against the check-in's vocabulary.

        Raises:
            ValueError: A part is not one the check-in offers.
        """
        if self.feel is not None and (
            isinstance(self.feel, bool) or not isinstance(self.feel, int)
        ):
            raise ValueError(f"feel must be a whole number from 0 to {FEEL_MAX}")
        if self.feel is not None and not 0 <= self.feel <= FEEL_MAX:
            raise ValueError(f"feel must be from 0 to {FEEL_MAX}, not {self.feel}")
        if self.tone is not None and self.tone not in TONES:
            raise ValueError(f"{self.tone!r} is not one of the tones")
        unknown = [word for word in self.words if word not in WORDS]
        if unknown:
            raise ValueError(f"not in the list of words: {', '.join(unknown)}")
        if self.felt is not None and self.felt not in FELT:
            raise ValueError(f"{self.felt!r} is not an answer to {FELT_QUESTION!r}")

    @property
    def empty(self) -> bool:
        """Whether nothing at all was given."""
        return self.feel is None and self.tone is None and not self.words and self.felt is None

    def to_record(self, *, after: bool = False) -> dict[str, Any] | None:
        """The check-in as the session log stores it, or ``None`` when nothing was given.

        Args:
            after: The check-in after a practice, which carries ``felt`` too.

        Returns:
            ``{"feel": 0-10 or None, "tone": str or None, "words": [...]}``, plus
            ``"felt"`` after a practice.
        """
        if self.empty:
            return None
        record: dict[str, Any] = {
            "feel": self.feel,
            "tone": self.tone,
            "words": [word for word in WORDS if word in self.words],
        }
        if after:
            record["felt"] = self.felt
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any] | None) -> CheckIn:
        """Read a stored check-in back, keeping only the parts that are still valid.

        Args:
            record: A record's ``before`` or ``after`` object, or ``None``.
        """
        if not isinstance(record, Mapping):
            return cls()
        feel = record.get("feel")
        tone = record.get("tone")
        felt = record.get("felt")
        words = record.get("words")
        return cls(
            feel=feel
            if isinstance(feel, int) and not isinstance(feel, bool) and 0 <= feel <= FEEL_MAX
            else None,
            tone=tone if tone in TONES else None,
            words=tuple(w for w in WORDS if isinstance(words, list) and w in words),
            felt=felt if felt in FELT else None,
        )


def clean_tags(tags: Iterable[str], offered: Sequence[str]) -> list[str]:
    """The context tags to store: each once, in the order they are offered.

    Tags that are not offered any more (removed from the settings) are kept after the
    offered ones, so nothing the user marked is lost.

    Args:
        tags: The tags marked.
        offered: The tags offered (``Config.all_context_tags``).
    """
    marked = [tag.strip() for tag in tags if tag.strip()]
    known = [tag for tag in offered if tag in marked]
    return known + [tag for tag in dict.fromkeys(marked) if tag not in offered]
