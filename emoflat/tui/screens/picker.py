"""The picker: every practice with its summary, length and tags; ``/`` to search; choose
a length with ← and →; Enter starts.

The search is a box like every other: once in it, every key typed goes into it (``m``
does not mute, ``q`` does not quit) until Enter starts the practice highlighted or
Escape clears the search; ↑ and ↓ still move through the practices found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static

from emoflat.keys import (
    ABOUT,
    AGAIN,
    CHOOSE,
    CLEAR_SEARCH,
    HISTORY,
    LENGTH,
    LIST_KEYS,
    LONGER,
    PICKER_QUIT,
    SEARCH,
    SETTINGS,
    SHORTER,
    START,
    KeySpec,
    in_order,
)
from emoflat.library import Entry, Library
from emoflat.log.durations import about_minutes
from emoflat.text import one_line, printable
from emoflat.tui.messages import PracticeChosen
from emoflat.tui.screens.base import EmoflatScreen, when_done
from emoflat.tui.widgets.lists import PracticeList
from emoflat.tui.wording import (
    SUGGESTED_ID,
    LengthChoice,
    again_minutes,
    default_choice,
    length_choices,
    matches,
    practice_length,
)

if TYPE_CHECKING:
    from concurrent.futures import Future

    from emoflat.log.store import LogRead

HEADING = "Choose a practice"
SEARCH_HINT = "Press / to search"
NO_MATCH = "No practice matches this search. Escape clears it."
SKIPPED = "Some practice files have problems and are not listed; 'emoflat list' names them."


class SearchBox(Input):
    """The search: a box like every other, with ↑ and ↓ moving through the practices found
    and Escape clearing it (the list's own keys, from the one key table)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(spec.binding() for spec in LIST_KEYS[:2]),
        CLEAR_SEARCH.binding(),
    ]

    def action_cursor_up(self) -> None:
        """The practice found before."""
        self.screen.query_one(PracticeList).action_cursor_up()

    def action_cursor_down(self) -> None:
        """The next practice found."""
        self.screen.query_one(PracticeList).action_cursor_down()

    def action_clear_search(self) -> None:
        """Clear the search and leave the box."""
        cast("PickerScreen", self.screen).action_clear_search()


