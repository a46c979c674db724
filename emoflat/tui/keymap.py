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
    "interrupt", "ctrl+c", "interrupt", "ctrl+c", "end now, no more questions (it is kept)", True
)
QUIT = KeySpec("quit", "ctrl+q", "quit", "ctrl+q", "quit emoflat", True)

# During a practice ----------------------------------------------------------------------
PAUSE = KeySpec("pause", "space", "toggle_pause", "space", "pause or go on")
CONTINUE = KeySpec("continue", "enter", "continue", "enter", "continue")
NEXT = KeySpec("next", "right,n", "next", "→ or n", "next step")
BACK = KeySpec("back", "left,b", "back", "← or b", "back a step")
END = KeySpec("end", "q", "end", "q", "end now (asks once; what you did is kept)")
#: In an answer or note box: give the keys back to the screen.
LEAVE_BOX = KeySpec("leave-box", "tab,escape", "leave", "Tab or Escape", "leave the box")
CONFIRM_YES = KeySpec("end-yes", "y", "answer(True)", "y", "yes, end now")
CONFIRM_NO = KeySpec("end-no", "n,escape", "answer(False)", "n or Escape", "no, go on")

# Moving through a list (the practices, your sessions) -----------------------------------
LIST_KEYS = (
    KeySpec("list-up", "up", "cursor_up", "↑", "the one before"),
    KeySpec("list-down", "down", "cursor_down", "↓", "the next one"),
    KeySpec("list-first", "home", "first", "Home", "the first"),
    KeySpec("list-last", "end", "last", "End", "the last"),
    KeySpec("list-page-up", "pageup", "page_up", "PgUp", "a page up"),
    KeySpec("list-page-down", "pagedown", "page_down", "PgDn", "a page down"),
    KeySpec("list-select", "enter", "select", "enter", "choose"),
)

# Choosing a practice ---------------------------------------------------------------------
START = KeySpec("start", "enter", "start", "enter", "start the practice")
LONGER = KeySpec("longer", "right", "length(1)", "→", "a longer length")
SHORTER = KeySpec("shorter", "left", "length(-1)", "←", "a shorter length")
SEARCH = KeySpec("search", "slash", "search", "/", "search (or just start typing)")
PICKER_QUIT = KeySpec("picker-quit", "q", "app.quit", "q", "quit emoflat")
HISTORY = KeySpec("history", "l", "app.history", "l", "your sessions: list, calendar, check-ins")

# The check-ins before and after a practice, the note and the context tags --------------
#: One binding per digit, each with its own id; the keys screen shows them as one line.
DIGITS = tuple(
    KeySpec(f"checkin-{n}", str(n), f"digit({n})", str(n), f"mark {n}") for n in range(10)
)
DIGITS_SHOWN = KeySpec(
    "checkin-digits", "", "", "0–9", "mark that number on the 0–10 row, or that choice"
)
TEN = KeySpec("checkin-ten", "t", "digit(10)", "t", "mark 10 on the 0–10 row")
CHOICE_NEXT = KeySpec("checkin-next", "right,down", "move(1)", "→ or ↓", "move to the next one")
CHOICE_PREVIOUS = KeySpec(
    "checkin-previous", "left,up", "move(-1)", "← or ↑", "move to the one before"
)
MARK = KeySpec("checkin-mark", "space,x", "mark", "space or x", "mark or unmark a choice")
CLEAR = KeySpec("checkin-clear", "backspace", "clear", "backspace", "unmark everything here")
GO_ON = KeySpec(
    "checkin-continue", "enter", "go_on", "enter", "go on (nothing marked is fine); saves a note"
)
STEP_BACK = KeySpec("checkin-back", "b", "step_back", "b", "back a question")
SKIP = KeySpec(
    "checkin-skip", "s,escape", "skip", "s or Escape", "skip the rest of the check-in, or this"
)
CHECKIN_END = KeySpec(
    "checkin-end",
    "q",
    "end",
    "q",
    "before: back to the practices; after: keep what you gave and finish",
)
WRITE = KeySpec("note-write", "tab", "write", "Tab", "write in the note box")
GROUND = KeySpec("ground", "g", "ground", "g", "a 30-second grounding step")
OFFER_GO_ON = KeySpec("offer-continue", "enter,s,escape", "go_on", "enter", "go on")
GROUNDING_PAUSE = KeySpec("grounding-pause", "space", "toggle_pause", "space", "pause or go on")
GROUNDING_END = KeySpec(
    "grounding-end", "enter,s,escape", "finish", "enter, s or Escape", "end the grounding step"
)

# History --------------------------------------------------------------------------------
OPEN_SESSION = KeySpec("history-open", "enter", "open", "enter", "the whole session")
DAYS = KeySpec("history-days", "c", "days", "c", "calendar of days and the check-ins chart")
MONTH_BACK = KeySpec(
    "month-back", "left_square_bracket,left", "month(-1)", "[ or ←", "the month before", True
)
MONTH_NEXT = KeySpec(
    "month-next", "right_square_bracket,right", "month(1)", "] or →", "the month after", True
)

# The summary -------------------------------------------------------------------------------
AGAIN = KeySpec("again", "enter", "again", "enter", "back to the practices")
SUMMARY_QUIT = KeySpec("summary-quit", "q", "app.quit", "q", "quit emoflat")
SUMMARY_HISTORY = KeySpec("summary-history", "l", "app.history", "l", "your sessions")

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
    ("l", "history"),
)

#: The keys screen: sections of (keys, description).
KEY_SECTIONS: tuple[tuple[str, tuple[KeySpec, ...]], ...] = (
    ("Everywhere", (HELP, KEYS, MUTE, QUIT)),
    ("Choosing a practice", (SEARCH, START, SHORTER, LONGER, HISTORY, PICKER_QUIT)),
    (
        "Check-ins, context and note",
        (
            DIGITS_SHOWN,
            TEN,
            CHOICE_PREVIOUS,
            CHOICE_NEXT,
            MARK,
            CLEAR,
            GO_ON,
            STEP_BACK,
            SKIP,
            CHECKIN_END,
            WRITE,
            LEAVE_BOX,
        ),
    ),
    ("After “unsettling”", (GROUND, OFFER_GO_ON, GROUNDING_PAUSE, GROUNDING_END)),
    ("During a practice", (PAUSE, CONTINUE, NEXT, BACK, END, INTERRUPT, LEAVE_BOX)),
    ("At the end", (AGAIN, SUMMARY_HISTORY, SUMMARY_QUIT)),
    ("Your sessions", (OPEN_SESSION, DAYS, MONTH_BACK, MONTH_NEXT)),
    ("On the help, keys and session screens", (CLOSE,)),
)

#: Extra lines for the keys screen, about things that are not single bindings.
KEY_NOTES: tuple[str, ...] = (
    "↑ and ↓ move through the practices and through your sessions.",
    "In a search, answer or note box, every letter types into the box.",
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
