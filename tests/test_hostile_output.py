"""No control character reaches the terminal, whatever a practice file, the log or a file
name holds: every command's stdout and stderr, run through the installed ``emoflat``.

A practice with ESC, OSC 52 (the clipboard), BEL and C1 controls in its title, summary
and steps is refused with a located error; a session already in the log with them in its
title, note and answer is shown with each control written as an escape (``\\u001b``), so
JSON output stays JSON meaning the same, and ``export -o`` keeps the data exact.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ONE_SECOND
from hypothesis import example, given, settings
from hypothesis import strategies as st
from records import make_record

from emoflat.log.store import append_record
from emoflat.text import _UNSAFE, _UNSAFE_ON_ONE_LINE, CleanStream, clean

EMOFLAT = Path(sys.executable).parent / "emoflat"

#: What an attacker would write: the clipboard (OSC 52, ended by BEL), the window title,
#: clear screen, reset, the C1 forms of CSI and OSC, and DEL.
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
HOSTILE = f"Calm {OSC52} \x1b]0;pwned\x07 \x1b[2J\x1b[H\x1bc \x9b2J \x9d0;t\x9c \x07\x7f end"

#: The same, as a practice author writes it in YAML's double quotes.
HOSTILE_YAML = (
    r"Calm \e]52;c;cm0gLXJmIH4=\a \x1b]0;pwned\x07 \e[2J\e[H\ec \x9b2J \u009d0;t\u009c \a\x7f"
)

HOSTILE_PRACTICE = f"""\
format: 1
id: hostile
title: "{HOSTILE_YAML}"
summary: "Tab\there and {HOSTILE_YAML}"
steps:
  - say: "{HOSTILE_YAML}"
    seconds: 1
  - pick: ["fine", "{HOSTILE_YAML}"]
"""


#: A file name that retitles the window.
HOSTILE_NAME = "x\x1b]0;name\x07.yaml"


def terminal_safe(output: bytes) -> str | None:
    """What in ``output`` a terminal would act on, or ``None`` when nothing is: it must be
    UTF-8 holding no control character but line feeds, tabs and a CR before an LF."""
    try:
        text = output.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"not UTF-8: {exc}"
    for index, char in enumerate(text):
        code = ord(char)
        if char in "\n\t" or (char == "\r" and text[index + 1 : index + 2] == "\n"):
            continue
        if code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF:
            return f"U+{code:04X} at {index}: {text[max(0, index - 40) : index + 40]!r}"
    return None


@pytest.fixture
def hostile_home(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """Folders for a run: a hostile practice (also under a hostile file name) in the user's
    practices and in an extra folder, settings with controls in a key and a value, a
    session in the log with the hostile text, and a log file with a hostile name and a
    broken line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMOFLAT_")}
    env.update(
        EMOFLAT_CONFIG_DIR=str(tmp_path / "config"),
        EMOFLAT_DATA_DIR=str(tmp_path / "data"),
        EMOFLAT_CACHE_DIR=str(tmp_path / "cache"),
        LANG="C.UTF-8",
    )
    extra = tmp_path / "extra"
    for folder in (extra, tmp_path / "config" / "practices"):
        folder.mkdir(parents=True)
        (folder / "hostile.yaml").write_text(HOSTILE_PRACTICE, encoding="utf-8")
        (folder / HOSTILE_NAME).write_text(HOSTILE_PRACTICE, encoding="utf-8")
    (extra / "one-second.yaml").write_text(ONE_SECOND, encoding="utf-8")
    config = '"\\u001b]0;key\\u0007" = 1\nchime = "\\u009b2J\\u001b]52;c;eA==\\u0007"\n'
    (tmp_path / "config" / "config.toml").write_text(config, encoding="utf-8")
    sessions = tmp_path / "data" / "sessions"
    answers = [{"step": 1, "prompt": HOSTILE, "text": HOSTILE}]
    append_record(make_record(title=HOSTILE, note=HOSTILE, answers=answers), sessions)
    (sessions / "sessions-x\x1b]0;log\x07.jsonl").write_text('{"v"\n', encoding="utf-8")
    return env, extra


