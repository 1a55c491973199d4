"""Stage 2: a bucket per key, retry_after, costs above burst.

A wait that retry_after returns is read as a number (conftest.plain_number):
an int or a float, or a subclass that keeps int's or float's own comparison.
"""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.stage(2)

OWN_BUCKET = "Every key has its own bucket; None is a key like any other"
NO_TOKENS = "retry_after(key, cost) takes no tokens"
ABOVE_BURST = (
    "A cost above burst can never be allowed: allow returns False and retry_after returns math.inf"
)
STARTS_FULL = "Each key has a bucket that starts full with burst tokens"


def test_each_key_has_its_own_bucket(trace):
    """Emptying one key's bucket leaves every other key's bucket full."""
    t = trace(rate=1, burst=2)
    t.allow("a", 2.0, expect=True, rule=STARTS_FULL)
    t.allow("a", expect=False, rule="key 'a' is empty: allow returns False")
    for key in ["b", 1, ("a",), "A", "1"]:
        t.allow(key, 2.0, expect=True, rule=f"{OWN_BUCKET}: key {key!r} starts full")
    t.allow("a", expect=False, rule=f"{OWN_BUCKET}: key 'a' is still empty")


def test_keys_refill_independently(trace):
    """Each key's bucket refills from its own state and its own time."""
    t = trace(rate=1, burst=1)
    t.allow("a", expect=True, rule=STARTS_FULL)
    t.tick(0.5)
    t.allow("b", expect=True, rule=STARTS_FULL)
    t.tick(0.5)
    t.allow("a", expect=True, rule=f"{OWN_BUCKET}: 'a' was emptied 1 s ago at rate 1")
    t.allow("b", expect=False, rule=f"{OWN_BUCKET}: 'b' was emptied 0.5 s ago at rate 1")


def test_a_call_on_one_key_does_not_move_another_keys_time(trace):
    """Calls on other keys do not change how much a key's bucket has refilled."""
    t = trace(rate=1, burst=2)
    t.allow("a", 2.0, expect=True, rule=STARTS_FULL)
    t.tick(0.75)
    t.allow("b", 2.0, expect=True, rule=STARTS_FULL)
    t.tick(0.25)
    t.allow("b", expect=False, rule=f"{OWN_BUCKET}: 'b' holds 0.25 tokens")
    t.allow("a", expect=True, rule=(
        f"{OWN_BUCKET}: 'a' was emptied 1 s ago at rate 1 and holds 1 token, "
        "whatever calls were made on 'b'"
    ))


def test_none_is_a_key_like_any_other(trace):
    """None is one key with its own bucket, distinct from 0, '' and 'None'."""
    t = trace(rate=1, burst=1)
    t.allow(None, expect=True, rule=STARTS_FULL)
    t.allow(None, expect=False, rule="key None is empty: allow returns False")
    for key in [0, "", "None", ()]:
        t.allow(key, expect=True, rule=f"{OWN_BUCKET}: key {key!r} starts full")


def test_default_key_is_none(trace):
    """allow() and retry_after() without a key use the bucket of key None."""
    t = trace(rate=1, burst=1)
    t.allow(expect=True, rule=STARTS_FULL)
    t.allow(None, expect=False, rule="allow() used key None (the default): it is empty")
    t2 = trace(rate=1, burst=1)
    t2.allow(None, expect=True, rule=STARTS_FULL)
    t2.allow(expect=False, rule="allow(None) emptied key None, the default key: it is empty")
    t2.wait(expect=1.0, rule="retry_after() uses key None, the default key (empty, rate 1)")


def test_retry_after_is_zero_when_allowed_now(trace):
    """retry_after returns 0.0 when allow would return True now."""
    t = trace(rate=1, burst=2)
    rule = "retry_after(key, cost) returns 0.0 when allow(key, cost) would return True now"
    t.wait(expect=0.0, rule=rule)
    t.allow(expect=True, rule=STARTS_FULL)
    t.wait("k", 2.0, expect=0.0, rule=f"{rule} (a new key starts full)")
    t.wait(None, 1.0, expect=0.0, rule=f"{rule} (exactly cost tokens are enough)")


