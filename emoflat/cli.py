"""The command line: ``emoflat COMMAND``.

Each command imports what it needs when it runs; commands that draw no TUI never
import Textual. Errors the user can cause are printed as one line, never a traceback
(``--debug`` or ``EMOFLAT_DEBUG=1`` shows one).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import errno
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from emoflat import __version__
from emoflat.errors import EmoflatError, UsageError

if TYPE_CHECKING:
    from datetime import date

PROG = "emoflat"


class _Parser(argparse.ArgumentParser):
    #: The arguments being parsed (for a hint about an option given before its command).
    argv: Sequence[str] = ()

    def error(self, message: str) -> None:  # type: ignore[override]
        """Usage errors: one line and the hint, exit 2."""
        hint = _misplaced_option(self.argv) if self.prog == PROG else None
        hint = hint or f"Try '{self.prog} --help'."
        self.exit(2, f"{self.prog}: {message}\n{hint}\n")


def _misplaced_option(argv: Sequence[str]) -> str | None:
    """Where an option of a command given before the command goes ("emoflat --plain
    practice"), or ``None`` when there is no such option."""
    command = _chosen_command(argv)
    if command is None:
        return None
    sub = _Parser(prog=f"{PROG} {command}")
    _commands()[command][2](sub)
    for word in argv[: list(argv).index(command)]:
        option = word.split("=", 1)[0]
        if option in sub._option_string_actions:  # argparse has no public way to ask
            return f"{option} goes after the command: try '{PROG} {command} {word}'."
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line (see ``shared/spec/cli.md``).

    Args:
        only: build just this command's parser (start-up is quicker: each command's
            parser costs about a millisecond); ``None`` builds them all.
    """
    parser = _Parser(
        prog=PROG,
        description="Short guided practices in the terminal, for a few calm minutes at work.",
        epilog="Start with: emoflat practice",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (run, text, configure) in _commands().items():
        if only is None or name == only:
            sub: _Parser = commands.add_parser(name, help=text, description=text)
            sub.set_defaults(run=run)
            configure(sub)
    return parser


Configure = Callable[[argparse.ArgumentParser], None]


def _commands() -> dict[str, tuple[Callable[[argparse.Namespace], int], str, Configure]]:
    def nothing(parser: argparse.ArgumentParser) -> None:
        pass

    return {
        "practice": (_practice, "start a practice (a picker, or practice ID)", _practice_args),
        "list": (_list, "list every practice", _list_args),
        "show": (_show, "the plan of a practice: each step, how long, its text", _show_args),
        "validate": (_validate, "check practice files or folders", _validate_args),
        "schema": (_schema, "print the JSON Schema of the practice format", nothing),
        "help-now": (
            _help_now,
            "who to talk to now: crisis lines, when to see your MS team",
            nothing,
        ),
        "chime": (_chime, "ring a chime and say which audio backend played it", _chime_args),
        "doctor": (
            _doctor,
            "what emoflat sees: terminal, audio, paths, practices, log",
            nothing,
        ),
        "new": (_new, "write a starter practice into your practices folder", _new_args),
        "settings": (_settings, "change emoflat's settings (--plain: line by line)", _plain_arg),
        "history": (_history, "past sessions, newest first", _history_args),
        "stats": (_stats, "totals, days practised this week and month, check-ins", _json_arg),
        "export": (
            _export,
            "everything in the log; markdown is a summary for your MS team",
            _export_args,
        ),
        "forget": (
            _forget,
            "delete the session log and notes, after you type 'forget'",
            _forget_args,
        ),
    }


def _plain_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--plain", action="store_true", help="line by line, for screen readers and plain terminals"
    )


def _practice_args(practice: argparse.ArgumentParser) -> None:
    practice.add_argument("id", nargs="?", metavar="ID", help="the practice to start at once")
    practice.add_argument(
        "--minutes", type=_minutes, metavar="N", help="scale the practice to about N minutes"
    )
    practice.add_argument("--no-sound", action="store_true", help="no chimes this session")
    practice.add_argument(
        "--plain", action="store_true", help="line by line, for screen readers and plain terminals"
    )
    practice.add_argument(
        "--no-checkin", action="store_true", help="skip the before and after check-ins"
    )
    practice.add_argument(
        "--history",
        action="store_true",
        help="open on your sessions so far (with --plain: print them, as 'emoflat history')",
    )
    _practices_option(practice)


def _show_args(show: argparse.ArgumentParser) -> None:
    show.add_argument("id", metavar="ID", help="the practice to show")
    show.add_argument("--minutes", type=_minutes, metavar="N", help="planned for about N minutes")
    _json_arg(show)
    _practices_option(show)


def _list_args(listing: argparse.ArgumentParser) -> None:
    _json_arg(listing)
    _practices_option(listing)


def _json_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="as JSON")


def _validate_args(validate: argparse.ArgumentParser) -> None:
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")


def _chime_args(chime: argparse.ArgumentParser) -> None:
    chime.add_argument("name", nargs="?", metavar="NAME", help="a sound name (default: your chime)")


def _new_args(new: argparse.ArgumentParser) -> None:
    new.add_argument("id", metavar="ID", help="the new practice's id (a-z, 0-9 and '-')")


def _history_args(history: argparse.ArgumentParser) -> None:
    history_output = history.add_mutually_exclusive_group()
    history_output.add_argument(
        "--json", action="store_true", help="the sessions as a JSON array of the records"
    )
    history_output.add_argument("--csv", action="store_true", help="one CSV row per session")
    history.add_argument(
        "--since",
        type=_since,
        metavar="DATE",
        help="only sessions on or after DATE (YYYY-MM-DD, your local date)",
    )


def _export_args(export: argparse.ArgumentParser) -> None:
    export.add_argument(
        "--format", required=True, choices=("csv", "json", "markdown"), help="the format"
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to a new private FILE ('-': stdout)"
    )
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.add_argument(
        "--include-notes",
        action="store_true",
        help="put your answers and notes in the markdown summary too",
    )


def _forget_args(forget: argparse.ArgumentParser) -> None:
    forget.add_argument("--yes", action="store_true", help="delete without asking (for scripts)")


def _chosen_command(argv: Sequence[str]) -> str | None:
    """The command named on the command line, if it is one of ours (else ``None``)."""
    for arg in argv:
        if arg in ("-h", "--help", "--version"):
            return None
        if not arg.startswith("-"):
            return arg if arg in _commands() else None
    return None


def _practices_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--practices",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="load practices from DIR as well (may repeat)",
    )


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of minutes, got {text!r}") from None
    if not 0.5 <= value <= 60:
        raise argparse.ArgumentTypeError(f"expected minutes from 0.5 to 60, got {text}")
    return value


def _since(text: str) -> date:
    from emoflat.log.commands import parse_since

    return parse_since(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Everything written to stdout and stderr meanwhile passes through
    :func:`emoflat.text.clean`: whatever a practice, the log, the settings, a file name
    or an error message holds, no control character reaches the terminal. A control
    character is shown as JSON writes it (``\\u001b``), so JSON output still reads as the
    same data; CSV and text show the escape. Files written with ``export -o`` are the
    log's data, exact. The TUI draws on the terminal itself and cleans its widgets' text.
    """
    if argv is None:
        argv = sys.argv[1:]
    if not _fill_closed_streams():
        print(f"{PROG}: stdout is closed, so there is nowhere to write; nothing was done",
              file=sys.stderr)  # fmt: skip
        return 1
    from emoflat.text import CleanStream

    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = CleanStream(sys.stdout), CleanStream(sys.stderr)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: Sequence[str]) -> int:
    parser = build_parser(only=_chosen_command(argv))
    parser.argv = argv  # type: ignore[attr-defined]
    args = parser.parse_args(argv)
    debug = args.debug or os.environ.get("EMOFLAT_DEBUG") == "1"
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return 2
    try:
        code = run(args)
        sys.stdout.flush()  # here, not at exit: a full disk or a closed pipe is reported
        return code
    except EmoflatError as exc:
        if debug:
            raise
        print(f"{PROG}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        if debug:
            raise
        print(file=sys.stderr)
        return 130
    except OSError as exc:
        if debug or exc.errno not in _OUTPUT_ERRORS:
            raise
        _quiet_stdout()
        if isinstance(exc, BrokenPipeError):
            return 0  # `emoflat list | head`: the reader left; nothing to report
        print(f"{PROG}: could not write the output ({exc.strerror})", file=sys.stderr)
        return 1


def _fill_closed_streams() -> bool:
    """Put /dev/null on standard streams started closed (``<&-``, ``>&-``), so no file
    emoflat opens takes their place; whether stdout was open."""
    open_ = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
            open_.append(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # takes the lowest free descriptor: this one
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (for the rest of the process)
    if sys.stdin is None:
        sys.stdin = open(os.devnull)  # noqa: SIM115
    return 1 in open_


#: Errors writing the output: the reader left, the disk is full, the device failed.
_OUTPUT_ERRORS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EBADF})


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush has nothing to fail on."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


