"""Stage 1: one token bucket, refilled continuously, read from the clock."""

from __future__ import annotations

import time

import pytest
from freezegun import freeze_time
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from rate_limiter import RateLimiter

pytestmark = pytest.mark.stage(1)


def test_allow_returns_true_exactly_burst_times_on_a_full_bucket(clock):
    """A new bucket starts full with `burst` tokens: `burst` calls of cost 1 pass, then False."""
    limiter = RateLimiter(rate=1, burst=3, clock=clock)
    for i in range(3):
        got = limiter.allow()
        assert got is True, (
            f"call {i + 1} of 3 on a full bucket (burst=3): allow() should return True, got {got!r}"
        )
    got = limiter.allow()
    assert got is False, (
        f"4th call with burst=3 and no time passed: allow() should return False, got {got!r}"
    )


def test_allow_returns_the_bool_objects(clock):
    """allow returns exactly True or False (bool objects), nothing merely truthy or equal."""
    limiter = RateLimiter(rate=1, burst=1, clock=clock)
    first, second = limiter.allow(), limiter.allow()
    assert first is True, f"allow() on a full bucket should return True (the bool), got {first!r}"
    assert second is False, (
        f"allow() on an empty bucket should return False (the bool), got {second!r}"
    )


def test_fractional_burst_starts_full(clock):
    """A bucket holds exactly `burst` tokens at first, fractional bursts included."""
    limiter = RateLimiter(rate=1, burst=2.5, clock=clock)
    assert limiter.allow(cost=1.0) is True, "burst=2.5: first allow(cost=1.0) should be True"
    assert limiter.allow(cost=1.0) is True, "burst=2.5: second allow(cost=1.0) should be True"
    assert limiter.allow(cost=1.0) is False, (
        "burst=2.5 after taking 2: allow(cost=1.0) should be False (0.5 left)"
    )
    assert limiter.allow(cost=0.5) is True, (
        "burst=2.5 after taking 2: exactly 0.5 left, allow(cost=0.5) should be True"
    )
    assert limiter.allow(cost=0.125) is False, "bucket empty: allow(cost=0.125) should be False"


def test_exactly_cost_tokens_is_enough(clock):
    """A bucket holding exactly `cost` tokens allows (>=, not >)."""
    limiter = RateLimiter(rate=2, burst=2, clock=clock)
    assert limiter.allow(cost=2.0) is True, (
        "a full bucket of 2 tokens should allow cost 2.0 (exactly cost is enough)"
    )
    clock.advance(0.5)  # refills exactly 1 token at rate 2
    assert limiter.allow(cost=1.0) is True, (
        "after 0.5 s at rate 2 the bucket holds exactly 1 token: allow(cost=1.0) should be True"
    )
    assert limiter.allow(cost=0.125) is False, (
        "the bucket is empty again: allow(cost=0.125) should be False"
    )


def test_one_instant_too_early_is_not_enough(clock):
    """Just before `cost` tokens have refilled, allow is still False."""
    limiter = RateLimiter(rate=2, burst=1, clock=clock)
    assert limiter.allow() is True, "a full bucket of 1 token should allow cost 1"
    clock.advance(0.5 - 1 / 1024)
    assert limiter.allow() is False, (
        "rate 2, 1/1024 s before 1 token has refilled: allow() should be False"
    )
    clock.advance(1 / 1024)
    assert limiter.allow() is True, (
        "rate 2, 0.5 s after emptying: exactly 1 token, allow() should be True"
    )


