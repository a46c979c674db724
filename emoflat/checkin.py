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

#: How long the grounding step offered after "unsettling" lasts.
GROUNDING_SECONDS = 30.0
GROUNDING_TEXT = (
    "If it feels okay, you might feel your feet on the floor, look around, and name three"
    " things you can see."
)
#: Said when a practice is ended early, in place of the practice's own grounding line.
EARLY_END_GROUNDING = (
    "Before you go, you might feel your feet on the floor and name one thing you can see."
)
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


#: What one screen asks, in order: the short check-in (the default) and the full one.
PAGES: dict[tuple[Phase, bool], tuple[tuple[Question, ...], ...]] = {
    ("before", False): (("feel",),),
    ("after", False): (("feel", "felt"),),
    ("before", True): (("feel",), ("tone",), ("words",)),
    ("after", True): (("feel",), ("tone",), ("words",), ("felt",), ("tags",), ("note",)),
}
#: What "more" adds after the short check-in's page.
MORE: dict[Phase, tuple[tuple[Question, ...], ...]] = {
    "before": (("tone",), ("words",)),
    "after": (("tone",), ("words",), ("tags",), ("note",)),
}


class CheckInFlow:
    """The questions of one phase, a page (one screen) at a time, and what was given."""

    def __init__(
        self, phase: Phase, *, full: bool = False, tags_offered: Sequence[str] = ()
    ) -> None:
        """Ask the questions of ``phase``.

        Args:
            phase: Before or after the session.
            full: Every question, a page each; else the short check-in, more a key away.
            tags_offered: The context tags offered after a session.
        """
        self.phase: Phase = phase
        self.pages = list(PAGES[phase, full])
        self.more_offered = not full
        """Whether :meth:`more` would add questions (the short check-in, before it did)."""
        self.tags_offered = tuple(tags_offered)
        self.index = 0
        self.given: dict[Question, Any] = dict(_NOTHING)
        self.done = False
        """No page is left (answered, skipped or left)."""
        self.left = False
        """The user left with ``q``: before, nothing starts; after, what was given is kept."""

    @property
    def page(self) -> tuple[Question, ...]:
        """The questions on screen now (the last page's, once done)."""
        return self.pages[min(self.index, len(self.pages) - 1)]

    def choices(self, question: Question) -> tuple[str, ...]:
        """What may be marked for ``question`` (none for feel and note)."""
        if question == "tags":  # tags marked but no longer offered stay on offer
            return tuple(dict.fromkeys((*self.tags_offered, *self.given["tags"])))
        return {"tone": TONES, "words": WORDS, "felt": FELT}.get(question, ())

    def give(self, question: Question, value: Any) -> None:
        """The answer to ``question`` (``None``, empty: not given).

        Raises:
            ValueError: ``value`` is not an answer the question offers.
        """
        if question in ("words", "tags"):
            value = tuple(value or ())
            offered = self.choices(question)
            if question == "words" and not set(value) <= set(offered):
                raise ValueError(f"not in the list of words: {value!r}")
        elif question == "note":
            value = (value or "")[:MAX_NOTE]
        elif question == "feel":
            if value is not None and (type(value) is not int or not 0 <= value <= FEEL_MAX):
                raise ValueError(f"feel must be a whole number from 0 to {FEEL_MAX}")
        elif value is not None and value not in self.choices(question):
            raise ValueError(f"{value!r} is not an answer to the {question} question")
        self.given[question] = value

    def go_on(self) -> bool:
        """On to the next page; whether to offer grounding first (felt "unsettling")."""
        offer = self._unsettled()
        self._move(self.index + 1)
        return offer

    def _unsettled(self) -> bool:
        """This page asked "How was that for you?" and the answer is "unsettling"."""
        return "felt" in self.page and self.given["felt"] == UNSETTLING

    def more(self) -> bool:
        """On to the short check-in's other questions (added once, after this page);
        whether to offer grounding first, as :meth:`go_on`."""
        if self.more_offered:
            self.more_offered = False
            self.pages[self.index + 1 : self.index + 1] = MORE[self.phase]
        return self.go_on()

    def back(self) -> bool:
        """Back a page; False on the first one."""
        if self.index == 0:
            return False
        self._move(self.index - 1)
        return True

    def skip(self) -> bool:
        """Skip the rest of the questions. What was marked or written so far, on this page
        too, is kept: nothing the user gave is lost (Backspace unmarks a page). Whether to
        offer grounding first, as :meth:`go_on`."""
        offer = self._unsettled()
        self._move(len(self.pages))
        return offer

    def leave(self) -> None:
        """Leave the questions (``q``)."""
        self.left = self.done = True

    def _move(self, index: int) -> None:
        self.index = min(index, len(self.pages))
        self.done = index >= len(self.pages)

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
