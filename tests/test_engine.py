"""The session engine, driven by a fake clock: no sleeps, no real time, no terminal."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from emoflat.engine import ChimeEvent, Session, SessionState
from emoflat.model import SILENT, Chimes, IntervalChime, Practice, Step
from emoflat.plan import plan

OFFSET = timezone(timedelta(hours=2))
WALL_START = datetime(2025, 3, 14, 9, 30, 0, 250_000, tzinfo=OFFSET)
ISO_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


class FakeClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self, start: float = 5000.0) -> None:
        self.t = start

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def say(
    text: str, seconds: float | None = None, *, chime: str | None = None, scale: bool = True
) -> Step:
    return Step("say", (text,), seconds, chime=chime, scale=scale)


def practice(*steps: Step, chimes: Chimes | None = None) -> Practice:
    return Practice(
        id="test-practice",
        title="Test practice",
        summary="A practice built in a test.",
        steps=steps,
        chimes=chimes or Chimes(start=SILENT, end=SILENT),
    )


def session(
    p: Practice,
    clock: FakeClock,
    *,
    minutes: float | None = None,
    seed: int = 0,
    start: bool = True,
) -> Session:
    s = Session(p, minutes=minutes, now=clock.now, wall=lambda: WALL_START, rng=random.Random(seed))
    if start:
        s.start()
    return s


def three_steps() -> Practice:
    return practice(say("one", 10), say("two", 20), say("three", 30))


# Planning and --minutes ---------------------------------------------------------------


def plan_durations(p: Practice, minutes: float | None) -> tuple[float | None, ...]:
    """Each step's planned seconds (every text here is one word: read in 4 s at least)."""
    return tuple(step.seconds for step in plan(p, minutes).steps)


def test_without_minutes_the_plan_is_the_practice_seconds() -> None:
    p = practice(say("a", 15), say("b"), say("c", 40))
    assert plan_durations(p, None) == (15, None, 40)


def test_minutes_scaling_makes_the_timed_total_equal_the_target() -> None:
    p = practice(say("a", 15), say("b", 60), say("c", 45))
    planned = plan_durations(p, 4)
    assert sum(d for d in planned if d is not None) == pytest.approx(240)
    assert planned == pytest.approx((30, 120, 90))


def test_minutes_scaling_leaves_scale_false_steps_untouched() -> None:
    p = practice(say("a", 20, scale=False), say("b", 30), say("c", 10))
    planned = plan_durations(p, 2)
    assert planned[0] == 20
    assert planned[1:] == pytest.approx((75, 25))
    assert sum(d for d in planned if d is not None) == pytest.approx(120)


def test_untimed_steps_stay_untimed_and_count_zero() -> None:
    p = practice(say("a", 30), say("wait"), say("c", 30))
    planned = plan_durations(p, 2)
    assert planned[1] is None
    assert planned[0] == pytest.approx(60)
    assert planned[2] == pytest.approx(60)


def test_each_scaled_step_lasts_at_least_its_reading_time_and_the_rest_absorb_it() -> None:
    p = practice(say("short", 1), say("long", 99))
    planned = plan_durations(p, 0.5)  # 30 s: a plain factor would give 0.3 s and 29.7 s
    assert planned == pytest.approx((4, 26))
    assert sum(d for d in planned if d is not None) == pytest.approx(30)


def test_a_target_below_the_reading_times_gives_each_step_its_reading_time() -> None:
    p = practice(say("a", 10, scale=False), say("b", 30), say("c", 30))
    assert plan_durations(p, 0.1) == (10, 4, 4)


def test_scaling_with_nothing_scalable_changes_nothing() -> None:
    p = practice(say("a", 20, scale=False), say("b"))
    assert plan_durations(p, 10) == (20, None)


@pytest.mark.parametrize("minutes", [0, -1, float("nan"), float("inf")])
def test_minutes_must_be_a_positive_number(minutes: float) -> None:
    with pytest.raises(ValueError, match="minutes"):
        plan_durations(three_steps(), minutes)


def test_the_session_runs_on_the_scaled_plan() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock, minutes=2)
    assert s.state().planned_seconds == pytest.approx(120)
    assert s.state().step_duration == pytest.approx(20)
    clock.advance(120)
    assert s.state().finished


# The clock ----------------------------------------------------------------------------


