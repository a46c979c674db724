"""``emoflat new ID``: a commented starter practice in the user's practices folder."""

from __future__ import annotations

import re
from pathlib import Path

from emoflat import paths
from emoflat.errors import DataError, UsageError
from emoflat.practice_format import ID_PATTERN

STARTER = """\
# Your own practice. Check it with: emoflat validate {path}
# The format: every field below is explained in a comment. Text is plain text.
# Put text in "quotes" so that YAML never reads a word like no or yes as true/false.
format: 1
id: {id}
title: "My practice"
summary: "A few quiet minutes, in my own words."
tags: [mine]
# group: what the practice is for; the picker lists practices under it. The built-ins use
# "Being present", "Putting it into words", "Kinder expectations" and "Getting ready for
# an appointment"; a group of your own is fine too.
group: "Being present"
# source: "where the idea comes from"
# chimes:
#   start: bowl            # a sound name, or none
#   end: bowl
#   interval: none         # or: {{every: 60, sound: bell}}
steps:
  # Each step has one kind: say, breath, prompt, pause or pick.
  # seconds: how long it lasts. Leave it out and the step waits for Enter.
  - say: "Settle in. Let your hands rest wherever they are comfortable."
    seconds: 15
    scale: false           # --minutes leaves this step as it is
  - breath: "If it feels okay, notice the breath as it is. There is nothing to change."
    seconds: 60
  - prompt: "What do you notice right now? Noticing nothing is fine too."
    answer: true           # you may type an answer; it is kept with the session
  - pick:                  # one of these is chosen each time
      - "Today I'll stay open to whatever I feel, even if it's nothing."
      - "Noticing nothing is still noticing."
    seconds: 20
    optional: true         # a short length (--minutes 1) may leave this step out;
                           # never mark a safety or grounding line optional
  - say: "When you are ready, look around and name one thing you can see."
    seconds: 15
    scale: false
"""


def write_starter(practice_id: str, folder: Path | None = None) -> Path:
    """Write ``ID.yaml`` into the user's practices folder and return its path.

    Raises:
        UsageError: ``practice_id`` is not a valid id.
        DataError: the file already exists (it is left as it is) or cannot be written.
    """
    if len(practice_id) > 64 or not re.match(ID_PATTERN, practice_id):
        raise UsageError(
            f"{practice_id!r} is not a valid id: use a-z, 0-9 and '-', "
            "starting with a letter or digit (at most 64 characters)"
        )
    folder = folder or paths.user_practices_dir()
    path = folder / f"{practice_id}.yaml"
    # A folder name that is not UTF-8 is shown with replacement characters in the file.
    shown = str(path).encode("utf-8", "replace").decode("utf-8")
    try:
        paths.ensure_private_dir(folder)
        text = STARTER.format(id=practice_id, path=shown).encode("utf-8")
        paths.write_private_file(path, text, replace=False, sync=True)  # whole, or nothing
    except FileExistsError:
        raise DataError(f"{shown} already exists; it was left as it is") from None
    except OSError as exc:
        raise DataError(f"cannot write {shown} ({exc.strerror or exc}); nothing was left") from None
    return path
