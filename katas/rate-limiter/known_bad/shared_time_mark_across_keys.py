"""Keeps tokens per key but one time mark for the whole limiter.

A call on one key moves the time mark of every key, so the other keys lose
the refill of the seconds before it.

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
        self.clock = clock if clock is not None else time.monotonic
        self.tokens = {}  # key -> tokens
        self.last = None  # time of the latest call, any key
        self.lock = threading.Lock()

    def _refill(self, key):
        now = self.clock()
        if self.last is None:
            self.last = now
        tokens = self.tokens.get(key, self.burst)
        if now > self.last:
            tokens = min(self.burst, tokens + (now - self.last) * self.rate)
            self.last = now
        self.tokens[key] = tokens
        bucket = [tokens, self.last]
        return bucket, now

    def _store(self, key, tokens):
        self.tokens[key] = tokens

    def allow(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        with self.lock:
            bucket, _ = self._refill(key)
            if bucket[0] >= cost:
                self._store(key, bucket[0] - cost)
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
            return (last - now) + (cost - tokens) / self.rate