def test_before_start_nothing_moves() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock, start=False)
    clock.advance(100)
    s.next()
    st = s.state()
    assert not st.started and not st.finished
    assert st.step_index == 0
    assert st.session_elapsed == 0
    assert st.session_remaining == 60
    assert s.pop_chimes() == []


def test_a_timed_step_counts_down_from_the_clock() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(4.25)
    st = s.state()
    assert st.step_index == 0
    assert st.step_elapsed == pytest.approx(4.25)
    assert st.step_remaining == pytest.approx(5.75)
    assert st.session_remaining == pytest.approx(55.75)
    assert st.started and not st.paused and not st.waiting


def test_the_next_step_begins_exactly_when_the_previous_one_ends() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(10.4)  # the tick comes late
    st = s.state()
    assert st.step_index == 1
    assert st.text == "two"
    assert st.step_elapsed == pytest.approx(0.4)
    assert st.session_elapsed == pytest.approx(10.4)


def test_a_late_tick_advances_through_several_steps() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(35)
    st = s.state()
    assert st.step_index == 2
    assert st.step_elapsed == pytest.approx(5)


def test_the_session_finishes_completed_at_the_planned_end() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(1000)
    st = s.state()
    assert st.finished and st.completed
    assert st.step_index == 2
    assert st.session_elapsed == 60
    assert st.session_remaining == 0
    assert st.step_remaining == 0


@pytest.mark.parametrize("seed", [1234, 7, 99])
def test_irregular_ticks_never_drift(seed: int) -> None:
    rng = random.Random(seed)
    durations = [rng.uniform(4, 90) for _ in range(12)]  # each at least its reading time
    p = practice(*(say(f"step {i}", d) for i, d in enumerate(durations)))
    starts = [sum(durations[:i]) for i in range(len(durations))]
    planned_end = sum(durations)
    clock = FakeClock(start=rng.uniform(0, 1e6))
    s = session(p, clock)
    begun = clock.now()
    while True:
        clock.advance(rng.choice([rng.uniform(0, 0.05), rng.uniform(0, 2), rng.uniform(0, 40)]))
        if rng.random() < 0.3:
            continue  # a dropped tick: nothing looks at the session
        if rng.random() < 0.5:
            s.update()
            continue
        st = s.state()
        if st.finished:
            break
        # The position is a pure function of the clock: step boundaries are exact.
        elapsed = clock.now() - begun
        step_start = starts[st.step_index]
        assert st.session_elapsed == pytest.approx(elapsed, abs=1e-6)
        assert st.step_elapsed == pytest.approx(elapsed - step_start, abs=1e-6)
        assert step_start - 1e-9 <= elapsed < step_start + durations[st.step_index] + 1e-9
    assert st.session_elapsed == pytest.approx(planned_end, abs=1e-6)
    fields = s.record_fields()
    assert fields["practiced_seconds"] == round(planned_end)
    expected_end = WALL_START + timedelta(seconds=planned_end)
    assert fields["ended"] == expected_end.isoformat(timespec="seconds")


def test_a_ten_minute_practice_with_pauses_ends_at_600_seconds_plus_paused_time() -> None:
    p = practice(say("a", 120), say("b", 300), say("c", 180))
    clock = FakeClock()
    s = session(p, clock)
    rng = random.Random(7)
    begun, paused = clock.now(), 0.0
    while not s.state().finished:
        clock.advance(rng.uniform(0.1, 25))
        if rng.random() < 0.2 and not s.state().finished:
            s.pause()
            length = rng.uniform(1, 120)
            clock.advance(length)
            paused += length
            s.resume()
    # The engine knows the exact real end, however late the tick that noticed it.
    real_end = begun + 600 + paused
    assert clock.now() >= real_end
    fields = s.record_fields()
    ended = datetime.fromisoformat(fields["ended"])
    assert ended == (WALL_START + timedelta(seconds=600 + paused)).replace(microsecond=0)
    assert fields["practiced_seconds"] == 600
    assert s.state().session_elapsed == pytest.approx(600, abs=1e-6)


def test_pause_stops_the_countdown() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(3)
    s.pause()
    clock.advance(500)
    st = s.state()
    assert st.paused
    assert st.step_index == 0
    assert st.step_remaining == pytest.approx(7)
    assert st.session_elapsed == pytest.approx(3)


