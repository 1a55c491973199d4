"""Stage 1: one token bucket, refilled continuously, read from the clock.

Every check goes through `trace` (see conftest.py): a failure shows the rule,
the steps so far (the clock's moves and each call with what it returned), what
was expected and what the attempt returned.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.stage(1)

STARTS_FULL = "Each key has a bucket that starts full with burst tokens"
EXACTLY_COST = (
    "allow(key, cost) returns True and removes cost tokens when the bucket holds at least cost "
    "tokens (exactly cost is enough)"
)
DENIED = "otherwise allow returns False and removes nothing"
CONTINUOUS = "the bucket refills continuously at rate tokens per second"
CAPPED = "the bucket refills at rate tokens per second, never above burst"
CLOCK_READ = "Time is clock() in seconds, read when allow or retry_after is called"
MONOTONIC = "with clock=None, time is time.monotonic()"


def test_allow_returns_true_exactly_burst_times_on_a_full_bucket(trace):
    """A new bucket starts full with `burst` tokens: `burst` calls of cost 1 pass, then False."""
    t = trace(rate=1, burst=3)
    for _ in range(3):
        t.allow(expect=True, rule=STARTS_FULL)
    t.allow(expect=False, rule=f"{STARTS_FULL} (burst=3, no more): {DENIED}")


def test_allow_returns_the_bool_objects(trace):
    """allow returns exactly True or False (bool objects), nothing merely truthy or equal."""
    t = trace(rate=1, burst=1)
    rule = "allow returns True or False (the bool objects)"
    t.allow(expect=True, rule=rule)
    t.allow(expect=False, rule=rule)


def test_fractional_burst_starts_full(trace):
    """A bucket holds exactly `burst` tokens at first, fractional bursts included."""
    t = trace(rate=1, burst=2.5)
    t.allow(cost=1.0, expect=True, rule=STARTS_FULL)
    t.allow(cost=1.0, expect=True, rule=STARTS_FULL)
    t.allow(cost=1.0, expect=False, rule=f"{STARTS_FULL} (2.5, 0.5 left): {DENIED}")
    t.allow(cost=0.5, expect=True, rule=f"{STARTS_FULL}; {EXACTLY_COST}")
    t.allow(cost=0.125, expect=False, rule=f"the bucket is empty: {DENIED}")


def test_a_new_limiter_starts_full_whatever_another_one_did(trace):
    """Each limiter has its own buckets: a second limiter's buckets start full."""
    first = trace(rate=1, burst=2)
    first.allow(cost=2.0, expect=True, rule=STARTS_FULL)
    second = trace(rate=1, burst=2)
    second.lines = [line.replace("limiter", "first") for line in first.lines] + second.lines[1:]
    second.allow(cost=2.0, expect=True,
                 rule=f"{STARTS_FULL}: a new limiter does not share the buckets of another one")


def test_exactly_cost_tokens_is_enough(trace):
    """A bucket holding exactly `cost` tokens allows (>=, not >)."""
    t = trace(rate=2, burst=2)
    t.allow(cost=2.0, expect=True, rule=EXACTLY_COST)
    t.tick(0.5)  # refills exactly 1 token at rate 2
    t.allow(cost=1.0, expect=True, rule=EXACTLY_COST)
    t.allow(cost=0.125, expect=False, rule=f"the bucket is empty again: {DENIED}")


def test_one_instant_too_early_is_not_enough(trace):
    """Just before `cost` tokens have refilled, allow is still False."""
    t = trace(rate=2, burst=1)
    t.allow(expect=True, rule=STARTS_FULL)
    t.tick(0.5 - 1 / 1024)
    t.allow(expect=False, rule=f"{EXACTLY_COST}; 1/1024 s before 1 token is there: {DENIED}")
    t.tick(1 / 1024)
    t.allow(expect=True, rule=EXACTLY_COST)


def test_a_few_nanoseconds_too_early_is_not_enough(trace):
    """No tolerance: 2**-30 s before `cost` tokens are there (exact in binary), allow is False."""
    t = trace(rate=1, burst=1, start=1024.0)
    t.allow(expect=True, rule=STARTS_FULL)
    t.tick(1 - 2.0**-30)
    t.allow(expect=False, rule=f"{EXACTLY_COST}, not a little less; {DENIED}")
    t.allow(cost=1 - 2.0**-30, expect=True, rule=EXACTLY_COST)
    t.tick(2.0**-30)
    t.allow(cost=2.0**-29, expect=False,
            rule=f"{EXACTLY_COST}, not a little less (2**-30 tokens are there); {DENIED}")


