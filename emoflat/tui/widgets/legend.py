"""The key legend: the same line of keys at the foot of every screen."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from emoflat.tui.keymap import LEGEND

#: Between two keys on one line of the legend.
GAP = "   "


class KeyLegend(Widget):
    """The keys, wrapped between (never inside) key-and-word pairs to fit the width.

    The mute entry says the state in words ("muted", "sound off"), not only by colour.
    """

    DEFAULT_CSS = """
    KeyLegend {
        height: auto;
        width: 100%;
        padding: 0 1;
        text-align: center;
    }
    """

    muted: reactive[bool] = reactive(False, layout=True)
    """Chimes are muted with m."""
    sound_off: reactive[bool] = reactive(False, layout=True)
    """Chimes are off for the whole run (``--no-sound`` or the settings)."""

    def _pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for key, word in LEGEND:
            if key == "m":
                if self.sound_off:
                    word = "sound off"
                elif self.muted:
                    word = "unmute (muted)"
            pairs.append((key, word))
        return pairs

    def _lines(self, width: int) -> list[list[tuple[str, str]]]:
        lines: list[list[tuple[str, str]]] = [[]]
        used = 0
        for key, word in self._pairs():
            size = len(key) + 1 + len(word)
            if lines[-1] and used + len(GAP) + size > width:
                lines.append([])
                used = 0
            used += size + (len(GAP) if lines[-1] else 0)
            lines[-1].append((key, word))
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """One line per row of keys at this width."""
        return len(self._lines(max(width, 1)))

    def render(self) -> RenderResult:
        """The keys in bold, each followed by what it does."""
        rows = []
        for line in self._lines(max(self.content_size.width, 1)):
            parts: list[str | tuple[str, str]] = []
            for index, (key, word) in enumerate(line):
                if index:
                    parts.append(GAP)
                parts.extend([(key, "bold"), " " + word])
            rows.append(Content.assemble(*parts))
        return Content("\n").join(rows)
