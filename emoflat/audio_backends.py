"""Which audio backends can play a chime here, in the order they are tried.

A leaf: no UI, nothing played. Detection is cheap: ``importlib.util.find_spec``,
``shutil.which`` and a socket's existence. The backends, in the order
``audio_backend = "auto"`` tries them:

============  ==========================================================================
simpleaudio   a Python child (:mod:`emoflat.audio_child`), the ``audio`` extra (ALSA)
pw-play       PipeWire, ``--volume`` (linear), if a PipeWire socket exists
paplay        PulseAudio, ``--volume`` (0-65536, cubic), if a PulseAudio socket exists
aplay         ALSA; no volume flag, so it plays a volume-scaled copy from the cache
afplay        macOS, ``-v`` (linear)
winsound      Windows, through the child (scaled copy)
bell          the terminal bell: the UI's callback, else ``\\a`` on a terminal stdout
none          silence
============  ==========================================================================

A forced backend (``audio_backend = "aplay"``, say) falls back only to the bell, then
silence.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from emoflat.config import AUDIO_BACKENDS

#: Every backend, in the order ``auto`` tries them (the settings name them once).
CHAIN: tuple[str, ...] = tuple(b for b in AUDIO_BACKENDS if b != "auto")


@dataclass(frozen=True, slots=True)
class Backend:
    """One backend and whether it can be used here."""

    name: str
    available: bool
    reason: str
    """Why it is or is not available, in a few words."""
    command: str | None = None
    """The player's full path, for the system players."""


def detect(*, bell: bool = False, env: Mapping[str, str] | None = None) -> list[Backend]:
    """Every backend in :data:`CHAIN` order, each available or not, and why.

    Cheap: looks for modules, programs and sound-server sockets; plays nothing.

    Args:
        bell: Whether the UI supplies a bell callback.
        env: The environment the players will run in (default: ``os.environ``).
    """
    env = os.environ if env is None else env
    search = env.get("PATH", os.defpath)
    runtime = env.get("XDG_RUNTIME_DIR", "")
    found: list[Backend] = []

    if importlib.util.find_spec("simpleaudio") is not None:
        found.append(Backend("simpleaudio", True, "importable (the audio extra)"))
    else:
        found.append(Backend("simpleaudio", False, "not installed (pip install 'emoflat[audio]')"))

    def program(name: str, platforms: tuple[str, ...], platform_text: str) -> str | None:
        if not sys.platform.startswith(platforms):
            found.append(Backend(name, False, f"only on {platform_text}"))
            return None
        where = shutil.which(name, path=search)
        if where is None:
            found.append(Backend(name, False, "not found on PATH"))
        return where

    unix = ("linux", "freebsd", "openbsd", "netbsd")
    where = program("pw-play", unix, "Linux and BSD")
    if where is not None:
        socket = _socket(env.get("PIPEWIRE_REMOTE", "pipewire-0"), runtime)
        if socket is None:
            found.append(Backend("pw-play", False, f"{where}, but no PipeWire server is running"))
        else:
            found.append(Backend("pw-play", True, f"{where}, server {socket}", where))
    where = program("paplay", unix, "Linux and BSD")
    if where is not None:
        server = env.get("PULSE_SERVER") or _socket("pulse/native", runtime)
        if server is None:
            found.append(Backend("paplay", False, f"{where}, but no PulseAudio server is running"))
        else:
            found.append(Backend("paplay", True, f"{where}, server {server}", where))
    where = program("aplay", ("linux",), "Linux")
    if where is not None:
        found.append(Backend("aplay", True, where, where))
    where = program("afplay", ("darwin",), "macOS")
    if where is not None:
        found.append(Backend("afplay", True, where, where))
    if sys.platform == "win32" and importlib.util.find_spec("winsound") is not None:
        found.append(Backend("winsound", True, "the winsound module"))
    else:
        found.append(Backend("winsound", False, "only on Windows"))

    if bell:
        found.append(Backend("bell", True, "the app's bell"))
    elif _stdout_is_terminal():
        found.append(Backend("bell", True, "stdout is a terminal"))
    else:
        found.append(Backend("bell", False, "stdout is not a terminal"))
    found.append(Backend("none", True, "silence"))
    return found


def _socket(name: str, runtime: str) -> str | None:
    path = name if os.path.isabs(name) else os.path.join(runtime, name) if runtime else ""
    return path if path and os.path.exists(path) else None


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def chain_for(setting: str) -> tuple[str, ...]:
    """The backends tried, in order, for an ``audio_backend`` setting.

    ``auto`` tries them all; a forced backend falls back only to the bell, then silence.
    """
    if setting not in CHAIN:
        return CHAIN
    if setting in ("bell", "none"):
        return CHAIN[CHAIN.index(setting) :]
    return (setting, "bell", "none")
