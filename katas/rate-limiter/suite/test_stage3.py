"""Stage 3: validation, and a clock that goes backwards."""

from __future__ import annotations

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from rate_limiter import RateLimiter

pytestmark = pytest.mark.stage(3)


@pytest.mark.parametrize("rate", [0, 0.0, -1, -0.5])
def test_rate_zero_or_negative_raises_value_error(rate, clock):
    """rate <= 0 raises ValueError when constructing."""
    with pytest.raises(ValueError):
        RateLimiter(rate=rate, burst=1, clock=clock)
        pytest.fail(f"RateLimiter(rate={rate!r}, burst=1) should raise ValueError (rate <= 0)")


@pytest.mark.parametrize("burst", [0, 0.0, -1, -0.5])
def test_burst_zero_or_negative_raises_value_error(burst, clock):
    """burst <= 0 raises ValueError when constructing."""
    with pytest.raises(ValueError):
        RateLimiter(rate=1, burst=burst, clock=clock)
        pytest.fail(f"RateLimiter(rate=1, burst={burst!r}) should raise ValueError (burst <= 0)")


def test_small_positive_rate_and_burst_are_valid(clock):
    """Any positive rate and burst are accepted, fractions below 1 included."""
    limiter = RateLimiter(rate=0.0625, burst=0.5, clock=clock)
    assert limiter.allow(None, 0.5) is True, (
        "RateLimiter(rate=0.0625, burst=0.5): allow(None, 0.5) should be True"
    )
    got = limiter.retry_after(None, 0.5)
    assert type(got) is float and got == 8.0, (
        f"empty, rate 0.0625, cost 0.5: retry_after should be 8.0, got {got!r}"
    )


@pytest.mark.parametrize("cost", [0, 0.0, -1, -0.125])
def test_allow_with_cost_zero_or_negative_raises_value_error(cost, clock):
    """allow with cost <= 0 raises ValueError."""
    limiter = RateLimiter(rate=1, burst=2, clock=clock)
    with pytest.raises(ValueError):
        limiter.allow("k", cost)
        pytest.fail(f"allow('k', {cost!r}) should raise ValueError (cost <= 0)")
    limiter.allow("k", 1.0)  # empties half the bucket
    with pytest.raises(ValueError):
        limiter.allow("k", cost)
        pytest.fail(f"allow('k', {cost!r}) on a used bucket should raise ValueError (cost <= 0)")


@pytest.mark.parametrize("cost", [0, 0.0, -1, -0.125])
def test_retry_after_with_cost_zero_or_negative_raises_value_error(cost, clock):
    """retry_after with cost <= 0 raises ValueError."""
    limiter = RateLimiter(rate=1, burst=2, clock=clock)
    with pytest.raises(ValueError):
        limiter.retry_after("k", cost)
        pytest.fail(f"retry_after('k', {cost!r}) should raise ValueError (cost <= 0)")
    limiter.allow("k", 2.0)  # empties the bucket
    with pytest.raises(ValueError):
        limiter.retry_after("k", cost)
        pytest.fail(
            f"retry_after('k', {cost!r}) on an empty bucket should raise ValueError (cost <= 0)"
        )


def test_clock_going_backwards_adds_no_tokens(clock):
    """When the clock goes backwards the bucket gets no tokens."""
    limiter = RateLimiter(rate=1, burst=2, clock=clock)
    assert limiter.allow(None, 2.0) is True, "a full bucket of 2 should allow cost 2"
    clock.advance(-5)
    assert limiter.allow(None, 0.125) is False, (
        "the clock went back 5 s: that adds no tokens, the bucket is still empty "
        "and allow should be False"
    )


def test_clock_going_backwards_removes_no_tokens(clock):
    """When the clock goes backwards the bucket keeps every token it had."""
    limiter = RateLimiter(rate=1, burst=4, clock=clock)
    assert limiter.allow(None, 2.0) is True, "a full bucket of 4 should allow cost 2"
    clock.advance(-3)
    assert limiter.allow(None, 2.0) is True, (
        "the clock went back 3 s: that removes no tokens, the 2 left should allow cost 2"
    )
    assert limiter.allow(None, 0.125) is False, "the clock went back 3 s: the bucket is empty now"


