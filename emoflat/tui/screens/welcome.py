"""The first-run page (:mod:`emoflat.firstrun`): shown once, Enter goes on."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from emoflat import firstrun
from emoflat.keys import WELCOME_GO_ON
from emoflat.tui.screens.base import EmoflatScreen


class WelcomeScreen(EmoflatScreen):
    """What emoflat is and is not, where the data lives, the help key. Enter goes on."""

    CSS_PATH = "text_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [WELCOME_GO_ON.binding()]
    LEGEND = (WELCOME_GO_ON,)
    AUTO_FOCUS = "#text-scroll"

    def compose_body(self) -> ComposeResult:
        """The heading and the page."""
        yield Static(firstrun.HEADING, id="text-heading", markup=False)
        with VerticalScroll(id="text-scroll", can_focus=True):
            yield Static("\n\n".join(firstrun.welcome_lines()), id="text-body", markup=False)

    def on_mount(self) -> None:
        """Shown: not again."""
        firstrun.mark_shown()

    def action_go_on(self) -> None:
        """On to what the user asked for."""
        self.dismiss()
