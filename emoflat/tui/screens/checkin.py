"""The check-in before a practice, and everything after it: check-in, "How was that
for you?", context tags and a note. One question on screen at a time, none timed; every
one optional, the whole check-in skipped with one key.

What the user gives goes to the recorder as they give it, so a run cut short after the
session still logs it with the answers given so far. Nothing is scored or compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from emoflat.checkin import FEEL_HIGH, FEEL_LOW, FEEL_MAX, HEADINGS, QUESTIONS, CheckInFlow, Phase
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
from emoflat.tui.widgets.note import NoteBox

if TYPE_CHECKING:
    from emoflat.recorder import SessionRecorder

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
        self, recorder: SessionRecorder, *, phase: Phase, tags_offered: Sequence[str] = ()
    ) -> None:
        """Ask the questions of ``phase``.

        Args:
            recorder: The session the answers belong to.
            phase: ``"before"`` the session, or ``"after"`` it.
            tags_offered: The context tags to offer (``Config.all_context_tags``).
        """
        super().__init__()
        self.recorder = recorder
        self.flow = CheckInFlow(phase, tags_offered=tags_offered)
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

    def _show_step(self) -> None:
        flow = self.flow
        step = flow.question
        heading = f"{HEADINGS[flow.phase]} · {flow.index + 1} of {len(flow.questions)}"
        self.query_one("#checkin-heading", Static).update(heading)
        self.query_one("#checkin-question", Static).update(QUESTIONS[step])
        scale = self.query_one(ScaleRow)
        scale.display = step == "feel"
        self.query_one("#scale-ends").display = step == "feel"
        scale.value = flow.given["feel"]
        choices = self.query_one(ChoiceFlow)
        choices.display = step in ("tone", "words", "felt", "tags")
        if choices.display:
            given = flow.given[step]
            marked = given if step in ("words", "tags") else [given] if given else []
            choices.set_choices(flow.choices(), single=step in ("tone", "felt"), marked=marked)
        note = self.query_one(NoteBox)
        note.display = step == "note"
        if step != "note" and note.has_focus:
            self.set_focus(None)
        self._show_hint()

    def _show_hint(self) -> None:
        note = self.query_one(NoteBox)
        if self.flow.question == "note" and note.has_focus:
            hint = HINTS["in-note"]
        else:
            hint = HINTS[self.flow.question] + (BACK_HINT if self.flow.index else "")
        self.query_one("#checkin-hint", Static).update(hint)

    def _take(self) -> None:
        """Read the control on screen into the flow, and hand the answers to the recorder."""
        step = self.flow.question
        if step == "feel":
            self.flow.give(self.query_one(ScaleRow).value)
        elif step in ("tone", "felt"):
            marked = self.query_one(ChoiceFlow).marked
            self.flow.give(marked[0] if marked else None)
        elif step in ("words", "tags"):
            self.flow.give(self.query_one(ChoiceFlow).marked)
        self.recorder.collect(**self.flow.collected())

    def _next(self) -> None:
        """Show the question the flow is on, or hand on when it is done."""
        if not self.flow.done:
            self._show_step()
        elif not self._done:
            self._done = True
            self.recorder.collect(**self.flow.collected())
            self.post_message(
                CheckInDone(self.flow.phase, leave=self.flow.left and self.flow.phase == "before")
            )

    # Actions -------------------------------------------------------------------------------

    def action_digit(self, number: int) -> None:
        """Mark ``number`` on the 0-10 row, or choice ``number`` of a single choice."""
        step = self.flow.question
        if step == "feel":
            if 0 <= number <= FEEL_MAX:
                self.query_one(ScaleRow).value = number
                self._take()
        elif step in ("tone", "felt") and self.query_one(ChoiceFlow).mark_number(number):
            self._take()

    def action_move(self, step: int) -> None:
        """Move along the 0-10 row or the choices."""
        if self.flow.question == "feel":
            scale = self.query_one(ScaleRow)
            current = scale.value
            start = 0 if step > 0 else FEEL_MAX
            scale.value = start if current is None else min(max(current + step, 0), FEEL_MAX)
        elif self.flow.question != "note":
            self.query_one(ChoiceFlow).move(step)
        self._take()

    def action_mark(self) -> None:
        """Mark or unmark the choice under the cursor."""
        if self.flow.question not in ("feel", "note"):
            self.query_one(ChoiceFlow).toggle()
            self._take()

    def action_clear(self) -> None:
        """Unmark everything on this question."""
        if self.flow.question == "feel":
            self.query_one(ScaleRow).value = None
        elif self.flow.question != "note":
            self.query_one(ChoiceFlow).clear()
        self._take()

    def action_go_on(self) -> None:
        """Go on with what is marked; after "unsettling", offer grounding and help first."""
        self._take()
        if self.flow.go_on():
            from emoflat.tui.screens.grounding import UnsettledScreen

            self.app.push_screen(UnsettledScreen(), lambda _: self._next())
            return
        self._next()

    def action_step_back(self) -> None:
        """Back to the question before."""
        self._take()
        if self.flow.back():
            self._show_step()

    def action_skip(self) -> None:
        """Skip the rest of the check-in (what was given before stays), or this question."""
        if self.flow.question == "note":
            self.query_one(NoteBox).text = ""
        self.flow.skip()
        self.recorder.collect(**self.flow.collected())
        self._next()

    def action_end(self) -> None:
        """Before: back to the practices. After: keep what was given and finish."""
        if self.flow.phase == "after":
            self._take()
        self.flow.leave()
        self._next()

    def action_write(self) -> None:
        """Into the note box."""
        if self.flow.question == "note":
            self.query_one(NoteBox).focus()

    # The note box -------------------------------------------------------------------------

    @on(TextArea.Changed, "#note")
    def _note_changed(self, event: TextArea.Changed) -> None:
        if self.flow.question == "note":
            self.flow.give(event.text_area.text)
            self.recorder.collect(**self.flow.collected())

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Say how to leave the box while in it."""
        self._show_hint()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Say how to go on once out of the box."""
        self._show_hint()