class PickerScreen(EmoflatScreen):
    """Choose a practice and its length."""

    CSS_PATH = "picker.tcss"
    AUTO_FOCUS = "#practices"
    BINDINGS: ClassVar[list[BindingType]] = [
        spec.binding()
        for spec in (START, LONGER, SHORTER, SEARCH, AGAIN, HISTORY, SETTINGS, ABOUT, PICKER_QUIT)
    ]
    LEGEND = (START, CHOOSE, SEARCH, HISTORY, SETTINGS, ABOUT, PICKER_QUIT)

    def __init__(self, library: Library, *, asked_minutes: float | None = None) -> None:
        """Offer the library's practices.

        Args:
            library: The practices to offer.
            asked_minutes: A length given with ``--minutes``, offered and chosen first.
        """
        super().__init__()
        self._library = library
        self._asked = asked_minutes
        self._entries = library.entries
        self._choices: dict[str, int] = {}
        self._problem: str | None = None
        self._new_user = False
        """No session logged yet: the picker suggests where to start."""
        self._again: tuple[Entry, float | None] | None = None
        """The last practice logged and its length (minutes, ``None``: its own), for r."""

    def compose_body(self) -> ComposeResult:
        """Heading, search box, the list, and the chosen length."""
        with Vertical(id="picker-body"):
            yield Static(HEADING, id="picker-heading", markup=False)
            search = SearchBox(placeholder=SEARCH_HINT, id="search", select_on_focus=False)
            search.cursor_blink = False
            yield search
            yield Static("", id="picker-problem", markup=False)
            yield Static("", id="picker-settings", markup=False)
            yield Static("", id="again", markup=False)
            yield PracticeList(id="practices")
            yield Static(NO_MATCH, id="no-match", markup=False)
            yield Static("", id="length", markup=False)
            if self._library.problems:
                yield Static(SKIPPED, id="skipped", markup=False)

    def on_mount(self) -> None:
        """Highlight the first practice, show its length, and read the log for "again"
        (once the practices are drawn: the log's reader is not loaded before)."""
        self._show_problem()
        self._show_settings_problems()
        self._refilter("")
        self.call_after_refresh(self._read_log)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Back from a practice: it is the one to offer again, and the search that found it
        is cleared (its box would take ``r`` and ``q`` as text)."""
        super().on_screen_resume(event)
        search = self.query_one("#search", Input)
        if search.value or self.focused is search:
            self.action_clear_search()
        self._show_settings_problems()
        self._read_log()

    def set_asked_minutes(self, minutes: float | None) -> None:
        """A new length to choose at first (the settings changed it)."""
        if minutes != self._asked:
            self._asked = minutes
            self._choices.clear()
            if self.is_mounted:
                self._show_length()

    def _read_log(self) -> None:
        from emoflat.log.store import start_reading

        when_done(self, start_reading(), self._log_read)

    def _log_read(self, reading: Future[LogRead]) -> None:
        """The last practice and length to offer again; for a new user, where to start."""
        if not self.is_attached or reading.exception() is not None:
            return
        sessions = reading.result().sessions
        by_id = {entry.id: entry for entry in self._entries}
        self._new_user = not sessions
        self._again = None
        if sessions:
            last = sessions[0].record
            entry = by_id.get(last.practice or "")
            if entry is not None:
                self._again = (entry, again_minutes(entry, last.planned_seconds))
        again = self.query_one("#again", Static)
        again.display = self._again is not None
        if self._again is not None:
            entry, minutes = self._again
            length = (
                about_minutes(minutes * 60)
                if minutes
                else practice_length(entry.seconds, entry.untimed_steps)
            )
            again.update(f"r: again, “{one_line(entry.title)}”, {length}")
        self._refilter(self.query_one("#search", Input).value, force=True)

    def _show_settings_problems(self) -> None:
        problems = self.emoflat.problems
        box = self.query_one("#picker-settings", Static)
        box.display = bool(problems)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            box.update(f"Settings: {one_line(problems[0])}{more}. o opens the settings.")

    # The list -----------------------------------------------------------------------

    def _refilter(self, query: str, *, force: bool = False) -> None:
        shown = [e for e in self._entries if matches(e, query)]
        practices = self.query_one(PracticeList)
        if force or [e.id for e in shown] != [e.id for e in practices.entries]:
            whole = not query.strip()  # the whole list: grouped, with a suggestion if new
            suggested = next(
                (e for e in self._entries if e.id == SUGGESTED_ID and self._new_user), None
            )
            practices.set_entries(shown, grouped=whole, suggested=suggested if whole else None)
        practices.display = bool(shown)
        self.query_one("#no-match").display = not shown
        self._show_length()

    @property
    def highlighted_entry(self) -> Entry | None:
        """The practice under the cursor, if any."""
        return self.query_one(PracticeList).highlighted_entry

    def _choices_for(self, entry: Entry) -> tuple[list[LengthChoice], int]:
        choices = length_choices(entry, self._asked)
        if entry.id not in self._choices:
            self._choices[entry.id] = default_choice(choices, self._asked)
        return choices, self._choices[entry.id]

    def chosen_length(self) -> LengthChoice | None:
        """The length chosen for the highlighted practice."""
        entry = self.highlighted_entry
        if entry is None:
            return None
        choices, index = self._choices_for(entry)
        return choices[index]

    def _show_length(self) -> None:
        self.refresh_legend()
        length = self.query_one("#length", Static)
        entry = self.highlighted_entry
        if entry is None:
            length.update("")
            return
        choices, index = self._choices_for(entry)
        text = f"Length: {choices[index].label}"
        if len(choices) > 1:
            text += " · ←/→ other lengths"
        length.update(text)

    @on(OptionList.OptionHighlighted, "#practices")
    def _highlighted(self) -> None:
        self._show_length()

    @on(OptionList.OptionSelected, "#practices")
    def _selected(self) -> None:
        self.action_start()

    # Search -------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._refilter(event.value)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.action_start()

    def on_key(self, event: events.Key) -> None:
        """In the search box ↑ and ↓ move through the practices found, Escape clears the
        search; every other key is the box's."""
        if self.focused is not self.query_one("#search", Input):
            return
        if event.key in ("up", "down"):
            event.stop()
            event.prevent_default()
            practices = self.query_one(PracticeList)
            if event.key == "up":
                practices.action_cursor_up()
            else:
                practices.action_cursor_down()
        elif event.key == "escape":
            event.stop()
            event.prevent_default()
            self.action_clear_search()

    def action_clear_search(self) -> None:
        """Clear the search and leave its box."""
        self.query_one("#search", Input).value = ""
        self._refilter("")  # now, so the list is back before it takes the focus
        self._focus_list()

    def legend_keys(self) -> list[KeySpec]:
        """In the search box only what works there; else the picker's keys."""
        if self.focused is self.query_one("#search", Input):
            if self.highlighted_entry is None:  # nothing found: nothing to start or choose
                return [CLEAR_SEARCH]
            return in_order((START, CHOOSE, CLEAR_SEARCH))
        entry = self.highlighted_entry
        lengths = entry is not None and len(self._choices_for(entry)[0]) > 1
        extra = [*([LENGTH] if lengths else []), *([AGAIN] if self._again else [])]
        return in_order((*self.LEGEND, *extra, *super().legend_keys()))

    def action_again(self) -> None:
        """The last practice again, at the length it had (r)."""
        if self._again is not None:
            entry, minutes = self._again
            self.show_problem(None)
            self.post_message(PracticeChosen(entry.id, minutes))

    def on_descendant_focus(self) -> None:
        """The legend follows the focus in and out of the search box."""
        self.refresh_legend()

    def on_descendant_blur(self) -> None:
        """The legend follows the focus in and out of the search box."""
        self.refresh_legend()

    def _focus_list(self) -> None:
        practices = self.query_one(PracticeList)
        if practices.display:
            self.set_focus(practices)
        else:
            self.set_focus(None)

    # Actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the search box, / is a character like any other."""
        return not (action == "search" and self.focused is self.query_one("#search", Input))

    def action_search(self) -> None:
        """Move to the search box."""
        self.set_focus(self.query_one("#search", Input))

    def action_length(self, step: int) -> None:
        """Choose the next longer (1) or shorter (-1) length for the highlighted practice."""
        entry = self.highlighted_entry
        if entry is None:
            return
        choices, index = self._choices_for(entry)
        self._choices[entry.id] = min(max(index + step, 0), len(choices) - 1)
        self._show_length()

    def on_click(self, event: events.Click) -> None:
        """A click on the length line chooses the next length, round and round."""
        if event.widget is None or event.widget.id != "length":
            return
        entry = self.highlighted_entry
        if entry is not None:
            choices, index = self._choices_for(entry)
            self._choices[entry.id] = (index + 1) % len(choices)
            self._show_length()

    def action_start(self) -> None:
        """Start the highlighted practice at the chosen length."""
        entry = self.highlighted_entry
        length = self.chosen_length()
        if entry is None or length is None:
            return
        self.show_problem(None)
        self.post_message(PracticeChosen(entry.id, length.minutes))

    def show_problem(self, text: str | None) -> None:
        """Show (or clear) a calm note about a practice that could not be opened."""
        self._problem = text
        if self.is_mounted:
            self._show_problem()

    def _show_problem(self) -> None:
        problem = self.query_one("#picker-problem", Static)
        problem.update(printable(self._problem or ""))
        problem.display = bool(self._problem)
