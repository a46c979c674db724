"""The check-in before a practice and the one after it, a page of
:class:`~emoflat.checkin.CheckInFlow` at a time. The short check-in (the default) is one
screen before (how much can you feel) and one after (that, and "How was that for you?");
``d`` adds the tone, words, context and a note; ``s`` skips the rest; nothing is timed.

What the user gives goes to the recorder as they give it, so a run cut short after the
session still logs it with the answers given so far. Nothing is scored or compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static, TextArea

from emoflat.checkin import (
    FEEL_HIGH,
    FEEL_LOW,
    FEEL_MAX,
    HEADINGS,
    MAX_NOTE,
    QUESTIONS,
    CheckInFlow,
    Phase,
)
from emoflat.keys import (
    CHECKIN_END,
    CHECKIN_KEYS,
    DIGITS,
    GO_ON,
    LEAVE_BOX,
    MARK,
    MORE,
    MOVE,
    NUMBER,
    ROW,
    SKIP,
    STEP_BACK,
    WRITE,
    KeySpec,
    in_order,
)
from emoflat.tui.messages import CheckInDone
from emoflat.tui.screens.base import EmoflatScreen
from emoflat.tui.widgets.choices import ChoiceFlow, ScaleRow
from emoflat.tui.widgets.textbox import TextBox

if TYPE_CHECKING:
    from emoflat.checkin import Question
    from emoflat.recorder import SessionRecorder

#: The mark before the question the keys act on, when a page asks two.
ON = "▸"


def _question(name: str) -> ComposeResult:
    """A question's words, with room on the left for the mark :data:`ON`."""
    with Horizontal(id=f"row-{name}", classes="question-row"):
        yield Static("", id=f"mark-{name}", classes="mark", markup=False)
        yield Static("", id=f"question-{name}", classes="question", markup=False)


