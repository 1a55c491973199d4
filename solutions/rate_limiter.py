"""Token-bucket rate limiter: the reference solution of the rate-limiter kata."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Hashable


def _check_cost(cost: float) -> None:
    if cost <= 0:
        raise ValueError(f"cost must be positive, got {cost!r}")


class RateLimiter:
    """Per-key token buckets, refilled lazily from a monotonic clock."""

    def __init__(
        self, rate: float, burst: float, *, clock: Callable[[], float] | None = None
    ) -> None:
        if rate <= 0 or burst <= 0:
            raise ValueError(f"rate and burst must be positive, got {rate!r}, {burst!r}")
        self._rate = rate
        self._burst = burst
        self._clock = clock
        # key -> [tokens, last]: the tokens the bucket held at time `last`,
        # the latest time this bucket has seen (its high-water mark).
        self._buckets: dict[Hashable, list[float]] = {}
        # One lock makes refill, check and take a single atomic step.
        self._lock = threading.Lock()

    def _now(self) -> float:
        # time.monotonic is looked up at each call, never cached at construction.
        return time.monotonic() if self._clock is None else self._clock()

    def _refill(self, key: Hashable) -> tuple[list[float], float]:
        """The key's bucket brought up to date, and the time read. Hold the lock."""
        now = self._now()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = [self._burst, now]
        elif now > bucket[1]:
            # Only time past the high-water mark counts: a clock that goes
            # backwards adds and removes nothing, and is not counted twice.
            bucket[0] = min(self._burst, bucket[0] + (now - bucket[1]) * self._rate)
            bucket[1] = now
        return bucket, now

    def allow(self, key: Hashable = None, cost: float = 1.0) -> bool:
        """Take `cost` tokens from the key's bucket if it holds that many."""
        _check_cost(cost)
        with self._lock:
            bucket, _ = self._refill(key)
            if bucket[0] >= cost:
                bucket[0] -= cost
                return True
            return False

    def retry_after(self, key: Hashable = None, cost: float = 1.0) -> float:
        """Seconds until `allow(key, cost)` would return True; takes nothing."""
        _check_cost(cost)
        if cost > self._burst:
            return math.inf
        with self._lock:
            (tokens, last), now = self._refill(key)
            if tokens >= cost:
                return 0.0
            # A clock that is behind must first catch up with `last`; from
            # there the missing tokens come in at `rate` per second.
            return float(last - now) + (cost - tokens) / self._rate