def test_resume_continues_from_where_it_paused() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(3)
    s.pause()
    clock.advance(500)
    s.resume()
    clock.advance(2)
    st = s.state()
    assert not st.paused
    assert st.step_remaining == pytest.approx(5)
    clock.advance(5)
    assert s.state().step_index == 1


def test_toggle_pause_pauses_then_resumes() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    s.toggle_pause()
    assert s.state().paused
    clock.advance(30)
    s.toggle_pause()
    assert not s.state().paused
    assert s.state().session_elapsed == 0


def test_pause_and_resume_twice_in_a_row_are_harmless() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    s.pause()
    clock.advance(5)
    s.pause()
    clock.advance(5)
    s.resume()
    s.resume()
    clock.advance(1)
    assert s.state().session_elapsed == pytest.approx(1)


def test_a_step_whose_time_was_up_before_the_pause_is_left_at_its_end() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(12)  # no tick came between 10 s and now
    s.pause()
    clock.advance(100)
    st = s.state()
    assert st.step_index == 1
    assert st.step_elapsed == pytest.approx(2)


# Skip, back and continue --------------------------------------------------------------


def test_next_skips_to_the_start_of_the_next_step() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(4)
    s.next()
    st = s.state()
    assert st.step_index == 1
    assert st.step_elapsed == 0
    assert st.step_remaining == 20
    assert st.session_elapsed == pytest.approx(4)
    assert st.session_remaining == pytest.approx(50)
    clock.advance(20)
    assert s.state().step_index == 2


def test_next_on_the_last_step_finishes_the_session_as_completed() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(32)
    s.next()
    st = s.state()
    assert st.finished and st.completed
    assert st.session_elapsed == pytest.approx(32)


def test_back_goes_to_the_start_of_the_previous_step() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(15)
    s.back()
    st = s.state()
    assert st.step_index == 0
    assert st.step_elapsed == 0
    assert st.step_remaining == 10
    assert st.session_elapsed == pytest.approx(15)  # going back does not rewind practice time
    clock.advance(10)
    assert s.state().step_index == 1


def test_back_on_the_first_step_restarts_it() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(6)
    s.back()
    st = s.state()
    assert st.step_index == 0
    assert st.step_remaining == 10
    clock.advance(9.5)
    assert s.state().step_index == 0


def test_back_at_a_step_boundary_counts_from_the_boundary() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(10)  # exactly the end of step 1: step 2 has just begun
    s.back()
    assert s.state().step_index == 0


def test_back_from_the_last_step_and_skip_forward_again() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(45)
    s.back()
    assert s.state().step_index == 1
    s.next()
    s.next()
    assert s.state().completed


def test_an_untimed_step_waits_forever_until_continue() -> None:
    clock = FakeClock()
    s = session(practice(say("timed", 5), say("wait for me"), say("after", 5)), clock)
    clock.advance(5)
    assert s.state().waiting
    clock.advance(86_400)
    st = s.state()
    assert st.step_index == 1 and st.waiting and not st.finished
    assert st.step_remaining is None
    assert st.step_duration is None
    assert st.step_elapsed == pytest.approx(86_400)
    assert st.session_remaining == 5
    s.continue_()
    st = s.state()
    assert st.step_index == 2 and not st.waiting
    assert st.step_remaining == 5


def test_waiting_for_the_user_is_practice_time() -> None:
    clock = FakeClock()
    s = session(practice(say("timed", 5), say("last, untimed")), clock)
    clock.advance(65)
    s.continue_()
    fields = s.record_fields()
    assert fields["completed"] is True
    assert fields["practiced_seconds"] == 65
    assert fields["planned_seconds"] == 5


def test_skip_and_back_on_an_untimed_step() -> None:
    clock = FakeClock()
    s = session(practice(say("a", 5), say("wait"), say("c", 5)), clock)
    clock.advance(7)
    s.back()
    assert s.state().step_index == 0
    clock.advance(5)
    assert s.state().waiting
    s.next()
    assert s.state().step_index == 2


def test_continue_on_a_timed_step_skips_like_next() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(1)
    s.continue_()
    assert s.state().step_index == 1