def test_retry_after_with_int_arguments(trace, Clock):
    """retry_after gives the seconds when rate, burst, cost and the clock are ints."""
    clock = Clock(10)
    t = trace(rate=1, burst=2, clock=clock,
              setup="limiter = RateLimiter(rate=1, burst=2, clock=clock)  # clock() returns 10")
    t.wait(None, 1, expect=0.0, rule="retry_after returns 0.0 when allow would return True now")
    t.allow(None, 2, expect=True, rule=STARTS_FULL)
    t.wait(None, 1, expect=1.0, rule="retry_after returns the seconds until allow would pass")


def test_retry_after_gives_the_time_missing_tokens_take(trace):
    """retry_after counts only the missing tokens, at `rate` per second."""
    t = trace(rate=2, burst=4)
    rule = "retry_after returns the seconds until the missing tokens (cost - tokens) have refilled"
    t.allow(None, 4.0, expect=True, rule=STARTS_FULL)
    t.wait(expect=0.5, rule=rule)
    t.wait(None, 3.0, expect=1.5, rule=rule)
    t.tick(0.125)  # 0.25 tokens
    t.wait(expect=0.375, rule=rule)
    t.wait(None, 4.0, expect=1.875, rule=rule)
    t.tick(0.375)  # 1 token
    t.wait(expect=0.0, rule=rule)


def test_allow_succeeds_after_retry_after_and_not_before(trace):
    """allow(key, cost) is True at now + retry_after, and False just before."""
    t = trace(rate=4, burst=2)
    t.allow("k", 1.5, expect=True, rule=STARTS_FULL)
    t.tick(0.0625)  # 0.5 + 0.25 = 0.75 tokens
    rule = "retry_after(key, cost) returns the seconds until allow(key, cost) would return True"
    t.wait("k", 2.0, expect=0.3125, rule=rule)
    t.tick(0.3125 - 1 / 1024)
    t.allow("k", 2.0, expect=False, rule=f"{rule}: 1/1024 s before that, allow is False")
    t.tick(1 / 1024)
    t.allow("k", 2.0, expect=True, rule=f"{rule}: then allow is True")


def test_retry_after_takes_no_tokens(trace):
    """Calling retry_after any number of times removes nothing."""
    t = trace(rate=1, burst=2)
    for _ in range(3):
        t.call("retry_after")
        t.call("retry_after", None, 2.0)
        t.call("retry_after", None, 0.5)
    t.allow(None, 2.0, expect=True, rule=f"{NO_TOKENS}: the bucket of 2 is still full")
    t.tick(0.5)
    for _ in range(3):
        t.call("retry_after")
    t.allow(None, 0.5, expect=True, rule=f"{NO_TOKENS}: 0.5 refilled tokens are still there")


def test_retry_after_reads_the_clock_at_each_call(trace):
    """retry_after shrinks as the clock moves on."""
    t = trace(rate=1, burst=1)
    rule = "Time is clock() read when retry_after is called: the wait shrinks as the clock moves"
    t.allow(expect=True, rule=STARTS_FULL)
    t.wait(expect=1.0, rule=rule)
    t.tick(0.75)
    t.wait(expect=0.25, rule=rule)
    t.tick(10)
    t.wait(expect=0.0, rule=rule)


