"""The recorder: one record in the log per started session, however the session ends."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from emoflat.model import SILENT, Chimes, Practice, Step
from emoflat.recorder import SessionRecorder
from emoflat.sessionlog import LogWriteError, read_records

WALL = datetime(2026, 3, 4, 10, 0, 0, tzinfo=timezone(timedelta(hours=1)))


class FakeClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.t = 1000.0

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def practice() -> Practice:
    return Practice(
        id="three-steps",
        title="Three steps",
        summary="A practice built in a test.",
        steps=(
            Step("say", ("Settle in.",), 10),
            Step("prompt", ("What is here?",), None, answer=True),
            Step("say", ("Name one thing you can see.",), 20),
        ),
        chimes=Chimes(start=SILENT, end=SILENT),
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    return tmp_path / "sessions"


def recorder_for(clock: FakeClock, log_dir: Path) -> SessionRecorder:
    return SessionRecorder(
        practice(), now=clock.now, wall=lambda: WALL, rng=random.Random(0), log_dir=log_dir
    )


def logged(log_dir: Path) -> list[dict[str, object]]:
    found = read_records(log_dir)
    assert found.warnings == []
    return found.records


def test_a_finished_session_is_logged_completed_with_its_answers(
    clock: FakeClock, log_dir: Path
) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    clock.advance(10)
    recorder.session.set_answer("  my hands  ")
    clock.advance(5)
    recorder.session.continue_()
    clock.advance(20)
    assert recorder.session.state().finished
    assert recorder.finish() is None
    [record] = logged(log_dir)
    assert record["completed"] is True
    assert record["id"] == recorder.session_id
    assert record["practice"] == "three-steps"
    assert record["practiced_seconds"] == 35
    assert record["answers"] == [{"step": 2, "prompt": "What is here?", "text": "my hands"}]
    assert record["before"] is None and record["after"] is None and record["note"] is None
    assert recorder.record == record
    assert recorder.log_path is not None and recorder.log_path.parent == log_dir


def test_a_session_ended_early_is_logged_not_completed(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    clock.advance(4)
    assert recorder.finish() is None
    [record] = logged(log_dir)
    assert record["completed"] is False
    assert record["practiced_seconds"] == 4
    assert record["started"] == "2026-03-04T10:00:00+01:00"
    assert record["ended"] == "2026-03-04T10:00:04+01:00"


def test_finish_is_idempotent_the_record_is_appended_once(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    clock.advance(3)
    for _ in range(3):
        assert recorder.finish() is None
        clock.advance(100)
    [record] = logged(log_dir)
    assert record["practiced_seconds"] == 3
    assert recorder.done


def test_a_session_that_never_started_is_not_logged(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    assert recorder.finish() is None
    assert recorder.record is None
    assert not log_dir.exists()


def test_pauses_are_not_practice_time(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    clock.advance(2)
    recorder.session.pause()
    clock.advance(60)
    recorder.finish()
    [record] = logged(log_dir)
    assert record["practiced_seconds"] == 2
    assert record["ended"] == "2026-03-04T10:01:02+01:00"


def test_a_failed_write_is_returned_and_the_record_is_kept_elsewhere(
    clock: FakeClock, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be")
    recorder = recorder_for(clock, blocker / "sessions")
    recorder.start()
    clock.advance(5)
    error = recorder.finish()
    assert isinstance(error, LogWriteError)
    assert recorder.error is error
    assert recorder.finish() is error  # still once: no second attempt, same answer
    assert str(error).count("\n") == 0
    assert error.fallback is not None and error.fallback.exists()
    assert recorder.session_id in error.fallback.read_text(encoding="utf-8")
    assert recorder.record is not None and recorder.record["completed"] is False


def test_recorder_imports_no_textual() -> None:
    code = "import sys, emoflat.recorder; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# The answers after the session: collected first, written once -------------------------

BEFORE = {"feel": 3, "tone": "mixed", "words": ["numb", "calm"]}
AFTER = {"feel": 4, "tone": None, "words": [], "felt": "helpful"}


def test_ending_the_session_writes_nothing_until_finish(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    clock.advance(4)
    recorder.end()
    assert recorder.ended and not recorder.done
    assert not log_dir.exists()
    clock.advance(60)  # answering after the session is not practice time
    assert (
        recorder.finish(before=BEFORE, after=AFTER, note="warm hands", tags=["tired day"]) is None
    )
    [record] = logged(log_dir)
    assert record["practiced_seconds"] == 4
    assert record["ended"] == "2026-03-04T10:00:04+01:00"
    assert record["before"] == BEFORE
    assert record["after"] == AFTER
    assert record["note"] == "warm hands"
    assert record["tags"] == ["tired day"]


def test_finish_writes_what_was_collected_so_far(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.collect(before=BEFORE)
    recorder.start()
    clock.advance(2)
    recorder.end()
    recorder.collect(after={"feel": 5, "tone": None, "words": [], "felt": None})
    recorder.collect(tags=["poor sleep", "poor sleep"], note="half a thought")
    assert recorder.collected["tags"] == ["poor sleep"]
    recorder.finish()  # as a signal handler or the app closing would
    recorder.finish(note="too late")  # written once: later calls change nothing
    [record] = logged(log_dir)
    assert record["before"] == BEFORE
    assert record["after"]["feel"] == 5
    assert record["note"] == "half a thought"
    assert record["tags"] == ["poor sleep"]


def test_skipped_answers_are_null_and_tags_an_empty_list(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    recorder.collect(before=BEFORE)
    recorder.finish(before=None, after=None, note="   ", tags=[])
    [record] = logged(log_dir)
    assert record["before"] is None and record["after"] is None and record["note"] is None
    assert record["tags"] == []


def test_a_collected_record_is_kept_when_the_write_fails(clock: FakeClock, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be")
    recorder = recorder_for(clock, blocker / "sessions")
    recorder.start()
    recorder.end()
    error = recorder.finish(note="keep me", tags=["relapse"])
    assert isinstance(error, LogWriteError) and error.fallback is not None
    kept = error.fallback.read_text(encoding="utf-8")
    assert "keep me" in kept and "relapse" in kept