def test_refill_is_continuous_not_in_whole_tokens(trace):
    """Tokens refill continuously at `rate` per second, fractions of a token included."""
    t = trace(rate=1, burst=1)
    t.allow(expect=True, rule=STARTS_FULL)
    t.tick(0.25)
    t.allow(cost=0.25, expect=True, rule=CONTINUOUS)
    t.allow(cost=0.125, expect=False, rule=f"that 0.25 was just taken: {DENIED}")
    t.tick(0.375)
    t.tick(0.125)
    t.allow(cost=0.5, expect=True, rule=CONTINUOUS)


def test_partial_refills_add_up(trace):
    """Refill keeps fractions across calls: many short steps add up like one long one."""
    t = trace(rate=1, burst=1)
    t.allow(expect=True, rule=STARTS_FULL)
    for _ in range(7):
        t.tick(0.125)
        t.allow(expect=False, rule=f"{CONTINUOUS}; less than 1 token: {DENIED}")
    t.tick(0.125)
    t.allow(expect=True, rule=f"{CONTINUOUS}: 8 steps of 0.125 s make 1 token")


def test_refill_never_goes_above_burst(trace):
    """After a long idle time the bucket holds `burst` tokens, not more."""
    t = trace(rate=4, burst=2)
    t.allow(cost=2.0, expect=True, rule=STARTS_FULL)
    t.tick(1000)
    t.allow(cost=2.0, expect=True, rule=CAPPED)
    t.allow(cost=0.125, expect=False, rule=f"{CAPPED}: 2 tokens were there and were taken")


def test_refill_cap_applies_while_the_bucket_is_partly_full(trace):
    """A partly full bucket refills up to `burst` and no further."""
    t = trace(rate=1, burst=4)
    t.allow(expect=True, rule=STARTS_FULL)
    t.tick(3)  # 3 + 3 would be 6: capped at 4
    t.allow(cost=4.0, expect=True, rule=CAPPED)
    t.allow(cost=0.125, expect=False, rule=f"{CAPPED}: 4 tokens were there and were taken")


def test_refill_is_capped_after_adding_not_before(trace):
    """tokens + refill is capped at burst: a partly empty bucket does not bank more."""
    t = trace(rate=2, burst=2)
    t.allow(cost=0.5, expect=True, rule=STARTS_FULL)
    t.tick(10)
    t.allow(cost=2.0, expect=True, rule=CAPPED)
    t.tick(0.125)  # 0.25 tokens, if the bucket was capped at 2
    t.allow(cost=0.5, expect=False, rule=f"{CAPPED}: 0.25 tokens are there; {DENIED}")


def test_denied_allow_removes_nothing(trace):
    """A denied allow returns False and takes no tokens."""
    t = trace(rate=1, burst=3)
    t.allow(cost=2.0, expect=True, rule=STARTS_FULL)
    for _ in range(5):
        t.allow(cost=2.0, expect=False, rule=f"1 token left: {DENIED}")
    t.allow(cost=1.0, expect=True, rule=f"{DENIED}: the 1 token left is still there")


def test_denied_allow_keeps_the_partial_refill(trace):
    """Tokens refilled before a denied allow are still there afterwards."""
    t = trace(rate=1, burst=1)
    t.allow(expect=True, rule=STARTS_FULL)
    t.tick(0.5)
    t.allow(expect=False, rule=f"0.5 tokens: {DENIED}")
    t.tick(0.5)
    t.allow(expect=True, rule=f"{DENIED}: 0.5 + 0.5 refilled tokens make 1")


def test_clock_is_read_at_each_call_not_at_construction(trace, Clock):
    """The limiter reads clock() when allow is called, with any origin of time."""
    clock = Clock(5.0)
    t = trace(rate=1, burst=1, clock=clock,
              setup="limiter = RateLimiter(rate=1, burst=1, clock=clock)  # clock() returns 5.0")
    clock.t = 2.0**20
    t.note(f"clock.t = {clock.t!r}")
    t.allow(expect=True, rule=STARTS_FULL)
    t.allow(expect=False, rule=f"{CLOCK_READ}; the bucket is empty: {DENIED}")
    t.tick(1)
    t.allow(expect=True, rule=f"{CLOCK_READ}: it moved 1 s at rate 1 since the bucket emptied")


