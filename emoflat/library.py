"""The library of practices: built-in, the user's own, and folders given with ``--practices``.

Sources are read in that order; a practice whose id is already taken by an earlier
source replaces it (and the library says so). One broken file never hides the others:
it is named in :attr:`Library.problems` and the rest load.

Listing must be quick, so what a listing needs of each file is cached, keyed by the
file's size, modification time and inode and by the sounds that exist; a cached listing
imports neither YAML nor the validator. The cache also keeps each valid practice whole,
so a practice started by id while its file is unchanged is not parsed again either.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from emoflat import paths
from emoflat.model import Practice, practice_from_json, practice_to_json
from emoflat.plan import plan, shortest_seconds

#: The practice format's rules, as a digest of its JSON Schema: a cache made under other
#: rules is not read (a file valid then may not be now). A test keeps it up to date.
RULES = "2619552542b9252a"


CACHE_NAME = "library-v1.json"
PRACTICE_SUFFIXES = (".yaml", ".yml")


class Entry:
    """What the library knows of one valid practice file, without loading it in full."""

    __slots__ = (
        "group",
        "id",
        "origin",
        "path",
        "practice",
        "replaces",
        "scalable",
        "seconds",
        "shortest",
        "source",
        "stamp",
        "summary",
        "tags",
        "title",
        "untimed_steps",
    )

    def __init__(
        self,
        *,
        id: str,
        title: str,
        summary: str,
        seconds: float,
        shortest: float,
        untimed_steps: int,
        scalable: bool,
        tags: Sequence[str],
        source: str | None,
        path: str,
        group: str | None = None,
        origin: str,
        replaces: Entry | None = None,
        practice: dict[str, Any] | None = None,
        stamp: list[int] | None = None,
    ) -> None:
        self.id = id
        self.title = title
        self.summary = summary
        self.seconds = seconds
        """Its own length: the sum of the timed steps, each at least its reading time."""
        self.shortest = shortest
        """The shortest it can run with every step readable (``plan.shortest_seconds``)."""
        self.untimed_steps = untimed_steps
        """Steps that wait for the user, so the practice may take longer."""
        self.scalable = scalable
        """Whether ``--minutes`` changes anything."""
        self.tags = tuple(tags)
        self.source = source
        self.group = group
        """What it is for, as the picker groups practices (``None``: not said)."""
        self.path = path
        self.origin = origin
        self.replaces = replaces
        """The entry this one replaces, if its id was already taken."""
        self.practice = practice
        """The whole practice as JSON values (``model.practice_to_json``), if known."""
        self.stamp = stamp
        """The file's (mtime, size, inode) when ``practice`` was read."""

    @classmethod
    def of(cls, practice: Practice, origin: str) -> Entry:
        """The entry of a loaded practice."""
        return cls(
            id=practice.id,
            title=practice.title,
            summary=practice.summary,
            seconds=plan(practice).seconds,
            shortest=shortest_seconds(practice),
            untimed_steps=sum(1 for s in practice.steps if s.seconds is None),
            scalable=any(s.scale and s.seconds is not None for s in practice.steps),
            tags=practice.tags,
            source=practice.source,
            group=practice.group,
            path=str(practice.path),
            origin=origin,
            practice=practice_to_json(practice),
            stamp=_stamp(practice.path) if practice.path else None,
        )

    def to_json(self) -> dict[str, Any]:
        """The entry as ``emoflat list --json`` shows it."""
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "minutes": round(self.seconds / 60, 2),
            "seconds": self.seconds,
            "untimed_steps": self.untimed_steps,
            "tags": list(self.tags),
            "source": self.source,
            "group": self.group,
            "origin": self.origin,
            "path": self.path,
            "overrides": self.replaces.path if self.replaces else None,
            "overrides_origin": self.replaces.origin if self.replaces else None,
        }

    def _cached(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__ if k not in ("replaces", "origin")}


class Library:
    """The practices found, in order of title, and the files that could not be loaded."""

    def __init__(self, entries: dict[str, Entry], problems: list[str]) -> None:
        self.by_id = entries
        self.problems = problems
        """One line per problem, ``file:line:col: path: message``."""

    @property
    def entries(self) -> list[Entry]:
        """Every practice, sorted by title."""
        return sorted(self.by_id.values(), key=lambda e: (e.title.casefold(), e.id))

    def get(self, practice_id: str) -> Entry | None:
        """The entry with this id, if any."""
        return self.by_id.get(practice_id)

    def close_matches(self, practice_id: str) -> list[str]:
        """Ids that look like ``practice_id`` (for "did you mean")."""
        from difflib import get_close_matches

        ids = list(self.by_id)
        near = [i for i in ids if practice_id and practice_id in i]
        # Also compare with each part of an id: "breth" is near "breath-observation".
        parts = {part: i for i in ids for part in i.split("-")}
        near += [parts[p] for p in get_close_matches(practice_id, list(parts), n=3, cutoff=0.75)]
        near += get_close_matches(practice_id, ids, n=3, cutoff=0.5)
        return list(dict.fromkeys(near))[:3]

    def load(self, practice_id: str) -> Practice:
        """Load one practice in full from its file.

        Raises:
            KeyError: no practice has this id.
            PracticeInvalid: the file changed since it was listed and is now invalid.
        """
        entry = self.by_id[practice_id]
        path = Path(entry.path)
        if entry.practice is not None and entry.stamp == _stamp(path):
            return practice_from_json(entry.practice, path, entry.origin)  # type: ignore[arg-type]
        from emoflat.loader import load_practice

        return load_practice(path, origin=entry.origin)


