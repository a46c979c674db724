"""The history's list of sessions, newest first: only the lines on screen are ever made.

A line-API widget over the log's index: a session's words are worked out when its line
is first drawn, so a log of 100,000 sessions shows as fast as one of ten. The session
under the cursor is drawn in reverse video, which needs no colour. Plain text only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from emoflat.tui.history_view import WIDE, SessionRow, session_row

if TYPE_CHECKING:
    from emoflat.logindex import LogIndex

HIGHLIGHT = Style(reverse=True)
#: Sessions whose words are kept; more are made again when scrolled back to.
CACHED_ROWS = 1000


class SessionList(ScrollView, can_focus=True):
    """The sessions of a log index, one or two lines each, newest first."""

    DEFAULT_CSS = """
    SessionList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "session before", show=False, id="sessions-up"),
        Binding("down", "move(1)", "next session", show=False, id="sessions-down"),
        Binding("home", "first", "newest session", show=False, id="sessions-first"),
        Binding("end", "last", "oldest session", show=False, id="sessions-last"),
        Binding("pageup", "page(-1)", "a page up", show=False, id="sessions-page-up"),
        Binding("pagedown", "page(1)", "a page down", show=False, id="sessions-page-down"),
    ]

    cursor: reactive[int] = reactive(0, init=False)
    """The position (0 = newest) of the session under the cursor."""

    class Selected(Message):
        """Enter or a second click on a session: show all of it."""

        def __init__(self, row: int) -> None:
            """Say which session.

            Args:
                row: The session's row in the log's index.
            """
            super().__init__()
            self.row = row

    def __init__(self, index: LogIndex, *, id: str | None = None) -> None:
        """List the sessions of ``index``, newest first.

        Args:
            index: The log's index.
            id: The widget's id.
        """
        super().__init__(id=id)
        self.index = index
        self._rows = index.rows
        self._words: dict[int, SessionRow] = {}
        self._strips: dict[tuple[int, int, bool], Strip] = {}
        self._base: Style | None = None

    # Layout --------------------------------------------------------------------------

    @property
    def count(self) -> int:
        """How many sessions are listed."""
        return len(self._rows)

    @property
    def line_width(self) -> int:
        """The width the lines are made for."""
        return max(self.scrollable_content_region.width, 20)

    @property
    def per_session(self) -> int:
        """Lines per session at this width: one when wide, two when narrow."""
        return 1 if self.line_width >= WIDE else 2

    def _layout(self) -> None:
        self.virtual_size = Size(self.line_width, self.count * self.per_session)

    def on_mount(self) -> None:
        """Size the list for its sessions."""
        self._layout()

    def on_resize(self, event: events.Resize) -> None:
        """Lines are made afresh for the new width."""
        self._strips.clear()
        self._layout()
        self._show_cursor()

    def notify_style_update(self) -> None:
        """The styles changed: draw the lines afresh."""
        super().notify_style_update()
        self._strips.clear()
        self._base = None

    def session_words(self, position: int) -> SessionRow:
        """The words of the session at ``position`` (0 = newest)."""
        words = self._words.get(position)
        if words is None:
            if len(self._words) >= CACHED_ROWS:
                self._words.clear()
            words = self._words[position] = session_row(self.index, self._rows[position])
        return words

    def plain_lines(self, start: int = 0, count: int = 10) -> list[str]:
        """The lines of sessions ``start`` to ``start + count`` as plain text, as drawn."""
        lines: list[str] = []
        for position in range(start, min(start + count, self.count)):
            lines += self.session_words(position).lines(self.line_width)
        return lines

    def render_line(self, y: int) -> Strip:
        """One line: part of a session, the one under the cursor in reverse video."""
        if self._base is None:
            self._base = self.rich_style
        base = self._base
        width = self.line_width
        line = self.scroll_offset.y + y
        per = self.per_session
        position, part = divmod(line, per)
        if position >= self.count:
            return Strip.blank(width, base)
        lit = position == self.cursor
        key = (line, width, lit)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) >= CACHED_ROWS:
                self._strips.clear()
            text = self.session_words(position).lines(width)[part]
            style = base + HIGHLIGHT if lit else base
            strip = Strip([Segment(text, style)]).crop_extend(0, width, style)
            self._strips[key] = strip
        return strip

    # The cursor ------------------------------------------------------------------------

    @property
    def selected_row(self) -> int | None:
        """The log index row of the session under the cursor, if any."""
        return self._rows[self.cursor] if self.count else None

    def watch_cursor(self, old: int, new: int) -> None:
        """Redraw and keep the session under the cursor in view."""
        self.refresh()
        self._show_cursor()

    def _show_cursor(self) -> None:
        if not self.count:
            return
        per = self.per_session
        region = Region(0, self.cursor * per, self.line_width, per)
        self.scroll_to_region(region, animate=False, force=True)

    def action_move(self, step: int) -> None:
        """The next (1) or previous (-1) session."""
        if self.count:
            self.cursor = min(max(self.cursor + step, 0), self.count - 1)

    def action_first(self) -> None:
        """The newest session."""
        if self.count:
            self.cursor = 0

    def action_last(self) -> None:
        """The oldest session."""
        if self.count:
            self.cursor = self.count - 1

    def action_page(self, direction: int) -> None:
        """About a screenful of sessions on or back."""
        self.action_move(direction * max(1, self.size.height // self.per_session))

    def action_select(self) -> None:
        """Show the session under the cursor."""
        row = self.selected_row
        if row is not None:
            self.post_message(self.Selected(row))

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor; a click on the session under it shows it."""
        position = (self.scroll_offset.y + event.y) // self.per_session
        if not 0 <= position < self.count:
            return
        if position == self.cursor:
            self.action_select()
        else:
            self.cursor = position