def test_a_clock_whose_readings_are_below_zero_works_the_same(trace):
    """The clock's origin is arbitrary: a bucket starts full and refills with negative readings."""
    t = trace(rate=2, burst=2, start=-1e6)
    rule = f"{CLOCK_READ} (any origin, readings below zero included); {STARTS_FULL}"
    t.allow(cost=2.0, expect=True, rule=rule)
    t.allow(cost=0.125, expect=False, rule=f"the bucket is empty: {DENIED}")
    t.tick(0.5)
    t.allow(cost=1.0, expect=True, rule=f"{CONTINUOUS}: 0.5 s at rate 2 is 1 token")
    t.allow(cost=0.125, expect=False, rule=f"the bucket is empty: {DENIED}")


class ClockThatMovesDuringACall:
    """A fake clock that moves on by `during` seconds just after it is read.

    Like a real clock while a call runs: the first read in a call gives the
    time, a second read in the same call would give a later time.
    """

    def __init__(self, t: float) -> None:
        self.t = t
        self.during = 0.0

    def __call__(self) -> float:
        now = self.t
        self.t += self.during
        self.during = 0.0
        return now


def test_no_time_is_lost_when_the_clock_moves_during_a_call(trace):
    """Every second the clock moves counts once, also the ones that pass while a call runs."""
    clock = ClockThatMovesDuringACall(1000.0)
    t = trace(rate=1, burst=2, clock=clock,
              setup="limiter = RateLimiter(rate=1, burst=2, clock=clock)  # clock() returns 1000.0")
    t.allow(cost=2.0, expect=True, rule=STARTS_FULL)
    clock.t += 1
    clock.during = 0.5
    t.note("clock.t = 1001.0, and the clock moves on by 0.5 s while the next call runs")
    t.allow(cost=1.0, expect=True, rule=f"{CONTINUOUS}: 1 s at rate 1 refilled 1 token")
    clock.t = 1002.0
    t.note("clock.t = 1002.0")
    t.allow(cost=1.0, expect=True, rule=(
        f"{CONTINUOUS}; {CLOCK_READ}: 2 s after the bucket was emptied at 1000.0, 2 tokens came "
        "in and 1 was taken. The 0.5 s the clock moved during a call must not be lost (read the "
        "clock once per call)"
    ))


@pytest.mark.timeout(5)
def test_default_clock_follows_time_monotonic(monkeypatch, trace, redirect_clocks, Clock):
    """With clock=None the limiter reads time.monotonic() at each call (a fake moved by hand)."""
    # Faked wherever the attempt may hold it (`import time`, `from time import monotonic`,
    # a class attribute, a default argument), like freezegun's freeze_time but without
    # its scan of every loaded module; the other clocks stand still.
    mono = Clock(7200.0)
    redirect_clocks(
        monkeypatch,
        {
            "monotonic": lambda: mono.t,
            "monotonic_ns": lambda: int(mono.t * 1e9),
            "time": lambda: 1.7e9,
            "time_ns": lambda: 1_700_000_000 * 10**9,
            "perf_counter": lambda: 0.0,
            "perf_counter_ns": lambda: 0,
        },
    )
    t = trace(rate=1, burst=2, clock=None,
              setup="limiter = RateLimiter(rate=1, burst=2)  # time.monotonic() returns 7200.0")
    t.allow(cost=2.0, expect=True, rule=STARTS_FULL)
    t.allow(expect=False, rule=f"{MONOTONIC}; time did not move: {DENIED}")
    for dt, expect in [(0.5, False), (0.5, True)]:
        mono.advance(dt)
        t.note(f"time.monotonic() moved {dt} s")
        t.allow(expect=expect, rule=f"{MONOTONIC}; {CONTINUOUS}")
    mono.advance(100)
    t.note("time.monotonic() moved 100 s")
    t.allow(cost=2.0, expect=True, rule=f"{MONOTONIC}; {CAPPED}")
    t.allow(expect=False, rule=f"{MONOTONIC}; {CAPPED}")


