"""After "unsettling": an offer of a 30-second grounding step and of the help screen,
nothing more. No questions, no alerts.

The grounding step is a calm, timed screen: a :class:`~emoflat.countdown.Countdown` on the
app's clock (a fake one in tests); space pauses it, and Enter, s or Escape ends it
whenever the user likes.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from emoflat.checkin import GROUNDING_SECONDS, GROUNDING_TEXT
from emoflat.countdown import Countdown
from emoflat.keys import GROUND, GROUNDING_END, GROUNDING_PAUSE, OFFER_GO_ON, KeySpec
from emoflat.log.durations import time_left_text
from emoflat.tui.screens.base import EmoflatScreen

THANKS = "Thank you for saying so. That can happen, and it is okay."
OFFER = (
    "If it would help, you could take 30 seconds to ground yourself, or see who you can talk to."
)
CHOICES = "g  ground for 30 seconds\nh  help: who to talk to\nEnter  go on"
GROUNDING_HEADING = "A moment to ground yourself"
GROUNDING_KEYS = "Enter ends this whenever you like · space pauses"
PAUSED = "Paused — press space to go on"
#: Seconds between looks at the clock: the time left is shown in calm, round steps.
TICK = 1.0


class UnsettledScreen(EmoflatScreen):
    """The offer after "unsettling": g grounds for 30 seconds, h helps, Enter goes on."""

    CSS_PATH = "grounding.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [GROUND.binding(), OFFER_GO_ON.binding()]
    LEGEND = (GROUND, OFFER_GO_ON)

    def compose_body(self) -> ComposeResult:
        """Thanks, the offer, and its keys."""
        with Vertical(id="offer-body"):
            yield Static(THANKS, id="offer-thanks", markup=False)
            yield Static(OFFER, id="offer-text", markup=False)
            yield Static(CHOICES, id="offer-choices", markup=False)

    def action_ground(self) -> None:
        """Start the grounding step; come back here when it ends."""
        self.app.push_screen(GroundingScreen())

    def action_go_on(self) -> None:
        """Back to the questions after the session."""
        self.dismiss()


class GroundingScreen(EmoflatScreen):
    """Thirty calm seconds: feet on the floor, three things you can see."""

    CSS_PATH = "grounding.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [GROUNDING_PAUSE.binding(), GROUNDING_END.binding()]
    LEGEND = (GROUNDING_PAUSE, GROUNDING_END)

    def __init__(self, seconds: float = GROUNDING_SECONDS) -> None:
        """A grounding step of ``seconds``, timed by the app's clock from when it shows.

        Args:
            seconds: How long it lasts.
        """
        super().__init__()
        self.seconds = seconds
        self.countdown: Countdown | None = None
        self._timer: Timer | None = None
        self._shown = ""
        self.ended = False
        """Whether the step has ended (its time ran out, or the user ended it)."""

    def compose_body(self) -> ComposeResult:
        """The heading, the one instruction, the time left and the keys."""
        with Vertical(id="grounding-body"):
            yield Static(GROUNDING_HEADING, id="grounding-heading", markup=False)
            yield Static(GROUNDING_TEXT, id="grounding-text", markup=False)
            yield Static("", id="grounding-left", markup=False)
            yield Static("", id="grounding-paused", markup=False)
            yield Static(GROUNDING_KEYS, id="grounding-keys", markup=False)

    def on_mount(self) -> None:
        """Start the countdown and one slow interval."""
        self.countdown = Countdown(self.seconds, now=self.emoflat.clock)
        self.countdown.start()
        self._timer = self.set_interval(TICK, self.tick, name="grounding-tick")
        self.tick()

    def tick(self) -> None:
        """Look at the clock: end when the time is up, else show the time left."""
        if self.ended or self.countdown is None:
            return
        if self.countdown.done:
            self.action_finish()
            return
        shown = time_left_text(self.countdown.remaining)
        if shown != self._shown:
            self._shown = shown
            self.query_one("#grounding-left", Static).update(shown)

    def action_toggle_pause(self) -> None:
        """Pause, or go on after a pause."""
        if self.ended or self.countdown is None:
            return
        self.countdown.toggle()
        paused = self.query_one("#grounding-paused", Static)
        paused.update(Content.styled(PAUSED, "bold reverse") if self.countdown.paused else "")
        paused.display = self.countdown.paused
        self.tick()
        self.refresh_legend()

    def legend_word(self, spec: KeySpec) -> str:
        """Space says "go on" while the grounding step is paused."""
        if spec is GROUNDING_PAUSE and self.countdown is not None and self.countdown.paused:
            return "go on"
        return super().legend_word(spec)

    def action_finish(self) -> None:
        """End the step (its time is up, or the user ended it)."""
        if self.ended:
            return
        self.ended = True
        if self._timer is not None:
            self._timer.stop()
        self.dismiss()
