"""Shared fixtures of the rate-limiter suite: a fake clock, an exact model, helpers."""

from __future__ import annotations

import math
import sys
import time
import types
from fractions import Fraction

import pytest
from hypothesis import strategies as st

# The real clock functions, captured before any test patches the time module.
_REAL_CLOCKS = {
    name: getattr(time, name)
    for name in ("monotonic", "monotonic_ns", "time", "time_ns", "perf_counter", "perf_counter_ns")
}


class FakeClock:
    """A clock the test moves by hand; `clock()` returns the current time."""

    def __init__(self, t: float = 0.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, dt: float) -> None:
        self.t += dt


class BucketModel:
    """Exact token buckets in Fractions, one per key, each with a high-water mark."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = Fraction(rate)
        self.burst = Fraction(burst)
        self.buckets: dict[object, tuple[Fraction, Fraction]] = {}

    def tokens(self, key: object, now: float) -> tuple[Fraction, Fraction]:
        """Tokens and high-water mark of the key's bucket at `now` (stored back)."""
        now_f = Fraction(now)
        tokens, last = self.buckets.get(key, (self.burst, now_f))
        if now_f > last:
            tokens = min(self.burst, tokens + (now_f - last) * self.rate)
            last = now_f
        self.buckets[key] = (tokens, last)
        return tokens, last

    def allow(self, key: object, cost: float, now: float) -> bool:
        tokens, last = self.tokens(key, now)
        if tokens >= Fraction(cost):
            self.buckets[key] = (tokens - Fraction(cost), last)
            return True
        return False

    def retry_after(self, key: object, cost: float, now: float) -> Fraction | float:
        if Fraction(cost) > self.burst:
            return math.inf
        tokens, last = self.tokens(key, now)
        if tokens >= Fraction(cost):
            return Fraction(0)
        return (last - Fraction(now)) + (Fraction(cost) - tokens) / self.rate


def check_wait(got: object, expected: Fraction | float, what: str, context: str = "") -> None:
    """Fail unless `got` is the float duration `expected` (1e-9 relative error)."""
    if type(got) is not float:
        pytest.fail(
            f"{what}: retry_after must return a float, got {type(got).__name__} {got!r}"
            + (f"\n{context}" if context else "")
        )
    if expected == math.inf:
        ok = got == math.inf
    elif expected == 0:
        ok = got == 0.0
    else:
        ok = math.isclose(got, float(expected), rel_tol=1e-9)
    if not ok:
        pytest.fail(
            f"{what}: retry_after should be {float(expected)!r} seconds, got {got!r}"
            + (f"\n{context}" if context else "")
        )


