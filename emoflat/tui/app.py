"""The emoflat app: the flow between the picker, the check-in before a session, the
session, the questions after it, and its summary; the history; and the keys that work
everywhere (help, all keys, mute, quit).

The session's record is written once, when the questions after it are done (or skipped,
or the run is cut short): the recorder holds the answers as they are given.

:func:`build_app` is the one factory, used by :func:`emoflat.tui.run_tui` and by tests;
tests inject a fake clock, a fixed wall clock and a seeded random generator.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import BindingType
from textual.reactive import Reactive, reactive
from textual.screen import Screen

from emoflat.config import Config
from emoflat.errors import DataError
from emoflat.keys import EVERYWHERE, INTERRUPT, QUIT, check_keymap
from emoflat.tui import themes
from emoflat.tui.messages import BackToPicker, CheckInDone, PracticeChosen, SessionEnded

if TYPE_CHECKING:
    # Each screen loads when first used: the first frame needs only the first screen.
    from concurrent.futures import Future

    from emoflat.engine import ChimeEvent
    from emoflat.launch import LaunchOptions
    from emoflat.library import Library
    from emoflat.log.store import LogRead, LogWriteError
    from emoflat.recorder import SessionRecorder
    from emoflat.tui.screens.picker import PickerScreen
    from emoflat.tui.screens.session import SessionScreen
    from emoflat.tui.screens.summary import SessionSummary

#: Set to ``1`` to leave as soon as the first frame is drawn (``bench/bench_tui.py``).
EXIT_AFTER_FIRST_FRAME = "EMOFLAT_BENCH_EXIT_AFTER_FIRST_FRAME"
#: Textual's theme made of the terminal's own ANSI colours.
THEME = "ansi-dark"
#: The exit code for Ctrl+C outside a session (see the CLI contract).
INTERRUPTED = 130

Clock = Callable[[], float]
WallClock = Callable[[], datetime]
ChimeHandler = Callable[["ChimeEvent"], None]


def _local_now() -> datetime:
    return datetime.now().astimezone()


class EmoflatApp(App[int]):
    """emoflat's full-screen UI. Colours come from the terminal (ANSI theme)."""

    # Textual loads a screen's own CSS_PATH when it is pushed, but not the first screen's
    # (the default screen): that one comes with the app's (see __init__). The picker's
    # is always there, as a practice that cannot be opened falls back to the picker.
    CSS_PATH = ["app.tcss", "screens/picker.tcss"]  # noqa: RUF012 (as Textual declares it)
    TITLE = "emoflat"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        spec.binding() for spec in (*EVERYWHERE, INTERRUPT, QUIT)
    ]

    theme: Reactive[str] = Reactive(THEME)
    """The terminal's own colours, from the start: the stylesheet is built once for it."""
    muted: reactive[bool] = reactive(False)
    """Chimes are muted with m (for the rest of this run)."""

    def __init__(
        self,
        options: LaunchOptions,
        library: Library,
        *,
        clock: Clock = time.monotonic,
        wall: WallClock | None = None,
        rng: random.Random | None = None,
        on_chime: ChimeHandler | None = None,
        on_mute: Callable[[bool], object] | None = None,
        on_settings: Callable[[Config], object] | None = None,
        show_history: bool = False,
        reading: Future[LogRead] | None = None,
    ) -> None:
        """Use :func:`build_app`."""
        first = (
            ("screens/checkin.tcss" if options.checkin else "screens/session.tcss")
            if options.practice_id is not None
            else "screens/sessions.tcss"
            if show_history or options.history
            else None
        )
        super().__init__(css_path=[*self.CSS_PATH, *([first] if first else [])], ansi_color=True)
        self.options = options
        self.library = library
        self.sound_allowed = options.sound
        """False when sound is off for the whole run (``--no-sound`` or the settings)."""
        self.reduced_motion = options.reduced_motion
        if self.reduced_motion:
            self.animation_level = "none"
        self._clock = clock
        self._wall = wall
        self._rng = rng
        self._on_chime = on_chime
        self._on_mute = on_mute
        self._on_settings = on_settings
        self.recorder: SessionRecorder | None = None
        """The recorder of the current (or last) session."""
        self.log_errors: list[LogWriteError] = []
        """Sessions whose record could not be written to the log, to tell the user."""
        self._session_screen: SessionScreen | None = None
        self._picker: PickerScreen | None = None
        self._hurry = False
        self._show_history = show_history or options.history
        self._reading = reading
        self.config = options.config
        """The settings in force: those read at start, then as the settings screen sets them."""
        self.checkin = options.checkin
        """Whether the check-ins are asked (``--no-checkin``, then the settings)."""
        self.checkin_full = options.checkin_full
        """Every check-in question, not only the short check-in."""
        self.keymap: dict[str, str] = {}
        """The user's keys in use (``[keys]`` in the settings)."""
        self.problems: list[str] = []
        """What was wrong in the settings, a line each (shown on the picker)."""
        themes.register(self)
        self._apply_settings(options.config)
        if self._show_history and reading is None:
            from emoflat.log.store import start_reading

            # Read while Textual starts, so the history is drawn soon after the picker.
            self._reading = start_reading()

    def _apply_settings(self, config: Config) -> None:
        """Put ``config`` in force: keys, colours, motion; the problems found in it."""
        self.config = config
        self.keymap, key_problems = check_keymap(config.keys)
        self.set_keymap(self.keymap)
        theme_problem = themes.apply_theme(self, config.theme)
        self.problems = [
            *config.warnings,
            *key_problems,
            *([theme_problem] if theme_problem else []),
        ]

    def settings_changed(self, config: Config) -> None:
        """The settings screen set something: it is in force at once, everywhere."""
        self._apply_settings(config)
        self.sound_allowed = config.sound
        self.checkin = config.checkin != "off"
        self.checkin_full = config.checkin == "full"
        self.reduced_motion = config.reduced_motion or self.options.reduced_motion
        self.animation_level = "none" if self.reduced_motion else "full"
        if self._on_settings is not None:
            self._on_settings(config)
        if self._picker is not None:
            self._picker.set_asked_minutes(self.first_minutes)
        from emoflat.tui.widgets.legend import KeyLegend

        for screen in self.screen_stack:
            for legend in screen.query(KeyLegend):
                legend.sound_off = not self.sound_allowed
                legend.keys_changed(force=True)  # the user's keys may have moved

    @property
    def clock(self) -> Clock:
        """The monotonic clock every timed screen reads (a fake one in tests)."""
        return self._clock

    def today(self) -> date:
        """The user's local date now."""
        return (self._wall or _local_now)().date()

    # Starting --------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """The first screen: the practice asked for (``emoflat practice ID``), the history
        (``--history``), else the picker. The picker, once made, stays at the bottom of the
        stack; when the app opened on something else, the picker replaces it later."""
        if self.options.practice_id is not None:
            first = self.start_practice(self.options.practice_id, self.first_minutes)
            if first is not None:
                return first
        elif self._show_history:
            from emoflat.tui.screens.sessions import SessionsScreen

            reading, self._reading = self._reading, None
            return SessionsScreen(today=self.today(), reading=reading)
        return self._picker or self._new_picker()

    def _new_picker(self) -> PickerScreen:
        from emoflat.tui.screens.picker import PickerScreen

        self._picker = PickerScreen(self.library, asked_minutes=self.first_minutes)
        return self._picker

    @property
    def first_minutes(self) -> float | None:
        """The length chosen at first in the picker: ``--minutes``, else the settings'."""
        if self.options.minutes is not None:
            return self.options.minutes
        return float(self.config.minutes) if self.config.minutes else None

    def show_practices(self) -> None:
        """From the history the app opened on (``--history``), to the practices: the
        picker goes on top of it and stays there, as the bottom of everything after."""
        self.push_screen(self._picker or self._new_picker())

    async def back_to_practices(self) -> None:
        """Close what is above the picker; if the app opened without one, it replaces the
        one screen left."""
        while len(self.screen_stack) > 1 and self.screen is not self._picker:
            await self.pop_screen()
        if self.screen is not self._picker:
            await self._replace_top(self._picker or self._new_picker())

    async def _replace_top(self, screen: Screen[Any]) -> None:
        """Show ``screen`` in place of the top screen; the first screen the app opened on
        cannot be replaced (Textual keeps it as the stack's base), so it stays under."""
        if len(self.screen_stack) > 1:
            await self.switch_screen(screen)
        else:
            await self.push_screen(screen)

    def _above_picker(self) -> int:
        """How many screens are open above the picker (or above the first screen)."""
        stack = self.screen_stack
        if self._picker is None or self._picker not in stack:
            return len(stack) - 1
        return len(stack) - 1 - stack.index(self._picker)

    def on_mount(self) -> None:
        """``emoflat settings``: the settings over the picker. On the first run, the
        welcome page first, over whatever the app opened on."""
        if self.options.settings:
            from emoflat.tui.screens.settings import SettingsScreen

            self.push_screen(SettingsScreen())
        if self.options.welcome:
            from emoflat.tui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen())

    def on_ready(self) -> None:
        """For the start-up benchmark only: leave once the first frame is drawn."""
        if os.environ.get(EXIT_AFTER_FIRST_FRAME) == "1":
            self.exit(0)

    def start_practice(self, practice_id: str, minutes: float | None) -> Screen[Any] | None:
        """Load a practice and make its first screen (the check-in before it, or the
        session); a file that fails to load is named calmly on the picker instead.

        Args:
            practice_id: The practice to start.
            minutes: The length asked for, or ``None`` for its own.

        Returns:
            The first screen, or ``None`` when the practice could not be loaded.
        """
        from emoflat.recorder import SessionRecorder

        problem: str | None = None
        try:
            practice = self.library.load(practice_id)
        except KeyError:
            problem = f"No practice has the id “{practice_id}”. You can choose one here."
        except DataError as exc:
            problem = (
                "This practice could not be opened, so nothing was started. "
                f"Its file has a problem:\n{exc}\nYou can choose another practice."
            )
        if problem is not None:
            (self._picker or self._new_picker()).show_problem(problem)
            return None
        self.recorder = SessionRecorder(
            practice, minutes=minutes, now=self._clock, wall=self._wall, rng=self._rng
        )
        if self.checkin:
            from emoflat.tui.screens.checkin import CheckInScreen

            return CheckInScreen(self.recorder, phase="before", full=self.checkin_full)
        return self._new_session_screen(self.recorder)

    def _new_session_screen(self, recorder: SessionRecorder) -> SessionScreen:
        from emoflat.tui.screens.session import SessionScreen

        self._session_screen = SessionScreen(
            recorder, reduced_motion=self.reduced_motion, rng=self._rng
        )
        return self._session_screen

    def on_practice_chosen(self, message: PracticeChosen) -> None:
        """The picker chose: start it."""
        first = self.start_practice(message.practice_id, message.minutes)
        if first is not None:
            self.push_screen(first)

    # Ending ------------------------------------------------------------------------------

    @property
    def session_running(self) -> bool:
        """Whether a session has started and not yet ended."""
        return self.recorder is not None and self.recorder.started and not self.recorder.done

    def finish_session(self) -> LogWriteError | None:
        """Log the current session (once; later calls change nothing).

        Returns:
            The log write error to show, if the record could not be written.
        """
        if self.recorder is None:
            return None
        error = self.recorder.finish()
        if error is not None and error not in self.log_errors:
            self.log_errors.append(error)
        return error

    async def on_check_in_done(self, message: CheckInDone) -> None:
        """Before: start the session (or go back to the practices). After: log and sum up."""
        from emoflat.tui.screens.checkin import CheckInScreen

        if message.phase == "after":
            await self._finish_and_summarise()
            return
        if not isinstance(self.screen, CheckInScreen) or self.recorder is None:
            return
        if message.leave:
            self.recorder = None  # never started: nothing to log
            await self.back_to_practices()
        else:
            await self._replace_top(self._new_session_screen(self.recorder))

    async def on_session_ended(self, message: SessionEnded) -> None:
        """The session ended: ask the questions after it; or, with the check-ins off or
        after Ctrl+C, log it now and sum up."""
        from emoflat.tui.screens.checkin import CheckInScreen

        recorder = message.recorder
        recorder.end()
        hurry, self._hurry = self._hurry, False
        while self._above_picker() > 0 and self.screen is not self._session_screen:
            await self.pop_screen()
        self._session_screen = None
        if hurry or not self.checkin:
            await self._finish_and_summarise()
            return
        await self._replace_top(
            CheckInScreen(
                recorder,
                phase="after",
                full=self.checkin_full,
                tags_offered=self.config.all_context_tags,
            )
        )

    @property
    def answering_after(self) -> bool:
        """Whether a session has ended and the questions after it are still open."""
        recorder = self.recorder
        return recorder is not None and recorder.ended and not recorder.done

    async def _finish_and_summarise(self) -> None:
        """Log the session with what was given, then show its summary above the picker."""
        from emoflat.tui.screens.summary import SummaryScreen

        recorder = self.recorder
        if recorder is None:
            return
        error = self.finish_session()
        summary = self._summarise(recorder, error)
        while self._above_picker() > 1:
            await self.pop_screen()
        if self._above_picker() == 1:
            await self._replace_top(SummaryScreen(summary))
        else:
            await self.push_screen(SummaryScreen(summary))

    def _summarise(self, recorder: SessionRecorder, error: LogWriteError | None) -> SessionSummary:
        from emoflat.tui.screens.summary import SessionSummary

        record = recorder.record
        return SessionSummary(
            title=recorder.session.practice.title,
            completed=bool(record and record.completed),
            practiced_seconds=float(record.practiced_seconds or 0) if record else 0.0,
            day=record.started[:10] if record else None,
            problem=str(error) if error is not None else None,
        )

    async def on_back_to_picker(self, message: BackToPicker) -> None:
        """From the summary, back to the practices."""
        from emoflat.tui.screens.summary import SummaryScreen

        if isinstance(self.screen, SummaryScreen):
            await self.back_to_practices()

    # Keys that work everywhere -----------------------------------------------------------

    def action_help(self) -> None:
        """Open the help screen (or close it, if it is open)."""
        from emoflat.tui.screens.help import HelpScreen
        from emoflat.tui.screens.keys import KeysScreen

        self._toggle_page(HelpScreen, KeysScreen)

    def action_keys(self) -> None:
        """Open the list of all keys (or close it, if it is open)."""
        from emoflat.tui.screens.help import HelpScreen
        from emoflat.tui.screens.keys import KeysScreen

        self._toggle_page(KeysScreen, HelpScreen)

    def _toggle_page(self, wanted: type[Screen[Any]], other: type[Screen[Any]]) -> None:
        """Close ``wanted`` if it is open, take the place of ``other``, or open on top."""
        if isinstance(self.screen, wanted):
            self.pop_screen()
        elif isinstance(self.screen, other):
            self.switch_screen(wanted())
        else:
            self.push_screen(wanted())

    def action_settings(self) -> None:
        """Open the settings (from the picker)."""
        from emoflat.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def action_about(self) -> None:
        """Open "About feeling flat" (from the picker and the help screen)."""
        from emoflat.tui.screens.about import AboutScreen

        if isinstance(self.screen, AboutScreen):
            return
        from emoflat.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.switch_screen(AboutScreen())
        else:
            self.push_screen(AboutScreen())

    def preview_chime(self, sound: str) -> None:
        """Ring ``sound`` once, as the settings screen chooses it (unless sound is off)."""
        from emoflat.engine import ChimeEvent

        if not self.sound_allowed or self._on_chime is None:
            return
        try:
            self._on_chime(ChimeEvent(sound=sound, reason="start", at=0.0))
        except Exception as exc:
            self.log.warning(f"chime failed: {exc!r}")

    def action_mute(self) -> None:
        """Mute or unmute the chimes (when sound is on at all)."""
        if self.sound_allowed:
            self.muted = not self.muted

    def watch_muted(self, was_muted: bool, muted: bool) -> None:
        """Tell the audio side, so a chime still ringing stops too."""
        if self._on_mute is not None and was_muted != muted:
            try:
                self._on_mute(muted)
            except Exception as exc:
                self.log.warning(f"mute failed: {exc!r}")

    def action_history(self) -> None:
        """Show the sessions logged so far (from the picker and the summary)."""
        from emoflat.tui.screens.sessions import SessionsScreen

        if not isinstance(self.screen, SessionsScreen):
            reading, self._reading = self._reading, None  # a read started at launch, once
            self.push_screen(SessionsScreen(today=self.today(), reading=reading))

    async def action_interrupt(self) -> None:
        """Ctrl+C: in a session, end it at once and log it, with no more questions; after
        it, log what was given and sum up; elsewhere, quit (130)."""
        if (
            self._session_screen is not None
            and self.session_running
            and self.recorder is not None
            and not self.recorder.ended
        ):
            self._hurry = True
            self._session_screen.end_now()
        elif self.answering_after:
            await self._finish_and_summarise()
        else:
            self.exit(INTERRUPTED, return_code=INTERRUPTED)

    async def action_quit(self) -> None:
        """Quit; a running session ends and is kept."""
        self.finish_session()
        self.exit(0, return_code=0)

    def end_by_signal(self, signum: int) -> None:
        """SIGTERM, SIGHUP or SIGINT from outside: log the session at once, then leave.

        Args:
            signum: The signal received.
        """
        running = self.session_running
        self.finish_session()
        code = 0 if running else 128 + signum
        self.exit(code, return_code=code)

    # Chimes ---------------------------------------------------------------------------------

    def ring(self, events: list[ChimeEvent]) -> None:
        """Hand the latest due chime to the chime callback, unless muted or sound is off.

        After a late tick several may be due at once; only the latest rings. The callback
        can never break the UI: anything it raises is logged and dropped.
        """
        if not events or self.muted or not self.sound_allowed or self._on_chime is None:
            return
        try:
            self._on_chime(events[-1])
        except Exception as exc:
            self.log.warning(f"chime failed: {exc!r}")