# --- commands ------------------------------------------------------------------------------


def _practice(args: argparse.Namespace) -> int:
    from emoflat.config import load_config
    from emoflat.launch import LaunchOptions, wants_plain
    from emoflat.library import scan

    if args.history and args.id is not None:
        raise UsageError("--history opens your sessions; start a practice from there")
    config = load_config()
    _say_warnings(config.warnings)
    plain = wants_plain(args.plain or config.plain)
    if args.history and plain:
        from emoflat.log.commands import run_history

        return run_history("text")
    reading = None
    if args.history:
        # Read the log while Textual loads, so the sessions are drawn soon after.
        from emoflat.log.store import start_reading

        reading = start_reading()
    library = scan(args.practices)
    if args.id is not None and library.get(args.id) is None:
        near = library.close_matches(args.id)
        hint = f" (did you mean {', '.join(near)}?)" if near else ""
        raise UsageError(f"no practice has the id {args.id!r}{hint}; 'emoflat list' shows them all")
    options = LaunchOptions(
        practice_id=args.id,
        minutes=args.minutes,
        sound=config.sound and not args.no_sound,
        checkin=config.checkin != "off" and not args.no_checkin,
        checkin_full=config.checkin == "full",
        practice_dirs=tuple(args.practices),
        config=config,
        history=args.history,
    )
    if plain:
        from emoflat.plain import run_plain

        _welcome_once()
        if options.minutes is None and config.minutes:  # the length chosen at first
            options = dataclasses.replace(options, minutes=float(config.minutes))
        return run_plain(options, library)
    from emoflat.tui import run_tui

    return run_tui(options, library, reading=reading)


