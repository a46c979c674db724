"""Every key emoflat's screens take, in one table: bindings with ids, legends, the key list.

A leaf, importable without Textual: the settings check a user's keys against it. Each
binding has an ``id``, so ``[keys]`` in ``config.toml`` can move it (Textual's
``App.set_keymap``). A key means the same thing wherever it works. Each screen's legend
lists exactly the keys that work there, in the one order of :data:`LEGEND_ORDER`, with the
user's keys (:func:`shown`); the keys screen lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One key action: what triggers it, and how it is described."""

    id: str
    """The binding id, used by ``[keys]`` in the settings."""
    keys: str
    """Textual key names, comma separated."""
    action: str
    """The action the binding runs."""
    description: str
    """What it does, in a few plain words (the keys screen)."""
    legend: str = ""
    """Its word in a legend ("" : never in one)."""
    priority: bool = False
    parts: tuple[KeySpec, ...] = ()
    """For a legend entry standing for several bindings (``←/→ length``): those bindings."""

    def binding(self) -> Binding:
        """The Textual binding for this key (Textual's own footer never shows it)."""
        from textual.binding import Binding

        return Binding(self.keys, self.action, self.description, show=False,
                       priority=self.priority, id=self.id)  # fmt: skip


#: How key names are shown.
_NAMES = {
    "right": "→", "left": "←", "up": "↑", "down": "↓", "question_mark": "?",
    "slash": "/", "left_square_bracket": "[", "right_square_bracket": "]", "escape": "Esc",
    "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End", "tab": "Tab",
    "backspace": "Backspace", "plus": "+", "minus": "-", "comma": ",", "enter": "Enter",
    "space": "Space", "delete": "Delete", "ctrl+q": "Ctrl+Q", "ctrl+c": "Ctrl+C",
}  # fmt: skip


def shown(spec: KeySpec, keymap: Mapping[str, str] | None = None, *, first: bool = False) -> str:
    """The keys of ``spec`` as people read them (``→/n``), the user's own if they moved them;
    with ``first``, only the first of them (``q`` for ``q/Esc``)."""
    if spec.parts:  # each part by its first key: ←/→
        return "/".join(shown(part, keymap, first=True) for part in spec.parts)
    keys = (keymap or {}).get(spec.id, spec.keys)
    names = [_NAMES.get(key.strip(), key.strip()) for key in keys.split(",") if key.strip()]
    return names[0] if first and names else "/".join(names)


# Everywhere -------------------------------------------------------------------------------
HELP = KeySpec("help", "h", "app.help", "help: who to talk to", "help")
KEYS = KeySpec("keys", "question_mark", "app.keys", "all keys", "keys")
MUTE = KeySpec("mute", "m", "app.mute", "mute or unmute the chimes", "mute")
INTERRUPT = KeySpec("interrupt", "ctrl+c", "app.interrupt",
                    "end now, no more questions (it is kept)", priority=True)  # fmt: skip
QUIT = KeySpec("quit", "ctrl+q", "app.quit", "quit emoflat", priority=True)
EVERYWHERE = (MUTE, HELP, KEYS)

# Choosing a practice -------------------------------------------------------------------------
START = KeySpec("start", "enter", "start", "start the practice", "start")
SHORTER = KeySpec("shorter", "left", "length(-1)", "a shorter length")
LONGER = KeySpec("longer", "right", "length(1)", "a longer length")
LENGTH = KeySpec("length", "", "", "a shorter or longer length", "length", parts=(SHORTER, LONGER))
# Keys that move into a box are handled first (priority), so that keys typed right after
# them, before the app has caught up, already go into the box; in the box they are text.
SEARCH = KeySpec("search", "slash", "search", "search the practices", "search", priority=True)
AGAIN = KeySpec("again", "r", "again", "the last practice again, at its length", "again")
SETTINGS = KeySpec("settings", "o", "app.settings", "settings", "settings")
ABOUT = KeySpec("about", "a", "app.about", "about feeling flat", "about")
HISTORY = KeySpec("history", "l", "app.history", "your sessions: list, calendar, check-ins",
                  "sessions")  # fmt: skip
PICKER_QUIT = KeySpec("picker-quit", "q", "app.quit", "quit emoflat", "quit")
CLEAR_SEARCH = KeySpec("clear-search", "escape", "clear_search", "clear the search", "clear")
CHOOSE = KeySpec("choose", "up,down", "", "the practice before or after", "choose")  # the list's

