"""``emoflat history``, ``stats``, ``export`` and ``forget``: through their functions and
through the command line (``emoflat.cli.main``), with exit codes and warnings on stderr.

Logs are real files appended with ``append_record`` into the test's own data folder
(``conftest.py`` points emoflat's folders at ``tmp_path``). ``tests/test_log_golden.py``
pins every output byte for byte over one odd log; these tests say what each output is for.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import stat
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import msgspec
import pytest
from conftest import UI_MODULES, modules_imported_by
from records import make_record

from emoflat import paths
from emoflat.cli import main
from emoflat.errors import DataError, EmoflatError, UsageError
from emoflat.log import commands, store
from emoflat.log.commands import (
    MAX_WARNINGS,
    OutputExistsError,
    parse_since,
    run_export,
    run_forget,
    run_history,
    run_stats,
)
from emoflat.log.record import Record, encode, new_session_id
from emoflat.log.render import CSV_COLUMNS
from emoflat.log.store import append_record, read_log

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="file modes are POSIX")

PLUS_ONE = timezone(timedelta(hours=1))
#: "Now" for the commands: a Thursday morning at UTC+1.
NOW = datetime(2026, 3, 5, 9, 0, 0, tzinfo=PLUS_ONE)
SKIPPED = "skipped a line that is not a valid session record"
REAL_NOW = commands.now


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands' one clock, at :data:`NOW`."""
    monkeypatch.setattr(commands, "now", lambda: NOW)