class CheckInScreen(EmoflatScreen):
    """Asks the questions of one phase, a page at a time, and hands the answers on."""

    CSS_PATH = "checkin.tcss"
    AUTO_FOCUS = ""  # the keys go to the screen, except on the note's page
    BINDINGS: ClassVar[list[BindingType]] = [spec.binding() for spec in (*DIGITS, *CHECKIN_KEYS)]

    def __init__(
        self,
        recorder: SessionRecorder,
        *,
        phase: Phase,
        full: bool = False,
        tags_offered: Sequence[str] = (),
    ) -> None:
        """Ask the questions of ``phase``.

        Args:
            recorder: The session the answers belong to.
            phase: ``"before"`` the session, or ``"after"`` it.
            full: Every question, one a screen (the settings' ``checkin = "full"``).
            tags_offered: The context tags to offer (``Config.all_context_tags``).
        """
        super().__init__()
        self.recorder = recorder
        self.flow = CheckInFlow(phase, full=full, tags_offered=tags_offered)
        self.row = 0
        """Which question of the page the keys act on."""
        self._one_pressed = False  # the last key was 1 on the 0-10 row: 0 next makes 10
        self._done = False

    # Layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        """The heading, then each kind of question with its control (shown as the page asks)."""
        with Vertical(id="checkin-body"):
            yield Static("", id="checkin-heading", markup=False)
            yield from _question("feel")
            yield ScaleRow(id="scale")
            yield Static(f"{FEEL_LOW}\n{FEEL_HIGH}", id="scale-ends", markup=False)
            yield from _question("choices")
            yield ChoiceFlow(id="choices")
            yield from _question("felt")
            yield ChoiceFlow(id="felt")
            yield from _question("note")
            yield TextBox(max_length=MAX_NOTE, id="note")

    def on_mount(self) -> None:
        """Show the first page."""
        self._show_page()

    @property
    def question(self) -> Question:
        """The question the keys act on."""
        page = self.flow.page
        return page[min(self.row, len(page) - 1)]

    def _show_page(self) -> None:
        flow = self.flow
        page = flow.page
        count = len(flow.pages)
        heading = HEADINGS[flow.phase] + (f" · {flow.index + 1} of {count}" if count > 1 else "")
        self.query_one("#checkin-heading", Static).update(heading)
        two = len(page) > 1
        listed = next((q for q in page if q in ("tone", "words", "tags")), None)
        asked: list[tuple[str, Question | None]] = [
            ("feel", "feel" if "feel" in page else None),
            ("choices", listed),
            ("felt", "felt" if "felt" in page else None),
            ("note", "note" if "note" in page else None),
        ]
        for name, question in asked:
            self.query_one(f"#row-{name}").display = question is not None
            if question is not None:
                mark = self.query_one(f"#mark-{name}", Static)
                mark.display = two
                mark.update(ON if question == self.question else "")
                self.query_one(f"#question-{name}", Static).update(QUESTIONS[question])
        scale = self.query_one(ScaleRow)
        scale.display = "feel" in page
        self.query_one("#scale-ends").display = "feel" in page
        scale.value = flow.given["feel"]
        for widget_id, question in (
            ("#choices", listed),
            ("#felt", "felt" if "felt" in page else None),
        ):
            choices = self.query_one(widget_id, ChoiceFlow)
            choices.display = question is not None
            if question is not None:
                given = flow.given[question]
                marked = given if question in ("words", "tags") else [given] if given else []
                single = question in ("tone", "felt")
                choices.set_choices(flow.choices(question), single=single, marked=marked)
                choices.active = question == self.question or not two
        note = self.query_one(TextBox)
        note.display = "note" in page
        if "note" in page:  # the page is for writing: the keys go into the box
            note.load_text(flow.given["note"])
            note.move_cursor(note.document.end)
            self.set_focus(note)
        elif note.has_focus:
            self.set_focus(None)
        self.refresh_legend()

    def legend_keys(self) -> list[KeySpec]:
        """The keys that work on this page now."""
        if self.query_one(TextBox).has_focus:
            return [LEAVE_BOX]
        question = self.question
        keys: list[KeySpec] = [GO_ON, SKIP, CHECKIN_END]
        if question == "feel" or question in ("tone", "felt"):
            keys += [NUMBER, MOVE]
        elif question in ("words", "tags"):
            keys += [MARK, MOVE]
        elif question == "note":
            keys.append(WRITE)
        if len(self.flow.page) > 1:
            keys.append(ROW)
        if self.flow.more_offered:
            keys.append(MORE)
        if self.flow.index:
            keys.append(STEP_BACK)
        return in_order((*keys, *super().legend_keys()))

    # Keeping what the user gives ---------------------------------------------------------

    def _take(self) -> None:
        """Read the controls on screen into the flow, and hand the answers to the recorder."""
        page = self.flow.page
        if "feel" in page:
            self.flow.give("feel", self.query_one(ScaleRow).value)
        for widget_id in ("#choices", "#felt"):
            choices = self.query_one(widget_id, ChoiceFlow)
            if not choices.display:
                continue
            question = (
                "felt"
                if widget_id == "#felt"
                else next(q for q in page if q in ("tone", "words", "tags"))
            )
            marked = choices.marked
            if question in ("words", "tags"):
                self.flow.give(question, marked)
            else:
                self.flow.give(question, marked[0] if marked else None)
        self.recorder.collect(**self.flow.collected())

    def _next(self, *, offer: bool = False) -> None:
        """Show the page the flow is on, or hand on when it is done; with ``offer`` (the
        answer was "unsettling"), offer grounding and help first."""
        if offer:
            from emoflat.tui.screens.grounding import UnsettledScreen

            self.app.push_screen(UnsettledScreen(), lambda _: self._next())
            return
        self.row = 0
        self._one_pressed = False
        if not self.flow.done:
            self._show_page()
        elif not self._done:
            self._done = True
            self.recorder.collect(**self.flow.collected())
            leave = self.flow.left and self.flow.phase == "before"
            self.post_message(CheckInDone(self.flow.phase, leave=leave))

    def _choices_on(self) -> ChoiceFlow | None:
        question = self.question
        if question == "felt":
            return self.query_one("#felt", ChoiceFlow)
        if question in ("tone", "words", "tags"):
            return self.query_one("#choices", ChoiceFlow)
        return None

    # Actions -------------------------------------------------------------------------------

    def action_digit(self, number: int) -> None:
        """Mark ``number`` on the 0-10 row (1 then 0 marks 10), or choice ``number``."""
        if self.question == "feel":
            if number == 0 and self._one_pressed:
                number = FEEL_MAX
            self._one_pressed = number == 1
            if 0 <= number <= FEEL_MAX:
                self.query_one(ScaleRow).value = number
                self._take()
        elif (choices := self._choices_on()) is not None and choices.mark_number(number):
            self._take()

    def action_move(self, step: int) -> None:
        """Move along the 0-10 row or the choices."""
        self._one_pressed = False
        if self.question == "feel":
            scale = self.query_one(ScaleRow)
            current = scale.value
            start = 0 if step > 0 else FEEL_MAX
            scale.value = start if current is None else min(max(current + step, 0), FEEL_MAX)
        elif (choices := self._choices_on()) is not None:
            choices.move(step)
        self._take()

    def action_row(self, step: int) -> None:
        """To the question above or below, on a page that asks two."""
        self._one_pressed = False
        page = self.flow.page
        if len(page) > 1:
            self.row = min(max(self.row + step, 0), len(page) - 1)
            self._show_page()

    def action_mark(self) -> None:
        """Mark or unmark the choice under the cursor."""
        self._one_pressed = False
        if (choices := self._choices_on()) is not None:
            choices.toggle()
            self._take()

    def action_clear(self) -> None:
        """Unmark everything on this question."""
        self._one_pressed = False
        if self.question == "feel":
            self.query_one(ScaleRow).value = None
        elif (choices := self._choices_on()) is not None:
            choices.clear()
        self._take()

    def action_go_on(self) -> None:
        """Go on with what is marked; after "unsettling", offer grounding and help first."""
        self._take()
        self._next(offer=self.flow.go_on())

    def action_more(self) -> None:
        """The other questions: tone, words, and after a practice context and a note."""
        if self.flow.more_offered:
            self._take()
            self._next(offer=self.flow.more())

    def action_step_back(self) -> None:
        """Back to the page before."""
        self._take()
        if self.flow.back():
            self.row = 0
            self._show_page()

    def action_skip(self) -> None:
        """Skip the rest of the questions; what was given, on this page too, stays."""
        self._take()
        self._next(offer=self.flow.skip())

    def action_end(self) -> None:
        """Before: back to the practices. After: keep what was given and finish."""
        if self.flow.phase == "after":
            self._take()
        self.flow.leave()
        self._next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the box, Tab leaves it (the box's own key)."""
        return not (action == "write" and self.query_one(TextBox).has_focus)

    def action_write(self) -> None:
        """Into the note box."""
        if self.question == "note":
            self.set_focus(self.query_one(TextBox))

    # The note box -------------------------------------------------------------------------

    @on(TextArea.Changed, "#note")
    def _note_changed(self, event: TextArea.Changed) -> None:
        if "note" in self.flow.page:
            self.flow.give("note", event.text_area.text)
            self.recorder.collect(**self.flow.collected())

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The legend says how to leave the box while in it."""
        self.refresh_legend()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """The legend shows the keys again once out of the box."""
        self.refresh_legend()
