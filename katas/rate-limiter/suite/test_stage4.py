"""Stage 4: allow is atomic under threads.

With the GIL, a thread switch happens only at certain points, so an unlocked
check-then-take often looks atomic by luck. These tests lower the switch
interval and, through the public interface only, hand the limiter values whose
use lets other threads run: a clock that yields, a key whose __hash__ yields,
float costs, bursts and clock values whose arithmetic yields. A correct
limiter holds its lock across those points; an unlocked one is interleaved.
"""

from __future__ import annotations

import math
import sys
import threading
import time

import pytest
from rate_limiter import RateLimiter

pytestmark = pytest.mark.stage(4)

THREADS = 16


class YieldingKey:
    """A hashable key whose hashing and comparing let other threads run."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __hash__(self) -> int:
        time.sleep(0)
        return hash(self.name)

    def __eq__(self, other: object) -> bool:
        time.sleep(0)
        return isinstance(other, YieldingKey) and other.name == self.name

    def __repr__(self) -> str:
        return f"YieldingKey({self.name!r})"


class YieldingFloat(float):
    """A float whose comparisons and arithmetic let other threads run.

    Arithmetic on it gives a YieldingFloat again, so token counts computed
    from it keep letting other threads run at every step.
    """

    def __repr__(self) -> str:
        return f"YieldingFloat({float(self)!r})"


def _yielding(name):
    base = getattr(float, name)

    def method(self, *args):
        time.sleep(0)
        result = base(self, *args)
        return YieldingFloat(result) if type(result) is float else result

    method.__name__ = name
    return method


for _name in [
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__eq__",
    "__ne__",
    "__sub__",
    "__rsub__",
    "__add__",
    "__radd__",
    "__truediv__",
    "__rtruediv__",
    "__mul__",
    "__rmul__",
    "__floordiv__",
    "__rfloordiv__",
    "__mod__",
    "__rmod__",
    "__neg__",
    "__abs__",
]:
    setattr(YieldingFloat, _name, _yielding(_name))
YieldingFloat.__hash__ = float.__hash__


def _yielding_clock(t: float):
    def clock() -> float:
        time.sleep(0)  # the clock does not move, but lets other threads run
        return t

    return clock


RULE = (
    "allow is atomic: 16 threads calling allow(key) on a clock that does not move admit exactly "
    "floor(burst / cost) calls in all, and never raise"
)


def _hammer(limiter, key, cost, calls_per_thread):
    """Run THREADS threads calling allow(key[, cost]); return (admitted, errors)."""
    admitted = []
    errors = []
    barrier = threading.Barrier(THREADS)

    def worker():
        mine = 0
        try:
            barrier.wait()
            for _ in range(calls_per_thread):
                got = limiter.allow(key) if cost is None else limiter.allow(key, cost)
                if got is True:
                    mine += 1
                elif got is not False:
                    errors.append(f"returned {got!r}, not True or False")
                    return
        except BaseException as exc:
            errors.append(f"raised {type(exc).__name__}({str(exc)!r})")
        finally:
            admitted.append(mine)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=worker, daemon=True) for _ in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=20)
    finally:
        sys.setswitchinterval(old)
    return sum(admitted), errors, any(t.is_alive() for t in threads)


def _build(**kwargs):
    """RateLimiter(**kwargs), failing in the suite's message shape if it raises."""
    try:
        return RateLimiter(**kwargs)
    except Exception as exc:
        args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
        pytest.fail(
            f"RateLimiter(rate, burst, clock=...) with a positive rate and burst must build\n"
            f"input: RateLimiter({args})\nexpected: a limiter\n"
            f"got: raised {type(exc).__name__}({str(exc)!r})",
            pytrace=False,
        )


def _check(limiter, key, cost, burst, calls_per_thread, setup):
    """Hammer the limiter and fail, in the suite's message shape, unless exactly right."""
    expected = math.floor(burst / (1.0 if cost is None else float(cost)))
    call = f"limiter.allow({key!r})" if cost is None else f"limiter.allow({key!r}, {cost!r})"
    scenario = (
        f"{setup}\n       16 threads start at once, each calling {call} "
        f"{calls_per_thread} times ({16 * calls_per_thread} calls in all)"
    )
    admitted, errors, stuck = _hammer(limiter, key, cost, calls_per_thread)
    if stuck:
        got = "the threads did not finish within 20 s (a deadlock?)"
    elif errors:
        got = f"a call {errors[0]}"
    elif admitted != expected:
        got = f"{admitted} calls returned True"
    else:
        return
    pytest.fail(
        f"{RULE}\ninput: {scenario}\nexpected: {expected} calls return True "
        f"(floor({burst} / {1.0 if cost is None else float(cost)})), the rest False\ngot: {got}",
        pytrace=False,
    )


@pytest.mark.timeout(30)
def test_threads_admit_exactly_burst_calls():
    """16 threads calling allow(key) on a still clock admit exactly floor(burst / cost) in all."""
    limiter = _build(rate=1, burst=400, clock=lambda: 1000.0)
    _check(limiter, "k", None, 400, 60,
           "limiter = RateLimiter(rate=1, burst=400, clock=lambda: 1000.0)")


