"""Sign slip: while the clock is behind, retry_after subtracts the catch-up time instead of adding it.

Caught by: stage 3
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
        self.clock = clock if clock is not None else time.monotonic
        self.buckets = {}  # key -> [tokens, last]
        self.lock = threading.Lock()

    def _refill(self, key):
        now = self.clock()
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
            bucket, now = self._refill(key)
            tokens, last = bucket
            if tokens >= cost:
                return 0.0
            return max(0.0, (cost - tokens) / self.rate - (last - now))