def test_refill_is_continuous_not_in_whole_tokens(clock):
    """Tokens refill continuously at `rate` per second, fractions of a token included."""
    limiter = RateLimiter(rate=1, burst=1, clock=clock)
    assert limiter.allow() is True, "a full bucket of 1 token should allow cost 1"
    clock.advance(0.25)
    assert limiter.allow(cost=0.25) is True, (
        "rate 1, 0.25 s after emptying: 0.25 tokens, allow(cost=0.25) should be True"
    )
    assert limiter.allow(cost=0.125) is False, (
        "that 0.25 was just taken: allow(cost=0.125) should be False"
    )
    clock.advance(0.375)
    clock.advance(0.125)
    assert limiter.allow(cost=0.5) is True, (
        "rate 1, 0.5 s later (in two steps): 0.5 tokens, allow(cost=0.5) should be True"
    )


def test_partial_refills_add_up(clock):
    """Refill keeps fractions across calls: many short steps add up like one long one."""
    limiter = RateLimiter(rate=1, burst=1, clock=clock)
    assert limiter.allow() is True, "a full bucket of 1 token should allow cost 1"
    for i in range(7):
        clock.advance(0.125)
        got = limiter.allow()
        assert got is False, (
            f"rate 1, {(i + 1) / 8} s after emptying: less than 1 token, allow() should be False"
        )
    clock.advance(0.125)
    assert limiter.allow() is True, (
        "rate 1, 8 steps of 0.125 s after emptying (allow called in between): "
        "1 token, allow() should be True"
    )


def test_refill_never_goes_above_burst(clock):
    """After a long idle time the bucket holds `burst` tokens, not more."""
    limiter = RateLimiter(rate=4, burst=2, clock=clock)
    assert limiter.allow(cost=2.0) is True, "a full bucket of 2 should allow cost 2"
    clock.advance(1000)
    assert limiter.allow(cost=2.0) is True, (
        "after a long idle time the bucket is full again: allow(cost=2.0) should be True"
    )
    assert limiter.allow(cost=0.125) is False, (
        "after a long idle time the bucket holds burst=2 tokens, never more: "
        "after taking 2, allow should be False"
    )


def test_refill_cap_applies_while_the_bucket_is_partly_full(clock):
    """A partly full bucket refills up to `burst` and no further."""
    limiter = RateLimiter(rate=1, burst=4, clock=clock)
    assert limiter.allow() is True, "a full bucket of 4 should allow cost 1"
    clock.advance(3)  # 3 + 3 would be 6: capped at 4
    assert limiter.allow(cost=4.0) is True, (
        "3 tokens + 3 s at rate 1, capped at burst 4: allow(cost=4.0) should be True"
    )
    assert limiter.allow(cost=0.125) is False, (
        "the bucket was capped at 4 and 4 were taken: allow should be False"
    )


def test_denied_allow_removes_nothing(clock):
    """A denied allow returns False and takes no tokens."""
    limiter = RateLimiter(rate=1, burst=3, clock=clock)
    assert limiter.allow(cost=2.0) is True, "a full bucket of 3 should allow cost 2"
    for _ in range(5):
        assert limiter.allow(cost=2.0) is False, "1 token left: allow(cost=2.0) should be False"
    assert limiter.allow(cost=1.0) is True, (
        "denied calls must remove nothing: the 1 token left should still allow cost 1"
    )


def test_denied_allow_keeps_the_partial_refill(clock):
    """Tokens refilled before a denied allow are still there afterwards."""
    limiter = RateLimiter(rate=1, burst=1, clock=clock)
    assert limiter.allow() is True, "a full bucket of 1 should allow cost 1"
    clock.advance(0.5)
    assert limiter.allow() is False, "0.5 tokens: allow() should be False"
    clock.advance(0.5)
    assert limiter.allow() is True, (
        "0.5 tokens before the denied call plus 0.5 after make 1: allow() should be True "
        "(a denied allow removes nothing)"
    )


