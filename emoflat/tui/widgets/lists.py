"""The two lists, on Textual's ``OptionList``: the practices, and the sessions logged.

Text is plain (``markup=False``). The highlighted entry is drawn in reverse video, which
needs no colour and survives ``NO_COLOR``. Textual 8.2.8 drops ``text-style: reverse``
from an option's style (``Widget.get_visual_style`` keeps only bold, dim, italic,
underline and strike), so :class:`ReversedList` applies it to the highlighted option's lines.
A long log is listed a batch at a time, as the cursor nears the end, so 20,000 sessions
show as fast as twenty.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style as RichStyle
from textual.binding import BindingType
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from emoflat.keys import LIST_KEYS
from emoflat.library import Entry
from emoflat.log.render import WIDE, session_lines
from emoflat.log.store import Session
from emoflat.tui.wording import SUGGESTED, grouped_entries, practice_length

#: Sessions added to the list at a time.
BATCH = 500


def practice_details(entry: Entry) -> str:
    """The length and tags line of a practice."""
    text = practice_length(entry.seconds, entry.untimed_steps)
    return text + (" · " + ", ".join(entry.tags) if entry.tags else "")


_REVERSE = RichStyle(reverse=True)


class ReversedList(OptionList, inherit_bindings=False):
    """An option list whose highlighted option is drawn in reverse video."""

    BINDINGS: ClassVar[list[BindingType]] = [key.binding() for key in LIST_KEYS]

    def render_line(self, y: int) -> Strip:
        """The line, reversed when it belongs to the highlighted option (not a separator)."""
        strip = super().render_line(y)
        segments = list(strip)
        meta = segments[0].style.meta if segments and segments[0].style else {}
        if self.highlighted is not None and meta.get("option") == self.highlighted:
            return strip.apply_style(_REVERSE)
        return strip


class PracticeList(ReversedList):
    """The practices, each as its title (bold), its summary, and its length and tags;
    under headings of what they are for, with a suggested first practice on top if any."""

    def __init__(self, entries: Sequence[Entry] = (), *, id: str | None = None) -> None:
        """List ``entries``, the first highlighted."""
        super().__init__(id=id, markup=False, compact=True)
        self.entries: list[Entry] = []
        self._at: list[Entry | None] = []
        self.set_entries(entries)

    def set_entries(
        self, entries: Sequence[Entry], *, grouped: bool = False, suggested: Entry | None = None
    ) -> None:
        """List these practices instead, the first one highlighted: under their groups'
        headings (``grouped``), after ``suggested`` under a heading of its own."""
        self.entries = list(entries)
        sections: list[tuple[str | None, list[Entry]]] = (
            [(heading, list(found)) for heading, found in grouped_entries(self.entries)]
            if grouped
            else [(None, self.entries)]
        )
        if suggested is not None:
            sections.insert(0, (SUGGESTED, [suggested]))
        options: list[Option | None] = []
        self._at = []
        for heading, found in sections:
            if heading:
                if options:
                    options.append(None)
                options.append(Option(Content.styled(heading, "bold underline"), disabled=True))
                self._at.append(None)
            for entry in found:
                if options and options[-1] is not None and not options[-1].disabled:
                    options.append(None)
                prompt = Content.assemble(
                    (entry.title, "bold"), "\n", entry.summary, "\n", practice_details(entry)
                )
                number = len(self._at)
                options.append(Option(prompt, id=f"{number}:{entry.id}"))
                self._at.append(entry)
        self.set_options(options)
        self.highlighted = next((i for i, e in enumerate(self._at) if e is not None), None)

    @property
    def highlighted_entry(self) -> Entry | None:
        """The practice under the cursor, if any."""
        return None if self.highlighted is None else self._at[self.highlighted]

    def plain_lines(self) -> list[str]:
        """Every practice as plain lines (for tests and screen readers)."""
        return [line for e in self.entries for line in (e.title, e.summary, practice_details(e))]


class _SessionRow(Visual):
    """One session, laid out for the width it is drawn at: one line when wide, two when not."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        """The session's lines at ``width``."""
        return [
            strip
            for line in session_lines(self.session, width)
            for strip in Content(line).render_strips(width, 1, style, options)
        ]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """As wide as the list."""
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        """One line when wide, two when narrow."""
        return 1 if width >= WIDE else 2


class SessionList(ReversedList):
    """The sessions logged, newest first."""

    def __init__(self, sessions: Sequence[Session], *, id: str | None = None) -> None:
        """List ``sessions`` (newest first), the newest highlighted."""
        super().__init__(id=id, markup=False, compact=True)
        self.sessions = sessions
        self._more()
        self.highlighted = 0 if sessions else None

    def _more(self, count: int = BATCH) -> None:
        start = self.option_count
        self.add_options(Option(_SessionRow(s)) for s in self.sessions[start : start + count])

    def watch_highlighted(self, highlighted: int | None) -> None:
        """Near the end of what is listed, list the next batch."""
        if highlighted is not None and highlighted + BATCH // 5 >= self.option_count:
            self._more()
        super().watch_highlighted(highlighted)

    def action_last(self) -> None:
        """The oldest session (everything is listed first)."""
        self._more(len(self.sessions))
        super().action_last()

    @property
    def highlighted_session(self) -> Session | None:
        """The session under the cursor, if any."""
        return None if self.highlighted is None else self.sessions[self.highlighted]

    def plain_lines(self, start: int = 0, count: int = 10, width: int = 80) -> list[str]:
        """Sessions ``start`` to ``start + count`` as plain lines at ``width``, as drawn."""
        return [
            line for s in self.sessions[start : start + count] for line in session_lines(s, width)
        ]
