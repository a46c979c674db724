"""Plain mode's questions: choosing a practice and its length by number, and the
check-ins before and after a session, a page of :class:`~emoflat.checkin.CheckInFlow` at a
time. Imports neither Textual nor Rich.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

from emoflat.checkin import (
    FEEL_HIGH,
    FEEL_LOW,
    FEEL_MAX,
    GROUNDING_SECONDS,
    GROUNDING_TEXT,
    HEADINGS,
    QUESTIONS,
    UNSETTLING,
    CheckInFlow,
    Question,
)
from emoflat.countdown import Countdown
from emoflat.plain_lines import (
    CHECKIN_INTRO_LINE,
    CHECKIN_KEYS_LINE,
    COMMANDS_BACK,
    COMMANDS_HELP,
    COMMANDS_QUIT,
    COMMANDS_SKIP,
    FEEL_AGAIN_LINE,
    FEEL_PROMPT,
    FIRST_QUESTION_LINE,
    GROUNDING_DONE_LINE,
    GROUNDING_STEP_LINE,
    LENGTHS_LINE,
    MANY_PROMPT,
    MORE_OFFER_LINE,
    NO_MORE_ANSWERS_LINE,
    NOT_A_CHOICE_LINE,
    NOT_AN_OFFER_LINE,
    NOT_IN_LIST_LINE,
    NOTE_PROMPT,
    ONE_PROMPT,
    PICK_LINE,
    QUESTIONS_LEFT_LINE,
    UNSETTLING_OFFER_LINE,
)
from emoflat.plain_terminal import Left, Output, Wait
from emoflat.recorder import SessionRecorder
from emoflat.text import one_line
from emoflat.tui.wording import default_choice, length_choices, practice_length

if TYPE_CHECKING:
    from emoflat.library import Entry, Library


def choose(
    library: Library, out: Output, wait: Wait, asked: float | None
) -> tuple[str, float | None] | None:
    """Ask which practice to run, by number, then how long; ``None`` when the user leaves
    with ``q``.

    Returns:
        The practice's id and the minutes to scale it to (``None``: its own length).
    """
    entries = library.entries
    while True:
        out.say("Practices:")
        for number, entry in enumerate(entries, start=1):
            length = practice_length(entry.seconds, entry.untimed_steps)
            out.say(f"{number}. {one_line(entry.title)}, {length}")
            out.say(f"   {one_line(entry.summary)}")
        picked = read_number(out, wait, PICK_LINE, len(entries))
        if picked is None:
            return None
        entry = entries[picked - 1]
        out.blank()
        minutes = choose_length(entry, out, wait, asked)
        if minutes is Go.LEAVE:
            return None
        if minutes is not Go.BACK:
            return entry.id, minutes


def choose_length(
    entry: Entry, out: Output, wait: Wait, asked: float | None
) -> float | Literal[Go.BACK, Go.LEAVE] | None:
    """The minutes to scale ``entry`` to (``None``: its own length), when it offers more
    than one length; :attr:`Go.BACK` back to the practices, :attr:`Go.LEAVE` to leave."""
    choices = length_choices(entry, asked)
    default = default_choice(choices, asked)
    if len(choices) == 1:
        return choices[default].minutes
    out.say(f"{LENGTHS_LINE} {one_line(entry.title)}:")
    for number, choice in enumerate(choices, start=1):
        out.say(f"{number}. {choice.label}")
    prompt = (
        f"Type a number and press Enter, or Enter alone for {choices[default].label}."
        " b then Enter goes back to the practices, q then Enter leaves."
    )
    picked = read_number(out, wait, prompt, len(choices), empty=default + 1, back=True)
    if picked is None:
        return Go.LEAVE
    if picked == 0:
        return Go.BACK
    out.blank()
    return choices[picked - 1].minutes


def say_help(out: Output) -> None:
    """The help (who to talk to), a line at a time: ``h`` at any question but a box's."""
    from emoflat.helptext import flowing, help_text

    out.blank()
    out.say(flowing(help_text().rstrip("\n")))
    out.blank()


def read_number(
    out: Output, wait: Wait, prompt: str, count: int, *, empty: int = 0, back: bool = False
) -> int | None:
    """A number from 1 to ``count`` typed by the user; ``empty`` for Enter alone (0: asked
    again); 0 for ``b`` when ``back``; ``None`` for ``q``; ``h`` shows the help."""
    while True:
        out.say(prompt)
        while (line := wait(None)) is None:
            pass
        word = line.strip().casefold()
        if word in COMMANDS_HELP:
            say_help(out)
            continue
        if word in COMMANDS_QUIT:
            return None
        if back and word in COMMANDS_BACK:
            return 0
        if not word and empty:
            return empty
        if word.isdigit() and 1 <= int(word) <= count:
            return int(word)
        out.say(f"{NOT_A_CHOICE_LINE} Type a number from 1 to {count}.")


