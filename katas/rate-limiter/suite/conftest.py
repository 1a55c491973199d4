"""Shared fixtures of the rate-limiter suite: a fake clock, an exact model, helpers."""

from __future__ import annotations

import math
import sys
import time
import types
from fractions import Fraction

import pytest

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


_COMPARISON = ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__")


def plain_number(got: object) -> float | None:
    """The value of a number read from the attempt, or None when it is not one.

    An int or a float counts, and so does a subclass that keeps int's or float's
    own comparison (tenacity passes its own float subclass to sleep). A subclass
    that overrides comparison (or anything else) is not a number here.
    """
    for base in (float, int):
        if isinstance(got, base):
            if any(getattr(type(got), name) is not getattr(base, name) for name in _COMPARISON):
                return None
            try:
                return base.__float__(got)
            except OverflowError:
                return None
    return None


def describe(got: object) -> str:
    """How a returned value reads in a failure message, with its type when that matters."""
    if type(got) in (bool, int, float, type(None)):
        return f"returned {got!r}"
    return f"returned {got!r} (a {type(got).__qualname__})"


def wait_problem(got: object, expected: Fraction | float) -> str | None:
    """Why `got` is not the wait `expected` (1e-9 relative error), or None when it is."""
    value = plain_number(got)
    if value is None:
        if isinstance(got, (int, float)):
            return (f"{type(got).__qualname__} overrides comparison (__eq__, __lt__, ... or "
                    "__hash__): a number the suite reads is an int or a float, or a subclass "
                    "that keeps their own comparison")
        return "not a number: a number the suite reads is an int or a float"
    if expected == math.inf:
        ok = value == math.inf
    elif expected == 0:
        ok = value == 0.0
    else:
        ok = math.isclose(value, float(expected), rel_tol=1e-9)
    return None if ok else "wrong value"


WAIT_RULE = (
    "retry_after(key, cost) returns the seconds until allow(key, cost) would return True "
    "(a number: int or float), 0.0 when it would now, math.inf for a cost above burst, "
    "and takes no tokens"
)
ALLOW_RULE = (
    "allow(key, cost) returns True and removes cost tokens when the bucket holds at least cost "
    "tokens (exactly cost is enough); otherwise it returns False and removes nothing. "
    "Each bucket starts full with burst tokens and refills continuously at rate tokens per second, "
    "never above burst"
)


def wait_text(expected: Fraction | float) -> str:
    if expected == math.inf:
        return "math.inf"
    return f"{float(expected)!r} seconds"


def args_text(args: tuple, kwargs: dict) -> str:
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return ", ".join(parts)


def raised(exc: BaseException) -> str:
    return f"raised {type(exc).__name__}({str(exc)!r})" if str(exc) else (
        f"raised {type(exc).__name__}()"
    )


class Raised:
    """What a recorded call raised, as it reads in a message."""

    def __init__(self, text: str) -> None:
        self.text = text


