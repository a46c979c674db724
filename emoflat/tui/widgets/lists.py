"""The practices' list, on Textual's ``OptionList`` (the sessions' list,
:mod:`.session_list`, is drawn the same way).

Text is plain (``markup=False``). The highlighted entry is drawn in reverse video, which
needs no colour and survives ``NO_COLOR``. Textual 8.2.8 drops ``text-style: reverse``
from an option's style (``Widget.get_visual_style`` keeps only bold, dim, italic,
underline and strike), so :class:`ReversedList` applies it to the highlighted option's lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style as RichStyle
from textual.binding import BindingType
from textual.content import Content
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from emoflat.keys import LIST_KEYS
from emoflat.library import Entry
from emoflat.tui.wording import SUGGESTED, grouped_entries, practice_length


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
