"""Rounds the wait of retry_after to whole microseconds.

Waits that are exact in binary but need more than six decimals (a fast rate
refilling a fraction of a token, like 1/512 s) come back off by more than the
1e-9 relative error allowed. Only fast rates with fractional tokens show it.

Caught by: stage 2
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
        self.clock = clock
        self.buckets = {}  # key -> [tokens, last]
        self.lock = threading.Lock()

    def _now(self):
        return time.monotonic() if self.clock is None else self.clock()

    def _refill(self, key):
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
            return round((last - now) + (cost - tokens) / self.rate, 6)
