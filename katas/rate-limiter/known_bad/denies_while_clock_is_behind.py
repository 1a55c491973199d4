"""Treats a clock that went backwards as "not now": allow returns False until the clock catches up.

The bucket still holds its tokens, but a call made while the clock is behind
is denied (and retry_after answers the catch-up time), as if going backwards
took all the tokens.

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

    def allow(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        with self.lock:
            now = self.clock()
            bucket = self.buckets.setdefault(key, [self.burst, now])
            elapsed = now - bucket[1]
            if elapsed < 0:
                return False  # clock went backwards: wait for it to catch up
            bucket[0] = min(self.burst, bucket[0] + elapsed * self.rate)
            bucket[1] = now
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
            now = self.clock()
            tokens, last = self.buckets.get(key, (self.burst, now))
            if now < last:
                return (last - now) + max(0.0, cost - tokens) / self.rate
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= cost:
                return 0.0
            return (cost - tokens) / self.rate
