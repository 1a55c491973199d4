"""A lock per key, but the lock itself is created without a guard.

Two threads that use a new key at the same moment can each create and take
their own lock for it, and each start from a full bucket.

Caught by: stage 4
"""

import math
import threading
import time


class RateLimiter:
    def __init__(self, rate, burst, *, clock=None):
        if rate <= 0 or burst <= 0:
            raise ValueError("rate and burst must be positive")
        self.rate = rate
        self.burst = burst
        self.clock = clock or time.monotonic
        self.buckets = {}  # key -> (tokens, last)
        self.locks = {}

    def _lock_for(self, key):
        if key not in self.locks:
            self.locks[key] = threading.Lock()
        return self.locks[key]

    def _state(self, key):
        now = self.clock()
        tokens, last = self.buckets.get(key, (self.burst, now))
        if now > last:
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            last = now
        return tokens, last, now

    def allow(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        with self._lock_for(key):
            tokens, last, _ = self._state(key)
            if tokens >= cost:
                self.buckets[key] = (tokens - cost, last)
                return True
            self.buckets[key] = (tokens, last)
            return False

    def retry_after(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        if cost > self.burst:
            return math.inf
        with self._lock_for(key):
            tokens, last, now = self._state(key)
            if tokens >= cost:
                return 0.0
            return (last - now) + (cost - tokens) / self.rate
