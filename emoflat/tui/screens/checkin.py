"""The check-in before a practice, and everything after it: check-in, "How was that
for you?", context tags and a note. One question on screen at a time, none timed; every
one optional, the whole check-in skipped with one key.

What the user gives goes to the recorder as they give it, so a run cut short after the
session still logs it with the answers given so far. Nothing is scored or compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from emoflat.checkin import (
    AFTER_HEADING,
    BEFORE_HEADING,
    FEEL_HIGH,
    FEEL_LOW,
    FEEL_MAX,
    FEEL_QUESTION,
    FELT,
    FELT_QUESTION,
    TONE_QUESTION,
    TONES,
    UNSETTLING,
    WORDS,
    WORDS_QUESTION,
    CheckIn,
    clean_tags,
)
from emoflat.tui.keymap import (
    CHECKIN_END,
    CHOICE_NEXT,
    CHOICE_PREVIOUS,
    CLEAR,
    DIGITS,
    GO_ON,
    MARK,
    SKIP,
    STEP_BACK,
    TEN,
    WRITE,
)
from emoflat.tui.messages import CheckInDone
from emoflat.tui.screens.base import EmoflatScreen
from emoflat.tui.widgets.choices import ChoiceFlow, ScaleRow
from emoflat.tui.widgets.note import MAX_NOTE, NoteBox

if TYPE_CHECKING:
    from emoflat.recorder import SessionRecorder

Phase = Literal["before", "after"]
StepKind = Literal["feel", "tone", "words", "felt", "tags", "note"]

#: The steps of the check-in proper; skipping one skips these after it too.
CHECKIN_STEPS: tuple[StepKind, ...] = ("feel", "tone", "words", "felt")

TAGS_QUESTION = "Anything about today to keep with this session? Mark any that fit, or none."
NOTE_QUESTION = "A note for yourself, if you like. It stays on this computer; no one else reads it."
NOTE_PLACEHOLDER = "Write here, or leave it empty"

HINTS: dict[str, str] = {
    "feel": "Press 0–9, or t for 10, or use ← →.\nEnter goes on · s skips",
    "tone": "Press a number, or use ← →.\nEnter goes on · s skips",
    "felt": "Press a number, or use ← →.\nEnter goes on · s skips",
    "words": "← → move · space marks\nEnter goes on · s skips",
    "tags": "← → move · space marks\nEnter goes on · s skips",
    "note": "Tab: write in the box\nEnter saves · s skips",
    "in-note": "Tab or Escape leaves the box",
}
BACK_HINT = " · b back"


def steps_for(phase: Phase, *, checkin: bool) -> tuple[StepKind, ...]:
    """The questions asked before or after a session.

    Args:
        phase: Before or after the session.
        checkin: Whether the check-ins are on (off: ``--no-checkin`` or the settings).
    """
    if not checkin:
        return ()
    if phase == "before":
        return ("feel", "tone", "words")
    return ("feel", "tone", "words", "felt", "tags", "note")


class CheckInScreen(EmoflatScreen):
    """Asks the questions of one phase, one at a time, and hands the answers on."""

    CSS_PATH = "checkin.tcss"
    AUTO_FOCUS = ""  # the keys go to the screen until the user enters the note box
    BINDINGS: ClassVar[list[BindingType]] = [
        *(digit.binding() for digit in DIGITS),
        TEN.binding(),
        CHOICE_NEXT.binding(),
        CHOICE_PREVIOUS.binding(),
        MARK.binding(),
        CLEAR.binding(),
        GO_ON.binding(),
        STEP_BACK.binding(),
        SKIP.binding(),
        CHECKIN_END.binding(),
        WRITE.binding(),
    ]

    def __init__(
        self,
        recorder: SessionRecorder,
        *,
        phase: Phase,
        checkin: bool = True,
        tags_offered: Sequence[str] = (),
    ) -> None:
        """Ask the questions of ``phase``.

        Args:
            recorder: The session the answers belong to.
            phase: ``"before"`` the session, or ``"after"`` it.
            checkin: Ask the questions at all (off: ``--no-checkin`` or the settings).
            tags_offered: The context tags to offer (``Config.all_context_tags``).
        """
        super().__init__()
        self.recorder = recorder
        self.phase: Phase = phase
        self.steps = steps_for(phase, checkin=checkin)
        self.tags_offered = tuple(tags_offered)
        self.index = 0
        self.feel: int | None = None
        self.tone: str | None = None
        self.words: tuple[str, ...] = ()
        self.felt: str | None = None
        self.tags: tuple[str, ...] = ()
        self.note = ""
        self._done = False

    # Layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        """The heading, the question, and the control for it."""
        with Vertical(id="checkin-body"):
            yield Static("", id="checkin-heading", markup=False)
            yield Static("", id="checkin-question", markup=False)
            yield ScaleRow(id="scale")
            yield Static(f"{FEEL_LOW}\n{FEEL_HIGH}", id="scale-ends", markup=False)
            yield ChoiceFlow(id="choices")
            note = NoteBox(id="note")
            note.placeholder = NOTE_PLACEHOLDER
            yield note
            yield Static("", id="checkin-hint", markup=False)

    def on_mount(self) -> None:
        """Show the first question."""
        self._show_step()

    @property
    def step(self) -> StepKind:
        """The question on screen."""
        return self.steps[self.index]

    def _show_step(self) -> None:
        step = self.step
        heading = BEFORE_HEADING if self.phase == "before" else AFTER_HEADING
        self.query_one("#checkin-heading", Static).update(
            f"{heading} · {self.index + 1} of {len(self.steps)}"
        )
        questions = {
            "feel": FEEL_QUESTION,
            "tone": TONE_QUESTION,
            "words": WORDS_QUESTION,
            "felt": FELT_QUESTION,
            "tags": TAGS_QUESTION,
            "note": NOTE_QUESTION,
        }
        self.query_one("#checkin-question", Static).update(questions[step])
        scale = self.query_one(ScaleRow)
        scale.display = step == "feel"
        self.query_one("#scale-ends").display = step == "feel"
        scale.value = self.feel
        choices = self.query_one(ChoiceFlow)
        choices.display = step in ("tone", "words", "felt", "tags")
        if step == "tone":
            choices.set_choices(TONES, single=True, marked=[self.tone] if self.tone else [])
        elif step == "felt":
            choices.set_choices(FELT, single=True, marked=[self.felt] if self.felt else [])
        elif step == "words":
            choices.set_choices(WORDS, single=False, marked=self.words)
        elif step == "tags":
            choices.set_choices(self._tag_choices(), single=False, marked=self.tags)
        note = self.query_one(NoteBox)
        note.display = step == "note"
        if step != "note" and note.has_focus:
            self.set_focus(None)
        self._show_hint()

    def _tag_choices(self) -> tuple[str, ...]:
        # Tags marked that are no longer offered stay on offer, so none is lost.
        return tuple(dict.fromkeys((*self.tags_offered, *self.tags)))

    def _show_hint(self) -> None:
        note = self.query_one(NoteBox)
        if self.step == "note" and note.has_focus:
            hint = HINTS["in-note"]
        else:
            hint = HINTS[self.step] + (BACK_HINT if self.index else "")
        self.query_one("#checkin-hint", Static).update(hint)

    # Keeping what the user gives ---------------------------------------------------------

    def _take(self) -> None:
        """Read the control on screen into the answers, and hand them to the recorder."""
        step = self.step
        if step == "feel":
            self.feel = self.query_one(ScaleRow).value
        elif step in ("tone", "felt", "words", "tags"):
            marked = self.query_one(ChoiceFlow).marked
            if step == "tone":
                self.tone = marked[0] if marked else None
            elif step == "felt":
                self.felt = marked[0] if marked else None
            elif step == "words":
                self.words = tuple(marked)
            else:
                self.tags = tuple(marked)
        self._collect()

    def _collect(self) -> None:
        if self.phase == "before":
            before = CheckIn(self.feel, self.tone, self.words).to_record()
            self.recorder.collect(before=before)
            return
        after = CheckIn(self.feel, self.tone, self.words, self.felt).to_record(after=True)
        note = self.note.strip()[:MAX_NOTE] or None
        tags = clean_tags(self.tags, self.tags_offered)
        self.recorder.collect(after=after, note=note, tags=tags)

    @property
    def checkin(self) -> CheckIn:
        """The check-in as given so far."""
        felt = self.felt if self.phase == "after" else None
        return CheckIn(self.feel, self.tone, self.words, felt)

    # Moving between questions ---------------------------------------------------------------

    def _advance(self) -> None:
        if self.index + 1 < len(self.steps):
            self.index += 1
            self._show_step()
        else:
            self._finish()

    def _finish(self) -> None:
        if not self._done:
            self._done = True
            self._collect()
            self.post_message(CheckInDone(self.phase))

    # Actions -------------------------------------------------------------------------------

    def action_digit(self, number: int) -> None:
        """Mark ``number`` on the 0-10 row, or choice ``number`` of a single choice."""
        if self.step == "feel":
            if 0 <= number <= FEEL_MAX:
                self.query_one(ScaleRow).value = number
                self._take()
        elif self.step in ("tone", "felt") and self.query_one(ChoiceFlow).mark_number(number):
            self._take()

    def action_move(self, step: int) -> None:
        """Move along the 0-10 row or the choices."""
        if self.step == "feel":
            scale = self.query_one(ScaleRow)
            current = scale.value
            start = 0 if step > 0 else FEEL_MAX
            scale.value = start if current is None else min(max(current + step, 0), FEEL_MAX)
            self._take()
        elif self.step in ("tone", "words", "felt", "tags"):
            self.query_one(ChoiceFlow).move(step)
            self._take()

    def action_mark(self) -> None:
        """Mark or unmark the choice under the cursor."""
        if self.step in ("tone", "words", "felt", "tags"):
            self.query_one(ChoiceFlow).toggle()
            self._take()

    def action_clear(self) -> None:
        """Unmark everything on this question."""
        if self.step == "feel":
            self.query_one(ScaleRow).value = None
        elif self.step in ("tone", "words", "felt", "tags"):
            self.query_one(ChoiceFlow).clear()
        self._take()

    def action_go_on(self) -> None:
        """Go on with what is marked; after "unsettling", offer grounding and help first."""
        self._take()
        if self.step == "felt" and self.felt == UNSETTLING:
            from emoflat.tui.screens.grounding import UnsettledScreen

            def offered(_: None) -> None:
                self._advance()

            self.app.push_screen(UnsettledScreen(), offered)
            return
        self._advance()

    def action_step_back(self) -> None:
        """Back to the question before."""
        if self.index:
            self._take()
            self.index -= 1
            self._show_step()

    def action_skip(self) -> None:
        """Skip the rest of the check-in (what was given before stays), or this question."""
        step = self.step
        if step in CHECKIN_STEPS:
            later = CHECKIN_STEPS[CHECKIN_STEPS.index(step) :]
            for skipped in later:
                self._forget(skipped)
            rest = [
                i for i, s in enumerate(self.steps) if s not in CHECKIN_STEPS and i > self.index
            ]
            self._collect()
            if rest:
                self.index = rest[0]
                self._show_step()
            else:
                self._finish()
            return
        self._forget(step)
        self._collect()
        self._advance()

    def _forget(self, step: StepKind) -> None:
        if step == "feel":
            self.feel = None
        elif step == "tone":
            self.tone = None
        elif step == "words":
            self.words = ()
        elif step == "felt":
            self.felt = None
        elif step == "tags":
            self.tags = ()
        else:
            self.note = ""
            self.query_one(NoteBox).text = ""

    def action_end(self) -> None:
        """Before: back to the practices. After: keep what was given and finish."""
        if self.phase == "before":
            if not self._done:
                self._done = True
                self.post_message(CheckInDone(self.phase, leave=True))
            return
        self._take()
        self._finish()

    def action_write(self) -> None:
        """Into the note box."""
        if self.step == "note":
            self.query_one(NoteBox).focus()

    # The note box -------------------------------------------------------------------------

    @on(TextArea.Changed, "#note")
    def _note_changed(self, event: TextArea.Changed) -> None:
        self.note = event.text_area.text
        self._collect()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Say how to leave the box while in it."""
        self._show_hint()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Say how to go on once out of the box."""
        self._show_hint()
