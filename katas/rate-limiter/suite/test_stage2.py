"""Stage 2: a bucket per key, retry_after, costs above burst."""

from __future__ import annotations

import math

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from rate_limiter import RateLimiter

pytestmark = pytest.mark.stage(2)


def test_each_key_has_its_own_bucket(clock):
    """Emptying one key's bucket leaves every other key's bucket full."""
    limiter = RateLimiter(rate=1, burst=2, clock=clock)
    assert limiter.allow("a", 2.0) is True, "key 'a' starts full: allow('a', 2.0) should be True"
    assert limiter.allow("a") is False, "key 'a' is empty: allow('a') should be False"
    for key in ["b", 1, ("a",), "A"]:
        assert limiter.allow(key, 2.0) is True, (
            f"every key has its own bucket: key {key!r} starts full, "
            f"allow({key!r}, 2.0) should be True"
        )
    assert limiter.allow("a") is False, "key 'a' is still empty: allow('a') should be False"


def test_keys_refill_independently(clock):
    """Each key's bucket refills from its own state."""
    limiter = RateLimiter(rate=1, burst=1, clock=clock)
    assert limiter.allow("a") is True, "key 'a' starts full"
    clock.advance(0.5)
    assert limiter.allow("b") is True, "key 'b' starts full"
    clock.advance(0.5)
    assert limiter.allow("a") is True, (
        "key 'a' emptied 1 s ago at rate 1: allow('a') should be True"
    )
    assert limiter.allow("b") is False, (
        "key 'b' emptied 0.5 s ago at rate 1: allow('b') should be False"
    )


def test_none_is_a_key_like_any_other(clock):
    """None is one key with its own bucket, distinct from 0, '' and 'None'."""
    limiter = RateLimiter(rate=1, burst=1, clock=clock)
    assert limiter.allow(None) is True, "key None starts full: allow(None) should be True"
    assert limiter.allow(None) is False, "key None is empty: allow(None) should be False"
    for key in [0, "", "None", ()]:
        assert limiter.allow(key) is True, (
            f"None is a key like any other: key {key!r} has its own full bucket, "
            f"allow({key!r}) should be True"
        )


def test_default_key_is_none(clock):
    """allow() and retry_after() without a key use the bucket of key None."""
    limiter = RateLimiter(rate=1, burst=1, clock=clock)
    assert limiter.allow() is True, "allow() on a full bucket should be True"
    assert limiter.allow(None) is False, (
        "allow() used key None, so allow(None) should find it empty"
    )
    limiter2 = RateLimiter(rate=1, burst=1, clock=clock)
    assert limiter2.allow(None) is True, "allow(None) on a full bucket should be True"
    assert limiter2.allow() is False, (
        "allow(None) emptied key None, so allow() should find it empty"
    )
    got = limiter2.retry_after()
    assert type(got) is float and got == 1.0, (
        f"retry_after() uses key None, empty at rate 1: should be 1.0 seconds, got {got!r}"
    )


def test_retry_after_is_zero_float_when_allowed_now(clock):
    """retry_after returns 0.0 (a float) when allow would return True now."""
    limiter = RateLimiter(rate=1, burst=2, clock=clock)
    got = limiter.retry_after()
    assert type(got) is float and got == 0.0, (
        f"full bucket: retry_after() should be 0.0 (a float), got {got!r}"
    )
    assert limiter.allow() is True, "full bucket of 2: allow() should be True"
    got = limiter.retry_after("k", 2.0)
    assert type(got) is float and got == 0.0, (
        f"new key, full: retry_after('k', 2.0) should be 0.0, got {got!r}"
    )
    got = limiter.retry_after(None, 1.0)
    assert type(got) is float and got == 0.0, (
        f"exactly 1 token left: retry_after(None, 1.0) should be 0.0 (a float), got {got!r}"
    )


def test_retry_after_is_a_float_with_int_arguments():
    """retry_after returns a float even when rate, burst, cost and the clock are ints."""
    now = [10]
    limiter = RateLimiter(rate=1, burst=2, clock=lambda: now[0])
    got = limiter.retry_after(None, 1)
    assert type(got) is float and got == 0.0, (
        f"full bucket, int arguments: retry_after should be 0.0, got {got!r}"
    )
    assert limiter.allow(None, 2) is True, "full bucket of 2: allow(None, 2) should be True"
    got = limiter.retry_after(None, 1)
    assert type(got) is float and got == 1.0, (
        f"empty bucket, rate 1, int arguments: retry_after(None, 1) should be 1.0 (a float), "
        f"got {got!r}"
    )


def test_retry_after_gives_the_time_missing_tokens_take(clock, assert_wait):
    """retry_after counts only the missing tokens, at `rate` per second."""
    limiter = RateLimiter(rate=2, burst=4, clock=clock)
    assert limiter.allow(None, 4.0) is True, "a full bucket of 4 should allow cost 4"
    assert_wait(limiter.retry_after(), 0.5, "empty, rate 2, cost 1")
    assert_wait(limiter.retry_after(None, 3.0), 1.5, "empty, rate 2, cost 3")
    clock.advance(0.125)  # 0.25 tokens
    assert_wait(limiter.retry_after(), 0.375, "0.25 tokens, rate 2, cost 1")
    assert_wait(limiter.retry_after(None, 4.0), 1.875, "0.25 tokens, rate 2, cost 4")
    clock.advance(0.375)  # 1 token
    assert_wait(limiter.retry_after(), 0.0, "exactly 1 token, cost 1")


