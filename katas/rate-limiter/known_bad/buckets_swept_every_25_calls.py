"""Clears every bucket on each 25th call, to bound memory: a bucket in use starts full again.

A sweep may only forget buckets that are full (they carry no information);
this one forgets all of them. Only a limiter that has seen 25 calls shows it.

Caught by: stage 1
"""

import math
import threading
import time

SWEEP_EVERY = 25


class RateLimiter:
    def __init__(self, rate, burst, *, clock=None):
        if rate <= 0 or burst <= 0:
            raise ValueError("rate and burst must be positive")
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.buckets = {}  # key -> [tokens, last]
        self.calls = 0
        self.lock = threading.Lock()

    def _now(self):
        return time.monotonic() if self.clock is None else self.clock()

    def _refill(self, key):
        self.calls += 1
        if self.calls % SWEEP_EVERY == 0:
            self.buckets.clear()
        now = self._now()
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = [self.burst, now]
        elif now > bucket[1]:
            bucket[0] = min(self.burst, bucket[0] + (now - bucket[1]) * self.rate)
            bucket[1] = now
        return bucket, now

    def allow(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        with self.lock:
            bucket, _ = self._refill(key)
            if bucket[0] >= cost:
                bucket[0] -= cost
                return True
            return False

    def retry_after(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        if cost > self.burst:
            return math.inf
        with self.lock:
            (tokens, last), now = self._refill(key)
            if tokens >= cost:
                return 0.0
            return (last - now) + (cost - tokens) / self.rate
