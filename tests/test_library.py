"""The library: built-in, user and --practices sources, overrides, broken files, the cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emoflat import paths
from emoflat.library import CACHE_NAME, scan

BUILTIN_IDS = {p.stem for p in paths.builtin_practices_dir().glob("*.yaml")}


def practice_yaml(title: str, seconds: int = 30, extra: str = "") -> str:
    return (
        f'format: 1\n{extra}title: "{title}"\nsummary: "A test practice."\n'
        f'steps:\n  - say: "Look around."\n    seconds: {seconds}\n'
    )


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EMOFLAT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("EMOFLAT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EMOFLAT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def user_dir() -> Path:
    folder = paths.user_practices_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_builtins_are_listed_with_their_origin() -> None:
    library = scan()
    assert set(library.by_id) == BUILTIN_IDS
    assert all(e.origin == "built-in" for e in library.entries)
    assert library.problems == []


def test_a_user_practice_with_a_builtin_id_replaces_it() -> None:
    (user_dir() / "breath-observation.yaml").write_text(practice_yaml("My breath"))
    entry = scan().get("breath-observation")
    assert entry is not None
    assert entry.title == "My breath"
    assert entry.origin == "user"
    assert entry.replaces is not None and entry.replaces.origin == "built-in"
    assert entry.to_json()["overrides"] == entry.replaces.path


def test_a_practices_folder_replaces_user_and_builtin_ones(tmp_path: Path) -> None:
    (user_dir() / "calm.yaml").write_text(practice_yaml("User calm"))
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "calm.yaml").write_text(practice_yaml("Extra calm"))
    entry = scan([extra]).get("calm")
    assert entry is not None and entry.title == "Extra calm" and entry.origin == "extra"
    assert entry.replaces is not None and entry.replaces.title == "User calm"


def test_one_broken_user_file_never_hides_the_others() -> None:
    folder = user_dir()
    (folder / "a-good-one.yaml").write_text(practice_yaml("Good"))
    (folder / "broken.yaml").write_text("format: 1\ntitle: [\n")
    (folder / "z-good-too.yaml").write_text(practice_yaml("Also good"))
    library = scan()
    assert {"a-good-one", "z-good-too"} <= set(library.by_id)
    assert set(library.by_id) >= BUILTIN_IDS
    assert len(library.problems) == 1
    assert library.problems[0].startswith(f"{folder / 'broken.yaml'}:")


def test_two_files_with_one_id_in_one_folder_keep_the_first_and_name_the_second() -> None:
    folder = user_dir()
    (folder / "a.yaml").write_text(practice_yaml("First", extra="id: same\n"))
    (folder / "b.yaml").write_text(practice_yaml("Second", extra="id: same\n"))
    library = scan()
    entry = library.get("same")
    assert entry is not None and entry.title == "First"
    assert library.problems == [
        f"{folder / 'b.yaml'}:1:1: id: the id 'same' is already used by {folder / 'a.yaml'}; "
        "this file is skipped"
    ]


def test_only_yaml_files_directly_in_the_folder_count() -> None:
    folder = user_dir()
    (folder / "notes.txt").write_text("not a practice")
    (folder / ".hidden.yaml").write_text("broken: [")
    (folder / "short.yml").write_text(practice_yaml("Short"))
    (folder / "sub").mkdir()
    (folder / "sub" / "deep.yaml").write_text(practice_yaml("Deep"))
    library = scan()
    assert "short" in library.by_id and "deep" not in library.by_id
    assert library.problems == []


def test_the_cache_is_private_and_reused() -> None:
    scan()
    cache = paths.cache_dir() / CACHE_NAME
    assert cache.stat().st_mode & 0o777 == 0o600
    assert cache.parent.stat().st_mode & 0o777 == 0o700
    before = cache.stat().st_mtime_ns
    library = scan()
    assert cache.stat().st_mtime_ns == before, "an unchanged library is not rewritten"
    assert set(library.by_id) == BUILTIN_IDS


def test_an_edited_file_is_read_again_despite_the_cache() -> None:
    path = user_dir() / "mine.yaml"
    path.write_text(practice_yaml("Before", seconds=30))
    assert scan().by_id["mine"].title == "Before"
    path.write_text(practice_yaml("After, longer", seconds=45))
    entry = scan().by_id["mine"]
    assert entry.title == "After, longer" and entry.seconds == 45
    path.write_text("format: 1\n")
    library = scan()
    assert "mine" not in library.by_id
    assert library.problems and "missing the required field 'title'" in library.problems[0]


def test_a_new_user_sound_makes_a_practice_valid_again() -> None:
    path = user_dir() / "gong.yaml"
    path.write_text(practice_yaml("Gong") + "    chime: gong\n")
    assert "gong" not in scan().by_id
    paths.user_sounds_dir().mkdir(parents=True)
    (paths.user_sounds_dir() / "gong.wav").write_bytes(b"RIFF")
    assert "gong" in scan().by_id


def test_a_cache_folder_that_cannot_be_written_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("EMOFLAT_CACHE_DIR", str(blocker / "cache"))
    assert set(scan().by_id) == BUILTIN_IDS


def test_a_corrupt_cache_is_ignored() -> None:
    scan()
    (paths.cache_dir() / CACHE_NAME).write_text("{not json")
    assert set(scan().by_id) == BUILTIN_IDS


def test_load_gives_the_full_practice() -> None:
    library = scan()
    practice = library.load("breath-observation")
    assert practice.id == "breath-observation"
    assert any(step.kind == "breath" for step in practice.steps)


def test_close_matches_suggest_ids() -> None:
    library = scan()
    assert library.close_matches("breth")[0] == "breath-observation"
    assert "mirror-work" in library.close_matches("mirror")
    assert library.close_matches("zzzzzz") == []


def test_a_listing_cache_of_another_shape_is_not_read(tmp_path: Path) -> None:
    """A cache written by a version whose entries had other fields is read again, never
    passed on (it once ended in a TypeError)."""
    scan()  # writes the cache
    cache = paths.cache_dir() / CACHE_NAME
    data = json.loads(cache.read_text())
    for hit in data["files"].values():
        hit["result"].pop("shortest", None)
    data["key"] = data["key"].replace(",shortest", "")
    cache.write_text(json.dumps(data))
    assert scan().entries


def test_the_listing_cache_is_keyed_by_the_format_rules() -> None:
    """A practice cached as valid under older rules (before control characters were
    refused, say) is read and checked again: the rules are part of the cache's key."""
    import hashlib
    import json

    from emoflat import library
    from emoflat.practice_format import json_schema

    digest = hashlib.sha256(json.dumps(json_schema(), sort_keys=True).encode()).hexdigest()
    assert digest[:16] == library.RULES, "the format's rules changed: update library.RULES"
