"""The sessions logged, on Textual's ``OptionList`` like the practices' list
(:class:`~emoflat.tui.widgets.lists.ReversedList`). A long log is listed a batch at a
time, as the cursor nears the end, so 20,000 sessions show as fast as twenty.

Apart from the practices' list, so that the picker loads no part of the log's reader.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets.option_list import Option

from emoflat.log.render import WIDE, session_lines
from emoflat.log.store import Session
from emoflat.tui.widgets.lists import ReversedList

#: Sessions added to the list at a time.
BATCH = 500


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