@pytest.mark.timeout(5)
def test_default_clock_is_monotonic_not_wall_clock(monkeypatch, trace, redirect_clocks):
    """With clock=None the limiter uses time.monotonic(), not time.time() or perf_counter()."""
    mono = [500.0]
    wall = [1.7e9]
    redirect_clocks(
        monkeypatch,
        {
            "monotonic": lambda: mono[0],
            "monotonic_ns": lambda: int(mono[0] * 1e9),
            "time": lambda: wall[0],
            "time_ns": lambda: int(wall[0] * 1e9),
            "perf_counter": lambda: 0.0,
            "perf_counter_ns": lambda: 0,
        },
    )
    t = trace(rate=1, burst=1, clock=None, setup=(
        "limiter = RateLimiter(rate=1, burst=1)  # time.monotonic() returns 500.0, "
        "time.time() 1.7e9, time.perf_counter() 0.0"
    ))
    t.allow(expect=True, rule=STARTS_FULL)
    wall[0] += 3600
    t.note("time.time() jumped 1 hour ahead; time.monotonic() did not move")
    t.allow(expect=False, rule=f"{MONOTONIC}, not time.time(); the bucket is empty: {DENIED}")
    mono[0] += 1
    wall[0] -= 7200
    t.note("time.monotonic() moved 1 s; time.time() was set back 2 hours")
    t.allow(expect=True, rule=f"{MONOTONIC}, not time.time(): it moved 1 s at rate 1")


# Values exact in binary: power-of-two rates, bursts in quarters, costs in
# eighths or 64ths, time steps in sixteenths or 64ths, so every token count is a
# multiple of 1/256 (of finer powers of two once stage 3 halves them), and waits
# need more than six decimals.
RATES = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0]
STARTS = [0.0, 1000.0, 2.0**20 + 0.125, -1e6]


def _seconds(rnd, most):
    """Up to `most` seconds: mostly in sixteenths, a third of the time in 64ths."""
    if rnd.random() < 0.3:
        return rnd.randint(1, 64 * most) / 64
    return rnd.randint(1, 16 * most) / 16


def _cost(rnd, top):
    """Up to top / 8 tokens: mostly in eighths, a quarter of the time in 64ths."""
    if rnd.random() < 0.25:
        return rnd.randint(1, 8 * top) / 64
    return rnd.randint(1, top) / 8


@st.composite
def scenarios(draw):
    """(rate, burst, start, steps) for one bucket.

    A step is ("tick", dt) or ("allow", None, cost); a cost of None leaves it out.
    The steps are spelled out from one drawn seed: drawing every step through
    Hypothesis cost far more than playing it, and this test does not shrink.
    Edge cases get their own odds: a call at the same instant as the one before,
    the default cost, a cost of exactly burst.
    """
    rate = draw(st.sampled_from(RATES))
    burst = draw(st.integers(4, 40)) / 4
    start = draw(st.sampled_from(STARTS))
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    top = int(burst * 8)
    steps = []
    for _ in range(rnd.randint(20, 48)):
        r = rnd.random()
        if r < 0.09:
            steps.append(("tick", 0.0))
        elif r < 0.375:
            steps.append(("tick", _seconds(rnd, 3)))
        elif r < 0.43:
            steps.append(("allow", None, None))
        elif r < 0.49:
            steps.append(("allow", None, burst))
        else:
            steps.append(("allow", None, _cost(rnd, top)))
    return rate, burst, start, steps


# A hard case first: exactly cost tokens after a refill, then the cap after a long wait.
@example(scenario=(2.0, 1.0, 2.0**20 + 0.125, [
    ("allow", None, None), ("tick", 0.4375), ("allow", None, None), ("tick", 0.0625),
    ("allow", None, 1.0), ("tick", 3.0), ("allow", None, 1.0), ("allow", None, 0.125)]))
@settings(max_examples=30, phases=[Phase.explicit, Phase.generate])
@given(scenario=scenarios())
def test_allow_matches_an_exact_token_bucket_model(scenario, trace, Model, play):
    """Every allow on the default key agrees with an exact token-bucket model (time moves on)."""
    rate, burst, start, steps = scenario
    t = trace(rate=rate, burst=burst, start=start)
    model = Model(rate, burst)
    for step in steps:
        play(t, model, step)
