"""The recorder: one record in the log per started session, however the session ends,
holding what the user gave before and after it."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import FakeClock

from emoflat.checkin import MAX_NOTE, CheckInFlow
from emoflat.log.record import AfterCheckIn, Answer, CheckIn, Record
from emoflat.log.store import LogWriteError, read_log
from emoflat.model import SILENT, Chimes, Practice, Step
from emoflat.recorder import SessionRecorder

WALL = datetime(2026, 3, 4, 10, 0, 0, tzinfo=timezone(timedelta(hours=1)))
BEFORE = CheckIn(feel=3, tone="mixed", words=("numb", "calm"))
AFTER = AfterCheckIn(feel=4, felt="helpful")


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


def logged(log_dir: Path) -> list[Record]:
    read = read_log(log_dir)
    assert read.warnings == []
    return [session.record for session in read.sessions]


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    """A log folder that cannot be made: a file is where it should go."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be")
    return blocker / "sessions"


# --- one record per started session ------------------------------------------------------


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
    assert record.completed is True
    assert record.id == recorder.session_id
    assert record.practice == "three-steps"
    assert record.practiced_seconds == 35
    assert record.answers == (Answer(2, "What is here?", "my hands"),)
    assert (record.before, record.after, record.note, record.tags) == (None, None, None, ())
    assert recorder.record == record
    assert recorder.log_path is not None and recorder.log_path.parent == log_dir


def test_the_record_has_every_field_of_the_log_format_in_its_order(
    clock: FakeClock, log_dir: Path
) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    recorder.session.set_answer("belly", step_index=1)
    clock.advance(12)
    recorder.collect(before=BEFORE, after=AFTER, note="calm", tags=["tired day"])
    recorder.finish()
    assert recorder.log_path is not None
    stored = json.loads(recorder.log_path.read_bytes())
    assert stored == {
        "v": 1,
        "id": recorder.session_id,
        "practice": "three-steps",
        "title": "Three steps",
        "started": "2026-03-04T10:00:00+01:00",
        "ended": "2026-03-04T10:00:12+01:00",
        "planned_seconds": 30,
        "practiced_seconds": 12,
        "completed": False,
        "before": {"feel": 3, "tone": "mixed", "words": ["numb", "calm"]},
        "after": {"feel": 4, "tone": None, "words": [], "felt": "helpful"},
        "answers": [{"step": 2, "prompt": "What is here?", "text": "belly"}],
        "note": "calm",
        "tags": ["tired day"],
    }
    assert list(stored) == list(Record.__struct_fields__)