COMMANDS = [
    ("list",),
    ("list", "--json"),
    ("list", "--practices", "{extra}"),
    ("validate", "{extra}"),
    ("validate", "{extra}/hostile.yaml", f"no-such-{OSC52}.yaml"),
    ("show", "hostile", "--practices", "{extra}"),
    ("show", f"id{OSC52}"),
    ("history",),
    ("history", "--csv"),
    ("history", "--json"),
    ("stats",),
    ("stats", "--json"),
    ("export", "--format", "csv"),
    ("export", "--format", "json"),
    ("export", "--format", "markdown", "--include-notes"),
    ("doctor",),
    ("practice", "hostile", "--plain", "--practices", "{extra}"),
    ("practice", "one-second", "--plain", "--no-checkin", "--practices", "{extra}"),
    ("practice", "--history", "--plain"),
]


@pytest.mark.parametrize(
    "args", COMMANDS, ids=lambda args: " ".join(args).replace("{", "").replace("}", "")
)
def test_no_control_character_reaches_the_terminal(
    hostile_home: tuple[dict[str, str], Path], args: tuple[str, ...]
) -> None:
    env, extra = hostile_home
    argv = [arg.replace("{extra}", str(extra)) for arg in args]
    done = subprocess.run(
        [str(EMOFLAT), *argv],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert terminal_safe(done.stdout) is None, terminal_safe(done.stdout)
    assert terminal_safe(done.stderr) is None, terminal_safe(done.stderr)


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EMOFLAT), *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_practice_with_control_characters_is_refused_where_they_are(
    hostile_home: tuple[dict[str, str], Path],
) -> None:
    env, extra = hostile_home
    done = run(env, "validate", str(extra / "hostile.yaml"))
    assert done.returncode == 1
    message = "expected text without control characters (line breaks and tabs are fine)"
    assert done.stdout.splitlines() == [
        f"{extra}/hostile.yaml:3:8: title: {message}, got U+001B at character 6",
        f"{extra}/hostile.yaml:4:10: summary: {message}, got U+001B at character 19",
        f"{extra}/hostile.yaml:6:10: steps[0].say: {message}, got U+001B at character 6",
        f"{extra}/hostile.yaml:8:20: steps[1].pick[1]: {message}, got U+001B at character 6",
    ]
    assert run(env, "list", "--practices", str(extra)).stdout.count("hostile") == 0


def test_the_log_is_shown_with_escapes_and_json_output_keeps_its_meaning(
    hostile_home: tuple[dict[str, str], Path],
) -> None:
    env, _ = hostile_home
    for args in (("history", "--json"), ("export", "--format", "json")):
        done = run(env, *args)
        assert done.returncode == 0
        assert "\\u001b]52;c;cm0gLXJmIH4=\\u0007" in done.stdout
        shown = json.loads(done.stdout)
        sessions = shown if isinstance(shown, list) else shown["sessions"]
        assert [s["title"] for s in sessions] == [HOSTILE]
    csv = run(env, "history", "--csv").stdout
    assert "Calm \\u001b]52;c;cm0gLXJmIH4=\\u0007" in csv


