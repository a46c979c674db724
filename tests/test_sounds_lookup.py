"""Sound names: the user's folder first, then the built-ins; never a path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from emoflat import paths
from emoflat.sounds import available_sounds, sound_names, sound_path


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EMOFLAT_CONFIG_DIR", str(tmp_path))
    return tmp_path


def test_builtin_sounds_include_bowl_and_bell() -> None:
    assert {"bowl", "bell"} <= available_sounds()
    bowl = sound_path("bowl")
    assert bowl is not None and bowl.parent == paths.builtin_sounds_dir()


def test_a_user_sound_is_found_and_wins_over_a_builtin(config_dir: Path) -> None:
    sounds = config_dir / "sounds"
    sounds.mkdir()
    (sounds / "gong.wav").write_bytes(b"RIFF")
    (sounds / "bell.wav").write_bytes(b"RIFF")
    assert "gong" in available_sounds()
    assert sound_path("gong") == sounds / "gong.wav"
    assert sound_path("bell") == sounds / "bell.wav"


@pytest.mark.parametrize("name", ["", "../bowl", "a/b", "a\\b", "nope"])
def test_paths_and_unknown_names_resolve_to_nothing(name: str) -> None:
    assert sound_path(name) is None


def test_only_regular_files_are_sounds(tmp_path: Path) -> None:
    """A folder, a FIFO or a dangling link named NAME.wav is no sound (validate once took them)."""
    folder = tmp_path / "sounds"
    folder.mkdir()
    (folder / "real.wav").write_bytes(b"RIFF")
    (folder / "folder.wav").mkdir()
    os.mkfifo(folder / "fifo.wav")
    (folder / "dangling.wav").symlink_to(tmp_path / "nowhere.wav")
    (folder / "linked.wav").symlink_to(folder / "real.wav")
    assert sound_names(folder) == {"real", "linked"}
