"""What a user sees of hostile files and faults (issue 12), through the installed
``emoflat``: a log file that is a link, a FIFO or ``/dev/zero``, a full disk, an export
onto a device, a lone surrogate in the log, a settings file nested 5,000 deep or holding
control characters, sessions kept aside when the log could not be written.

Every run is the real program in a child process, with its own data, config, cache, home
and temporary folders. A run that would hang fails on its timeout instead.
"""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ONE_SECOND
from records import make_record, record_fields

from emoflat.log.record import Record, encode
from emoflat.log.store import append_record, log_file_for_host
from emoflat.text import clean

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="links, FIFOs and rlimits")

EMOFLAT = Path(sys.executable).parent / "emoflat"
#: Long enough for any command here on a slow machine; a command blocked on a FIFO or
#: reading /dev/zero never ends, and fails the test on this timeout.
TIMEOUT = 30


class Folders:
    """The program's folders, all under the test's ``tmp_path``."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path
        self.data = tmp_path / "data"
        self.config = tmp_path / "config"
        self.home = tmp_path / "home"
        self.temporary = tmp_path / "tmp"
        self.practices = tmp_path / "practices"
        for folder in (self.home, self.temporary, self.practices):
            folder.mkdir()
        (self.practices / "one-second.yaml").write_text(ONE_SECOND, encoding="utf-8")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("EMOFLAT_")}
        self.env.update(
            EMOFLAT_DATA_DIR=str(self.data),
            EMOFLAT_CONFIG_DIR=str(self.config),
            EMOFLAT_CACHE_DIR=str(tmp_path / "cache"),
            HOME=str(self.home),
            TMPDIR=str(self.temporary),
        )

    @property
    def sessions(self) -> Path:
        return self.data / "sessions"

    @property
    def unsaved(self) -> Path:
        return self.config / "unsaved"

    @property
    def log_file(self) -> Path:
        """This machine's log file, as the program names it."""
        return log_file_for_host(self.sessions)

    def run(self, *args: str, limit_file_size: int | None = None) -> Run:
        def limit() -> None:
            if limit_file_size is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

        done = subprocess.run(
            [str(EMOFLAT), *args],
            env=self.env,
            cwd=self.root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT,
            preexec_fn=limit,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    def practice(self, **kwargs: int) -> Run:
        return self.run(
            "practice", "one-second", "--plain", "--no-checkin",
            "--practices", str(self.practices), **kwargs,
        )  # fmt: skip

    def log(self, *records: Record) -> Path:
        for record in records:
            append_record(record, self.sessions)
        return self.log_file


class Run:
    """A finished run: its exit code and its output, checked to be UTF-8 and to hold
    neither a traceback nor an escape character."""

    def __init__(self, code: int, stdout: bytes, stderr: bytes) -> None:
        self.code = code
        self.out = stdout.decode("utf-8")  # strict: a lone surrogate never gets out
        self.err = stderr.decode("utf-8")
        self.both = self.out + self.err
        assert "Traceback" not in self.both, self.both
        assert "\x1b" not in self.both and "\x07" not in self.both


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Folders:
    made = Folders(tmp_path)
    for name in ("EMOFLAT_DATA_DIR", "EMOFLAT_CONFIG_DIR", "EMOFLAT_CACHE_DIR"):
        monkeypatch.setenv(name, made.env[name])
    return made


# --- item 3: the log file is a symbolic link -----------------------------------------------


def test_a_session_whose_log_file_is_a_link_is_kept_aside_and_the_target_is_untouched(
    folders: Folders,
) -> None:
    target = folders.root / "someone-elses-file.txt"
    target.write_bytes(b"not a log\n")
    target.chmod(0o644)
    folders.sessions.mkdir(parents=True)
    folders.log_file.symlink_to(target)

    run = folders.practice()

    assert run.code == 1
    [kept] = folders.unsaved.iterdir()
    assert json.loads(kept.read_text(encoding="utf-8"))["practice"] == "one-second"
    [message] = [line for line in run.both.splitlines() if "could not be saved" in line]
    assert "is a symbolic link" in message and str(kept) in message
    assert target.read_bytes() == b"not a log\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert folders.log_file.is_symlink()


# --- item 5: a full disk -------------------------------------------------------------------


def test_a_session_on_a_full_disk_leaves_the_log_as_it_was_and_says_where_it_is_kept(
    folders: Folders,
) -> None:
    log_file = folders.log(
        *[make_record(f"2026-03-{day:02d}T10:00:00+01:00") for day in range(1, 30)]
    )
    before = log_file.read_bytes()

    # The log may grow by 40 bytes: less than a record, more than the fallback needs.
    run = folders.practice(limit_file_size=len(before) + 40)

    assert run.code == 1
    assert log_file.read_bytes() == before
    [kept] = folders.unsaved.iterdir()
    [message] = [line for line in run.both.splitlines() if "could not be saved" in line]
    assert "File too large" in message and str(kept) in message
    history = folders.run("history")
    assert history.code == 0 and history.err == ""  # no torn fragment warned about


# --- item 4: export only ever replaces a regular file ---------------------------------------


def _not_a_regular_file(folders: Folders, kind: str) -> tuple[Path, list[str]]:
    """An export target of ``kind`` and the flags to export onto it."""
    if kind == "FIFO":
        path = folders.root / "out.fifo"
        os.mkfifo(path)
    elif kind == "folder":
        path = folders.root / "out-folder"
        path.mkdir()
    elif os.geteuid() == 0:  # a device node of our own, like /dev/null
        path = folders.root / "out-device"
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    else:  # not root: the real /dev/null, which no user may replace anyway
        return Path(os.devnull), []
    return path, ["--force"]


@pytest.mark.parametrize("kind", ["FIFO", "folder", "device"])
@pytest.mark.parametrize("output_format", ["csv", "json", "markdown"])
def test_export_never_replaces_what_is_not_a_regular_file(
    folders: Folders, kind: str, output_format: str
) -> None:
    folders.log(make_record())
    path, force = _not_a_regular_file(folders, kind)
    mode = os.lstat(path).st_mode

    run = folders.run("export", "--format", output_format, "-o", str(path), *force)

    assert run.code == 1
    assert run.out == ""
    [line] = run.err.splitlines()
    assert line.startswith("emoflat: ") and "not a regular file" in line and str(path) in line
    assert os.lstat(path).st_mode == mode


def test_export_force_still_replaces_a_regular_file(folders: Folders) -> None:
    folders.log(make_record())
    path = folders.root / "out.csv"
    path.write_text("old\n")
    run = folders.run("export", "--format", "csv", "-o", str(path), "--force")
    assert run.code == 0
    assert path.read_text(encoding="utf-8").startswith("id,")


def test_export_to_dash_writes_to_stdout(folders: Folders) -> None:
    record = make_record()
    folders.log(record)
    run = folders.run("export", "--format", "csv", "-o", "-")
    assert run.code == 0
    assert run.out.startswith("id,") and record.id in run.out
    assert not (folders.root / "-").exists()


# --- item 6: a lone surrogate in the log ----------------------------------------------------

SURROGATE_FIELDS = record_fields(
    title="\udc80 hands",
    note="a note \ud800",
    answers=[{"step": 2, "prompt": "What \udfff?", "text": "warm \udc80"}],
    tags=["\udc80 day"],
    before={"feel": 2, "tone": "\udc80", "words": ["flat", "\udc80"]},
)


@pytest.mark.parametrize(
    "args",
    [
        ["history"],
        ["history", "--csv"],
        ["history", "--json"],
        ["stats"],
        ["stats", "--json"],
        ["export", "--format", "csv"],
        ["export", "--format", "json"],
        ["export", "--format", "markdown"],
        ["export", "--format", "markdown", "--include-notes"],
    ],
    ids=" ".join,
)
def test_a_lone_surrogate_in_the_log_never_stops_the_output_on_stdout(
    folders: Folders, args: list[str]
) -> None:
    folders.sessions.mkdir(parents=True)
    folders.log_file.write_text(json.dumps(SURROGATE_FIELDS) + "\n", encoding="ascii")

    run = folders.run(*args)

    assert run.code == 0, run.err
    assert run.err == ""
    if "--json" not in args and args[-1] != "json":
        assert "hands" in run.out or "stats" in args


@pytest.mark.parametrize("output_format", ["csv", "markdown"])
def test_a_lone_surrogate_in_the_log_is_exported_to_a_file_as_a_replacement_character(
    folders: Folders, output_format: str
) -> None:
    folders.sessions.mkdir(parents=True)
    folders.log_file.write_text(json.dumps(SURROGATE_FIELDS) + "\n", encoding="ascii")
    path = folders.root / f"export.{output_format}"

    run = folders.run("export", "--format", output_format, "--include-notes", "-o", str(path))

    assert run.code == 0, run.err
    text = path.read_bytes().decode("utf-8")  # strict
    if output_format == "csv":
        assert "\ufffd hands" in text and "a note \ufffd" in text
    else:  # titles are one line of printable text there; answers and notes as written
        assert "hands" in text and "warm \ufffd" in text and "a note \ufffd" in text


# --- item 7 and 8: FIFOs, devices and huge files are skipped, never waited on or read -------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["history"], 0),
        (["history", "--json"], 0),
        (["stats"], 0),
        (["export", "--format", "json"], 0),
        (["export", "--format", "markdown"], 0),
        (["doctor"], 1),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
@pytest.mark.parametrize("kind", ["FIFO", "/dev/zero", "600 MiB"])
def test_a_log_file_that_is_a_fifo_a_device_or_huge_is_skipped_by_name(
    folders: Folders, args: list[str], code: int, kind: str
) -> None:
    record = make_record()
    folders.log(record)
    odd = folders.sessions / "sessions-odd.jsonl"
    if kind == "FIFO":
        os.mkfifo(odd)
        why = "is a FIFO (named pipe), not a regular file"
    elif kind == "/dev/zero":
        odd.symlink_to("/dev/zero")
        why = "is a device, not a regular file"
    else:
        with open(odd, "wb") as file:  # sparse: no room taken on the disk
            file.truncate(600 * 1024 * 1024)
        why = "is 600.0 MiB; emoflat reads at most 512.0 MiB"

    run = folders.run(*args)

    assert run.code == code, run.both
    assert f"{odd}: skipped a file that {why}" in run.both
    if "json" in args or "--json" in args:
        assert record.id in run.out


@pytest.mark.parametrize("kind", ["FIFO", "/dev/zero"])
def test_settings_that_are_a_fifo_or_a_device_mean_defaults_with_a_warning(
    folders: Folders, kind: str
) -> None:
    folders.config.mkdir()
    settings = folders.config / "config.toml"
    os.mkfifo(settings) if kind == "FIFO" else settings.symlink_to("/dev/zero")

    for run in (folders.run("doctor"), folders.run("chime", "no-such-sound")):
        assert "the settings could not be read" in run.both
        assert "every setting has its default" in run.both


def test_forget_deletes_a_fifo_named_like_a_log_file_without_waiting_on_it(
    folders: Folders,
) -> None:
    folders.log(make_record())
    fifo = folders.sessions / "sessions-fifo.jsonl"
    os.mkfifo(fifo)
    run = folders.run("forget", "--yes")
    assert run.code == 0
    assert not os.path.lexists(fifo) and not folders.log_file.exists()


# --- item 9: sessions kept aside are in one place, listed by doctor, deleted by forget ------


def test_doctor_lists_the_sessions_kept_aside_and_forget_deletes_them_all(
    folders: Folders,
) -> None:
    folders.sessions.mkdir(parents=True)
    folders.log_file.symlink_to(folders.root / "elsewhere")  # so the session is kept aside
    assert folders.practice().code == 1
    [kept] = folders.unsaved.iterdir()
    assert stat.S_IMODE(folders.unsaved.stat().st_mode) == 0o700
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert list(folders.home.iterdir()) == [] and list(folders.temporary.iterdir()) == []
    # Where emoflat 0.2 and earlier kept a record when its first choice failed too:
    older = [
        folders.home / "emoflat-unsaved-old.json",
        folders.temporary / "emoflat-unsaved-x.json",
    ]
    for path in older:
        path.write_text(encode(make_record()).decode() + "\n")

    doctor = folders.run("doctor")
    assert "Unsaved sessions" in doctor.out
    for path in (kept, *older):
        assert f"    {path}\n" in doctor.out

    forget = folders.run("forget", "--yes")
    assert forget.code == 0
    assert "3 unsaved sessions" in forget.out
    assert list(folders.unsaved.iterdir()) == []
    assert not any(path.exists() for path in older)


# --- item 10 and 11: settings nested 5,000 deep, control characters in a setting ------------


@pytest.mark.parametrize(
    "text",
    [
        "volume" + ".a" * 5000 + " = 1\n",
        "context_tags" + ".a" * 5000 + " = 1\n",
        "x = " + "[" * 5000 + "]" * 5000 + "\n",
        "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
    ],
    ids=["dotted key", "dotted list key", "arrays", "inline tables"],
)
def test_settings_nested_5000_deep_mean_a_clean_warning_and_defaults(
    folders: Folders, text: str
) -> None:
    folders.config.mkdir()
    (folders.config / "config.toml").write_text(text, encoding="utf-8")
    key = text.split(" ")[0].split(".")[0]
    for run in (folders.run("doctor"), folders.run("chime", "no-such-sound")):
        # Python 3.13's TOML reader takes dotted keys 5,000 deep: then the key's value is
        # refused by name, like any other value of the wrong kind.
        deep = "nested far too deeply" in run.both
        refused = any(f": {key}: expected" in line for line in run.both.splitlines())
        assert deep or (key != "x" and refused), run.both[:2000]
        assert "Traceback" not in run.both
        assert len(run.both.splitlines()) < 100


def test_control_characters_in_a_setting_are_shown_escaped(folders: Folders) -> None:
    folders.config.mkdir()
    (folders.config / "config.toml").write_text(
        '"\\u001b]0;title\\u0007key" = 1\nvolume = "\\u001b[2J\\u009b\\nloud"\n', encoding="utf-8"
    )
    for run in (folders.run("doctor"), folders.run("chime", "no-such-sound")):
        assert clean("\x1b]0;title\x07key") in run.both
        assert "\x9b" not in run.both
        [volume] = [line for line in run.both.splitlines() if "volume: expected" in line]
        assert "loud" in volume  # the line break in the value is shown, not made


def test_thousands_of_unknown_settings_are_summed_up_quickly(folders: Folders) -> None:
    folders.config.mkdir()
    (folders.config / "config.toml").write_text(
        "".join(f"k{n} = 1\n" for n in range(6000)), encoding="utf-8"
    )
    run = folders.run("chime", "no-such-sound")  # reading took 22 s before; TIMEOUT is 30
    warnings = [line for line in run.err.splitlines() if "config.toml" in line]
    assert len(warnings) == 21
    assert warnings[-1].endswith("... and 5,980 more settings not used")
    assert ":6:1: k5: unknown setting" in warnings[5]
