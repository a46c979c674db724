"""What ``emoflat practice`` was asked to do, and which front end serves it.

A leaf shared by the CLI, the TUI and the plain runner; it imports no UI.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from emoflat.config import Config


@dataclass(frozen=True, slots=True)
class LaunchOptions:
    """The flags of ``emoflat practice`` (see ``shared/spec/cli.md``) and the settings."""

    practice_id: str | None = None
    minutes: float | None = None
    sound: bool = True
    """False with ``--no-sound`` or when the settings turn sound off."""
    checkin: bool = True
    """False with ``--no-checkin`` or when the settings turn check-ins off."""
    checkin_full: bool = False
    """Every check-in question, not only how much you can feel (the settings' ``full``)."""
    practice_dirs: tuple[Path, ...] = ()
    config: Config = field(default_factory=Config)
    history: bool = False
    """``--history``: open on the sessions logged so far, over the picker."""
    welcome: bool = False
    """Show the first-run page first (:mod:`emoflat.firstrun`)."""
    settings: bool = False
    """``emoflat settings``: open on the settings, over the picker."""

    @property
    def reduced_motion(self) -> bool:
        """Nothing moves: the setting, or ``TEXTUAL_ANIMATIONS=none``."""
        return self.config.reduced_motion or os.environ.get("TEXTUAL_ANIMATIONS") == "none"


def wants_plain(asked: bool, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> bool:
    """Plain mode: asked for, or stdin/stdout not a terminal, or ``TERM=dumb``."""
    if asked or os.environ.get("TERM") == "dumb":
        return True
    try:
        return not (stdin.isatty() and stdout.isatty())
    except (AttributeError, ValueError):
        return True
