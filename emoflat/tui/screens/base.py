"""What every emoflat screen shares: the key legend at the foot, and a calm
"Make the window larger" in place of everything when the window is too small.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from emoflat.keys import EVERYWHERE, KeySpec, in_order
from emoflat.tui.widgets.legend import KeyLegend

if TYPE_CHECKING:
    from concurrent.futures import Future

    from emoflat.tui.app import EmoflatApp

#: Below this many columns or rows, screens show only :data:`TOO_SMALL`.
MIN_WIDTH = 40
MIN_HEIGHT = 12
#: Below this many rows, screens are "-short": less air around things.
ROOMY_HEIGHT = 18
TOO_SMALL = "Make the window larger to see emoflat. h: who to talk to."

T = TypeVar("T")


def too_small(size: Size) -> bool:
    """Whether a window of ``size`` is too small to show a screen whole."""
    return size.width < MIN_WIDTH or size.height < MIN_HEIGHT


def fit_to_window(screen: Screen[Any], size: Size) -> None:
    """Give the screen the classes for the window's size: ``-too-small``, ``-short``.

    At a roomy size no class is set at all, so nothing is restyled at start-up.
    """
    # The help reflows to any width and scrolls: who to talk to is never out of reach.
    readable = getattr(screen, "READS_AT_ANY_SIZE", False)
    screen.set_class(too_small(size) and not readable, "-too-small")
    screen.set_class(size.height < ROOMY_HEIGHT, "-short")


def compose_frame(screen: Screen[Any], body: ComposeResult) -> ComposeResult:
    """The too-small notice, the screen's own widgets, then the legend.

    The size classes are set first, so the widgets are styled once, for this size.
    """
    fit_to_window(screen, screen.app.size)
    yield Static(getattr(screen, "TOO_SMALL", TOO_SMALL), id="too-small", markup=False)
    yield from body
    yield KeyLegend(id="legend")


def follow_sound(screen: Screen[Any]) -> None:
    """Keep the screen's legend in step with the app's mute state."""
    app = cast("EmoflatApp", screen.app)
    legend = screen.query_one(KeyLegend)
    legend.sound_off = not app.sound_allowed

    def muted_changed(muted: bool) -> None:
        legend.muted = muted

    screen.watch(app, "muted", muted_changed)


def when_done(
    screen: Screen[Any], future: Future[T], callback: Callable[[Future[T]], None]
) -> None:
    """Call ``callback(future)`` on the app's thread once ``future`` is done.

    A read in a thread may end before the screen asks to hear of it; the future then calls
    back at once, on the app's own thread, where ``call_from_thread`` refuses to run.
    """
    app = screen.app
    app_thread = threading.get_ident()

    def done(finished: Future[T]) -> None:
        if threading.get_ident() == app_thread:
            callback(finished)
        else:
            app.call_from_thread(callback, finished)

    future.add_done_callback(done)


class _Framed:
    """What every emoflat screen and dialog shares: the frame, the legend, the fit."""

    app: Any

    def compose(self) -> ComposeResult:
        """The frame around :meth:`compose_body`."""
        yield from compose_frame(self, self.compose_body())  # type: ignore[arg-type]

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        yield from ()

    def on_mount(self) -> None:
        """Follow the app's mute state in the legend."""
        follow_sound(self)  # type: ignore[arg-type]

    def on_resize(self, event: events.Resize) -> None:
        """Fit the layout to the new window size."""
        fit_to_window(self, event.size)  # type: ignore[arg-type]

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """The window may have changed size while another screen was on top. This one was
        then laid out unseen, before its size classes changed; Textual does not lay it out
        again on its return, and the legend's rows follow ``-short``, which no CSS shows."""
        fit_to_window(self, self.app.size)  # type: ignore[arg-type]
        for legend in self.query(KeyLegend):  # type: ignore[attr-defined]
            legend.keys_changed(force=True)

    @property
    def emoflat(self) -> EmoflatApp:
        """The app, with its emoflat-specific attributes."""
        return cast("EmoflatApp", self.app)

    #: The keys this screen's legend shows (the keys that work everywhere are added).
    LEGEND: ClassVar[tuple[KeySpec, ...]] = ()

    def legend_keys(self) -> list[KeySpec]:
        """The keys that work here now, in the legend's order."""
        return in_order((*self.LEGEND, *EVERYWHERE))

    def legend_room(self) -> list[KeySpec]:
        """Every key the legend may show here (its height fits them all)."""
        return self.legend_keys()

    def legend_word(self, spec: KeySpec) -> str:
        """What ``spec`` does here now, in the legend (a toggle says what it would do)."""
        return spec.legend

    def refresh_legend(self) -> None:
        """Draw the legend again: which keys work has changed."""
        for legend in self.query(KeyLegend):  # type: ignore[attr-defined]
            legend.keys_changed()


class EmoflatScreen(_Framed, Screen[None]):
    """A full screen with the legend; subclasses yield their widgets from ``compose_body``."""


class EmoflatModal(_Framed, ModalScreen[bool]):
    """A dialog over a screen, with the same legend; it answers yes or no.

    A modal screen keeps the app's own bindings from its keys, so the keys that work
    everywhere (and are in the legend) are bound here again.
    """

    BINDINGS: ClassVar[list[BindingType]] = [spec.binding() for spec in EVERYWHERE]
