"""The check-in's controls: the 0-10 row, and a set of choices to mark one or several of.

What is marked shows in its shape, not only in colour: ``[3]`` on the row, ``(•)`` for the
one choice marked, ``[x]`` for each of several. The cursor is drawn in reverse video.
Choices are laid out as a flow that wraps to the width, so they fit 40 columns. Both are
drawn as plain text: no choice is ever read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from emoflat.checkin import FEEL_MAX
from emoflat.text import one_line

#: Between two choices on a line.
GAP = "  "


class ScaleRow(Widget):
    """The row 0 to 10, with the number marked shown as ``[n]`` in bold reverse."""

    DEFAULT_CSS = """
    ScaleRow {
        height: 1;
        width: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        """A row with nothing marked."""
        super().__init__(id=id)
        self._value: int | None = None

    @property
    def value(self) -> int | None:
        """The number marked, if any."""
        return self._value

    @value.setter
    def value(self, value: int | None) -> None:
        self._value = value
        self.refresh(layout=True)

    def plain(self) -> str:
        """The row as plain text, as drawn."""
        return "".join(self._cells())

    def _cells(self) -> list[str]:
        return [f"[{n}]" if n == self._value else f" {n} " for n in range(FEEL_MAX + 1)]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """As wide as the row."""
        return cell_len(self.plain())

    def render(self) -> RenderResult:
        """The numbers, the marked one in bold reverse with brackets."""
        parts: list[str | tuple[str, str]] = []
        for n, cell in enumerate(self._cells()):
            parts.append((cell, "bold reverse") if n == self._value else cell)
        return Content.assemble(*parts)


class ChoiceFlow(Widget):
    """Choices to mark, wrapped to the width; one (``single``) or any number of them.

    With ``single`` the cursor is the choice: moving it marks the one it lands on, and
    choices are numbered so a digit marks one at once. Otherwise the cursor moves freely
    and space marks or unmarks the choice under it.
    """

    DEFAULT_CSS = """
    ChoiceFlow {
        height: auto;
        width: 100%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        """No choices until :meth:`set_choices`."""
        super().__init__(id=id)
        self._choices: tuple[str, ...] = ()
        self._single = False
        self._marked: set[int] = set()
        self._cursor: int | None = None
        self.active = True
        """Whether the keys act on these choices (the cursor is drawn only then)."""

    # What is offered and what is marked --------------------------------------------

    def set_choices(
        self, choices: Sequence[str], *, single: bool, marked: Sequence[str] = ()
    ) -> None:
        """Offer these choices, with ``marked`` marked and the cursor on the first mark.

        Args:
            choices: The choices, in order.
            single: Only one may be marked.
            marked: The choices marked already.
        """
        self._choices = tuple(choices)
        self._single = single
        self._marked = {i for i, choice in enumerate(self._choices) if choice in marked}
        self._cursor = min(self._marked) if self._marked else None
        self.refresh(layout=True)

    @property
    def choices(self) -> tuple[str, ...]:
        """The choices offered."""
        return self._choices

    @property
    def marked(self) -> list[str]:
        """The choices marked, in the order offered."""
        return [c for i, c in enumerate(self._choices) if i in self._marked]

    @property
    def cursor(self) -> int | None:
        """The index of the choice under the cursor, if any."""
        return self._cursor

    def move(self, step: int) -> None:
        """Move the cursor by ``step``, stopping at the ends; with ``single``, mark there."""
        if not self._choices:
            return
        if self._cursor is None:
            self._cursor = 0 if step > 0 else len(self._choices) - 1
        else:
            self._cursor = min(max(self._cursor + step, 0), len(self._choices) - 1)
        if self._single:
            self._marked = {self._cursor}
        self.refresh()

    def toggle(self) -> None:
        """Mark or unmark the choice under the cursor (the first, if none is)."""
        if not self._choices:
            return
        if self._cursor is None:
            self._cursor = 0
        if self._cursor in self._marked:
            self._marked.discard(self._cursor)
        elif self._single:
            self._marked = {self._cursor}
        else:
            self._marked.add(self._cursor)
        self.refresh()

    def mark_number(self, number: int) -> bool:
        """With ``single``: mark choice ``number`` (counted from 1). Whether there is one."""
        if not self._single or not 1 <= number <= len(self._choices):
            return False
        self._cursor = number - 1
        self._marked = {self._cursor}
        self.refresh()
        return True

    def clear(self) -> None:
        """Unmark everything."""
        self._marked.clear()
        self.refresh()

    # Drawing ---------------------------------------------------------------------------

    def item_text(self, index: int) -> str:
        """One choice as drawn: its mark, its number (``single``), its words."""
        if self._single:
            mark = "(•)" if index in self._marked else "( )"
            return f"{mark} {index + 1} {one_line(self._choices[index])}"
        mark = "[x]" if index in self._marked else "[ ]"
        return f"{mark} {one_line(self._choices[index])}"

    def _lines(self, width: int) -> list[list[int]]:
        lines: list[list[int]] = [[]]
        used = 0
        for index in range(len(self._choices)):
            size = cell_len(self.item_text(index))
            if lines[-1] and used + len(GAP) + size > width:
                lines.append([])
                used = 0
            used += size + (len(GAP) if lines[-1] else 0)
            lines[-1].append(index)
        return lines

    def plain_lines(self) -> list[str]:
        """The choices as drawn at the current width, as plain text."""
        width = max(self.content_size.width, 1)
        return [GAP.join(self.item_text(i) for i in line) for line in self._lines(width)]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """One line per row of choices at this width."""
        return len(self._lines(max(width, 1))) if self._choices else 0

    def render(self) -> RenderResult:
        """The choices; the one under the cursor in reverse video."""
        rows = []
        for line in self._lines(max(self.content_size.width, 1)):
            parts: list[str | tuple[str, str]] = []
            for position, index in enumerate(line):
                if position:
                    parts.append(GAP)
                text = self.item_text(index)
                lit = index == self._cursor and self.active
                parts.append((text, "reverse") if lit else text)
            rows.append(Content.assemble(*parts))
        return Content("\n").join(rows)
