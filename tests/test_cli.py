"""The command line contract: commands, output, exit codes, no traceback, no Textual."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ONE_SECOND

from emoflat import paths

BUILTIN_IDS = sorted(p.stem for p in paths.builtin_practices_dir().glob("*.yaml"))
GOOD = 'format: 1\ntitle: "Mine"\nsummary: "A test."\nsteps:\n  - say: "Look."\n    seconds: 30\n'


#: A practice the real program runs in a second (a step with text would last at least its
#: reading time).
@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("EMOFLAT_")}
    (tmp_path / "home").mkdir()
    (tmp_path / "tmp").mkdir()
    out.update(
        EMOFLAT_CONFIG_DIR=str(tmp_path / "config"),
        EMOFLAT_DATA_DIR=str(tmp_path / "data"),
        EMOFLAT_CACHE_DIR=str(tmp_path / "cache"),
        HOME=str(tmp_path / "home"),  # forget also deletes unsaved copies older versions left
        TMPDIR=str(tmp_path / "tmp"),  # in the home and temporary folders: never the real ones
    )
    return out


def emoflat(
    env: dict[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "emoflat", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def user_practices(env: dict[str, str]) -> Path:
    folder = Path(env["EMOFLAT_CONFIG_DIR"]) / "practices"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_list_shows_every_builtin(env: dict[str, str]) -> None:
    result = emoflat(env, "list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split() == ["ID", "TITLE", "MINUTES", "TAGS", "ORIGIN"]
    for practice_id in BUILTIN_IDS:
        assert f"\n{practice_id} " in result.stdout
    assert result.stderr == ""


def test_list_says_untimed_for_the_practices_that_go_at_the_users_pace(
    env: dict[str, str],
) -> None:
    rows = {
        line.split()[0]: line
        for line in emoflat(env, "list").stdout.splitlines()[1:]
        if line and not line.startswith("+")
    }
    for practice_id in ("prepare-nutrient-check", "prepare-medication-conversation"):
        assert "  untimed  " in rows[practice_id]
        assert "<1" not in rows[practice_id]
    assert "  3  " in rows["breath-observation"]


def test_list_json_has_the_contract_fields(env: dict[str, str]) -> None:
    result = emoflat(env, "list", "--json")
    assert result.returncode == 0
    rows = json.loads(result.stdout)
    assert sorted(r["id"] for r in rows) == BUILTIN_IDS
    for row in rows:
        assert {"id", "title", "minutes", "tags", "origin", "overrides"} <= set(row)
        assert row["origin"] == "built-in" and row["overrides"] is None


def test_list_says_when_a_user_practice_replaces_a_builtin(env: dict[str, str]) -> None:
    (user_practices(env) / "mirror-work.yaml").write_text(GOOD)
    text = emoflat(env, "list").stdout
    line = next(ln for ln in text.splitlines() if ln.startswith("mirror-work "))
    assert "user (replaces the built-in one)" in line
    row = next(
        r for r in json.loads(emoflat(env, "list", "--json").stdout) if r["id"] == "mirror-work"
    )
    assert row["origin"] == "user" and row["overrides"].endswith("mirror-work.yaml")


def test_list_names_a_broken_file_and_still_shows_the_rest(env: dict[str, str]) -> None:
    folder = user_practices(env)
    (folder / "mine.yaml").write_text(GOOD)
    (folder / "broken.yaml").write_text(GOOD.replace("seconds: 30", "seconds: ten"))
    result = emoflat(env, "list")
    assert result.returncode == 0
    assert "\nmine " in result.stdout and "\nbreath-observation " in result.stdout
    assert result.stderr.strip() == (
        f"emoflat: skipped a practice file with problems: {folder / 'broken.yaml'}:6:14: "
        'steps[0].seconds: expected a number from 1 to 3600, got "ten"'
    )


def test_practices_option_adds_a_folder(env: dict[str, str], tmp_path: Path) -> None:
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "extra-one.yaml").write_text(GOOD)
    rows = json.loads(emoflat(env, "list", "--json", "--practices", str(extra)).stdout)
    assert {"id": "extra-one", "origin": "extra"}.items() <= next(
        r for r in rows if r["id"] == "extra-one"
    ).items()


def test_validate_prints_every_error_of_every_file_and_exits_1(
    env: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "a.yaml").write_text(GOOD.replace('"Mine"', "no").replace("30", "0"))
    (folder / "b.yaml").write_text(GOOD)
    single = tmp_path / "c.yaml"
    single.write_text("format: 3\n")
    result = emoflat(env, "validate", str(folder), str(single))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{folder / 'a.yaml'}:2:8: title: expected text")
    assert lines[1] == (
        f"{folder / 'a.yaml'}:6:14: steps[0].seconds: expected a number from 1 to 3600, got 0"
    )
    assert f"{single}:1:9: format: expected 1, got 3; this emoflat reads format version 1" in lines
    assert sorted(ln.split(": ")[1] for ln in lines[2:]) == ["format", "steps", "summary", "title"]
    assert result.stderr.strip() == "2 of 3 files have problems"
    assert "Traceback" not in result.stderr
    one = emoflat(env, "validate", str(single))
    assert (one.returncode, one.stderr.strip()) == (1, "1 of 1 file has problems")


def test_validate_accepts_the_builtins(env: dict[str, str]) -> None:
    result = emoflat(env, "validate", str(paths.builtin_practices_dir()))
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr.strip() == f"{len(BUILTIN_IDS)} files valid"


def test_validate_a_missing_path_exits_1(env: dict[str, str], tmp_path: Path) -> None:
    result = emoflat(env, "validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert f"{tmp_path / 'nope.yaml'}: no such file or folder" in result.stderr


def test_schema_is_json_schema_that_agrees_with_the_validator(env: dict[str, str]) -> None:
    import jsonschema
    import yaml

    result = emoflat(env, "schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["required"] == ["format", "title", "summary", "steps"]
    validator = jsonschema.Draft202012Validator(schema)
    for path in paths.builtin_practices_dir().glob("*.yaml"):
        assert list(validator.iter_errors(yaml.safe_load(path.read_text()))) == [], path
    bad = yaml.safe_load(GOOD.replace("say:", "sya:"))
    assert list(validator.iter_errors(bad))


def test_new_writes_a_commented_starter_that_validates(env: dict[str, str]) -> None:
    result = emoflat(env, "new", "my-calm")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path == user_practices(env) / "my-calm.yaml"
    assert path.stat().st_mode & 0o777 == 0o600
    text = path.read_text()
    assert text.count("#") >= 5
    assert emoflat(env, "validate", str(path)).returncode == 0
    listed = json.loads(emoflat(env, "list", "--json").stdout)
    assert any(r["id"] == "my-calm" and r["origin"] == "user" for r in listed)


def test_new_never_overwrites_what_the_user_wrote(env: dict[str, str]) -> None:
    path = user_practices(env) / "mine.yaml"
    path.write_text("my own words\n")
    result = emoflat(env, "new", "mine")
    assert result.returncode == 1
    assert result.stderr.strip() == f"emoflat: {path} already exists; it was left as it is"
    assert path.read_text() == "my own words\n"


def test_new_refuses_a_bad_id_as_a_usage_error(env: dict[str, str]) -> None:
    result = emoflat(env, "new", "Bad Id")
    assert result.returncode == 2
    assert "not a valid id" in result.stderr


def test_practice_with_an_unknown_id_exits_2_with_close_matches(env: dict[str, str]) -> None:
    result = emoflat(env, "practice", "breth")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "emoflat: no practice has the id 'breth' (did you mean breath-observation?); "
        "'emoflat list' shows them all"
    )


def test_practice_history_with_an_id_is_a_usage_error(env: dict[str, str]) -> None:
    result = emoflat(env, "practice", "breath-observation", "--history")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "emoflat: --history opens your sessions; start a practice from there"
    )


def test_practice_history_without_a_terminal_prints_the_history(env: dict[str, str]) -> None:
    plain = emoflat(env, "practice", "--history")  # stdin is not a terminal: plain
    assert plain.returncode == 0
    assert plain.stdout == emoflat(env, "history").stdout


def test_unknown_command_and_bad_flag_are_usage_errors(env: dict[str, str]) -> None:
    for args in (["bogus"], ["list", "--nope"], ["practice", "--minutes", "ten"]):
        result = emoflat(env, *args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr


def test_practice_flags_of_the_contract_are_accepted(env: dict[str, str]) -> None:
    from emoflat.cli import build_parser

    args = build_parser().parse_args(
        [
            "practice",
            "x",
            "--minutes",
            "3",
            "--no-sound",
            "--plain",
            "--no-checkin",
            "--practices",
            "a",
            "--practices",
            "b",
        ]
    )
    assert (args.minutes, args.no_sound, args.plain, args.no_checkin) == (3.0, True, True, True)
    assert [str(p) for p in args.practices] == ["a", "b"]


def test_version_and_help(env: dict[str, str]) -> None:
    from emoflat import __version__

    assert emoflat(env, "--version").stdout.strip() == f"emoflat {__version__}"
    result = emoflat(env, "--help")
    for command in ("practice", "list", "validate", "schema", "new", "help-now"):
        assert command in result.stdout


def test_help_now_prints_the_help_text(env: dict[str, str]) -> None:
    result = emoflat(env, "help-now")
    assert result.returncode == 0
    assert "Samaritans 116 123" in result.stdout
    assert "(numbers checked: 2026-11)" in result.stdout
    assert "Talk to your prescriber before changing anything." in result.stdout


def test_the_help_screen_joins_broken_lines_of_a_paragraph_and_keeps_the_lists() -> None:
    from emoflat.helptext import flowing, help_text

    text = help_text()
    flowed = flowing(text).splitlines()
    assert (
        "Not urgent, but something has changed? Your MS nurse, neurologist or doctor can help,"
        " especially if the numbness is new or getting worse, or you have felt low or lost"
        " interest in things most days for two weeks or more."
    ) in flowed
    assert "  Canada  call or text 9-8-8" in flowed  # indented lines stay lines
    assert "Talk to someone now (free, confidential):" in flowed  # ":" ends a line
    assert flowing(text).split() == text.split()  # not a word lost or added
    assert flowed.count("") == text.splitlines().count("")


def test_a_bad_setting_is_one_line_with_file_and_line_and_the_practice_still_runs(
    env: dict[str, str], tmp_path: Path
) -> None:
    config = Path(env["EMOFLAT_CONFIG_DIR"])
    config.mkdir(parents=True)
    (config / "config.toml").write_text("volume = 70\nvolum = 3\n")
    practices = tmp_path / "practices"
    practices.mkdir()
    (practices / "one-second.yaml").write_text(ONE_SECOND, encoding="utf-8")
    result = emoflat(env, "practice", "one-second", "--plain", "--practices", str(practices))
    assert result.returncode == 0
    assert result.stderr.strip() == (
        f"emoflat: {config / 'config.toml'}:2:1: volum: unknown setting (did you mean 'volume'?); "
        "it is left alone"
    )
    assert "Step 1 of 1, about 1 second" in result.stdout


#: Every command that draws no TUI, with real arguments, and the exit code it gives.
NO_TUI_COMMANDS = [
    (["list", "--practices", "PRACTICES"], 0),
    (["list", "--json"], 0),
    (["validate", "PRACTICES", "BUILTINS"], 0),
    (["schema"], 0),
    (["show", "one-second", "--minutes", "1", "--practices", "PRACTICES"], 0),
    (["show", "breath-observation", "--json"], 0),
    (["new", "my-calm"], 0),
    (["history"], 0),
    (["history", "--csv", "--since", "2026-01-01"], 0),
    (["history", "--json"], 0),
    (["stats"], 0),
    (["stats", "--json"], 0),
    (["export", "--format", "csv"], 0),
    (["export", "--format", "json"], 0),
    (["export", "--format", "markdown", "--include-notes", "-o", "OUTPUT"], 0),
    (["forget", "--yes"], 0),
    (["chime"], 0),
    (["doctor"], 0),
    (["help-now"], 0),
    (["practice", "one-second", "--plain", "--no-checkin", "--practices", "PRACTICES"], 0),
    (["practice", "--history", "--plain"], 0),
    (["practice", "no-such-id"], 2),
    (["--version"], 0),
]


@pytest.mark.parametrize(
    ("args", "exit_code"), NO_TUI_COMMANDS, ids=[" ".join(a) for a, _ in NO_TUI_COMMANDS]
)
def test_commands_that_draw_no_tui_import_no_ui_module(
    tmp_path: Path, args: list[str], exit_code: int
) -> None:
    from conftest import UI_MODULES, modules_imported_by
    from records import make_record

    from emoflat.log.store import append_record

    practices = tmp_path / "practices"
    practices.mkdir()
    (practices / "one-second.yaml").write_text(ONE_SECOND, encoding="utf-8")
    append_record(make_record("2026-03-02T10:00:00+01:00", note="[bold]kept[/]"))
    places = {
        "PRACTICES": str(practices),
        "BUILTINS": str(paths.builtin_practices_dir()),
        "OUTPUT": str(tmp_path / "summary.md"),
    }
    argv = [places.get(arg, arg) for arg in args]
    code = (
        "import os, sys\n"
        "os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # no terminal to read: nothing waits\n"
        "from emoflat.cli import main\n"
        "try:\n"
        f"    code = main({argv!r})\n"
        "except SystemExit as stop:\n"
        "    code = stop.code\n"
        f"assert code == {exit_code}, code\n"
    )
    assert modules_imported_by(code) & UI_MODULES == set()


def test_settings_plain_lists_the_settings_without_a_terminal(env: dict[str, str]) -> None:
    for args in (("settings", "--plain"), ("settings",)):  # no terminal: plain by itself
        result = emoflat(env, *args)
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0].startswith("Settings, in ") and lines[0].endswith("config.toml:")
        assert "3. Volume: 70%" in lines


def test_the_welcome_is_never_shown_to_a_script(env: dict[str, str], tmp_path: Path) -> None:
    practices = tmp_path / "practices"
    practices.mkdir()
    (practices / "quick.yaml").write_text(
        'format: 1\ntitle: "Quick"\nsummary: "One pause."\nsteps:\n  - pause: ""\n    seconds: 1\n'
    )
    result = emoflat(env, "practice", "quick", "--no-checkin", "--practices", str(practices))
    assert result.returncode == 0, result.stderr
    assert "Welcome" not in result.stdout
    assert not (Path(env["EMOFLAT_DATA_DIR"]) / "welcome-shown").exists()


def test_plain_mode_on_a_terminal_says_the_welcome_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from emoflat import cli, firstrun

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(cli.sys, "stdin", Terminal())
    cli._welcome_once()
    cli._welcome_once()
    out = capsys.readouterr().out
    assert out.count(firstrun.HEADING) == 1
    assert "not a medical device or a crisis service" in out
    assert not firstrun.is_first_run()


def test_export_to_dash_is_stdout_and_to_dot_slash_dash_a_file(
    env: dict[str, str], tmp_path: Path
) -> None:
    to_stdout = emoflat(env, "export", "--format", "json", "-o", "-", cwd=tmp_path)
    assert to_stdout.returncode == 0 and json.loads(to_stdout.stdout)["sessions"] == []
    assert not (tmp_path / "-").exists()
    to_file = emoflat(env, "export", "--format", "json", "-o", "./-", cwd=tmp_path)
    assert to_file.returncode == 0 and to_file.stdout == ""
    assert json.loads((tmp_path / "-").read_text())["sessions"] == []


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (
            ["--plain", "practice"],
            "--plain goes after the command: try 'emoflat practice --plain'.",
        ),
        (
            ["--no-sound", "practice"],
            "--no-sound goes after the command: try 'emoflat practice --no-sound'.",
        ),
        (["--json", "stats"], "--json goes after the command: try 'emoflat stats --json'."),
        (["--bogus"], "Try 'emoflat --help'."),
        (["list", "--plain"], "Try 'emoflat --help'."),  # after the command, but not its
        (["--plain", "stats"], "Try 'emoflat --help'."),  # not an option of stats either
    ],
)
def test_an_option_before_its_command_says_where_it_goes(
    env: dict[str, str], argv: list[str], hint: str
) -> None:
    result = emoflat(env, *argv)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == hint
    assert len(result.stderr.splitlines()) == 2 and "Traceback" not in result.stderr