def test_a_session_ended_early_is_logged_not_completed(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    clock.advance(4)
    assert recorder.finish() is None
    [record] = logged(log_dir)
    assert record.completed is False
    assert record.practiced_seconds == 4
    assert record.started == "2026-03-04T10:00:00+01:00"
    assert record.ended == "2026-03-04T10:00:04+01:00"


def test_finish_is_idempotent_the_record_is_appended_once(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    clock.advance(3)
    for _ in range(3):
        assert recorder.finish() is None
        clock.advance(100)
    [record] = logged(log_dir)
    assert record.practiced_seconds == 3
    assert recorder.done


def test_a_session_that_never_started_is_not_logged(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.collect(before=BEFORE)
    assert not recorder.started
    assert recorder.finish() is None
    assert recorder.record is None and recorder.done
    assert not log_dir.exists()


def test_pauses_are_not_practice_time(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    clock.advance(2)
    recorder.session.pause()
    clock.advance(60)
    recorder.finish()
    [record] = logged(log_dir)
    assert record.practiced_seconds == 2
    assert record.ended == "2026-03-04T10:01:02+01:00"


def test_a_failed_write_is_returned_and_the_record_is_kept_elsewhere(
    clock: FakeClock, blocked: Path
) -> None:
    recorder = recorder_for(clock, blocked)
    recorder.start()
    clock.advance(5)
    error = recorder.finish()
    assert isinstance(error, LogWriteError)
    assert recorder.error is error
    assert recorder.finish() is error  # still once: no second attempt, same answer
    assert str(error).count("\n") == 0
    assert error.fallback is not None and error.fallback.exists()
    assert recorder.session_id in error.fallback.read_text(encoding="utf-8")
    assert recorder.record is not None and recorder.record.completed is False


def test_an_unexpected_failure_leaves_the_record_to_write_on_the_next_call(
    clock: FakeClock, log_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from emoflat.log import store

    append = store.append_record
    calls: list[Record] = []

    def fails_once(record: Record, directory: Path | None = None) -> Path:
        calls.append(record)
        if len(calls) == 1:
            raise RuntimeError("something unexpected")
        return append(record, directory)

    monkeypatch.setattr(store, "append_record", fails_once)
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    clock.advance(2)
    with pytest.raises(RuntimeError):
        recorder.finish()
    assert not recorder.done
    assert recorder.finish() is None
    assert recorder.finish() is None
    assert len(calls) == 2 and len(logged(log_dir)) == 1


# --- what the user gave: collected first, written once -------------------------------------


def test_ending_the_session_writes_nothing_until_finish(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    clock.advance(4)
    recorder.end()
    assert recorder.ended and not recorder.done
    assert not log_dir.exists()
    clock.advance(60)  # answering after the session is not practice time
    recorder.collect(before=BEFORE, after=AFTER, note="warm hands", tags=["tired day"])
    assert recorder.finish() is None
    [record] = logged(log_dir)
    assert record.practiced_seconds == 4
    assert record.ended == "2026-03-04T10:00:04+01:00"
    assert (record.before, record.after) == (BEFORE, AFTER)
    assert (record.note, record.tags) == ("warm hands", ("tired day",))


def test_finish_writes_what_was_collected_so_far(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.collect(before=BEFORE)
    recorder.start()
    clock.advance(2)
    recorder.end()
    recorder.collect(after=AfterCheckIn(feel=5))
    recorder.collect(tags=["poor sleep", "poor sleep", "relapse"], note="half a thought")
    recorder.finish()  # as a signal handler or the app closing would
    recorder.collect(note="too late")  # written once: later answers change nothing
    recorder.finish()
    [record] = logged(log_dir)
    assert record.before == BEFORE
    assert record.after == AfterCheckIn(feel=5)
    assert record.note == "half a thought"
    assert record.tags == ("poor sleep", "relapse")
    assert recorder.record == record


def test_each_part_left_out_of_collect_stays_as_it_was(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    recorder.collect(before=BEFORE, after=AFTER, note="kept", tags=["relapse"])
    recorder.collect(after=None)  # the check-in after skipped, the rest kept
    recorder.finish()
    [record] = logged(log_dir)
    assert (record.before, record.after, record.note, record.tags) == (
        BEFORE,
        None,
        "kept",
        ("relapse",),
    )


def test_skipped_answers_are_null_and_tags_an_empty_list(clock: FakeClock, log_dir: Path) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    recorder.collect(before=BEFORE)
    recorder.collect(before=None, after=None, note="   ", tags=[])
    recorder.finish()
    assert recorder.log_path is not None
    stored = json.loads(recorder.log_path.read_bytes())
    assert (stored["before"], stored["after"], stored["note"], stored["tags"]) == (
        None,
        None,
        None,
        [],
    )


def test_a_collected_record_is_kept_when_the_write_fails(clock: FakeClock, blocked: Path) -> None:
    recorder = recorder_for(clock, blocked)
    recorder.start()
    recorder.end()
    recorder.collect(note="keep me", tags=["relapse"])
    error = recorder.finish()
    assert isinstance(error, LogWriteError) and error.fallback is not None
    kept = json.loads(error.fallback.read_text(encoding="utf-8"))
    assert (kept["note"], kept["tags"]) == ("keep me", ["relapse"])


def test_the_check_in_flows_hand_the_recorder_what_the_log_keeps(
    clock: FakeClock, log_dir: Path
) -> None:
    recorder = recorder_for(clock, log_dir)
    before = CheckInFlow("before", full=True)  # every question, a page each
    for value in (2, "mixed", ["tired", "numb"]):
        [question] = before.page
        before.give(question, value)
        before.go_on()
    assert before.done
    recorder.collect(**before.collected())
    recorder.start()
    clock.advance(30)
    recorder.end()
    after = CheckInFlow("after", tags_offered=("tired day", "relapse"))  # the short one
    pages = [(4, "unsettling"), (None,), ([],), (["relapse", "my own"],), ("  a note  ",)]
    for number, values in enumerate(pages):
        for question, value in zip(after.page, values, strict=True):
            after.give(question, value)
            recorder.collect(**after.collected())  # as each answer is given
        if number == 0:
            after.more()  # the other questions: tone, words, tags and a note
        else:
            after.go_on()
    assert after.done
    recorder.finish()
    [record] = logged(log_dir)
    assert record.before == CheckIn(feel=2, tone="mixed", words=("numb", "tired"))
    assert record.after == AfterCheckIn(feel=4, felt="unsettling")
    assert (record.note, record.tags) == ("a note", ("relapse", "my own"))


def test_a_long_note_is_recorded_at_most_max_note_characters(
    clock: FakeClock, log_dir: Path
) -> None:
    recorder = recorder_for(clock, log_dir)
    recorder.start()
    recorder.end()
    flow = CheckInFlow("after", full=True)
    while flow.page != ("note",):
        flow.go_on()
    flow.give("note", "a long page. " * 1000)
    recorder.collect(**flow.collected())
    recorder.finish()
    [record] = logged(log_dir)
    assert record.note is not None and len(record.note) == MAX_NOTE
    assert record.note == ("a long page. " * 1000)[:MAX_NOTE]
