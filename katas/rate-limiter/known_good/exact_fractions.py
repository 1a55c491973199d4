"""Keeps every bucket in exact Fractions and converts only the answers to float.

Correct. A per-key record of the latest time seen, a Condition as the lock.
"""

import math
import threading
import time
from fractions import Fraction


class RateLimiter:
    def __init__(self, rate, burst, *, clock=None):
        if rate <= 0:
            raise ValueError("rate must be > 0")
        if burst <= 0:
            raise ValueError("burst must be > 0")
        self._rate = Fraction(rate)
        self._burst = Fraction(burst)
        self._clock = clock or (lambda: time.monotonic())
        self._buckets = {}
        self._cond = threading.Condition()

    def _bucket(self, key, now):
        if key not in self._buckets:
            self._buckets[key] = {"tokens": self._burst, "seen": now}
        b = self._buckets[key]
        if now > b["seen"]:
            b["tokens"] = min(self._burst, b["tokens"] + (now - b["seen"]) * self._rate)
            b["seen"] = now
        return b

    def allow(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be > 0")
        cost = Fraction(cost)
        with self._cond:
            b = self._bucket(key, Fraction(self._clock()))
            if b["tokens"] >= cost:
                b["tokens"] -= cost
                return True
            return False

    def retry_after(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be > 0")
        cost = Fraction(cost)
        if cost > self._burst:
            return math.inf
        with self._cond:
            now = Fraction(self._clock())
            b = self._bucket(key, now)
            if b["tokens"] >= cost:
                return 0.0
            return float(b["seen"] - now + (cost - b["tokens"]) / self._rate)
