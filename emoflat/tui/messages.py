"""Typed messages the screens send up to the app, which owns the flow between screens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from emoflat.recorder import SessionRecorder


class PracticeChosen(Message):
    """The user chose a practice and a length in the picker."""

    def __init__(self, practice_id: str, minutes: float | None) -> None:
        """Record the practice and length chosen.

        Args:
            practice_id: The chosen practice.
            minutes: The length asked for; ``None`` for the practice's own.
        """
        super().__init__()
        self.practice_id = practice_id
        self.minutes = minutes


class SessionEnded(Message):
    """A session ended: its last step finished, or the user ended it early."""

    def __init__(self, recorder: SessionRecorder) -> None:
        """Carry the recorder of the session that ended.

        Args:
            recorder: The recorder of the session that ended.
        """
        super().__init__()
        self.recorder = recorder


class BackToPicker(Message):
    """The user wants to choose another practice."""


class CheckInDone(Message):
    """The check-in before (or everything after) a session is done: go on."""

    def __init__(self, phase: str, *, leave: bool = False) -> None:
        """Say which check-in is done and how.

        Args:
            phase: ``"before"`` or ``"after"``.
            leave: Before: the user went back to the practices instead of starting.
        """
        super().__init__()
        self.phase = phase
        self.leave = leave
