"""Loading one practice file: bytes to a valid :class:`~emoflat.model.Practice`, or errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emoflat import paths
from emoflat import practice_format as fmt
from emoflat.errors import DataError
from emoflat.model import STEP_KINDS, Chimes, IntervalChime, Origin, Practice, Step
from emoflat.sounds import available_sounds
from emoflat.text import clean
from emoflat.yamlsafe import MAX_BYTES, Problem, YamlProblem, compose

#: Shown as the field path of problems that concern the whole document.
DOCUMENT = "<document>"


@dataclass(frozen=True, slots=True)
class PracticeError:
    """One problem in one practice file."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        """The problem as one line, anything a terminal would act on shown as an escape
        (a file name or a key may hold anything)."""
        where = f"{self.file}:{self.line}:{self.column}: {self.path or DOCUMENT}"
        return clean(f"{where}: {self.message}", keep_lines=False)


class PracticeInvalid(DataError):
    """A practice file with problems; ``str()`` is every problem, one per line."""

    def __init__(self, problems: list[PracticeError]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def check_practice(
    path: Path,
    *,
    origin: Origin = "user",
    sounds: frozenset[str] | None = None,
    shown_as: str | None = None,
) -> tuple[Practice | None, list[PracticeError]]:
    """Load and validate one file; return the practice or every problem found.

    Args:
        path: the YAML file.
        origin: where the practice comes from (built-in, user, extra).
        sounds: the sound names that exist; ``None`` looks them up.
        shown_as: how the file is named in errors (default: ``path`` as given).
    """
    name = shown_as if shown_as is not None else str(path)

    def located(problems: list[Problem]) -> list[PracticeError]:
        ordered = sorted(problems, key=lambda p: (p.line, p.column))
        return [PracticeError(name, p.line, p.column, p.path, p.message) for p in ordered]

    try:
        data = paths.read_limited(path, MAX_BYTES)
    except paths.FileRefused as exc:
        return None, [PracticeError(name, 1, 1, "", f"the file {exc}")]
    except OSError as exc:
        return None, [PracticeError(name, 1, 1, "", f"cannot read the file: {exc.strerror}")]
    try:
        root = compose(data)
    except YamlProblem as exc:
        return None, located([exc.problem])
    ctx = fmt.Context(
        sound_exists=(sounds if sounds is not None else available_sounds()).__contains__
    )
    values = fmt.validate(root, ctx)
    if values is None:
        return None, located(ctx.problems)
    if "id" not in values and not _valid_id(path.stem):
        return None, [
            PracticeError(
                name,
                1,
                1,
                "id",
                f"the file name {path.stem!r} is not a valid id; add a line like "
                f"'id: {_suggest_id(path.stem)}' or rename the file",
            )
        ]
    return build_practice(values, path, origin, step_lines=_step_lines(root)), []


def load_practice(path: Path, **kwargs: Any) -> Practice:
    """Like :func:`check_practice`, but raise :class:`PracticeInvalid` on problems."""
    practice, problems = check_practice(path, **kwargs)
    if practice is None:
        raise PracticeInvalid(problems)
    return practice


def _valid_id(text: str) -> bool:
    import re

    return len(text) <= 64 and re.match(fmt.ID_PATTERN, text) is not None


def _suggest_id(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64] or "my-practice"


def _step_lines(root: Any) -> list[int]:
    """The 1-based line where each step starts in the file (validated: the root is a
    mapping with a list of steps)."""
    for key, value in getattr(root, "value", ()):
        if getattr(key, "value", None) == "steps":
            return [item.start_mark.line + 1 for item in getattr(value, "value", ())]
    return []


def build_practice(
    values: dict[str, Any],
    path: Path | None,
    origin: Origin,
    *,
    step_lines: Sequence[int] = (),
) -> Practice:
    """Turn validated values into a :class:`Practice`; ``step_lines`` are the lines the
    steps start on in their file, when known."""
    steps = []
    for number, raw in enumerate(values["steps"]):
        kind = next(k for k in STEP_KINDS if k in raw)
        texts = tuple(raw[kind]) if kind == "pick" else (raw[kind],)
        steps.append(
            Step(
                kind=kind,
                texts=texts,
                seconds=raw.get("seconds"),
                chime=raw.get("chime"),
                answer=bool(raw.get("answer", False)),
                scale=bool(raw.get("scale", True)),
                optional=bool(raw.get("optional", False)),
                line=step_lines[number] if number < len(step_lines) else 0,
            )
        )
    chimes_raw = values.get("chimes") or {}
    interval = chimes_raw.get("interval")
    chimes = Chimes(
        start=chimes_raw.get("start"),
        end=chimes_raw.get("end"),
        interval=IntervalChime(interval["every"], interval["sound"]) if interval else None,
    )
    return Practice(
        id=values.get("id") or (path.stem if path else "practice"),
        title=values["title"],
        summary=values["summary"],
        steps=tuple(steps),
        tags=tuple(values.get("tags") or ()),
        source=values.get("source"),
        group=values.get("group"),
        chimes=chimes,
        path=path,
        origin=origin,
    )
