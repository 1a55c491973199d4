"""Immutable (tokens, stamp) tuples, written back only when tokens are taken.

Correct. retry_after and a denied allow compute the refill without storing it
(the refill is lazy and idempotent); the default clock is a class attribute
holding time.monotonic.
"""

import math
import threading
import time


class RateLimiter:
    default_clock = staticmethod(time.monotonic)

    def __init__(self, rate, burst, *, clock=None):
        if rate <= 0 or burst <= 0:
            raise ValueError("rate and burst must be positive")
        self.rate, self.burst = rate, burst
        self.clock = clock
        self.state = {}
        self.mutex = threading.Lock()

    def _peek(self, key):
        now = (self.clock or self.default_clock)()
        tokens, stamp = self.state.get(key, (self.burst, now))
        if now > stamp:
            tokens, stamp = min(self.burst, tokens + (now - stamp) * self.rate), now
        return tokens, stamp, now

    def allow(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError(f"cost must be positive: {cost}")
        with self.mutex:
            tokens, stamp, _ = self._peek(key)
            ok = tokens >= cost
            if ok:
                self.state[key] = (tokens - cost, stamp)
            return ok

    def retry_after(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError(f"cost must be positive: {cost}")
        if cost > self.burst:
            return math.inf
        with self.mutex:
            tokens, stamp, now = self._peek(key)
        if tokens >= cost:
            return 0.0
        return (stamp - now) + (cost - tokens) / self.rate + 0.0