def test_cost_above_burst_is_never_allowed(trace):
    """A cost above burst: allow returns False and removes nothing; retry_after is math.inf."""
    t = trace(rate=1, burst=2)
    t.allow(None, 2.125, expect=False, rule=ABOVE_BURST)
    t.wait(None, 2.125, expect=math.inf, rule=ABOVE_BURST)
    t.tick(10_000)
    t.allow(None, 3.0, expect=False, rule=ABOVE_BURST)
    t.wait("other", 3.0, expect=math.inf, rule=ABOVE_BURST)
    t.allow(None, 2.0, expect=True, rule=f"{ABOVE_BURST}, and removes nothing")
    t.wait(None, 2.5, expect=math.inf, rule=ABOVE_BURST)


def test_cost_equal_to_burst_can_be_allowed(trace):
    """A cost equal to burst is allowed on a full bucket, and retry_after is finite."""
    t = trace(rate=0.5, burst=1.5)
    rule = "A cost equal to burst is not above burst: a full bucket allows it"
    t.wait(None, 1.5, expect=0.0, rule=rule)
    t.allow(None, 1.5, expect=True, rule=rule)
    t.wait(None, 1.5, expect=3.0, rule=f"{rule}; 1.5 missing tokens at rate 0.5")


# Values exact in binary: power-of-two rates, bursts in quarters, costs in
# eighths or 64ths, time steps in sixteenths or 64ths, so every token count is a
# multiple of 1/256 (of finer powers of two once stage 3 halves them), and waits
# need more than six decimals.
RATES = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0]
STARTS = [0.0, 1000.0, 2.0**20 + 0.125, -1e6]
KEYS = [None, "a", 0, ("t", 1)]


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
    """(rate, burst, start, steps); a step is ("tick", dt) or (call, key, cost or None).

    The steps are spelled out from one drawn seed: drawing every step through
    Hypothesis cost far more than playing it, and this test does not shrink.
    Edge cases get their own odds: a call at the same instant as the one before,
    the default cost, a cost of exactly burst; about a third of the other costs
    are above burst.
    """
    rate = draw(st.sampled_from(RATES))
    burst = draw(st.integers(1, 40)) / 4
    start = draw(st.sampled_from(STARTS))
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    top = max(1, int(burst * 12))
    steps = []
    for _ in range(rnd.randint(20, 48)):
        r = rnd.random()
        if r < 0.09:
            steps.append(("tick", 0.0))
            continue
        if r < 0.375:
            steps.append(("tick", _seconds(rnd, 3)))
            continue
        r = rnd.random()
        cost = None if r < 0.08 else burst if r < 0.2 else _cost(rnd, top)
        call = "allow" if rnd.random() < 0.5 else "retry_after"
        steps.append((call, rnd.choice(KEYS), cost))
    return rate, burst, start, steps


# A hard case first: waits on a new key, at and above burst, on keys None, 0 and "a"
# that refill side by side.
@example(scenario=(0.5, 1.5, 1000.0, [
    ("retry_after", "a", None), ("allow", "a", 1.5), ("retry_after", "a", 1.5),
    ("retry_after", "a", 1.625), ("allow", 0, None), ("tick", 0.0625), ("retry_after", "a", None),
    ("allow", None, 1.5), ("retry_after", 0, 1.5), ("tick", 2.0), ("allow", "a", None),
    ("retry_after", ("t", 1), 1.5), ("allow", "a", 0.125), ("retry_after", None, 1.0)]))
# Waits exact in binary that need more than six decimals (0.048828125 s, 1/512 s).
@example(scenario=(8.0, 1.0, 1000.0, [
    ("allow", "a", None), ("tick", 0.015625), ("retry_after", "a", 0.515625),
    ("allow", "a", 0.125), ("retry_after", "a", 0.015625)]))
@settings(max_examples=50, phases=[Phase.explicit, Phase.generate])
@given(scenario=scenarios())
def test_allow_and_retry_after_match_an_exact_model(scenario, trace, Model, play):
    """Every allow and retry_after on several keys agrees with an exact token-bucket model."""
    rate, burst, start, steps = scenario
    t = trace(rate=rate, burst=burst, start=start)
    model = Model(rate, burst)
    for step in steps:
        play(t, model, step)
