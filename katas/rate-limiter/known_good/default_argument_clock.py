"""Holds the default clock as a default argument value: `_monotonic=time.monotonic`.

Correct. The real time.monotonic is bound when the class is defined; the suite
must still be able to move it. Immutable (tokens, last) tuples, one lock.
"""

import math
import threading
import time


class RateLimiter:
    def __init__(self, rate, burst, *, clock=None):
        if rate <= 0 or burst <= 0:
            raise ValueError("bad rate/burst")
        self.rate, self.burst, self.clock = rate, burst, clock
        self.b = {}
        self.lock = threading.Lock()

    def _now(self, _monotonic=time.monotonic):
        return _monotonic() if self.clock is None else self.clock()

    def _sync(self, key):
        now = self._now()
        tokens, last = self.b.get(key, (self.burst, now))
        if now > last:
            tokens, last = min(self.burst, tokens + (now - last) * self.rate), now
        self.b[key] = (tokens, last)
        return tokens, last, now

    def allow(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("bad cost")
        with self.lock:
            tokens, last, _ = self._sync(key)
            if tokens < cost:
                return False
            self.b[key] = (tokens - cost, last)
            return True

    def retry_after(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("bad cost")
        if cost > self.burst:
            return math.inf
        with self.lock:
            tokens, last, now = self._sync(key)
        return 0.0 if tokens >= cost else float(last - now + (cost - tokens) / self.rate)