@pytest.fixture(autouse=True)
def private_home_and_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A home and a temporary folder of the test's own: ``forget`` also deletes the
    unsaved sessions an earlier emoflat kept there, and must never touch the real ones."""
    for name in ("home", "tmp"):
        (tmp_path / name).mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))


def log(*records: Record, host: str = "laptop") -> Path:
    """Append records to ``host``'s file in the user's (test) log folder; the file."""
    path = store.log_file_for_host(paths.sessions_dir(), host)
    for record in records:
        path = append_record(record, host=host)
    return path


def line_of(record: Record) -> str:
    return encode(record).decode("utf-8")


def three_sessions() -> list[Record]:
    """Three sessions on two host files, returned newest first."""
    oldest = make_record("2026-03-01T09:00:00+01:00", before=None, after=None, note=None)
    middle = make_record(
        "2026-03-02T17:30:00+01:00",
        title="Sounds around you",
        practice="sounds",
        practiced_seconds=45,
        completed=False,
        after=None,
        answers=[],
        note="",
    )
    newest = make_record(
        "2026-03-04T10:00:00+01:00",
        practiced_seconds=240,
        after={"feel": 4, "tone": "mixed", "words": ["warm"], "felt": "not sure"},
    )
    log(oldest, newest, host="laptop")
    log(middle, host="desktop")
    return [newest, middle, oldest]


def csv_table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


# --- emoflat history -----------------------------------------------------------------------


def test_history_lists_sessions_newest_first(capfd: pytest.CaptureFixture[str]) -> None:
    three_sessions()
    assert run_history() == 0
    out, err = capfd.readouterr()
    assert out.splitlines() == [
        "2026-03-04 10:00  Noticing your hands    4 min  finished     feel 2 → 4  note",
        "2026-03-02 17:30  Sounds around you     <1 min  ended early  feel 2 before",
        "2026-03-01 09:00  Noticing your hands    3 min  finished",
    ]
    assert err == ""


def test_history_since_keeps_that_day_and_later(capfd: pytest.CaptureFixture[str]) -> None:
    newest, middle, _ = three_sessions()
    run_history("json", since=date(2026, 3, 2))
    assert [r["id"] for r in json.loads(capfd.readouterr().out)] == [newest.id, middle.id]
    run_history("csv", since=date(2026, 3, 4))
    assert [row[0] for row in csv_table(capfd.readouterr().out)] == ["id", newest.id]
    run_history(since=date(2026, 3, 5))
    assert capfd.readouterr().out == "No sessions since 2026-03-05.\n"


@pytest.mark.parametrize("text", ["2026-3-1", "20260301", "2026-W09-1", "yesterday", ""])
def test_since_must_be_a_date_written_yyyy_mm_dd(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="YYYY-MM-DD"):
        parse_since(text)
    assert parse_since("2026-03-01") == date(2026, 3, 1)


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "2026-00-10"])
def test_since_must_be_a_date_in_the_calendar(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=f"there is no date {text}"):
        parse_since(text)


def test_history_json_is_the_records_exactly_as_stored(capfd: pytest.CaptureFixture[str]) -> None:
    expected = three_sessions()
    run_history("json")
    out = capfd.readouterr().out
    assert [msgspec.convert(r, Record) for r in json.loads(out)] == expected
    lines = out.splitlines()
    assert lines[0] == "[" and lines[-1] == "]"
    assert [line.removesuffix(",") for line in lines[1:-1]] == [line_of(r) for r in expected]


def test_history_csv_is_a_row_a_session_newest_first(capfd: pytest.CaptureFixture[str]) -> None:
    newest, middle, oldest = three_sessions()
    run_history("csv")
    table = csv_table(capfd.readouterr().out)
    assert tuple(table[0]) == CSV_COLUMNS
    assert [row[0] for row in table[1:]] == [newest.id, middle.id, oldest.id]


def test_an_empty_or_missing_log(capfd: pytest.CaptureFixture[str]) -> None:
    for _ in range(2):  # no folder, then an empty file
        assert run_history() == 0
        assert capfd.readouterr() == ("No sessions yet.\n", "")
        run_history("json")
        assert json.loads(capfd.readouterr().out) == []
        run_history("csv")
        assert csv_table(capfd.readouterr().out) == [list(CSV_COLUMNS)]
        paths.sessions_dir().mkdir(parents=True, exist_ok=True)
        (paths.sessions_dir() / "sessions-laptop.jsonl").write_bytes(b"")


def test_two_host_files_merge_and_a_copied_session_shows_once(
    capfd: pytest.CaptureFixture[str],
) -> None:
    shared = make_record("2026-03-03T09:00:00+01:00")
    log(make_record("2026-03-02T09:00:00+01:00"), shared, host="laptop")
    log(shared, make_record("2026-03-04T09:00:00+01:00"), host="desktop")
    run_history("json")
    sessions = json.loads(capfd.readouterr().out)
    assert [s["started"][:10] for s in sessions] == ["2026-03-04", "2026-03-03", "2026-03-02"]


def test_a_torn_line_is_named_on_stderr_and_the_rest_shown(
    capfd: pytest.CaptureFixture[str],
) -> None:
    path = log(make_record("2026-03-02T09:00:00+01:00"))
    with open(path, "ab") as file:
        file.write(b'{"v":1,"id":"torn\n')
    log(make_record("2026-03-03T09:00:00+01:00"))
    for output in ("text", "json", "csv"):
        assert run_history(output) == 0
        out, err = capfd.readouterr()
        assert err == f"emoflat: {path}:2: {SKIPPED} (not valid JSON)\n"
        assert "2026-03-02" in out and "2026-03-03" in out


def test_a_field_left_out_is_named_on_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    path = log(make_record())
    with open(path, "ab") as file:
        file.write(encode(make_record()).replace(b'"completed":true', b'"completed":"yes"') + b"\n")
    run_history()
    out, err = capfd.readouterr()
    assert len(out.splitlines()) == 2
    assert err == (
        f"emoflat: {path}:2: kept the session, leaving out what is not as the log format "
        "says: completed\n"
    )


def test_many_skipped_lines_are_cut_short(capfd: pytest.CaptureFixture[str]) -> None:
    path = log(make_record())
    with open(path, "ab") as file:
        file.write(b"not json\n" * 25)
    run_history()
    err = capfd.readouterr().err.splitlines()
    assert len(err) == MAX_WARNINGS + 1 == 11
    assert err[0] == f"emoflat: {path}:2: {SKIPPED} (not valid JSON)"
    assert err[-1] == "emoflat: ... and 15 more skipped (the log files are left as they are)"


# --- emoflat stats -------------------------------------------------------------------------


def test_stats_text_shows_plain_figures(capfd: pytest.CaptureFixture[str]) -> None:
    three_sessions()
    log(make_record("2026-03-04T18:00:00+01:00", tags=["tired day"]))  # same day again
    assert run_stats() == 0
    out, err = capfd.readouterr()
    assert err == ""
    assert "Sessions: 4 (3 finished, 1 ended early)" in out
    assert "Days practised: 2 this week, 3 this month" in out
    assert "before a practice, all time:     3 check-ins, range 2, median 2" in out
    assert "after a practice, all time:      2 check-ins, range 3–4, median 3.5" in out
    assert "Context tags: tired day 1" in out
    for word in ("improve", "score", "streak", "better", "worse", "+1", "+2"):
        assert word not in out.lower()


def test_stats_json_has_the_same_figures(capfd: pytest.CaptureFixture[str]) -> None:
    three_sessions()
    run_stats(as_json=True)
    figures = json.loads(capfd.readouterr().out)
    assert figures["today"] == "2026-03-05"
    assert figures["sessions"] == 3
    assert figures["days_practised"] == {"this_week": 2, "this_month": 3}
    assert figures["feel"]["after"]["all_time"] == {"checkins": 1, "min": 4, "max": 4, "median": 4}
    assert figures["feel"]["before"]["last_30_days"] == {
        "checkins": 2,
        "min": 2,
        "max": 2,
        "median": 2,
    }
    assert figures["words"]["before"] == {"flat": 2, "foggy": 2}


def test_stats_of_an_empty_log(capfd: pytest.CaptureFixture[str]) -> None:
    assert run_stats() == 0
    assert capfd.readouterr() == ("No sessions yet.\n", "")
    run_stats(as_json=True)
    assert json.loads(capfd.readouterr().out)["sessions"] == 0


def test_stats_count_a_copied_session_once(capfd: pytest.CaptureFixture[str]) -> None:
    record = make_record(practiced_seconds=60)
    log(record, host="laptop")
    log(record, host="desktop")
    run_stats(as_json=True)
    figures = json.loads(capfd.readouterr().out)
    assert (figures["sessions"], figures["seconds_practised"]) == (1, 60)


def test_stats_and_history_are_the_same_however_the_log_is_read_in_blocks(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    three_sessions()
    log(
        *(make_record(f"2026-02-{day:02}T08:00:00+01:00", tags=["relapse"]) for day in range(1, 29))
    )
    outputs = []
    for block in (1 << 20, 1000, 1):
        monkeypatch.setattr(store, "_BLOCK", block)
        for command in (run_stats, run_history):
            command()
            outputs.append((block, command.__name__, capfd.readouterr()))
    assert len({(name, out) for _, name, out in outputs}) == 2


# --- emoflat export ------------------------------------------------------------------------


def test_export_json_holds_every_record_as_stored(capfd: pytest.CaptureFixture[str]) -> None:
    expected = three_sessions()
    assert run_export("json") == 0
    out = capfd.readouterr().out
    exported = json.loads(out)
    assert exported["exported"] == "2026-03-05T09:00:00+01:00"
    assert [msgspec.convert(r, Record) for r in exported["sessions"]] == expected
    assert all(line_of(r) in out for r in expected)
    for path in paths.sessions_dir().glob("*.jsonl"):
        path.unlink()
    run_export("json")
    assert json.loads(capfd.readouterr().out)["sessions"] == []


def test_export_csv_is_history_csv(capfd: pytest.CaptureFixture[str]) -> None:
    three_sessions()
    run_history("csv")
    history = capfd.readouterr().out
    run_export("csv")
    assert capfd.readouterr().out == history


def test_markdown_export_leaves_out_answers_and_notes_by_default(
    capfd: pytest.CaptureFixture[str],
) -> None:
    three_sessions()
    log(make_record("2026-01-20T10:00:00+01:00", tags=["poor sleep"], note="private words"))
    run_export("markdown")
    out = capfd.readouterr().out
    assert out.startswith("# Practice summary from emoflat\n")
    assert "- Period: 2026-01-20 to 2026-03-04" in out
    assert "- Made on: 2026-03-05" in out
    assert "| March 2026 | 3 | 3 | 8 |" in out
    assert "| poor sleep | 1 |" in out
    for private in ("private words", "Nothing much", "warmth", "What did you notice"):
        assert private not in out


def test_markdown_export_with_notes_shows_them_oldest_first(
    capfd: pytest.CaptureFixture[str],
) -> None:
    log(make_record("2026-03-04T10:00:00+01:00", note="the later note"))
    log(make_record("2026-03-01T10:00:00+01:00", note="the earlier note", answers=[]))
    log(make_record("2026-03-02T10:00:00+01:00", note=None, answers=[]))  # nothing written
    run_export("markdown", include_notes=True)
    out = capfd.readouterr().out
    assert out.index("the earlier note") < out.index("the later note")
    assert out.count("### 2026-03-0") == 2


def test_markdown_export_of_an_empty_log(capfd: pytest.CaptureFixture[str]) -> None:
    run_export("markdown")
    out = capfd.readouterr().out
    assert "No sessions in the log yet." in out and "not a medical record" in out


@posix_only
def test_export_to_a_file_is_private_and_never_overwritten(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    three_sessions()
    target = tmp_path / "summary.md"
    assert run_export("markdown", target) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    first = target.read_text(encoding="utf-8")
    assert first.startswith("# Practice summary")
    assert capfd.readouterr() == ("", f"Exported 3 sessions to {target}\n")
    with pytest.raises(OutputExistsError, match=str(target)) as caught:
        run_export("json", target)
    assert caught.value.exit_code == 1
    assert "--force" in str(caught.value)
    assert target.read_text(encoding="utf-8") == first
    run_export("json", target, force=True)
    assert json.loads(target.read_text(encoding="utf-8"))["exported"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".summary")] == []


def test_export_of_one_session_says_session(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    log(make_record())
    run_export("csv", tmp_path / "one.csv")
    assert capfd.readouterr().err == f"Exported 1 session to {tmp_path / 'one.csv'}\n"


@posix_only
def test_export_never_writes_through_a_symlink(tmp_path: Path) -> None:
    log(make_record())
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me")
    link = tmp_path / "export.csv"
    link.symlink_to(elsewhere)
    with pytest.raises(OutputExistsError):
        run_export("csv", link)
    assert elsewhere.read_text() == "keep me"
    run_export("csv", link, force=True)
    assert elsewhere.read_text() == "keep me"
    assert not link.is_symlink() and link.read_text().startswith("id,")


def test_export_never_replaces_the_session_log(tmp_path: Path) -> None:
    path = log(make_record())
    stored = path.read_bytes()
    link = tmp_path / "a-link-to-the-log-folder"
    link.symlink_to(path.parent, target_is_directory=True)
    for target in (path, path.parent / "sessions-new.jsonl", link / path.name):
        with pytest.raises(EmoflatError, match="part of your session log"):
            run_export("json", target, force=True)
    assert path.read_bytes() == stored
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_export_to_a_folder_that_is_missing_is_one_clear_error(tmp_path: Path) -> None:
    log(make_record())
    with pytest.raises(EmoflatError, match="Could not write") as caught:
        run_export("csv", tmp_path / "no such folder" / "out.csv")
    assert "\n" not in str(caught.value)


# --- emoflat forget ------------------------------------------------------------------------


class Terminal(io.StringIO):
    """A stdin that says it is a terminal, with what the user types."""

    def isatty(self) -> bool:
        return True


def a_full_setup() -> dict[str, Path]:
    """A log on two hosts, an unsaved session, practices, settings and other files."""
    log(make_record(), host="laptop")
    log(make_record("2026-03-05T10:00:00+01:00"), host="desktop")
    config = paths.config_dir()
    unsaved = config / "unsaved" / f"emoflat-unsaved-{new_session_id()}.json"
    unsaved.parent.mkdir(parents=True)
    unsaved.write_text(line_of(make_record()) + "\n")
    practice = paths.user_practices_dir() / "mine.yaml"
    practice.parent.mkdir(parents=True)
    practice.write_text("format: 1\n")
    settings = config / "config.toml"
    settings.write_text("sound = false\n")
    other = paths.sessions_dir() / "README.txt"
    other.write_text("not a log file")
    hidden = paths.sessions_dir() / ".sessions-old.jsonl"  # read as part of the log
    hidden.write_text(line_of(make_record()) + "\n")
    return {
        "laptop": paths.sessions_dir() / "sessions-laptop.jsonl",
        "desktop": paths.sessions_dir() / "sessions-desktop.jsonl",
        "hidden": hidden,
        "unsaved": unsaved,
        "practice": practice,
        "settings": settings,
        "other": other,
    }


LOG_FILES = {"laptop", "desktop", "hidden", "unsaved"}


def test_forget_yes_deletes_the_log_and_nothing_else(capfd: pytest.CaptureFixture[str]) -> None:
    files = a_full_setup()
    assert run_forget(yes=True) == 0
    assert {name for name, path in files.items() if not path.exists()} == LOG_FILES
    assert capfd.readouterr().out == (
        "Deleted the session log: 3 sessions and 1 unsaved session. "
        "Your practices and settings are still there.\n"
    )
    assert read_log() == ([], [])


def test_forget_deletes_after_the_typed_word(capfd: pytest.CaptureFixture[str]) -> None:
    files = a_full_setup()
    assert run_forget(stdin=Terminal(" Forget \n")) == 0
    out, err = capfd.readouterr()
    assert "3 sessions in 3 files" in err and "sessions-desktop.jsonl" in err
    assert "1 unsaved session file" in err and "Type forget" in err
    assert "This cannot be undone." in err
    assert out.startswith("Deleted the session log")
    assert {name for name, path in files.items() if not path.exists()} == LOG_FILES


@pytest.mark.parametrize("typed", ["yes\n", "\n", "", "forget it\n", "y\n"])
def test_forget_with_anything_else_typed_deletes_nothing(
    typed: str, capfd: pytest.CaptureFixture[str]
) -> None:
    files = a_full_setup()
    assert run_forget(stdin=Terminal(typed)) == 0
    assert capfd.readouterr().out == "Nothing was deleted.\n"
    assert all(path.exists() for path in files.values())


def test_forget_without_a_terminal_refuses(capfd: pytest.CaptureFixture[str]) -> None:
    files = a_full_setup()
    with pytest.raises(UsageError, match="--yes") as caught:
        run_forget(stdin=io.StringIO("forget\n"))
    assert caught.value.exit_code == 2
    assert all(path.exists() for path in files.values())


def test_forget_with_nothing_to_delete(capfd: pytest.CaptureFixture[str]) -> None:
    assert run_forget(yes=True) == 0
    assert capfd.readouterr().out == "There is no session log to delete.\n"


def test_forget_deletes_unsaved_sessions_without_a_log(capfd: pytest.CaptureFixture[str]) -> None:
    unsaved = paths.config_dir() / "unsaved" / "emoflat-unsaved-x.json"
    unsaved.parent.mkdir(parents=True)
    unsaved.write_text("{}\n")
    assert run_forget(stdin=Terminal("forget\n")) == 0
    err = capfd.readouterr().err
    assert "This deletes 1 unsaved session file" in err
    assert not unsaved.exists()


def test_forget_says_what_it_could_not_delete_and_deletes_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = a_full_setup()
    delete = commands.delete_log_file

    def refuse_laptop(path: Path) -> None:
        if path == files["laptop"]:
            raise PermissionError(13, "Permission denied")
        delete(path)

    monkeypatch.setattr(commands, "delete_log_file", refuse_laptop)
    with pytest.raises(DataError) as caught:
        run_forget(yes=True)
    assert str(caught.value) == (
        f"Could not delete {files['laptop']} (Permission denied). Everything else was deleted."
    )
    assert {name for name, path in files.items() if not path.exists()} == LOG_FILES - {"laptop"}


def test_after_forget_a_new_session_starts_a_new_log() -> None:
    a_full_setup()
    run_forget(yes=True)
    record = make_record()
    log(record)
    assert [session.record for session in read_log().sessions] == [record]


# --- the command line, as a user runs it ----------------------------------------------------


def test_cli_history_text_json_and_csv(capfd: pytest.CaptureFixture[str]) -> None:
    newest, middle, oldest = three_sessions()
    assert main(["history"]) == 0
    assert [line[:16] for line in capfd.readouterr().out.splitlines()] == [
        "2026-03-04 10:00",
        "2026-03-02 17:30",
        "2026-03-01 09:00",
    ]
    assert main(["history", "--json", "--since", "2026-03-02"]) == 0
    assert [r["id"] for r in json.loads(capfd.readouterr().out)] == [newest.id, middle.id]
    assert main(["history", "--csv"]) == 0
    assert [row[0] for row in csv_table(capfd.readouterr().out)] == [
        "id",
        newest.id,
        middle.id,
        oldest.id,
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("history", "--since", "2026-02-30"),
        ("history", "--since", "last week"),
        ("history", "--json", "--csv"),
        ("stats", "--csv"),
        ("export",),
        ("export", "--format", "pdf"),
        ("forget", "--force"),
    ],
)
def test_cli_usage_errors_exit_2_in_a_line_or_two(
    args: tuple[str, ...], capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(list(args))
    assert caught.value.code == 2
    out, err = capfd.readouterr()
    assert out == ""
    assert "Traceback" not in err and len(err.splitlines()) <= 3


def test_cli_an_empty_log_is_calm(capfd: pytest.CaptureFixture[str]) -> None:
    for command in (["history"], ["stats"]):
        assert main(command) == 0
        assert capfd.readouterr() == ("No sessions yet.\n", "")


def test_cli_stats_counts_this_week_from_the_real_today(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(commands, "now", REAL_NOW)
    today = datetime.now().astimezone().replace(microsecond=0, hour=12, minute=0, second=0)
    log(
        make_record(today.isoformat()),
        make_record((today + timedelta(hours=1)).isoformat()),
        make_record((today - timedelta(days=40)).isoformat()),
    )
    assert main(["stats", "--json"]) == 0
    figures = json.loads(capfd.readouterr().out)
    assert figures["today"] == today.date().isoformat()
    assert figures["sessions"] == 3
    assert figures["days_practised"]["this_week"] == 1
    assert figures["feel"]["before"]["last_30_days"]["checkins"] == 2


def test_cli_a_torn_line_is_named_with_file_and_line(capfd: pytest.CaptureFixture[str]) -> None:
    path = log(make_record())
    with open(path, "ab") as file:
        file.write(b"{torn\n")
    log(make_record("2026-03-05T10:00:00+01:00"))
    for command in (
        ["history"],
        ["history", "--json"],
        ["stats"],
        ["stats", "--json"],
        ["export", "--format", "csv"],
        ["export", "--format", "markdown"],
    ):
        assert main(command) == 0
        err = capfd.readouterr().err
        assert err == f"emoflat: {path}:2: {SKIPPED} (not valid JSON)\n", command


def test_cli_export_writes_a_private_file_and_never_overwrites(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    three_sessions()
    target = tmp_path / "for my nurse.md"
    assert main(["export", "--format", "markdown", "-o", str(target)]) == 0
    if sys.platform != "win32":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    capfd.readouterr()
    assert main(["export", "--format", "json", "-o", str(target)]) == 1
    out, err = capfd.readouterr()
    assert out == ""
    assert err.startswith("emoflat: ") and len(err.splitlines()) == 1
    assert str(target) in err and "--force" in err
    assert target.read_text(encoding="utf-8").startswith("# Practice summary")
    assert main(["export", "--format", "json", "-o", str(target), "--force"]) == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))["sessions"]) == 3


def test_cli_export_markdown_notes_only_when_asked(capfd: pytest.CaptureFixture[str]) -> None:
    log(make_record(note="only on request"))
    main(["export", "--format", "markdown"])
    assert "only on request" not in capfd.readouterr().out
    main(["export", "--format", "markdown", "--include-notes"])
    assert "only on request" in capfd.readouterr().out


def test_cli_forget_without_a_terminal_refuses_and_deletes_nothing(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    files = a_full_setup()
    monkeypatch.setattr(sys, "stdin", io.StringIO("forget\n"))
    assert main(["forget"]) == 2
    err = capfd.readouterr().err
    assert err.startswith("emoflat: ") and len(err.splitlines()) == 1 and "--yes" in err
    assert all(path.exists() for path in files.values())


def test_cli_forget_yes_deletes_the_log_only(capfd: pytest.CaptureFixture[str]) -> None:
    files = a_full_setup()
    assert main(["forget", "--yes"]) == 0
    assert {name for name, path in files.items() if not path.exists()} == LOG_FILES
    capfd.readouterr()
    assert main(["history"]) == 0
    assert capfd.readouterr().out == "No sessions yet.\n"


def test_cli_an_unreadable_log_folder_is_one_line_exit_1(
    capfd: pytest.CaptureFixture[str],
) -> None:
    paths.sessions_dir().parent.mkdir(parents=True)
    paths.sessions_dir().write_text("a file where the folder should be")
    for command in (["history"], ["stats"], ["export", "--format", "json"], ["forget", "--yes"]):
        assert main(command) == 1
        err = capfd.readouterr().err
        assert err.startswith("emoflat: Could not read the session log folder"), command
        assert len(err.splitlines()) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize(("typed", "deleted"), [("forget", True), ("no", False)])
def test_cli_forget_asks_on_a_terminal(typed: str, deleted: bool) -> None:
    import pty

    files = a_full_setup()
    controller, terminal = pty.openpty()
    try:
        os.write(controller, typed.encode() + b"\n")  # the terminal keeps it until read
        process = subprocess.Popen(
            [sys.executable, "-m", "emoflat", "forget"],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        out, err = process.communicate(timeout=60)
    finally:
        os.close(controller)
        os.close(terminal)
    assert process.returncode == 0
    assert b"Type forget" in err
    assert out.startswith(b"Deleted" if deleted else b"Nothing was deleted.")
    assert (not files["laptop"].exists()) is deleted
    assert files["settings"].exists() and files["practice"].exists()


@pytest.mark.parametrize(
    "command",
    [
        ("history",),
        ("history", "--json"),
        ("history", "--csv"),
        ("export", "--format", "csv"),
        ("export", "--format", "json"),
    ],
    ids=" ".join,
)
def test_cli_output_cut_short_by_the_reader_is_no_error(
    command: tuple[str, ...], tmp_path: Path
) -> None:
    # Far more than a pipe holds (64 KiB), in one file written straight (fsyncs are slow).
    start = datetime(2026, 3, 1, 10, tzinfo=PLUS_ONE)
    records = [make_record((start + timedelta(minutes=n)).isoformat()) for n in range(2000)]
    paths.sessions_dir().mkdir(parents=True)
    (paths.sessions_dir() / "sessions-laptop.jsonl").write_text(
        "".join(line_of(record) + "\n" for record in records), encoding="utf-8"
    )
    errors = tmp_path / "stderr"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", '"$0" -m emoflat "$@" 2>"$ERRORS" | head -1',
         sys.executable, *command],
        env={**os.environ, "ERRORS": str(errors)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, errors.read_text()
    assert len(done.stdout.splitlines()) == 1
    assert errors.read_text() == ""


# --- no UI library ---------------------------------------------------------------------------


def test_the_log_commands_import_no_ui_library() -> None:
    log(make_record())
    code = (
        "from emoflat.cli import main\n"
        "for args in (['history'], ['history', '--json'], ['history', '--csv'], ['stats'],\n"
        "             ['stats', '--json'], ['export', '--format', 'markdown', '--include-notes'],\n"
        "             ['export', '--format', 'csv'], ['export', '--format', 'json']):\n"
        "    assert main(args) == 0\n"
    )
    assert modules_imported_by(code) & UI_MODULES == set()


def test_the_core_modules_import_no_ui_library() -> None:
    code = (
        "import emoflat.log.record, emoflat.log.store, emoflat.log.figures\n"
        "import emoflat.log.render, emoflat.log.commands\n"
        "import emoflat.checkin, emoflat.countdown, emoflat.recorder\n"
    )
    assert modules_imported_by(code) & UI_MODULES == set()
