"""The key legend at the foot of every screen: exactly the keys that work there.

The screen says which (:meth:`~emoflat.tui.screens.base.EmoflatScreen.legend_keys`); they
are drawn in the one order of :data:`emoflat.keys.LEGEND_ORDER`, with the user's keys. In a
short window the legend takes one row: the keys that matter most there
(:data:`emoflat.keys.KEEP_ORDER`), always help. It starts at the left edge on every
screen, so a key stays in the same place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from emoflat.keys import MUTE, KeySpec, keep_rank, shown

if TYPE_CHECKING:
    from emoflat.tui.app import EmoflatApp

#: Between two keys on one line of the legend; in a one-row legend, where room is short.
GAP = "   "
SHORT_GAP = "  "

Pair = tuple[str, str]


class KeyLegend(Widget):
    """The keys, wrapped between (never inside) key-and-word pairs to fit the width.

    The mute entry says the state in words ("unmute (muted)"), not only by colour; with
    sound off for the whole run ``m`` does nothing, so it is not shown (the session's step
    line says "sound off").
    """

    DEFAULT_CSS = """
    KeyLegend {
        height: auto;
        width: 100%;
        padding: 0 1;
        text-align: left;
    }
    """

    muted: reactive[bool] = reactive(False, layout=True)
    """Chimes are muted with m."""
    sound_off: reactive[bool] = reactive(False, layout=True)
    """Chimes are off for the whole run (``--no-sound`` or the settings)."""

    _shown: tuple[tuple[KeySpec, str], ...] | None = None
    _room: tuple[KeySpec, ...] | None = None

    def keys_changed(self, *, force: bool = False) -> None:
        """Draw again if the keys that work here changed (only then: a new layout each
        time the screen asks would be a new layout on every resize), or the user's keys
        moved (``force``)."""
        specs = self.screen.legend_keys()  # type: ignore[attr-defined]
        keys = tuple((spec, self._pair(spec)[1]) for spec in specs)
        room = tuple(self.screen.legend_room())  # type: ignore[attr-defined]
        if force:
            self._shown = self._room = None
        if keys != self._shown:
            self._shown = keys
            self.refresh(layout=room != self._room)  # a new height only with new room
            self._room = room

    def _pair(self, spec: KeySpec, *, short: bool = False) -> Pair:
        """The key (in one row, only its first: ``q`` for ``q/Esc``) and what it does."""
        word = self.screen.legend_word(spec)  # type: ignore[attr-defined]
        if spec is MUTE:
            word = "unmute (muted)" if self.muted else word
        return shown(spec, cast("EmoflatApp", self.app).keymap, first=short), word

    def pairs(self) -> list[Pair]:
        """(keys, word) for each key the legend shows now, at this width."""
        return [pair for line in self._lines(self.content_size.width) for pair in line]

    def _lines(self, width: int, specs: list[KeySpec] | None = None) -> list[list[Pair]]:
        if specs is None:
            specs = self.screen.legend_keys()  # type: ignore[attr-defined]
        if self.sound_off:
            specs = [spec for spec in specs if spec is not MUTE]
        width = max(width, 1)
        if not self.screen.has_class("-short"):
            return _wrap([self._pair(spec) for spec in specs], width)
        keep = list(specs)  # one row: drop the keys that matter least until it fits
        while (
            len(keep) > 1 and _length([self._pair(s, short=True) for s in keep], SHORT_GAP) > width
        ):
            keep.remove(max(keep, key=keep_rank))
        return [[self._pair(spec, short=True) for spec in keep]]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The rows the legend needs at this width with every key the screen may show, so
        a key coming and going never moves what is above it."""
        return len(self._lines(width, self.screen.legend_room()))  # type: ignore[attr-defined]

    def render(self) -> RenderResult:
        """The keys in bold, each followed by what it does."""
        rows = []
        gap = SHORT_GAP if self.screen.has_class("-short") else GAP
        for line in self._lines(self.content_size.width):
            parts: list[str | tuple[str, str]] = []
            for index, (key, word) in enumerate(line):
                if index:
                    parts.append(gap)
                parts.extend([(key, "bold"), " " + word])
            rows.append(Content.assemble(*parts))
        return Content("\n").join(rows)


def _wrap(pairs: list[Pair], width: int) -> list[list[Pair]]:
    """The pairs in rows of at most ``width`` cells (a pair wider than that gets a row)."""
    lines: list[list[Pair]] = [[]]
    for pair in pairs:
        if lines[-1] and _length([*lines[-1], pair]) > width:
            lines.append([])
        lines[-1].append(pair)
    return lines


def _length(pairs: list[Pair], gap: str = GAP) -> int:
    return sum(len(key) + 1 + len(word) for key, word in pairs) + len(gap) * (len(pairs) - 1)