def test_time_already_counted_is_not_counted_again(clock):
    """After the clock goes back, only time past the latest time seen refills."""
    limiter = RateLimiter(rate=2, burst=4, clock=clock)
    assert limiter.allow(None, 4.0) is True, "a full bucket of 4 should allow cost 4"
    clock.advance(-10)
    assert limiter.allow(None, 0.125) is False, (
        "the clock went back 10 s: the bucket is still empty"
    )
    clock.advance(10)  # back where the bucket was emptied
    assert limiter.allow(None, 0.125) is False, (
        "the clock went back 10 s and forward 10 s to where the bucket was emptied: that time was "
        "already counted, so the bucket is still empty"
    )
    clock.advance(0.5)
    assert limiter.allow(None, 1.0) is True, (
        "0.5 s past the latest time seen, at rate 2: 1 token, allow should be True"
    )
    assert limiter.allow(None, 0.125) is False, (
        "only 0.5 s past the latest time seen refills: the bucket is empty now"
    )


def test_denied_allow_while_clock_is_behind_keeps_the_latest_time(clock):
    """Calls made while the clock is behind do not move the bucket's time back."""
    limiter = RateLimiter(rate=1, burst=1, clock=clock)
    assert limiter.allow() is True, "a full bucket of 1 should allow cost 1"
    clock.advance(-4)
    assert limiter.allow() is False, "the clock went back 4 s: the bucket is still empty"
    limiter.retry_after()
    clock.advance(4.5)  # 0.5 s past the time the bucket was emptied
    assert limiter.allow() is False, (
        "the clock went back 4 s, then forward to 0.5 s past the latest time seen: only 0.5 tokens "
        "(time already counted is not counted again), allow() should be False"
    )
    clock.advance(0.5)
    assert limiter.allow() is True, (
        "1 s past the latest time seen at rate 1: allow() should be True"
    )


def test_retry_after_while_the_clock_is_behind(clock, assert_wait):
    """While the clock is behind, retry_after counts the time to catch up first."""
    limiter = RateLimiter(rate=2, burst=1, clock=clock)
    assert limiter.allow() is True, "a full bucket of 1 should allow cost 1"
    clock.advance(-2)
    assert_wait(
        limiter.retry_after(),
        2.5,
        "clock 2 s behind the time the bucket was emptied, rate 2, cost 1 (no tokens come in until "
        "the clock is back there, then 0.5 s)",
    )
    clock.advance(2.5 - 1 / 64)
    assert limiter.allow() is False, "1/64 s before now + retry_after: allow() should be False"
    clock.advance(1 / 64)
    assert limiter.allow() is True, "at now + retry_after: allow() should be True"


def test_retry_after_is_zero_while_behind_when_tokens_are_there(clock, assert_wait):
    """While the clock is behind, retry_after is 0.0 when the bucket already holds the cost."""
    limiter = RateLimiter(rate=1, burst=4, clock=clock)
    assert limiter.allow(None, 1.0) is True, "a full bucket of 4 should allow cost 1"
    clock.advance(-100)
    assert_wait(limiter.retry_after(None, 3.0), 0.0, "clock behind, 3 tokens left, cost 3")
    assert_wait(
        limiter.retry_after(None, 3.5), 100.5, "clock 100 s behind, 3 tokens left, rate 1, cost 3.5"
    )


@settings(max_examples=50, phases=[Phase.explicit, Phase.generate])
@given(data=st.data())
def test_model_with_a_clock_that_goes_backwards(data, scenarios, keys, Clock, Model, play):
    """Every allow and retry_after agrees with an exact model while the clock jumps around."""
    rate, burst, start, ops = data.draw(
        scenarios(keys=keys, max_cost_factor=1.5, backwards=True, with_retry=True)
    )
    clock = Clock(start)
    limiter = RateLimiter(rate=rate, burst=burst, clock=clock)
    model = Model(rate, burst)
    history = []
    latest = start

    def fail(call, expected, got):
        pytest.fail(
            f"{call} should return {expected} (rate={rate}, burst={burst}), got {got!r}\n"
            + "after: "
            + "; ".join(history[-12:])
        )

    for op in ops:
        if op[0] == "tick":
            if op[1] < 0 and clock.t == latest:
                # Before the clock goes back, every key uses the bucket at the latest time
                # (so each bucket has surely counted the time up to there).
                for key in keys:
                    tokens, _ = model.tokens(key, clock.t)
                    if tokens > 0:
                        take = float(tokens / 2 if tokens >= 0.25 else tokens)
                        call = f"allow({key!r}, {take!r})"
                        got = limiter.allow(key, take)
                        if got is not model.allow(key, take, clock.t) or got is not True:
                            fail(call, True, got)
                        history.append(call)
            clock.advance(op[1])
            latest = max(latest, clock.t)
            history.append(f"clock -> {clock.t}")
            continue
        history.append(play(limiter, model, clock.t, op, rate, burst, history))
