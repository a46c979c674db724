"""Every key emoflat's screens take, in one place: bindings with ids, the legend, the key list.

Each binding carries an ``id`` so a user's keymap can remap it later
(:meth:`textual.app.App.set_keymap`). The legend shown on every screen and the list on
the keys screen are built from the same table, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One key action: what triggers it and how it is described."""

    id: str
    """The binding id, used by keymaps."""
    keys: str
    """Textual key names, comma separated."""
    action: str
    """The action the binding runs."""
    shown: str
    """The key(s) as shown to the user."""
    description: str
    """What it does, in a few plain words."""
    priority: bool = False

    def binding(self) -> Binding:
        """The Textual binding for this key (hidden from Textual's own footer)."""
        return Binding(
            self.keys,
            self.action,
            self.description,
            show=False,
            priority=self.priority,
            id=self.id,
        )


# Everywhere (bound on the app) --------------------------------------------------------
HELP = KeySpec("help", "h", "help", "h", "help: who to talk to")
KEYS = KeySpec("keys", "question_mark", "keys", "?", "all keys")
MUTE = KeySpec("mute", "m", "mute", "m", "mute or unmute the chimes")
INTERRUPT = KeySpec(
    "interrupt", "ctrl+c", "interrupt", "ctrl+c", "end the session now (it is kept)", True
)
QUIT = KeySpec("quit", "ctrl+q", "quit", "ctrl+q", "quit emoflat", True)

# During a practice ----------------------------------------------------------------------
PAUSE = KeySpec("pause", "space", "toggle_pause", "space", "pause or go on")
CONTINUE = KeySpec("continue", "enter", "continue", "enter", "continue")
NEXT = KeySpec("next", "right,n", "next", "→ or n", "next step")
BACK = KeySpec("back", "left,b", "back", "← or b", "back a step")
END = KeySpec("end", "q", "end", "q", "end now (asks once; what you did is kept)")
LEAVE_BOX = KeySpec("leave-box", "escape", "leave_box", "Tab or Escape", "leave the answer box")

# Choosing a practice ---------------------------------------------------------------------
START = KeySpec("start", "enter", "start", "enter", "start the practice")
LONGER = KeySpec("longer", "right", "length(1)", "→", "a longer length")
SHORTER = KeySpec("shorter", "left", "length(-1)", "←", "a shorter length")
SEARCH = KeySpec("search", "slash", "search", "/", "search (or just start typing)")
PICKER_QUIT = KeySpec("picker-quit", "q", "app.quit", "q", "quit emoflat")

# The summary -------------------------------------------------------------------------------
AGAIN = KeySpec("again", "enter", "again", "enter", "back to the practices")
SUMMARY_QUIT = KeySpec("summary-quit", "q", "app.quit", "q", "quit emoflat")

# Help and keys screens -----------------------------------------------------------------
CLOSE = KeySpec("close", "escape,q", "close", "Escape or q", "close this screen")

#: The legend on every screen: (key, what it does).
LEGEND: tuple[tuple[str, str], ...] = (
    ("space", "pause"),
    ("enter", "continue"),
    ("→/n", "next"),
    ("←/b", "back"),
    ("m", "mute"),
    ("q", "end"),
    ("h", "help"),
    ("?", "keys"),
)

#: The keys screen: sections of (keys, description).
KEY_SECTIONS: tuple[tuple[str, tuple[KeySpec, ...]], ...] = (
    ("Everywhere", (HELP, KEYS, MUTE, QUIT)),
    ("Choosing a practice", (SEARCH, START, SHORTER, LONGER, PICKER_QUIT)),
    ("During a practice", (PAUSE, CONTINUE, NEXT, BACK, END, INTERRUPT, LEAVE_BOX)),
    ("At the end", (AGAIN, SUMMARY_QUIT)),
    ("On the help and keys screens", (CLOSE,)),
)

#: Extra lines for the keys screen, about things that are not single bindings.
KEY_NOTES: tuple[str, ...] = (
    "↑ and ↓ move through the practices.",
    "In a search or answer box, every letter types into the box.",
    "Tab or Escape leaves the box; then the keys work again.",
    "The mouse works too, but is never needed.",
)


def keys_text() -> str:
    """The keys screen's text: every key, by where it works."""
    lines: list[str] = []
    for title, specs in KEY_SECTIONS:
        if lines:
            lines.append("")
        lines.append(title)
        width = max(len(spec.shown) for spec in specs)
        lines.extend(f"  {spec.shown.ljust(width)}  {spec.description}" for spec in specs)
    lines.append("")
    lines.extend(KEY_NOTES)
    return "\n".join(lines)
