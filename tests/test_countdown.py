"""The one pausable countdown (practice time, the grounding steps), on a fake clock: time is
read from the clock, pauses left out, never counted in ticks; no sleeps, no terminal."""

from __future__ import annotations

import math
import random

import pytest
from conftest import FakeClock

from emoflat.countdown import Countdown


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def started(clock: FakeClock, seconds: float = 30.0) -> Countdown:
    countdown = Countdown(seconds, now=clock.now)
    countdown.start()
    return countdown


def test_before_the_start_nothing_moves(clock: FakeClock) -> None:
    countdown = Countdown(30, now=clock.now)
    clock.advance(100)
    countdown.pause()  # ignored before the start
    countdown.toggle()
    assert not countdown.started and not countdown.paused
    assert (countdown.elapsed, countdown.remaining, countdown.done) == (0.0, 30.0, False)


def test_the_time_is_read_from_the_clock(clock: FakeClock) -> None:
    countdown = started(clock)
    clock.advance(12.5)
    assert countdown.started
    assert (countdown.elapsed, countdown.remaining) == (12.5, 17.5)


def test_starting_again_does_not_restart(clock: FakeClock) -> None:
    countdown = started(clock)
    clock.advance(10)
    countdown.start()
    assert countdown.elapsed == 10


def test_pause_stops_the_countdown(clock: FakeClock) -> None:
    countdown = started(clock)
    clock.advance(10)
    countdown.pause()
    clock.advance(300)
    assert countdown.paused and not countdown.pause_counted
    assert (countdown.elapsed, countdown.remaining, countdown.done) == (10, 20, False)
    assert countdown.paused_total == 300  # the pause in force counts as paused
    assert countdown.counted_total == 0


def test_resume_goes_on_exactly_where_it_paused(clock: FakeClock) -> None:
    countdown = started(clock)
    clock.advance(10)
    countdown.pause()
    clock.advance(45)
    countdown.resume()
    assert not countdown.paused
    assert countdown.elapsed == 10
    clock.advance(5)
    assert (countdown.elapsed, countdown.remaining, countdown.paused_total) == (15, 15, 45)


def test_pausing_or_resuming_twice_is_harmless(clock: FakeClock) -> None:
    countdown = started(clock)
    clock.advance(5)
    countdown.pause()
    clock.advance(10)
    countdown.pause()  # still the first pause
    clock.advance(10)
    countdown.resume()
    countdown.resume()
    clock.advance(5)
    assert (countdown.elapsed, countdown.paused_total) == (10, 20)


def test_a_counted_pause_counts_as_time_spent_not_time_elapsed(clock: FakeClock) -> None:
    countdown = started(clock)
    clock.advance(10)
    countdown.pause(counted=True)  # the user is busy in the step, which waits for them
    clock.advance(40)
    assert countdown.paused and countdown.pause_counted
    assert (countdown.elapsed, countdown.counted_total, countdown.paused_total) == (10, 40, 40)
    countdown.resume()
    assert not countdown.pause_counted
    clock.advance(5)
    countdown.pause()  # not counted
    clock.advance(100)
    countdown.resume()
    assert (countdown.elapsed, countdown.counted_total, countdown.paused_total) == (15, 40, 140)


def test_toggle_pauses_then_resumes_uncounted(clock: FakeClock) -> None:
    countdown = started(clock)
    clock.advance(3)
    countdown.toggle()
    assert countdown.paused and not countdown.pause_counted
    clock.advance(20)
    countdown.toggle()
    assert not countdown.paused
    clock.advance(2)
    assert (countdown.elapsed, countdown.paused_total, countdown.counted_total) == (5, 20, 0)


def test_a_counted_pause_ends_with_toggle_too(clock: FakeClock) -> None:
    countdown = started(clock)
    countdown.pause(counted=True)
    clock.advance(8)
    countdown.toggle()
    assert not countdown.paused and countdown.counted_total == 8


def test_done_exactly_when_the_time_is_up(clock: FakeClock) -> None:
    countdown = started(clock, 30)
    clock.advance(29.75)
    assert not countdown.done and countdown.remaining == 0.25
    clock.advance(0.25)
    assert countdown.done and countdown.remaining == 0
    clock.advance(10)
    assert countdown.done and countdown.remaining == -10  # negative once over


def test_a_pause_holds_off_the_end(clock: FakeClock) -> None:
    countdown = started(clock, 30)
    clock.advance(20)
    countdown.pause()
    clock.advance(60)
    assert not countdown.done
    countdown.resume()
    clock.advance(10)
    assert countdown.done


def test_without_seconds_it_is_a_stopwatch_that_never_ends(clock: FakeClock) -> None:
    stopwatch = Countdown(now=clock.now)
    stopwatch.start()
    clock.advance(10**9)
    assert stopwatch.seconds == math.inf
    assert (stopwatch.elapsed, stopwatch.done) == (10**9, False)


@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_irregular_reads_and_pauses_never_drift(clock: FakeClock, seed: int) -> None:
    rng = random.Random(seed)
    countdown = started(clock, 600)
    running = paused = counted = 0.0
    for _ in range(2000):
        step = rng.choice([0.0, 0.001, 0.25, 0.5, 1 / 3, 2.0, 17.0])
        clock.advance(step)
        if countdown.paused:
            paused += step
            counted += step if countdown.pause_counted else 0.0
        else:
            running += step
        if rng.random() < 0.1:
            if countdown.paused:
                countdown.resume()
            else:
                countdown.pause(counted=rng.random() < 0.5)
        _ = countdown.remaining  # reading changes nothing
    assert countdown.elapsed == pytest.approx(running, abs=1e-6)
    assert countdown.paused_total == pytest.approx(paused, abs=1e-6)
    assert countdown.counted_total == pytest.approx(counted, abs=1e-6)
    assert countdown.remaining == pytest.approx(600 - running, abs=1e-6)
