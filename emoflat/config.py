"""The user's settings: ``$EMOFLAT_CONFIG_DIR/config.toml``. A leaf: no UI.

Every setting is optional. Reading never fails: a setting that is not valid keeps its
default, and a warning names the file, the line, the setting and the default used. A file
that cannot be read at all (not TOML, not a regular file, too large) means every default,
and it is never written to until it can be read again. :func:`save_setting` changes one
setting with tomlkit, which keeps the user's comments, order and spacing as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from emoflat import paths
from emoflat.errors import DataError

#: ``auto``, then every audio backend in the order ``auto`` tries them.
AUDIO_BACKENDS = (
    "auto", "simpleaudio", "pw-play", "paplay", "aplay", "afplay", "winsound", "bell", "none",
)  # fmt: skip
#: Context a user may tag a session with; ``context_tags`` in the settings adds more.
CONTEXT_TAGS = ("tired day", "poor sleep", "relapse", "new medication", "stressful day", "good day")
#: The check-ins: none; one question before and after (more a key away); every question.
CHECKINS = ("off", "short", "full")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: The terminal's own colours; the others are Textual's themes and emoflat's high contrast.
DEFAULT_THEME = "terminal"
#: The largest settings file read.
MAX_BYTES = 64 * 1024
#: Warnings about single settings kept, then one line says how many more there were.
MAX_WARNINGS = 20
#: How much of a bad value a warning shows.
_SHOWN_VALUE = 60


@dataclass(frozen=True, slots=True)
class Config:
    """emoflat's settings, with their defaults, and what reading them found."""

    chime: str = "bowl"
    """The default chime: a sound name."""
    sound: bool = True
    """Whether chimes ring at all."""
    volume: int = 70
    """Chime volume, 0-100 (%)."""
    audio_backend: str = "auto"
    """Force one audio backend, or ``auto`` for the first that works."""
    checkin: str = "short"
    """The check-ins: ``off``, ``short`` (one question before, one after) or ``full``."""
    reduced_motion: bool = False
    """Nothing moves on screen (also ``TEXTUAL_ANIMATIONS=none``)."""
    theme: str = DEFAULT_THEME
    """The colours: the terminal's own, a Textual theme, or ``high-contrast``."""
    minutes: int = 0
    """The length chosen at first in the picker, in minutes; 0: each practice's own."""
    week_starts: str = "monday"
    """The first day of the week, for "days practised this week" and the calendar."""
    plain: bool = False
    """Line by line (``--plain``) by default."""
    context_tags: tuple[str, ...] = ()
    """The user's own context tags, offered after emoflat's (:data:`CONTEXT_TAGS`)."""
    keys: Mapping[str, str] = field(default_factory=dict)
    """The user's keys: a binding id to the keys for it, like ``mute = "f9"``."""
    warnings: tuple[str, ...] = ()
    """What was wrong in the file, a line each (not a setting)."""
    readable: bool = True
    """Whether the file could be read at all (else it is never written; not a setting)."""

    @property
    def all_context_tags(self) -> tuple[str, ...]:
        """emoflat's context tags, then the user's own (each once)."""
        return tuple(dict.fromkeys((*CONTEXT_TAGS, *self.context_tags)))

    @property
    def first_weekday(self) -> int:
        """The first day of the week, 0 = Monday."""
        return WEEKDAYS.index(self.week_starts)


class Setting(NamedTuple):
    """One setting: how it is checked, and how the settings screen offers it."""

    name: str
    label: str
    expected: str
    """What a valid value is, in words."""
    choices: tuple[Any, ...] = ()
    """The values offered, in order (empty: any valid value)."""


#: The settings, in the order the settings screen lists them.
SETTINGS: tuple[Setting, ...] = (
    Setting("sound", "Chimes", "true or false", (True, False)),
    Setting("chime", "The chime", "a sound name (like bowl or bell)"),
    Setting("volume", "Volume", "a whole number from 0 to 100", tuple(range(10, 101, 10))),
    Setting("checkin", "Check-ins", "one of off, short, full (or true, false)", CHECKINS),
    Setting("reduced_motion", "Reduced motion", "true or false", (False, True)),
    Setting("theme", "Colours", "a theme name, like terminal or high-contrast"),
    Setting("minutes", "Length at first", "0 (its own) or minutes from 1 to 10", (0, 1, 3, 5)),
    Setting("week_starts", "Week starts on", "a day, like monday or sunday", WEEKDAYS),
    Setting("plain", "Line by line by default", "true or false", (False, True)),
    Setting("audio_backend", "Audio player", "one of " + ", ".join(AUDIO_BACKENDS), AUDIO_BACKENDS),
    Setting("context_tags", "Your own context tags", 'a list of short texts, like ["busy day"]'),
)  # fmt: skip
_BY_NAME = {setting.name: setting for setting in SETTINGS}