def test_clock_is_read_at_each_call_not_at_construction():
    """The limiter reads clock() when allow is called, with any origin of time."""
    clock_value = [5.0]
    limiter = RateLimiter(rate=1, burst=1, clock=lambda: clock_value[0])
    clock_value[0] = 2.0**20  # much later than at construction
    assert limiter.allow() is True, "a full bucket of 1 should allow cost 1"
    assert limiter.allow() is False, (
        "the bucket is empty and the clock did not move: allow() should be False"
    )
    clock_value[0] += 1
    assert limiter.allow() is True, (
        "the clock moved 1 s at rate 1 after the call that emptied it: allow() should be True"
    )


@pytest.mark.timeout(5)
def test_default_clock_follows_time_monotonic_under_freezegun(redirect_clocks):
    """With clock=None the limiter reads time.monotonic() at each call (frozen with freezegun)."""
    with freeze_time("2024-01-01 12:00:00") as frozen, pytest.MonkeyPatch.context() as mp:
        # freezegun patches time.monotonic and module globals holding it
        # (`from time import monotonic`); this also covers a class attribute.
        redirect_clocks(mp, {"monotonic": time.monotonic})
        limiter = RateLimiter(rate=1, burst=2)
        assert limiter.allow(cost=2.0) is True, "clock=None: a full bucket of 2 should allow cost 2"
        assert limiter.allow() is False, (
            "clock=None, time frozen: the bucket is empty, allow() should be False"
        )
        frozen.tick(0.5)
        assert limiter.allow() is False, (
            "clock=None, 0.5 s later at rate 1: 0.5 tokens, allow() should be False"
        )
        frozen.tick(0.5)
        assert limiter.allow() is True, (
            "clock=None: after time.monotonic() moved 1 s at rate 1, allow() should be True"
        )
        frozen.tick(100)
        assert limiter.allow(cost=2.0) is True, (
            "clock=None, 100 s later: the bucket is full again (2 tokens)"
        )
        assert limiter.allow() is False, "clock=None: never more than burst=2 tokens"


@pytest.mark.timeout(5)
def test_default_clock_is_monotonic_not_wall_clock(monkeypatch, redirect_clocks):
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
    limiter = RateLimiter(rate=1, burst=1)
    assert limiter.allow() is True, "clock=None: a full bucket of 1 should allow cost 1"
    wall[0] += 3600  # the wall clock jumps; time.monotonic does not move
    assert limiter.allow() is False, (
        "clock=None must use time.monotonic(): time.time() jumped an hour but time.monotonic() "
        "did not move, so the bucket is still empty"
    )
    mono[0] += 1
    wall[0] -= 7200  # the wall clock is set back; monotonic time moved 1 s
    assert limiter.allow() is True, (
        "clock=None must use time.monotonic(): it moved 1 s at rate 1 (time.time() was set back), "
        "so allow() should be True"
    )


@settings(max_examples=30, phases=[Phase.explicit, Phase.generate])
@given(data=st.data())
def test_allow_matches_an_exact_token_bucket_model(data, Clock, Model, scenarios):
    """Every allow on the default key agrees with an exact token-bucket model (time moves on)."""
    rate, burst, start, ops = data.draw(
        scenarios(keys=[None], max_cost_factor=1.0, backwards=False, with_retry=False)
    )
    clock = Clock(start)
    limiter = RateLimiter(rate=rate, burst=burst, clock=clock)
    model = Model(rate, burst)
    history = []
    for op in ops:
        if op[0] == "tick":
            clock.advance(op[1])
            history.append(f"clock -> {clock.t}")
            continue
        cost = op[2]
        if (cost is not None and cost > burst) or (cost is None and burst < 1.0):
            continue  # costs above burst belong to stage 2
        got = limiter.allow() if cost is None else limiter.allow(cost=cost)
        expected = model.allow(None, 1.0 if cost is None else cost, clock.t)
        call = "allow()" if cost is None else f"allow(cost={cost})"
        history.append(call)
        if got is not expected:
            pytest.fail(
                f"{call} should return {expected} (rate={rate}, burst={burst}), got {got!r}\n"
                + "after: "
                + "; ".join(history[-12:])
            )
