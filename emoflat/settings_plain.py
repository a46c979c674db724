"""``emoflat settings --plain``: the settings line by line, for screen readers and scripts.

Each setting is printed on a line of its own, numbered, with its value in words. On a
terminal the user types a setting's number, then the number of a value (or the value
itself); it is saved at once (``config.save_setting`` keeps comments and order). When stdin
is not a terminal the settings are only listed. Imports neither Textual nor Rich.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO

from emoflat.config import (
    DEFAULT_THEME,
    SETTINGS,
    Config,
    Setting,
    config_path,
    load_config,
    save_setting,
)
from emoflat.errors import DataError
from emoflat.text import one_line

#: The themes plain mode can name without loading Textual: the two of emoflat's own.
#: (Any of Textual's may be typed by name.)
PLAIN_THEMES = ("terminal", "high-contrast")
CHOOSE_LINE = "Type a setting's number and press Enter to change it, or Enter alone to finish."
VALUE_LINE = "Type a value's number (or a value) and press Enter, or Enter alone to keep it."

Read = Callable[[], str | None]


CHECKINS_SAID = {
    "off": "off",
    "short": "short: one question before, one after",
    "full": "full: every question",
}


def said(setting: Setting, value: Any) -> str:
    """A setting's value in words (here and on the settings screen)."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if setting.name == "volume":
        return f"{value}%"
    if setting.name == "minutes":
        return "each practice's own" if value == 0 else f"about {value} min"
    if setting.name == "theme" and value == DEFAULT_THEME:
        return "the terminal's own"
    if setting.name == "checkin":
        return CHECKINS_SAID.get(value, str(value))
    if setting.name == "week_starts":
        return str(value).capitalize()
    if setting.name == "context_tags":
        return ", ".join(value) if value else "none"
    return str(value)


def settings_lines(config: Config) -> list[str]:
    """Every setting, numbered, with its value."""
    return [
        f"{number}. {setting.label}: {one_line(said(setting, getattr(config, setting.name)))}"
        for number, setting in enumerate(SETTINGS, start=1)
    ]


def keys_lines(config: Config) -> list[str]:
    """Every key by its id, as ``[keys]`` in ``config.toml`` can set it (the user's own
    where set)."""
    from emoflat.keys import BY_ID, check_keymap

    keymap, problems = check_keymap(config.keys)
    lines = ['Keys, by id (your own go under [keys] in config.toml, like mute = "f9"):']
    width = max(map(len, BY_ID))
    for binding_id, spec in sorted(BY_ID.items()):
        keys = keymap.get(binding_id, spec.keys)
        lines.append(f"  {binding_id.ljust(width)} = {keys!r:<14} {spec.description}")
    return [*lines, *problems]


def offered(setting: Setting, config: Config) -> list[Any]:
    """The values offered for ``setting`` (any valid value may be typed too)."""
    if setting.name == "chime":
        from emoflat.sounds import available_sounds

        values: list[Any] = sorted(available_sounds())
    elif setting.name == "theme":
        values = list(PLAIN_THEMES)
    else:
        values = list(setting.choices)
    current = getattr(config, setting.name)
    if current not in values and not isinstance(current, tuple):
        values.append(current)
    return values


def run_settings_plain(stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """List the settings; on a terminal, change them one at a time. The exit code."""
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout

    def say(line: str = "") -> None:
        out.write(line + "\n")
        out.flush()

    def read() -> str | None:
        line = stdin.readline()
        return None if line == "" else line.rstrip("\n")

    config = load_config()
    say(f"Settings, in {config_path()}:")
    for warning in config.warnings:
        say(one_line(warning))
    for line in settings_lines(config):
        say(line)
    say()
    for line in keys_lines(config):
        say(line)
    try:
        interactive = stdin.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if not interactive:
        return 0
    while True:
        say()
        say(CHOOSE_LINE)
        word = (read() or "").strip()
        if not word:
            return 0
        if not (word.isdigit() and 1 <= int(word) <= len(SETTINGS)):
            say(f"That is not one of the numbers 1 to {len(SETTINGS)}.")
            continue
        setting = SETTINGS[int(word) - 1]
        config = _change(setting, config, say, read)


def _change(setting: Setting, config: Config, say: Callable[[str], None], read: Read) -> Config:
    values = offered(setting, config)
    say(f"{setting.label}: {one_line(said(setting, getattr(config, setting.name)))}")
    for number, each in enumerate(values, start=1):
        say(f"{number}. {said(setting, each)}")
    say(f"{VALUE_LINE} ({setting.expected})")
    word = (read() or "").strip()
    if not word:
        return config
    value: Any = values[int(word) - 1] if word.isdigit() and 0 < int(word) <= len(values) else word
    if setting.name == "context_tags" and isinstance(value, str):
        value = [tag.strip() for tag in value.split(",") if tag.strip()]
    try:
        config = save_setting(setting.name, _typed(setting, value))
    except (DataError, ValueError) as exc:
        say(f"Not saved: {one_line(str(exc))}")
        return config
    say(f"Saved: {setting.label}: {one_line(said(setting, getattr(config, setting.name)))}.")
    return config


def _typed(setting: Setting, value: Any) -> Any:
    """A value typed as text, as the setting takes it (``on``, ``70``)."""
    if not isinstance(value, str):
        return value
    lowered = value.casefold()
    if setting.choices and isinstance(setting.choices[0], bool):
        truth = {"on": True, "true": True, "yes": True, "off": False, "false": False, "no": False}
        return truth.get(lowered, value)
    if lowered.isdigit() and setting.name in ("volume", "minutes"):
        return int(lowered)
    return value