# During a practice --------------------------------------------------------------------------
PAUSE = KeySpec("pause", "space", "toggle_pause", "pause or go on", "pause")
CONTINUE = KeySpec("continue", "enter", "continue", "continue (a step that waits for you)",
                   "continue")  # fmt: skip
NEXT = KeySpec("next", "right,n", "next", "next step", "next")
BACK = KeySpec("back", "left,b", "back", "back a step", "back")
END = KeySpec("end", "q", "end", "end now (asks once; what you did is kept)", "end")
WRITE = KeySpec("write", "tab", "write", "write in the box", "write", priority=True)
LEAVE_BOX = KeySpec("leave-box", "tab,escape", "leave", "leave the box", "leave box")

# The check-ins before and after a practice ----------------------------------------------------
DIGITS = tuple(KeySpec(f"checkin-{n}", str(n), f"digit({n})", f"mark {n}") for n in range(10))
NUMBER = KeySpec("checkin-number", "0–9", "",
                 "mark that number (1 then 0 marks 10), or that choice", "mark")  # fmt: skip
TEN = KeySpec("checkin-ten", "t", "digit(10)", "mark 10 on the 0–10 row")
CHOICE_PREVIOUS = KeySpec("checkin-previous", "left", "move(-1)", "move to the one before")
CHOICE_NEXT = KeySpec("checkin-next", "right", "move(1)", "move to the next one")
MOVE = KeySpec("checkin-move", "", "", "move along the row", "move",
               parts=(CHOICE_PREVIOUS, CHOICE_NEXT))  # fmt: skip
ROW_UP = KeySpec("checkin-row-up", "up", "row(-1)", "the question above")
ROW_DOWN = KeySpec("checkin-row-down", "down", "row(1)", "the question below")
ROW = KeySpec("checkin-row", "", "", "the question above or below", "question",
              parts=(ROW_UP, ROW_DOWN))  # fmt: skip
MARK = KeySpec("checkin-mark", "space,x", "mark", "mark or unmark a choice", "mark")
CLEAR = KeySpec("checkin-clear", "backspace", "clear", "unmark everything here")
GO_ON = KeySpec("checkin-continue", "enter", "go_on", "go on (nothing marked is fine)", "go on")
MORE = KeySpec("checkin-more", "d", "more", "more questions: tone, words, context, a note",
               "more")  # fmt: skip
STEP_BACK = KeySpec("checkin-back", "b", "step_back", "back a question", "back")
SKIP = KeySpec("checkin-skip", "s", "skip",
               "skip the rest of the questions (what you gave is kept)", "skip")  # fmt: skip
CHECKIN_END = KeySpec("checkin-end", "q,escape", "end",
                      "before: back to the practices; after: keep what you gave and finish",
                      "leave")  # fmt: skip
GROUND = KeySpec("ground", "g", "ground", "a 30-second grounding step", "ground")
OFFER_GO_ON = KeySpec("offer-continue", "enter", "go_on", "go on", "go on")
GROUNDING_PAUSE = KeySpec("grounding-pause", "space", "toggle_pause", "pause or go on", "pause")
GROUNDING_END = KeySpec("grounding-end", "enter", "finish", "end the grounding step", "end")
CONFIRM_YES = KeySpec("end-yes", "y", "answer(True)", "yes, end now", "yes")
CONFIRM_NO = KeySpec("end-no", "n,escape", "answer(False)", "no, go on", "no")

# After a practice, and your sessions -----------------------------------------------------
PRACTICES = KeySpec("practices", "enter", "again", "back to the practices", "practices")
SUMMARY_QUIT = KeySpec("summary-quit", "q", "app.quit", "quit emoflat", "quit")
SUMMARY_HISTORY = KeySpec("summary-history", "l", "app.history", "your sessions", "sessions")
OPEN_SESSION = KeySpec("history-open", "enter", "open", "the whole session", "open")
DAYS = KeySpec("history-days", "c", "days", "calendar of days and the check-ins chart",
               "calendar")  # fmt: skip
MONTH_BACK = KeySpec("month-back", "left_square_bracket,left", "month(-1)", "the month before",
                     priority=True)  # fmt: skip
MONTH_NEXT = KeySpec("month-next", "right_square_bracket,right", "month(1)", "the month after",
                     priority=True)  # fmt: skip
MONTHS = KeySpec("months", "", "", "the month before or after", "month",
                 parts=(MONTH_BACK, MONTH_NEXT))  # fmt: skip