@pytest.mark.timeout(30)
def test_threads_admit_exactly_floor_burst_over_cost_with_fractional_cost():
    """With a fractional cost, exactly floor(burst / cost) calls pass in all."""
    limiter = _build(rate=1, burst=100, clock=lambda: 1000.0)
    _check(limiter, "k", 0.75, 100, 20,
           "limiter = RateLimiter(rate=1, burst=100, clock=lambda: 1000.0)")


@pytest.mark.timeout(30)
def test_threads_admit_exactly_burst_calls_with_a_clock_that_yields():
    """A still clock whose call lets other threads run: still exactly floor(burst / cost) pass."""
    limiter = _build(rate=1, burst=100, clock=_yielding_clock(1000.0))
    _check(
        limiter,
        None,
        None,
        100,
        15,
        "limiter = RateLimiter(rate=1, burst=100, clock=clock)  # clock() returns 1000.0 "
        "after time.sleep(0), letting other threads run",
    )


def _hammer_new_keys(rounds, calls_per_thread):
    """THREADS threads, started once, play every round: at a barrier, then each calls
    allow(key) calls_per_thread times on that round's limiter and new key. Returns each
    round's (admitted, errors), and whether a thread was stuck.

    The same as a fresh set of threads per round, without starting 16 threads per round.
    """
    admitted = [[0] * THREADS for _ in rounds]
    errors = [[] for _ in rounds]
    barrier = threading.Barrier(THREADS, timeout=20)

    def worker(i):
        for r, (limiter, key) in enumerate(rounds):
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                return
            mine = 0
            try:
                for _ in range(calls_per_thread):
                    got = limiter.allow(key)
                    if got is True:
                        mine += 1
                    elif got is not False:
                        errors[r].append(f"returned {got!r}, not True or False")
                        break
            except BaseException as exc:
                errors[r].append(f"raised {type(exc).__name__}({str(exc)!r})")
            admitted[r][i] = mine

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=worker, args=(i,), daemon=True)
                   for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=20)
    finally:
        sys.setswitchinterval(old)
    stuck = any(t.is_alive() for t in threads)
    return [(sum(a), e) for a, e in zip(admitted, errors, strict=True)], stuck


@pytest.mark.timeout(30)
def test_threads_admit_exactly_burst_calls_on_a_new_key_that_yields():
    """A new key whose hashing lets other threads run: its one bucket admits floor(burst / cost)."""
    # Races on creating a key's bucket (or its lock) happen only on first use: try many fresh
    # keys, each on a new limiter, one after the other by the same 16 threads.
    rounds = [(_build(rate=1, burst=12, clock=lambda: 1000.0), YieldingKey(f"k{r}"))
              for r in range(12)]
    results, stuck = _hammer_new_keys(rounds, 2)
    for (_, key), (admitted, errors) in zip(rounds, results, strict=True):
        if stuck:
            got = "the threads did not finish within 20 s (a deadlock?)"
        elif errors:
            got = f"a call {errors[0]}"
        elif admitted != 12:
            got = f"{admitted} calls returned True"
        else:
            continue
        pytest.fail(
            f"{RULE}\ninput: limiter = RateLimiter(rate=1, burst=12, clock=lambda: 1000.0)  "
            f"# a new key whose __hash__ and __eq__ call time.sleep(0), letting other threads "
            f"run\n       16 threads start at once, each calling limiter.allow({key!r}) 2 times "
            f"(32 calls in all)\nexpected: 12 calls return True (floor(12 / 1.0)), the rest "
            f"False\ngot: {got}",
            pytrace=False,
        )


@pytest.mark.timeout(30)
def test_threads_admit_exactly_floor_burst_over_cost_with_a_cost_that_yields():
    """A float cost whose arithmetic lets other threads run: exactly floor(burst / cost) pass."""
    limiter = _build(rate=1, burst=30, clock=lambda: 1000.0)
    _check(
        limiter,
        "k",
        YieldingFloat(0.5),
        30,
        8,
        "limiter = RateLimiter(rate=1, burst=30, clock=lambda: 1000.0)  # the cost is a float "
        "whose comparisons and arithmetic call time.sleep(0), letting other threads run",
    )


@pytest.mark.timeout(30)
def test_threads_admit_exactly_burst_calls_when_burst_and_time_are_floats_that_yield():
    """Float rate, burst and clock values that let other threads run: floor(burst / cost) pass."""
    limiter = _build(
        rate=YieldingFloat(1.0), burst=YieldingFloat(30.0), clock=lambda: YieldingFloat(1000.0)
    )
    _check(
        limiter,
        "k",
        None,
        30,
        8,
        "limiter = RateLimiter(rate=YieldingFloat(1.0), burst=YieldingFloat(30.0), "
        "clock=lambda: YieldingFloat(1000.0))  # floats whose comparisons and arithmetic call "
        "time.sleep(0), letting other threads run",
    )