def sources(extra_dirs: Iterable[Path] = ()) -> list[tuple[str, Path]]:
    """The folders practices come from, in order: built-in, the user's, then extras."""
    found = [("built-in", paths.builtin_practices_dir()), ("user", paths.user_practices_dir())]
    found.extend(("extra", Path(d)) for d in extra_dirs)
    return found


def practice_files(folder: Path) -> list[Path]:
    """The practice files directly in ``folder``, sorted by name (hidden files skipped)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [
        folder / n for n in sorted(names) if n.endswith(PRACTICE_SUFFIXES) and not n.startswith(".")
    ]


def scan(extra_dirs: Iterable[Path] = (), *, use_cache: bool = True) -> Library:
    """Find every practice of every source.

    Args:
        extra_dirs: folders given with ``--practices``, read after the user's own.
        use_cache: read and update the listing cache.
    """
    from emoflat.sounds import available_sounds

    sounds = available_sounds()
    cache = _Cache(sounds) if use_cache else None
    entries: dict[str, Entry] = {}
    problems: list[str] = []
    for origin, folder in sources(extra_dirs):
        seen_here: dict[str, str] = {}
        for path in practice_files(folder):
            result = cache.get(path) if cache else None
            if result is None:
                result = _read(path, origin, sounds)
                if cache:
                    cache.put(path, result)
            if isinstance(result, list):
                problems.extend(result)
                continue
            entry = Entry(**result, origin=origin)
            if entry.id in seen_here:
                problems.append(
                    f"{path}:1:1: id: the id {entry.id!r} is already used by "
                    f"{seen_here[entry.id]}; this file is skipped"
                )
                continue
            seen_here[entry.id] = str(path)
            entry.replaces = entries.get(entry.id)
            entries[entry.id] = entry
    if cache:
        cache.save()
    return Library(entries, problems)


def _read(path: Path, origin: str, sounds: frozenset[str]) -> dict[str, Any] | list[str]:
    from emoflat.loader import check_practice

    practice, errors = check_practice(path, origin="user", sounds=sounds)
    if practice is None:
        return [str(e) for e in errors]
    return Entry.of(practice, origin)._cached()


def _stamp(path: Path) -> list[int] | None:
    """What tells a changed file: its modification time, size and inode."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino]


class _Cache:
    """A JSON file of what listing needs, per practice file; any doubt means a re-read."""

    def __init__(self, sounds: frozenset[str]) -> None:
        from emoflat import __version__

        self.path = paths.cache_dir() / CACHE_NAME
        # The fields kept and the rules that passed them are part of the key: a cache of
        # another shape, or made under other rules, is not read.
        shape = ",".join(Entry.__slots__)
        self.key = f"{__version__}|{shape}|{RULES}|{','.join(sorted(sounds))}"
        self.files: dict[str, Any] = {}
        self.dirty = False
        try:
            data = json.loads(paths.read_limited(self.path, 16 << 20))
            if isinstance(data, dict) and data.get("key") == self.key:
                self.files = data["files"]
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def get(self, path: Path) -> dict[str, Any] | list[str] | None:
        hit = self.files.get(str(path))
        if hit is None or hit.get("stamp") != _stamp(path):
            return None
        result: dict[str, Any] | list[str] = hit["result"]
        return result

    def put(self, path: Path, result: dict[str, Any] | list[str]) -> None:
        self.files[str(path)] = {"stamp": _stamp(path), "result": result}
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        # Only files that still exist are kept, so the cache doesn't grow forever.
        files = {p: v for p, v in self.files.items() if os.path.exists(p)}
        # ASCII: a file name that is not UTF-8 (a lone surrogate here) still round-trips.
        data = json.dumps({"key": self.key, "files": files}).encode("ascii")
        try:
            paths.ensure_private_dir(self.path.parent)
            paths.write_private_file(self.path, data)
        except OSError:
            pass  # the cache only saves time: a folder we cannot write is no error
