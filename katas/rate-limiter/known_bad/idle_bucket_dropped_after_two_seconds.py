"""Forgets a bucket after 2 s without calls, to bound memory: the next call finds it full.

Dropping an idle bucket is only safe once it has had time to refill (burst /
rate seconds); a fixed idle time of 2 s hands a slow bucket a full burst too
early. Only runs with a slow rate and a pause of 2 s or more show it.

Caught by: stage 1
"""

import math
import threading
import time

IDLE_S = 2.0


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
        if bucket is None or now - bucket[1] >= IDLE_S:
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