class Trace:
    """A limiter on a fake clock that records every step, for failure messages.

    Every failure shows the rule, then `input:` with the steps so far as a
    person would type them (the clock's moves and each call with its result),
    then `expected:` and `got:`.
    """

    def __init__(self, rate: object, burst: object, *, start: float = 1000.0,
                 clock: object = "fake", setup: str | None = None) -> None:
        from rate_limiter import RateLimiter  # the attempt: imported only when a test runs

        # Steps are kept raw and written out only when a test fails (cheap when it passes).
        self.steps: list[tuple] = []
        if clock == "fake":
            self.clock = FakeClock(start)
            note = f"clock = FakeClock({start!r})  # clock() returns {start!r}"
            self.steps.append(("note", note))
            clock = self.clock
            build = f"limiter = RateLimiter(rate={rate!r}, burst={burst!r}, clock=clock)"
        else:
            self.clock = clock
            build = setup or f"limiter = RateLimiter(rate={rate!r}, burst={burst!r})"
        try:
            if clock is None:
                self.limiter = RateLimiter(rate, burst)
            else:
                self.limiter = RateLimiter(rate, burst, clock=clock)
        except Exception as exc:
            self.fail("RateLimiter(rate, burst, clock=...) with a positive rate and burst "
                      "must build", build, "a limiter", raised(exc))
        self.steps.append(("note", build))

    @property
    def lines(self) -> list[str]:
        """The steps so far, one line each, as a person would type them."""
        out = []
        for step in self.steps:
            if step[0] == "note":
                out.append(step[1])
            elif step[0] == "tick":
                out.append(f"clock.t = {step[1]!r}  # clock() moved {step[2]:+g} s")
            else:
                _, method, args, kwargs, result = step
                how = result.text if type(result) is Raised else f"returned {result!r}"
                out.append(f"limiter.{method}({args_text(args, kwargs)})  # {how}")
        return out

    @lines.setter
    def lines(self, lines: list[str]) -> None:
        self.steps = [("note", line) for line in lines]

    def note(self, line: str) -> None:
        self.steps.append(("note", line))

    def tick(self, dt: float) -> None:
        """Move the fake clock by dt seconds (back when dt < 0)."""
        self.clock.t += dt
        self.steps.append(("tick", self.clock.t, dt))

    def input_text(self, current: str | None) -> str:
        lines = self.lines + ([f"{current}   <- this call"] if current else [])
        return "\n       ".join(lines)

    def fail(self, rule: str, current: str | None, expected: str, got: str) -> None:
        pytest.fail(
            f"{rule}\ninput: {self.input_text(current)}\nexpected: {expected}\ngot: {got}",
            pytrace=False,
        )

    def call(self, method: str, *args, rule: str | None = None, **kwargs):
        """Call limiter.<method>(*args, **kwargs) with valid arguments; it must not raise."""
        text = f"limiter.{method}({args_text(args, kwargs)})"
        try:
            got = getattr(self.limiter, method)(*args, **kwargs)
        except Exception as exc:
            self.fail(rule or f"{method} with a valid key and cost must not raise",
                      text, "a result", raised(exc))
        self.steps.append(("call", method, args, kwargs, got))
        return got

    def allow(self, *args, expect: bool, rule: str = ALLOW_RULE, **kwargs) -> None:
        """Check that limiter.allow(*args, **kwargs) returns `expect` (the bool object)."""
        try:
            got = self.limiter.allow(*args, **kwargs)
        except Exception as exc:
            got = exc
        if got is not expect:
            text = f"limiter.allow({args_text(args, kwargs)})"
            if isinstance(got, Exception):
                self.fail(rule, text, repr(expect), raised(got))
            self.fail(rule, text, repr(expect), describe(got))
        self.steps.append(("call", "allow", args, kwargs, got))

    def wait(self, *args, expect: Fraction | float, rule: str = WAIT_RULE, **kwargs) -> None:
        """Check that limiter.retry_after(*args, **kwargs) returns the wait `expect`."""
        try:
            got = self.limiter.retry_after(*args, **kwargs)
        except Exception as exc:
            text = f"limiter.retry_after({args_text(args, kwargs)})"
            self.fail(rule, text, wait_text(expect), raised(exc))
        problem = wait_problem(got, expect)
        if problem is not None:
            text = f"limiter.retry_after({args_text(args, kwargs)})"
            got_text = describe(got)
            if problem != "wrong value":
                got_text += f": {problem}"
            self.fail(rule, text, wait_text(expect), got_text)
        self.steps.append(("call", "retry_after", args, kwargs, got))

    def raises(self, method: str, *args, rule: str, **kwargs) -> None:
        """Check that limiter.<method>(*args, **kwargs) raises ValueError."""
        text = f"limiter.{method}({args_text(args, kwargs)})"
        try:
            got = getattr(self.limiter, method)(*args, **kwargs)
        except ValueError as exc:
            self.steps.append(("call", method, args, kwargs, Raised(raised(exc))))
            return
        except Exception as exc:
            self.fail(rule, text, "raises ValueError", raised(exc))
        self.fail(rule, text, "raises ValueError", describe(got))


def build_raises(rate: object, burst: object, rule: str) -> None:
    """Check that RateLimiter(rate, burst, clock=...) raises ValueError."""
    from rate_limiter import RateLimiter

    text = f"RateLimiter(rate={rate!r}, burst={burst!r}, clock=FakeClock(1000.0))"
    try:
        got = RateLimiter(rate, burst, clock=FakeClock(1000.0))
    except ValueError:
        return
    except Exception as exc:
        pytest.fail(f"{rule}\ninput: {text}\nexpected: raises ValueError\ngot: {raised(exc)}",
                    pytrace=False)
    pytest.fail(f"{rule}\ninput: {text}\nexpected: raises ValueError\n"
                f"got: returned a limiter ({type(got).__name__} object), no ValueError",
                pytrace=False)


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
def trace():
    """The Trace class: a limiter on a fake clock that records each step for messages."""
    return Trace


@pytest.fixture(scope="session")
def expect_build_error():
    """build_raises(rate, burst, rule): fail unless RateLimiter(rate, burst) raises ValueError."""
    return build_raises


@pytest.fixture(scope="session")
def number():
    """plain_number(x): the float value of a number read from the attempt, or None."""
    return plain_number


@pytest.fixture(scope="session")
def redirect_clocks():
    """redirect_default_clocks(monkeypatch, fakes): swap time.monotonic and friends."""
    return redirect_default_clocks


def play_step(trace: Trace, model: BucketModel, step: tuple) -> None:
    """Play one drawn step on the trace and check it against the model.

    A step is ("tick", dt), ("allow", key, cost) or ("retry_after", key, cost);
    a cost of None means the call leaves cost out (the default 1.0).
    """
    if step[0] == "tick":
        trace.tick(step[1])
        return
    kind, key, cost = step
    args = (key,) if cost is None else (key, cost)
    now = trace.clock.t
    if kind == "allow":
        trace.allow(*args, expect=model.allow(key, 1.0 if cost is None else cost, now))
    else:
        trace.wait(*args, expect=model.retry_after(key, 1.0 if cost is None else cost, now))


@pytest.fixture(scope="session")
def play():
    """play(trace, model, step): make one drawn step and check it against the exact model."""
    return play_step
