"""Settings: defaults, every setting checked, errors naming file, line and setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from emoflat.config import Config, load_config
from emoflat.errors import DataError


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
        "checkin = false\nreduced_motion = true\n",
    )
    assert load_config(path) == Config(
        chime="bell",
        sound=False,
        volume=40,
        audio_backend="aplay",
        checkin=False,
        reduced_motion=True,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("volume = 101\n", "1:1: volume: expected a whole number from 0 to 100, got 101"),
        ('volume = "loud"\n', "1:1: volume: expected a whole number from 0 to 100, got 'loud'"),
        ("volume = true\n", "1:1: volume: expected a whole number from 0 to 100, got True"),
        ("\nsound = 1\n", "2:1: sound: expected true or false, got 1"),
        ('audio_backend = "alsa"\n', "1:1: audio_backend: expected one of auto, simpleaudio"),
        ('chime = "../x"\n', "1:1: chime: expected a sound name"),
        ("reduced_motoin = true\n", "1:1: reduced_motoin: unknown setting (did you mean"),
        ("volume = \n", ":1:10: not valid TOML: "),
    ],
)
def test_a_bad_setting_names_file_line_and_setting(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(DataError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:") or str(caught.value).startswith(f"{path}")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_file_is_never_rewritten(tmp_path: Path) -> None:
    path = write(tmp_path, "# my settings\nvolume = 30  # quiet\n")
    before = path.read_bytes()
    load_config(path)
    assert path.read_bytes() == before


def test_context_tags_extend_emoflats_own(tmp_path: Path) -> None:
    from emoflat.config import CONTEXT_TAGS

    config = load_config(write(tmp_path, 'context_tags = ["busy day", " poor sleep "]\n'))
    assert config.context_tags == ("busy day", "poor sleep")
    assert config.all_context_tags == (*CONTEXT_TAGS, "busy day")


def test_context_tags_must_be_short_texts(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        load_config(write(tmp_path, "context_tags = [1, 2]\n"))
    assert "context_tags: expected a list of short texts" in str(caught.value)