def test_allow_succeeds_after_retry_after_and_not_before(clock):
    """allow(key, cost) is True at now + retry_after, and False just before."""
    limiter = RateLimiter(rate=4, burst=2, clock=clock)
    assert limiter.allow("k", 1.5) is True, "a full bucket of 2 should allow cost 1.5"
    clock.advance(0.0625)  # 0.5 + 0.25 = 0.75 tokens
    wait = limiter.retry_after("k", 2.0)
    assert type(wait) is float and math.isclose(wait, 0.3125, rel_tol=1e-9), (
        f"0.75 tokens, rate 4, cost 2: retry_after should be 0.3125 seconds, got {wait!r}"
    )
    clock.advance(0.3125 - 1 / 1024)
    assert limiter.allow("k", 2.0) is False, (
        "1/1024 s before now + retry_after, allow('k', 2.0) should be False"
    )
    clock.advance(1 / 1024)
    assert limiter.allow("k", 2.0) is True, "at now + retry_after, allow('k', 2.0) should be True"


def test_retry_after_takes_no_tokens(clock):
    """Calling retry_after any number of times removes nothing."""
    limiter = RateLimiter(rate=1, burst=2, clock=clock)
    for _ in range(5):
        limiter.retry_after()
        limiter.retry_after(None, 2.0)
        limiter.retry_after(None, 0.5)
    assert limiter.allow(None, 2.0) is True, (
        "retry_after must take no tokens: the bucket of 2 should still be full"
    )
    clock.advance(0.5)
    for _ in range(5):
        limiter.retry_after()
    assert limiter.allow(None, 0.5) is True, (
        "retry_after must take no tokens: 0.5 refilled tokens should still be there"
    )


def test_retry_after_reads_the_clock_at_each_call(clock, assert_wait):
    """retry_after shrinks as the clock moves on."""
    limiter = RateLimiter(rate=1, burst=1, clock=clock)
    assert limiter.allow() is True, "a full bucket of 1 should allow cost 1"
    assert_wait(limiter.retry_after(), 1.0, "just emptied, rate 1, cost 1")
    clock.advance(0.75)
    assert_wait(limiter.retry_after(), 0.25, "0.75 s after emptying, rate 1, cost 1")
    clock.advance(10)
    assert_wait(limiter.retry_after(), 0.0, "long after emptying")


def test_cost_above_burst_is_never_allowed(clock, assert_wait):
    """A cost above burst: allow returns False and removes nothing; retry_after is math.inf."""
    limiter = RateLimiter(rate=1, burst=2, clock=clock)
    assert limiter.allow(None, 2.125) is False, (
        "cost 2.125 above burst 2: allow should return False"
    )
    assert_wait(limiter.retry_after(None, 2.125), math.inf, "cost 2.125 above burst 2")
    clock.advance(10_000)
    assert limiter.allow(None, 3.0) is False, (
        "cost 3 above burst 2, even after a long idle time: allow should be False"
    )
    assert_wait(limiter.retry_after("other", 3.0), math.inf, "cost 3 above burst 2, unused key")
    assert limiter.allow(None, 2.0) is True, (
        "a denied cost above burst removes nothing: the full bucket should allow cost 2"
    )
    assert_wait(limiter.retry_after(None, 2.5), math.inf, "cost 2.5 above burst 2, empty bucket")


def test_cost_equal_to_burst_can_be_allowed(clock, assert_wait):
    """A cost equal to burst is allowed on a full bucket, and retry_after is finite."""
    limiter = RateLimiter(rate=0.5, burst=1.5, clock=clock)
    assert_wait(limiter.retry_after(None, 1.5), 0.0, "full bucket, cost equal to burst")
    assert limiter.allow(None, 1.5) is True, (
        "full bucket: allow(None, 1.5) with burst 1.5 should be True"
    )
    assert_wait(limiter.retry_after(None, 1.5), 3.0, "empty, rate 0.5, cost equal to burst 1.5")


def _run_model(data, scenarios, keys, Clock, Model, play):
    rate, burst, start, ops = data.draw(
        scenarios(keys=keys, max_cost_factor=1.5, backwards=False, with_retry=True)
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
        history.append(play(limiter, model, clock.t, op, rate, burst, history))


@settings(max_examples=50, phases=[Phase.explicit, Phase.generate])
@given(data=st.data())
def test_allow_and_retry_after_match_an_exact_model(data, scenarios, keys, Clock, Model, play):
    """Every allow and retry_after on several keys agrees with an exact token-bucket model."""
    _run_model(data, scenarios, keys, Clock, Model, play)
