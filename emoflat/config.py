"""The user's settings: ``$EMOFLAT_CONFIG_DIR/config.toml``. A leaf: no UI.

Every setting is optional. A bad file is a :class:`~emoflat.errors.DataError` naming the
file, the line and the setting; emoflat never rewrites the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from emoflat import paths
from emoflat.errors import DataError

#: ``auto``, then every audio backend in the order ``auto`` tries them.
AUDIO_BACKENDS = (
    "auto",
    "simpleaudio",
    "pw-play",
    "paplay",
    "aplay",
    "afplay",
    "winsound",
    "bell",
    "none",
)


#: Context a user may tag a session with; ``context_tags`` in the settings adds more.
CONTEXT_TAGS = ("tired day", "poor sleep", "relapse", "new medication", "stressful day", "good day")


@dataclass(frozen=True, slots=True)
class Config:
    """emoflat's settings, with their defaults."""

    chime: str = "bowl"
    """The default chime: a sound name."""
    sound: bool = True
    """Whether chimes ring at all."""
    volume: int = 70
    """Chime volume, 0-100 (%)."""
    audio_backend: str = "auto"
    """Force one audio backend, or ``auto`` for the first that works."""
    checkin: bool = True
    """Offer the before/after check-ins."""
    reduced_motion: bool = False
    """Nothing moves on screen (also ``TEXTUAL_ANIMATIONS=none``)."""
    context_tags: tuple[str, ...] = ()
    """The user's own context tags, offered after emoflat's (:data:`CONTEXT_TAGS`)."""

    @property
    def all_context_tags(self) -> tuple[str, ...]:
        """emoflat's context tags, then the user's own (each once)."""
        return tuple(dict.fromkeys((*CONTEXT_TAGS, *self.context_tags)))

    @property
    def path(self) -> Path:
        """Where the settings are read from."""
        return config_path()


_CHECKS: dict[str, tuple[type, str]] = {
    "chime": (str, "a sound name (like bowl or bell)"),
    "sound": (bool, "true or false"),
    "volume": (int, "a whole number from 0 to 100"),
    "audio_backend": (str, "one of " + ", ".join(AUDIO_BACKENDS)),
    "checkin": (bool, "true or false"),
    "reduced_motion": (bool, "true or false"),
    "context_tags": (list, 'a list of short texts, like ["busy day"]'),
}


def config_path() -> Path:
    """``config.toml`` in the user's config folder."""
    return paths.config_dir() / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Read the settings; a missing file means every default.

    Raises:
        DataError: the file is not valid TOML or a setting is not valid.
    """
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the settings: {exc}") from None
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"{found.group(1)}:{found.group(2)}" if found else "1:1"
        reason = re.sub(r"\s*\(at line .*\)", "", str(exc))
        raise DataError(f"{path}:{where}: not valid TOML: {reason}") from None
    values: dict[str, Any] = {}
    known = {f.name for f in fields(Config)}
    for key, value in data.items():
        line = _line_of(text, key)
        if key not in known:
            from difflib import get_close_matches

            near = get_close_matches(key, sorted(known), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise DataError(
                f"{path}:{line}:1: {key}: unknown setting{hint}; "
                f"the settings are: {', '.join(sorted(known))}"
            )
        kind, expected = _CHECKS[key]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if ok and key == "volume":
            ok = 0 <= value <= 100
        if ok and key == "audio_backend":
            ok = value in AUDIO_BACKENDS
        if ok and key == "chime":
            ok = re.fullmatch(r"[a-z0-9-]+", value) is not None
        if ok and key == "context_tags":
            ok = all(isinstance(t, str) and 0 < len(t.strip()) <= 40 for t in value)
            value = tuple(t.strip() for t in value) if ok else value
        if not ok:
            raise DataError(f"{path}:{line}:1: {key}: expected {expected}, got {value!r}")
        values[key] = value
    return Config(**values)


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return 1