def test_pausing_during_an_untimed_step() -> None:
    clock = FakeClock()
    s = session(practice(say("wait"), say("b", 5)), clock)
    clock.advance(10)
    s.pause()
    clock.advance(60)
    st = s.state()
    assert st.paused and st.waiting
    assert st.step_elapsed == pytest.approx(10)
    s.resume()
    clock.advance(2)
    s.continue_()
    assert s.state().session_elapsed == pytest.approx(12)


def test_skipping_while_paused_stays_paused() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(2)
    s.pause()
    s.next()
    clock.advance(100)
    st = s.state()
    assert st.paused
    assert st.step_index == 1
    assert st.step_remaining == 20


def test_actions_after_the_session_finished_are_ignored() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(60)
    before = s.state()
    for action in (s.pause, s.resume, s.toggle_pause, s.next, s.back, s.continue_, s.end):
        action()
    clock.advance(50)
    assert s.state() == before
    assert s.state().completed


def test_starting_twice_does_not_restart() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(5)
    s.start()
    assert s.state().session_elapsed == pytest.approx(5)


# Ending early -------------------------------------------------------------------------


def test_end_early_is_not_completed_and_keeps_the_practiced_seconds() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(14)
    s.pause()
    clock.advance(30)
    s.resume()
    clock.advance(3.4)
    s.end()
    st = s.state()
    assert st.finished and not st.completed
    assert st.step_index == 1
    assert st.session_elapsed == pytest.approx(17.4)
    fields = s.record_fields()
    assert fields["completed"] is False
    assert fields["practiced_seconds"] == 17
    assert fields["planned_seconds"] == 60


def test_ending_while_paused_counts_the_pause_in_the_end_time_not_the_practice() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(5)
    s.pause()
    clock.advance(100)
    s.end()
    st = s.state()
    assert not st.paused
    fields = s.record_fields()
    assert fields["practiced_seconds"] == 5
    assert datetime.fromisoformat(fields["ended"]) == datetime(
        2025, 3, 14, 9, 31, 45, tzinfo=OFFSET
    )


def test_a_counted_pause_holds_the_step_but_counts_as_practice() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(3)
    s.pause(counted=True)  # the user writes an answer
    assert s.pause_counted
    clock.advance(40)
    st = s.state()
    assert st.paused
    assert st.step_index == 0
    assert st.step_remaining == pytest.approx(7)  # the step waits meanwhile
    s.resume()
    assert not s.pause_counted
    clock.advance(2)
    s.pause()  # a pause of the user's own: not practice
    assert not s.pause_counted
    clock.advance(500)
    s.resume()
    clock.advance(1)
    s.end()
    fields = s.record_fields()
    assert fields["practiced_seconds"] == 3 + 40 + 2 + 1
    ended = datetime.fromisoformat(fields["ended"]) - datetime.fromisoformat(fields["started"])
    assert ended.total_seconds() == 3 + 40 + 2 + 500 + 1


def test_finishing_during_a_counted_pause_counts_it() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(5)
    s.pause(counted=True)
    clock.advance(30)
    s.end()
    assert not s.state().paused
    assert s.record_fields()["practiced_seconds"] == 35


def test_end_after_the_last_step_finished_keeps_it_completed() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(61)  # finished at 60 s; no tick has noticed yet
    s.end()
    assert s.state().completed
    assert s.record_fields()["practiced_seconds"] == 60


# Chimes -------------------------------------------------------------------------------


def test_the_start_chime_rings_before_the_first_step_chime() -> None:
    clock = FakeClock()
    p = practice(say("a", 5, chime="bell"), chimes=Chimes(start="bowl", end=SILENT))
    s = session(p, clock)
    assert s.pop_chimes() == [ChimeEvent("bowl", "start", 0.0), ChimeEvent("bell", "step", 0.0)]


def test_a_step_chime_rings_when_its_step_starts() -> None:
    clock = FakeClock()
    p = practice(say("a", 5), say("b", 5, chime="bell"), say("c", 5, chime="wood"))
    s = session(p, clock)
    assert s.pop_chimes() == []
    clock.advance(4.75)
    assert s.pop_chimes() == []
    clock.advance(0.5)
    assert s.pop_chimes() == [ChimeEvent("bell", "step", 5.0)]
    s.next()
    assert s.pop_chimes() == [ChimeEvent("wood", "step", 5.25)]  # skipped at 5.25 s