SCROLL_UP = KeySpec("scroll-up", "up", "scroll(-1)", "scroll up a step that does not fit")
SCROLL_DOWN = KeySpec("scroll-down", "down", "scroll(1)", "scroll down a step that does not fit")
SCROLL = KeySpec("scroll", "", "", "scroll", "scroll", parts=(SCROLL_UP, SCROLL_DOWN))
CLOSE = KeySpec("close", "escape,q", "close", "close this screen", "back")

# Settings -------------------------------------------------------------------------------------
SETTING_BACK = KeySpec("setting-previous", "left", "change(-1)", "the value before")
SETTING_ON = KeySpec("setting-next", "right,enter", "change(1)", "the next value")
CHANGE = KeySpec("setting-change", "", "", "change the value", "change",
                 parts=(SETTING_BACK, SETTING_ON))  # fmt: skip

# The first run ------------------------------------------------------------------------------
WELCOME_GO_ON = KeySpec("welcome-continue", "enter,escape", "go_on", "go on", "go on")

# Lists --------------------------------------------------------------------------------------
LIST_KEYS = (
    KeySpec("list-up", "up", "cursor_up", "the one before"),
    KeySpec("list-down", "down", "cursor_down", "the next one"),
    KeySpec("list-first", "home", "first", "the first"),
    KeySpec("list-last", "end", "last", "the last"),
    KeySpec("list-page-up", "pageup", "page_up", "a page up"),
    KeySpec("list-page-down", "pagedown", "page_down", "a page down"),
    KeySpec("list-select", "enter", "select", "choose"),
)

#: Where each key stands in every legend: a key is always in the same place.
LEGEND_ORDER: tuple[KeySpec, ...] = (
    START, CONTINUE, PRACTICES, OPEN_SESSION, CHANGE, WELCOME_GO_ON, GO_ON, OFFER_GO_ON, GROUND,
    GROUNDING_END, CONFIRM_YES, CONFIRM_NO, LEAVE_BOX, WRITE, NUMBER, MARK, MOVE, ROW, MORE,
    CHOOSE, LENGTH, PAUSE, GROUNDING_PAUSE, NEXT, BACK, STEP_BACK, SKIP, SEARCH, CLEAR_SEARCH,
    AGAIN, DAYS, MONTHS, SCROLL, HISTORY, SUMMARY_HISTORY, SETTINGS, ABOUT, END, CHECKIN_END,
    CLOSE, PICKER_QUIT, SUMMARY_QUIT, MUTE, HELP, KEYS,
)  # fmt: skip
_PLACE = {spec.id: place for place, spec in enumerate(LEGEND_ORDER)}


#: What a one-row legend keeps first (a short window): help, the key that goes on, the
#: ways out and skip, pause, then the key to all keys; the rest by the legend's order.
KEEP_ORDER: tuple[KeySpec, ...] = (
    HELP, WELCOME_GO_ON, START, CONTINUE, GO_ON, OFFER_GO_ON, GROUND, GROUNDING_END,
    CONFIRM_YES, CONFIRM_NO, SUMMARY_QUIT, PRACTICES, OPEN_SESSION, CHANGE, LEAVE_BOX, END,
    CHECKIN_END, SKIP, PAUSE, GROUNDING_PAUSE, SCROLL, KEYS, CLOSE, PICKER_QUIT, WRITE,
)  # fmt: skip
_KEEP = {spec.id: rank for rank, spec in enumerate(KEEP_ORDER)}


def keep_rank(spec: KeySpec) -> int:
    """How much ``spec`` matters in a one-row legend (lower: kept longer)."""
    return _KEEP.get(spec.id, len(_KEEP) + _PLACE.get(spec.id, len(_PLACE)))


def in_order(specs: Iterable[KeySpec]) -> list[KeySpec]:
    """``specs`` in the legend's order (each once)."""
    return sorted(dict.fromkeys(specs), key=lambda spec: _PLACE.get(spec.id, len(_PLACE)))


#: The check-in screens' own bindings, besides the digits (:data:`DIGITS`, shown as
#: :data:`NUMBER`); the box's Tab and Escape are the box's.
CHECKIN_KEYS: tuple[KeySpec, ...] = (
    TEN, CHOICE_PREVIOUS, CHOICE_NEXT, ROW_UP, ROW_DOWN, MARK, CLEAR, GO_ON, MORE, STEP_BACK,
    SKIP, CHECKIN_END, WRITE,
)  # fmt: skip
#: The session screen's own bindings.
SESSION_KEYS: tuple[KeySpec, ...] = (
    PAUSE, CONTINUE, NEXT, BACK, END, WRITE, SCROLL_UP, SCROLL_DOWN,
)  # fmt: skip