def test_an_export_to_a_file_keeps_the_log_exact(
    hostile_home: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, _ = hostile_home
    exported = {}
    for output_format in ("json", "csv"):
        target = tmp_path / f"export.{output_format}"
        done = run(env, "export", "--format", output_format, "-o", str(target))
        assert done.returncode == 0, done.stderr
        exported[output_format] = target.read_bytes()
    # The log's own lines, as stored (JSON escapes C0 itself), and the CSV of them.
    logs = (tmp_path / "data" / "sessions").glob("*.jsonl")
    [stored] = [line for log in logs for line in log.read_bytes().splitlines() if b"title" in line]
    assert stored in exported["json"]
    assert HOSTILE.encode() in exported["csv"]


# --- where text leaves emoflat ----------------------------------------------------------


def test_clean_shows_each_control_character_as_its_escape() -> None:
    assert clean(f"a{OSC52}b") == "a\\u001b]52;c;cm0gLXJmIH4=\\u0007b"
    assert clean("\x9b2J \x7f \ud800") == "\\u009b2J \\u007f \\ud800"
    assert clean("lines\nand\ttabs\r\nkept, a lone \r not") == (
        "lines\nand\ttabs\r\nkept, a lone \\u000d not"
    )
    assert clean("a\nb\tc", keep_lines=False) == "a\\u000ab\\u0009c"
    assert clean(clean(HOSTILE)) == clean(HOSTILE)
    assert clean("café, 日本, \u202e") == "café, 日本, \u202e"


#: Characters on each side of every boundary clean() knows, and the lead bytes it looks for.
EDGES = (
    "\x00\x08\t\n\x0b\x0c\r\x0e\x1b\x1f \x7e\x7f\x80\x9b\x9f\xa0\xc2\xb7é"
    "\ud7ff\ud800\udbff\udc00\udfff\ue000한"
)


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.one_of(st.sampled_from(EDGES), st.characters(exclude_categories=()))),
    st.booleans(),
)
@example("\ud800", True)  # each thing clean() looks for, alone
@example("é\udfff", False)
@example("\x9b", True)
@example("\x1b", True)
@example("\x7f", True)
@example("a\rb", True)
@example("a\tb\n", False)
def test_clean_is_the_pattern_applied_whatever_the_text(text: str, keep_lines: bool) -> None:
    # clean() first looks for bytes that can start a control character; what it finds
    # (or does not) must never change what the pattern alone would give.
    pattern = _UNSAFE if keep_lines else _UNSAFE_ON_ONE_LINE
    expected = pattern.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    assert clean(text, keep_lines=keep_lines) == expected


def test_a_clean_stream_has_no_way_around_it() -> None:
    underneath = io.StringIO()
    stream = CleanStream(underneath)
    print(HOSTILE, file=stream)
    stream.writelines(["\x1b[2J", "\n"])
    assert getattr(stream, "buffer", None) is None  # no bytes can pass it
    assert underneath.getvalue() == clean(HOSTILE) + "\n\\u001b[2J\n"


def test_a_clean_stream_replaces_what_its_encoding_cannot_hold() -> None:
    underneath = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    stream = CleanStream(underneath)
    stream.write("café\x1b")
    stream.flush()
    assert underneath.buffer.getvalue() == b"caf?\\u001b"  # type: ignore[attr-defined]


@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
@pytest.mark.parametrize(
    "data",
    [
        b'{"title": "Calm"}\n',
        HOSTILE.encode(),
        "caf\u00e9 \u65e5\u672c".encode(),  # no byte that can start a control
        "\u00b7 \ud55c".encode(),  # lead bytes 0xC2 and 0xED, and no control
        b"a\rb\r\n",
    ],
    ids=["plain", "hostile", "non-ascii", "c2-ed-leads", "carriage returns"],
)
def test_bytes_written_to_a_clean_stream_come_out_as_their_text_would(
    data: bytes, encoding: str
) -> None:
    # write_bytes() passes clean UTF-8 straight through; whatever the path, the result is
    # what write() gives for the same text, in order with the text around it.
    by_bytes = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict")
    by_text = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict")
    for stream, write in ((by_bytes, "bytes"), (by_text, "text")):
        clean_stream = CleanStream(stream)
        clean_stream.write("before ")
        if write == "bytes":
            clean_stream.write_bytes(data)
        else:
            clean_stream.write(data.decode("utf-8"))
        clean_stream.write(" after")
        clean_stream.flush()
    assert by_bytes.buffer.getvalue() == by_text.buffer.getvalue()  # type: ignore[attr-defined]


def test_the_command_line_cleans_its_streams_only_while_it_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from emoflat.cli import main

    before = sys.stdout, sys.stderr
    assert main(["validate", f"no-such-{OSC52}.yaml"]) == 1
    assert (sys.stdout, sys.stderr) == before
    assert "no-such-\\u001b]52;c;cm0gLXJmIH4=\\u0007.yaml: no such" in capsys.readouterr().err
