"""Dataclass buckets, each with its own lock, and one clamp for the whole clock.

Correct. A registry lock guards creating buckets and the clock's high-water
mark (shared by all keys); each bucket's lock makes refill, check and take
atomic. Reads `time.monotonic()` through the module at each call.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refill(self, now: float, rate: float, burst: float) -> None:
        if now > self.stamp:
            self.tokens = min(burst, self.tokens + (now - self.stamp) * rate)
            self.stamp = now


class RateLimiter:
    def __init__(self, rate, burst, *, clock=None):
        if rate <= 0:
            raise ValueError("rate must be positive")
        if burst <= 0:
            raise ValueError("burst must be positive")
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self._latest = -math.inf
        self._buckets: dict = {}
        self._registry = threading.Lock()

    def _read(self, key):
        """(bucket, raw clock value, clamped clock value)."""
        with self._registry:
            raw = self.clock() if self.clock is not None else time.monotonic()
            self._latest = max(self._latest, raw)
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(self.burst, self._latest)
            return bucket, raw, self._latest

    @staticmethod
    def _check(cost):
        if cost <= 0:
            raise ValueError("cost must be positive")

    def allow(self, key=None, cost=1.0):
        self._check(cost)
        bucket, _, now = self._read(key)
        with bucket.lock:
            bucket.refill(now, self.rate, self.burst)
            if bucket.tokens < cost:
                return False
            bucket.tokens -= cost
            return True

    def retry_after(self, key=None, cost=1.0):
        self._check(cost)
        if cost > self.burst:
            return math.inf
        bucket, raw, now = self._read(key)
        with bucket.lock:
            bucket.refill(now, self.rate, self.burst)
            missing = cost - bucket.tokens
            if missing <= 0:
                return 0.0
            # The clock may be behind the latest time seen: it must catch up first.
            return float(bucket.stamp - raw) + missing / self.rate