def _welcome_once() -> None:
    """Plain mode on a terminal, the first time: what emoflat is, once (never to a script)."""
    from emoflat import firstrun

    if not firstrun.is_first_run() or not sys.stdin.isatty():
        return
    print(firstrun.HEADING)
    for line in firstrun.welcome_lines():
        print(line)
    print()
    firstrun.mark_shown()


def _settings(args: argparse.Namespace) -> int:
    from emoflat.launch import wants_plain

    if wants_plain(args.plain):
        from emoflat.settings_plain import run_settings_plain

        return run_settings_plain()
    from emoflat.config import load_config
    from emoflat.launch import LaunchOptions
    from emoflat.library import scan
    from emoflat.tui import run_tui

    config = load_config()
    _say_warnings(config.warnings)
    options = LaunchOptions(
        sound=config.sound,
        checkin=config.checkin != "off",
        checkin_full=config.checkin == "full",
        config=config,
        settings=True,
    )
    return run_tui(options, scan())


def _show(args: argparse.Namespace) -> int:
    from emoflat.library import scan
    from emoflat.show import run_show

    library = scan(args.practices)
    if library.get(args.id) is None:
        near = library.close_matches(args.id)
        hint = f" (did you mean {', '.join(near)}?)" if near else ""
        raise UsageError(f"no practice has the id {args.id!r}{hint}; 'emoflat list' shows them all")
    return run_show(library.load(args.id), args.minutes, as_json=args.json)


def _say_warnings(warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"{PROG}: {warning}", file=sys.stderr)


