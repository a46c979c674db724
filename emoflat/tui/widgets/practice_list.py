"""The picker's list of practices: title, summary, then length and tags, one after another.

A line-API widget: the lines are wrapped once per width and drawn a line at a time, so
a long library costs little to show (the first frame is part of the app's launch time).
All text is drawn as plain text, never markup. The highlighted practice is drawn in
reverse video, which needs no colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from emoflat.library import Entry
from emoflat.tui.wording import length_text

BOLD = Style(bold=True)
HIGHLIGHT = Style(reverse=True)
RULE = "─"


class _Line(NamedTuple):
    entry: int | None
    """The index of the practice the line belongs to; ``None`` between practices."""
    text: str
    bold: bool = False


def details(entry: Entry) -> str:
    """The length and tags line of a practice."""
    text = length_text(entry.seconds, entry.untimed_steps)
    if entry.tags:
        text += " · " + ", ".join(entry.tags)
    return text


def wrap(text: str, width: int) -> list[str]:
    """Wrap plain text to ``width`` cells at spaces (long words are cut)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0
        for word in paragraph.split():
            size = cell_len(word)
            while size > width:  # a word longer than the line: cut it
                if line:
                    lines.append(line)
                    line, used = "", 0
                cut = width
                while cell_len(word[:cut]) > width:
                    cut -= 1
                lines.append(word[: max(cut, 1)])
                word = word[max(cut, 1) :]
                size = cell_len(word)
            if not word:
                continue
            if line and used + 1 + size > width:
                lines.append(line)
                line, used = "", 0
            line, used = (f"{line} {word}", used + 1 + size) if line else (word, size)
        lines.append(line)
    return lines