def config_path() -> Path:
    """``config.toml`` in the user's config folder."""
    return paths.config_dir() / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Read the settings; a missing file means every default. Never raises: what is
    wrong is in :attr:`Config.warnings`."""
    path = path or config_path()
    try:
        text = paths.read_limited(path, MAX_BYTES).decode("utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        reason = "it is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else str(exc)
        return _unreadable(f"{_shown(path)}: the settings could not be read ({reason})")
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"{found.group(1)}:{found.group(2)}" if found else "1:1"
        reason = re.sub(r"\s*\(at line .*\)", "", str(exc))
        return _unreadable(f"{_shown(path)}:{where}: not valid TOML: {reason}")
    except RecursionError:
        return _unreadable(f"{_shown(path)}: not valid TOML: nested far too deeply")
    values: dict[str, Any] = {}
    warnings: list[str] = []
    lines = _key_lines(text)
    for key, value in data.items():
        where = f"{_shown(path)}:{lines.get(key, 1)}:1: {_clean(key)}"
        try:
            values[key] = _checked(key, value)
        except ValueError as exc:
            warnings.append(f"{where}: {exc}")
        except RecursionError:  # a value nested thousands deep (dotted keys do it)
            warnings.append(f"{where}: nested far too deeply; the default is used")
    if len(warnings) > MAX_WARNINGS:
        more = len(warnings) - MAX_WARNINGS
        warnings[MAX_WARNINGS:] = [f"{_shown(path)}: ... and {more:,} more settings not used"]
    return Config(**values, warnings=tuple(warnings))


def _unreadable(warning: str) -> Config:
    return Config(
        warnings=(f"{warning}; every setting has its default until it is fixed",),
        readable=False,
    )


def _checked(key: str, value: Any) -> Any:
    """``value`` as setting ``key`` keeps it.

    Raises:
        ValueError: Why it is not valid (the default is then used).
    """
    if key == "keys":
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
        ):
            raise ValueError('expected a table of binding ids and keys, like mute = "f9"; '
                             "the usual keys are used")  # fmt: skip
        return dict(value)
    setting = _BY_NAME.get(key)
    if setting is None:
        from difflib import get_close_matches

        near = get_close_matches(key, list(_BY_NAME), n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise ValueError(f"unknown setting{hint}; it is left alone")
    default = getattr(Config(), key)
    shown = default if not isinstance(default, tuple) else list(default)
    got = _clean(repr(value))
    if len(got) > _SHOWN_VALUE:
        got = got[: _SHOWN_VALUE - 1] + "…"
    problem = ValueError(f"expected {setting.expected}, got {got}; using {_toml(shown)}")
    if key == "checkin" and isinstance(value, bool):
        return "short" if value else "off"
    if type(value) is not type(default) and not (key == "context_tags" and isinstance(value, list)):
        raise problem
    if key == "context_tags":
        if not all(
            isinstance(t, str) and 0 < len(t.strip()) <= 40 and t.isprintable() for t in value
        ):
            raise problem
        return tuple(t.strip() for t in value)
    if key in ("volume", "minutes"):
        valid = 0 <= value <= (100 if key == "volume" else 10)
    elif key in ("chime", "theme"):
        valid = re.fullmatch(r"[a-z0-9-]{1,64}", value) is not None
    else:
        valid = not setting.choices or value in setting.choices
    if not valid:
        raise problem
    return value


def save_setting(name: str, value: Any, path: Path | None = None) -> Config:
    """Set one setting in the file, keeping everything else in it as it is; the settings
    as they are then.

    Raises:
        DataError: The file cannot be read (it is left alone) or written.
        ValueError: ``value`` is not valid for ``name``.
    """
    import tomlkit

    path = path or config_path()
    current = load_config(path)
    if not current.readable:
        raise DataError(
            current.warnings[0].replace("every setting has its default", "nothing is changed")
        )
    try:
        checked = _checked(name, value)
    except ValueError as exc:
        raise ValueError(f"{name}: {str(exc).split('; using')[0]}") from None
    try:
        document = tomlkit.parse(paths.read_limited(path, MAX_BYTES).decode("utf-8"))
    except FileNotFoundError:
        document = tomlkit.document()
    except (OSError, ValueError, RecursionError) as exc:  # tomlkit's errors are ValueErrors
        raise DataError(
            f"{_shown(path)}: the settings could not be read ({exc}); nothing is changed"
        ) from None
    if isinstance(checked, tuple):
        checked = list(checked)
    if name == "keys":
        table = tomlkit.table()
        table.update(checked)
        checked = table
    document[name] = checked
    try:
        paths.ensure_private_dir(path.parent)
        paths.write_private_file(path, tomlkit.dumps(document).encode("utf-8"), sync=True)
    except OSError as exc:
        raise DataError(
            f"{_shown(path)}: the settings could not be saved ({exc.strerror or exc})"
        ) from None
    return load_config(path)


def _toml(value: Any) -> str:
    import json

    return json.dumps(value) if not isinstance(value, bool) else str(value).lower()


def _clean(text: str) -> str:
    """Text from the file, safe to show on a terminal, on one line (control characters,
    line breaks and tabs made visible)."""
    from emoflat.text import clean

    return clean(text).replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def _shown(path: Path) -> str:
    return _clean(str(path))


_KEY_AT_LINE_START = re.compile(r'\s*(?:\[+\s*)?"?([^"=\[\].\s]+)')


def _key_lines(text: str) -> dict[str, int]:
    """The line each top-level key is first set on (``key =``, ``key.part =``, ``[key]``),
    found in one pass however many keys the file has."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _KEY_AT_LINE_START.match(line)
        if match and not line.lstrip().startswith("#"):
            found.setdefault(match.group(1), number)
    return found
