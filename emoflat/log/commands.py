"""The log on the command line: ``emoflat history``, ``stats``, ``export`` and ``forget``.

Each ``run_*`` function is one command: output to stdout, the log's warnings (lines left
out, naming file and line) to stderr, the exit code returned, and an
:class:`~emoflat.errors.EmoflatError` raised for the CLI to print as one line. The log is
read once, line by line, and only what the output needs is kept of each session.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import stat
import sys
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from emoflat import paths
from emoflat.errors import DataError, EmoflatError
from emoflat.log import render
from emoflat.log.figures import Figures
from emoflat.log.store import (
    Session,
    delete_log_file,
    iter_blocks,
    iter_log,
    log_files,
    unsaved_files,
)

#: What ``emoflat forget`` asks the user to type to confirm.
FORGET_WORD = "forget"
#: Warnings printed before "... and N more".
MAX_WARNINGS = 10


class OutputExistsError(EmoflatError):
    """The file to export to already exists and ``--force`` was not given."""


def parse_since(text: str) -> date:
    """``--since``'s value: a date written YYYY-MM-DD (argparse makes errors usage errors)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(
            f"expected a date written YYYY-MM-DD, like 2026-03-01, not {text!r}"
        )
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"there is no date {text} in the calendar") from None


def today() -> date:
    """The user's local date now."""
    return now().date()


def now() -> datetime:
    """The local time now, to the second, with its UTC offset."""
    return datetime.now().astimezone().replace(microsecond=0)


def run_history(output: str = "text", since: date | None = None) -> int:
    """``emoflat history [--json|--csv] [--since DATE]``: past sessions, newest first."""
    warnings: list[str] = []
    first = since.toordinal() if since is not None else 0
    if output == "json":
        found = iter_log(None, warnings)
        lines = sorted(((-s.at, s.line) for s in found if s.day >= first), key=_first)
        _print_warnings(warnings)
        _write(render.json_parts([line for _, line in lines], b"[", b"]\n"))
        return 0
    kept = sorted(iter_log(None, warnings, lines=False), key=_newest_first)
    _print_warnings(warnings)
    shown = [s for s in kept if s.day >= first]
    if output == "csv":
        _write([_shown(render.csv_text(shown))])
    elif not shown:
        print("No sessions yet." if since is None or not kept else f"No sessions since {since}.")
    else:
        arrow = "→" if _can_print("→") else "->"
        _write(
            [render.history_text(shown, arrow).encode(sys.stdout.encoding or "utf-8", "replace")]
        )
    return 0


def run_stats(as_json: bool = False, first_weekday: int = 0) -> int:
    """``emoflat stats [--json]``: totals, days practised (weeks from ``first_weekday``,
    0 = Monday), check-ins as entered."""
    warnings: list[str] = []
    figures = Figures(today(), first_weekday)
    for block in iter_blocks(None, warnings, lines=False):
        figures.add(block)
    _print_warnings(warnings)
    if as_json:
        text = json.dumps(figures.to_json(), ensure_ascii=False, indent=2) + "\n"
    elif not figures.sessions:
        text = "No sessions yet.\n"
    else:
        text = "\n".join(render.stats_lines(figures, "–" if _can_print("–") else "-")) + "\n"
    _write([text.encode(sys.stdout.encoding or "utf-8", "replace")])
    return 0


def run_export(
    output_format: str,
    output: Path | None = None,
    *,
    force: bool = False,
    include_notes: bool = False,
) -> int:
    """``emoflat export --format csv|json|markdown [-o FILE]``: everything in the log.
    Without ``output`` it goes to stdout (the CLI's ``-o -``).

    Raises:
        OutputExistsError: ``output`` exists and ``force`` is false.
        EmoflatError: ``output`` could not be written, is a file of the session log, or
            is not a regular file (a folder, a FIFO, a device: never replaced).
    """
    if output is not None:
        _check_output(output)
    moment = now()
    warnings: list[str] = []
    sessions = sorted(iter_log(None, warnings), key=_newest_first)
    _print_warnings(warnings)
    if output_format == "json":
        opening = b'{"exported": ' + json.dumps(moment.isoformat()).encode() + b', "sessions": ['
        parts: Iterable[bytes] = render.json_parts([s.line for s in sessions], opening, b"]}\n")
    else:
        if output_format == "csv":
            text = render.csv_text(sessions)
        else:
            figures = Figures(moment.date()).add(sessions, by_month=True)
            noted = [s for s in reversed(sessions) if render.has_words(s)]
            text = render.markdown_summary(figures, noted, moment, include_notes=include_notes)
        parts = [_shown(text) if output is None else _utf8(text)]
    if output is None:
        _write(parts)
        return 0
    try:
        paths.write_private_file(output, parts, replace=force, sync=True)
    except FileExistsError:
        raise OutputExistsError(
            f"{output} already exists; nothing was written (add --force to replace it)"
        ) from None
    except OSError as exc:
        raise EmoflatError(f"Could not write {output} ({exc.strerror or exc})") from None
    noun = "session" if len(sessions) == 1 else "sessions"
    print(f"Exported {len(sessions):,} {noun} to {output}", file=sys.stderr)
    return 0


