"""``emoflat doctor``: what emoflat sees of this machine, as plain text.

Version, Python, platform, terminal and colour, the audio backend chain, the data and
config paths, the user's practices, the session log's health and the sessions kept aside
when it could not be written. Reads only: it plays nothing, writes nothing and imports no
UI (no Textual, no Rich).
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from emoflat import __version__, paths

#: At most this many problem or warning lines are listed per section.
MAX_LINES = 20


def run_doctor(*, out: TextIO | None = None) -> int:
    """Print the report.

    Args:
        out: Where to print (default stdout).

    Returns:
        0 if everything read is valid; 1 if the settings, a practice file or the
        session log has problems (the report names them).
    """
    from emoflat.text import clean

    stream = out if out is not None else sys.stdout
    lines: list[str] = []
    problems = 0
    for section in (_about, _terminal, _audio_and_settings, _paths, _practices, _log, _unsaved):
        found, text = section()
        problems += found
        if lines:
            lines.append("")
        lines.extend(text)
    # File names, settings and log lines may hold anything: shown, never acted on.
    stream.write(clean("\n".join(lines) + "\n"))
    stream.flush()
    return 1 if problems else 0


Section = tuple[int, list[str]]


def _about() -> Section:
    implementation = platform.python_implementation()
    return 0, [
        f"emoflat {__version__}",
        f"Python {platform.python_version()} ({implementation}) at {sys.executable}",
        f"platform {platform.platform()} ({sys.platform}, {platform.machine() or 'unknown'})",
    ]


# Terminal ------------------------------------------------------------------------------


def _terminal() -> Section:
    env = os.environ
    return 0, [
        "Terminal",
        f"  TERM: {env.get('TERM') or '(not set)'}",
        f"  size: {_terminal_size()}",
        f"  stdin is a terminal: {_yes(_isatty(sys.stdin))}",
        f"  stdout is a terminal: {_yes(_isatty(sys.stdout))}",
        f"  colour: {colour_support(env)}",
    ]


def _isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _terminal_size() -> str:
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        try:
            size = os.get_terminal_size(stream.fileno())
        except (AttributeError, ValueError, OSError):
            continue
        return f"{size.columns}x{size.lines}"
    return "unknown (no terminal)"


def colour_support(env: Mapping[str, str]) -> str:
    """How much colour emoflat will use, and why, from ``NO_COLOR``, ``COLORTERM``, ``TERM``."""
    if env.get("NO_COLOR"):
        return "off (NO_COLOR is set)"
    term = env.get("TERM", "")
    colorterm = env.get("COLORTERM", "")
    if term == "dumb":
        return "off (TERM=dumb)"
    if colorterm in ("truecolor", "24bit"):
        return f"24-bit (COLORTERM={colorterm})"
    detail = f"TERM={term or 'not set'}; " + (
        f"COLORTERM={colorterm}" if colorterm else "COLORTERM not set"
    )
    if "256color" in term:
        return f"256 colours ({detail})"
    return f"basic ({detail})"


# Audio and settings --------------------------------------------------------------------


def _audio_and_settings() -> Section:
    from emoflat.audio_backends import chain_for, detect
    from emoflat.config import config_path, load_config
    from emoflat.sounds import available_sounds, sound_path

    lines = ["Settings"]
    config = load_config()
    where = config_path()
    state = "invalid" if config.warnings else "valid" if where.is_file() else "missing"
    lines.append(f"  {where}: {state}{' (all defaults)' if state == 'missing' else ''}")
    lines += [f"  {warning}" for warning in config.warnings]
    problems = len(config.warnings)
    chime = sound_path(config.chime)
    lines += [
        f"  sound: {'on' if config.sound else 'off'}; volume {config.volume}%;"
        f" audio_backend = {config.audio_backend}",
        f"  chime: {config.chime} ({chime if chime else 'MISSING: no such sound'})",
        f"  sounds: {', '.join(sorted(available_sounds())) or 'none'}",
        "",
        "Audio backends (in the order tried)",
    ]
    if chime is None:
        problems += 1
    chain = chain_for(config.audio_backend)
    backends = detect()
    width = max(len(b.name) for b in backends)
    available = {b.name for b in backends if b.available}
    chosen = next((name for name in chain if name in available), "none")
    for backend in sorted(backends, key=lambda b: chain.index(b.name) if b.name in chain else 99):
        mark = "yes" if backend.available else "no "
        reason = backend.reason
        if backend.name not in chain:
            reason += f"; not tried (audio_backend = {config.audio_backend})"
        lines.append(f"  {backend.name:<{width}}  {mark}  {reason}")
    lines.append(f"  would use: {chosen}")
    if chosen == "bell":
        lines.append("  (in the full-screen app the bell is the app's own)")
    lines += [f"  note: {note}" for note in _audio_notes()]
    return problems, lines


def _audio_notes() -> list[str]:
    notes: list[str] = []
    import importlib.metadata
    import importlib.util

    if importlib.util.find_spec("simpleaudio") is not None:
        try:
            importlib.metadata.version("simpleaudio-patched")
        except importlib.metadata.PackageNotFoundError:
            if sys.version_info >= (3, 12):
                notes.append(
                    "simpleaudio (unpatched) crashes on Python 3.12 and later; emoflat plays"
                    " it in a child and falls back, but 'pip install simpleaudio-patched' fixes it"
                )
    cards = Path("/proc/asound/cards")
    if sys.platform == "linux":
        try:
            text = cards.read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        if not text.strip() or "no soundcards" in text:
            notes.append(
                "no sound card is listed in /proc/asound/cards: ALSA players (simpleaudio,"
                " aplay) work only through a sound server or an ~/.asoundrc"
            )
    return notes


# Paths ---------------------------------------------------------------------------------


def _paths() -> Section:
    from emoflat.config import config_path

    rows: Sequence[tuple[str, Callable[[], Path], bool]] = (
        ("config folder", paths.config_dir, True),
        ("settings file", config_path, False),
        ("your practices", paths.user_practices_dir, False),
        ("your sounds", paths.user_sounds_dir, False),
        ("data folder", paths.data_dir, True),
        ("session log", paths.sessions_dir, True),
        ("cache folder", paths.cache_dir, False),
        ("built-in practices", paths.builtin_practices_dir, False),
        ("built-in sounds", paths.builtin_sounds_dir, False),
    )
    lines = ["Paths"]
    width = max(len(label) for label, _, _ in rows)
    for label, where, private in rows:
        try:
            path = where()
        except Exception as exc:  # platformdirs may fail on an odd system; say so
            lines.append(f"  {label:<{width}}  unknown ({exc})")
            continue
        lines.append(f"  {label:<{width}}  {path}  ({_path_state(path, private)})")
    return 0, lines


def _path_state(path: Path, private: bool) -> str:
    try:
        st = path.stat()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    mode = st.st_mode & 0o777
    text = f"exists, {mode:04o}"
    if private and mode & 0o077:
        text += "; others can read it (emoflat makes its folders 0700)"
    return text


# Practices and the session log ---------------------------------------------------------


def _practices() -> Section:
    from emoflat.library import scan

    try:
        library = scan(use_cache=False)
    except Exception as exc:  # report, never crash the doctor
        return 1, ["Practices", f"  could not be scanned: {exc}"]
    entries = library.entries
    builtin = sum(1 for e in entries if e.origin == "built-in")
    user = sum(1 for e in entries if e.origin == "user")
    replacing = sum(1 for e in entries if e.origin == "user" and e.replaces is not None)
    count = f"{len(entries)} practices: {builtin} built-in, {user} yours"
    if replacing:
        count += f" ({replacing} replacing a built-in one)"
    lines = ["Practices", f"  {count}"]
    problems = library.problems
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        lines.append(f"  {len(problems)} {noun} (these files are skipped):")
        lines += _listed(problems)
    else:
        lines.append("  no problems")
    return (1 if problems else 0), lines


def _log() -> Section:
    from emoflat.errors import DataError
    from emoflat.log.store import read_log

    lines = ["Session log"]
    try:
        log = read_log()
    except DataError as exc:
        return 1, [*lines, f"  cannot be read: {exc}"]
    sessions = len(log.sessions)
    lines.append(f"  {sessions} session{'' if sessions == 1 else 's'} in {paths.sessions_dir()}")
    if log.warnings:
        noun = "warning" if len(log.warnings) == 1 else "warnings"
        lines.append(f"  {len(log.warnings)} {noun} (these lines are skipped, never changed):")
        lines += _listed(log.warnings)
    else:
        lines.append("  no warnings")
    return (1 if log.warnings else 0), lines


def _unsaved() -> Section:
    """Sessions kept aside because the log could not be written: not a problem (they are
    safe), but not in the history either until the user adds them to the log."""
    from emoflat.log.store import log_file_for_host, unsaved_files

    found = unsaved_files()
    lines = ["Unsaved sessions"]
    if not found:
        return 0, [*lines, f"  none (they would be kept in {paths.unsaved_dir()})"]
    noun = "session was" if len(found) == 1 else "sessions were"
    lines.append(f"  {len(found)} {noun} kept aside when the log could not be written:")
    lines += _listed([str(path) for path in found])
    lines += [
        "  each holds one line of the log; to add them to your history:",
        f"    cat FILE >> {log_file_for_host(paths.sessions_dir())}",
        "  'emoflat forget' deletes them with the log",
    ]
    return 0, lines


def _listed(items: Sequence[str]) -> list[str]:
    shown = [f"    {item}" for item in items[:MAX_LINES]]
    if len(items) > MAX_LINES:
        shown.append(f"    ... and {len(items) - MAX_LINES} more")
    return shown


def _yes(value: bool) -> str:
    return "yes" if value else "no"