def test_a_step_chime_rings_again_when_back_restarts_its_step() -> None:
    clock = FakeClock()
    s = session(practice(say("a", 5, chime="bell"), say("b", 5)), clock)
    s.pop_chimes()
    clock.advance(2)
    s.back()
    assert s.pop_chimes() == [ChimeEvent("bell", "step", 2.0)]


def test_chimes_missed_by_a_late_tick_come_in_order_with_their_due_times() -> None:
    clock = FakeClock()
    p = practice(
        say("a", 10),
        say("b", 10, chime="bell"),
        say("c", 10, chime="wood"),
        chimes=Chimes(start=SILENT, end="bowl", interval=IntervalChime(every=7, sound="tick")),
    )
    s = session(p, clock)
    clock.advance(100)
    assert s.pop_chimes() == [
        ChimeEvent("tick", "interval", 7),
        ChimeEvent("bell", "step", 10),
        ChimeEvent("tick", "interval", 14),
        ChimeEvent("wood", "step", 20),
        ChimeEvent("tick", "interval", 21),
        ChimeEvent("tick", "interval", 28),
        ChimeEvent("bowl", "end", 30),
    ]


def test_pop_chimes_returns_each_event_once() -> None:
    clock = FakeClock()
    s = session(practice(say("a", 5), chimes=Chimes()), clock)
    assert len(s.pop_chimes()) == 1
    assert s.pop_chimes() == []


def test_interval_chimes_ring_every_n_seconds_of_practice_time() -> None:
    clock = FakeClock()
    p = practice(
        say("a", 200), chimes=Chimes(SILENT, SILENT, IntervalChime(every=60, sound="wood"))
    )
    s = session(p, clock)
    ats: list[float] = []
    for _ in range(250):
        clock.advance(1)
        ats += [e.at for e in s.pop_chimes()]
    assert ats == [60, 120, 180]


def test_interval_chimes_never_ring_at_the_start_or_the_end() -> None:
    clock = FakeClock()
    p = practice(say("a", 60), say("b", 60), chimes=Chimes(None, None, IntervalChime(60, "wood")))
    s = session(p, clock)
    assert [e.reason for e in s.pop_chimes()] == ["start"]
    clock.advance(200)
    assert [(e.reason, e.at) for e in s.pop_chimes()] == [("interval", 60), ("end", 120)]


def test_an_interval_chime_within_one_second_of_the_end_stays_silent() -> None:
    clock = FakeClock()
    p = practice(say("a", 60.5), chimes=Chimes(SILENT, SILENT, IntervalChime(30, "wood")))
    s = session(p, clock)
    clock.advance(30)
    assert [e.at for e in s.pop_chimes()] == [30]
    clock.advance(30)  # 60 s: the session ends at 60.5 s
    assert s.pop_chimes() == []
    clock.advance(1)
    assert s.state().finished
    assert s.pop_chimes() == []


def test_an_interval_chime_is_silent_when_a_skip_brings_the_end_near() -> None:
    clock = FakeClock()
    p = practice(
        say("a", 100), say("b", 20.2), chimes=Chimes(SILENT, SILENT, IntervalChime(20, "w"))
    )
    s = session(p, clock)
    clock.advance(0.5)
    s.next()  # b now ends at 20.7 s
    clock.advance(30)
    assert s.pop_chimes() == []


def test_interval_chimes_do_not_count_paused_time() -> None:
    clock = FakeClock()
    p = practice(say("a", 100), chimes=Chimes(SILENT, SILENT, IntervalChime(every=30, sound="w")))
    s = session(p, clock)
    clock.advance(20)
    s.pause()
    clock.advance(300)
    assert s.pop_chimes() == []
    s.resume()
    clock.advance(9.9)
    assert s.pop_chimes() == []
    clock.advance(0.1)
    assert [e.at for e in s.pop_chimes()] == [pytest.approx(30)]


def test_interval_chimes_ring_while_an_untimed_step_waits() -> None:
    clock = FakeClock()
    p = practice(say("wait"), chimes=Chimes(SILENT, SILENT, IntervalChime(every=10, sound="w")))
    s = session(p, clock)
    clock.advance(35)
    assert [e.at for e in s.pop_chimes()] == [10, 20, 30]