class Questions:
    """The check-ins before and after a session, one question per line, none timed.

    Every answer goes to the recorder as it is given, so a run cut short during the
    questions still logs what was answered. The end of the input skips the rest.
    """

    def __init__(
        self, out: Output, wait: Wait, clock: Callable[[], float], *, full: bool = False
    ) -> None:
        self.out = out
        self.full = full
        """Every question, one after another; else the short check-in, more on request."""
        self.wait = wait
        self.clock = clock
        self.ended = False
        """The input ended: nothing more is asked."""

    def input_ended(self) -> bool:
        """Whether the input has ended (a method: a read may end it while a check is made)."""
        return self.ended

    def before(self, recorder: SessionRecorder) -> None:
        """The check-in before the session.

        Raises:
            Left: The user left with ``q``: no practice is started.
        """
        if self._ask_all(recorder, CheckInFlow("before", full=self.full)):
            raise Left

    def after(self, recorder: SessionRecorder, tags_offered: Sequence[str]) -> None:
        """The check-in after the session, "How was that for you?", tags and a note.

        ``q`` at a question keeps what was given and asks nothing more.
        """
        if self._ask_all(recorder, CheckInFlow("after", full=self.full, tags_offered=tags_offered)):
            self.out.blank()
            self.out.say(QUESTIONS_LEFT_LINE)

    def _ask_all(self, recorder: SessionRecorder, flow: CheckInFlow) -> bool:
        """Ask the flow's pages, a question a line, handing each answer to the recorder as
        it is given. Enter alone skips a question; ``b`` goes back a question, ``s`` skips
        the rest of the check-in, ``q`` leaves. After the short check-in's page, ``d``
        asks the other questions.

        Returns:
            Whether the user left with ``q``.
        """
        if flow.phase == "after":
            self.out.blank()
        self.out.say(HEADINGS[flow.phase])
        self.out.say(CHECKIN_INTRO_LINE)
        self.out.say(CHECKIN_KEYS_LINE)
        from_last = False  # after going back, the page is asked from its last question
        while not flow.done and not self.ended:
            go = self._ask_page(recorder, flow, from_last=from_last)
            from_last = False
            if self.input_ended():
                break  # what was given stays as it is
            if go is Go.LEAVE:
                flow.leave()
            elif go is Go.BACK:
                from_last = flow.back()
                if not from_last:
                    self.out.say(FIRST_QUESTION_LINE)
            elif go is not Go.SKIP_REST:  # skipping was done on the page
                from_last = self._page_done(flow)
            recorder.collect(**flow.collected())
        return flow.left

    def _ask_page(
        self, recorder: SessionRecorder, flow: CheckInFlow, *, from_last: bool = False
    ) -> Go | None:
        """The questions of the page on now, in order, each answer handed on as it is
        given; ``b`` on a later question of the page goes back to the one before it, ``s``
        skips the rest (the page's questions answered on the lines before stay). A
        :class:`Go` that leaves the page ends it early."""
        page = flow.page
        at = len(page) - 1 if from_last else 0
        while at < len(page):
            question = page[at]
            self.out.blank()
            self.out.say(QUESTIONS[question])
            answer = self._ask(flow, question)
            if self.input_ended():
                return None
            if answer is Go.BACK and at > 0:
                at -= 1
                continue
            if answer is Go.SKIP_REST and flow.skip():
                # What was given stays, on this page too: "unsettling" still offers grounding.
                self._unsettling()
            if isinstance(answer, Go):
                return answer
            flow.give(question, answer)
            recorder.collect(**flow.collected())
            at += 1
        return None

    def _page_done(self, flow: CheckInFlow) -> bool:
        """The page on now is answered: after "unsettling" offer grounding and help, then
        after the short check-in's page offer the other questions, and go on.

        Grounding comes first, before the offer of more questions, so it is checked here
        rather than taken from what :meth:`CheckInFlow.go_on` returns.

        Returns:
            Whether the user went back into the page (it is asked again, from its last
            question).
        """
        if "felt" in flow.page and flow.given["felt"] == UNSETTLING:
            self._unsettling()
        if flow.more_offered and flow.index == len(flow.pages) - 1 and not self.input_ended():
            wanted = self._more_wanted()
            if wanted is Go.BACK:
                return True
            if wanted is Go.LEAVE:
                flow.leave()
            elif wanted is True:
                flow.more()
            else:
                flow.go_on()
            return False
        flow.go_on()
        return False

    def _more_wanted(self) -> bool | Go:
        """After the short check-in's page: whether the user asks for the other questions
        (``d``), finishes (Enter alone, ``s``), goes back into the page or leaves."""
        self.out.blank()
        while True:
            word = self._line(MORE_OFFER_LINE).strip().casefold()
            if self.input_ended() or word in ("", *COMMANDS_SKIP):
                return False
            if word in ("d", "more"):
                return True
            if (go := command(word)) is not None:
                return go
            self.out.say(NOT_AN_OFFER_LINE)

    def _ask(self, flow: CheckInFlow, question: Question) -> Any:
        """One question: the answer (None: skipped) or a :class:`Go`."""
        if question == "feel":
            self.out.say(f"{FEEL_LOW}. {FEEL_HIGH}.")
            return self._feel()
        if question == "note":
            self.out.say(NOTE_PROMPT)
            return self._read()
        if question in ("words", "tags"):
            return self._many(flow.choices(question))
        return self._one(flow.choices(question))

    def _unsettling(self) -> None:
        while not self.ended:
            self.out.blank()
            if self._line(UNSETTLING_OFFER_LINE).strip().casefold() not in ("g", "grounding"):
                return
            self._ground()

    def _ground(self) -> None:
        self.out.blank()
        self.out.say(GROUNDING_STEP_LINE)
        self.out.say(GROUNDING_TEXT)
        countdown = Countdown(GROUNDING_SECONDS, now=self.clock)
        countdown.start()
        while not countdown.done:
            try:
                line = self.wait(countdown.remaining)
            except EOFError:
                self.ended = True
                return
            if line is not None:
                break
        self.out.say(GROUNDING_DONE_LINE)

    def _feel(self) -> int | Go | None:
        return self._number(FEEL_PROMPT, 0, FEEL_MAX, FEEL_AGAIN_LINE)

    def _one(self, choices: Sequence[str]) -> str | Go | None:
        self._list(choices)
        again = f"{NOT_A_CHOICE_LINE} Type a number from 1 to {len(choices)}."
        chosen = self._number(ONE_PROMPT, 1, len(choices), again)
        return choices[chosen - 1] if isinstance(chosen, int) else chosen

    def _number(self, prompt: str, lowest: int, highest: int, again: str) -> int | Go | None:
        """A number from ``lowest`` to ``highest``, a command, or ``None`` (nothing typed);
        asked again, saying ``again``, until it is one of these."""
        while True:
            word = self._line(prompt).strip()
            if not word:
                return None
            if (go := command(word)) is not None:
                return go
            if word.isdigit() and lowest <= int(word) <= highest:
                return int(word)
            self.out.say(again)

    def _many(self, choices: Sequence[str]) -> list[str] | Go:
        self._list(choices)
        while True:
            line = self._line(MANY_PROMPT)
            if (go := command(line.strip())) is not None:
                return go
            parts = line.replace(",", " ").split()
            if all(p.isdigit() and 1 <= int(p) <= len(choices) for p in parts):
                picked = {int(p) - 1 for p in parts}
                return [choice for i, choice in enumerate(choices) if i in picked]
            self.out.say(f"{NOT_IN_LIST_LINE} Use numbers from 1 to {len(choices)}.")

    def _list(self, choices: Sequence[str]) -> None:
        for number, choice in enumerate(choices, start=1):
            self.out.say(f"{number}. {choice}")

    def _line(self, prompt: str) -> str:
        """The line typed at ``prompt`` (``""`` once the input has ended); ``h`` (or
        ``help``) shows the help and asks again. Not for a box's text: there, ``h`` is h."""
        while True:
            self.out.say(prompt)
            line = self._read() or ""
            if line.strip().casefold() not in COMMANDS_HELP:
                return line
            say_help(self.out)

    def _read(self) -> str | None:
        """One line; ``None`` when the input has ended (the rest is then skipped)."""
        if self.ended:
            return None
        while True:
            try:
                line = self.wait(None)
            except EOFError:
                self.ended = True
                self.out.say(NO_MORE_ANSWERS_LINE)
                return None
            if line is not None:
                return line


class Go(Enum):
    """What a line typed at a question can ask for instead of an answer."""

    BACK = "back"  # b: back a question
    SKIP_REST = "skip"  # s: skip the rest of the check-in
    LEAVE = "leave"  # q: before, start nothing; after, keep what was given


def command(word: str) -> Go | None:
    word = word.casefold()
    if word in COMMANDS_BACK:
        return Go.BACK
    if word in COMMANDS_SKIP:
        return Go.SKIP_REST
    if word in COMMANDS_QUIT:
        return Go.LEAVE
    return None
