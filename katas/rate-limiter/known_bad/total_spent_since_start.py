"""Counts tokens spent since the key's first use instead of keeping a bucket.

tokens = min(burst, burst + elapsed_since_start * rate - spent): the cap is
applied to the total, not as the bucket refills, so idle time is banked and
spent again later. Fine on the first burst, wrong after a long pause.

Caught by: stage 1
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
        self.start = {}  # key -> time of first use
        self.spent = {}  # key -> tokens spent since then
        self.latest = {}
        self.lock = threading.Lock()

    def _tokens(self, key):
        now = self.clock()
        self.latest[key] = max(now, self.latest.get(key, now))
        start = self.start.setdefault(key, self.latest[key])
        earned = (self.latest[key] - start) * self.rate
        return min(self.burst, self.burst + earned - self.spent.get(key, 0.0)), now

    def allow(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        with self.lock:
            tokens, _ = self._tokens(key)
            if tokens >= cost:
                self.spent[key] = self.spent.get(key, 0.0) + cost
                return True
            return False

    def retry_after(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        if cost > self.burst:
            return math.inf
        with self.lock:
            tokens, now = self._tokens(key)
            if tokens >= cost:
                return 0.0
            return (self.latest[key] - now) + (cost - tokens) / self.rate