def test_the_end_chime_rings_when_the_session_finishes() -> None:
    clock = FakeClock()
    s = session(practice(say("a", 5), chimes=Chimes(start=SILENT, end="bell")), clock)
    clock.advance(4)
    assert s.pop_chimes() == []
    clock.advance(3)
    assert s.pop_chimes() == [ChimeEvent("bell", "end", 5)]


def test_the_end_chime_rings_when_the_session_is_ended_early() -> None:
    clock = FakeClock()
    s = session(practice(say("a", 50), chimes=Chimes(start=SILENT, end="bell")), clock)
    clock.advance(4)
    s.end()
    assert s.pop_chimes() == [ChimeEvent("bell", "end", 4)]


def test_silent_chimes_produce_no_events() -> None:
    clock = FakeClock()
    p = practice(
        say("a", 5, chime=SILENT),
        say("b", 5),
        chimes=Chimes(SILENT, SILENT, IntervalChime(every=2, sound=SILENT)),
    )
    s = session(p, clock)
    clock.advance(20)
    assert s.state().finished
    assert s.pop_chimes() == []


def test_an_unset_start_or_end_chime_means_the_configured_chime() -> None:
    clock = FakeClock()
    s = session(practice(say("a", 5), chimes=Chimes()), clock)
    clock.advance(5)
    assert s.pop_chimes() == [ChimeEvent(None, "start", 0), ChimeEvent(None, "end", 5)]


# The record ---------------------------------------------------------------------------


def prompts() -> Practice:
    return practice(
        Step("prompt", ("Where do you notice the breath?",), 10, answer=True),
        Step("prompt", ("What is here now?",), 10, answer=True),
        Step("prompt", ("Just notice.",), 10),
        Step("prompt", ("Anything else?",), answer=True),
    )


def test_record_fields_have_the_log_types_and_formats() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    clock.advance(61.7)
    fields = s.record_fields()
    assert set(fields) == {
        "started",
        "ended",
        "planned_seconds",
        "practiced_seconds",
        "completed",
        "answers",
    }
    assert fields["started"] == "2025-03-14T09:30:00+02:00"
    assert fields["ended"] == "2025-03-14T09:31:00+02:00"
    assert ISO_SECONDS.match(fields["started"]) and ISO_SECONDS.match(fields["ended"])
    assert type(fields["planned_seconds"]) is int and fields["planned_seconds"] == 60
    assert type(fields["practiced_seconds"]) is int and fields["practiced_seconds"] == 60
    assert fields["completed"] is True
    assert fields["answers"] == []


def test_planned_seconds_is_the_rounded_scaled_plan() -> None:
    clock = FakeClock()
    s = session(practice(say("a", 10), say("b", 10.6, scale=False)), clock)
    s.end()
    assert s.record_fields()["planned_seconds"] == 21


def test_ended_comes_from_the_monotonic_clock_not_a_wall_clock_jump() -> None:
    clock = FakeClock()
    walls = iter([WALL_START, WALL_START + timedelta(hours=5)])
    s = Session(three_steps(), now=clock.now, wall=lambda: next(walls))
    s.start()
    clock.advance(90)
    assert s.record_fields()["ended"] == "2025-03-14T09:31:00+02:00"


def test_a_naive_wall_clock_gets_the_local_offset() -> None:
    clock = FakeClock()
    s = Session(three_steps(), now=clock.now, wall=lambda: datetime(2025, 1, 1, 12, 0, 0))
    s.start()
    s.end()
    assert ISO_SECONDS.match(s.record_fields()["started"])


def test_the_default_wall_clock_gives_iso_seconds_with_offset() -> None:
    clock = FakeClock()
    s = Session(three_steps(), now=clock.now)
    s.start()
    s.end()
    fields = s.record_fields()
    assert ISO_SECONDS.match(fields["started"]) and ISO_SECONDS.match(fields["ended"])


def test_record_fields_before_the_session_finished_is_an_error() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    with pytest.raises(RuntimeError):
        s.record_fields()


def test_answers_are_recorded_only_for_answered_prompts() -> None:
    clock = FakeClock()
    s = session(prompts(), clock)
    s.set_answer("  in my belly \n")
    clock.advance(10)
    s.set_answer("   ")  # left empty
    clock.advance(20)
    s.set_answer("line one\nline two")
    s.continue_()
    assert s.record_fields()["answers"] == [
        {"step": 1, "prompt": "Where do you notice the breath?", "text": "in my belly"},
        {"step": 4, "prompt": "Anything else?", "text": "line one\nline two"},
    ]