class PracticeList(ScrollView, can_focus=True):
    """The practices, each as its title (bold), its summary, and its length and tags."""

    DEFAULT_CSS = """
    PracticeList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "previous practice", show=False, id="list-up"),
        Binding("down", "move(1)", "next practice", show=False, id="list-down"),
        Binding("home", "first", "first practice", show=False, id="list-first"),
        Binding("end", "last", "last practice", show=False, id="list-last"),
        Binding("pageup", "page(-1)", "a page up", show=False, id="list-page-up"),
        Binding("pagedown", "page(1)", "a page down", show=False, id="list-page-down"),
    ]

    highlighted: reactive[int | None] = reactive(None, init=False)
    """The index of the practice under the cursor."""

    class Highlighted(Message):
        """Another practice is under the cursor."""

        def __init__(self, entry: Entry | None) -> None:
            """Say which practice is highlighted.

            Args:
                entry: The practice now highlighted, if any.
            """
            super().__init__()
            self.entry = entry

    class Selected(Message):
        """The highlighted practice was clicked again: start it."""

        def __init__(self, entry: Entry) -> None:
            """Say which practice was chosen.

            Args:
                entry: The practice chosen.
            """
            super().__init__()
            self.entry = entry

    def __init__(self, entries: Sequence[Entry] = (), *, id: str | None = None) -> None:
        """List the practices.

        Args:
            entries: The practices to list, in order.
            id: The widget's id.
        """
        super().__init__(id=id)
        self._entries = list(entries)
        self._lines: list[_Line] = []
        self._spans: list[tuple[int, int]] = []
        self._width = 0
        self._strips: dict[tuple[int, bool, int], Strip] = {}
        self._base: Style | None = None
        self.set_reactive(PracticeList.highlighted, 0 if self._entries else None)

    # The practices ---------------------------------------------------------------------

    @property
    def entries(self) -> list[Entry]:
        """The practices listed, in order."""
        return list(self._entries)

    @property
    def highlighted_entry(self) -> Entry | None:
        """The practice under the cursor, if any."""
        index = self.highlighted
        return self._entries[index] if index is not None else None

    def set_entries(self, entries: Sequence[Entry]) -> None:
        """List these practices instead, with the first one highlighted."""
        self._entries = list(entries)
        self._width = 0
        self._layout()
        self.scroll_home(animate=False)
        self.highlighted = 0 if self._entries else None
        self.refresh()

    def plain_lines(self) -> list[str]:
        """Every line of the list as plain text (for tests and screen readers)."""
        self._layout()
        return [line.text for line in self._lines]

    # Layout and drawing ------------------------------------------------------------------

    def _layout(self) -> None:
        width = max(self.scrollable_content_region.width - 2, 10)
        if width == self._width and self._lines:
            return
        self._width = width
        lines: list[_Line] = []
        spans: list[tuple[int, int]] = []
        for index, entry in enumerate(self._entries):
            if index:
                lines.append(_Line(None, RULE * width))
            start = len(lines)
            lines.extend(_Line(index, text, True) for text in wrap(entry.title, width))
            lines.extend(_Line(index, text) for text in wrap(entry.summary, width))
            lines.extend(_Line(index, text) for text in wrap(details(entry), width))
            spans.append((start, len(lines)))
        self._lines, self._spans = lines, spans
        self._strips.clear()
        self.virtual_size = Size(width + 2, len(lines))

    def on_resize(self, event: events.Resize) -> None:
        """Wrap the lines again for the new width."""
        self._layout()
        self._show_highlighted()

    def notify_style_update(self) -> None:
        """The styles changed: draw the lines afresh."""
        super().notify_style_update()
        self._strips.clear()
        self._base = None

    def render_line(self, y: int) -> Strip:
        """One line of the list, with the highlighted practice in reverse video."""
        if y == 0 or not self._lines:
            self._layout()  # once a pass: a scrollbar coming or going changes the width
        if self._base is None:
            self._base = self.rich_style
        base = self._base
        width = self._width + 2
        index = self.scroll_offset.y + y
        if index >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[index]
        lit = line.entry is not None and line.entry == self.highlighted
        key = (index, lit, width)
        strip = self._strips.get(key)
        if strip is None:
            style = base + BOLD if line.bold else base
            if lit:
                style += HIGHLIGHT
            text = f" {line.text} " if line.entry is not None else f" {line.text}"
            strip = Strip([Segment(text, style)]).crop_extend(0, width, style)
            self._strips[key] = strip
        return strip

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        """Redraw, keep the highlighted practice in view, and say which it is."""
        self.refresh()
        self._show_highlighted()
        self.post_message(self.Highlighted(self.highlighted_entry))

    def _show_highlighted(self) -> None:
        if self.highlighted is None or self.highlighted >= len(self._spans):
            return
        start, end = self._spans[self.highlighted]
        width = self.scrollable_content_region.width
        self.scroll_to_region(Region(0, start, width, end - start), animate=False, force=True)

    # Keys and the mouse ---------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        """Highlight the next (1) or previous (-1) practice."""
        if self._entries:
            current = self.highlighted or 0
            self.highlighted = min(max(current + step, 0), len(self._entries) - 1)

    def action_first(self) -> None:
        """Highlight the first practice."""
        if self._entries:
            self.highlighted = 0

    def action_last(self) -> None:
        """Highlight the last practice."""
        if self._entries:
            self.highlighted = len(self._entries) - 1

    def action_page(self, direction: int) -> None:
        """Move about a screenful of practices."""
        if not self._spans:
            return
        per_page = max(1, self.size.height // max(1, len(self._lines) // len(self._spans)))
        self.action_move(direction * per_page)

    def on_click(self, event: events.Click) -> None:
        """A click highlights a practice; a click on the highlighted one starts it."""
        index = self.scroll_offset.y + event.y
        if not 0 <= index < len(self._lines):
            return
        entry = self._lines[index].entry
        if entry is None:
            return
        if entry == self.highlighted:
            self.post_message(self.Selected(self._entries[entry]))
        else:
            self.highlighted = entry