def build_app(
    options: LaunchOptions,
    library: Library,
    *,
    clock: Clock = time.monotonic,
    wall: WallClock | None = None,
    rng: random.Random | None = None,
    on_chime: ChimeHandler | None = None,
    on_mute: Callable[[bool], object] | None = None,
    on_settings: Callable[[Config], object] | None = None,
    show_history: bool = False,
    reading: Future[LogRead] | None = None,
) -> EmoflatApp:
    """Build the app, for the CLI and for tests alike.

    Args:
        options: What ``emoflat practice`` was asked to do.
        library: The practices to offer.
        clock: A monotonic clock in seconds (tests pass a fake one).
        wall: The local wall clock (default: the system's, with its UTC offset).
        rng: Chooses ``pick`` texts and the breath visual's drift (seed it in tests).
        on_chime: Called with each chime due (latest only after a late tick).
        on_mute: Called with the new state when the user mutes or unmutes.
        on_settings: Called with the settings when the settings screen changes them.
        show_history: Open the history over the picker at once (as ``--history`` does).
        reading: A read of the log's index already started, for the history.
    """
    return EmoflatApp(
        options,
        library,
        clock=clock,
        wall=wall,
        rng=rng,
        on_chime=on_chime,
        on_mute=on_mute,
        on_settings=on_settings,
        show_history=show_history,
        reading=reading,
    )