#: The keys screen: sections of keys, by where they work.
KEY_SECTIONS: tuple[tuple[str, tuple[KeySpec, ...]], ...] = (
    ("Everywhere", (HELP, KEYS, MUTE, QUIT, INTERRUPT)),
    (
        "Choosing a practice",
        (
            START,
            SHORTER,
            LONGER,
            SEARCH,
            CLEAR_SEARCH,
            AGAIN,
            HISTORY,
            SETTINGS,
            ABOUT,
            PICKER_QUIT,
        ),
    ),
    ("Before and after a practice", (NUMBER, *CHECKIN_KEYS, LEAVE_BOX)),
    ("After “unsettling”", (GROUND, OFFER_GO_ON, GROUNDING_PAUSE, GROUNDING_END)),
    ("During a practice", (*SESSION_KEYS, LEAVE_BOX)),
    ("Ending early", (CONFIRM_YES, CONFIRM_NO)),
    ("At the end", (PRACTICES, SUMMARY_HISTORY, SUMMARY_QUIT)),
    ("Your sessions", (OPEN_SESSION, DAYS, MONTH_BACK, MONTH_NEXT, CLOSE)),
    ("Settings", (SETTING_BACK, SETTING_ON, CLOSE)),
    ("The first time", (WELCOME_GO_ON,)),
)
#: Lines for the keys screen about things that are not single bindings.
KEY_NOTES: tuple[str, ...] = (
    "↑ and ↓ move through the practices and through your sessions.",
    "In a search, answer or note box, every key you type goes into the box.",
    "Tab or Escape leaves the box; then the keys work again.",
    "Your own keys can be set in config.toml, under [keys] (see emoflat settings).",
    "The mouse works too, but is never needed.",
)

#: Every binding, by id (what ``[keys]`` in the settings may name).
BY_ID: dict[str, KeySpec] = {
    spec.id: spec
    for spec in (
        *KEY_SECTIONS[0][1],
        *(s for _, specs in KEY_SECTIONS for s in specs),
        *DIGITS,
        *LIST_KEYS,
    )
    if spec.action
}


def keys_text(keymap: Mapping[str, str] | None = None) -> str:
    """The keys screen's text: every key, by where it works, the user's own where moved."""
    lines: list[str] = []
    for title, specs in KEY_SECTIONS:
        if lines:
            lines.append("")
        lines.append(title)
        names = [shown(spec, keymap) for spec in specs]
        width = max(map(len, names))
        lines += [
            f"  {name.ljust(width)}  {spec.description}"
            for name, spec in zip(names, specs, strict=True)
        ]
    return "\n".join([*lines, "", *KEY_NOTES])


def check_keymap(keymap: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The user's keys that can be used, and a line for each that cannot: an unknown id, or
    a key another binding of the same screen already has (the usual key is kept then)."""
    usable: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        spec = BY_ID.get(binding_id)
        if spec is None:
            problems.append(f"keys: {binding_id!r} is not a key emoflat has; "
                            "'emoflat settings --plain' lists them")  # fmt: skip
            continue
        usable[binding_id] = keys
    taken = _clashes({**{i: s.keys for i, s in BY_ID.items()}, **usable}, usable)
    for binding_id in taken:
        problems.append(f"keys: {binding_id} = {usable.pop(binding_id)!r} is already a key of "
                        "the same screen; the usual key is kept")  # fmt: skip
    return usable, problems


def _clashes(all_keys: Mapping[str, str], moved: Sequence[str] | Mapping[str, str]) -> list[str]:
    """The moved ids whose keys another id shown on the same screens already has."""
    sections = [{s.id for s in specs} | {s.id for s in EVERYWHERE} for _, specs in KEY_SECTIONS]
    found = []
    for binding_id in moved:
        mine = {k.strip() for k in all_keys[binding_id].split(",")}
        for section in (s for s in sections if binding_id in s):
            others = section - {binding_id}
            if any(
                mine & {k.strip() for k in all_keys[o].split(",")} for o in others if o in all_keys
            ):
                found.append(binding_id)
                break
    return found