def _help_now(args: argparse.Namespace) -> int:
    from emoflat.helptext import help_text

    sys.stdout.write(help_text())
    return 0


def _list(args: argparse.Namespace) -> int:
    from emoflat.library import scan
    from emoflat.tui.wording import is_untimed

    library = scan(args.practices)
    for problem in library.problems:
        print(f"{PROG}: skipped a practice file with problems: {problem}", file=sys.stderr)
    entries = library.entries
    if args.json:
        import json

        json.dump([e.to_json() for e in entries], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    rows = [("ID", "TITLE", "MINUTES", "TAGS", "ORIGIN")]
    for e in entries:
        length = _minutes_text(e.seconds)
        if is_untimed(e.seconds, e.untimed_steps):
            length = "untimed"
        elif e.untimed_steps:
            length += "+"
        origin = e.origin
        if e.replaces is not None:
            origin += f" (replaces the {e.replaces.origin} one)"
        rows.append((e.id, e.title, length, ",".join(e.tags), origin))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    out = []
    for row in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:4])]
        out.append("  ".join([*cells, row[4]]).rstrip())
    if any(e.untimed_steps for e in entries):
        out.append("")
        out.append("+ some steps wait for you, so it may take longer")
    print("\n".join(out))
    return 0


def _minutes_text(seconds: float) -> str:
    if seconds == 0:
        return "-"
    if seconds < 60:
        return "<1"
    return f"{seconds / 60:.1f}".removesuffix(".0")


def _validate(args: argparse.Namespace) -> int:
    from emoflat.library import practice_files
    from emoflat.loader import check_practice
    from emoflat.sounds import available_sounds

    sounds = available_sounds()
    files: list[Path] = []
    missing = 0
    for path in args.paths:
        if path.is_dir():
            files.extend(practice_files(path))
        elif path.exists():
            files.append(path)
        else:
            print(f"{path}: no such file or folder", file=sys.stderr)
            missing += 1
    bad = 0
    for path in files:
        _, errors = check_practice(path, sounds=sounds)
        for error in errors:
            print(error)
        bad += bool(errors)
    noun = "file" if len(files) == 1 else "files"
    if bad:
        print(f"{bad} of {len(files)} {noun} {'has' if bad == 1 else 'have'} problems",
              file=sys.stderr)  # fmt: skip
    elif files:
        print(f"{len(files)} {noun} valid", file=sys.stderr)
    else:
        print("no practice files found", file=sys.stderr)
    return 1 if bad or missing or not files else 0


def _schema(args: argparse.Namespace) -> int:
    import json

    from emoflat.practice_format import json_schema

    json.dump(json_schema(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _new(args: argparse.Namespace) -> int:
    from emoflat.starter import write_starter

    path = write_starter(args.id)
    shown = str(path).encode("utf-8", "replace").decode("utf-8")
    print(shown)
    print(f"Edit it, then check it with: emoflat validate {shown}", file=sys.stderr)
    return 0


def _chime(args: argparse.Namespace) -> int:
    from emoflat.audio import run_chime
    from emoflat.config import load_config

    config = load_config()
    _say_warnings(config.warnings)
    return run_chime(args.name, config=config)


def _doctor(args: argparse.Namespace) -> int:
    from emoflat.doctor import run_doctor

    return run_doctor()


def _history(args: argparse.Namespace) -> int:
    from emoflat.log.commands import run_history

    output = "json" if args.json else "csv" if args.csv else "text"
    return run_history(output, since=args.since)


def _stats(args: argparse.Namespace) -> int:
    from emoflat.config import load_config
    from emoflat.log.commands import run_stats

    return run_stats(as_json=args.json, first_weekday=load_config().first_weekday)


def _export(args: argparse.Namespace) -> int:
    from emoflat.log.commands import run_export

    # The text as typed: "-" is stdout, and "./-" a file named "-" (Path would make both "-").
    output: str | None = args.output
    return run_export(
        args.format,
        None if output is None or output == "-" else Path(output),
        force=args.force,
        include_notes=args.include_notes,
    )


def _forget(args: argparse.Namespace) -> int:
    from emoflat.log.commands import run_forget

    return run_forget(yes=args.yes)