def run_forget(yes: bool = False, *, stdin: TextIO | None = None) -> int:
    """``emoflat forget [--yes]``: delete the session log and the unsaved sessions, after
    the user types :data:`FORGET_WORD` (``--yes``: without asking). Practices and settings
    stay.

    Raises:
        UsageError: Not ``yes`` and stdin is not a terminal.
        DataError: Some files could not be deleted (the rest were).
    """
    from emoflat.errors import UsageError

    stdin = sys.stdin if stdin is None else stdin
    if not yes and (stdin is None or not stdin.isatty()):
        raise UsageError(
            f"forget asks you to type '{FORGET_WORD}' to confirm, and there is no terminal "
            "to type it in; to delete without asking, run: emoflat forget --yes"
        )
    directory = paths.sessions_dir()
    logs = [path for path in log_files(directory) if not path.is_dir()]
    unsaved = unsaved_files()
    if not logs and not unsaved:
        print("There is no session log to delete.")
        return 0
    warnings: list[str] = []
    count = sum(1 for _ in iter_log(directory, warnings))
    _print_warnings(warnings)
    noun = "session" if count == 1 else "sessions"
    if not yes:
        plan = []
        if logs:
            files = "file" if len(logs) == 1 else "files"
            plan.append(
                f"This deletes your session log: {count:,} {noun} in {len(logs)} "
                f"{files} in {directory}:"
            )
            plan += [f"  {path.name}" for path in logs]
        if unsaved:
            files = "file" if len(unsaved) == 1 else "files"
            plan.append(
                f"{'It also deletes' if logs else 'This deletes'} {len(unsaved)} "
                f"unsaved session {files}, kept when the log could not be written:"
            )
            plan += [f"  {path}" for path in unsaved]
        plan.append(
            "Notes and answers go with them. Your practices and settings stay. "
            "This cannot be undone."
        )
        print("\n".join(plan), file=sys.stderr)
        print(f"Type {FORGET_WORD} and press Enter to delete it, or just press Enter to keep it: ",
              end="", file=sys.stderr, flush=True)  # fmt: skip
        answer = stdin.readline()
        if answer.strip().lower() != FORGET_WORD:
            if not answer:
                print(file=sys.stderr)
            print("Nothing was deleted.")
            return 0
    failed = []
    for path in [*logs, *unsaved]:
        try:
            delete_log_file(path) if path in logs else path.unlink(missing_ok=True)
        except OSError as exc:
            failed.append(f"{path} ({exc.strerror or exc})")
    if failed:
        raise DataError(f"Could not delete {'; '.join(failed)}. Everything else was deleted.")
    deleted = f"{count:,} {noun}"
    if unsaved:
        deleted += f" and {len(unsaved)} unsaved session{'' if len(unsaved) == 1 else 's'}"
    print(f"Deleted the session log: {deleted}. Your practices and settings are still there.")
    return 0


# --- output --------------------------------------------------------------------------------


def _first(pair: tuple[float, bytes]) -> float:
    return pair[0]


def _newest_first(session: Session) -> float:
    return -session.at


def _is_log_file(path: Path) -> bool:
    log_folder = os.path.realpath(paths.sessions_dir())
    return path.name.endswith(".jsonl") and os.path.realpath(path.parent) == log_folder


def _check_output(output: Path) -> None:
    """Refuse an export file that is part of the log, or that is there and is not a
    regular file: ``--force`` replaces a regular file only, never a device, a FIFO or a
    folder (a symbolic link is replaced itself; its target is never written).

    Raises:
        EmoflatError: Why ``output`` is not written.
    """
    if _is_log_file(output):
        raise EmoflatError(f"{output} is part of your session log; export to another file")
    try:
        mode = os.lstat(output).st_mode
    except OSError:
        return  # not there (or not reachable): writing it says what is wrong
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise EmoflatError(
            f"{output} is {paths.kind_of(mode)}, not a regular file; nothing was written "
            "(emoflat exports only to a regular file, or to stdout with -o -)"
        )


def _print_warnings(warnings: list[str]) -> None:
    for warning in warnings[:MAX_WARNINGS]:
        print(f"emoflat: {warning}", file=sys.stderr)
    if len(warnings) > MAX_WARNINGS:
        more = len(warnings) - MAX_WARNINGS
        print(f"emoflat: ... and {more:,} more skipped (the log files are left as they are)",
              file=sys.stderr)  # fmt: skip


def _can_print(text: str) -> bool:
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


_SURROGATE = re.compile("[\ud800-\udfff]")


def _utf8(text: str) -> bytes:
    """``text`` as UTF-8 for a file: a lone surrogate (valid JSON in a log line, but no
    character) becomes U+FFFD, so nothing in the log can stop an export."""
    return _SURROGATE.sub("\ufffd", text).encode("utf-8")


def _shown(text: str) -> bytes:
    """``text`` as UTF-8 for stdout, which may be a terminal: control characters and
    lone surrogates shown as :func:`emoflat.text.clean` shows them, never acted on."""
    from emoflat.text import clean

    return clean(text).encode("utf-8")


def _write(parts: Iterable[bytes]) -> None:
    sys.stdout.flush()
    write_bytes = getattr(sys.stdout, "write_bytes", None)  # the CLI's cleaning stdout
    buffer = getattr(sys.stdout, "buffer", None)
    for part in parts:
        if write_bytes is not None:
            write_bytes(part)
        elif buffer is None:  # a stdout replaced by text only (some test runners)
            sys.stdout.write(part.decode("utf-8", errors="replace"))
        else:
            buffer.write(part)
    if buffer is not None:
        buffer.flush()
