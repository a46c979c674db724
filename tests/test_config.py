"""Settings: defaults, every setting checked, a bad one named and its default used, the
file changed one setting at a time with the user's comments kept, never rewritten while
it cannot be read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emoflat.config import CONTEXT_TAGS, SETTINGS, Config, load_config, save_setting
from emoflat.errors import DataError
from emoflat.text import clean


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_file_means_every_default(tmp_path: Path) -> None:
    assert load_config(tmp_path / "config.toml") == Config()


def test_every_setting_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'chime = "bell"\nsound = false\nvolume = 40\naudio_backend = "aplay"\n'
        'checkin = "full"\nreduced_motion = true\ntheme = "high-contrast"\nminutes = 3\n'
        'week_starts = "sunday"\nplain = true\n[keys]\nmute = "f9"\n',
    )
    assert load_config(path) == Config(
        chime="bell",
        sound=False,
        volume=40,
        audio_backend="aplay",
        checkin="full",
        reduced_motion=True,
        theme="high-contrast",
        minutes=3,
        week_starts="sunday",
        plain=True,
        keys={"mute": "f9"},
    )


def test_checkin_true_and_false_still_read_as_before(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "checkin = false\n")).checkin == "off"
    assert load_config(write(tmp_path, "checkin = true\n")).checkin == "short"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("volume = 101\n", "1:1: volume: expected a whole number from 0 to 100, got 101; using 70"),
        ('volume = "loud"\n', "1:1: volume: expected a whole number from 0 to 100, got 'loud'"),
        ("volume = true\n", "1:1: volume: expected a whole number from 0 to 100, got True"),
        ("\nsound = 1\n", "2:1: sound: expected true or false, got 1; using true"),
        ('audio_backend = "alsa"\n', "1:1: audio_backend: expected one of auto, simpleaudio"),
        ('chime = "../x"\n', "1:1: chime: expected a sound name (like bowl or bell), got "),
        ('checkin = "some"\n', "1:1: checkin: expected one of off, short, full"),
        ('week_starts = "funday"\n', "1:1: week_starts: expected a day, like monday or sunday"),
        ("reduced_motoin = true\n", "1:1: reduced_motoin: unknown setting (did you mean"),
        ("keys = 3\n", "1:1: keys: expected a table of binding ids and keys"),
    ],
)
def test_a_bad_setting_is_named_with_its_line_and_keeps_its_default(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    config = load_config(path)
    [warning] = config.warnings
    assert warning.startswith(f"{path}:")
    assert message in warning
    assert "\n" not in warning
    assert config.readable
    key = text.split("=")[0].strip()
    if hasattr(Config(), key) and key != "reduced_motoin":
        assert getattr(config, key) == getattr(Config(), key)


def test_the_other_settings_are_kept_beside_a_bad_one(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "volume = 300\nsound = false\n"))
    assert (config.volume, config.sound) == (70, False)


@pytest.mark.parametrize(
    "text",
    ["volume = \n", "volume = 3\nvolume = 4\n", "[[x]\n", "a = " + "[" * 5000 + "]" * 5000 + "\n"],
    ids=["no value", "twice", "broken table", "5,000 deep"],
)
def test_a_file_that_is_not_toml_means_every_default_and_is_never_written(
    tmp_path: Path, text: str
) -> None:
    path = write(tmp_path, text)
    config = load_config(path)
    assert not config.readable
    assert config == Config(warnings=config.warnings, readable=False)
    assert "every setting has its default until it is fixed" in config.warnings[0]
    with pytest.raises(DataError, match="nothing is changed"):
        save_setting("volume", 40, path)
    assert path.read_text(encoding="utf-8") == text


def test_a_fifo_or_a_device_as_the_settings_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    assert "FIFO" in load_config(fifo).warnings[0]  # no writer: it would hang if opened
    zero = tmp_path / "zero.toml"
    zero.symlink_to("/dev/zero")
    assert "a device" in load_config(zero).warnings[0]  # never read: it has no end


def test_a_huge_settings_file_is_refused_with_its_real_size(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    with open(path, "wb") as file:
        file.truncate(10 * 1024 * 1024)
    assert "is 10.0 MiB; emoflat reads at most 64 KiB" in load_config(path).warnings[0]


def test_control_characters_in_a_key_are_shown_escaped(tmp_path: Path) -> None:
    path = write(tmp_path, '"vol\\u001b]0;pwned\\u0007ume" = 3\n')
    [warning] = load_config(path).warnings
    assert "\x1b" not in warning and "\x07" not in warning
    assert clean("vol\x1b]0;pwned\x07ume") in warning


def test_context_tags_extend_emoflats_own(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, 'context_tags = ["busy day", " poor sleep "]\n'))
    assert config.context_tags == ("busy day", "poor sleep")
    assert config.all_context_tags == (*CONTEXT_TAGS, "busy day")


def test_context_tags_must_be_short_printable_texts(tmp_path: Path) -> None:
    for text in ("context_tags = [1, 2]\n", 'context_tags = ["bell\\u0007"]\n'):
        [warning] = load_config(write(tmp_path, text)).warnings
        assert "context_tags: expected a list of short texts" in warning


def test_saving_a_setting_keeps_comments_and_order_byte_for_byte(tmp_path: Path) -> None:
    text = (
        "# my settings, written by hand\n"
        "sound = true   # chimes on\n"
        "\n"
        "volume = 30  # quiet, the office is small\n"
        'chime = "bell"\n'
        "# the end\n"
    )
    path = write(tmp_path, text)
    config = save_setting("volume", 50, path)
    assert config.volume == 50
    assert path.read_text(encoding="utf-8") == text.replace("volume = 30", "volume = 50")
    save_setting("theme", "high-contrast", path)
    assert path.read_text(encoding="utf-8").startswith(text.replace("volume = 30", "volume = 50"))
    assert load_config(path).theme == "high-contrast"


def test_saving_into_no_file_makes_a_private_one(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    save_setting("checkin", "off", path)
    assert load_config(path).checkin == "off"
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_bad_value_is_never_saved(tmp_path: Path) -> None:
    path = write(tmp_path, "volume = 30\n")
    with pytest.raises(ValueError, match="volume"):
        save_setting("volume", 400, path)
    assert path.read_text(encoding="utf-8") == "volume = 30\n"


def test_the_file_is_never_rewritten_by_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "# my settings\nvolume = 30  # quiet\n")
    before = path.read_bytes()
    load_config(path)
    assert path.read_bytes() == before


@settings(
    max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2048))
def test_any_bytes_give_settings_never_an_exception(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    config = load_config(path)
    assert isinstance(config, Config)
    assert all("\x1b" not in w and "\n" not in w for w in config.warnings)


@settings(
    max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=500))
def test_any_text_gives_settings_never_an_exception(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert isinstance(load_config(path), Config)


TOML_SCALARS = st.one_of(
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(["bowl", "off", "short", "monday", "aplay", "\x1b[2J", "\x9b", "\ud800"]),
)
TOML_VALUES = st.recursive(
    TOML_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
SETTING_NAMES = st.sampled_from([setting.name for setting in SETTINGS] + ["keys"])


@settings(
    max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=st.dictionaries(SETTING_NAMES | st.text(max_size=12), TOML_VALUES, max_size=8))
def test_any_valid_toml_of_any_values_gives_settings_and_clean_one_line_warnings(
    tmp_path: Path, table: dict[str, object]
) -> None:
    import tomlkit

    try:
        text = tomlkit.dumps(table)
    except (ValueError, TypeError):  # what tomlkit cannot write is no settings file
        return
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    config = load_config(path)
    assert isinstance(config, Config)
    for warning in config.warnings:
        assert warning.startswith(f"{path}:")
        assert clean(warning) == warning and "\n" not in warning and "\t" not in warning
    for name in ("volume", "minutes"):
        assert 0 <= getattr(config, name) <= 100
