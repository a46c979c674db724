"""The check-ins before and after a practice: their words, and the one flow through them.

The wording comes from ``shared/CARE.md``. A check-in is a few optional answers, about
twenty seconds in all: how much the user can feel (0-10), a tone, some words; after a
practice also "How was that for you?", context tags and a note. Nothing here scores the
answers or compares a check-in before with one after.

:class:`CheckInFlow` is the flow both front ends drive: which question is on, going on,
back, skipping, leaving, and when to offer grounding after "unsettling". Pure: no UI.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from emoflat.log.record import FEEL_MAX, AfterCheckIn, CheckIn

__all__ = ["FEEL_MAX", "CheckInFlow"]

Phase = Literal["before", "after"]
Question = Literal["feel", "tone", "words", "felt", "tags", "note"]

HEADINGS = {"before": "Before the practice", "after": "After the practice"}
FEEL_QUESTION = "Right now, how much can you feel — anything at all, pleasant or unpleasant?"
FEEL_LOW = "0 = nothing, completely flat"
FEEL_HIGH = "10 = as vividly as I ever do"
TONE_QUESTION = "If there is a tone to it, which is closest? (optional)"
TONES = ("pleasant", "unpleasant", "mixed", "can't tell", "nothing noticeable")
WORDS_QUESTION = "Any words that fit? Mark as many as you like, or none. (optional)"
#: emoflat's own list of words for how things are; the user marks any that fit.
WORDS = (
    "numb", "flat", "blank", "foggy", "tired", "calm", "tender", "sad", "irritated",
    "curious", "warm", "heavy", "tight", "nothing I can name",
)  # fmt: skip
FELT_QUESTION = "How was that for you?"
FELT = ("helpful", "neutral", "unsettling", "not sure")
#: The answer to :data:`FELT_QUESTION` that offers grounding and the help screen.
UNSETTLING = "unsettling"
TAGS_QUESTION = "Anything about today to keep with this session? Mark any that fit, or none."
NOTE_QUESTION = "A note for yourself, if you like. It stays on this computer; no one else reads it."
QUESTIONS: dict[Question, str] = {
    "feel": FEEL_QUESTION,
    "tone": TONE_QUESTION,
    "words": WORDS_QUESTION,
    "felt": FELT_QUESTION,
    "tags": TAGS_QUESTION,
    "note": NOTE_QUESTION,
}
#: The check-in proper: skipping one of these skips the rest of them.
CHECKIN_QUESTIONS: tuple[Question, ...] = ("feel", "tone", "words", "felt")

#: How long the grounding step offered after "unsettling" lasts.
GROUNDING_SECONDS = 30.0
GROUNDING_TEXT = "Feel your feet on the floor. Look around and name three things you can see."
#: The longest note kept, in characters (a long page).
MAX_NOTE = 4000

_NOTHING: dict[Question, Any] = {
    "feel": None,
    "tone": None,
    "words": (),
    "felt": None,
    "tags": (),
    "note": "",
}


def clean_tags(tags: Sequence[str], offered: Sequence[str]) -> list[str]:
    """The context tags to store: each once, in the order offered; tags no longer offered
    (removed from the settings) come after them, so nothing marked is lost."""
    marked = [tag.strip() for tag in tags if tag.strip()]
    return [t for t in offered if t in marked] + [
        t for t in dict.fromkeys(marked) if t not in offered
    ]


class CheckInFlow:
    """The questions of one phase, one at a time, and what was given so far."""

    def __init__(self, phase: Phase, *, tags_offered: Sequence[str] = ()) -> None:
        """Ask the questions of ``phase``.

        Args:
            phase: Before or after the session.
            tags_offered: The context tags offered after a session.
        """
        self.phase: Phase = phase
        self.questions: tuple[Question, ...] = (
            ("feel", "tone", "words")
            if phase == "before"
            else ("feel", "tone", "words", "felt", "tags", "note")
        )
        self.tags_offered = tuple(tags_offered)
        self.index = 0
        self.given: dict[Question, Any] = dict(_NOTHING)
        self.done = False
        """No question is left (answered, skipped or left)."""
        self.left = False
        """The user left with ``q``: before, nothing starts; after, what was given is kept."""

    @property
    def question(self) -> Question:
        """The question on now (the last one, once done)."""
        return self.questions[min(self.index, len(self.questions) - 1)]

    def choices(self) -> tuple[str, ...]:
        """What may be marked for the question on now (none for feel and note)."""
        question = self.question
        if question == "tags":  # tags marked but no longer offered stay on offer
            return tuple(dict.fromkeys((*self.tags_offered, *self.given["tags"])))
        return {"tone": TONES, "words": WORDS, "felt": FELT}.get(question, ())

    def give(self, value: Any) -> None:
        """The answer to the question on now (``None``, empty: not given)."""
        question = self.question
        if question in ("words", "tags"):
            value = tuple(value or ())
        elif question == "note":
            value = (value or "")[:MAX_NOTE]
        self.given[question] = value

    def go_on(self) -> bool:
        """Move to the next question; whether to offer grounding first ("unsettling")."""
        offer = self.question == "felt" and self.given["felt"] == UNSETTLING
        self._move(self.index + 1)
        return offer

    def back(self) -> bool:
        """Back a question; False on the first one."""
        if self.index == 0:
            return False
        self.index -= 1
        return True

    def skip(self) -> None:
        """Skip this question; in the check-in proper, skip the rest of it too (what was
        given before this question stays)."""
        question = self.question
        if question not in CHECKIN_QUESTIONS:
            self.given[question] = _NOTHING[question]
            self._move(self.index + 1)
            return
        later = [q for q in self.questions[self.index :] if q in CHECKIN_QUESTIONS]
        for skipped in later:
            self.given[skipped] = _NOTHING[skipped]
        rest = [i for i, q in enumerate(self.questions) if i > self.index and q not in later]
        self._move(rest[0] if rest else len(self.questions))

    def leave(self) -> None:
        """Leave the questions (``q``)."""
        self.left = self.done = True

    def _move(self, index: int) -> None:
        self.index = min(index, len(self.questions))
        self.done = index >= len(self.questions)

    def checkin(self) -> CheckIn | AfterCheckIn | None:
        """The check-in as the log keeps it, words in the list's order; ``None`` if empty."""
        given = self.given
        words = tuple(word for word in WORDS if word in given["words"])
        if given["feel"] is None and given["tone"] is None and not words and given["felt"] is None:
            return None
        if self.phase == "before":
            return CheckIn(feel=given["feel"], tone=given["tone"], words=words)
        return AfterCheckIn(feel=given["feel"], tone=given["tone"], words=words, felt=given["felt"])

    def collected(self) -> dict[str, Any]:
        """What to hand the recorder: the check-in, and after a session the note and tags."""
        if self.phase == "before":
            return {"before": self.checkin()}
        return {
            "after": self.checkin(),
            "note": self.given["note"].strip() or None,
            "tags": clean_tags(self.given["tags"], self.tags_offered),
        }