def test_a_blank_answer_removes_an_earlier_one() -> None:
    clock = FakeClock()
    s = session(prompts(), clock)
    s.set_answer("first")
    assert s.state().answer == "first"
    s.set_answer("")
    assert s.state().answer is None
    s.end()
    assert s.record_fields()["answers"] == []


def test_an_answer_can_name_its_step_after_the_step_moved_on() -> None:
    clock = FakeClock()
    s = session(prompts(), clock)
    clock.advance(10.2)  # the user pressed Enter in the box just after the step ended
    s.set_answer("the chest", step_index=0)
    s.end()
    assert s.record_fields()["answers"] == [
        {"step": 1, "prompt": "Where do you notice the breath?", "text": "the chest"}
    ]


def test_an_answer_to_a_step_that_takes_none_is_an_error() -> None:
    clock = FakeClock()
    s = session(prompts(), clock)
    with pytest.raises(ValueError, match="step 3"):
        s.set_answer("hm", step_index=2)
    with pytest.raises(IndexError):
        s.set_answer("hm", step_index=9)
    s2 = session(three_steps(), clock)
    with pytest.raises(ValueError):
        s2.set_answer("hm")


# Pick ---------------------------------------------------------------------------------

CHOICES = tuple(f"choice {i}" for i in range(20))


def picks() -> Practice:
    return practice(Step("pick", CHOICES, 10), say("b", 10), Step("pick", CHOICES, 10))


def picked(seed: int) -> tuple[str, str]:
    clock = FakeClock()
    s = session(picks(), clock, seed=seed)
    first = s.state().text
    clock.advance(20)
    return first, s.state().text


def test_a_pick_is_chosen_once_per_run() -> None:
    clock = FakeClock()
    s = session(picks(), clock, seed=3)
    texts = {s.state().text for _ in range(50)}
    assert len(texts) == 1
    shown = texts.pop()
    assert shown in CHOICES
    clock.advance(15)
    s.back()
    assert s.state().text == shown


def test_a_seeded_rng_picks_deterministically() -> None:
    assert picked(42) == picked(42)


def test_different_seeds_eventually_pick_differently() -> None:
    assert len({picked(seed) for seed in range(30)}) > 1


def test_state_is_a_frozen_snapshot() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    st = s.state()
    assert isinstance(st, SessionState)
    with pytest.raises(AttributeError):
        st.step_index = 2  # type: ignore[misc]
    clock.advance(15)
    assert st.step_index == 0


# Purity -------------------------------------------------------------------------------


def test_importing_the_engine_imports_no_ui_library() -> None:
    code = (
        "import emoflat.engine, sys; "
        "assert 'textual' not in sys.modules and 'rich' not in sys.modules, "
        "sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=60)


# When to wake ---------------------------------------------------------------------------


def test_next_change_is_the_end_of_the_step() -> None:
    clock = FakeClock()
    s = session(three_steps(), clock)
    assert s.next_change_in() == pytest.approx(10)
    clock.advance(7.25)
    assert s.next_change_in() == pytest.approx(2.75)
    clock.advance(2.75)
    assert s.state().step_index == 1
    assert s.next_change_in() == pytest.approx(20)


def test_next_change_comes_first_from_an_interval_chime() -> None:
    clock = FakeClock()
    p = practice(
        say("long", 100),
        chimes=Chimes(start=SILENT, end=SILENT, interval=IntervalChime(30, "wood")),
    )
    s = session(p, clock)
    assert s.next_change_in() == pytest.approx(30)
    clock.advance(31)
    assert [e.reason for e in s.pop_chimes()] == ["interval"]
    assert s.next_change_in() == pytest.approx(29)


def test_nothing_changes_by_itself_while_paused_waiting_or_finished() -> None:
    clock = FakeClock()
    s = session(practice(say("timed", 10), say("waits")), clock, start=False)
    assert s.next_change_in() is None  # not started
    s.start()
    s.pause()
    assert s.next_change_in() is None
    s.resume()
    clock.advance(10)
    assert s.state().waiting
    assert s.next_change_in() is None
    s.continue_()
    assert s.state().finished
    assert s.next_change_in() is None