def redirect_default_clocks(monkeypatch: pytest.MonkeyPatch, fakes: dict) -> None:
    """Replace time.<name> by fakes[name], wherever the attempt may hold the real one.

    Covers `import time` (attribute looked up at call), `from time import
    monotonic` (a module global), a class attribute or staticmethod, and a
    default argument value of a function or method.
    """
    from rate_limiter import RateLimiter  # the attempt: import it only when a test runs

    module = sys.modules[RateLimiter.__module__]
    swap = {id(_REAL_CLOCKS[name]): fake for name, fake in fakes.items()}
    for name, fake in fakes.items():
        monkeypatch.setattr(time, name, fake)

    def patch_defaults(func: object) -> None:
        func = getattr(func, "__func__", func)  # staticmethod, classmethod
        if not isinstance(func, types.FunctionType):
            return
        if func.__defaults__ and any(id(v) in swap for v in func.__defaults__):
            new = tuple(swap.get(id(v), v) for v in func.__defaults__)
            monkeypatch.setattr(func, "__defaults__", new)
        if func.__kwdefaults__ and any(id(v) in swap for v in func.__kwdefaults__.values()):
            new_kw = {k: swap.get(id(v), v) for k, v in func.__kwdefaults__.items()}
            monkeypatch.setattr(func, "__kwdefaults__", new_kw)

    for attr, value in list(vars(module).items()):
        if id(value) in swap:
            monkeypatch.setattr(module, attr, swap[id(value)])
        elif isinstance(value, types.FunctionType):
            patch_defaults(value)
        elif isinstance(value, type) and value.__module__ == module.__name__:
            for cattr, cvalue in list(vars(value).items()):
                if id(cvalue) in swap:
                    monkeypatch.setattr(value, cattr, swap[id(cvalue)])
                elif isinstance(cvalue, staticmethod) and id(cvalue.__func__) in swap:
                    monkeypatch.setattr(value, cattr, staticmethod(swap[id(cvalue.__func__)]))
                else:
                    patch_defaults(cvalue)


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock starting at 1000.0 s (not 0: the clock's origin is arbitrary)."""
    return FakeClock(1000.0)


@pytest.fixture(scope="session")
def Clock():
    """The FakeClock class, for tests that need a clock with a given start."""
    return FakeClock


@pytest.fixture(scope="session")
def Model():
    """The exact BucketModel class."""
    return BucketModel


@pytest.fixture(scope="session")
def assert_wait():
    """check_wait(got, expected, what): fail unless got is the expected float wait."""
    return check_wait


@pytest.fixture(scope="session")
def redirect_clocks():
    """redirect_default_clocks(monkeypatch, fakes): swap time.monotonic and friends."""
    return redirect_default_clocks


# Values exact in binary: power-of-two rates, bursts in quarters, costs in
# eighths, time steps in sixteenths, so every token count is a multiple of 1/64.
RATES = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0]
KEYS = [None, "a", 0, ("t", 1)]


@st.composite
def _scenario(draw, *, keys: list, max_cost_factor: float, backwards: bool, with_retry: bool):
    """(rate, burst, start, ops); an op is ("tick", dt) or (kind, key, cost or None)."""
    rate = draw(st.sampled_from(RATES), label="rate")
    burst = draw(st.integers(1, 40), label="burst quarters") / 4
    start = draw(st.sampled_from([0.0, 1000.0, 2.0**20 + 0.125]), label="start")
    max_cost = max(1, int(burst * 8 * max_cost_factor))
    low = -96 if backwards else 0
    # One integer per operation keeps generation cheap; it is decoded below.
    codes = draw(st.lists(st.integers(0, 2**31 - 1), min_size=20, max_size=40), label="ops")
    ops = []
    for x in codes:
        x, kind = divmod(x, 8)
        if kind < 3:
            ops.append(("tick", (x % (49 - low) + low) / 16))
            continue
        x, k = divmod(x, len(keys))
        cost_k = x % (max_cost + 1)
        cost = None if cost_k == 0 else cost_k / 8
        ops.append(("retry" if kind >= 6 and with_retry else "allow", keys[k], cost))
    return rate, burst, start, ops


@pytest.fixture(scope="session")
def scenarios():
    """A Hypothesis strategy factory for operation sequences on one limiter."""
    return _scenario


def play_call(limiter, model, now, op, rate, burst, history: list[str]) -> str:
    """Make one ("allow" | "retry_after", key, cost) call, check it against the model at
    time `now`, and return how the call reads (for the history shown on a failure)."""
    kind, key, cost = op
    args = (key,) if cost is None else (key, cost)
    call = f"{'allow' if kind == 'allow' else 'retry_after'}{args!r}".replace(",)", ")")
    after = "after: " + "; ".join(history[-12:])
    if kind == "allow":
        got = limiter.allow(*args)
        expected = model.allow(key, 1.0 if cost is None else cost, now)
        if got is not expected:
            pytest.fail(f"{call} should return {expected} (rate={rate}, burst={burst}), "
                        f"got {got!r}\n{after}")
    else:
        got = limiter.retry_after(*args)
        expected = model.retry_after(key, 1.0 if cost is None else cost, now)
        check_wait(got, expected, f"{call} (rate={rate}, burst={burst})", after)
    return call


@pytest.fixture(scope="session")
def play():
    """play(limiter, model, now, op, rate, burst, history) -> the call, checked."""
    return play_call


@pytest.fixture(scope="session")
def keys():
    """Several keys for model tests, None among them."""
    return list(KEYS)
